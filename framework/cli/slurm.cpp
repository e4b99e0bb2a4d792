// `optbench slurm`: writes (and submits) a Slurm array job that runs a campaign's shards, and
// the merge job after it.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <boost/dll/runtime_symbol_info.hpp>
#include <fmt/format.h>

#include "base/text.hpp"
#include "cli/campaign_options.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "results/csv.hpp"
#include "results/store.hpp"

namespace optbench::host {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// Slurm's largest MaxArraySize: no cluster runs a longer array (most stop at the default, 1001).
constexpr std::size_t max_array_tasks = 4'000'001;

bool has_control_character(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

// A path is written shell-quoted; a newline would still end an #SBATCH line, and the rest of
// the path would run as a command.
void check_script_path(const char* option, const fs::path& path) {
    if (has_control_character(path.string()))
        throw Error(fmt::format("--{} '{}' holds a control character: expected a path the Slurm script can hold on "
                                "one line",
                                option, path.string()));
}

// A setting is written unquoted into an #SBATCH line, where a space, quote or backslash would
// split it or unbalance the line's quoting too.
void check_sbatch_setting(const char* option, const std::string& value) {
    if (value.empty() || has_control_character(value) || value.find_first_of(" '\"\\") != std::string::npos)
        throw Error(fmt::format("--{} '{}': expected a Slurm setting without spaces, quotes, backslashes or "
                                "control characters",
                                option, value));
}

}  // namespace

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
    if (shards > max_array_tasks)
        throw Error(fmt::format("--shards {} is more array tasks than Slurm allows: expected at most {}", shards,
                                grouped_count(max_array_tasks)));
    {
        // Planned now, as every task will: a malformed file or a bad spec fails here, not on
        // the cluster in every task.
        const po::options_description options = campaign_options();
        po::variables_map settings;
        add_campaign_file(vm["campaign"].as<std::string>(), options, settings);
        const Registry registry = Registry::discover();
        warn_load_errors(registry);
        plan_runs(registry, campaign_from(settings));
    }
    const fs::path campaign = fs::absolute(vm["campaign"].as<std::string>());
    check_script_path("campaign", campaign);
    const fs::path out = fs::absolute(vm["out"].as<std::string>());
    check_script_path("out", out);
    for (const char* setting : {"partition", "time"})
        if (vm.count(setting)) check_sbatch_setting(setting, vm[setting].as<std::string>());
    // Taken as a results folder now, so that the merge job may write into it (and a folder
    // of other files is refused before any script is written).
    const ResultStore merged(out);
    const fs::path slurm_dir = out / "slurm";
    fs::create_directories(slurm_dir / "logs");
    const std::string optbench = boost::dll::program_location().string();
    // The job name stands unquoted in an #SBATCH line: a portable name is one word there.
    const std::string name = portable_name(campaign.stem().string());
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
