// `optbench merge` (join shard outputs) and `optbench slurm` (run shards as a Slurm array).
#include <filesystem>
#include <iostream>
#include <map>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "optbench/host/cli.hpp"
#include "optbench/host/csv.hpp"
#include "optbench/host/summary.hpp"
#include "optbench/host/text.hpp"

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
        "shards", po::value<std::vector<std::string>>(), "shard output folders");
    po::positional_options_description positional;
    positional.add("shards", -1);
    const auto vm = parse_arguments(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("out") || !vm.count("shards")) throw Error("merge needs --out DIR and at least one SHARD_DIR");
    const auto shard_dirs = vm["shards"].as<std::vector<std::string>>();

    std::vector<ResultStore> shards;
    for (const std::string& dir : shard_dirs) {
        if (!fs::is_directory(fs::path(dir) / "parts"))
            throw Error(fmt::format("{} is not a campaign output folder (no parts/)", dir));
        shards.emplace_back(dir);
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

    const ResultStore merged(vm["out"].as<std::string>());
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
    std::string manifest = read_file(shards.front().dir() / "manifest.json");
    const std::size_t at = manifest.find("\"shard\": ");
    if (at != std::string::npos) {
        const std::size_t end = manifest.find('\n', at);
        manifest.replace(at, end - at, fmt::format("\"shard\": \"merged from {} shards\",", shards.size()));
    }
    write_file_atomically(merged.dir() / "manifest.json", manifest);
    fmt::print("{}\n", summary_markdown(read_csv(merged.dir() / "runs.csv")));
    fmt::print("merged {} runs from {} shards into {}\n", plan.size(), shards.size(), merged.dir().string());
    return 0;
}

int command_slurm(const std::vector<std::string>& args) {
    po::options_description options("optbench slurm --campaign FILE --shards N --out DIR [--submit]");
    options.add_options()("help,h", "show this help")("campaign", po::value<std::string>(), "campaign file")(
        "shards", po::value<Count>(), "number of array tasks (each runs shard i/N)")(
        "out", po::value<std::string>(), "output folder on a file system the compute nodes share")(
        "cpus-per-task", po::value<Count>()->default_value(Count{1}, "1"), "CPUs (and --jobs) per array task")(
        "partition", po::value<std::string>(), "Slurm partition")(
        "time", po::value<std::string>(), "time limit per array task (Slurm syntax, e.g. 2:00:00)")(
        "submit", po::bool_switch(), "submit the array and the merge job (afterany) with sbatch");
    const auto vm = parse_arguments(args, options);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("campaign") || !vm.count("shards") || !vm.count("out"))
        throw Error("slurm needs --campaign FILE, --shards N and --out DIR");
    const std::size_t shards = vm["shards"].as<Count>().value;
    const fs::path campaign = fs::absolute(vm["campaign"].as<std::string>());
    if (!fs::is_regular_file(campaign)) throw Error(fmt::format("campaign file {}: cannot be read", campaign.string()));
    read_campaign_file(campaign.string());  // fail now on a malformed file, not on the cluster
    const fs::path out = fs::absolute(vm["out"].as<std::string>());
    const fs::path slurm_dir = out / "slurm";
    fs::create_directories(slurm_dir / "logs");
    const std::string optbench = boost::dll::program_location().string();
    const std::string name = campaign.stem().string();
    const std::size_t cpus = vm["cpus-per-task"].as<Count>().value;

    const std::string header =
        fmt::format("#!/bin/bash\n{}{}",
                    vm.count("partition") ? fmt::format("#SBATCH --partition={}\n", vm["partition"].as<std::string>()) : "",
                    vm.count("time") ? fmt::format("#SBATCH --time={}\n", vm["time"].as<std::string>()) : "");

    const std::string array = header + fmt::format(
        "#SBATCH --job-name=optbench-{0}\n"
        "#SBATCH --array=0-{1}\n"
        "#SBATCH --cpus-per-task={2}\n"
        "#SBATCH --output={3}/%A_%a.out\n"
        "# Task i runs shard i/{4} of the campaign into its own folder.\n"
        "set -euo pipefail\n"
        "exec {5} run --campaign {6} --shard \"$SLURM_ARRAY_TASK_ID/{4}\" --jobs {2} \\\n"
        "  --out {7}/shards/\"$SLURM_ARRAY_TASK_ID\"\n",
        name, shards - 1, cpus, shell_quote((slurm_dir / "logs").string()), shards, shell_quote(optbench),
        shell_quote(campaign.string()), shell_quote(out.string()));
    std::string shard_dirs;
    for (std::size_t i = 0; i < shards; ++i)
        shard_dirs += fmt::format(" {}", shell_quote((out / "shards" / std::to_string(i)).string()));
    const std::string merge = header + fmt::format(
        "#SBATCH --job-name=optbench-{0}-merge\n"
        "#SBATCH --output={1}/merge_%j.out\n"
        "# Joins the shards; fails (and says which runs) if any is missing.\n"
        "set -euo pipefail\n"
        "exec {2} merge --out {3}{4}\n",
        name, shell_quote((slurm_dir / "logs").string()), shell_quote(optbench), shell_quote(out.string()),
        shard_dirs);
    write_file_atomically(slurm_dir / "array.sh", array);
    write_file_atomically(slurm_dir / "merge.sh", merge);
    fs::permissions(slurm_dir / "array.sh", fs::perms::owner_exec, fs::perm_options::add);
    fs::permissions(slurm_dir / "merge.sh", fs::perms::owner_exec, fs::perm_options::add);
    fmt::print("wrote {0}/array.sh ({1} tasks) and {0}/merge.sh\n", slurm_dir.string(), shards);
    if (!vm["submit"].as<bool>()) {
        fmt::print("submit with: jid=$(sbatch --parsable {0}/array.sh) && sbatch --dependency=afterany:$jid {0}/merge.sh\n",
                   slurm_dir.string());
        return 0;
    }
    const auto sbatch = [](const std::string& arguments) {
        const std::string command = "sbatch --parsable " + arguments;
        FILE* pipe = ::popen(command.c_str(), "r");
        if (!pipe) throw Error("cannot run sbatch");
        char buffer[256] = {};
        const bool read = std::fgets(buffer, sizeof buffer, pipe) != nullptr;
        const int status = ::pclose(pipe);
        std::string id = read ? buffer : "";
        while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
        if (status != 0 || id.empty())
            throw Error(fmt::format("sbatch failed ({}); is Slurm running and sbatch on PATH?", command));
        return id.substr(0, id.find(';'));
    };
    const std::string array_id = sbatch(shell_quote((slurm_dir / "array.sh").string()));
    const std::string merge_id =
        sbatch(fmt::format("--dependency=afterany:{} {}", array_id, shell_quote((slurm_dir / "merge.sh").string())));
    fmt::print("submitted array job {} and merge job {}; merged results will be in {}\n", array_id, merge_id,
               out.string());
    return 0;
}

}  // namespace optbench::host
