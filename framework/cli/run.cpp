// `optbench run`: a campaign from options or a campaign file.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include "base/text.hpp"
#include "campaign/driver.hpp"
#include "cli/campaign_options.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "report/summary.hpp"

namespace optbench::host {

namespace po = boost::program_options;

namespace {

// A worker's limit is set in bytes, as a 64-bit rlim_t: 2^64 bytes are 2^44 MB.
constexpr double max_run_memory_mb = 0x1p44;

Shard parse_shard(const std::string& text) {
    const std::size_t slash = text.find('/');
    try {
        if (slash != std::string::npos) {
            std::size_t used = 0;
            const unsigned long index = std::stoul(text.substr(0, slash), &used);
            if (used == slash) {
                const std::string rest = text.substr(slash + 1);
                const unsigned long count = std::stoul(rest, &used);
                if (used == rest.size() && index < count && text[0] != '-') return {index, count};
            }
        }
    } catch (const std::exception&) {
    }
    throw Error(fmt::format("--shard expects K/N with 0 <= K < N (e.g. 0/4), got '{}'", text));
}

std::vector<std::size_t> parse_run_ids(const std::string& text) {
    std::vector<std::size_t> ids;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item(text.data() + start, comma - start);
        start = comma + 1;
        std::size_t id = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
        if (item.empty() || ec != std::errc{} || end != item.data() + item.size())
            throw Error(fmt::format("--rerun expects run_ids separated by commas (e.g. 17,23), got '{}'", text));
        ids.push_back(id);
    }
    return ids;
}

}  // namespace

int command_run(const std::vector<std::string>& args) {
    po::options_description options("optbench run");
    options.add_options()("help,h", "show this help")(
        "campaign", po::value<std::string>(), "campaign file (key = value lines; command-line options win)");
    options.add(campaign_options());
    options.add_options()(
        "jobs,j", po::value<Count>(), "runs in parallel, each in its own process (default: cores)")(
        "shard", po::value<std::string>(), "run only shard K/N (runs with run_id % N == K)")(
        "run-memory", po::value<FiniteReal>(),
        "memory limit per worker in MB (default 80% of RAM shared by the workers started)")(
        "fail-on-error", po::bool_switch(), "exit with 1 when any run ends with status error")(
        "keep-published", po::bool_switch(),
        "in a folder of published results without parts/ (a clone), keep its finished runs and run the rest")(
        "retries", po::value<WholeNumber>(),
        "times a run whose worker was killed from outside (not its own crash) runs again (default 2)")(
        "retry-failed", po::bool_switch(), "run again the finished runs whose status is error")(
        "rerun", po::value<std::string>(), "run again these finished runs, by run_id (e.g. 17,23)")(
        "wait-lock", po::bool_switch(), "when another optbench process uses the output folder, wait for it")(
        "rerun-changed", po::bool_switch(), "run again the finished runs whose plugin library changed since")(
        "keep-changed", po::bool_switch(), "keep the finished runs whose plugin library changed since (mixed builds)");
    po::variables_map vm = parse_arguments(args, options);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    std::string campaign_name = "run";
    if (vm.count("campaign")) {
        const std::string file = vm["campaign"].as<std::string>();
        campaign_name = std::filesystem::path(file).stem().string();
        add_campaign_file(file, options, vm);
    }
    const Campaign campaign = campaign_from(vm);
    const std::string out =
        vm.count("out") ? vm["out"].as<std::string>() : "results/" + campaign_name;
    require_out_folder(out);
    ExecutionOptions execution;
    execution.jobs = vm.count("jobs") ? vm["jobs"].as<Count>().value
                                      : std::max<std::size_t>(1, std::thread::hardware_concurrency());
    if (vm.count("run-memory")) {
        const double run_memory_mb = vm["run-memory"].as<FiniteReal>().value;
        if (!(run_memory_mb >= 0))
            throw Error(fmt::format("--run-memory {}: expected a number of MB >= 0 (0: no limit)", run_memory_mb));
        if (run_memory_mb >= max_run_memory_mb)
            throw Error(fmt::format("--run-memory {} MB is more than a memory limit can hold: expected less than {} MB",
                                    run_memory_mb, grouped_count(max_run_memory_mb)));
        execution.run_memory_mb = run_memory_mb;
    }
    execution.progress = ::isatty(2);
    if (vm.count("retries")) execution.retries = vm["retries"].as<WholeNumber>().value;
    ResumeOptions resume;
    if (vm.count("shard")) resume.shard = parse_shard(vm["shard"].as<std::string>());
    resume.keep_published = vm["keep-published"].as<bool>();
    resume.retry_failed = vm["retry-failed"].as<bool>();
    if (vm.count("rerun")) resume.rerun = parse_run_ids(vm["rerun"].as<std::string>());
    resume.wait_for_lock = vm["wait-lock"].as<bool>();
    resume.rerun_changed = vm["rerun-changed"].as<bool>();
    resume.keep_changed = vm["keep-changed"].as<bool>();
    if (resume.rerun_changed && resume.keep_changed)
        throw Error("--rerun-changed and --keep-changed exclude each other: expected one of them");

    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    const ExecutionSummary summary = run_campaign(registry, campaign, out, execution, resume);
    const RunTable runs = read_runs(std::filesystem::path(out) / "runs.csv");
    fmt::print("{}\n", summary_markdown(out));
    fmt::print("{} runs ({} already done), {} errors\n", summary.ran + summary.skipped, summary.skipped,
               summary.failed);
    fmt::print("results: {0}/runs.csv, {0}/trace.csv, {0}/stats.csv, {0}/provenance.csv, {1}{0}/manifest.json\n", out,
               std::filesystem::exists(std::filesystem::path(out) / "holdout.csv") ? out + "/holdout.csv, " : "");
    if (summary.interrupted_by != 0) {
        std::fflush(stdout);  // the summary above first, also when both go to one file
        fmt::print(stderr, "optbench run: interrupted by signal {} ({}); runs.csv holds the {} finished runs, the "
                           "same command resumes the rest\n",
                   summary.interrupted_by, ::strsignal(summary.interrupted_by), runs.rows.size());
        return 128 + summary.interrupted_by;
    }
    const bool any_error = std::any_of(runs.rows.begin(), runs.rows.end(),
                                       [](const RunRow& r) { return r.status == RunStatus::error; });
    return vm["fail-on-error"].as<bool>() && any_error ? 1 : 0;
}

}  // namespace optbench::host
