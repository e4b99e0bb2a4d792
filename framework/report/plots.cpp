#include "report/plots.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "results/csv.hpp"
#include "base/error.hpp"
#include "report/tables.hpp"
#include "report/fixed_budget.hpp"
#include "report/profiles.hpp"
#include "base/text.hpp"

namespace optbench::host::report {

namespace fs = std::filesystem;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale
// print; yellow is left out (unreadable on white).
const char* const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
constexpr std::size_t palette_size = std::size(palette);

std::string line_style(std::size_t i) {
    return fmt::format("lc rgb \"{}\" dt {}", palette[i % palette_size], 1 + i / palette_size);
}

// An optimizer's look in every plot of a report, from its place among the results'
// optimizers: the same colour, dash pattern and marker wherever it appears, and two curves
// that lie on each other still both show (their dashes and markers differ).
struct OptimizerStyle {
    std::string line;    // colour and dash pattern
    std::string marker;  // point type
};
OptimizerStyle optimizer_style(const ResultSet& results, const std::string& optimizer) {
    const auto at = std::find(results.optimizers.begin(), results.optimizers.end(), optimizer);
    const auto i = static_cast<std::size_t>(at - results.optimizers.begin());
    constexpr int dash_patterns = 5;
    constexpr int markers[] = {7, 5, 9, 11, 13, 1, 2, 3};  // filled circle, square, triangle, ..., plus, cross, star
    return {fmt::format("lc rgb \"{}\" dt {}", palette[i % palette_size], 1 + static_cast<int>(i) % dash_patterns),
            fmt::format("pt {}", markers[i % std::size(markers)])};
}

std::string gp_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

// The common frame of every script: the body is drawn once per output format.
std::string script(const std::string& name, const std::string& title, int width, int height,
                   const std::string& body) {
    return fmt::format(
        "# {title}\n"
        "# Written by optbench report. Re-render in this folder with: gnuplot {name}.gp\n"
        "reset\n"
        "do for [ext in \"png svg\"] {{\n"
        "    if (ext eq \"png\") {{\n"
        "        set terminal pngcairo noenhanced size {w},{h} font \"Sans,11\"\n"
        "    }} else {{\n"
        "        set terminal svg noenhanced size {w},{h} dynamic font \"Sans,11\" background rgb \"white\"\n"
        "    }}\n"
        "    set output \"{name}.\".ext\n"
        "{body}"
        "    unset output\n"
        "}}\n",
        fmt::arg("title", title), fmt::arg("name", name), fmt::arg("w", width), fmt::arg("h", height),
        fmt::arg("body", body));
}

// gnuplot cannot place a log axis below about 1e-300 (subnormal values read as 0), so
// smaller values, zeros and negatives share the axis floor.
constexpr double smallest_drawn = 1e-300;

struct Axis {
    bool log = false;
    double floor = 0;  // on a log axis, values below smallest_drawn are drawn here
};

// Log scale when the drawable data span a decade or more.
Axis choose_axis(const std::vector<double>& values) {
    double low = std::numeric_limits<double>::infinity(), high = 0;
    bool undrawable = false;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        if (v < smallest_drawn) undrawable = true;
        else low = std::min(low, v), high = std::max(high, v);
    }
    Axis axis;
    axis.log = high > 0 && high / low >= 10;
    if (axis.log && undrawable) axis.floor = std::max(low / 10, smallest_drawn);
    return axis;
}

double on_axis(const Axis& axis, double v) { return axis.log && v < smallest_drawn ? axis.floor : v; }

// Evaluation counts read best as plain numbers (1, 10, ..., 1e+06); values as powers of ten.
std::string axis_commands(char name, const Axis& axis) {
    const char* format = axis.log && name == 'y' ? "%.0e" : "% g";
    return fmt::format("    {}set logscale {}{}\n    set format {} \"{}\"\n", axis.log ? "" : "un", name,
                       axis.log ? " 10" : "", name, format);
}

// gnuplot refuses to plot no data at all: an empty frame that says why stands in for it.
std::string nothing_to_draw(const std::string& why) {
    return fmt::format(
        "    unset logscale\n"
        "    set xrange [0:1]\n"
        "    set yrange [0:1]\n"
        "    set label 1 {} at graph 0.5, 0.5 center\n"
        "    plot -1 notitle\n",
        gp_string(why));
}

std::string floor_note(const Axis& axis) {
    return axis.floor > 0 ? fmt::format(" (values below {} drawn at {})", format_number(smallest_drawn),
                                        format_number(axis.floor))
                          : "";
}

// Where the best-so-far values are sampled: every trace row's cost when there are few enough
// (the median and quartiles are then exact step functions), else 50 points per decade.
std::vector<double> evaluation_grid(const std::vector<std::vector<const RunRecord*>>& groups, double low,
                                    double high, bool log) {
    constexpr std::size_t max_points = 3000;
    std::vector<double> grid;
    for (const auto& runs : groups)
        for (const RunRecord* r : runs)
            for (const TraceRow& t : r->trace) grid.push_back(t.cost);
    std::sort(grid.begin(), grid.end());
    grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    if (grid.size() > max_points) {
        grid.clear();
        if (log) {
            for (int k = static_cast<int>(std::floor(50 * std::log10(low)));
                 k <= static_cast<int>(std::ceil(50 * std::log10(high))); ++k)
                grid.push_back(std::clamp(std::pow(10.0, k / 50.0), low, high));
        } else {
            for (int k = 0; k <= 1000; ++k) grid.push_back(low + (high - low) * k / 1000.0);
        }
        grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    }
    return grid;
}

struct Band {
    std::string optimizer;
    std::size_t runs = 0;
    std::vector<std::array<double, 4>> rows;  // evaluations, median, q1, q3
};

