// Campaign files: `key = value` lines with the long names of `optbench run`'s options.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace optbench::host {

// Reads a campaign file; '#' starts a comment; `optimizers` and `problems` may repeat (their
// lists are joined). Throws Error naming the file and line.
std::vector<std::pair<std::string, std::string>> read_campaign_file(const std::string& file);

}  // namespace optbench::host
