// The CEC competitions' reporting, for runs of problems that declare the CEC format: the error
// f - f_opt at fixed fractions of the budget for every run, one result file per optimizer,
// function and dimension (the competitions' layout), and per function and dimension the best,
// worst, median, mean and standard deviation of the final error with a Wilcoxon rank-sum
// comparison against a reference optimizer, as papers print them.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "report/data.hpp"

namespace optbench::host::report {

// Errors below this count as 0, as the competitions rule.
inline constexpr double cec_zero_error = 1e-8;

// The error of a run at `fraction` of its budget: its best-so-far error then, 0 below
// cec_zero_error; the first logged value when the run logged none by then. Exact at the
// fractions of cec_checkpoint_fractions(), where the trace of a CEC-format run has rows.
double cec_error_at(const RunRecord& run, double fraction);

struct CecCell {
    std::string optimizer;
    std::size_t runs = 0;  // ok runs
    double best = 0, worst = 0, median = 0, mean = 0, std = 0;
    // Against the reference: '+' significantly better, '-' significantly worse, '=' neither
    // (two-sided rank-sum test); ' ' for the reference itself or without runs.
    char versus = ' ';
};

struct CecRow {
    std::string suite;
    int function = 0;
    std::size_t dim = 0;
    std::vector<CecCell> cells;  // in the order of the results' optimizers
};

struct CecComparison {
    std::string reference;  // optimizer spec text
    double alpha = 0.05;
    std::vector<CecRow> rows;  // by suite, function, dimension
    std::map<std::string, std::array<std::size_t, 3>> wins_ties_losses;  // optimizer -> (+, =, -)
};

// Over the ok runs of problems that declare the CEC format (rows is empty without any).
// `reference` is an optimizer's spec text as runs.csv gives it; "" takes the first optimizer.
// Throws Error for a reference that has no run.
CecComparison cec_comparison(const ResultSet& results, const std::string& reference, double alpha);

// Writes folder/<optimizer>_F<function>_D<dim>.txt for each CEC row and optimizer: one line per
// checkpoint, one column per ok run (in repetition order); returns the files written.
std::vector<std::filesystem::path> write_cec_result_files(const ResultSet& results,
                                                          const std::filesystem::path& folder);

}  // namespace optbench::host::report
