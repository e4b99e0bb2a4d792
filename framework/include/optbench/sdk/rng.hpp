// The SDK's own random numbers: the standard library's engines are portable but its
// distributions are not (std::normal_distribution differs between libstdc++, libc++ and
// MSVC), and reproducible benchmarks need the same draws everywhere. Everything here is
// defined bit for bit by this header and IEEE double arithmetic.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string_view>
#include <utility>

namespace optbench::sdk {

// SplitMix64 step: used to expand seeds and to mix hashes.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

inline constexpr std::uint64_t fnv1a_basis = 0xCBF29CE484222325ULL;

// The standard 64-bit FNV-1a over the bytes of text, continuing from h: recomputable with any
// tool, for content hashes that are written down (checksums, data fingerprints).
constexpr std::uint64_t fnv1a(std::string_view text, std::uint64_t h = fnv1a_basis) {
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001B3ULL;
    }
    return h;
}

// FNV-1a over the bytes of text, folded into h and mixed; stable across platforms and runs.
constexpr std::uint64_t hash_text(std::uint64_t h, std::string_view text) {
    std::uint64_t state = fnv1a(text, h);
    return splitmix64(state);
}

constexpr std::uint64_t hash_value(std::uint64_t h, std::uint64_t value) {
    std::uint64_t state = h ^ (value + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2));
    return splitmix64(state);
}

// A seed that depends only on the given parts, e.g. derive_seed({"my_suite", "instance"}, 3).
inline std::uint64_t derive_seed(std::initializer_list<std::string_view> parts,
                                 std::uint64_t number = 0) {
    std::uint64_t h = fnv1a_basis;
    for (std::string_view part : parts) h = hash_text(h, part);
    return hash_value(h, number);
}

// xoshiro256** (Blackman & Vigna), seeded through SplitMix64 so that any 64-bit seed works.
class Rng {
public:
    using result_type = std::uint64_t;

    explicit Rng(std::uint64_t seed = 0) {
        std::uint64_t s = seed;
        for (auto& word : state_) word = splitmix64(s);
    }

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~result_type{0}; }

    result_type operator()() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

    // Uniform in [low, high).
    double uniform(double low, double high) { return low + (high - low) * uniform(); }

    // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject).
    std::size_t index(std::size_t n) {
        const std::uint64_t range = n;
        unsigned __int128 product = static_cast<unsigned __int128>((*this)()) * range;
        auto low = static_cast<std::uint64_t>(product);
        if (low < range) {
            const std::uint64_t threshold = (0 - range) % range;
            while (low < threshold) {
                product = static_cast<unsigned __int128>((*this)()) * range;
                low = static_cast<std::uint64_t>(product);
            }
        }
        return static_cast<std::size_t>(product >> 64);
    }

    // Standard normal by the polar method; the second value of each pair is kept.
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u = 0.0, v = 0.0, s = 0.0;
        do {
            u = 2.0 * uniform() - 1.0;
            v = 2.0 * uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double factor = std::sqrt(-2.0 * std::log(s) / s);
        spare_ = v * factor;
        has_spare_ = true;
        return u * factor;
    }

    double normal(double mean, double stddev) { return mean + stddev * normal(); }

    // Fisher-Yates shuffle of any random-access range.
    template <class Range>
    void shuffle(Range& range) {
        using std::swap;
        const std::size_t n = std::size(range);
        for (std::size_t i = n; i > 1; --i) swap(range[i - 1], range[index(i)]);
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) {
        return (x << k) | (x >> (64 - k));
    }

    std::uint64_t state_[4]{};
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace optbench::sdk
