#include "report/fixed_budget.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "results/csv.hpp"

namespace optbench::host::report {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// The rows logged at a whole count must count at that count even when fraction x budget
// rounds just below it (0.29 x 100 = 28.999999999999996).
constexpr double count_rounding = 1e-12;

}  // namespace

double value_at_budget(Measure measure, const RunRecord& run, double fraction) {
    const double value = best_at(measure, run, fraction * run.budget * (1 + count_rounding));
    return std::isnan(value) ? inf : value;
}

std::vector<FixedBudgetStats> fixed_budget_statistics(const ResultSet& results, const std::vector<double>& fractions) {
    std::vector<FixedBudgetStats> all;
    for (const std::string& problem : results.problems) {
        const Measure measure = results.measure(problem);
        const std::size_t first = all.size();
        for (const std::string& optimizer : results.optimizers) {
            const auto runs = results.runs_of(problem, optimizer);
            if (runs.empty()) continue;
            for (double fraction : fractions) {
                FixedBudgetStats s;
                s.problem = problem;
                s.optimizer = optimizer;
                s.measure = measure;
                s.fraction = fraction;
                std::vector<double> values;
                for (const RunRecord* r : runs) {
                    if (!r->ran()) continue;
                    s.budget_min = values.empty() ? r->budget : std::min(s.budget_min, r->budget);
                    s.budget_max = values.empty() ? r->budget : std::max(s.budget_max, r->budget);
                    values.push_back(value_at_budget(measure, *r, fraction));
                }
                s.runs = values.size();
                s.value = summarize(values);
                all.push_back(std::move(s));
            }
        }
        for (double fraction : fractions) {
            double lowest = inf;
            for (std::size_t i = first; i < all.size(); ++i)
                if (all[i].fraction == fraction && all[i].value.n) lowest = std::min(lowest, all[i].value.median);
            for (std::size_t i = first; i < all.size(); ++i)
                if (all[i].fraction == fraction)
                    all[i].best = all[i].value.n && std::isfinite(lowest) && all[i].value.median == lowest;
        }
    }
    return all;
}

std::string percent(double fraction) { return format_number(100 * fraction) + " %"; }

Table fixed_budget_table(const std::vector<FixedBudgetStats>& stats, const std::vector<double>& fractions) {
    Table t;
    t.title = "Best-so-far value at fractions of the budget (error = best f - f_opt; best f where f_opt is unknown)";
    t.note = "Over the runs that started (ok or error: a run that ended in error keeps the last value it logged; "
             "∞: no finite value logged by then). Fraction b of a run's budget is b x its runs.csv budget in "
             "budget cost units; budget: the runs' budget (lowest-highest when they differ). IQR = q3 - q1 "
             "(quantiles by linear interpolation). **Bold**: the lowest median on the problem at that fraction "
             "(every optimizer that ties).";
    t.header = {"problem", "optimizer", "value", "runs", "budget"};
    t.align = "lllrr";
    for (double fraction : fractions) {
        t.header.push_back("median at " + percent(fraction));
        t.header.push_back("IQR at " + percent(fraction));
        t.align += "rr";
    }
    std::string previous_problem, previous_optimizer;
    for (const FixedBudgetStats& s : stats) {
        if (s.problem != previous_problem) t.group_starts.push_back(t.rows.size());
        if (s.problem != previous_problem || s.optimizer != previous_optimizer) {
            const std::string budget = !s.runs ? "-"
                                       : s.budget_min == s.budget_max
                                           ? format_number(s.budget_min)
                                           : format_number(s.budget_min) + "-" + format_number(s.budget_max);
            t.rows.push_back({{s.problem}, {s.optimizer}, {measure_name(s.measure)}, {std::to_string(s.runs)}, {budget}});
        }
        previous_problem = s.problem;
        previous_optimizer = s.optimizer;
        t.rows.back().push_back({format_number(s.value.median), s.best});
        t.rows.back().push_back({s.value.n ? format_number(s.value.iqr()) : "-"});
    }
    return t;
}

