// Planning and executing single runs: hold-out metrics become columns of their own.
#include <doctest/doctest.h>

#include "testing.hpp"

using namespace optbench;

TEST_CASE("hold-out metrics are kept under their names") {
    const host::RunResult r = testing::run("random_search", "metrics:names=accuracy:loss", 20);
    REQUIRE(r.status == "ok");
    REQUIRE(r.metrics.size() == 2);
    CHECK(r.metrics[0] == std::pair<std::string, double>{"accuracy", 1});
    CHECK(r.metrics[1] == std::pair<std::string, double>{"loss", 2});
}

TEST_CASE("a hold-out metric that would overwrite a column makes the run an error row") {
    for (const char* names : {"status", "seed", "wall_s", "accuracy:accuracy", "accuracy:"}) {
        CAPTURE(names);
        const host::RunResult r = testing::run("random_search", std::string("metrics:names=") + names, 20);
        CHECK(r.status == "error");
        CHECK(r.message.find("problem 'metrics' reported a hold-out metric named") == 0);
        CHECK(r.metrics.empty());
        CHECK(r.evals == 20);  // the run itself is kept
    }
}
