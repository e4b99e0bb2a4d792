#include "report/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>


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
        std::size_t best = group.size();
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (!group[i].value.n) continue;
            if (best == group.size() ||
                std::tie(group[i].value.median, group[i].value.mean) <
                    std::tie(group[best].value.median, group[best].value.mean))
                best = i;
        }
        if (best < group.size()) {
            group[best].best = true;
            std::vector<std::size_t> compared;
            std::vector<double> p_values;
            for (std::size_t i = 0; i < group.size(); ++i) {
                if (i == best || !group[i].value.n) continue;
                compared.push_back(i);
                p_values.push_back(mann_whitney_less(values[best], values[i]).p_value);
            }
            const std::vector<double> adjusted = holm_adjust(p_values);
            for (std::size_t k = 0; k < compared.size(); ++k) {
                FinalStats& s = group[compared[k]];
                s.p_value = p_values[k];
                s.p_holm = adjusted[k];
                s.significantly_worse = adjusted[k] < alpha;
            }
        }
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

std::vector<MetricStats> metric_statistics(const ResultSet& results) {
    std::vector<MetricStats> all;
    for (const std::string& metric : results.metric_names) {
        for (const std::string& problem : results.problems) {
            const std::size_t first = all.size();
            const auto runs = results.runs_of(problem);
            std::optional<bool> higher_is_better;  // as the problem declares it; unknown undeclared
            if (!runs.empty())
                for (const MetricDeclaration& m : results.declarations.problem(runs.front()->spec.problem.name).metrics)
                    if (m.name == metric) higher_is_better = m.higher_is_better;
            for (const std::string& optimizer : results.optimizers) {
                std::vector<double> values;
                bool any_run = false;
                for (const RunRecord* r : results.runs_of(problem, optimizer)) {
                    any_run = true;
                    const double* value = r->metric(metric);
                    if (r->ok() && value) values.push_back(*value);
                }
                if (!any_run) continue;
                all.push_back({problem, optimizer, metric, summarize(values), higher_is_better});
            }
            MetricStats* best = nullptr;
            for (std::size_t i = first; i < all.size() && higher_is_better; ++i) {
                if (!all[i].value.n) continue;
                const bool better = !best || (*higher_is_better ? all[i].value.median > best->value.median
                                                                : all[i].value.median < best->value.median);
                if (better) best = &all[i];
            }
            if (best) best->best = true;
            // A problem without this metric gets no rows.
            if (std::none_of(all.begin() + static_cast<std::ptrdiff_t>(first), all.end(),
                             [](const MetricStats& m) { return m.value.n > 0; }))
                all.resize(first);
        }
    }
    return all;
}

}  // namespace optbench::host::report
