#include "report/tables.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "optbench/sdk/objective.hpp"
#include "results/csv.hpp"

namespace optbench::host::report {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string strip_exponent_padding(std::string text) {
    const std::size_t e = text.find('e');
    if (e == std::string::npos) return text;
    std::string mantissa = text.substr(0, e), exponent = text.substr(e + 1);
    const bool negative = exponent[0] == '-';
    if (exponent[0] == '+' || exponent[0] == '-') exponent.erase(0, 1);
    exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
    return mantissa + "e" + (negative ? "-" : "") + exponent;
}

std::string format_p(double p) {
    if (std::isnan(p)) return "-";
    return strip_exponent_padding(fmt::format("{:.2g}", p));
}

std::string summary_cell(const Summary& s) { return s.n ? format_number(s.median) : "-"; }


std::string escape_markdown(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

const std::pair<std::string_view, std::string_view> latex_symbols[] = {
    {"∞", "$\\infty$"}, {"≤", "$\\le$"}, {"±", "$\\pm$"}};

std::string escape_latex(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto symbol = std::find_if(std::begin(latex_symbols), std::end(latex_symbols),
                                         [&](const auto& s) { return text.compare(i, s.first.size(), s.first) == 0; });
        if (symbol != std::end(latex_symbols)) {
            out += symbol->second;
            i += symbol->first.size() - 1;
        } else if (std::string_view("&%$#_{}").find(c) != std::string_view::npos) {
            out += '\\';
            out += c;
        } else if (c == '~') {
            out += "\\textasciitilde{}";
        } else if (c == '^') {
            out += "\\textasciicircum{}";
        } else if (c == '\\') {
            out += "\\textbackslash{}";
        } else if (c == '|') {
            out += "\\textbar{}";
        } else if (c == '<' || c == '>') {
            out += fmt::format("\\text{}{{}}", c == '<' ? "less" : "greater");
        } else {
            out += c;
        }
    }
    return out;
}

std::string csv_summary_fields(const Summary& s) {
    return fmt::format("{},{},{},{},{},{},{}", s.n, csv_number(s.median), csv_number(s.q1),
                       csv_number(s.q3), csv_number(s.n ? s.iqr() : nan), csv_number(s.mean),
                       csv_number(s.std));
}

}  // namespace

std::string format_number(double value, int significant_digits) {
    if (std::isnan(value)) return "-";
    if (std::isinf(value)) return value > 0 ? "∞" : "-∞";
    return strip_exponent_padding(fmt::format("{:.{}g}", value, significant_digits));
}

Table final_table(const std::vector<FinalStats>& stats, double alpha) {
    Table t;
    t.title = "Final value per problem and optimizer (error = best f - f_opt; best f where f_opt is unknown)";
    t.note = fmt::format(
        "Statistics over the runs with status ok (runs = ok + error + n/a; error and n/a runs are "
        "counted, not used). IQR = q3 - q1 (quantiles by linear interpolation). **Bold**: the best "
        "median on the problem. p: one-sided Mann-Whitney U test that the best is smaller (exact "
        "without ties, normal approximation with tie correction otherwise), Holm-adjusted over the "
        "problem's optimizers; * marks significantly worse than the best at alpha = {}. used: median "
        "budget cost units spent; wall s: median wall-clock seconds per run.{}",
        alpha,
        std::any_of(stats.begin(), stats.end(), [](const FinalStats& s) { return s.unoptimized; })
            ? " (unoptimized): some of the runs used a plugin compiled without optimisation (provenance.csv "
              "says which), so their wall times do not compare with the others'."
            : "");
    t.header = {"problem", "optimizer", "runs", "ok", "error", "n/a", "value",
                "median",  "IQR",       "mean", "std", "p vs best", "used", "wall s"};
    t.align = "llrrrrlrrrrlrr";
    std::string previous;
    for (const FinalStats& s : stats) {
        if (s.problem != previous) t.group_starts.push_back(t.rows.size());
        previous = s.problem;
        std::string versus = s.best ? "best" : format_p(s.p_holm);
        if (s.significantly_worse) versus += " *";
        t.rows.push_back({{s.problem},
                          {s.optimizer},
                          {std::to_string(s.runs)},
                          {std::to_string(s.ok)},
                          {std::to_string(s.errors)},
                          {std::to_string(s.not_applicable)},
                          {measure_name(s.measure)},
                          {summary_cell(s.value), s.best},
                          {s.value.n ? format_number(s.value.iqr()) : "-"},
                          {format_number(s.value.mean)},
                          {format_number(s.value.std)},
                          {versus},
                          {s.cost.n ? format_number(s.cost.median) : "-"},
                          {s.wall_s.n ? format_number(s.wall_s.median) + (s.unoptimized ? " (unoptimized)" : "") : "-"}});
    }
    return t;
}

