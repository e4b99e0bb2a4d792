#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "optbench/sdk/normals.hpp"

using namespace optbench;

namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double normal_upper_tail(double z) { return 0.5 * std::erfc(z / std::numbers::sqrt2); }

std::vector<double> normals(std::uint64_t seed, std::size_t n) {
    sdk::Rng rng(seed);
    std::vector<double> z(n);
    sdk::fill_normal(rng, z);
    return z;
}

// FNV-1a over the numbers' bit patterns.
std::uint64_t fingerprint(const std::vector<double>& values) {
    std::uint64_t h = sdk::fnv1a_basis;
    for (double v : values) {
        const auto bits = std::bit_cast<std::uint64_t>(v);
        for (int byte = 0; byte < 8; ++byte) {
            h ^= (bits >> (8 * byte)) & 0xFF;
            h *= 0x100000001B3ULL;
        }
    }
    return h;
}

}  // namespace

TEST_CASE("fill_normal is pinned bit for bit") {
    // Published results depend on these numbers: a change to the tables, the lanes, the
    // vector step or the finishing of rejected draws must show here.
    sdk::Rng rng(42);
    std::vector<double> first(12);
    sdk::fill_normal(rng, first);
    const std::vector<double> expected = {
        0x1.43cd8fccfe555p+0, -0x1.17587087a1cdap-1, 0x1.4bfd891bede45p-2,
        -0x1.123ca28cdb267p-2, -0x1.a7f2270bf0028p-1, 0x1.12a5ecb4a13cep-2,
        0x1.6bf4cc8ba4242p-1, 0x1.818dfee217b86p+0, -0x1.1e64145bc28b7p-3,
        0x1.f8da5a0068d5ap-2, -0x1.39de2b8025512p+0, -0x1.2391927e33b3cp+0,
    };
    CHECK(first == expected);
    CHECK(rng() == 0xc2e96e726e97647eULL);

    // The vector step leaves over 7,913 of the first million draws: 7,796 go to the wedge
    // test, 117 to the tail.
    CHECK(fingerprint(normals(42, 1'000'000)) == 0xf545d986017cb1afULL);
}

TEST_CASE("every path draws the numbers the scalar definition draws") {
    const std::size_t rounds = 1 << 17;
    sdk::Rng rng_generic(9), rng_dispatched(9);
    sdk::ziggurat::Lanes lanes_generic(rng_generic), lanes_dispatched(rng_dispatched);
    std::vector<double> generic(rounds * sdk::ziggurat::lanes), dispatched(generic.size());
    sdk::ziggurat::fill_rounds_generic(lanes_generic, rng_generic, generic.data(), rounds);
    sdk::ziggurat::fill_rounds(lanes_dispatched, rng_dispatched, dispatched.data(), rounds);
    CHECK(generic == dispatched);
    CHECK(rng_generic() == rng_dispatched());
#ifdef OPTBENCH_SDK_NORMALS_AVX512
    if (sdk::ziggurat::has_avx512()) {
        sdk::Rng rng_avx512(9);
        sdk::ziggurat::Lanes lanes_avx512(rng_avx512);
        std::vector<double> avx512(generic.size());
        sdk::ziggurat::fill_rounds_avx512(lanes_avx512, rng_avx512, avx512.data(), rounds);
        CHECK(generic == avx512);
        sdk::Rng rng_after(9);
        sdk::ziggurat::Lanes lanes_after(rng_after);
        sdk::ziggurat::fill_rounds_generic(lanes_after, rng_after, generic.data(), rounds);
        CHECK(rng_avx512() == rng_after());
    } else {
        MESSAGE("this processor has no AVX-512: only the scalar path was compared");
    }
#endif
}

