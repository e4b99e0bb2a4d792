// A campaign's results folder: each finished run kept in DIR/parts/ (its row file written last,
// atomically, so a run is either complete or absent; a checksum file before it, so a part
// damaged later is found), assembled into DIR/runs.csv, trace.csv, stats.csv, provenance.csv and
// holdout.csv.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "results/folder_lock.hpp"
#include "results/provenance.hpp"
#include "results/run_row.hpp"

namespace optbench::host {

class ResultStore {
public:
    enum class Access {
        // Creates the folder, or takes one that is empty or holds optbench's results (never a
        // folder of other files: optbench does not overwrite what it did not write), and locks
        // it for this process alone.
        write,
        // An existing results folder (a shard being merged), locked against writers.
        read,
    };
    // Throws Error when the folder cannot be used; `wait_for_lock`: wait for another process
    // holding the folder instead of refusing.
    explicit ResultStore(std::filesystem::path dir, Access access = Access::write, bool wait_for_lock = false);

    const std::filesystem::path& dir() const { return dir_; }
    bool finished(std::size_t run_id) const;
    // A finished run whose status is error.
    bool failed(std::size_t run_id) const;
    // Removes a run's parts (its row first), so that the campaign runs it again.
    void forget(std::size_t run_id) const;
    // Forgets every finished run of `runs` whose parts are damaged (rows missing or changed
    // since they were written), saying which on stderr; returns how many.
    std::size_t forget_damaged(const std::vector<RunSpec>& runs) const;
    // A run's attempt that ended without a result (its worker killed from outside); returns
    // the number of such attempts so far, this one included.
    std::size_t record_failed_attempt(std::size_t run_id, const std::string& message) const;
    // The plugin libraries a finished run recorded; nullopt when it recorded none (a build
    // older than provenance).
    std::optional<RunProvenance> recorded_provenance(std::size_t run_id) const;
    // Keeps the run's parts; its artifacts go to artifacts/<problem spec as a portable name>/.
    void save(const RunRow& row, const RunProvenance& provenance,
              const std::vector<std::pair<std::string, std::string>>& artifacts = {}) const;
    // Writes runs.csv, trace.csv, stats.csv and provenance.csv (and attempts.csv when a run
    // needed more than one attempt, holdout.csv when a run has hold-out rows) from the parts of `runs` (sorted by run_id); returns the
    // run_ids that have no part yet. Throws Error naming a damaged part.
    std::vector<std::size_t> assemble(const std::vector<RunSpec>& runs) const;

    // Binds the folder to a campaign: records its key and the whole plan (all runs, also
    // those of other shards). Refuses a folder that holds another campaign's results, by its
    // parts/ or, without them, by its manifest.json.
    void claim(const std::string& campaign_key, const std::vector<RunSpec>& plan) const;
    // Binds a claimed folder to a campaign it grew into (campaign/campaign.hpp: check_growth,
    // with_folder_run_ids): its new key and plan, in which every run of the old plan kept its id.
    void adopt_grown(const std::string& campaign_key, const std::vector<RunSpec>& plan) const;
    // claim's refusal alone: throws Error when the folder holds another campaign's results.
    void check_campaign(const std::string& campaign_key) const;
    std::string campaign_key() const;  // "" when unclaimed
    std::vector<RunSpec> plan() const;
    // For a folder whose CSVs hold finished runs of this campaign but not their parts (a clone
    // of published results): rebuilds the missing parts from runs.csv, trace.csv, stats.csv
    // (and provenance.csv and holdout.csv), so that resuming keeps those runs; returns how many. Checks every
    // row against `plan` and the other files before writing: throws Error naming file and row.
    std::size_t recover_parts(const std::vector<RunSpec>& plan) const;
    // Copies a finished run's parts from another folder of the same campaign (merging shards).
    void copy_run(const ResultStore& from, std::size_t run_id) const;
    // Writes artifacts/<relative> unless the same text is there; throws Error when other text
    // is (every run of a problem writes the same artifacts).
    void add_artifact(const std::filesystem::path& relative, const std::string& text) const;

private:
    // The texts of a run's part files; provenance and holdout are "" when the run has none.
    struct RunParts {
        std::string trace, stats, provenance, row, holdout;
    };
    std::filesystem::path part(std::size_t run_id, const char* suffix) const;
    // Reads and verifies a finished run's parts: throws Error naming the damaged part.
    RunParts read_parts(std::size_t run_id) const;
    void write_parts(std::size_t run_id, const RunParts& parts) const;

    std::filesystem::path dir_;
    FolderLock lock_;
};

}  // namespace optbench::host
