#include "report/rank_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace optbench::host::report {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double epsilon = std::numeric_limits<double>::epsilon();
// Keeps Lentz's recurrences away from a division by zero.
constexpr double tiny = 1e-300;
constexpr int max_iterations = 100000;

double gamma_p_series(double a, double x) {
    double term = 1 / a, sum = term;
    for (int n = 1; n < max_iterations && std::abs(term) > std::abs(sum) * epsilon; ++n) {
        term *= x / (a + n);
        sum += term;
    }
    return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

double gamma_q_continued_fraction(double a, double x) {
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < max_iterations; ++i) {
        const double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (std::abs(d) < tiny) d = tiny;
        c = b + an / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1) <= epsilon) break;
    }
    return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

// The continued fraction of I_x(a, b) (without its prefactor), converging fast for
// x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double x, double a, double b) {
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (std::abs(d) < tiny) d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m < max_iterations; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
        d = 1 + aa * d;
        if (std::abs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
        d = 1 + aa * d;
        if (std::abs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1) <= epsilon) break;
    }
    return h;
}

// P(R+ <= r) for every r = 0 .. n(n+1)/2 without ties: each rank 1..n joins R+ with probability
// 1/2 independently.
std::vector<double> signed_rank_cdf(std::size_t n) {
    std::vector<double> pmf(n * (n + 1) / 2 + 1, 0.0);
    pmf[0] = 1;
    std::size_t top = 0;
    for (std::size_t rank = 1; rank <= n; ++rank) {
        top += rank;
        for (std::size_t s = top; s >= rank; --s) pmf[s] = 0.5 * (pmf[s] + pmf[s - rank]);
        for (std::size_t s = 0; s < rank; ++s) pmf[s] *= 0.5;
    }
    std::partial_sum(pmf.begin(), pmf.end(), pmf.begin());
    return pmf;
}

}  // namespace

std::vector<double> midranks(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j < order.size() && values[order[j]] == values[order[i]]) ++j;
        const double midrank = 0.5 * static_cast<double>(i + 1 + j);
        for (std::size_t k = i; k < j; ++k) ranks[order[k]] = midrank;
        i = j;
    }
    return ranks;
}

double regularized_gamma_p(double a, double x) {
    if (!(a > 0) || !(x >= 0)) return nan;
    if (x == 0) return 0;
    if (std::isinf(x)) return 1;
    return x < a + 1 ? gamma_p_series(a, x) : 1 - gamma_q_continued_fraction(a, x);
}

double regularized_gamma_q(double a, double x) {
    if (!(a > 0) || !(x >= 0)) return nan;
    if (x == 0) return 1;
    if (std::isinf(x)) return 0;
    return x < a + 1 ? 1 - gamma_p_series(a, x) : gamma_q_continued_fraction(a, x);
}

double regularized_beta(double x, double a, double b) {
    if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return nan;
    if (x == 0 || x == 1) return x;
    const double prefactor =
        std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
    if (x < (a + 1) / (a + b + 2)) return prefactor * beta_continued_fraction(x, a, b) / a;
    return 1 - prefactor * beta_continued_fraction(1 - x, b, a) / b;
}

double chi_square_sf(double x, double degrees_of_freedom) {
    if (std::isnan(x)) return nan;
    return x <= 0 ? 1 : regularized_gamma_q(degrees_of_freedom / 2, x / 2);
}

double f_sf(double x, double numerator_df, double denominator_df) {
    if (std::isnan(x)) return nan;
    if (x <= 0) return 1;
    if (std::isinf(x)) return 0;
    // P(F > x) = I_{d2 / (d2 + d1 x)}(d2 / 2, d1 / 2)
    return regularized_beta(denominator_df / (denominator_df + numerator_df * x), denominator_df / 2,
                            numerator_df / 2);
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double studentized_range_cdf(double q, std::size_t k) {
    if (std::isnan(q) || k < 2) return nan;
    if (q <= 0) return 0;
    if (std::isinf(q)) return 1;
    // The integrand is at most phi(z), whose mass outside [-9, 9] is below 1e-18.
    constexpr double low = -9, high = 9, step = 1.0 / 128;
    const auto integrand = [&](double z) {
        const double inside = normal_cdf(z) - normal_cdf(z - q);
        return std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi) * std::pow(inside, static_cast<double>(k - 1));
    };
    const int intervals = static_cast<int>((high - low) / step);  // even
    double sum = integrand(low) + integrand(high);
    for (int i = 1; i < intervals; ++i) sum += (i % 2 ? 4 : 2) * integrand(low + i * step);
    return std::clamp(static_cast<double>(k) * sum * step / 3, 0.0, 1.0);
}

double studentized_range_quantile(double probability, std::size_t k) {
    if (!(probability > 0 && probability < 1) || k < 2) return nan;
    double low = 0, high = 1;
    while (studentized_range_cdf(high, k) < probability) high *= 2;
    while (high - low > 1e-12 * high) {
        const double middle = 0.5 * (low + high);
        (studentized_range_cdf(middle, k) < probability ? low : high) = middle;
    }
    return 0.5 * (low + high);
}

