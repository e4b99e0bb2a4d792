// One run: an optimizer on a problem instance with a seed, under the budget.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "optbench/host/loader.hpp"
#include "optbench/host/objective.hpp"
#include "optbench/host/spec.hpp"

namespace optbench::host {

struct RunSpec {
    std::size_t run_id = 0;
    Spec optimizer;
    Spec problem;
    std::int64_t instance = 1;  // the problem's `instance` parameter (1 when it has none)
    std::size_t dim = 0;
    int rep = 1;                // 1-based repetition
    std::uint64_t seed = 0;
};

struct RunSettings {
    double budget = 1000;
    double budget_per_dim = 0;  // when > 0, a run's budget is this times its dimension (COCO style)
    double grad_cost = 1;
    TraceMode trace = TraceMode::improvements;
    double target_error = std::numeric_limits<double>::quiet_NaN();  // stop at f_opt + this
    double timeout_s = 0;

    double budget_for(std::size_t dim) const {
        return budget_per_dim > 0 ? budget_per_dim * static_cast<double>(dim) : budget;
    }
};

struct RunResult {
    RunSpec spec;
    std::string status = "ok";  // ok | error | not_applicable
    std::string stop_reason;
    std::string message;
    std::size_t dim = 0;
    double budget = 0;
    double evals = 0;
    double grad_evals = 0;
    double cost = 0;
    double best_f = std::numeric_limits<double>::quiet_NaN();
    double f_opt = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t nonfinite_evals = 0;
    double wall_s = 0;
    std::vector<std::pair<std::string, double>> metrics;  // hold-out metrics of the best point
    std::vector<TraceRow> trace;
    std::vector<StatRow> stats;
    std::vector<std::pair<std::string, std::string>> artifacts;
    std::vector<double> best_x;  // kept only when asked (tests)

    // best_f - f_opt; NaN when f_opt is unknown or nothing finite was evaluated.
    double error() const {
        return std::isfinite(best_f) && !std::isnan(f_opt) ? best_f - f_opt
                                                           : std::numeric_limits<double>::quiet_NaN();
    }
};

// Seeds depend on the campaign seed and the run's identity only: not on time, order, shard
// or --jobs.
std::uint64_t derive_run_seed(std::uint64_t campaign_seed, const Spec& optimizer,
                              const Spec& problem, int rep);

// The value of the problem's `instance` parameter (given or default), 1 if it has none.
std::int64_t instance_of(const PluginEntry& problem, const Spec& spec);

// Runs one pairing in this process. Never throws for plugin failures: they become a result
// with status error (or not_applicable) and the message. `progress`, when given, follows the
// run's counters and best value as they change.
RunResult execute_run(const Registry& registry, const RunSpec& spec, const RunSettings& settings,
                      bool keep_best_x = false, RunProgress* progress = nullptr);

}  // namespace optbench::host
