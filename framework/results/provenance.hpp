// Which build made each run: the host's commit and fingerprint and the plugin libraries'
// versions, kept with each run (provenance.csv), since a folder resumed or merged across
// builds mixes them.
#pragma once

#include <string>
#include <vector>

#include "results/csv.hpp"

namespace optbench::host {

// The commit the host was built from: "<hash>-dirty" when tracked sources differed from it,
// "unknown" outside a git checkout. Defined in a file the build generates.
extern const char* const build_commit;
// This build's plugin fingerprint (optbench/sdk/fingerprint.hpp), as plugins built with it carry.
const char* build_fingerprint();

struct RunProvenance {
    std::string optimizer_library, optimizer_version, problem_library, problem_version;
    std::string optimizer_library_hash, problem_library_hash;  // FNV-1a of the library files
    // "optimized" or "unoptimized" (PluginEntry::library_build); "" when unknown.
    std::string optimizer_build, problem_build;
    // The library (or script) files; "" from builds older than these columns.
    std::string optimizer_file, problem_file;
};

const std::vector<std::string>& provenance_columns();
// A provenance row as provenance_columns() has it: rows of builds older than the library
// hashes and build kinds, or the library files, get those fields empty. Throws Error for a row
// of another width.
std::vector<std::string> provenance_fields(std::vector<std::string> row);
// A header of provenance.csv written before the library hashes and build kinds, or the files.
bool is_older_provenance_header(const std::vector<std::string>& header);
// The libraries a provenance row records (hashes and builds empty from older builds).
RunProvenance recorded_libraries(const std::vector<std::string>& row);
// A provenance.csv line of a run made by this build.
std::string provenance_line(std::size_t run_id, const RunProvenance& provenance);

// How the builds behind a provenance.csv differ: host builds, library versions, runs without
// a record, "; "-separated; "" when all runs come from one build.
std::string build_differences(const CsvTable& provenance);

}  // namespace optbench::host
