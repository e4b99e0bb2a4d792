// A campaign: every optimizer x every problem x every seed, under one budget.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "optbench/host/csv.hpp"
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
// is the position) and validates every name and parameter up front, creating each distinct
// problem once (so missing data or a bad dimension fails before any run): throws Error.
std::vector<RunSpec> plan_runs(const Registry& registry, const Campaign& campaign);

// A deterministic 1/count of the runs: those with run_id % count == index.
std::vector<RunSpec> shard_of(const std::vector<RunSpec>& runs, std::size_t index, std::size_t count);

// The runs of a plan.csv as ResultStore::claim writes it; reading needs no write access.
std::vector<RunSpec> read_plan(const std::filesystem::path& plan_csv);

// The plugin libraries that ran a run. With the host's commit and build fingerprint it is the
// run's provenance, kept with each run: a folder resumed or merged across builds mixes them.
struct RunProvenance {
    std::string optimizer_library, optimizer_version, problem_library, problem_version;
};
RunProvenance provenance_of(const Registry& registry, const RunSpec& spec);

// Keeps each finished run in DIR/parts/ (its row file is written last, atomically, so a run
// is either complete or absent) and assembles DIR/runs.csv, trace.csv and stats.csv.
class ResultStore {
public:
    explicit ResultStore(std::filesystem::path dir);

    const std::filesystem::path& dir() const { return dir_; }
    bool finished(std::size_t run_id) const;
    void save(const RunResult& result, const RunProvenance& provenance) const;
    // Writes runs.csv, trace.csv, stats.csv and provenance.csv from the parts of `runs`
    // (sorted by run_id); returns the run_ids that have no part yet.
    std::vector<std::size_t> assemble(const std::vector<RunSpec>& runs) const;

    // Binds the folder to a campaign: records its key and the whole plan (all runs, also
    // those of other shards). Refuses a folder that holds another campaign's results, by its
    // parts/ or, without them, by its manifest.json.
    void claim(const std::string& campaign_key, const std::vector<RunSpec>& plan) const;
    // claim's refusal alone: throws Error when the folder holds another campaign's results.
    void check_campaign(const std::string& campaign_key) const;
    std::string campaign_key() const;  // "" when unclaimed
    std::vector<RunSpec> plan() const;
    // For a folder whose CSVs hold finished runs of this campaign but not their parts (a clone
    // of published results): rebuilds the missing parts from runs.csv, trace.csv, stats.csv
    // (and provenance.csv), so that resuming keeps those runs; returns how many. Checks every
    // row against `plan` and the other files before writing: throws Error naming file and row.
    std::size_t recover_parts(const std::vector<RunSpec>& plan) const;
    // Copies a finished run's parts from another folder of the same campaign (merging shards).
    void copy_run(const ResultStore& from, std::size_t run_id) const;
    // Writes artifacts/<relative> unless the same text is there; throws Error when other text
    // is (every run of a problem writes the same artifacts).
    void add_artifact(const std::filesystem::path& relative, const std::string& text) const;

private:
    std::filesystem::path part(std::size_t run_id, const char* suffix) const;
    std::string provenance_row(std::size_t run_id) const;  // a CSV line; empty fields when unrecorded
    std::filesystem::path dir_;
};

// The fixed leading columns of runs.csv; hold-out metric columns follow `error`.
extern const std::vector<std::string> run_columns_before_metrics;
extern const std::vector<std::string> run_columns_after_metrics;
// True for runs.csv's own columns, which no hold-out metric may take.
bool is_run_column(const std::string& name);

// How the builds behind a provenance.csv differ: host builds, library versions, runs without
// a record, "; "-separated; "" when all runs come from one build.
std::string build_differences(const CsvTable& provenance);

// The commit the host was built from: "<hash>-dirty" when tracked sources differed from it,
// "unknown" outside a git checkout. Defined in a file the build generates.
extern const char* const build_commit;

// The campaign key a folder's manifest.json names; "" when it has none.
std::string manifest_campaign_key(const std::filesystem::path& dir);

// shard: "all", "K/N", or "merged from N shards".
std::string manifest_json(const Campaign& campaign, const Registry& registry,
                          const std::string& started, const std::string& ended,
                          std::size_t num_runs, const std::string& shard);
std::string utc_now();

}  // namespace optbench::host