Plot convergence_plot(const ResultSet& results, const std::string& problem, const std::string& name,
                      const fs::path& folder) {
    const Measure measure = results.measure(problem);
    double low = std::numeric_limits<double>::infinity(), high = 0;
    std::vector<std::pair<std::string, std::vector<const RunRecord*>>> groups;
    for (const std::string& optimizer : results.optimizers) {
        std::vector<const RunRecord*> runs;
        for (const RunRecord* r : results.runs_of(problem, optimizer))
            if (r->ok() && !r->trace.empty()) {
                runs.push_back(r);
                low = std::min(low, std::max(r->trace.front().cost, 1e-12));
                high = std::max(high, r->trace.back().cost);
            }
        if (!runs.empty()) groups.emplace_back(optimizer, std::move(runs));
    }
    const Axis x_axis = choose_axis({low, high});
    std::vector<std::vector<const RunRecord*>> run_lists;
    for (const auto& group : groups) run_lists.push_back(group.second);
    const std::vector<double> grid = evaluation_grid(run_lists, low, high, x_axis.log);
    std::vector<Band> bands;
    std::vector<double> all_values;
    std::size_t max_runs = 0;
    std::size_t min_runs = std::numeric_limits<std::size_t>::max();
    for (const auto& [optimizer, runs] : groups) {
        Band band;
        band.optimizer = optimizer;
        band.runs = runs.size();
        max_runs = std::max(max_runs, runs.size());
        min_runs = std::min(min_runs, runs.size());
        for (double x : grid) {
            std::vector<double> values;
            for (const RunRecord* r : runs) values.push_back(best_at(measure, *r, x));
            // Before every run has its first row the median would describe a subset.
            if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) continue;
            const Summary s = summarize(values);
            if (!std::isfinite(s.median)) continue;
            band.rows.push_back({x, s.median, s.q1, s.q3});
            all_values.insert(all_values.end(), {s.median, s.q1, s.q3});
        }
        bands.push_back(std::move(band));
    }
    const Axis y_axis = choose_axis(all_values);

    std::string data = fmt::format("# best-so-far {} on {}: evaluations, median, q1, q3 over runs\n",
                                   measure_name(measure), problem);
    const auto data_row = [&](double x, const std::array<double, 4>& row) {
        return fmt::format("{} {} {} {}\n", csv_number(x), csv_number(on_axis(y_axis, row[1])),
                           csv_number(on_axis(y_axis, row[2])), csv_number(on_axis(y_axis, row[3])));
    };
    for (const Band& band : bands) {
        data += fmt::format("# {} ({} runs)\n", band.optimizer, band.runs);
        // Each value holds until the next sample: a staircase, as best-so-far values are.
        for (std::size_t i = 0; i < band.rows.size(); ++i) {
            if (i > 0) data += data_row(band.rows[i][0], band.rows[i - 1]);
            data += data_row(band.rows[i][0], band.rows[i]);
        }
        data += "\n\n";
    }
    write_file_atomically(folder / (name + ".dat"), data);

    // An unfinished campaign or failed runs leave optimizers with different run counts: the key
    // then gives each one's count.
    const bool counts_differ = min_runs != max_runs;
    const std::string title =
        max_runs == 0   ? fmt::format("Convergence on {}: no run finished ok", problem)
        : counts_differ ? fmt::format("Convergence on {}: median (line) and interquartile range (band) over "
                                      "each optimizer's runs",
                                      problem)
        : max_runs == 1 ? fmt::format("Convergence on {}: one run per optimizer", problem)
                        : fmt::format("Convergence on {}: median (line) and interquartile range (band) over "
                                      "{} runs per optimizer",
                                      problem, max_runs);
    std::string plot;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (bands[i].rows.empty()) continue;
        const OptimizerStyle style = optimizer_style(results, bands[i].optimizer);
        plot += fmt::format("{}{} index {} using 1:3:4 with filledcurves {} notitle, \"\" index {} using "
                            "1:2 with linespoints lw 2 {} {} pi -40 title {}",
                            plot.empty() ? "" : ", ", gp_string(name + ".dat"), i, style.line, i, style.line,
                            style.marker,
                            gp_string(counts_differ
                                          ? fmt::format("{} ({})", bands[i].optimizer, counted(bands[i].runs, "run"))
                                          : bands[i].optimizer));
    }
    const std::string body = fmt::format(
        "    set title {}\n"
        "    set xlabel \"evaluations (budget cost units)\"\n"
        "    set ylabel {}\n"
        "{}{}"
        "    set autoscale xfix\n"
        "    set grid\n"
        "    set key below horizontal width 2\n"
        "    set style fill transparent solid 0.2 noborder\n"
        "{}",
        gp_string(title),
        gp_string(measure == Measure::error ? "best-so-far error f - f_opt" + floor_note(y_axis)
                                            : "best-so-far f" + floor_note(y_axis)),
        axis_commands('x', x_axis), axis_commands('y', y_axis),
        plot.empty() ? nothing_to_draw("no run of this problem finished ok: see the status table")
                     : fmt::format("    plot {}\n", plot));
    write_file_atomically(folder / (name + ".gp"), script(name, title, 960, 640, body));
    return {name, title, PlotKind::convergence};
}

double median_of(std::vector<double> values) { return quantile(std::move(values), 0.5); }

Plot ecdf_plot(const ResultSet& results, std::size_t dim, std::uint64_t seed, const fs::path& folder) {
    std::size_t problems = 0;
    double max_budget = 1;
    for (const std::string& problem : results.problems) {
        if (results.measure(problem) != Measure::error) continue;
        bool counted = false;
        for (const RunRecord* r : results.runs_of(problem))
            if (r->ran() && r->spec.dim == dim) {
                max_budget = std::max(max_budget, r->cost);
                if (!counted) ++problems, counted = true;
            }
    }
    const double d = static_cast<double>(dim);
    const double max_x = std::ceil(std::log10(max_budget / d)) + 1;
    const auto curves = runtime_ecdf(results, dim, seed, max_x);
    // Fractional costs (minibatches of a finite sum) can reach a target below one evaluation.
    double min_x = std::floor(std::log10(1 / d));
    for (const EcdfCurve& curve : curves)
        if (std::isfinite(curve.steps.front().first)) min_x = std::min(min_x, std::floor(curve.steps.front().first));
    const std::string name = fmt::format("ecdf_dim{}", dim);

    std::string data = fmt::format("# runtime ECDF, dimension {}: log10(evaluations / dimension), fraction "
                                   "of (problem, target) pairs; then the budget cross\n",
                                   dim);
    std::string plot;
    for (std::size_t i = 0; i < curves.size(); ++i) {
        data += fmt::format("# {}\n{} 0\n", curves[i].optimizer, csv_number(min_x));
        for (const auto& [x, fraction] : curves[i].steps)
            data += fmt::format("{} {}\n", csv_number(x), csv_number(fraction));
        data += fmt::format("\n\n# {} budget\n{} {}\n\n\n", curves[i].optimizer, csv_number(curves[i].budget_x),
                            csv_number(curves[i].budget_fraction));
        const OptimizerStyle style = optimizer_style(results, curves[i].optimizer);
        plot += fmt::format("{}{} index {} using 1:2 with steps lw 2 {} title {}, \"\" index {} using 1:2 "
                            "with points pt 2 ps 2 lw 2 {} notitle",
                            plot.empty() ? "" : ", ", gp_string(name + ".dat"), 2 * i, style.line,
                            gp_string(curves[i].optimizer), 2 * i + 1, style.line);
    }
    write_file_atomically(folder / (name + ".dat"), data);
    const std::string title =
        fmt::format("Runtime ECDF, dimension {}: {} problem{} x 51 targets (error 1e2 .. 1e-8), simulated restarts",
                    dim, problems, problems == 1 ? "" : "s");
    if (!plot.empty())
        plot += ", NaN with points pt 2 ps 2 lw 2 lc rgb \"#555555\" title \"median evaluations of a run\"";
    const std::string body = fmt::format(
        "    set title {}\n"
        "    set xlabel \"log10(evaluations / dimension)\"\n"
        "    set ylabel \"fraction of (problem, target) pairs reached\"\n"
        "    set xrange [{}:{}]\n"
        "    set yrange [0:1]\n"
        "    set grid\n"
        "    set key below horizontal width 2\n"
        "{}",
        gp_string(title), csv_number(min_x), csv_number(max_x),
        plot.empty() ? nothing_to_draw("no run in this dimension") : fmt::format("    plot {}\n", plot));
    write_file_atomically(folder / (name + ".gp"), script(name, title, 960, 640, body));
    return {name, title, PlotKind::ecdf};
}

