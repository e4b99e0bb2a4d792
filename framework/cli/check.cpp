// `optbench check NAME`: an optimizer or problem plugin (a spec, or a library file and every
// entry in it) through the checks the test suite runs on every shipped plugin, one line per
// check; exit 0 only when all pass.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/optimizer_check.hpp"
#include "core/problem_check.hpp"

namespace optbench::host {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

void print_outcome(const CheckOutcome& outcome) {
    fmt::print("{}  {}: {}\n", outcome.passed ? "pass" : "FAIL", outcome.check, outcome.detail);
    std::fflush(stdout);  // a plugin that crashes the process leaves the lines before it
}

bool matches(const PluginEntry& entry, const std::string& name) {
    return entry.name() == name || entry.qualified_name() == name;
}

// The specs to check: the one given, or, for a library file, each entry of it with its defaults.
std::vector<std::pair<abi::EntryKind, Spec>> plugins_to_check(Registry& registry, const std::string& argument) {
    std::vector<std::pair<abi::EntryKind, Spec>> plugins;
    const fs::path file = argument;
    std::vector<std::string> file_kinds{".so"};
    for (const ScriptRuntime& runtime : registry.script_runtimes()) file_kinds.emplace_back(runtime.loader->extension);
    const bool is_file_kind = std::find(file_kinds.begin(), file_kinds.end(), file.extension().string()) != file_kinds.end();
    if (argument.find('/') != std::string::npos || is_file_kind) {
        std::error_code ec;
        if (!fs::is_regular_file(file, ec))
            throw Error(fmt::format("check: no plugin file '{}' (expected a plugin name or a file ending with {})",
                                    argument, fmt::join(file_kinds, ", ")));
        const fs::path canonical = fs::canonical(file);
        bool loaded = false;
        for (abi::EntryKind kind : {abi::EntryKind::optimizer, abi::EntryKind::problem})
            for (const PluginEntry* e : registry.entries(kind)) loaded = loaded || fs::canonical(e->file, ec) == canonical;
        if (!loaded) registry.load(canonical);
        for (abi::EntryKind kind : {abi::EntryKind::optimizer, abi::EntryKind::problem})
            for (const PluginEntry* e : registry.entries(kind))
                if (fs::canonical(e->file, ec) == canonical) plugins.push_back({kind, parse_spec_list(e->qualified_name()).at(0)});
        return plugins;
    }
    const std::vector<Spec> specs = parse_spec_list(argument);
    if (specs.size() != 1) throw Error(fmt::format("check takes one spec, got '{}'", argument));
    for (abi::EntryKind kind : {abi::EntryKind::optimizer, abi::EntryKind::problem})
        for (const PluginEntry* e : registry.entries(kind))
            if (matches(*e, specs[0].name)) {
                plugins.push_back({kind, specs[0]});
                break;
            }
    if (plugins.empty()) {
        const auto names = [&](abi::EntryKind kind) {
            std::vector<std::string> known;
            for (const PluginEntry* e : registry.entries(kind)) known.emplace_back(e->name());
            return fmt::format("{}", fmt::join(known, ", "));
        };
        throw Error(fmt::format("no optimizer or problem named '{}' (optimizers: {}; problems: {}); a plugin outside "
                                "optbench's folders needs its folder in OPTBENCH_PLUGIN_PATH, or give its library file",
                                specs[0].name, names(abi::EntryKind::optimizer), names(abi::EntryKind::problem)));
    }
    return plugins;
}

}  // namespace

int command_check(const std::vector<std::string>& args) {
    po::options_description options("optbench check NAME (an optimizer or problem spec, or a plugin file: a library or a script)");
    options.add_options()("help,h", "show this help")(
        "spec", po::value<std::string>(), "e.g. cmaes:covariance=sep, sphere:dim=5, path/to/plugin.so or path/to/plugin.py")(
        "quick", po::bool_switch(), "smaller budgets, fewer points and moves (a few seconds)")(
        "seed", po::value<WholeNumber>()->default_value(WholeNumber{1}, "1"), "seed of the points and moves drawn (problems)");
    po::positional_options_description positional;
    positional.add("spec", 1);
    const auto vm = parse_arguments(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("spec"))
        throw Error("check needs a plugin: an optimizer or problem spec (optbench check cmaes, optbench check "
                    "sphere:dim=5) or a plugin file (a library, or a script such as a .py file)");
    std::vector<fs::path> search_path = default_plugin_search_path();
    for (const fs::path& place : check_plugin_search_path()) search_path.push_back(place);
    Registry registry = Registry::discover(search_path);
    warn_load_errors(registry);
    const bool quick = vm["quick"].as<bool>();
    std::size_t failed_plugins = 0;
    for (const auto& [kind, spec] : plugins_to_check(registry, vm["spec"].as<std::string>())) {
        std::vector<CheckOutcome> outcomes;
        if (kind == abi::EntryKind::optimizer) {
            fmt::print("optimizer {}\n", spec.text());
            outcomes = check_optimizer(registry, spec, {quick, print_outcome});
        } else {
            fmt::print("problem {}\n", spec.text());
            outcomes = check_problem(registry, spec, {quick, vm["seed"].as<WholeNumber>().value});
            for (const CheckOutcome& outcome : outcomes) print_outcome(outcome);
        }
        std::size_t failed = 0;
        for (const CheckOutcome& outcome : outcomes) failed += !outcome.passed;
        failed_plugins += failed > 0;
        fmt::print("{}: {} of {} checks passed{}\n", spec.text(), outcomes.size() - failed, outcomes.size(),
                   outcomes.empty() ? " (it declares no capability beyond its value)" : "");
    }
    return failed_plugins == 0 ? 0 : 1;
}

}  // namespace optbench::host
