// One run: an optimizer on a problem instance with a seed, under the budget.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/loader.hpp"
#include "core/objective.hpp"
#include "results/run_row.hpp"

namespace optbench::host {

struct RunSettings {
    double budget = 1000;
    double budget_per_dim = 0;  // when > 0, a run's budget is this times its dimension (COCO style)
    double grad_cost = 1;
    TraceMode trace = TraceMode::improvements;
    double target_error = std::numeric_limits<double>::quiet_NaN();  // stop at f_opt + this
    double timeout_s = 0;
    // Hold-out metrics (of problems that have them) at floor(10^(k/N)) evaluations, N = this,
    // and at the end; 0: only at the end.
    int holdout_per_decade = 10;

    double budget_for(std::size_t dim) const {
        return budget_per_dim > 0 ? budget_per_dim * static_cast<double>(dim) : budget;
    }
};

// A run's row, and what the run gives that runs.csv does not hold.
struct RunResult : RunRow {
    std::vector<std::pair<std::string, std::string>> artifacts;  // the problem's, by file name
    std::vector<double> best_x;  // kept only when asked (tests)
};

// Seeds depend on the campaign seed and the run's identity only: not on time, order, shard
// or --jobs.
std::uint64_t derive_run_seed(std::uint64_t campaign_seed, const Spec& optimizer,
                              const Spec& problem, int rep);

// The value of the problem's declared instance parameter (given or default), 1 without one.
std::int64_t instance_of(const PluginEntry& problem, const Spec& spec);

// The validation-selected results of a run: each hold-out metric at the checkpoint (the rows
// of one count in `holdout`) where `selection` (a declared metric) is best in its direction,
// ties going to the earliest, as selected_<metric> columns, and that count as selected_evals.
// Empty when no checkpoint has the metric.
std::vector<std::pair<std::string, double>> selected_metrics(const std::vector<HoldoutRow>& holdout,
                                                             const MetricDeclaration& selection);

// Runs one pairing in this process. Never throws for plugin failures: they become a result
// with status error (or not_applicable) and the message. `progress`, when given, follows the
// run's counters and best value as they change.
RunResult execute_run(const Registry& registry, const RunSpec& spec, const RunSettings& settings,
                      bool keep_best_x = false, RunProgress* progress = nullptr);

}  // namespace optbench::host