TEST_CASE("the first n numbers of a call do not depend on the span's length beyond n") {
    const std::vector<double> long_call = normals(3, 1003);
    for (std::size_t n : {1u, 7u, 8u, 9u, 16u, 1000u}) {
        CAPTURE(n);
        const std::vector<double> short_call = normals(3, n);
        CHECK(std::equal(short_call.begin(), short_call.end(), long_call.begin()));
    }
    CHECK(normals(3, 0).empty());
    CHECK(normals(3, 8) != normals(4, 8));
}

TEST_CASE("ten million draws: moments, Kolmogorov-Smirnov and chi-square against the normal") {
    const std::size_t n = 10'000'000;
    std::vector<double> z = normals(2024, n);
    const double count = static_cast<double>(n);

    double sum = 0;
    for (double v : z) sum += v;
    const double mean = sum / count;
    double m2 = 0, m3 = 0, m4 = 0;
    for (double v : z) {
        const double d = v - mean;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    m2 /= count;
    m3 /= count;
    m4 /= count;
    const double skewness = m3 / std::pow(m2, 1.5);
    const double excess_kurtosis = m4 / (m2 * m2) - 3;
    // Within five standard errors of 0, 1, 0, 0: sqrt(1/n), sqrt(2/n), sqrt(6/n), sqrt(24/n).
    CHECK(std::fabs(mean) < 5 * std::sqrt(1 / count));
    CHECK(std::fabs(m2 - 1) < 5 * std::sqrt(2 / count));
    CHECK(std::fabs(skewness) < 5 * std::sqrt(6 / count));
    CHECK(std::fabs(excess_kurtosis) < 5 * std::sqrt(24 / count));

    // Chi-square over 200 bins of width 0.05 on [-5, 5] and the two tails beyond, against
    // the normal's probabilities; the Wilson-Hilferty transform makes it about N(0, 1).
    const int inner_bins = 200;
    std::vector<double> observed(inner_bins + 2, 0.0);
    for (double v : z) {
        const double position = (v + 5) / 0.05;
        const int bin = position < 0 ? 0
                        : position >= inner_bins ? inner_bins + 1
                                                 : 1 + static_cast<int>(position);
        observed[static_cast<std::size_t>(bin)] += 1;
    }
    double chi_square = 0;
    for (int bin = 0; bin < inner_bins + 2; ++bin) {
        const double low = bin == 0 ? -INFINITY : -5 + 0.05 * (bin - 1);
        const double high = bin == inner_bins + 1 ? INFINITY : -5 + 0.05 * bin;
        const double expected = count * (normal_cdf(high) - normal_cdf(low));
        const double difference = observed[static_cast<std::size_t>(bin)] - expected;
        chi_square += difference * difference / expected;
    }
    const double dof = inner_bins + 1;
    const double wilson_hilferty =
        (std::cbrt(chi_square / dof) - (1 - 2 / (9 * dof))) / std::sqrt(2 / (9 * dof));
    CAPTURE(chi_square);
    CHECK(wilson_hilferty < 3.7);  // p = 1e-4

    // Kolmogorov-Smirnov: sqrt(n) D exceeds 1.95 with probability 0.001 for normal draws.
    std::sort(z.begin(), z.end());
    double d = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double cdf = normal_cdf(z[i]);
        d = std::max({d, static_cast<double>(i + 1) / count - cdf,
                      cdf - static_cast<double>(i) / count});
    }
    CAPTURE(d);
    CHECK(std::sqrt(count) * d < 1.95);
}