std::string own_penalty_note(const ResultSet& results) {
    std::map<std::string, std::set<double>> coefficients;
    for (const RunRecord& run : results.runs) {
        const auto stats = results.stats.find(run.spec.run_id);
        if (stats == results.stats.end()) continue;
        const auto rows = stats->second.find(sdk::own_penalty_stat);
        if (rows == stats->second.end()) continue;
        for (const StatRow& row : rows->second)
            if (row.value != 0) coefficients[run.optimizer].insert(row.value);
    }
    std::string note;
    for (const std::string& optimizer : results.optimizers) {
        const auto found = coefficients.find(optimizer);
        if (found == coefficients.end()) continue;
        std::vector<std::string> values;
        for (double v : found->second) values.push_back(format_number(v));
        note += fmt::format("\n\n**Another objective:** `{}` adds a penalty of its own to the problem's objective "
                            "({} {}), so it minimises another function than the problem's; its values above are the "
                            "problem's objective at its points.",
                            optimizer, sdk::own_penalty_stat, fmt::join(values, ", "));
    }
    return note;
}

Table cec_table(const CecComparison& c) {
    Table t;
    t.title = "Final error per function and dimension (CEC style)";
    std::vector<std::string> counts;
    for (const auto& [optimizer, wtl] : c.wins_ties_losses)
        counts.push_back(fmt::format("{} {}/{}/{}", optimizer, wtl[0], wtl[1], wtl[2]));
    t.note = fmt::format(
        "Final error f - f_opt over the ok runs, errors below {} counted as 0. **Bold**: the lowest mean "
        "of the row. vs {}: Wilcoxon rank-sum test (two-sided, alpha = {}) of each optimizer against "
        "the reference: + significantly lower errors, - significantly higher, = no significant "
        "difference. +/=/- counts: {}.",
        format_number(cec_zero_error), c.reference, c.alpha, counts.empty() ? "none" : fmt::format("{}", fmt::join(counts, "; ")));
    t.header = {"suite", "F", "D", "optimizer", "runs", "best", "worst", "median", "mean", "std", "vs " + c.reference};
    t.align = "lrrlrrrrrrl";
    for (const CecRow& row : c.rows) {
        t.group_starts.push_back(t.rows.size());
        double lowest = std::numeric_limits<double>::infinity();
        for (const CecCell& cell : row.cells) lowest = std::min(lowest, cell.mean);
        for (const CecCell& cell : row.cells)
            t.rows.push_back({{row.suite},
                              {std::to_string(row.function)},
                              {std::to_string(row.dim)},
                              {cell.optimizer},
                              {std::to_string(cell.runs)},
                              {format_number(cell.best)},
                              {format_number(cell.worst)},
                              {format_number(cell.median)},
                              {format_number(cell.mean), cell.mean == lowest},
                              {format_number(cell.std)},
                              {std::string(1, cell.versus)}});
    }
    return t;
}

