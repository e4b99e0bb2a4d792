// The competition's data files, read in place from input_data.tar.xz: the archive is
// decompressed as a stream (Boost.Iostreams, xz) and its tar members are parsed here; only the
// members an instance needs are kept.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cec2017 {

// The archive this plugin reads: $OPTBENCH_CEC2017_DATA if set, otherwise the first that exists
// of the installed copy (found relative to the loaded plugin, then at the configured install
// prefix) and the copy in the source tree. Throws std::runtime_error (one line, listing the
// places looked in) when there is none.
std::filesystem::path archive_path();

// The content of the named members of a .tar.xz archive (names compared without their folder,
// e.g. "M_1_D10.txt" matches "input_data/M_1_D10.txt"). Reading stops as soon as all are found.
// A missing file, a damaged or truncated archive or a missing member is a std::runtime_error
// with one line that names the archive.
std::map<std::string, std::string> read_members(const std::filesystem::path& archive,
                                                const std::vector<std::string>& names);

// Whitespace-separated numbers as the reference reads them with fscanf.
// `what` names the member for error messages.
std::vector<double> parse_reals(const std::string& text, std::size_t count,
                                const std::string& what);
std::vector<int> parse_integers(const std::string& text, std::size_t count,
                                const std::string& what);
// The first `count` numbers of each of the first `rows` lines (the reference reads composition
// shift vectors line by line, skipping what is left of each line).
std::vector<double> parse_rows(const std::string& text, std::size_t rows, std::size_t count,
                               const std::string& what);

// Everything one function at one dimension needs, as read from the archive.
struct Data {
    std::size_t dimension = 0;
    std::size_t blocks = 0;         // components: 1, or 3..6 for compositions
    std::vector<double> shift;      // blocks x dimension, row-major
    std::vector<double> rotation;   // blocks x (dimension x dimension), each row-major
    std::vector<int> shuffle;       // hybrid permutations, 1-based as in the files; may be empty
};

// The names of the members function `function` at `dimension` needs.
std::vector<std::string> member_names(int function, std::size_t dimension);

// The data of one function at one dimension from members read_members returned (it may hold
// more); a member that does not parse is a std::runtime_error naming the archive.
Data parse(int function, std::size_t dimension,
           const std::map<std::string, std::string>& members,
           const std::filesystem::path& archive);

// Checks that the file is the competition's archive as shipped (its size and a 64-bit FNV-1a
// hash of its bytes), so that damage anywhere is reported even though reading stops at the last
// member an instance needs (xz's own check covers only what is decompressed up to its end).
void verify_archive(const std::filesystem::path& archive);

// verify_archive, read_members and parse: what function `function` at `dimension` needs. The
// function and dimension must be valid (see functions.hpp: check_instance).
Data load(const std::filesystem::path& archive, int function, std::size_t dimension);

}  // namespace cec2017
