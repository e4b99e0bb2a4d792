#include "results/provenance.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/error.hpp"
#include "optbench/sdk/fingerprint.hpp"

namespace optbench::host {

const std::vector<std::string>& provenance_columns() {
    static const std::vector<std::string> names = {"run_id",           "git_commit",        "build_fingerprint",
                                                   "optimizer_library", "optimizer_version", "problem_library",
                                                   "problem_version",   "optimizer_library_hash",
                                                   "problem_library_hash", "optimizer_build", "problem_build",
                                                   "optimizer_library_file", "problem_library_file"};
    return names;
}

namespace {
// Rows of older builds: before the library hashes and build kinds (7), before the files (11).
constexpr std::size_t older_widths[] = {7, 11};
bool is_older_width(std::size_t width) {
    return std::find(std::begin(older_widths), std::end(older_widths), width) != std::end(older_widths);
}
bool has_provenance_width(const std::vector<std::string>& row) {
    return row.size() == provenance_columns().size() || is_older_width(row.size());
}
}  // namespace

std::vector<std::string> provenance_fields(std::vector<std::string> row) {
    if (!has_provenance_width(row))
        throw Error(fmt::format("a provenance row has {} fields, expected {} (or {} from older builds)", row.size(),
                                provenance_columns().size(), fmt::join(older_widths, " or ")));
    row.resize(provenance_columns().size());
    return row;
}

bool is_older_provenance_header(const std::vector<std::string>& header) {
    return is_older_width(header.size()) && std::equal(header.begin(), header.end(), provenance_columns().begin());
}

const char* build_fingerprint() {
    static constexpr auto text = abi::layout::text(abi::minor_version);
    return text.data();
}

RunProvenance recorded_libraries(const std::vector<std::string>& row) {
    const std::vector<std::string> f = provenance_fields(row);
    return {f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12]};
}

std::string provenance_line(std::size_t run_id, const RunProvenance& p) {
    return csv_line({std::to_string(run_id), build_commit, build_fingerprint(), p.optimizer_library,
                     p.optimizer_version, p.problem_library, p.problem_version, p.optimizer_library_hash,
                     p.problem_library_hash, p.optimizer_build, p.problem_build, p.optimizer_file, p.problem_file});
}

std::string build_differences(const CsvTable& provenance) {
    std::set<std::string> hosts;
    std::map<std::string, std::set<std::string>> versions;  // library -> versions
    std::size_t unrecorded = 0;
    for (std::size_t i = 1; i < provenance.size(); ++i) {
        const auto& row = provenance[i];
        if (!has_provenance_width(row) || row[1].empty()) {
            ++unrecorded;
            continue;
        }
        hosts.insert(fmt::format("{} ({})", row[1], row[2]));
        versions[row[3]].insert(row[4]);
        versions[row[5]].insert(row[6]);
    }
    std::vector<std::string> differences;
    if (hosts.size() > 1) differences.push_back(fmt::format("host builds {}", fmt::join(hosts, ", ")));
    for (const auto& [library, seen] : versions)
        if (seen.size() > 1) differences.push_back(fmt::format("{} {}", library, fmt::join(seen, ", ")));
    if (unrecorded > 0 && !hosts.empty())  // with no run recorded, nothing is known to differ
        differences.push_back(fmt::format("{} of {} runs made by builds that did not record theirs", unrecorded,
                                          provenance.size() - 1));
    return fmt::format("{}", fmt::join(differences, "; "));
}

}  // namespace optbench::host
