// Planning and executing single runs: hold-out metrics become columns of their own, a target
// needs a known optimum.
#include <doctest/doctest.h>

#include "campaign/campaign.hpp"
#include "base/error.hpp"
#include "testing.hpp"

using namespace optbench;

TEST_CASE("hold-out metrics are kept under their names") {
    const host::RunResult r = testing::run("random_search", "metrics:names=accuracy:loss", 20);
    REQUIRE(r.status == optbench::host::RunStatus::ok);
    REQUIRE(r.metrics.size() == 2);
    CHECK(r.metrics[0] == std::pair<std::string, double>{"accuracy", 1});
    CHECK(r.metrics[1] == std::pair<std::string, double>{"loss", 2});
}

TEST_CASE("a hold-out metric that would overwrite a column makes the run an error row") {
    for (const char* names : {"status", "seed", "wall_s", "accuracy:accuracy", "accuracy:", "selected_accuracy"}) {
        CAPTURE(names);
        const host::RunResult r = testing::run("random_search", std::string("metrics:names=") + names, 20);
        CHECK(r.status == optbench::host::RunStatus::error);
        CHECK(r.message.find("problem 'metrics' reported a hold-out metric named") == 0);
        CHECK(r.metrics.empty());
        CHECK(r.evals == 20);  // the run itself is kept
    }
}

TEST_CASE("what a plugin reports must be what it declares") {
    const host::RunResult metric = testing::run("random_search", "metrics:names=accuracy:other", 20);
    CHECK(metric.status == host::RunStatus::error);
    CHECK(metric.message == "problem 'metrics' reported the hold-out metric 'other', which it does not declare "
                            "(declared: accuracy, loss)");
    const host::RunResult stat = testing::run("misbehaving:mode=undeclared_stat,before=3", "sphere:dim=2", 20);
    CHECK(stat.status == host::RunStatus::error);
    CHECK(stat.message == "optimizer 'misbehaving' reported the stat 'surprise', which it does not declare "
                          "(declared: none)");
    CHECK(stat.evals == 3);
}

TEST_CASE("an artifact name that is not a portable file name makes the run an error row") {
    for (const char* names : {"../x.csv", "a/b.csv", ".hidden", "x.", "a.csv::b.csv", "a.csv:a.csv", "a b.csv"}) {
        CAPTURE(names);
        const host::RunResult r = testing::run("random_search", std::string("artifacts:names=") + names, 20);
        CHECK(r.status == optbench::host::RunStatus::error);
        CHECK(r.message.find("problem 'artifacts' wrote an artifact named") == 0);
        CHECK(r.artifacts.empty());
        CHECK(r.evals == 20);
    }
    const host::RunResult r = testing::run("random_search", "artifacts:names=split.csv:info-2.txt", 20);
    CHECK(r.status == optbench::host::RunStatus::ok);
    CHECK(r.artifacts.size() == 2);
}

TEST_CASE("a plugin's problem with a box no point lies in is refused before the optimizer starts") {
    const host::RunResult r = testing::run("random_search", "empty_box:dim=3", 20);
    CHECK(r.status == optbench::host::RunStatus::error);
    CHECK(r.message.find("problem 'empty_box' (") == 0);
    CHECK(r.message.find("): bounds [inf, inf] at coordinate 0, expected lower <= upper, lower < inf and upper > -inf") !=
          std::string::npos);
    CHECK(r.evals == 0);
}

TEST_CASE("a target needs problems with a known f_opt, and a target >= 0") {
    host::Campaign campaign;
    campaign.optimizers = host::parse_spec_list("random_search");
    campaign.problems = host::parse_spec_list("sphere:dim=2");
    campaign.settings.target_error = 1e-3;
    CHECK(host::plan_runs(testing::registry(), campaign).size() == 1);
    campaign.problems = host::parse_spec_list("sphere:dim=2,metrics");
    CHECK_THROWS_WITH_AS(host::plan_runs(testing::registry(), campaign),
                         "target: runs stop at f_opt + target, but 'metrics' has no known f_opt; "
                         "expected only problems with one",
                         host::Error);
    campaign.problems = host::parse_spec_list("sphere:dim=2");
    campaign.settings.target_error = -1;
    CHECK_THROWS_WITH_AS(host::plan_runs(testing::registry(), campaign),
                         "target must be >= 0 (an error above f_opt), got -1", host::Error);
}

TEST_CASE("an optimizer or problem listed twice is refused however it is spelled") {
    const auto plan = [](const std::string& optimizers, const std::string& problems) {
        host::Campaign campaign;
        campaign.optimizers = host::parse_spec_list(optimizers);
        campaign.problems = host::parse_spec_list(problems);
        return host::plan_runs(testing::registry(), campaign);
    };
    CHECK(plan("random_search", "rastrigin:dim=3,rastrigin:dim=4").size() == 2);
    CHECK_THROWS_WITH_AS(plan("random_search", "sphere:dim=3,sphere:dim=3"), "'sphere:dim=3' is listed twice",
                         host::Error);
    CHECK_THROWS_WITH_AS(plan("random_search", "sphere:dim=3,synthetic/sphere:dim=3"),
                         "'synthetic/sphere:dim=3' is listed twice (also as 'sphere:dim=3')", host::Error);
    CHECK_THROWS_WITH_AS(plan("random_search", "rastrigin:dim=3,instance=2,rastrigin:instance=2,dim=3"),
                         "'rastrigin:instance=2,dim=3' is listed twice (also as 'rastrigin:dim=3,instance=2')",
                         host::Error);
    CHECK_THROWS_WITH_AS(plan("random_search,random_search:box=5", "sphere:dim=3"),
                         "'random_search:box=5' is listed twice (also as 'random_search')", host::Error);
}
