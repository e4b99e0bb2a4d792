#include "report/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace optbench::host::report {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

double sorted_quantile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return nan;
    const double position = p * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    if (fraction == 0 || sorted[below] == sorted[above]) return sorted[below];
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

// P(U <= u) for samples of sizes m and n without ties. The largest of the m + n values comes
// from the first sample with probability m / (m + n), and then exceeds all n values of the
// second: P_{m,n}(u) = m/(m+n) P_{m-1,n}(u - n) + n/(m+n) P_{m,n-1}(u).
double exact_u_cdf(std::size_t m, std::size_t n, double u) {
    // previous[j] / current[j]: the distribution of U for (i - 1, j) / (i, j).
    std::vector<std::vector<double>> previous(n + 1, std::vector<double>{1.0});
    for (std::size_t i = 1; i <= m; ++i) {
        std::vector<std::vector<double>> current(n + 1);
        current[0] = {1.0};
        for (std::size_t j = 1; j <= n; ++j) {
            std::vector<double>& d = current[j];
            d.assign(i * j + 1, 0.0);
            const double from_first = static_cast<double>(i) / static_cast<double>(i + j);
            for (std::size_t k = 0; k < previous[j].size(); ++k) d[k + j] += from_first * previous[j][k];
            for (std::size_t k = 0; k < current[j - 1].size(); ++k) d[k] += (1 - from_first) * current[j - 1][k];
        }
        previous = std::move(current);
    }
    const std::vector<double>& distribution = previous[n];
    double cdf = 0;
    for (std::size_t k = 0; k < distribution.size() && static_cast<double>(k) <= u; ++k)
        cdf += distribution[k];
    return std::min(cdf, 1.0);
}

}  // namespace

double quantile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return sorted_quantile(values, p);
}

Summary summarize(const std::vector<double>& values) {
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    Summary s;
    s.n = sorted.size();
    s.median = sorted_quantile(sorted, 0.5);
    s.q1 = sorted_quantile(sorted, 0.25);
    s.q3 = sorted_quantile(sorted, 0.75);
    if (s.n) s.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(s.n);
    if (s.n >= 2) {
        double squares = 0;
        for (double v : sorted) squares += (v - s.mean) * (v - s.mean);
        s.std = std::sqrt(squares / static_cast<double>(s.n - 1));
    }
    return s;
}

double average_runtime(const std::vector<RunOutcome>& runs) {
    double spent = 0;
    std::size_t successes = 0;
    for (const RunOutcome& r : runs) {
        spent += r.evals;
        successes += r.success;
    }
    return successes ? spent / static_cast<double>(successes) : inf;
}

std::size_t restart_sample_size(std::size_t runs) {
    if (runs == 0) return 0;
    return runs * ((15 + runs - 1) / runs);
}

std::vector<double> simulated_restart_runtimes(const std::vector<RunOutcome>& runs,
                                               std::size_t samples, sdk::Rng& rng) {
    const bool any_success =
        std::any_of(runs.begin(), runs.end(), [](const RunOutcome& r) { return r.success; });
    if (!any_success) return std::vector<double>(samples, inf);
    std::vector<double> runtimes;
    runtimes.reserve(samples);
    for (std::size_t k = 0; k < samples; ++k) {
        const RunOutcome* run = &runs[k % runs.size()];
        double total = run->evals;
        while (!run->success) {
            run = &runs[rng.index(runs.size())];
            total += run->evals;
        }
        runtimes.push_back(total);
    }
    return runtimes;
}

RankTest mann_whitney_less(const std::vector<double>& x, const std::vector<double>& y) {
    RankTest test;
    const std::size_t m = x.size(), n = y.size(), total = m + n;
    if (m == 0 || n == 0) return test;
    std::vector<std::pair<double, bool>> pooled;  // value, from x
    for (double v : x) pooled.emplace_back(v, true);
    for (double v : y) pooled.emplace_back(v, false);
    std::sort(pooled.begin(), pooled.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    double rank_sum_x = 0, tie_term = 0;
    for (std::size_t i = 0; i < total;) {
        std::size_t j = i;
        while (j < total && pooled[j].first == pooled[i].first) ++j;
        const double tied = static_cast<double>(j - i);
        const double midrank = 0.5 * static_cast<double>(i + 1 + j);
        for (std::size_t k = i; k < j; ++k)
            if (pooled[k].second) rank_sum_x += midrank;
        tie_term += tied * tied * tied - tied;
        i = j;
    }
    const double dm = static_cast<double>(m), dn = static_cast<double>(n), dt = static_cast<double>(total);
    test.u = rank_sum_x - dm * (dm + 1) / 2;
    if (tie_term == 0 && m * n <= 2500) {
        test.exact = true;
        test.p_value = exact_u_cdf(m, n, test.u);
        return test;
    }
    const double variance = dm * dn / 12 * ((dt + 1) - tie_term / (dt * (dt - 1)));
    if (!(variance > 0)) return test;
    const double z = (test.u - dm * dn / 2 + 0.5) / std::sqrt(variance);
    test.p_value = std::min(1.0, 0.5 * std::erfc(-z / std::sqrt(2.0)));
    return test;
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
    const std::size_t m = p_values.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
    std::vector<double> adjusted(m);
    double running_max = 0;
    for (std::size_t rank = 0; rank < m; ++rank) {
        const double scaled = std::min(1.0, static_cast<double>(m - rank) * p_values[order[rank]]);
        running_max = std::max(running_max, scaled);
        adjusted[order[rank]] = running_max;
    }
    return adjusted;
}

}  // namespace optbench::host::report
