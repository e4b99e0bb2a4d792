// A campaign's results folder: each finished run kept in DIR/parts/ (its row file written last,
// atomically, so a run is either complete or absent), assembled into DIR/runs.csv, trace.csv,
// stats.csv and provenance.csv.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "results/provenance.hpp"
#include "results/run_row.hpp"

namespace optbench::host {

class ResultStore {
public:
    explicit ResultStore(std::filesystem::path dir);

    const std::filesystem::path& dir() const { return dir_; }
    bool finished(std::size_t run_id) const;
    // Keeps the run's parts; its artifacts go to artifacts/<problem spec as a portable name>/.
    void save(const RunRow& row, const RunProvenance& provenance,
              const std::vector<std::pair<std::string, std::string>>& artifacts = {}) const;
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

}  // namespace optbench::host
