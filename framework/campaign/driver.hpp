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

// Runs the campaign's runs of `shard` into out_dir (skipping runs finished before), then
// assembles the CSVs and the manifest. keep_published: a folder with this campaign's CSVs but
// no parts/ keeps its runs (ResultStore::recover_parts) instead of running them again.
ExecutionSummary run_campaign(const Registry& registry, const Campaign& campaign,
                              const std::string& out_dir, const ExecutionOptions& options,
                              const Shard& shard = {}, bool keep_published = false);

}  // namespace optbench::host
