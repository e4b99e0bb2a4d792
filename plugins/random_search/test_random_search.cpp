#include <doctest/doctest.h>

#include <string>

#include "testing.hpp"

using optbench::testing::run;

TEST_CASE("coordinates without bounds are sampled in [-box, box]") {
    // unbounded is sum (x_i - 1)^2 without a start point: inside [-0.5, 0.5]^3 it is >= 0.75.
    const auto result = run("random_search:box=0.5", "unbounded:dim=3", 200);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.best_f >= 0.75);
    CHECK(result.best_f < 1.5);
}

TEST_CASE("random_search rejects an infinite or zero box with a message naming it") {
    const auto infinite = run("random_search:box=inf", "unbounded:dim=2", 10);
    CHECK(infinite.status == optbench::host::RunStatus::error);
    CHECK(infinite.message.find("parameter 'box' must be finite, got inf") != std::string::npos);
    const auto zero = run("random_search:box=0", "unbounded:dim=2", 10);
    CHECK(zero.status == optbench::host::RunStatus::error);
    CHECK(zero.message.find("parameter 'box' must be greater than 0, got 0") != std::string::npos);
}
