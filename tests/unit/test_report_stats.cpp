// The report's statistics against values computed by hand.
#include <cmath>
#include <limits>

#include <doctest/doctest.h>

#include "report/statistics.hpp"

using namespace optbench::host::report;

TEST_CASE("quantiles interpolate linearly between order statistics (type 7)") {
    const Summary s = summarize({0.4, 0.1, 0.3, 0.2});
    CHECK(s.n == 4);
    CHECK(s.median == doctest::Approx(0.25));
    CHECK(s.q1 == doctest::Approx(0.175));  // position 0.75 between 0.1 and 0.2
    CHECK(s.q3 == doctest::Approx(0.325));  // position 2.25 between 0.3 and 0.4
    CHECK(s.iqr() == doctest::Approx(0.15));
    CHECK(s.mean == doctest::Approx(0.25));
    CHECK(s.std == doctest::Approx(std::sqrt(0.05 / 3)));  // sample standard deviation

    CHECK(quantile({5, 1, 3}, 0.5) == 3);
    CHECK(quantile({7}, 0.25) == 7);
    CHECK(std::isnan(quantile({}, 0.5)));
    const Summary one = summarize({2.5});
    CHECK(one.median == 2.5);
    CHECK(std::isnan(one.std));
    CHECK(std::isnan(summarize({}).median));
}

TEST_CASE("aRT counts all evaluations of unsuccessful runs (COCO)") {
    // Two runs reach the target at 10 and 20 evaluations; two spend 100 without reaching it.
    CHECK(average_runtime({{10, true}, {20, true}, {100, false}, {100, false}}) == doctest::Approx(115));
    CHECK(average_runtime({{10, true}, {30, true}}) == doctest::Approx(20));
    CHECK(std::isinf(average_runtime({{100, false}, {100, false}})));
}

TEST_CASE("simulated restarts: sample size, determinism, composition") {
    CHECK(restart_sample_size(1) == 15);
    CHECK(restart_sample_size(4) == 16);
    CHECK(restart_sample_size(5) == 15);
    CHECK(restart_sample_size(16) == 16);

    const std::vector<RunOutcome> runs = {{10, true}, {100, false}, {30, true}};
    optbench::sdk::Rng rng(7), again(7);
    const auto samples = simulated_restart_runtimes(runs, 15, rng);
    CHECK(samples == simulated_restart_runtimes(runs, 15, again));
    REQUIRE(samples.size() == 15);
    CHECK(samples[0] == 10);  // sample k starts with run k mod 3; a successful start is its runtime
    CHECK(samples[2] == 30);
    for (std::size_t k = 1; k < samples.size(); k += 3) {
        // the failed run's 100, then whole failures, then one success (10 or 30)
        const double after_failures = std::fmod(samples[k] - 100, 100);
        CHECK((after_failures == 10 || after_failures == 30));
    }
    optbench::sdk::Rng any(1);
    for (double s : simulated_restart_runtimes({{100, false}, {100, false}}, 15, any)) CHECK(std::isinf(s));
}

TEST_CASE("Mann-Whitney U, exact without ties") {
    // All 20 arrangements of 3 + 3 values are equally likely; U = 0 happens once.
    RankTest t = mann_whitney_less({1, 2, 3}, {4, 5, 6});
    CHECK(t.exact);
    CHECK(t.u == 0);
    CHECK(t.p_value == doctest::Approx(1.0 / 20));
    // U = 1 (4 > 3): P(U <= 1) = 2/20.
    t = mann_whitney_less({1, 2, 4}, {3, 5, 6});
    CHECK(t.u == 1);
    CHECK(t.p_value == doctest::Approx(2.0 / 20));
    CHECK(mann_whitney_less({4, 5, 6}, {1, 2, 3}).p_value == doctest::Approx(1.0));
    // 4 + 4 values, U = 6: the Gaussian binomial [8 choose 4] counts 1 1 2 3 5 5 7 arrangements
    // with U = 0..6, of 70.
    t = mann_whitney_less({0.1, 0.2, 0.3, 0.4}, {0.15, 0.25, 0.35, 0.9});
    CHECK(t.u == 6);
    CHECK(t.p_value == doctest::Approx(24.0 / 70));
}

TEST_CASE("Mann-Whitney U, normal approximation with ties") {
    // Midranks of 1 2 2 2 3 4: 1 3 3 3 5 6; R_x = 7, U = 1, mean 4.5, tie-corrected variance
    // 9/12 (7 - 24/30) = 4.65; continuity correction 1/2.
    const RankTest t = mann_whitney_less({1, 2, 2}, {2, 3, 4});
    CHECK_FALSE(t.exact);
    CHECK(t.u == 1);
    CHECK(t.p_value == doctest::Approx(0.5 * std::erfc(3 / std::sqrt(4.65) / std::sqrt(2.0))));
    CHECK(t.p_value == doctest::Approx(0.08207986423925762));
    CHECK(mann_whitney_less({1, 1}, {1, 1}).p_value == 1);  // all tied: no evidence
    CHECK(mann_whitney_less({}, {1, 2}).p_value == 1);
}

TEST_CASE("Holm's step-down adjustment") {
    // Sorted 0.01 0.03 0.04 times 3 2 1: 0.03 0.06 0.04, made monotone: 0.03 0.06 0.06.
    const auto adjusted = holm_adjust({0.01, 0.04, 0.03});
    REQUIRE(adjusted.size() == 3);
    CHECK(adjusted[0] == doctest::Approx(0.03));
    CHECK(adjusted[1] == doctest::Approx(0.06));
    CHECK(adjusted[2] == doctest::Approx(0.06));
    const auto capped = holm_adjust({0.5, 0.9});
    CHECK(capped[0] == 1);
    CHECK(capped[1] == 1);
    CHECK(holm_adjust({0.02}) == std::vector<double>{0.02});
    CHECK(holm_adjust({}).empty());
}
