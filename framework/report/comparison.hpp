// The comparison a report shows, per problem x optimizer: final values with rank-sum tests
// against the best, runtimes to targets (aRT), hold-out metrics. Statistics only; tables.hpp
// renders them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/data.hpp"

namespace optbench::host::report {

// The final values (error or best f, per `measure`) of the ok runs of one problem x optimizer.
std::vector<double> ok_values(const ResultSet& results, const std::string& problem,
                              const std::string& optimizer, Measure measure);

// Final value (error, or best_f when f_opt is unknown) of one problem x optimizer over its ok
// runs, and how it compares with the best optimizer on that problem.
struct FinalStats {
    std::string problem, optimizer;
    Measure measure = Measure::error;
    std::size_t runs = 0, ok = 0, errors = 0, not_applicable = 0;
    Summary value;
    Summary cost, wall_s;  // budget cost units spent and wall-clock seconds of the ok runs
    bool unoptimized = false;  // some of those runs used a plugin compiled without optimisation
    bool best = false;  // lowest median (then lowest mean) among the problem's optimizers
    // One-sided Mann-Whitney U test "the best is smaller" and its Holm adjustment over the
    // problem's other optimizers; NaN for the best itself and for pairings without ok runs.
    double p_value = Summary::unknown, p_holm = Summary::unknown;
    bool significantly_worse = false;  // p_holm < alpha
};
std::vector<FinalStats> final_statistics(const ResultSet& results, double alpha);

// The COCO table targets (on the error) for problems with a known optimum.
const std::vector<double>& coco_table_targets();
// Targets of a problem: `given` when not empty; else coco_table_targets() on the error; else,
// without a known optimum, the median final best_f of each optimizer (descending): "how long
// does each optimizer take to reach what optimizer X reaches in half of its runs".
std::vector<double> targets_for(const ResultSet& results, const std::string& problem,
                                const std::vector<double>& given);

struct TargetStats {
    std::string problem, optimizer;
    Measure measure = Measure::error;
    double target = 0;
    std::size_t runs = 0, successes = 0;  // runs that ran (ok or error); those that reached the target
    double art = 0;                       // COCO aRT over those runs (+inf: none reached it)
    Summary evals_to_target;              // over the successful runs
    bool best = false;                    // lowest finite aRT for this problem and target
};
std::vector<TargetStats> target_statistics(const ResultSet& results, const std::vector<double>& given);

// Hold-out metrics over ok runs, the final ones and the validation-selected ones (selected_X,
// in the direction of X), better in the direction the problem declares (none marked best, nor
// tested, when a folder's manifest does not declare it, nor for selected_evals), with the
// tests of final_statistics in that direction. Each metric comes before its selected value.
struct MetricStats {
    std::string problem, optimizer, metric;
    Summary value;
    std::optional<bool> higher_is_better;
    bool best = false;
    double p_value = Summary::unknown, p_holm = Summary::unknown;  // as FinalStats's
    bool significantly_worse = false;
};
std::vector<MetricStats> metric_statistics(const ResultSet& results, double alpha);

}  // namespace optbench::host::report
