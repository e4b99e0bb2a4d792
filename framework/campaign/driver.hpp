// The campaign driver: plan, claim the folder, execute, assemble, write the manifest.
#pragma once

#include <string>

#include "campaign/campaign.hpp"
#include "campaign/executor.hpp"

namespace optbench::host {

struct Shard {
    std::size_t index = 0;
    std::size_t count = 1;
};

struct ResumeOptions {
    Shard shard;
    // A folder with this campaign's CSVs but no parts/ keeps its runs
    // (ResultStore::recover_parts) instead of running them again.
    bool keep_published = false;
    bool retry_failed = false;         // run again the finished runs whose status is error
    std::vector<std::size_t> rerun;    // run_ids to run again although finished
    bool wait_for_lock = false;        // wait for another process using out_dir instead of refusing
    // Finished runs made by a plugin library that has changed since (version or file) stop the
    // campaign, unless one of these says what to do with them.
    bool rerun_changed = false;
    bool keep_changed = false;
};

// Runs the campaign's runs of `resume.shard` into out_dir (skipping runs finished before,
// except damaged ones and those resume asks for again), then assembles the CSVs and the
// manifest. Holds out_dir's lock throughout.
ExecutionSummary run_campaign(const Registry& registry, const Campaign& campaign,
                              const std::string& out_dir, const ExecutionOptions& options,
                              const ResumeOptions& resume = {});

}  // namespace optbench::host
