// The Markdown summary `optbench run` and `merge` print at the end (the same tables as
// `optbench report`).
#pragma once

#include <filesystem>
#include <string>

namespace optbench::host {

// Of DIR/runs.csv (with DIR/manifest.json's declarations): the final-value table (median, IQR,
// mean, std per problem x optimizer, the best marked, Holm-corrected rank-sum tests at alpha
// 0.05), the hold-out metrics table when runs.csv has metric columns, and the runs that did
// not finish ok.
std::string summary_markdown(const std::filesystem::path& dir);

}  // namespace optbench::host
