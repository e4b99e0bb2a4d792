// `optbench check SPEC`: a problem plugin through the checks the test suite runs on every
// problem, one line per check; exit 0 only when all pass.
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/problem_check.hpp"

namespace optbench::host {

namespace po = boost::program_options;

int command_check(const std::vector<std::string>& args) {
    po::options_description options("optbench check PROBLEM_SPEC");
    options.add_options()("help,h", "show this help")("spec", po::value<std::string>(), "problem spec, e.g. sphere:dim=5")(
        "quick", po::bool_switch(), "fewer points and moves (a few seconds)")(
        "seed", po::value<WholeNumber>()->default_value(WholeNumber{1}, "1"), "seed of the points and moves drawn");
    po::positional_options_description positional;
    positional.add("spec", 1);
    const auto vm = parse_arguments(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("spec")) throw Error("check needs a problem spec, e.g. optbench check sphere:dim=5");
    const std::vector<Spec> specs = parse_spec_list(vm["spec"].as<std::string>());
    if (specs.size() != 1) throw Error(fmt::format("check takes one spec, got '{}'", vm["spec"].as<std::string>()));
    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    const std::vector<CheckOutcome> outcomes =
        check_problem(registry, specs[0], {vm["quick"].as<bool>(), vm["seed"].as<WholeNumber>().value});
    std::size_t failed = 0;
    for (const CheckOutcome& outcome : outcomes) {
        fmt::print("{}  {}: {}\n", outcome.passed ? "pass" : "FAIL", outcome.check, outcome.detail);
        failed += !outcome.passed;
    }
    fmt::print("{}: {} of {} checks passed{}\n", specs[0].text(), outcomes.size() - failed, outcomes.size(),
               outcomes.empty() ? " (it declares no capability beyond its value)" : "");
    return failed == 0 ? 0 : 1;
}

}  // namespace optbench::host
