// `optbench merge`: joins shard outputs; fails loudly on a missing or duplicated run.
#include <filesystem>
#include <iostream>
#include <map>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "results/manifest.hpp"
#include "results/store.hpp"
#include "results/csv.hpp"
#include "report/summary.hpp"
#include "base/text.hpp"

namespace optbench::host {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

std::string list_ids(const std::vector<std::size_t>& ids) {
    std::string text;
    for (std::size_t i = 0; i < ids.size() && i < 20; ++i) text += fmt::format("{}{}", i ? ", " : "", ids[i]);
    if (ids.size() > 20) text += fmt::format(", ... ({} in all)", ids.size());
    return text;
}

}  // namespace

int command_merge(const std::vector<std::string>& args) {
    po::options_description options("optbench merge --out DIR SHARD_DIR...");
    options.add_options()("help,h", "show this help")("out", po::value<std::string>(), "merged output folder")(
        "shards", po::value<std::vector<std::string>>(), "shard output folders")(
        "wait-lock", po::bool_switch(), "when another optbench process uses a folder, wait for it");
    po::positional_options_description positional;
    positional.add("shards", -1);
    const auto vm = parse_arguments(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("out") || !vm.count("shards")) throw Error("merge needs --out DIR and at least one SHARD_DIR");
    const auto shard_dirs = vm["shards"].as<std::vector<std::string>>();
    const std::string out = vm["out"].as<std::string>();
    require_out_folder(out);
    for (const std::string& dir : shard_dirs) {
        std::error_code ec;
        if (fs::equivalent(dir, out, ec))
            throw Error(fmt::format("merge --out {} is also a shard: merge into a new folder", out));
    }

    const bool wait_for_lock = vm["wait-lock"].as<bool>();
    std::vector<ResultStore> shards;
    for (const std::string& dir : shard_dirs) {
        shards.emplace_back(dir, ResultStore::Access::read, wait_for_lock);
        if (shards.back().campaign_key().empty())
            throw Error(fmt::format("{} holds no campaign (parts/campaign.key missing)", dir));
        if (shards.back().campaign_key() != shards.front().campaign_key())
            throw Error(fmt::format("{} and {} hold different campaigns", shard_dirs.front(), dir));
    }
    const std::vector<RunSpec> plan = shards.front().plan();
    std::map<std::size_t, std::size_t> source;  // run_id -> shard
    std::vector<std::size_t> missing;
    for (const RunSpec& run : plan) {
        for (std::size_t s = 0; s < shards.size(); ++s) {
            if (!shards[s].finished(run.run_id)) continue;
            if (source.count(run.run_id))
                throw Error(fmt::format("run {} is in both {} and {}; refusing to merge duplicates",
                                        run.run_id, shard_dirs[source[run.run_id]], shard_dirs[s]));
            source[run.run_id] = s;
        }
        if (!source.count(run.run_id)) missing.push_back(run.run_id);
    }
    if (!missing.empty())
        throw Error(fmt::format("{} of {} runs are missing from the shards: run_id {}", missing.size(),
                                plan.size(), list_ids(missing)));

    const ResultStore merged(out, ResultStore::Access::write, wait_for_lock);
    merged.claim(shards.front().campaign_key(), plan);
    for (const auto& [run_id, s] : source) {
        if (merged.finished(run_id)) continue;
        merged.copy_run(shards[s], run_id);
    }
    for (const ResultStore& shard : shards) {
        const fs::path artifacts = shard.dir() / "artifacts";
        if (!fs::is_directory(artifacts)) continue;
        for (const fs::directory_entry& file : fs::recursive_directory_iterator(artifacts))
            if (file.is_regular_file())
                merged.add_artifact(fs::relative(file.path(), artifacts), read_file(file.path()));
    }
    merged.assemble(plan);
    Manifest manifest = read_manifest(shards.front().dir() / "manifest.json");
    manifest.shard = fmt::format("merged from {} shards", shards.size());
    write_file_atomically(merged.dir() / "manifest.json", manifest_json(manifest));
    fmt::print("{}\n", summary_markdown(merged.dir()));
    fmt::print("merged {} runs from {} shards into {}\n", plan.size(), shards.size(), merged.dir().string());
    return 0;
}

}  // namespace optbench::host
