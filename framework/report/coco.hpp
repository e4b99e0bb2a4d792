// Export of runs in COCO's data format ("<suite>-new2"), which COCO's post-processing (cocopp)
// reads: `python -m cocopp FOLDER/<optimizer> [FOLDER/<other optimizer> ...]`.
//
// Runs of a problem that declares a suite in COCO's format, with its function parameter, a
// known f_opt and a finite logged value are exported, those that ended in error too (as the report's
// runtimes count them); one result folder per optimizer holds <suite>exp_f<F>.info
// and data_f<F>/<suite>exp_f<F>_DIM<D>.dat (target-triggered: the first evaluation, every new
// level of the 10^(k/20) grid of best f - f_opt, and the last evaluation) and .tdat
// (budget-triggered: at floor(10^(k/20)) and D*{1,2,5}*10^k evaluations, and the last one).
// Evaluations are cost units (evaluations + grad_cost x gradient evaluations: the budget every
// optimizer had); the g-evaluations column (constraints in COCO) is 0. The trace has no x, so
// no x columns are written; where a .tdat count has no trace row, "measured fitness" holds the
// best-so-far value.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/data.hpp"

namespace optbench::host::report {

// A run's COCO suite and function number, as its problem declares them; number 0 for a run of
// a problem in no COCO suite.
struct CocoFunction {
    std::string suite;
    int number = 0;
    auto operator<=>(const CocoFunction&) const = default;
};
CocoFunction coco_function(const ResultSet& results, const RunRecord& run);

// Writes one folder per optimizer with runs to export under `folder`; returns those folders
// (empty, and nothing written, when there are none).
std::vector<std::filesystem::path> write_coco_export(const ResultSet& results,
                                                     const std::filesystem::path& folder);

}  // namespace optbench::host::report