std::vector<Table> target_tables(const std::vector<TargetStats>& stats) {
    // Targets that look alike at 4 digits (e.g. two optimizers' median best f) get as many
    // digits as tell them apart: one column per target.
    std::map<std::string, std::set<double>> targets_of;
    for (const TargetStats& s : stats) targets_of[s.problem].insert(s.target);
    std::map<std::string, int> digits_of;
    for (const auto& [problem, targets] : targets_of) {
        int digits = 4;
        const auto distinct = [&] {
            std::set<std::string> texts;
            for (double t : targets) texts.insert(format_number(t, digits));
            return texts.size() == targets.size();
        };
        while (digits < 17 && !distinct()) ++digits;
        digits_of[problem] = digits;
    }
    std::vector<Table> tables;
    std::map<std::string, std::size_t> table_of;
    std::map<std::pair<std::string, std::string>, std::size_t> row_of;
    for (const TargetStats& s : stats) {
        auto [it, added] = table_of.try_emplace(s.problem, tables.size());
        if (added) {
            Table t;
            t.title = fmt::format("Evaluations to reach targets on {} ({} targets)", s.problem,
                                  measure_name(s.measure));
            // The cell format is explained once, under the first problem's table.
            if (tables.empty())
                t.note = "Cell: aRT [median] k/n. aRT is COCO's average runtime: the evaluations of all "
                         "runs (up to the target for those that reached it) divided by the number "
                         "that reached it (∞: none did). [median]: median evaluations to the target "
                         "over the runs that reached it. k/n: runs that reached it / runs (status ok or "
                         "error: a run that ended in error counts with the evaluations it recorded). "
                         "Evaluations are in budget cost units. **Bold**: lowest aRT per target.";
            t.header = {"optimizer"};
            t.align = "l";
            tables.push_back(std::move(t));
        }
        Table& t = tables[it->second];
        const std::string target_header =
            fmt::format("{} ≤ {}", measure_name(s.measure), format_number(s.target, digits_of[s.problem]));
        if (std::find(t.header.begin(), t.header.end(), target_header) == t.header.end()) {
            t.header.push_back(target_header);
            t.align += 'r';
        }
        auto [row, new_row] = row_of.try_emplace({s.problem, s.optimizer}, t.rows.size());
        if (new_row) t.rows.push_back({{s.optimizer}});
        std::string text = s.runs == 0 ? "no run"
                                       : fmt::format("{} [{}] {}/{}", format_number(s.art),
                                                     summary_cell(s.evals_to_target), s.successes, s.runs);
        t.rows[row->second].push_back({text, s.best});
    }
    return tables;
}

Table metric_table(const std::vector<MetricStats>& stats, double alpha) {
    Table t;
    t.title = "Hold-out metrics (never seen by the optimizer) of the final point, and validation-selected";
    t.note = fmt::format(
        "Over the ok runs. X: at the final best-so-far point; selected_X: at the run's hold-out checkpoint "
        "where the problem's selection metric (e.g. the validation loss) was best, selected_evals its "
        "evaluations. **Bold**: best median per problem and metric, in the direction the problem declares "
        "(higher is better where marked, lower otherwise). p: one-sided Mann-Whitney U test that the best "
        "is better, Holm-adjusted over the problem's optimizers; * marks significantly worse than the best "
        "at alpha = {}.",
        alpha);
    t.header = {"problem", "optimizer", "metric", "n", "median", "IQR", "mean", "std", "p vs best"};
    t.align = "lllrrrrrl";
    std::string previous;
    for (const MetricStats& s : stats) {
        if (s.problem + s.metric != previous) t.group_starts.push_back(t.rows.size());
        previous = s.problem + s.metric;
        std::string versus = s.best ? "best" : format_p(s.p_holm);
        if (s.significantly_worse) versus += " *";
        t.rows.push_back({{s.problem},
                          {s.optimizer},
                          {s.metric + (s.higher_is_better.value_or(false) ? " (higher is better)" : "")},
                          {std::to_string(s.value.n)},
                          {summary_cell(s.value), s.best},
                          {s.value.n ? format_number(s.value.iqr()) : "-"},
                          {format_number(s.value.mean)},
                          {format_number(s.value.std)},
                          {versus}});
    }
    return t;
}