// The stats an optimizer declares for its figure.
std::vector<StatDeclaration> figure_stats(const ResultSet& results, const RunRecord& run) {
    std::vector<StatDeclaration> stats;
    for (const StatDeclaration& s : results.declarations.optimizer(run.spec.optimizer.name).stats)
        if (s.in_figure) stats.push_back(s);
    return stats;
}

// The run whose figure is drawn for each optimizer (by name) that declares a figure: the one
// options.figure_runs names, else its first run with a trace and one of the figure's stats.
std::vector<const RunRecord*> figure_runs(const ResultSet& results, const PlotOptions& options) {
    std::vector<const RunRecord*> chosen;
    const auto optimizer_of = [&](const RunRecord* run) {
        return std::find_if(chosen.begin(), chosen.end(), [&](const RunRecord* c) {
            return c->spec.optimizer.name == run->spec.optimizer.name;
        });
    };
    for (const std::size_t id : options.figure_runs) {
        const RunRecord* run = results.find(id);
        if (!run)
            throw Error(fmt::format("--figure-run {}: no run with this run_id in {}", id,
                                    (results.dir / "runs.csv").string()));
        if (run->trace.empty())
            throw Error(fmt::format("--figure-run {}: the run has no trace to draw (status {})", id,
                                    name_of(run->status)));
        if (figure_stats(results, *run).empty())
            throw Error(fmt::format("--figure-run {}: its optimizer '{}' declares no stats for a figure", id,
                                    run->spec.optimizer.name));
        if (optimizer_of(run) != chosen.end())
            throw Error(fmt::format("--figure-run {}: another run of '{}' is named already", id,
                                    run->spec.optimizer.name));
        chosen.push_back(run);
    }
    std::vector<const RunRecord*> first;  // per optimizer, when none of its runs has the stats
    for (const RunRecord& r : results.runs) {
        if (r.trace.empty() || optimizer_of(&r) != chosen.end()) continue;
        const std::vector<StatDeclaration> stats = figure_stats(results, r);
        if (stats.empty()) continue;
        const auto same_optimizer = [&](const RunRecord* c) { return c->spec.optimizer.name == r.spec.optimizer.name; };
        if (std::none_of(first.begin(), first.end(), same_optimizer)) first.push_back(&r);
        const auto run_stats = results.stats.find(r.spec.run_id);
        if (run_stats != results.stats.end() &&
            std::any_of(stats.begin(), stats.end(), [&](const StatDeclaration& s) { return run_stats->second.count(s.name); }))
            chosen.push_back(&r);
    }
    for (const RunRecord* r : first)
        if (optimizer_of(r) == chosen.end()) chosen.push_back(r);
    std::sort(chosen.begin(), chosen.end(),
              [](const RunRecord* a, const RunRecord* b) { return a->spec.run_id < b->spec.run_id; });
    return chosen;
}

