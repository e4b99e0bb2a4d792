// Small text helpers shared by the CLI, spec parsing and report scripts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace optbench::host {

// Without leading and trailing white space.
std::string_view trim(std::string_view text);

// Single-quoted for a POSIX shell: safe whatever the text holds.
std::string shell_quote(std::string_view text);

// "1 run", "3 runs": a count with its noun in the right number (nouns that take an s).
std::string counted(std::size_t count, std::string_view noun);

}  // namespace optbench::host
