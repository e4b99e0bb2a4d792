#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

TEST_CASE("batches change nothing: the points and results of one point at a time") {
    // Recorded with random_search 1.0.1, which drew and evaluated one point at a time: the last
    // improvement and a later trace row of `optbench run` (rep 2 of sphere, rep 1 of rastrigin).
    struct Reference {
        const char* problem;
        std::uint64_t seed;
        double best_f, f_at_281;
    };
    for (const Reference& r : {Reference{"sphere:dim=7", 4612246968271178740u, 12.524396487476363, 58.00501238405362},
                               Reference{"rastrigin:dim=5", 6575378125626946394u, 36.19136251188605, 92.30031992066705}}) {
        CAPTURE(r.problem);
        for (const char* optimizer : {"random_search", "random_search:batch=1", "random_search:batch=7"}) {
            CAPTURE(optimizer);
            const auto result = run(optimizer, r.problem, 300, r.seed);
            REQUIRE(result.status == optbench::host::RunStatus::ok);
            CHECK(result.evals == 300);
            CHECK(result.best_f == r.best_f);
            const auto row = std::find_if(result.trace.begin(), result.trace.end(),
                                          [](const auto& t) { return t.evals == 281; });
            REQUIRE(row != result.trace.end());
            CHECK(row->f == r.f_at_281);
        }
    }
}

TEST_CASE("a batch-evaluating problem gets whole batches, never more than the budget") {
    const auto result = run("random_search:batch=16", "batched:dim=4", 40, 3);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.evals == 40);
    // 16 + 16 + 8 points in 3 calls: the last batch is cut where the budget ends.
    REQUIRE(result.artifacts.size() == 1);
    CHECK(result.artifacts[0].second == "points=40 batches=3");
}