Plot figure_plot(const ResultSet& results, const RunRecord& run, const fs::path& folder) {
    const std::string name = portable_name(fmt::format("{}_run{}", run.spec.optimizer.name, run.spec.run_id));
    struct Panel {
        std::string title, ylabel;
        std::vector<std::pair<double, double>> points;
    };
    const Measure measure = std::isnan(run.f_opt) ? Measure::best_f : Measure::error;
    std::vector<Panel> panels = {{"Best-so-far loss", measure == Measure::error ? "error f - f_opt" : "loss f", {}}};
    for (const TraceRow& t : run.trace) panels[0].points.emplace_back(t.evals, measured(measure, run, t.best_f));
    const auto stats = results.stats.find(run.spec.run_id);
    const std::vector<StatDeclaration> declared = figure_stats(results, run);
    std::vector<std::string> missing;
    for (const StatDeclaration& stat : declared) {
        if (stats == results.stats.end() || !stats->second.count(stat.name)) {
            missing.push_back(stat.name);
            continue;
        }
        Panel panel{stat.doc, stat.name, {}};
        for (const StatRow& s : stats->second.at(stat.name)) panel.points.emplace_back(s.evals, s.value);
        panels.push_back(std::move(panel));
    }
    std::vector<double> xs;
    for (const Panel& p : panels)
        for (const auto& point : p.points) xs.push_back(point.first);
    const Axis x_axis = choose_axis(xs);
    const double low = xs.empty() ? 0 : *std::min_element(xs.begin(), xs.end());
    const double high = xs.empty() ? 1 : *std::max_element(xs.begin(), xs.end());

    std::string heading = fmt::format("{} on {} (run {}, repetition {})", run.optimizer, run.spec.problem.text(),
                                      run.spec.run_id, run.spec.rep);
    if (!missing.empty()) heading += fmt::format(": stats.csv has no {}", fmt::join(missing, " or "));
    std::string data = fmt::format("# {}: evaluations, value; one block per panel\n", heading);
    std::string body = fmt::format(
        "    set multiplot layout {},1 title {}\n"
        "    set grid\n"
        "    set key off\n"
        "    set xrange [{}:{}]\n"
        "{}",
        panels.size(), gp_string(heading), csv_number(x_axis.log ? std::max(low, 1.0) : low), csv_number(high),
        axis_commands('x', x_axis));
    for (std::size_t i = 0; i < panels.size(); ++i) {
        std::vector<double> ys;
        for (const auto& point : panels[i].points) ys.push_back(point.second);
        const Axis y_axis = choose_axis(ys);
        data += fmt::format("# {}\n", panels[i].title);
        for (const auto& [x, y] : panels[i].points)
            if (std::isfinite(y)) data += fmt::format("{} {}\n", csv_number(x), csv_number(on_axis(y_axis, y)));
        data += "\n\n";
        body += fmt::format(
            "{}"
            "    set title {}\n"
            "    set xlabel {}\n"
            "    set ylabel {}\n"
            "    plot {} index {} using 1:2 with {} lw 2 {}\n",
            axis_commands('y', y_axis), gp_string(panels[i].title),
            gp_string(i + 1 == panels.size() ? "evaluations" : ""),
            gp_string(panels[i].ylabel + floor_note(y_axis)), gp_string(name + ".dat"), i,
            i == 0 ? "steps" : "lines", line_style(i));
    }
    body += "    unset multiplot\n";
    write_file_atomically(folder / (name + ".dat"), data);
    std::vector<std::string> names;
    for (const StatDeclaration& s : declared) names.push_back(s.name);
    const std::string title = fmt::format("The {} figure: {}; best-so-far loss and {} over evaluations",
                                          run.spec.optimizer.name, heading, fmt::join(names, ", "));
    write_file_atomically(folder / (name + ".gp"),
                          script(name, title, 960, 280 * static_cast<int>(panels.size()) + 60, body));
    return {name, title, PlotKind::figure};
}

// A run's points (cost, value) of one hold-out metric.
std::vector<std::pair<double, double>> holdout_points(const RunRecord& run, const std::string& metric) {
    std::vector<std::pair<double, double>> points;
    for (const HoldoutRow& h : run.holdout)
        if (h.key == metric && !std::isnan(h.value)) points.emplace_back(h.cost, h.value);
    return points;
}

// The metrics of a problem's hold-out rows: the declared ones in their order, then any other.
std::vector<std::string> holdout_metrics_of(const ResultSet& results, const std::vector<const RunRecord*>& runs) {
    std::vector<std::string> metrics;
    for (const MetricDeclaration& m : results.declarations.problem(runs.front()->spec.problem.name).metrics)
        metrics.push_back(m.name);
    std::set<std::string> seen;  // with a value to draw
    for (const RunRecord* r : runs)
        for (const HoldoutRow& h : r->holdout)
            if (!std::isnan(h.value)) seen.insert(h.key);
    std::erase_if(metrics, [&](const std::string& m) { return !seen.count(m); });
    for (const std::string& m : seen)
        if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
    return metrics;
}

// A panel per hold-out metric of the problem: per optimizer, the median (line) and
// interquartile range (band) over its ok runs at each of their checkpoints, a run's value
// holding from its checkpoint to the next.
Plot holdout_plot(const ResultSet& results, const std::string& problem, const std::string& name,
                  const fs::path& folder) {
    std::vector<const RunRecord*> runs;
    for (const RunRecord* r : results.runs_of(problem))
        if (r->ok() && !r->holdout.empty()) runs.push_back(r);
    const std::vector<std::string> metrics = holdout_metrics_of(results, runs);
    const ProblemDeclaration& declaration = results.declarations.problem(runs.front()->spec.problem.name);
    std::vector<double> costs;
    for (const RunRecord* r : runs)
        for (const HoldoutRow& h : r->holdout) costs.push_back(std::max(h.cost, 1e-12));
    const Axis x_axis = choose_axis(costs);

    std::string data = fmt::format("# hold-out metrics on {}: evaluations, median, q1, q3 over runs; a block per "
                                   "metric and optimizer\n",
                                   problem);
    // Panels placed by hand (two columns), with the page's title above and one key below them.
    const std::size_t columns = metrics.size() > 1 ? 2 : 1, rows = (metrics.size() + columns - 1) / columns;
    const int width = columns == 1 ? 720 : 1200, height = 300 * static_cast<int>(rows) + 100;
    const double title_height = 40.0 / height, key_height = 60.0 / height;
    const double panel_width = 1.0 / static_cast<double>(columns);
    const double panel_height = (1 - title_height - key_height) / static_cast<double>(rows);
    std::string body = fmt::format(
        "    set multiplot title {}\n"
        "    set grid\n"
        "    set key off\n"
        "    set style fill transparent solid 0.2 noborder\n"
        "    set size {},{}\n"
        "    set autoscale xfix\n"
        "{}",
        gp_string(fmt::format("Hold-out metrics on {}: median and interquartile range over the ok runs", problem)),
        csv_number(panel_width), csv_number(panel_height), axis_commands('x', x_axis));
    std::size_t block = 0;
    std::set<std::string> drawn;  // optimizers with a curve, for the key
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        std::string plot;
        std::vector<double> values;
        for (const std::string& optimizer : results.optimizers) {
            std::vector<std::vector<std::pair<double, double>>> series;
            std::vector<double> grid;
            for (const RunRecord* r : runs) {
                if (r->optimizer != optimizer) continue;
                auto points = holdout_points(*r, metrics[m]);
                for (const auto& point : points) grid.push_back(point.first);
                if (!points.empty()) series.push_back(std::move(points));
            }
            std::sort(grid.begin(), grid.end());
            grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
            std::string lines;
            for (double x : grid) {
                std::vector<double> at_x;
                for (const auto& points : series) {
                    const auto after = std::upper_bound(points.begin(), points.end(), x,
                                                        [](double c, const auto& point) { return c < point.first; });
                    if (after != points.begin()) at_x.push_back(std::prev(after)->second);
                }
                // Before every run has its first checkpoint the median would describe a subset.
                if (at_x.size() < series.size()) continue;
                const Summary s = summarize(at_x);
                lines += fmt::format("{} {} {} {}\n", csv_number(x), csv_number(s.median), csv_number(s.q1),
                                     csv_number(s.q3));
                values.insert(values.end(), {s.median, s.q1, s.q3});
            }
            if (lines.empty()) continue;
            data += fmt::format("# {}: {} ({})\n{}\n\n", metrics[m], optimizer, counted(series.size(), "run"), lines);
            const OptimizerStyle style = optimizer_style(results, optimizer);
            plot += fmt::format("{}{} index {} using 1:3:4 with filledcurves {} notitle, \"\" index {} using 1:2 with "
                                "linespoints lw 2 {} {} notitle",
                                plot.empty() ? "" : ", ", gp_string(name + ".dat"), block, style.line, block,
                                style.line, style.marker);
            ++block;
            drawn.insert(optimizer);
        }
        const auto declared = std::find_if(declaration.metrics.begin(), declaration.metrics.end(),
                                           [&](const MetricDeclaration& d) { return d.name == metrics[m]; });
        const bool higher_is_better = declared != declaration.metrics.end() && declared->higher_is_better;
        // Percentages and other scores read best on a linear axis; losses may span decades.
        const Axis y_axis = higher_is_better ? Axis{} : choose_axis(values);
        const std::size_t row = m / columns, column = m % columns;
        body += fmt::format("    set origin {},{}\n{}    set title {}\n    set xlabel {}\n    set ylabel {}\n    plot {}\n",
                            csv_number(panel_width * static_cast<double>(column)),
                            csv_number(key_height + panel_height * static_cast<double>(rows - 1 - row)),
                            axis_commands('y', y_axis),
                            gp_string(declared == declaration.metrics.end() ? metrics[m]
                                                                            : metrics[m] + ": " + declared->doc),
                            gp_string(m + columns >= metrics.size() ? "evaluations (budget cost units)" : ""),
                            gp_string(metrics[m] + (higher_is_better ? " (higher is better)" : "")),
                            plot);
    }
    // One key for every panel, below them: an empty plot that draws only its key.
    std::string key;
    for (const std::string& optimizer : results.optimizers)
        if (drawn.count(optimizer)) {
            const OptimizerStyle style = optimizer_style(results, optimizer);
            key += fmt::format("{}NaN with linespoints lw 2 {} {} title {}", key.empty() ? "" : ", ", style.line,
                               style.marker, gp_string(optimizer));
        }
    if (!key.empty())
        body += fmt::format(
            "    set origin 0,0\n"
            "    set size 1,{}\n"
            "    unset title\n    unset xlabel\n    unset ylabel\n    unset border\n    unset tics\n    unset grid\n"
            "    unset logscale\n    set xrange [0:1]\n    set yrange [0:1]\n"
            "    set key center center horizontal width 2\n"
            "    plot {}\n",
            csv_number(key_height), key);
    body += "    unset multiplot\n";
    write_file_atomically(folder / (name + ".dat"), data);
    const std::string title = fmt::format("Hold-out metrics on {} against evaluations ({}): median and interquartile "
                                          "range over each optimizer's ok runs",
                                          problem, fmt::join(metrics, ", "));
    write_file_atomically(folder / (name + ".gp"), script(name, title, width, height, body));
    return {name, title, PlotKind::holdout};
}

