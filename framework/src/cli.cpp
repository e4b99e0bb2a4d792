#include "optbench/host/cli.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <map>
#include <thread>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include "optbench/host/csv.hpp"
#include "optbench/host/error.hpp"
#include "optbench/host/instances.hpp"
#include "optbench/host/summary.hpp"
#include "optbench/host/text.hpp"

namespace optbench::host {

namespace po = boost::program_options;

namespace {

[[noreturn]] void reject_option_value(const std::string& value, const char* expected) {
    throw po::error_with_option_name(
        fmt::format("the argument ('{}') for option '%canonical_option%' is invalid: expected {}", value,
                    expected));
}

void warn_load_errors(const Registry& registry) {
    for (const std::string& e : registry.load_errors()) fmt::print(stderr, "warning: skipped {}\n", e);
}

}  // namespace

void validate(boost::any& out, const std::vector<std::string>& values, Count*, int) {
    const std::string& text = po::validators::get_single_string(values);
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0)
        reject_option_value(text, "a whole number >= 1");
    out = Count{value};
}

void validate(boost::any& out, const std::vector<std::string>& values, FiniteReal*, int) {
    const std::string& text = po::validators::get_single_string(values);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
        reject_option_value(text, "a finite number");
    out = FiniteReal{value};
}

po::variables_map parse_arguments(const std::vector<std::string>& args,
                                  const po::options_description& options,
                                  const po::positional_options_description& positional) {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
    return vm;
}

int command_list(const std::vector<std::string>& args) {
    po::options_description options("optbench list");
    options.add_options()("help,h", "show this help");
    if (parse_arguments(args, options).count("help")) {
        std::cout << options;
        return 0;
    }
    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    for (abi::EntryKind kind : {abi::EntryKind::optimizer, abi::EntryKind::problem}) {
        fmt::print("{}s:\n", kind_name(kind));
        for (const PluginEntry* e : registry.entries(kind))
            fmt::print("  {:<18} {:<14} {}\n", e->name(), "(" + e->library_name + ")",
                       e->entry->description);
    }
    return 0;
}

int command_describe(const std::vector<std::string>& args) {
    po::options_description options("optbench describe NAME");
    options.add_options()("help,h", "show this help")("name", po::value<std::string>(), "name");
    po::positional_options_description positional;
    positional.add("name", 1);
    const auto vm = parse_arguments(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("name")) throw Error("describe needs a NAME (see optbench list)");
    const std::string name = vm["name"].as<std::string>();
    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    const PluginEntry* entry = nullptr;
    for (abi::EntryKind kind : {abi::EntryKind::optimizer, abi::EntryKind::problem}) {
        try {
            entry = &registry.find(kind, name);
            break;
        } catch (const Error&) {
        }
    }
    if (!entry) registry.find(abi::EntryKind::optimizer, name);  // throws, listing known names
    fmt::print("{} {} ({} {}, {})\n  {}\n", kind_name(entry->kind()), entry->name(),
               entry->library_name, entry->library_version, entry->file.string(),
               entry->entry->description);
    if (entry->entry->num_params == 0) fmt::print("  no parameters\n");
    else fmt::print("parameters:\n");
    for (std::size_t i = 0; i < entry->entry->num_params; ++i) {
        const abi::ParamSpec& p = entry->entry->params[i];
        std::string range;
        if (std::string_view(p.type) == "choice") range = fmt::format(" one of {}", p.choices);
        else if (std::string_view(p.type) == "real" || std::string_view(p.type) == "int") {
            const bool low = std::isfinite(p.min) && p.min > -9e15, high = std::isfinite(p.max) && p.max < 9e15;
            if (low && high) range = fmt::format(" in [{}, {}]", p.min, p.max);
            else if (low) range = fmt::format(" >= {}", p.min);
            else if (high) range = fmt::format(" <= {}", p.max);
        }
        fmt::print("  {:<16} {:<7} default {:<12} {}{}\n", p.name, p.type,
                   *p.default_value ? p.default_value : "\"\"", p.doc, range);
    }
    return 0;
}

