// Statistics for reports: order statistics, COCO's average runtime (aRT) with simulated
// restarts, and the one-sided Mann-Whitney U test with Holm's correction.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "optbench/sdk/rng.hpp"

namespace optbench::host::report {

// Quantile by linear interpolation between order statistics (Hyndman-Fan type 7, the default
// of R and NumPy): position p*(n-1) in the sorted values. NaN for an empty sample.
double quantile(std::vector<double> values, double p);

// Every field is NaN for an empty sample.
struct Summary {
    static constexpr double unknown = std::numeric_limits<double>::quiet_NaN();
    std::size_t n = 0;
    double median = unknown, q1 = unknown, q3 = unknown;  // q1, q3: 25 % and 75 % quantiles (type 7)
    double mean = unknown;
    double std = unknown;  // sample standard deviation (n - 1 in the denominator); NaN when n < 2
    double iqr() const { return q3 - q1; }
};
Summary summarize(const std::vector<double>& values);

// One run measured against one target: `evals` is the cost at which the run first reached
// the target when `success`, otherwise everything the run spent.
struct RunOutcome {
    double evals = 0;
    bool success = false;
};

// COCO's average runtime (aRT, formerly ERT): all evaluations spent by all runs (up to the
// target for the successful ones) divided by the number of successful runs; +inf when none
// succeeded.
double average_runtime(const std::vector<RunOutcome>& runs);

// COCO's bootstrap sample size for simulated restarts: the smallest multiple of `runs` that is
// at least 15.
std::size_t restart_sample_size(std::size_t runs);

// Runtimes with simulated restarts, as cocopp builds its ECDFs: sample k starts with run
// k mod n (so every run, hence every instance, has the same weight); while the current run is
// unsuccessful its evaluations are added and another run is drawn uniformly with
// replacement, until a successful run adds its runtime. All +inf when no run succeeded.
std::vector<double> simulated_restart_runtimes(const std::vector<RunOutcome>& runs,
                                               std::size_t samples, sdk::Rng& rng);

struct RankTest {
    double u = 0;         // U of the first sample: pairs (x_i > y_j), ties counting one half
    double p_value = 1;   // one-sided: P(U <= observed U) under "same distribution"
    bool exact = false;   // exact null distribution, otherwise the normal approximation
};

// One-sided Mann-Whitney U test of "x tends to be smaller than y". Exact (permutation
// distribution of U) when there are no ties and n_x * n_y <= 2500; otherwise the normal
// approximation with the tie-corrected variance and a continuity correction of 1/2 (what
// scipy.stats.mannwhitneyu calls method='asymptotic', use_continuity=True). p = 1 when a
// sample is empty or every value is tied.
RankTest mann_whitney_less(const std::vector<double>& x, const std::vector<double>& y);

// Holm's step-down adjustment (controls the family-wise error rate): with p sorted
// ascending, adjusted p_(i) = max over j <= i of min(1, (m - j + 1) p_(j)); returned in the
// input order.
std::vector<double> holm_adjust(const std::vector<double>& p_values);

}  // namespace optbench::host::report