// Demšar's layout: a rank axis on top, a line from each optimizer's average rank down and out to
// its name, the better half to the left, the worse half to the right (so no lines cross), and the
// cliques as thick bars between the axis and the lines.
Plot critical_difference_plot(const ResultSet& results, const Ranking& ranking, const std::string& name,
                              const fs::path& folder) {
    const std::size_t k = ranking.optimizers.size();
    std::vector<std::size_t> order(k);
    for (std::size_t i = 0; i < k; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return ranking.average_ranks[a] < ranking.average_ranks[b];
    });
    std::vector<double> sorted_ranks;
    std::size_t longest_label = 0;
    std::vector<std::string> labels(k);
    for (std::size_t i : order) {
        sorted_ranks.push_back(ranking.average_ranks[i]);
        labels[i] = fmt::format("{} ({})", ranking.optimizers[i], format_number(ranking.average_ranks[i], 3));
        longest_label = std::max(longest_label, labels[i].size());
    }
    const auto cliques = cliques_within(sorted_ranks, ranking.critical_difference);

    // Rank units across, rows down (the y axis grows downwards from the rank axis at 0).
    const double span = static_cast<double>(k - 1);
    const double axis_px = std::clamp(120.0 * span, 300.0, 600.0);
    const double side_px = std::max(150.0, 9.0 * static_cast<double>(longest_label) + 60);  // Sans 11: < 9 px a character
    const double px_per_rank = axis_px / span;
    const double side = side_px / px_per_rank;
    const double left_end = 1 - 0.15 * side, right_end = static_cast<double>(k) + 0.15 * side;
    const double clique_top = 0.5, clique_step = 0.35;
    const double first_row = clique_top + clique_step * static_cast<double>(cliques.size()) + 0.3, row_step = 0.8;
    const std::size_t left_count = (k + 1) / 2;
    const double bottom = first_row + row_step * static_cast<double>(std::max(left_count, k - left_count) - 1) + 0.6;
    const double top = -2.2;
    const int px_per_row = 34;
    const int title_px = 40;
    const int width = static_cast<int>(axis_px + 2 * side_px);
    const int height = title_px + static_cast<int>((bottom - top) / row_step * px_per_row);

    std::string data = fmt::format("# critical-difference diagram, {}: per optimizer its line from the axis; then "
                                   "the axis with its ticks and the CD scale; then the cliques\n",
                                   ranking.set);
    std::string labels_commands, plot;
    for (std::size_t place = 0; place < k; ++place) {
        const std::size_t i = order[place];
        const bool left = place < left_count;
        const double row = first_row + row_step * static_cast<double>(left ? place : k - 1 - place);
        const double rank = ranking.average_ranks[i];
        const double end = left ? left_end : right_end;
        data += fmt::format("# {}\n{} 0\n{} {}\n{} {}\n\n\n", ranking.optimizers[i], csv_number(rank),
                            csv_number(rank), csv_number(row), csv_number(end), csv_number(row));
        labels_commands += fmt::format("    set label {} {} at {},{} {} offset {},0\n", place + 1,
                                       gp_string(labels[i]), csv_number(end), csv_number(row),
                                       left ? "right" : "left", left ? "-0.5" : "0.5");
        const OptimizerStyle style = optimizer_style(results, ranking.optimizers[i]);
        plot += fmt::format("{}{} index {} using 1:2 with lines lw 2 {} notitle, \"\" index {} every ::0::0 using "
                            "1:2 with points ps 1.5 lw 2 {} {} notitle",
                            plot.empty() ? "" : ", ", gp_string(name + ".dat"), place, style.line, place,
                            style.line, style.marker);
    }
    const double cd = ranking.critical_difference;
    data += "# axis, ticks and the CD scale\n";
    const auto segment = [&](double x1, double y1, double x2, double y2) {
        data += fmt::format("{} {}\n{} {}\n\n", csv_number(x1), csv_number(y1), csv_number(x2), csv_number(y2));
    };
    segment(1, 0, static_cast<double>(k), 0);
    for (std::size_t r = 1; r <= k; ++r) {
        segment(static_cast<double>(r), 0, static_cast<double>(r), -0.3);
        if (r < k) segment(static_cast<double>(r) + 0.5, 0, static_cast<double>(r) + 0.5, -0.15);
        labels_commands += fmt::format("    set label {} \"{}\" at {},-0.55 center\n", k + r, r, r);
    }
    const double scale_y = -1.5;
    segment(1, scale_y, 1 + cd, scale_y);
    segment(1, scale_y - 0.15, 1, scale_y + 0.15);
    segment(1 + cd, scale_y - 0.15, 1 + cd, scale_y + 0.15);
    labels_commands += fmt::format("    set label {} \"CD = {}\" at {},{} center\n", 2 * k + 1, format_number(cd, 3),
                                   csv_number(1 + cd / 2), csv_number(scale_y - 0.4));
    data += "\n";
    plot += fmt::format(", {} index {} using 1:2 with lines lw 1 lc rgb \"black\" notitle", gp_string(name + ".dat"), k);
    if (!cliques.empty()) {
        data += "# cliques: groups whose average ranks differ by less than CD\n";
        const double pad = 0.02 * span;
        for (std::size_t c = 0; c < cliques.size(); ++c) {
            const double y = clique_top + clique_step * static_cast<double>(c);
            segment(sorted_ranks[cliques[c].first] - pad, y, sorted_ranks[cliques[c].second] + pad, y);
        }
        plot += fmt::format(", {} index {} using 1:2 with lines lw 5 lc rgb \"black\" notitle", gp_string(name + ".dat"),
                            k + 1);
    }
    write_file_atomically(folder / (name + ".dat"), data);

    const std::string title = fmt::format(
        "Critical differences, {}: average ranks over {} problems (Friedman p = {}); bars join optimizers "
        "within the Nemenyi CD = {}",
        ranking.set, ranking.problems.size(), format_number(ranking.friedman.p_value, 2), format_number(cd, 3));
    const std::string heading = fmt::format("{}: {} problems, Friedman p = {}", ranking.set, ranking.problems.size(),
                                            format_number(ranking.friedman.p_value, 2));
    const double x_low = 1 - side, x_high = std::max(static_cast<double>(k) + side, 1 + cd + 0.1 * side);
    const std::string body = fmt::format(
        "    set title {}\n"
        "    unset key\n"
        "    unset border\n"
        "    unset tics\n"
        "    set lmargin at screen 0\n"
        "    set rmargin at screen 1\n"
        "    set bmargin at screen 0\n"
        "    set tmargin at screen {}\n"
        "    set xrange [{}:{}]\n"
        "    set yrange [{}:{}]\n"
        "{}"
        "    plot {}\n",
        gp_string(heading), csv_number(1 - static_cast<double>(title_px) / height), csv_number(x_low), csv_number(x_high),
        csv_number(bottom), csv_number(top), labels_commands, plot);
    write_file_atomically(folder / (name + ".gp"), script(name, title, width, height, body));
    return {name, title, PlotKind::critical_difference};
}

}  // namespace