TEST_CASE("a hundred million draws: the tails beyond 4 and 5 have the normal's frequency") {
    const std::size_t n = 100'000'000;
    sdk::Rng rng(77);
    std::vector<double> chunk(1 << 20);
    double beyond_r = 0, beyond_4 = 0, beyond_5 = 0, positive_beyond_4 = 0, largest = 0;
    for (std::size_t drawn = 0; drawn < n; drawn += chunk.size()) {
        chunk.resize(std::min(chunk.size(), n - drawn));
        sdk::fill_normal(rng, chunk);
        for (double v : chunk) {
            const double magnitude = std::fabs(v);
            beyond_r += magnitude > sdk::ziggurat::r;
            beyond_4 += magnitude > 4;
            beyond_5 += magnitude > 5;
            positive_beyond_4 += v > 4;
            largest = std::max(largest, magnitude);
        }
    }
    const double count = static_cast<double>(n);
    // Within four binomial standard deviations of the expected counts (11,700, 6,334, 57).
    const auto plausible = [&](double observed, double probability) {
        const double expected = count * probability;
        return std::fabs(observed - expected) < 4 * std::sqrt(expected * (1 - probability));
    };
    CAPTURE(beyond_r);
    CAPTURE(beyond_4);
    CAPTURE(beyond_5);
    CHECK(plausible(beyond_r, 2 * normal_upper_tail(sdk::ziggurat::r)));
    CHECK(plausible(beyond_4, 2 * normal_upper_tail(4)));
    CHECK(plausible(beyond_5, 2 * normal_upper_tail(5)));
    CHECK(std::fabs(positive_beyond_4 - beyond_4 / 2) < 4 * std::sqrt(beyond_4 / 4));
    // P(max |z| > 6.5) over 1e8 draws is 0.8 %, and it exceeds 5 with near certainty.
    CHECK(largest > 5);
    CHECK(largest < 6.5);
}

TEST_CASE("the ziggurat's tables satisfy their definition") {
    using sdk::ziggurat::f;
    using sdk::ziggurat::x;
    const double r = sdk::ziggurat::r;
    const double v = r * f[1] + std::sqrt(std::numbers::pi / 2) * std::erfc(r / std::numbers::sqrt2);
    CHECK(x[0] * f[1] == doctest::Approx(v).epsilon(1e-15));
    const std::size_t layers = sdk::ziggurat::layers;
    for (std::size_t i = 0; i <= layers; ++i) {
        CAPTURE(i);
        CHECK(f[i] == doctest::Approx(std::exp(-x[i] * x[i] / 2)).epsilon(1e-15));
        if (i >= 1 && i < layers) {
            CHECK(x[i] > x[i + 1]);
            CHECK(x[i] * (f[i + 1] - f[i]) == doctest::Approx(v).epsilon(1e-12));
        }
    }
    CHECK(x[layers] == 0);
    CHECK(f[layers] == 1);

    // The curve stays within the margins around each wedge's chord, which let most wedge
    // draws be decided without a logarithm.
    for (std::size_t i = 1; i < layers; ++i) {
        CAPTURE(i);
        CHECK(sdk::ziggurat::wedge_below[i] < 0.3);
        CHECK(sdk::ziggurat::wedge_above[i] < 0.3);
        for (int k = 0; k <= 1000; ++k) {
            const double p = k / 1000.0;
            const double q = (std::exp(-std::pow(x[i] - p * (x[i] - x[i + 1]), 2) / 2) - f[i]) /
                             (f[i + 1] - f[i]);
            CHECK(q >= p - sdk::ziggurat::wedge_below[i]);
            CHECK(q <= p + sdk::ziggurat::wedge_above[i]);
        }
    }
}

TEST_CASE("the ziggurat's own logarithm is within two units in the last place") {
    using sdk::ziggurat::natural_log;
    CHECK(natural_log(1) == 0);
    CHECK(natural_log(0.5) == std::log(0.5));
    sdk::Rng rng(11);
    for (int i = 0; i < 200000; ++i) {
        // Over (0, 1], the heights and uniforms it is used on, and over many binades.
        const double value = i % 2 ? 1 - rng.uniform() : std::ldexp(1 + rng.uniform(), -1000 + i % 2000);
        CAPTURE(value);
        const double exact = std::log(value);
        CHECK(std::fabs(natural_log(value) - exact) <=
              2 * std::max(std::fabs(exact), 0x1p-1022) * 0x1p-52);
    }
}
