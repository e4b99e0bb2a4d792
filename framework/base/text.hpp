// Small text helpers shared by the CLI, spec parsing and report scripts.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

namespace optbench::host {

// Without leading and trailing white space.
std::string_view trim(std::string_view text);

// `text` on one line: each control character written as an escape ("\n", "\t", "\x1b"), so a
// message quoting a hostile value stays one line and prints nothing a terminal obeys.
std::string one_line(std::string_view text);

// Single-quoted for a POSIX shell: safe whatever the text holds.
std::string shell_quote(std::string_view text);

// A file or folder name that every common file system accepts and that is never special (".",
// "..", hidden, an option): letters, digits, '_', '-', '.', starting and ending with a letter
// or digit.
bool is_portable_name(std::string_view name);

// `text` as a portable name: each run of other characters becomes one '_', and the ends are
// trimmed to a letter or digit ("adam:gradient=fd" -> "adam_gradient_fd"); "" when `text`
// has no letter or digit. Different texts can give the same name.
std::string portable_name(std::string_view text);

// portable_name(text), made distinct from the names in `taken` by a suffix "_2", "_3", ...;
// the result joins `taken`.
std::string distinct_portable_name(std::string_view text, std::set<std::string>& taken);

// A count with its thousands grouped: "4,000,000,000". Beyond 2^53, where a double no longer
// holds every whole number, in exponent form: "1e+60".
std::string grouped_count(double count);

// "1 run", "3 runs": a count with its noun in the right number (nouns that take an s).
std::string counted(std::size_t count, std::string_view noun);

}  // namespace optbench::host
