#include "report/report.hpp"
#include "report/published.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "results/manifest.hpp"
#include "results/provenance.hpp"
#include "results/run_row.hpp"
#include "results/csv.hpp"
#include "base/error.hpp"
#include "report/coco.hpp"
#include "report/html.hpp"
#include "report/fixed_budget.hpp"
#include "report/profiles.hpp"
#include "base/text.hpp"
#include "optbench/sdk/params.hpp"

namespace optbench::host {

namespace fs = std::filesystem;
using namespace report;

namespace {

void write_table_files(const fs::path& stem, const std::vector<Table>& tables, const std::string& csv,
                       std::vector<fs::path>& files) {
    std::string markdown, latex = "% Tables written by optbench report; they need \\usepackage{booktabs}.\n";
    for (const Table& t : tables) {
        if (!markdown.empty()) markdown += '\n';
        markdown += to_markdown(t);
        latex += '\n';
        latex += to_latex(t);
    }
    for (const auto& [extension, content] :
         {std::pair{".md", markdown}, std::pair{".tex", latex}, std::pair{".csv", csv}}) {
        fs::path file = stem;
        file += extension;
        write_file_atomically(file, content);
        files.push_back(file);
    }
}

const char* const method_text = R"(## Method

- **Runs.** Every row of runs.csv is counted. Final-value statistics use the runs with status
  `ok`; runs with status `error` (crash, exception, timeout) or `not_applicable` (the optimizer
  cannot run on the problem) are counted in the tables' `error` and `n/a` columns and listed
  above, never dropped silently. Runtime statistics (aRT, ECDFs) count every run that started,
  as COCO counts every trial: a run that ended in error reached a target if its trace did before
  the error, and is otherwise unsuccessful after the evaluations it recorded (none for a crashed
  process, whose counts died with it). Runs of a problem's instances are pooled (the problem's
  name omits `instance`), each run with the same weight.
- **Value.** The error best f - f_opt where every ok run of the problem knows f_opt (and some
  run does), otherwise best f. Lower is better.
- **Quantiles** (median, q1, q3, IQR = q3 - q1) interpolate linearly between order statistics
  (Hyndman-Fan type 7, as R and NumPy do); std is the sample standard deviation (n - 1).
- **Best and significance.** The best optimizer of a problem has the lowest median (ties: lowest
  mean). It is compared with each other optimizer by a one-sided Mann-Whitney U test ("the best's
  values tend to be smaller"): exact permutation distribution of U when there are no ties and
  n1 n2 <= 2500, otherwise the normal approximation with tie-corrected variance and continuity
  correction (scipy.stats.mannwhitneyu, method='asymptotic'). The p-values of a problem are
  adjusted by Holm's step-down method; `*` marks an optimizer significantly worse than the best.
- **Targets and aRT.** A run reaches target t at the cost of its first trace row whose best-so-far
  value is <= t. aRT (COCO's average runtime, formerly ERT) = evaluations of all runs (up to the
  target for the successful ones, everything for the others) / number of successful runs; infinite
  when none succeeded. Evaluations are budget cost units (evaluations + grad_cost x gradient
  evaluations). Default targets: COCO's table targets 10, 1, 1e-1, 1e-2, 1e-3, 1e-5, 1e-7 on the
  error; without f_opt, the median final best f of each optimizer. `--targets` replaces both.
- **Convergence plots**: best-so-far value against evaluations, median over the ok runs (line)
  and interquartile range (band), sampled at every evaluation count the traces logged (at 50
  counts per decade when there are more than 3000), drawn as steps; an axis is logarithmic when
  its positive data span a decade or more (values <= 0 are then drawn at a tenth of the
  smallest positive one, and the axis label says so).
- **Runtime ECDFs** (COCO style, one per dimension, problems with known f_opt): for each
  (problem, target) pair with the 51 targets 10^2 ... 10^-8 (5 per decade), runtimes are completed
  by simulated restarts: sample k starts with run k mod n; an unsuccessful run adds its evaluations
  and a run drawn uniformly (with replacement) follows, until a successful run adds its runtime.
  The sample size is the smallest multiple of the number of runs >= 15, so each run weighs the
  same (and each instance, when all ran equally often, as in optbench's campaigns; COCO's
  post-processing instead copies the runs of under-represented instances). The draws are seeded by (--seed, optimizer, problem): re-running gives the same
  plot. The curve is the fraction of (pair, sample) runtimes <= x, x = log10(evaluations / D);
  crosses mark each optimizer's median evaluations per run. Optimizers without a run in that
  dimension have no curve.
- **Figures of declared stats**: for each optimizer that declares stats for a figure, one run
  (`--figure-run ID`; default: its first run with those stats): the best-so-far loss (the error
  where f_opt is known) and each declared stat from stats.csv against evaluations.
- **Hold-out metrics** (problems that declare them; never seen by the optimizer, free in the
  budget) are computed at the best-so-far point (the point the trace scores) at log-spaced
  evaluation counts (`--holdout-every`, default 10 per decade) and at the end (holdout.csv). The
  metric table gives each at the final point (X) and at the run's checkpoint where the problem's
  selection metric, e.g. the validation loss, was best (selected_X; ties: the earliest;
  selected_evals: its evaluations), with the tests of the final values in the metric's direction.
  The plots of hold-out metrics show, per optimizer, the median and interquartile range over its
  ok runs at its checkpoints (a run's value holding until its next checkpoint).
- **COCO export**: see the COCO export section; cocopp computes its own aRT and ECDFs from it.
)";

std::string plot_section(const std::vector<Plot>& plots, PlotKind kind, const std::string& heading, bool rendered) {
    std::string out;
    for (const Plot& p : plots) {
        if (p.kind != kind) continue;
        if (rendered)
            out += fmt::format("![{0}](plots/{1}.png)\n\n{0} ([SVG](plots/{1}.svg), [gnuplot script](plots/{1}.gp))\n\n",
                               p.title, p.name);
        else
            out += fmt::format("- {} (script plots/{}.gp, not rendered)\n", p.title, p.name);
    }
    return out.empty() ? "" : "### " + heading + "\n\n" + out + "\n";
}

// The comma-separated numbers of `option`'s value, each one `accepts` takes, without repeats,
// in `order`; else an Error naming the option and the token: "is not <expected>".
template <class Order>
std::vector<double> parse_number_list(const std::string& text, std::string_view option, bool (*accepts)(double),
                                      std::string_view expected, Order order) {
    std::vector<double> numbers;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t end = std::min(text.find(',', start), text.size());
        const std::string token = text.substr(start, end - start);
        double value = 0;
        if (!sdk::detail::parse_double(token, value) || !accepts(value))
            throw Error(fmt::format("{}: '{}' is not {}", option, token, expected));
        numbers.push_back(value);
        start = end + 1;
    }
    std::sort(numbers.begin(), numbers.end(), order);
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    return numbers;
}

}  // namespace

