// The Markdown summary `optbench run` prints at the end (the same tables as `optbench report`).
#pragma once

#include <string>

#include "optbench/host/csv.hpp"

namespace optbench::host {

// The final-value table (median, IQR, mean, std per problem x optimizer, the best marked,
// Holm-corrected rank-sum tests at alpha 0.05), the hold-out metrics table when runs.csv has
// metric columns, and the runs that did not finish ok.
std::string summary_markdown(const CsvTable& runs);

}  // namespace optbench::host