std::vector<double> ecdf_targets() {
    std::vector<double> targets;
    for (int k = 10; k >= -40; --k) targets.push_back(std::pow(10.0, k / 5.0));
    return targets;
}

std::vector<EcdfCurve> runtime_ecdf(const ResultSet& results, std::size_t dim, std::uint64_t seed,
                                    double max_x) {
    std::vector<std::string> problems;
    for (const std::string& problem : results.problems) {
        if (results.measure(problem) != Measure::error) continue;
        const auto runs = results.runs_of(problem);
        if (std::any_of(runs.begin(), runs.end(), [&](const RunRecord* r) { return r->ran() && r->spec.dim == dim; }))
            problems.push_back(problem);
    }
    const std::vector<double> targets = ecdf_targets();
    const double d = static_cast<double>(dim);
    const double pairs = static_cast<double>(problems.size() * targets.size());
    std::vector<EcdfCurve> curves;
    for (const std::string& optimizer : results.optimizers) {
        std::vector<std::pair<double, double>> samples;  // log10(runtime / dim), weight
        std::vector<double> run_costs;
        for (const std::string& problem : problems) {
            std::vector<const RunRecord*> runs;
            for (const RunRecord* r : results.runs_of(problem, optimizer))
                if (r->ran() && r->spec.dim == dim) runs.push_back(r);
            if (runs.empty()) continue;
            for (const RunRecord* r : runs) run_costs.push_back(r->cost);
            const std::size_t n = restart_sample_size(runs.size());
            sdk::Rng rng(sdk::derive_seed({"report ecdf", optimizer, problem}, seed));
            for (double target : targets) {
                std::vector<RunOutcome> outcomes;
                for (const RunRecord* r : runs) outcomes.push_back(outcome(Measure::error, *r, target));
                for (double runtime : simulated_restart_runtimes(outcomes, n, rng))
                    if (std::isfinite(runtime))
                        samples.emplace_back(std::log10(runtime / d), 1 / (static_cast<double>(n) * pairs));
            }
        }
        if (run_costs.empty()) continue;
        std::sort(samples.begin(), samples.end());
        EcdfCurve curve;
        curve.optimizer = optimizer;
        curve.budget_x = std::log10(median_of(run_costs) / d);
        double fraction = 0;
        for (std::size_t i = 0; i < samples.size() && samples[i].first <= max_x; ++i) {
            fraction += samples[i].second;
            if (samples[i].first <= curve.budget_x) curve.budget_fraction = fraction;
            if (i + 1 < samples.size() && samples[i + 1].first == samples[i].first) continue;
            if (curve.steps.empty()) curve.steps.emplace_back(samples[i].first, 0.0);
            curve.steps.emplace_back(samples[i].first, fraction);
        }
        curve.steps.emplace_back(max_x, fraction);
        curves.push_back(std::move(curve));
    }
    return curves;
}