std::vector<double> parse_targets(const std::string& text) {
    return parse_number_list(
        text, "--targets", [](double v) { return std::isfinite(v); },
        "a finite number (expected a list like 1e-1,1e-3,1e-5)", std::greater<>());
}

std::vector<double> parse_budget_fractions(const std::string& text) {
    return parse_number_list(
        text, "--budget-fractions", [](double v) { return v > 0 && v <= 1; },
        "a fraction of the budget in (0, 1] (expected a list like 0.01,0.1,1)", std::less<>());
}

std::vector<double> parse_profile_tolerances(const std::string& text) {
    return parse_number_list(
        text, "--profile-tolerances", [](double v) { return v > 0 && v < 1; },
        "a tolerance in (0, 1) (expected a list like 1e-1,1e-3,1e-5,1e-7)", std::greater<>());
}

ReportOutput write_report(const ReportOptions& options) {
    if (!(options.alpha > 0 && options.alpha < 1))
        throw Error(fmt::format("--alpha must be in (0, 1), got {}", options.alpha));
    const ResultSet results = load_results(options.results);
    const std::vector<PublishedRow> published =
        options.published.empty() ? std::vector<PublishedRow>{}
                                  : published_comparison(results, read_published(options.published));
    ReportOutput output;
    output.folder = options.out.empty() ? options.results / "report" : options.out;
    std::error_code ec;
    fs::create_directories(output.folder / "tables", ec);
    if (ec) throw Error(fmt::format("cannot create report folder {}: {}", output.folder.string(), ec.message()));
    for (const RunRecord& r : results.runs) {
        ++output.runs;
        output.errors += r.status == RunStatus::error;
        output.not_applicable += r.status == RunStatus::not_applicable;
    }

    const auto final_stats = final_statistics(results, options.alpha);
    Table final = final_table(final_stats, options.alpha);
    final.note += own_penalty_note(results);
    output.final_markdown = to_markdown(final);
    const fs::path tables = output.folder / "tables";
    write_table_files(tables / "final", {final}, final_csv(final_stats), output.files);
    const auto target_stats = target_statistics(results, options.targets);
    const std::vector<Table> targets = target_tables(target_stats);
    write_table_files(tables / "targets", targets, targets_csv(target_stats), output.files);
    const auto metric_stats = metric_statistics(results, options.alpha);
    if (!metric_stats.empty())
        write_table_files(tables / "metrics", {metric_table(metric_stats, options.alpha)}, metrics_csv(metric_stats), output.files);
    const bool all_ok = output.errors + output.not_applicable == 0;
    if (!all_ok) write_table_files(tables / "status", {status_table(results)}, status_csv(results), output.files);
    // Read without a ResultStore, which would need the results folder to be writable.
    const fs::path plan_file = options.results / "parts" / "plan.csv";
    const std::vector<RunSpec> plan = fs::exists(plan_file) ? read_plan(plan_file) : std::vector<RunSpec>{};
    const Table missing = missing_table(plan, results);

    const auto fixed_budget = fixed_budget_statistics(results, options.budget_fractions);
    const Table fixed_budget_summary = fixed_budget_table(fixed_budget, options.budget_fractions);
    write_table_files(tables / "fixed_budget", {fixed_budget_summary}, fixed_budget_csv(fixed_budget), output.files);
    const ProfileProblems profile_set = profile_problems(results);
    std::vector<Profiles> profile_curves;
    for (double tolerance : options.profile_tolerances) profile_curves.push_back(profiles(results, profile_set, tolerance));
    const Table profile_summary = profile_table(profile_curves, profile_set.problems.size());
    if (!profile_set.problems.empty()) {
        write_table_files(tables / "profiles", {profile_summary}, profile_csv(profile_curves, profile_set.problems.size()),
                          output.files);
        for (const auto& [file, csv] : {std::pair{"profile_curves.csv", profile_curves_csv(profile_curves)},
                                        std::pair{"profile_runs.csv", profile_runs_csv(results, profile_set, profile_curves)}}) {
            write_file_atomically(tables / file, csv);
            output.files.push_back(tables / file);
        }
    }

    const fs::path plots_folder = output.folder / "plots";
    output.plots = write_plots(results, plots_folder, options.plots);
    // Rankings across problems (ranking.hpp): tables, and a critical-difference diagram per set.
    const RankOptions rank_options{options.rank_by, options.alpha, options.plots.seed};
    const std::vector<Ranking> rankings = rank_optimizers(results, rank_options);
    const Table ranking = ranking_table(rankings, rank_options);
    const std::vector<Table> pairs = pair_tables(rankings, rank_options);
    if (!rankings.empty()) {
        write_table_files(tables / "ranking", {ranking}, ranking_csv(rankings, rank_options), output.files);
        write_file_atomically(tables / "ranking_scores.csv", scores_csv(rankings, rank_options));
        output.files.push_back(tables / "ranking_scores.csv");
    }
    if (!pairs.empty()) write_table_files(tables / "ranking_pairs", pairs, pairs_csv(rankings, rank_options), output.files);
    for (Plot& plot : write_critical_difference_plots(results, rankings, plots_folder)) output.plots.push_back(std::move(plot));
    for (Plot& plot : write_fixed_budget_plots(results, plots_folder, options.budget_fractions))
        output.plots.push_back(std::move(plot));
    if (!profile_set.problems.empty())
        for (Plot& plot : write_profile_plots(results, profile_curves, profile_set.problems.size(), plots_folder))
            output.plots.push_back(std::move(plot));
    std::string render_note;
    if (!options.render) {
        render_note = "Plots were not rendered (asked not to).";
    } else if (!gnuplot_available()) {
        render_note = "gnuplot was not found, so the plots are scripts and data only: install gnuplot "
                      "(Debian: gnuplot-nox) and run `gnuplot NAME.gp` in plots/.";
        fmt::print(stderr, "warning: {}\n", render_note);
    } else {
        render_plots(plots_folder, output.plots);
        output.rendered = true;
    }
    output.coco_folders = write_coco_export(results, output.folder / "coco");
    const CecComparison cec = cec_comparison(results, options.reference, options.alpha);
    if (!cec.rows.empty()) {
        write_table_files(tables / "cec", {cec_table(cec)}, cec_csv(cec), output.files);
        output.cec_files = write_cec_result_files(results, output.folder / "cec");
    }
    if (!published.empty())
        write_table_files(tables / "published", {published_table(published)}, published_csv(published), output.files);

    std::string md = fmt::format("# optbench report: {}\n\n", options.results.string());
    if (const std::string key = manifest_campaign_key(options.results); !key.empty()) md += fmt::format("Campaign: `{}`\n\n", key);
    md += fmt::format("{} of {} on {}: {} ok, {} error, {} not_applicable.\n\n", counted(output.runs, "run"),
                      counted(results.optimizers.size(), "optimizer"), counted(results.problems.size(), "problem"),
                      output.runs - output.errors - output.not_applicable, output.errors, output.not_applicable);
    if (!missing.rows.empty())
        md += fmt::format("> **Incomplete:** {} of the campaign's {} planned runs are done; the others are listed "
                          "under \"Planned runs not in runs.csv\".\n\n",
                          output.runs, plan.size());
    if (const fs::path provenance = options.results / "provenance.csv"; fs::exists(provenance))
        if (const std::string differences = build_differences(read_csv(provenance)); !differences.empty())
            md += fmt::format("> **Mixed builds:** {}. provenance.csv names the build of each run.\n\n",
                              differences);
    if (!all_ok)
        md += fmt::format("> **Note:** {} ended with status error and {} with not_applicable. They are "
                          "counted in the tables, excluded from the final-value statistics (runtimes count the "
                          "runs that ended in error as unsuccessful unless they reached the target first), and "
                          "listed under \"Runs that did not finish ok\".\n\n",
                          counted(output.errors, "run"), output.not_applicable);
    md += "## Final values\n\n" + output.final_markdown + "\n## Evaluations to targets\n\n";
    for (const Table& t : targets) md += to_markdown(t) + "\n";
    md += "## Fixed budget\n\n" + to_markdown(fixed_budget_summary) + "\n";
    if (!profile_set.problems.empty()) {
        md += "## Data and performance profiles\n\n" + to_markdown(profile_summary) + "\n";
        if (profile_set.instances_without_value)
            md += fmt::format("Left out: {} where no run logged a finite value (no f_L).\n\n",
                              counted(profile_set.instances_without_value, "instance"));
    }
    if (!metric_stats.empty()) md += "## Hold-out metrics\n\n" + to_markdown(metric_table(metric_stats, options.alpha)) + "\n";
    if (!all_ok) md += "## Runs that did not finish ok\n\n" + to_markdown(status_table(results)) + "\n";
    if (!missing.rows.empty()) md += "## Planned runs not in runs.csv\n\n" + to_markdown(missing) + "\n";
    if (!cec.rows.empty())
        md += "## CEC-style results\n\n" + to_markdown(cec_table(cec)) +
              fmt::format("\nThe errors of every run at the competitions' checkpoints ({} of the budget) are in "
                          "cec/, one file per optimizer, function and dimension: a line per checkpoint, a "
                          "column per run.\n\n",
                          fmt::join(cec_checkpoint_fractions(), ", "));
    if (!published.empty())
        md += fmt::format("## Published values\n\nFrom {}.\n\n", options.published.filename().string()) +
              to_markdown(published_table(published)) + "\n";
    if (!rankings.empty()) {
        md += "## Rankings across problems\n\n" + to_markdown(ranking) + "\n";
        for (const Table& t : pairs) md += to_markdown(t) + "\n";
        md += plot_section(output.plots, PlotKind::critical_difference, "Critical-difference diagrams", output.rendered);
    }
    md += "## Plots\n\n";
    if (!render_note.empty()) md += render_note + "\n\n";
    md += plot_section(output.plots, PlotKind::convergence, "Convergence", output.rendered);
    md += plot_section(output.plots, PlotKind::ecdf, "Runtime ECDFs", output.rendered);
    md += plot_section(output.plots, PlotKind::figure, "Figures of declared stats", output.rendered);
    md += plot_section(output.plots, PlotKind::fixed_budget, "Fixed-budget ECDFs", output.rendered);
    md += plot_section(output.plots, PlotKind::profile, "Data and performance profiles", output.rendered);
    md += plot_section(output.plots, PlotKind::holdout, "Hold-out metrics along the runs", output.rendered);
    if (!output.coco_folders.empty()) {
        md += "## COCO export\n\nThe runs of COCO suites are exported in COCO's data format (one folder per optimizer), "
              "which COCO's post-processing reads:\n\n```\npython -m cocopp";
        for (const fs::path& f : output.coco_folders) md += " " + fs::relative(f, output.folder).string();
        md += "\n```\n\nEvaluations are budget cost units; runs that ended in error are exported with what "
              "they logged, as the runtimes above count them (a crashed process logged nothing); the .dat files are "
              "target-triggered (20 levels per decade of best f - f_opt), the .tdat files budget-triggered.\n\n";
    }
    md += method_text;
    if (!rankings.empty()) md += ranking_method_text(rank_options);
    md += fixed_budget_method(options.budget_fractions) + profiles_method(options.profile_tolerances);
    write_file_atomically(output.folder / "report.md", md);
    output.files.push_back(output.folder / "report.md");
    write_file_atomically(output.folder / "index.html",
                          html_page({md, output.folder, results.problems, options.results / "manifest.json"}));
    output.files.push_back(output.folder / "index.html");
    return output;
}

}  // namespace optbench::host