std::string fixed_budget_csv(const std::vector<FixedBudgetStats>& stats) {
    std::string out = csv_line({"problem", "optimizer", "measure", "fraction", "runs", "budget_min", "budget_max",
                                "median", "q1", "q3", "iqr", "best"});
    for (const FixedBudgetStats& s : stats)
        out += csv_line({s.problem, s.optimizer, measure_name(s.measure), csv_number(s.fraction),
                         std::to_string(s.runs), csv_number(s.runs ? s.budget_min : Summary::unknown),
                         csv_number(s.runs ? s.budget_max : Summary::unknown), csv_number(s.value.median),
                         csv_number(s.value.q1), csv_number(s.value.q3),
                         csv_number(s.value.n ? s.value.iqr() : Summary::unknown), s.best ? "1" : "0"});
    return out;
}

std::vector<std::string> ecdf_problems(const ResultSet& results, std::size_t dim) {
    std::vector<std::string> problems;
    for (const std::string& problem : results.problems) {
        const auto runs = results.runs_of(problem);
        if (results.measure(problem) == Measure::error &&
            std::any_of(runs.begin(), runs.end(), [&](const RunRecord* r) { return r->ran() && r->spec.dim == dim; }))
            problems.push_back(problem);
    }
    return problems;
}

std::vector<ValueEcdfCurve> fixed_budget_ecdf(const ResultSet& results, std::size_t dim, double fraction) {
    const std::vector<std::string> problems = ecdf_problems(results, dim);
    std::vector<ValueEcdfCurve> curves;
    for (const std::string& optimizer : results.optimizers) {
        std::vector<std::pair<double, double>> samples;  // log10(error), weight
        bool has_runs = false;
        for (const std::string& problem : problems) {
            std::vector<const RunRecord*> runs;
            for (const RunRecord* r : results.runs_of(problem, optimizer))
                if (r->ran() && r->spec.dim == dim) runs.push_back(r);
            if (runs.empty()) continue;
            has_runs = true;
            const double weight = 1 / static_cast<double>(problems.size() * runs.size());
            for (const RunRecord* r : runs) {
                const double error = value_at_budget(Measure::error, *r, fraction);
                if (std::isfinite(error))
                    samples.emplace_back(std::log10(std::max(error, fixed_budget_error_floor)), weight);
            }
        }
        if (!has_runs) continue;
        std::sort(samples.begin(), samples.end());
        ValueEcdfCurve curve{optimizer, {}};
        double cumulative = 0;
        for (std::size_t i = 0; i < samples.size(); ++i) {
            cumulative += samples[i].second;
            if (i + 1 < samples.size() && samples[i + 1].first == samples[i].first) continue;
            curve.steps.emplace_back(samples[i].first, cumulative);
        }
        curves.push_back(std::move(curve));
    }
    return curves;
}

std::string fixed_budget_method(const std::vector<double>& fractions) {
    std::vector<std::string> shown;
    for (double f : fractions) shown.push_back(percent(f));
    return fmt::format(
        "- **Fixed budget** (`--budget-fractions`, here {}): the best-so-far value of every run that started "
        "(ok or error) after fraction b of its own budget (b x runs.csv's budget, in budget cost units): the "
        "last trace row at or before that cost (exact where the trace logs every improvement; with `--trace "
        "levels` at most one 10^(1/20) level of f - f_opt behind). A run that ended in error keeps the last value it logged (as one "
        "that stopped early does); a run that had logged no finite value by then (a crashed process logs none) "
        "counts as +inf. The table gives the median and IQR per problem and optimizer; the lowest median of "
        "the problem at each fraction is bold (every optimizer that ties). The fixed-budget ECDFs (one figure "
        "per dimension, a panel per fraction, problems with known f_opt, as IOHanalyzer draws fixed-budget "
        "ECDFs) give for each optimizer the fraction of (problem, run) pairs whose error at b x budget is <= e, "
        "against log10(e): each problem weighs the same, shared equally by the optimizer's runs of it; errors "
        "at or below {} are drawn at {}; runs without a value never count. A curve further left and higher is "
        "better.\n",
        fmt::join(shown, ", "), format_number(fixed_budget_error_floor), format_number(fixed_budget_error_floor));
}

}  // namespace optbench::host::report
