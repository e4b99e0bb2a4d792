#include "report/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <tuple>


namespace optbench::host::report {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::vector<double> ok_values(const ResultSet& results, const std::string& problem,
                              const std::string& optimizer, Measure measure) {
    std::vector<double> values;
    for (const RunRecord* r : results.runs_of(problem, optimizer)) {
        // An ok run always has a value (its start point was evaluated); a hand-edited file may
        // not, and NaN has no place in an order statistic.
        const double v = final_value(measure, *r);
        if (r->ok() && !std::isnan(v)) values.push_back(v);
    }
    return values;
}

namespace {

// The best of a problem's samples (lowest median, then lowest mean: lower is better) and the
// one-sided rank-sum test of the best against each other sample, Holm-adjusted over them.
struct BestComparison {
    std::size_t best;  // samples.size() when every sample is empty
    std::vector<double> p_value, p_holm;  // per sample; NaN for the best and for empty samples
};

BestComparison compare_with_best(const std::vector<std::vector<double>>& samples) {
    BestComparison out{samples.size(), std::vector<double>(samples.size(), nan), std::vector<double>(samples.size(), nan)};
    std::vector<Summary> summaries;
    for (const auto& sample : samples) summaries.push_back(summarize(sample));
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (!summaries[i].n) continue;
        if (out.best == samples.size() || std::tie(summaries[i].median, summaries[i].mean) <
                                              std::tie(summaries[out.best].median, summaries[out.best].mean))
            out.best = i;
    }
    if (out.best == samples.size()) return out;
    std::vector<std::size_t> compared;
    std::vector<double> p_values;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (i == out.best || !summaries[i].n) continue;
        compared.push_back(i);
        p_values.push_back(mann_whitney_less(samples[out.best], samples[i]).p_value);
    }
    const std::vector<double> adjusted = holm_adjust(p_values);
    for (std::size_t k = 0; k < compared.size(); ++k) {
        out.p_value[compared[k]] = p_values[k];
        out.p_holm[compared[k]] = adjusted[k];
    }
    return out;
}

// Sets best, p_value, p_holm and significantly_worse of a problem's rows, one per sample.
template <class Stats>
void mark_against_best(std::vector<Stats>& group, const std::vector<std::vector<double>>& samples, double alpha) {
    const BestComparison comparison = compare_with_best(samples);
    for (std::size_t i = 0; i < group.size(); ++i) {
        group[i].best = i == comparison.best;
        group[i].p_value = comparison.p_value[i];
        group[i].p_holm = comparison.p_holm[i];
        group[i].significantly_worse = comparison.p_holm[i] < alpha;
    }
}

// The direction of a metric column as the problem declares it: selected_<metric> that of
// <metric>; unknown for selected_evals and for undeclared metrics.
std::optional<bool> higher_is_better(const ProblemDeclaration& declaration, const std::string& column) {
    const std::string_view source = selected_source(column);
    const std::string_view metric = source.empty() ? std::string_view(column) : source;
    for (const MetricDeclaration& m : declaration.metrics)
        if (m.name == metric) return m.higher_is_better;
    return std::nullopt;
}

// Each metric before its validation-selected value (test_loss, selected_test_loss), and
// selected_evals last.
std::vector<std::string> metrics_in_table_order(std::vector<std::string> names) {
    const auto key = [](const std::string& name) {
        const std::string_view source = selected_source(name);
        return std::tuple(name == selected_evals_column, source.empty() ? std::string_view(name) : source,
                          !source.empty());
    };
    std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) { return key(a) < key(b); });
    return names;
}

}  // namespace

std::vector<FinalStats> final_statistics(const ResultSet& results, double alpha) {
    std::vector<FinalStats> all;
    for (const std::string& problem : results.problems) {
        const Measure measure = results.measure(problem);
        std::vector<FinalStats> group;
        std::vector<std::vector<double>> values;
        for (const std::string& optimizer : results.optimizers) {
            const auto runs = results.runs_of(problem, optimizer);
            if (runs.empty()) continue;
            FinalStats s;
            s.problem = problem;
            s.optimizer = optimizer;
            s.measure = measure;
            std::vector<double> costs, wall_s;
            for (const RunRecord* r : runs) {
                ++s.runs;
                s.ok += r->status == RunStatus::ok;
                s.errors += r->status == RunStatus::error;
                s.not_applicable += r->status == RunStatus::not_applicable;
                if (r->ok()) {
                    costs.push_back(r->cost);
                    wall_s.push_back(r->wall_s);
                    s.unoptimized = s.unoptimized || results.unoptimized_runs.count(r->spec.run_id) > 0;
                }
            }
            values.push_back(ok_values(results, problem, optimizer, measure));
            s.value = summarize(values.back());
            s.cost = summarize(costs);
            s.wall_s = summarize(wall_s);
            group.push_back(std::move(s));
        }
        mark_against_best(group, values, alpha);
        all.insert(all.end(), group.begin(), group.end());
    }
    return all;
}

