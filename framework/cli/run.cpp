// `optbench run`: a campaign from options or a campaign file.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include "base/text.hpp"
#include "campaign/campaign_file.hpp"
#include "campaign/driver.hpp"
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

std::size_t physical_memory_mb() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page_size > 0 ? static_cast<std::size_t>(pages) / 1024 * static_cast<std::size_t>(page_size) / 1024 : 0;
}

}  // namespace

int command_run(const std::vector<std::string>& args) {
    po::options_description options("optbench run");
    options.add_options()("help,h", "show this help")(
        "campaign", po::value<std::string>(), "campaign file (key = value lines; command-line options win)")(
        "optimizers", po::value<std::string>(), "optimizer specs, e.g. random_search,cmaes:covariance=sep")(
        "problems", po::value<std::string>(), "problem specs, e.g. sphere:dim=10,rastrigin:dim=10")(
        "seeds", po::value<Count>(), "repetitions per optimizer x problem (default 1)")(
        "budget", po::value<FiniteReal>(), "evaluation budget per run, in cost units")(
        "budget-per-dim", po::value<FiniteReal>(), "budget per run = this x the problem's dimension (instead of --budget)")(
        "seed", po::value<WholeNumber>(), "campaign seed all run seeds derive from (default 1)")(
        "grad-cost", po::value<FiniteReal>(), "cost of one gradient evaluation in evaluations (default 1)")(
        "trace", po::value<std::string>(), "improvements (default) or levels (20 per decade)")(
        "target", po::value<FiniteReal>(), "stop a run when best_f <= f_opt + target")(
        "run-timeout", po::value<FiniteReal>(), "seconds after which a run is stopped (an error row)")(
        "out", po::value<std::string>(), "output folder (default results/<campaign name> or results/run)")(
        "jobs,j", po::value<Count>(), "runs in parallel, each in its own process (default: cores)")(
        "shard", po::value<std::string>(), "run only shard K/N (runs with run_id % N == K)")(
        "run-memory", po::value<FiniteReal>(), "memory limit per worker in MB (default 80% of RAM / jobs)")(
        "fail-on-error", po::bool_switch(), "exit with 1 when any run ends with status error")(
        "keep-published", po::bool_switch(),
        "in a folder of published results without parts/ (a clone), keep its finished runs and run the rest");
    po::variables_map vm = parse_arguments(args, options);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    std::string campaign_name = "run";
    if (vm.count("campaign")) {
        const std::string file = vm["campaign"].as<std::string>();
        campaign_name = std::filesystem::path(file).stem().string();
        for (const auto& [key, value] : read_campaign_file(file)) {
            // The command line wins; its --budget or --budget-per-dim replaces both of the
            // file's, which are one setting.
            const bool budget_key = key == "budget" || key == "budget-per-dim";
            if (vm.count(key) || (budget_key && vm.count("budget") + vm.count("budget-per-dim") > 0))
                continue;
            try {
                po::store(po::command_line_parser(std::vector<std::string>{"--" + key + "=" + value})
                              .options(options)
                              .run(),
                          vm);
            } catch (const po::error& e) {
                throw Error(fmt::format("campaign file {}: {}", file, e.what()));
            }
        }
    }
    Campaign campaign;
    if (vm.count("optimizers")) campaign.optimizers = parse_spec_list(vm["optimizers"].as<std::string>());
    if (vm.count("problems")) campaign.problems = parse_spec_list(vm["problems"].as<std::string>());
    if (vm.count("seeds")) campaign.seeds = vm["seeds"].as<Count>().value;
    if (vm.count("budget") == vm.count("budget-per-dim"))
        throw Error("run needs one of --budget (evaluations per run) and --budget-per-dim");
    if (vm.count("budget")) campaign.settings.budget = vm["budget"].as<FiniteReal>().value;
    if (vm.count("budget-per-dim")) {
        campaign.settings.budget_per_dim = vm["budget-per-dim"].as<FiniteReal>().value;
        if (!(campaign.settings.budget_per_dim > 0))
            throw Error(fmt::format("--budget-per-dim {} allows no evaluation: expected > 0",
                                    campaign.settings.budget_per_dim));
    }
    if (vm.count("seed")) campaign.seed = vm["seed"].as<WholeNumber>().value;
    if (vm.count("grad-cost")) campaign.settings.grad_cost = vm["grad-cost"].as<FiniteReal>().value;
    if (vm.count("trace")) {
        const std::string mode = vm["trace"].as<std::string>();
        if (mode == "improvements") campaign.settings.trace = TraceMode::improvements;
        else if (mode == "levels") campaign.settings.trace = TraceMode::levels;
        else throw Error(fmt::format("--trace must be improvements or levels, got '{}'", mode));
    }
    if (vm.count("target")) campaign.settings.target_error = vm["target"].as<FiniteReal>().value;
    if (vm.count("run-timeout")) {
        campaign.settings.timeout_s = vm["run-timeout"].as<FiniteReal>().value;
        if (!(campaign.settings.timeout_s > 0))
            throw Error(fmt::format("--run-timeout {}: expected a number of seconds > 0", campaign.settings.timeout_s));
    }
    const std::string out =
        vm.count("out") ? vm["out"].as<std::string>() : "results/" + campaign_name;
    ExecutionOptions execution;
    execution.jobs = vm.count("jobs") ? vm["jobs"].as<Count>().value
                                      : std::max<std::size_t>(1, std::thread::hardware_concurrency());
    execution.run_memory_mb = vm.count("run-memory")
                                  ? vm["run-memory"].as<FiniteReal>().value
                                  : 0.8 * static_cast<double>(physical_memory_mb()) /
                                        static_cast<double>(execution.jobs);
    if (!(execution.run_memory_mb >= 0))
        throw Error(
            fmt::format("--run-memory {}: expected a number of MB >= 0 (0: no limit)", execution.run_memory_mb));
    if (execution.run_memory_mb >= max_run_memory_mb)
        throw Error(fmt::format("--run-memory {} MB is more than a memory limit can hold: expected less than {} MB",
                                execution.run_memory_mb, grouped_count(max_run_memory_mb)));
    execution.progress = ::isatty(2);
    const Shard shard = vm.count("shard") ? parse_shard(vm["shard"].as<std::string>()) : Shard{};

    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    const ExecutionSummary summary = run_campaign(registry, campaign, out, execution, shard, vm["keep-published"].as<bool>());
    const RunTable runs = read_runs(std::filesystem::path(out) / "runs.csv");
    fmt::print("{}\n", summary_markdown(out));
    fmt::print("{} runs ({} already done), {} errors\n", summary.ran + summary.skipped, summary.skipped,
               summary.failed);
    fmt::print("results: {0}/runs.csv, {0}/trace.csv, {0}/stats.csv, {0}/provenance.csv, {0}/manifest.json\n", out);
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