std::vector<std::pair<std::string, std::string>> read_campaign_file(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw Error(fmt::format("campaign file {}: cannot be read", file));
    static const std::set<std::string> known = {
        "optimizers", "problems", "seeds",  "budget",      "budget-per-dim", "seed",
        "grad-cost",  "trace",    "target", "run-timeout", "out"};
    std::vector<std::pair<std::string, std::string>> settings;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::string_view text = line;
        if (const std::size_t hash = text.find('#'); hash != std::string_view::npos)
            text = text.substr(0, hash);
        text = trim(text);
        if (text.empty()) continue;
        const std::size_t eq = text.find('=');
        const std::string key(trim(text.substr(0, eq)));
        if (eq == std::string_view::npos || key.empty() || trim(text.substr(eq + 1)).empty())
            throw Error(fmt::format("campaign file {} line {}: expected 'key = value', got '{}'",
                                    file, number, text));
        if (!known.count(key)) {
            std::string names;
            for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
            throw Error(fmt::format("campaign file {} line {}: unknown setting '{}'; known: {}", file,
                                    number, key, names));
        }
        const std::string value(trim(text.substr(eq + 1)));
        auto existing = std::find_if(settings.begin(), settings.end(),
                                     [&](const auto& kv) { return kv.first == key; });
        if (existing == settings.end()) settings.emplace_back(key, value);
        else if (key == "optimizers" || key == "problems") existing->second += "," + value;
        else throw Error(fmt::format("campaign file {} line {}: '{}' is set twice", file, number, key));
    }
    return settings;
}

std::vector<std::vector<double>> read_points(const std::string& file, std::size_t dimension) {
    std::ifstream in(file);
    if (!in) throw Error(fmt::format("points file {}: cannot be read", file));
    std::vector<std::vector<double>> points;
    std::string line;
    for (int row = 1; std::getline(in, line); ++row) {
        std::vector<double> x;
        std::string_view rest = trim(line);
        if (rest.empty() || rest.front() == '#') continue;
        while (!rest.empty()) {
            const std::size_t end = rest.find_first_of(" \t,");
            const std::string_view token = rest.substr(0, end);
            double v = 0;
            if (!sdk::detail::parse_double(token, v))
                throw Error(fmt::format("points file {} row {}: '{}' is not a number", file, row, token));
            x.push_back(v);
            rest = end == std::string_view::npos ? std::string_view{} : trim(rest.substr(end + 1));
            if (!rest.empty() && rest.front() == ',') rest = trim(rest.substr(1));
        }
        if (x.size() != dimension)
            throw Error(fmt::format("points file {} row {}: has {} coordinates, the problem has {}",
                                    file, row, x.size(), dimension));
        points.push_back(std::move(x));
    }
    return points;
}

int command_eval(const std::vector<std::string>& args) {
    po::options_description options("optbench eval");
    options.add_options()("help,h", "show this help")(
        "problem", po::value<std::string>(), "problem spec, e.g. bbob:function=3,instance=1,dim=10")(
        "points", po::value<std::string>(), "file with one point per line");
    const auto vm = parse_arguments(args, options);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("problem") || !vm.count("points")) throw Error("eval needs --problem and --points");
    const std::vector<Spec> specs = parse_spec_list(vm["problem"].as<std::string>());
    if (specs.size() != 1) throw Error("eval takes exactly one problem spec");
    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    const PluginEntry& entry = registry.find(abi::EntryKind::problem, specs[0].name);
    ProblemInstance problem(entry, specs[0].params);
    const auto points = read_points(vm["points"].as<std::string>(), problem.dimension());
    std::string out;
    for (const auto& x : points) out += fmt::format("{:.17g}\n", problem.value(x));
    std::fputs(out.c_str(), stdout);
    return 0;
}

