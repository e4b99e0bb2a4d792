// The problem checks of `optbench check`: a correct problem passes each, and each deliberately
// wrong capability fails exactly its own check, naming the numbers.
#include <doctest/doctest.h>

#include <map>

#include "base/spec.hpp"
#include "core/problem_check.hpp"
#include "testing.hpp"

using namespace optbench;

namespace {

std::map<std::string, host::CheckOutcome> outcomes_of(const std::string& spec) {
    std::map<std::string, host::CheckOutcome> by_check;
    for (const host::CheckOutcome& o : host::check_problem(testing::registry(), host::parse_spec_list(spec).at(0)))
        by_check[o.check] = o;
    return by_check;
}

const std::map<std::string, std::string> check_of_fault = {
    {"move", "sparse moves equal full evaluations"},
    {"gradient", "gradient matches central differences"},
    {"optimum", "f at the optimum point equals the optimum value"},
    {"start", "start point inside the box"},
    {"subsets", "finite-sum subsets average to the full value"},
    {"batch", "batch values equal single values"},
};

}  // namespace

TEST_CASE("a problem that gets every capability right passes every check") {
    const auto outcomes = outcomes_of("wrong_problem:fault=none");
    CHECK(outcomes.size() == 6);
    for (const auto& [check, outcome] : outcomes) {
        CAPTURE(check);
        CAPTURE(outcome.detail);
        CHECK(outcome.passed);
    }
}

TEST_CASE("each wrong capability fails its own check, and only that one") {
    for (const auto& [fault, failing] : check_of_fault) {
        CAPTURE(fault);
        const auto outcomes = outcomes_of("wrong_problem:fault=" + fault);
        REQUIRE(outcomes.count(failing) == 1);
        for (const auto& [check, outcome] : outcomes) {
            CAPTURE(check);
            CAPTURE(outcome.detail);
            CHECK(outcome.passed == (check != failing));
        }
    }
    CHECK(outcomes_of("wrong_problem:fault=move").at("sparse moves equal full evaluations").detail.find(
              "try_move gave") != std::string::npos);
    CHECK(outcomes_of("wrong_problem:fault=batch").at("batch values equal single values").detail.find(
              "point 2 of a batch of 2: value_batch gave") != std::string::npos);
}

TEST_CASE("every shipped problem passes its checks (quick)") {
    for (const host::PluginEntry* entry : testing::registry().entries(abi::EntryKind::problem)) {
        // Not the test-only problems that fail on purpose; mnist_mlp on fewer images, for time.
        if (entry->library_name == "wrong_problems" || entry->name() == "throwing" || entry->name() == "nonfinite" ||
            entry->name() == "empty_box")
            continue;
        const std::string spec = entry->name() == "mnist_mlp" ? "mnist_mlp:objective_size=200,validation_size=100,test_size=100"
                                                               : std::string(entry->name());
        CAPTURE(spec);
        for (const host::CheckOutcome& outcome :
             host::check_problem(testing::registry(), host::parse_spec_list(spec).at(0), {true, 1})) {
            CAPTURE(outcome.check);
            CAPTURE(outcome.detail);
            CHECK(outcome.passed);
        }
    }
}

TEST_CASE("optbench check: one line per check, exit 1 when one fails") {
    const std::string cli = "OPTBENCH_PLUGIN_PATH=" + testing::test_plugin_dir().string() + " " + testing::optbench_exe();
    std::string output;
    CHECK(testing::shell(cli + " check wrong_problem:fault=gradient --quick", &output) == 1);
    CHECK(output.find("FAIL  gradient matches central differences: largest difference") != std::string::npos);
    CHECK(output.find("pass  sparse moves equal full evaluations") != std::string::npos);
    CHECK(output.find("wrong_problem:fault=gradient: 5 of 6 checks passed") != std::string::npos);
    CHECK(testing::shell(cli + " check sphere:dim=3 --quick", &output) == 0);
    CHECK(testing::shell(cli + " check no_such_plugin", &output) == 2);
    CHECK(output.find("optbench check: no optimizer or problem named 'no_such_plugin' (optimizers: ") == 0);
}
