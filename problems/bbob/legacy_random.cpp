#include "legacy_random.hpp"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "constants.hpp"

namespace bbob::legacy {

namespace {

constexpr std::int64_t modulus = 2147483647;

// One Park-Miller step by Schrage's method (no 64-bit product needed in the original).
std::int64_t next_state(std::int64_t state) {
    const std::int64_t quotient = state / 127773;
    state = 16807 * (state - quotient * 127773) - 2836 * quotient;
    return state < 0 ? state + modulus : state;
}

}  // namespace

std::vector<double> uniform(std::size_t n, std::int64_t seed) {
    std::int64_t state = seed < 0 ? -seed : seed;
    if (state < 1) state = 1;
    if (state > largest_seed)
        throw std::invalid_argument("legacy BBOB seed " + std::to_string(seed) +
                                    " is beyond the generator's range (|seed| < 2^31 - 1)");
    std::array<std::int64_t, 32> shuffle{};
    for (int i = 39; i >= 0; --i) {
        state = next_state(state);
        if (i < 32) shuffle[static_cast<std::size_t>(i)] = state;
    }
    std::int64_t last = shuffle[0];
    std::vector<double> values(n);
    for (double& value : values) {
        state = next_state(state);
        const auto slot = static_cast<std::size_t>(last / 67108865);
        last = shuffle[slot];
        shuffle[slot] = state;
        value = static_cast<double>(last) / 2147483647.0;
        if (value == 0.0) value = 1e-99;
    }
    return values;
}

std::vector<double> gauss(std::size_t n, std::int64_t seed) {
    const std::vector<double> u = uniform(2 * n, seed);
    std::vector<double> values(n);
    for (std::size_t i = 0; i < n; ++i) {
        values[i] = std::sqrt(-2 * std::log(u[i])) * std::cos(two_pi * u[n + i]);
        if (values[i] == 0.0) values[i] = 1e-99;
    }
    return values;
}

std::vector<double> xopt(std::int64_t seed, std::size_t dimension) {
    std::vector<double> values = uniform(dimension, seed);
    for (double& value : values) {
        value = 8 * std::floor(1e4 * value) / 1e4 - 4;
        if (value == 0.0) value = -1e-5;
    }
    return values;
}

double fopt(int function, std::int64_t instance) {
    // f4 and f18 share their instances with f3 and f17.
    const int source = function == 4 ? 3 : function == 18 ? 17 : function;
    const std::int64_t seed = source + 10000 * instance;
    const double g1 = gauss(1, seed)[0];
    const double g2 = gauss(1, seed + 1)[0];
    const double rounded = round_half_up(100.0 * 100.0 * g1 / g2) / 100;
    const double at_least = -1000.0 > rounded ? -1000.0 : rounded;
    return 1000.0 < at_least ? 1000.0 : at_least;
}

Matrix rotation(std::int64_t seed, std::size_t dimension) {
    const std::size_t n = dimension;
    const std::vector<double> g = gauss(n * n, seed);
    Matrix b(n);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < n; ++c) b(r, c) = g[c * n + r];
    // Modified Gram-Schmidt over the columns; dividing by the norm (rather than multiplying by
    // its inverse) is part of the reference rounding.
    for (std::size_t c = 0; c < n; ++c) {
        for (std::size_t p = 0; p < c; ++p) {
            double dot = 0;
            for (std::size_t k = 0; k < n; ++k) dot += b(k, c) * b(k, p);
            for (std::size_t k = 0; k < n; ++k) b(k, c) -= dot * b(k, p);
        }
        double norm2 = 0;
        for (std::size_t k = 0; k < n; ++k) norm2 += b(k, c) * b(k, c);
        const double norm = std::sqrt(norm2);
        for (std::size_t k = 0; k < n; ++k) b(k, c) /= norm;
    }
    return b;
}

}  // namespace bbob::legacy