namespace {

using StatusKey = std::tuple<std::string, std::string, std::string, std::string>;

std::vector<std::pair<StatusKey, std::size_t>> status_counts(const ResultSet& results) {
    std::vector<std::pair<StatusKey, std::size_t>> counts;  // in order of first appearance
    std::map<StatusKey, std::size_t> position;
    for (const RunRecord& r : results.runs) {
        if (r.ok()) continue;
        const StatusKey key{r.problem, r.optimizer, std::string(name_of(r.status)), r.message};
        const auto [it, added] = position.try_emplace(key, counts.size());
        if (added) counts.emplace_back(key, 0);
        ++counts[it->second].second;
    }
    return counts;
}

}  // namespace

Table status_table(const ResultSet& results) {
    Table t;
    t.title = "Runs that did not finish with status ok";
    t.note = "error: the run failed (crash, exception, timeout); not_applicable: the optimizer cannot "
             "run on this problem. These runs are excluded from the statistics above.";
    t.header = {"problem", "optimizer", "status", "runs", "message"};
    t.align = "lllrl";
    for (const auto& [key, count] : status_counts(results)) {
        const auto& [problem, optimizer, status, message] = key;
        t.rows.push_back({{problem}, {optimizer}, {status}, {std::to_string(count)}, {message}});
    }
    return t;
}

Table missing_table(const std::vector<RunSpec>& plan, const ResultSet& results) {
    Table t;
    t.title = "Planned runs not in runs.csv";
    t.note = "The campaign has not finished: `optbench run` with the same campaign and --out resumes it.";
    t.header = {"problem", "optimizer", "missing runs", "reps"};
    t.align = "llrl";
    std::map<std::pair<std::string, std::string>, std::vector<int>> missing;
    std::vector<std::pair<std::string, std::string>> order;
    for (const RunSpec& run : plan) {
        if (results.find(run.run_id) != nullptr) continue;
        const std::pair key{run.problem.text(), run.optimizer.text()};
        if (!missing.contains(key)) order.push_back(key);
        missing[key].push_back(run.rep);
    }
    for (const auto& key : order) {
        const std::vector<int>& reps = missing[key];
        t.rows.push_back(
            {{key.first}, {key.second}, {std::to_string(reps.size())}, {fmt::format("{}", fmt::join(reps, ", "))}});
    }
    return t;
}

std::string to_markdown(const Table& table) {
    std::string out = fmt::format("**{}**\n\n|", table.title);
    for (const std::string& h : table.header) out += " " + escape_markdown(h) + " |";
    out += "\n|";
    for (char a : table.align) out += a == 'r' ? "---:|" : "---|";
    out += "\n";
    for (const auto& row : table.rows) {
        out += "|";
        for (const Cell& c : row) {
            const std::string text = escape_markdown(c.text);
            out += " " + (c.best ? "**" + text + "**" : text) + " |";
        }
        out += "\n";
    }
    if (table.rows.empty()) {
        out += "| (none) |";
        for (std::size_t i = 1; i < table.header.size(); ++i) out += " |";
        out += "\n";
    }
    if (!table.note.empty()) out += "\n" + table.note + "\n";
    return out;
}

