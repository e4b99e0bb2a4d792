// The optimizer checks of `optbench check`: a correct optimizer passes each, and each
// deliberate fault fails its own check, naming what happened.
#include <doctest/doctest.h>

#include <map>

#include "base/spec.hpp"
#include "core/optimizer_check.hpp"
#include "testing.hpp"

using namespace optbench;

namespace {

std::map<std::string, host::CheckOutcome> outcomes_of(const std::string& spec) {
    std::map<std::string, host::CheckOutcome> by_check;
    host::OptimizerCheckOptions quick;
    quick.quick = true;
    for (const host::CheckOutcome& o : host::check_optimizer(testing::registry(), host::parse_spec_list(spec).at(0), quick))
        by_check[o.check] = o;
    return by_check;
}

int optbench_cli(const std::string& args, std::string* output) {
    return testing::shell(testing::optbench_exe() + " " + args, output);
}

}  // namespace

TEST_CASE("an optimizer without faults passes every check") {
    const auto outcomes = outcomes_of("wrong_optimizer:fault=none");
    CHECK(outcomes.size() == 9);
    for (const auto& [check, outcome] : outcomes) {
        CAPTURE(check);
        CAPTURE(outcome.detail);
        CHECK(outcome.passed);
    }
}

TEST_CASE("each fault fails its own check, naming what happened") {
    const std::map<std::string, std::pair<std::string, std::string>> check_of_fault = {
        {"seed", {"another seed, another run", "at the same point"}},
        {"unseeded", {"same seed, same run", "two runs of seed 11: best f"}},
        {"nan", {"survives NaN, +inf and -inf values", "the objective returned"}},
        {"dim1", {"works in dimension 1", "dimension 1 is not supported"}},
        {"gradient", {"without a gradient: runs, or ends not_applicable saying why", "this problem has no gradient"}},
        {"bounds", {"evaluates only inside the bounds, and copes without bounds", "evaluated outside the bounds"}},
        {"exhausted", {"never over budget (1, 2, 2.5, D+1, 1000 and fractional costs)", "out of evaluations"}},
    };
    for (const auto& [fault, expected] : check_of_fault) {
        CAPTURE(fault);
        const auto outcomes = outcomes_of("wrong_optimizer:fault=" + fault);
        REQUIRE(outcomes.count(expected.first) == 1);
        const host::CheckOutcome& failed = outcomes.at(expected.first);
        CAPTURE(failed.detail);
        CHECK_FALSE(failed.passed);
        CHECK(failed.detail.find(expected.second) != std::string::npos);
    }
}

TEST_CASE("optbench check: optimizers, problems and library files; exit 0 only when all pass") {
    std::string output;
    CHECK(optbench_cli("check random_search --quick", &output) == 0);
    CHECK(output.find("optimizer random_search\n") != std::string::npos);
    CHECK(output.find("random_search: 9 of 9 checks passed") != std::string::npos);
    CHECK(optbench_cli("check sphere:dim=3 --quick", &output) == 0);
    CHECK(output.find("problem sphere:dim=3\n") != std::string::npos);
    const std::string library = (testing::binary_dir() / "lib" / "optbench" / "plugins" / "random_search.so").string();
    CHECK(optbench_cli("check " + library + " --quick", &output) == 0);
    CHECK(output.find("random_search/random_search: 9 of 9 checks passed") != std::string::npos);
    const std::string wrong = (testing::test_plugin_dir() / "wrong_optimizers.so").string();
    CHECK(optbench_cli("check " + wrong + " --quick", &output) == 0);  // fault=none by default
    CHECK(optbench_cli("check nonexistent_plugin", &output) == 2);
    CHECK(output.find("no optimizer or problem named 'nonexistent_plugin'") != std::string::npos);
    CHECK(optbench_cli("check /no/such/plugin.so", &output) != 0);
    CHECK(output.find("check: no plugin file '/no/such/plugin.so'") != std::string::npos);
}
