// Sums accurate enough to be updated incrementally. A total that is kept across millions of
// sparse moves (subtract the old terms, add the new ones) must still round to the same double
// as a fresh sum of the current terms, even after the value has fallen by many orders of
// magnitude during a run; plain double sums lose that after one cancellation.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <utility>

namespace synthetic {

// a + b == sum + error exactly (Knuth's TwoSum, branch-free, any magnitudes).
inline void two_sum(double a, double b, double& sum, double& error) {
    sum = a + b;
    const double b_part = sum - a;
    error = (a - (sum - b_part)) + (b - b_part);
}

// A running total hi + mid + lo. The additions into hi and mid are error-free; only lo rounds,
// at about 2^-106 of the largest partial total seen, so adding and later removing even a huge
// term leaves no visible trace.
class Total {
public:
    void add(double v) {
        double carry = 0, carry_of_carry = 0;
        two_sum(hi_, v, hi_, carry);
        two_sum(mid_, carry, mid_, carry_of_carry);
        lo_ += carry_of_carry;
    }
    void subtract(double v) { add(-v); }

    double value() const {
        if (!std::isfinite(hi_)) return hi_;  // the corrections are NaN once hi overflowed
        double head = 0, tail = 0;
        two_sum(hi_, mid_, head, tail);
        return head + (tail + lo_);
    }

private:
    double hi_ = 0, mid_ = 0, lo_ = 0;
};

// Sums `count` terms of `channels` values each (term(i) returns std::array<double, channels>)
// in one pass. Four interleaved double-word accumulators per channel keep the loop about as
// fast as a plain sum (the compiler vectorises them); their rounding is ~count * 2^-106 of the
// sum of the magnitudes.
template <std::size_t channels, class Term>
std::array<Total, channels> sum_terms(std::size_t count, const Term& term) {
    constexpr std::size_t lanes = 4;
    double hi[channels][lanes] = {};
    double lo[channels][lanes] = {};
    const auto add = [](double& high, double& low, double v) {
        double sum = 0, error = 0;
        two_sum(high, v, sum, error);
        high = sum;
        low += error;
    };
    std::size_t i = 0;
    for (; i + lanes <= count; i += lanes)
        for (std::size_t lane = 0; lane < lanes; ++lane) {
            const std::array<double, channels> t = term(i + lane);
            // A fold over the channels: a loop over them (even of length 1), or passing t by
            // reference, keeps GCC 12 from vectorising the lanes.
            [&]<std::size_t... c>(std::index_sequence<c...>) {
                (add(hi[c][lane], lo[c][lane], t[c]), ...);
            }(std::make_index_sequence<channels>{});
        }
    std::array<Total, channels> totals{};
    for (std::size_t c = 0; c < channels; ++c) {
        double head = hi[c][0], tail = lo[c][0];
        for (std::size_t lane = 1; lane < lanes; ++lane) {
            double sum = 0, error = 0;
            two_sum(head, hi[c][lane], sum, error);
            head = sum;
            tail += error + lo[c][lane];
        }
        totals[c].add(head);
        if (std::isfinite(head)) totals[c].add(tail);  // else tail is NaN
    }
    for (; i < count; ++i) {
        const std::array<double, channels> t = term(i);
        for (std::size_t c = 0; c < channels; ++c) totals[c].add(t[c]);
    }
    return totals;
}

}  // namespace synthetic
