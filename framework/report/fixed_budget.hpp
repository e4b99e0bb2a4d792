// The fixed-budget view: what each optimizer had found after fixed fractions of its budget (the
// best-so-far error, or best f where f_opt is unknown), beside the fixed-target view of the
// runtime tables and ECDFs.
//
// A run's budget is its `budget` column in runs.csv (budget cost units); fraction b of it is
// b x budget cost units of that run, so runs with different budgets are each read at their own
// b x budget. Every run that started counts (status ok or error, as the runtimes count them): a
// run that ended in error keeps the last value it logged, like a run that stopped early; a run
// that had logged no finite value by then (a crashed process logs none) counts as +inf.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "report/data.hpp"
#include "report/tables.hpp"

namespace optbench::host::report {

// The ECDF over error values draws errors at or below this (COCO's smallest target) at it.
inline constexpr double fixed_budget_error_floor = 1e-8;

// The run's value on the measure after `fraction` of its budget; +inf when it had logged no
// finite value by then (or cannot say its error: f_opt unknown).
double value_at_budget(Measure measure, const RunRecord& run, double fraction);

struct FixedBudgetStats {
    std::string problem, optimizer;
    Measure measure = Measure::error;
    double fraction = 1;
    std::size_t runs = 0;                    // runs that started (ok or error)
    double budget_min = 0, budget_max = 0;   // the budgets of those runs
    Summary value;                           // over those runs, +inf for a run without a value
    bool best = false;                       // lowest median on the problem at this fraction (ties: all)
};
// Per problem, optimizer (that has runs of the problem) and fraction, in that order.
std::vector<FixedBudgetStats> fixed_budget_statistics(const ResultSet& results, const std::vector<double>& fractions);

Table fixed_budget_table(const std::vector<FixedBudgetStats>& stats, const std::vector<double>& fractions);
std::string fixed_budget_csv(const std::vector<FixedBudgetStats>& stats);

// One optimizer's ECDF over error values at one budget fraction, over the problems with a known
// optimum of one dimension: the fraction of (problem, run) weight whose error is <= 10^x.
// Each problem weighs the same, shared equally by the optimizer's runs of it that started; a
// problem without such a run adds nothing (as an unsolved one). Errors at or below
// fixed_budget_error_floor are at x = log10 of it; +inf never counts.
struct ValueEcdfCurve {
    std::string optimizer;
    std::vector<std::pair<double, double>> steps;  // (log10(error), fraction), x and fraction rising
};
// The problems of the ECDF: a known optimum, and a run in dimension `dim` that started.
std::vector<std::string> ecdf_problems(const ResultSet& results, std::size_t dim);
// Curves of the optimizers with a run in dimension `dim`, in the results' order.
std::vector<ValueEcdfCurve> fixed_budget_ecdf(const ResultSet& results, std::size_t dim, double fraction);

// "1 %", "0.1 %", "100 %".
std::string percent(double fraction);

// The method paragraph of report.md.
std::string fixed_budget_method(const std::vector<double>& fractions);

}  // namespace optbench::host::report
