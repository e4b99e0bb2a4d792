// The short Markdown table `optbench run` prints at the end.
#pragma once

#include <string>

#include "optbench/host/csv.hpp"

namespace optbench::host {

// One row per problem x optimizer: runs, ok runs, and medians of best_f, error, evals, wall_s
// and any hold-out metric columns.
std::string summary_markdown(const CsvTable& runs);

}  // namespace optbench::host