std::vector<Plot> write_plots(const ResultSet& results, const fs::path& folder, const PlotOptions& options) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw Error(fmt::format("cannot create plots folder {}: {}", folder.string(), ec.message()));
    std::vector<Plot> plots;
    std::set<std::string> names;
    for (const std::string& problem : results.problems) {
        const std::string name = distinct_portable_name("convergence_" + problem, names);
        plots.push_back(convergence_plot(results, problem, name, folder));
    }
    for (std::size_t dim : error_dimensions(results)) plots.push_back(ecdf_plot(results, dim, options.seed, folder));
    for (const RunRecord* run : figure_runs(results, options)) plots.push_back(figure_plot(results, *run, folder));
    for (const std::string& problem : results.problems) {
        const auto runs = results.runs_of(problem);
        const auto has_value = [](const HoldoutRow& h) { return !std::isnan(h.value); };
        if (std::any_of(runs.begin(), runs.end(), [&](const RunRecord* r) {
                return r->ok() && std::any_of(r->holdout.begin(), r->holdout.end(), has_value);
            }))
            plots.push_back(holdout_plot(results, problem, distinct_portable_name("holdout_" + problem, names), folder));
    }
    return plots;
}

std::vector<std::size_t> error_dimensions(const ResultSet& results) {
    std::vector<std::size_t> dims;
    for (const RunRecord& r : results.runs)
        if (r.ran() && !std::isnan(r.f_opt) && results.measure(r.problem) == Measure::error) dims.push_back(r.spec.dim);
    std::sort(dims.begin(), dims.end());
    dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
    return dims;
}

// Fixed-budget ECDFs and Moré & Wild's profiles: step curves in panels that share one key.
namespace {

struct CurvePanel {
    std::string title, xlabel;
    std::string x_axis;  // gnuplot commands: range, scale, format of x
    double x_left = 0, x_right = 1;  // every curve runs from (x_left, 0) to x_right
    std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> curves;  // optimizer, steps
};

// Up to three panels in a row (four in two rows), placed at fixed screen positions so that their
// frames align; one key across the bottom lists each optimizer once, in its style of every plot.
Plot panel_plot(const ResultSet& results, const std::string& name, const std::string& title, PlotKind kind,
                const std::string& ylabel, const std::vector<CurvePanel>& panels, const fs::path& folder) {
    const std::size_t columns = panels.size() == 4 ? 2 : std::clamp<std::size_t>(panels.size(), 1, 3);
    const std::size_t rows = (panels.size() + columns - 1) / columns;
    const int width = columns == 3 ? 1300 : 1000;
    constexpr int top = 50, cell_height = 360;
    const int key_top = top + cell_height * static_cast<int>(rows);
    const int height = key_top + 20 + 22 * static_cast<int>((results.optimizers.size() + 2) / 3);
    const auto x_at = [&](double pixels) { return csv_number(pixels / width); };
    const auto y_at = [&](double pixels_from_top) { return csv_number(1 - pixels_from_top / height); };
    const auto frame = [&](double left, double right, double upper, double lower) {
        return fmt::format("    set lmargin at screen {}\n    set rmargin at screen {}\n    set tmargin at screen {}\n"
                           "    set bmargin at screen {}\n",
                           x_at(left), x_at(right), y_at(upper), y_at(lower));
    };
    std::string data = fmt::format("# {}: one block per panel and optimizer (x, fraction), drawn as steps\n", title);
    std::string body = fmt::format(
        "    set multiplot title {}\n"
        "    set yrange [0:1]\n"
        "    set grid\n"
        "    set ylabel {}\n"
        "    unset key\n",
        gp_string(title), gp_string(ylabel));
    std::string key;
    std::size_t block = 0;
    for (std::size_t p = 0; p < panels.size(); ++p) {
        const CurvePanel& panel = panels[p];
        const double cell_width = static_cast<double>(width) / static_cast<double>(columns);
        const double left = cell_width * static_cast<double>(p % columns);
        const double upper = top + cell_height * static_cast<double>(p / columns);
        std::string plot;
        for (const auto& [optimizer, steps] : panel.curves) {
            data += fmt::format("# {}: {}\n{} 0\n", panel.title, optimizer, csv_number(panel.x_left));
            for (const auto& [x, fraction] : steps) data += fmt::format("{} {}\n", csv_number(x), csv_number(fraction));
            data += fmt::format("{} {}\n\n\n", csv_number(panel.x_right), csv_number(steps.empty() ? 0 : steps.back().second));
            const OptimizerStyle style = optimizer_style(results, optimizer);
            if (p == 0)
                key += fmt::format("{}NaN with linespoints lw 2 {} {} title {}", key.empty() ? "" : ", ", style.line,
                                   style.marker, gp_string(optimizer));
            plot += fmt::format("{}{} index {} using 1:2 with steps lw 2 {} notitle", plot.empty() ? "" : ", ",
                                gp_string(name + ".dat"), block++, style.line);
            // About eight markers per curve, on its corners (not on the frame's corner where all
            // curves start): enough to tell curves that lie on each other apart.
            plot += fmt::format(", \"\" index {} every {}::1 using 1:2 with points {} {} notitle", block - 1,
                                std::max<std::size_t>(1, (steps.size() + 2) / 8), style.line, style.marker);
        }
        body += frame(left + 80, left + cell_width - 25, upper + 30, upper + cell_height - 60) +
                fmt::format("    set title {}\n    set xlabel {}\n{}    plot {}\n", gp_string(panel.title),
                            gp_string(panel.xlabel), panel.x_axis, plot.empty() ? "NaN notitle" : plot);
    }
    body += frame(0.02 * width, 0.98 * width, key_top + 5, height - 5) +
            "    unset border\n    unset tics\n    unset title\n    unset xlabel\n    unset ylabel\n    unset grid\n"
            "    unset logscale x\n    set xrange [0:1]\n    set key center center horizontal width 2\n" +
            fmt::format("    plot {}\n    unset multiplot\n", key.empty() ? "NaN notitle" : key);
    write_file_atomically(folder / (name + ".dat"), data);
    write_file_atomically(folder / (name + ".gp"), script(name, title, width, height, body));
    return {name, title, kind};
}

std::string linear_x(double left, double right) {
    return fmt::format("    unset logscale x\n    set format x \"% g\"\n    set xrange [{}:{}]\n", csv_number(left),
                       csv_number(right));
}

std::string log_x(int base, double left, double right) {
    return fmt::format("    set logscale x {}\n    set format x \"% g\"\n    set xrange [{}:{}]\n", base,
                       csv_number(left), csv_number(right));
}

}  // namespace

