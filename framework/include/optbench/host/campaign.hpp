// A campaign: every optimizer x every problem x every seed, under one budget.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "optbench/host/run.hpp"

namespace optbench::host {

struct Campaign {
    std::vector<Spec> optimizers;  // as given (before expansion of lists and ranges)
    std::vector<Spec> problems;
    int seeds = 1;
    std::uint64_t seed = 1;  // the campaign seed all run seeds derive from
    RunSettings settings;

    // Everything that defines the runs, as one deterministic line: equal campaigns, equal text.
    std::string canonical() const;
};

// Expands specs and seeds into runs (problem-major, then optimizer, then repetition; run_id
// is the position) and validates every name and parameter up front: throws Error.
std::vector<RunSpec> plan_runs(const Registry& registry, const Campaign& campaign);

// Keeps each finished run in DIR/parts/ (its row file is written last, atomically, so a run
// is either complete or absent) and assembles DIR/runs.csv, trace.csv and stats.csv.
class ResultStore {
public:
    explicit ResultStore(std::filesystem::path dir);

    const std::filesystem::path& dir() const { return dir_; }
    bool finished(std::size_t run_id) const;
    void save(const RunResult& result) const;
    // Writes the three CSV files from the parts of `runs` (sorted by run_id); returns the
    // run_ids that have no part yet.
    std::vector<std::size_t> assemble(const std::vector<RunSpec>& runs) const;

    // Refuses a folder that holds another campaign's results.
    void claim(const std::string& campaign_key) const;

private:
    std::filesystem::path part(std::size_t run_id, const char* suffix) const;
    std::filesystem::path dir_;
};

// The fixed leading columns of runs.csv; hold-out metric columns follow `error`.
extern const std::vector<std::string> run_columns_before_metrics;
extern const std::vector<std::string> run_columns_after_metrics;

std::string manifest_json(const Campaign& campaign, const Registry& registry,
                          const std::string& started, const std::string& ended,
                          std::size_t num_runs);
std::string utc_now();

}  // namespace optbench::host
