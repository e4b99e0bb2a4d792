// A campaign: every optimizer x every problem x every seed, under one budget.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/run.hpp"
#include "results/manifest.hpp"
#include "results/provenance.hpp"

namespace optbench::host {

// More hold-out checkpoints per decade than this would be a typo: each costs a pass over the
// problem's hold-out data.
inline constexpr int max_holdout_per_decade = 1000;

struct Campaign {
    std::vector<Spec> optimizers;  // as given (before expansion of lists and ranges)
    std::vector<Spec> problems;
    std::size_t seeds = 1;
    std::uint64_t seed = 1;  // the campaign seed all run seeds derive from
    RunSettings settings;

    // Everything that defines the runs, as one deterministic line: equal campaigns, equal text.
    std::string canonical() const;
    // The part of canonical() a results folder keeps for ever (seed, budget, grad_cost, trace,
    // target, timeout): its lists of optimizers, problems and seeds may grow.
    std::string fixed_settings() const;
};

// Throws Error naming each fixed setting in which `campaign` differs from the folder's key.
void check_growth(const std::string& folder_key, const Campaign& campaign, const std::string& folder);

// The plan with the run_ids of a folder's plan: each run keeps its id there (runs are the same
// run when optimizer, problem and repetition are: the seed derives from them), and runs new to
// the folder are numbered after its last. Throws Error when the folder holds a finished run
// the plan lacks (lists may grow, not shrink).
std::vector<RunSpec> with_folder_run_ids(std::vector<RunSpec> plan, const std::vector<RunSpec>& folder_plan,
                                         const std::function<bool(std::size_t run_id)>& finished,
                                         const std::string& folder);

// Expands specs and seeds into runs (problem-major, then optimizer, then repetition; run_id
// is the position, until a folder that grew renumbers: with_folder_run_ids) and validates every name and parameter up front, creating each distinct
// problem once (so missing data or a bad dimension fails before any run): throws Error.
std::vector<RunSpec> plan_runs(const Registry& registry, const Campaign& campaign);

// A deterministic 1/count of the runs: those with run_id % count == index.
std::vector<RunSpec> shard_of(const std::vector<RunSpec>& runs, std::size_t index, std::size_t count);

// The plugin libraries that run a run.
RunProvenance provenance_of(const Registry& registry, const RunSpec& spec);

// The manifest of a campaign run with this registry; started and ended are left to the caller.
// shard: "all", "K/N", or "merged from N shards".
Manifest manifest_of(const Campaign& campaign, const Registry& registry, std::size_t num_runs,
                     const std::string& shard);

}  // namespace optbench::host