std::vector<Plot> write_fixed_budget_plots(const ResultSet& results, const fs::path& folder,
                                           const std::vector<double>& fractions) {
    std::vector<Plot> plots;
    if (fractions.empty()) return plots;
    for (std::size_t dim : error_dimensions(results)) {
        std::vector<std::vector<ValueEcdfCurve>> curves;
        double left = std::numeric_limits<double>::infinity(), right = -left;
        for (double fraction : fractions) {
            curves.push_back(fixed_budget_ecdf(results, dim, fraction));
            for (const ValueEcdfCurve& curve : curves.back())
                if (!curve.steps.empty()) {
                    left = std::min(left, curve.steps.front().first);
                    right = std::max(right, curve.steps.back().first);
                }
        }
        if (!std::isfinite(left)) left = std::log10(fixed_budget_error_floor), right = left;
        left = std::floor(left);
        right = std::max(std::ceil(right), left + 1);
        std::vector<CurvePanel> panels;
        for (std::size_t i = 0; i < fractions.size(); ++i) {
            CurvePanel panel{fmt::format("after {} of the budget", percent(fractions[i])), "log10(e)",
                             linear_x(left, right), left, right, {}};
            for (const ValueEcdfCurve& curve : curves[i]) panel.curves.emplace_back(curve.optimizer, curve.steps);
            panels.push_back(std::move(panel));
        }
        const std::size_t problems = ecdf_problems(results, dim).size();
        const std::string title = fmt::format(
            "Fixed-budget ECDF, dimension {}: share of (problem, run) pairs of {} whose error f - f_opt is <= e "
            "after fractions of the budget (errors <= {} drawn at {})",
            dim, counted(problems, "problem"), format_number(fixed_budget_error_floor),
            std::log10(fixed_budget_error_floor));
        plots.push_back(panel_plot(results, fmt::format("fixed_budget_ecdf_dim{}", dim), title, PlotKind::fixed_budget,
                                   "fraction with error <= e", panels, folder));
    }
    return plots;
}

std::vector<Plot> write_critical_difference_plots(const ResultSet& results, const std::vector<Ranking>& rankings,
                                                  const fs::path& folder) {
    std::vector<Plot> plots;
    std::set<std::string> names;
    for (const Ranking& ranking : rankings)
        if (ranking.problems.size() >= 2)
            plots.push_back(critical_difference_plot(results, ranking,
                                                     distinct_portable_name("cd_" + ranking.set, names), folder));
    return plots;
}

std::vector<Plot> write_profile_plots(const ResultSet& results, const std::vector<Profiles>& profiles,
                                      std::size_t problems, const fs::path& folder) {
    if (profiles.empty()) return {};
    double left = std::numeric_limits<double>::infinity(), right = 0, worst_ratio = 1;
    for (const RunRecord& r : results.runs)
        if (r.ran()) right = std::max(right, r.budget / static_cast<double>(r.spec.dim + 1));
    for (const Profiles& p : profiles) {
        for (const Profile& d : p.data)
            for (double x : d.x)
                if (std::isfinite(x)) left = std::min(left, x), right = std::max(right, x);
        for (const Profile& r : p.performance)
            for (double x : r.x)
                if (std::isfinite(x)) worst_ratio = std::max(worst_ratio, x);
    }
    if (!std::isfinite(left)) left = 0, right = std::max(right, 1.0);
    const Axis axis = choose_axis({left, right});
    if (axis.log) left = std::pow(10.0, std::floor(std::log10(left)));
    const std::string data_x = axis.log ? log_x(10, left, right) : linear_x(0, right);
    const double ratio_right = std::exp2(std::ceil(std::log2(worst_ratio)) + 1);
    std::vector<CurvePanel> data, performance;
    for (const Profiles& p : profiles) {
        const std::string tau = fmt::format("tau = {}", format_number(p.tolerance));
        CurvePanel d{tau, "evaluations / (dimension + 1) (simplex gradients)", data_x, axis.log ? left : 0, right, {}};
        CurvePanel r{tau, "evaluations / fewest of any optimizer (log2 axis)",
                     log_x(2, 1, ratio_right), 1, ratio_right, {}};
        for (const Profile& profile : p.data) d.curves.emplace_back(profile.optimizer, profile.steps());
        for (const Profile& profile : p.performance) r.curves.emplace_back(profile.optimizer, profile.steps());
        data.push_back(std::move(d));
        performance.push_back(std::move(r));
    }
    const std::string of = fmt::format("{} (problem, instance, repetition)s", problems);
    return {panel_plot(results, "data_profiles", "Data profiles (Moré & Wild) over " + of, PlotKind::profile,
                       "fraction of problems solved", data, folder),
            panel_plot(results, "performance_profiles", "Performance profiles (Dolan & Moré) over " + of,
                       PlotKind::profile, "fraction of problems", performance, folder)};
}

bool gnuplot_available() { return std::system("gnuplot --version > /dev/null 2>&1") == 0; }

void render_plots(const fs::path& folder, const std::vector<Plot>& plots) {
    if (plots.empty()) return;
    std::string command = fmt::format("cd {} && gnuplot", shell_quote(folder.string()));
    for (const Plot& p : plots) {
        command += ' ';
        command += shell_quote(p.name + ".gp");
    }
    command += " > gnuplot.log 2>&1";
    const int status = std::system(command.c_str());
    if (status != 0) {
        std::string log;
        try {
            log = read_file(folder / "gnuplot.log");
        } catch (const Error&) {
        }
        while (!log.empty() && std::isspace(static_cast<unsigned char>(log.back()))) log.pop_back();
        const std::size_t last_line = log.rfind('\n');
        throw Error(fmt::format("gnuplot failed in {} (see gnuplot.log there): {}", folder.string(),
                                last_line == std::string::npos ? log : log.substr(last_line + 1)));
    }
}

}  // namespace optbench::host::report
