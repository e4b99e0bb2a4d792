// manifest.json: the resolved campaign, the build, the plugins and what they declare, and when
// the campaign ran. Written and read with a JSON library, never by string search.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "results/declarations.hpp"

namespace optbench::host {

struct Manifest {
    static constexpr double unset = std::numeric_limits<double>::quiet_NaN();
    // The campaign as given (spec texts before expansion) and its settings.
    std::vector<std::string> optimizers, problems;
    std::size_t seeds = 1;
    std::uint64_t campaign_seed = 1;
    double budget = 0;
    double budget_per_dim = unset;  // unset: a fixed budget per run
    double grad_cost = 1;
    std::string trace;
    int holdout_every = 10;  // hold-out checkpoints per decade (0: only at the end)
    double target_error = unset;
    double run_timeout_s = 0;
    std::string campaign_key;  // the campaign's canonical text: equal campaigns, equal keys
    std::size_t runs = 0;
    std::string shard;  // "all", "K/N", or "merged from N shards"
    std::vector<std::pair<std::string, std::string>> plugins;  // library -> version
    Declarations declarations;
    std::string started, ended;  // UTC; ended "" while the campaign runs or after an interruption
    // Written by this build; read back as the file says.
    std::string optbench_version, git_commit, abi, build_fingerprint;
};

// The text of manifest.json; the build's own version, commit, ABI and fingerprint fill the
// last four fields.
std::string manifest_json(const Manifest& manifest);
// Throws Error naming the file and what is wrong.
Manifest read_manifest(const std::filesystem::path& file);
// The campaign key DIR/manifest.json names; "" when there is no readable manifest.
std::string manifest_campaign_key(const std::filesystem::path& dir);

std::string utc_now();

}  // namespace optbench::host
