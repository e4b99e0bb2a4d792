// Statistics for comparing optimizers across problems (Demšar 2006, "Statistical comparisons of
// classifiers over multiple data sets", JMLR 7): ranks within a problem, the Friedman test with
// Iman and Davenport's F, the Nemenyi critical difference, and the Wilcoxon signed-rank test of
// a pair. The distributions they need (chi-square, F, normal, studentized range) are computed
// here from the regularized incomplete gamma and beta functions.
#pragma once

#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace optbench::host::report {

// Ranks 1..n of the values, lowest first; tied values share the mean of the ranks they span.
std::vector<double> midranks(const std::vector<double>& values);

// Regularized lower and upper incomplete gamma P(a, x), Q(a, x) = 1 - P(a, x), for a > 0,
// x >= 0: a series below x = a + 1, Lentz's continued fraction above (Numerical Recipes 6.2).
double regularized_gamma_p(double a, double x);
double regularized_gamma_q(double a, double x);
// Regularized incomplete beta I_x(a, b) for a, b > 0, 0 <= x <= 1: the continued fraction
// evaluated where it converges fast, with I_x(a, b) = 1 - I_{1-x}(b, a) elsewhere (NR 6.4).
double regularized_beta(double x, double a, double b);

// Survival functions P(X > x).
double chi_square_sf(double x, double degrees_of_freedom);
double f_sf(double x, double numerator_df, double denominator_df);
double normal_cdf(double z);

// The studentized range of k independent standard normal values (infinite degrees of freedom):
// P(range <= q) = k * integral phi(z) (Phi(z) - Phi(z - q))^(k-1) dz, integrated by composite
// Simpson's rule over the normal density's support; the quantile inverts it by bisection.
double studentized_range_cdf(double q, std::size_t k);
double studentized_range_quantile(double probability, std::size_t k);

// Nemenyi's critical difference of average ranks over n problems:
// q_alpha * sqrt(k (k + 1) / (6 n)), q_alpha = the studentized range's 1 - alpha quantile / sqrt(2).
double nemenyi_critical_difference(std::size_t k, std::size_t n, double alpha);

// The Friedman test of "every optimizer ranks alike" on n problems x k optimizers, from the
// ranks within each problem (midranks for ties).
struct FriedmanTest {
    static constexpr double unknown = std::numeric_limits<double>::quiet_NaN();
    std::size_t problems = 0, optimizers = 0;
    // 12 n / (k (k + 1)) * (sum_j R_j^2 - k (k + 1)^2 / 4) with R_j the average ranks (Demšar's
    // chi2_F), divided by the tie correction 1 - sum(t^3 - t) / (n k (k^2 - 1)) over groups of t
    // tied values (as R's friedman.test and scipy.stats.friedmanchisquare); chi-square with k - 1
    // degrees of freedom.
    double chi_square = unknown, p_value = unknown;
    double tie_correction = 1;  // chi_square * tie_correction is Demšar's uncorrected chi2_F
    // Iman and Davenport's F_F = (n - 1) chi2 / (n (k - 1) - chi2) on the corrected chi2, with
    // k - 1 and (k - 1)(n - 1) degrees of freedom (+inf, p = 0, when the ranks agree everywhere).
    double iman_davenport = unknown, iman_davenport_p = unknown;
};
// ranks[problem][optimizer]; every row as long as the first. NaN statistics with fewer than 2
// problems or optimizers; chi2 = 0 and p = 1 when every problem ties every optimizer.
FriedmanTest friedman_test(const std::vector<std::vector<double>>& ranks);
// F_F from chi2_F for n problems and k optimizers.
double iman_davenport_statistic(double chi_square, std::size_t n, std::size_t k);

struct SignedRankTest {
    std::size_t n = 0;             // pairs with a nonzero difference (the ones ranked)
    double r_plus = 0, r_minus = 0;  // rank sums of the positive and negative differences
    double statistic = 0;          // min(r_plus, r_minus)
    double p_value = 1;            // two-sided
    bool exact = false;
};
// Two-sided Wilcoxon signed-rank test of "x - y is symmetric about 0". Zero differences are
// dropped before ranking (Wilcoxon's convention, scipy's zero_method='wilcox'). Exact null
// distribution of r_plus when no difference is zero, no two |differences| tie and n <= 50;
// otherwise the normal approximation with the tie-corrected variance and no continuity
// correction (scipy.stats.wilcoxon, method='approx'). p = 1 when every difference is zero.
SignedRankTest wilcoxon_signed_rank(const std::vector<double>& x, const std::vector<double>& y);

// Groups drawn with one bar in a critical-difference diagram: over ranks sorted ascending, each
// maximal run [first, last] of at least two whose ranks differ by less than `critical_difference`
// (so no two members are significantly different), none inside another.
std::vector<std::pair<std::size_t, std::size_t>> cliques_within(const std::vector<double>& sorted_ranks,
                                                               double critical_difference);

}  // namespace optbench::host::report