double nemenyi_critical_difference(std::size_t k, std::size_t n, double alpha) {
    if (k < 2 || n == 0) return nan;
    const double q_alpha = studentized_range_quantile(1 - alpha, k) / std::sqrt(2.0);
    const double dk = static_cast<double>(k);
    return q_alpha * std::sqrt(dk * (dk + 1) / (6 * static_cast<double>(n)));
}

double iman_davenport_statistic(double chi_square, std::size_t n, std::size_t k) {
    const double dn = static_cast<double>(n), dk = static_cast<double>(k);
    const double denominator = dn * (dk - 1) - chi_square;
    return denominator > 0 ? (dn - 1) * chi_square / denominator : inf;
}

FriedmanTest friedman_test(const std::vector<std::vector<double>>& ranks) {
    FriedmanTest test;
    test.problems = ranks.size();
    test.optimizers = ranks.empty() ? 0 : ranks.front().size();
    const std::size_t n = test.problems, k = test.optimizers;
    if (n < 2 || k < 2) return test;
    const double dn = static_cast<double>(n), dk = static_cast<double>(k);
    double squares = 0;
    for (std::size_t j = 0; j < k; ++j) {
        double sum = 0;
        for (const auto& row : ranks) sum += row[j];
        const double average = sum / dn;
        squares += average * average;
    }
    double tie_term = 0;
    for (const auto& row : ranks) {
        std::vector<double> sorted = row;
        std::sort(sorted.begin(), sorted.end());
        for (std::size_t i = 0; i < k;) {
            std::size_t j = i;
            while (j < k && sorted[j] == sorted[i]) ++j;
            const double t = static_cast<double>(j - i);
            tie_term += t * t * t - t;
            i = j;
        }
    }
    test.tie_correction = 1 - tie_term / (dn * dk * (dk * dk - 1));
    const double uncorrected = 12 * dn / (dk * (dk + 1)) * (squares - dk * (dk + 1) * (dk + 1) / 4);
    // Rounding can leave a few ulps below 0 when the average ranks are all (k + 1) / 2.
    test.chi_square = test.tie_correction > 0 ? std::max(0.0, uncorrected / test.tie_correction) : 0;
    test.p_value = chi_square_sf(test.chi_square, dk - 1);
    test.iman_davenport = iman_davenport_statistic(test.chi_square, n, k);
    test.iman_davenport_p = f_sf(test.iman_davenport, dk - 1, (dk - 1) * (dn - 1));
    return test;
}

SignedRankTest wilcoxon_signed_rank(const std::vector<double>& x, const std::vector<double>& y) {
    SignedRankTest test;
    std::vector<double> differences, magnitudes;
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
        const double d = x[i] - y[i];
        // Equal infinite values (two unsuccessful runtimes) differ by nothing, not by NaN.
        if (x[i] == y[i] || d == 0) continue;
        differences.push_back(d);
        magnitudes.push_back(std::abs(d));
    }
    test.n = differences.size();
    if (test.n == 0) return test;
    const std::vector<double> ranks = midranks(magnitudes);
    for (std::size_t i = 0; i < test.n; ++i) (differences[i] > 0 ? test.r_plus : test.r_minus) += ranks[i];
    test.statistic = std::min(test.r_plus, test.r_minus);
    const bool zeros = test.n < std::min(x.size(), y.size());
    std::vector<double> sorted = magnitudes;
    std::sort(sorted.begin(), sorted.end());
    const bool ties = std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
    const double n = static_cast<double>(test.n);
    if (!zeros && !ties && test.n <= 50) {
        test.exact = true;
        const std::vector<double> cdf = signed_rank_cdf(test.n);
        const auto r = static_cast<std::size_t>(test.r_plus);  // a whole number without ties
        const double at_most = cdf[r], at_least = r == 0 ? 1 : 1 - cdf[r - 1];
        test.p_value = std::min(1.0, 2 * std::min(at_most, at_least));
        return test;
    }
    double variance = n * (n + 1) * (2 * n + 1);
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
        const double t = static_cast<double>(j - i);
        variance -= 0.5 * t * (t * t - 1);
        i = j;
    }
    const double z = (test.statistic - n * (n + 1) / 4) / std::sqrt(variance / 24);
    test.p_value = std::min(1.0, std::erfc(std::abs(z) / std::sqrt(2.0)));
    return test;
}

std::vector<std::pair<std::size_t, std::size_t>> cliques_within(const std::vector<double>& sorted_ranks,
                                                               double critical_difference) {
    std::vector<std::pair<std::size_t, std::size_t>> cliques;
    std::size_t reached = 0;  // the last member of the previous clique (0 before the first)
    for (std::size_t first = 0; first < sorted_ranks.size(); ++first) {
        std::size_t last = first;
        while (last + 1 < sorted_ranks.size() && sorted_ranks[last + 1] - sorted_ranks[first] < critical_difference)
            ++last;
        if (last > first && last > reached) {
            cliques.emplace_back(first, last);
            reached = last;
        }
    }
    return cliques;
}

}  // namespace optbench::host::report
