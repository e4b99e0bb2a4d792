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
                                                   "problem_library_hash", "optimizer_build", "problem_build"};
    return names;
}

namespace {
// Rows of builds before the library hashes and build kinds (the last four columns).
constexpr std::size_t older_width = 7;
bool has_provenance_width(const std::vector<std::string>& row) {
    return row.size() == provenance_columns().size() || row.size() == older_width;
}
}  // namespace

std::vector<std::string> provenance_fields(std::vector<std::string> row) {
    if (!has_provenance_width(row))
        throw Error(fmt::format("a provenance row has {} fields, expected {} (or {} from older builds)", row.size(),
                                provenance_columns().size(), older_width));
    row.resize(provenance_columns().size());
    return row;
}

bool is_older_provenance_header(const std::vector<std::string>& header) {
    return header.size() == older_width && std::equal(header.begin(), header.end(), provenance_columns().begin());
}

const char* build_fingerprint() {
    static constexpr auto text = abi::layout::text(abi::minor_version);
    return text.data();
}

RunProvenance recorded_libraries(const std::vector<std::string>& row) {
    const std::vector<std::string> f = provenance_fields(row);
    return {f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]};
}

std::string provenance_line(std::size_t run_id, const RunProvenance& p) {
    return csv_line({std::to_string(run_id), build_commit, build_fingerprint(), p.optimizer_library,
                     p.optimizer_version, p.problem_library, p.problem_version, p.optimizer_library_hash,
                     p.problem_library_hash, p.optimizer_build, p.problem_build});
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
