// Export of bbob runs in COCO's "bbob-new2" data format, which COCO's post-processing (cocopp)
// reads: `python -m cocopp FOLDER/<optimizer> [FOLDER/<other optimizer> ...]`.
//
// Runs of a problem named `bbob` (or `<library>/bbob`) with a `function` parameter, a known
// f_opt and a finite logged value are exported, those that ended in error too (as the report's
// runtimes count them); one result folder per optimizer holds bbobexp_f<F>.info
// and data_f<F>/bbobexp_f<F>_DIM<D>.dat (target-triggered: the first evaluation, every new
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

#include "optbench/host/report_data.hpp"

namespace optbench::host::report {

// The bbob function number of a run, or 0 when the run is not a bbob run.
int bbob_function(const RunRecord& run);

// Writes one folder per optimizer with bbob runs under `folder`; returns those folders
// (empty, and nothing written, when there are no bbob runs).
std::vector<std::filesystem::path> write_coco_export(const ResultSet& results,
                                                     const std::filesystem::path& folder);

}  // namespace optbench::host::report