std::string to_latex(const Table& table) {
    std::string out = "\\begin{table}[htbp]\n\\centering\n\\small\n";
    out += fmt::format("\\caption{{{}}}\n\\begin{{tabular}}{{{}}}\n\\toprule\n", escape_latex(table.title), table.align);
    for (std::size_t i = 0; i < table.header.size(); ++i)
        out += (i ? " & " : "") + escape_latex(table.header[i]);
    out += " \\\\\n\\midrule\n";
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (r > 0 && std::find(table.group_starts.begin(), table.group_starts.end(), r) !=
                         table.group_starts.end())
            out += "\\midrule\n";
        for (std::size_t i = 0; i < table.rows[r].size(); ++i) {
            const Cell& c = table.rows[r][i];
            const std::string text = escape_latex(c.text);
            out += (i ? " & " : "") + (c.best ? "\\textbf{" + text + "}" : text);
        }
        out += " \\\\\n";
    }
    out += "\\bottomrule\n\\end{tabular}\n";
    if (!table.note.empty()) {
        std::string note = table.note;
        for (std::size_t at; (at = note.find("**")) != std::string::npos;) note.erase(at, 2);
        out += "\\par\\smallskip\\footnotesize " + escape_latex(note) + "\n";
    }
    return out + "\\end{table}\n";
}

std::string final_csv(const std::vector<FinalStats>& stats) {
    std::string out = csv_line({"problem", "optimizer", "measure", "runs", "ok", "error", "not_applicable",
                                "n", "median", "q1", "q3", "iqr", "mean", "std", "best", "p_value",
                                "p_holm", "significantly_worse", "median_cost", "median_wall_s"});
    for (const FinalStats& s : stats)
        out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(s.problem), csv_field(s.optimizer),
                           csv_field(measure_name(s.measure)), s.runs, s.ok, s.errors, s.not_applicable,
                           csv_summary_fields(s.value), s.best ? 1 : 0, csv_number(s.p_value),
                           csv_number(s.p_holm), s.significantly_worse ? 1 : 0, csv_number(s.cost.median),
                           csv_number(s.wall_s.median));
    return out;
}

std::string cec_csv(const CecComparison& c) {
    std::string out = csv_line({"suite", "function", "dim", "optimizer", "runs", "best", "worst", "median", "mean",
                                "std", "reference", "versus_reference"});
    for (const CecRow& row : c.rows)
        for (const CecCell& cell : row.cells)
            out += csv_line({row.suite, std::to_string(row.function), std::to_string(row.dim), cell.optimizer,
                             std::to_string(cell.runs), csv_number(cell.best), csv_number(cell.worst),
                             csv_number(cell.median), csv_number(cell.mean), csv_number(cell.std), c.reference,
                             cell.versus == ' ' ? "" : std::string(1, cell.versus)});
    return out;
}

std::string targets_csv(const std::vector<TargetStats>& stats) {
    std::string out = csv_line({"problem", "optimizer", "measure", "target", "runs", "successes",
                                "success_rate", "art", "n_successful", "median_evals", "q1_evals",
                                "q3_evals", "iqr_evals", "mean_evals", "std_evals", "best"});
    for (const TargetStats& s : stats)
        out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_field(s.problem), csv_field(s.optimizer),
                           csv_field(measure_name(s.measure)), csv_number(s.target), s.runs, s.successes,
                           csv_number(s.runs ? static_cast<double>(s.successes) / static_cast<double>(s.runs) : nan),
                           csv_number(s.art), csv_summary_fields(s.evals_to_target), s.best ? 1 : 0);
    return out;
}

std::string metrics_csv(const std::vector<MetricStats>& stats) {
    std::string out = csv_line({"problem", "optimizer", "metric", "higher_is_better", "n", "median",
                                "q1", "q3", "iqr", "mean", "std", "best", "p_value", "p_holm"});
    for (const MetricStats& s : stats)
        out += fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(s.problem), csv_field(s.optimizer),
                           csv_field(s.metric), s.higher_is_better ? std::to_string(*s.higher_is_better) : "", csv_summary_fields(s.value),
                           s.best ? 1 : 0, csv_number(s.p_value), csv_number(s.p_holm));
    return out;
}

std::string status_csv(const ResultSet& results) {
    std::string out = csv_line({"problem", "optimizer", "status", "runs", "message"});
    for (const auto& [key, count] : status_counts(results)) {
        const auto& [problem, optimizer, status, message] = key;
        out += csv_line({problem, optimizer, status, std::to_string(count), message});
    }
    return out;
}

}  // namespace optbench::host::report