const std::vector<double>& coco_table_targets() {
    static const std::vector<double> targets = {10, 1, 1e-1, 1e-2, 1e-3, 1e-5, 1e-7};
    return targets;
}

std::vector<double> targets_for(const ResultSet& results, const std::string& problem,
                                const std::vector<double>& given) {
    if (!given.empty()) return given;
    const Measure measure = results.measure(problem);
    if (measure == Measure::error) return coco_table_targets();
    std::vector<double> medians;
    for (const std::string& optimizer : results.optimizers) {
        const auto values = ok_values(results, problem, optimizer, measure);
        if (!values.empty()) medians.push_back(quantile(values, 0.5));
    }
    std::sort(medians.begin(), medians.end(), std::greater<>());
    medians.erase(std::unique(medians.begin(), medians.end()), medians.end());
    return medians;
}

std::vector<TargetStats> target_statistics(const ResultSet& results, const std::vector<double>& given) {
    std::vector<TargetStats> all;
    for (const std::string& problem : results.problems) {
        const Measure measure = results.measure(problem);
        for (double target : targets_for(results, problem, given)) {
            const std::size_t first = all.size();
            for (const std::string& optimizer : results.optimizers) {
                const auto runs = results.runs_of(problem, optimizer);
                if (runs.empty()) continue;
                TargetStats s;
                s.problem = problem;
                s.optimizer = optimizer;
                s.measure = measure;
                s.target = target;
                std::vector<RunOutcome> outcomes;
                std::vector<double> successful;
                for (const RunRecord* r : runs) {
                    if (!r->ran()) continue;
                    outcomes.push_back(outcome(measure, *r, target));
                    if (outcomes.back().success) successful.push_back(outcomes.back().evals);
                }
                s.runs = outcomes.size();
                s.successes = successful.size();
                s.art = outcomes.empty() ? nan : average_runtime(outcomes);
                s.evals_to_target = summarize(successful);
                all.push_back(std::move(s));
            }
            TargetStats* best = nullptr;
            for (std::size_t i = first; i < all.size(); ++i)
                if (std::isfinite(all[i].art) && (!best || all[i].art < best->art)) best = &all[i];
            if (best) best->best = true;
        }
    }
    return all;
}

std::vector<MetricStats> metric_statistics(const ResultSet& results, double alpha) {
    std::vector<MetricStats> all;
    for (const std::string& metric : metrics_in_table_order(results.metric_names)) {
        for (const std::string& problem : results.problems) {
            const auto runs = results.runs_of(problem);
            if (runs.empty()) continue;
            // As the problem declares it; unknown undeclared.
            const std::optional<bool> higher =
                higher_is_better(results.declarations.problem(runs.front()->spec.problem.name), metric);
            std::vector<MetricStats> group;
            std::vector<std::vector<double>> lower_is_better;  // values, negated where higher is better
            for (const std::string& optimizer : results.optimizers) {
                std::vector<double> values;
                bool any_run = false;
                for (const RunRecord* r : results.runs_of(problem, optimizer)) {
                    any_run = true;
                    const double* value = r->metric(metric);
                    if (r->ok() && value && !std::isnan(*value)) values.push_back(*value);
                }
                if (!any_run) continue;
                group.push_back({problem, optimizer, metric, summarize(values), higher});
                lower_is_better.push_back(values);
                if (higher.value_or(false))
                    for (double& v : lower_is_better.back()) v = -v;
            }
            // A problem without this metric gets no rows.
            if (std::none_of(group.begin(), group.end(), [](const MetricStats& m) { return m.value.n > 0; })) continue;
            if (higher) mark_against_best(group, lower_is_better, alpha);
            all.insert(all.end(), group.begin(), group.end());
        }
    }
    return all;
}

}  // namespace optbench::host::report
