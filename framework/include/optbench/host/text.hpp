// Small text helpers shared by the CLI, spec parsing and report scripts.
#pragma once

#include <string>
#include <string_view>

namespace optbench::host {

// Without leading and trailing white space.
std::string_view trim(std::string_view text);

// Single-quoted for a POSIX shell: safe whatever the text holds.
std::string shell_quote(std::string_view text);

}  // namespace optbench::host