ExecutionSummary run_campaign(const Registry& registry, const Campaign& campaign,
                              const std::string& out_dir, const ExecutionOptions& options,
                              const Shard& shard, bool keep_published) {
    const std::vector<RunSpec> plan = plan_runs(registry, campaign);
    if (shard.count == 0 || shard.index >= shard.count)
        throw Error(fmt::format("--shard must be K/N with 0 <= K < N, got {}/{}", shard.index, shard.count));
    const std::vector<RunSpec> runs = shard_of(plan, shard.index, shard.count);
    const ResultStore store(out_dir);
    const bool has_csvs = std::filesystem::exists(store.dir() / "runs.csv");
    std::size_t kept = 0;
    if (keep_published) {
        if (!has_csvs) throw Error(fmt::format("--keep-published: {} has no runs.csv to keep runs from", out_dir));
        store.check_campaign(campaign.canonical());
        const std::string published = manifest_campaign_key(store.dir());
        if (published.empty())
            throw Error(fmt::format("--keep-published: {}/manifest.json is missing or names no campaign", out_dir));
        if (published != campaign.canonical())
            throw Error(fmt::format("--keep-published: {}/manifest.json names another campaign than its parts/ do: "
                                    "its CSVs are not this campaign's", out_dir));
        kept = store.recover_parts(plan);  // before claiming: a refused folder stays as it was
    }
    const bool unclaimed = store.campaign_key().empty();
    store.claim(campaign.canonical(), plan);
    if (keep_published)
        fmt::print(stderr, "kept {} published runs of {} that had no parts/ (rebuilt from its CSVs)\n", kept, out_dir);
    else if (unclaimed && has_csvs &&
             std::none_of(plan.begin(), plan.end(), [&](const RunSpec& r) { return store.finished(r.run_id); }))
        fmt::print(stderr, "note: {} holds published runs of this campaign but no parts/: every run runs again "
                           "(--keep-published keeps them)\n", out_dir);
    const std::string started = utc_now();
    const std::string shard_text =
        shard.count == 1 ? "all" : fmt::format("{}/{}", shard.index, shard.count);
    write_file_atomically(store.dir() / "manifest.json",
                          manifest_json(campaign, registry, started, "", plan.size(), shard_text));
    const ExecutionSummary summary = execute_runs(registry, store, runs, campaign.settings, options);
    // Every finished run of the campaign in this folder, so that shards run one after another
    // into the same folder add up.
    const std::vector<std::size_t> unfinished = store.assemble(plan);  // sorted run_ids
    if (const std::string differences = build_differences(read_csv(store.dir() / "provenance.csv"));
        !differences.empty())
        fmt::print(stderr, "note: {} mixes builds ({}); provenance.csv names each run's\n", out_dir, differences);
    if (summary.interrupted_by != 0) return summary;  // the manifest keeps "ended": null
    const auto missing = std::count_if(runs.begin(), runs.end(), [&](const RunSpec& r) {
        return std::binary_search(unfinished.begin(), unfinished.end(), r.run_id);
    });
    if (missing > 0) throw Error(fmt::format("{} runs have no result in {}", missing, out_dir));
    write_file_atomically(store.dir() / "manifest.json",
                          manifest_json(campaign, registry, started, utc_now(), plan.size(), shard_text));
    return summary;
}

namespace {

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
        "seeds", po::value<int>(), "repetitions per optimizer x problem (default 1)")(
        "budget", po::value<FiniteReal>(), "evaluation budget per run, in cost units")(
        "budget-per-dim", po::value<FiniteReal>(), "budget per run = this x the problem's dimension (instead of --budget)")(
        "seed", po::value<std::uint64_t>(), "campaign seed all run seeds derive from (default 1)")(
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
    if (vm.count("seeds")) campaign.seeds = vm["seeds"].as<int>();
    if (vm.count("budget") == vm.count("budget-per-dim"))
        throw Error("run needs one of --budget (evaluations per run) and --budget-per-dim");
    if (vm.count("budget")) campaign.settings.budget = vm["budget"].as<FiniteReal>().value;
    if (vm.count("budget-per-dim")) {
        campaign.settings.budget_per_dim = vm["budget-per-dim"].as<FiniteReal>().value;
        if (!(campaign.settings.budget_per_dim > 0))
            throw Error(fmt::format("budget-per-dim must be > 0, got {}", campaign.settings.budget_per_dim));
    }
    if (vm.count("seed")) campaign.seed = vm["seed"].as<std::uint64_t>();
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
        if (!(campaign.settings.timeout_s > 0)) throw Error("--run-timeout must be > 0 seconds");
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
    if (!(execution.run_memory_mb >= 0)) throw Error("--run-memory must be >= 0 MB");
    execution.progress = ::isatty(2);
    const Shard shard = vm.count("shard") ? parse_shard(vm["shard"].as<std::string>()) : Shard{};

    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    const ExecutionSummary summary = run_campaign(registry, campaign, out, execution, shard, vm["keep-published"].as<bool>());
    const CsvTable runs = read_csv(std::filesystem::path(out) / "runs.csv");
    fmt::print("{}\n", summary_markdown(runs));
    fmt::print("{} runs ({} already done), {} errors\n", summary.ran + summary.skipped, summary.skipped,
               summary.failed);
    fmt::print("results: {0}/runs.csv, {0}/trace.csv, {0}/stats.csv, {0}/provenance.csv, {0}/manifest.json\n", out);
    if (summary.interrupted_by != 0) {
        std::fflush(stdout);  // the summary above first, also when both go to one file
        fmt::print(stderr, "optbench run: interrupted by signal {} ({}); runs.csv holds the {} finished runs, the "
                           "same command resumes the rest\n",
                   summary.interrupted_by, ::strsignal(summary.interrupted_by), runs.size() - 1);
        return 128 + summary.interrupted_by;
    }
    std::size_t errors = 0;
    const auto status = std::find(runs[0].begin(), runs[0].end(), "status") - runs[0].begin();
    for (std::size_t r = 1; r < runs.size(); ++r) errors += runs[r][status] == "error";
    return vm["fail-on-error"].as<bool>() && errors > 0 ? 1 : 0;
}

}  // namespace optbench::host
