// The problems `optbench check` runs an optimizer on, and the conformance suite with it: they
// check what optimizers do (stay in an asymmetric box, cope without bounds or a gradient) and
// misbehave on purpose (NaN, infinities, exceptions). One definition for the shipped check
// library (conformance.cpp) and the test-only plugins that reuse them.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "optbench/sdk/sdk.hpp"

namespace optbench::conformance {

// sum (x_i - c_i)^2 with c_i inside an asymmetric box whose width differs per coordinate; an
// evaluation outside the box throws, so a run that leaves the bounds ends in an error row.
class BoxQuadratic final : public sdk::Problem {
public:
    static constexpr const char* name = "box_quadratic";
    static constexpr const char* description =
        "test: shifted quadratic in an asymmetric box; throws outside the bounds";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "5", "number of variables", 1, 1e6),
        sdk::integer("instance", "1", "start point seed", 1),
    };

    explicit BoxQuadratic(const sdk::Params& p)
        : BoxQuadratic(static_cast<std::size_t>(p.integer("dim")), p.integer("instance")) {}

    double value(std::span<const double> x) override {
        double sum = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (!(x[i] >= lower_bound(i) && x[i] <= upper_bound(i)))
                throw std::runtime_error("evaluated outside the bounds at coordinate " +
                                         std::to_string(i) + ": " + std::to_string(x[i]));
            const double d = x[i] - centre(i);
            sum += d * d;
        }
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = 2 * (x[i] - centre(i));
        return value(x);
    }
    std::optional<double> optimum_value() const override { return 0.0; }
    void initial_point(std::span<double> out) const override {
        sdk::Rng rng(sdk::derive_seed({"box_quadratic"}, instance_));
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = rng.uniform(lower_bound(i), upper_bound(i));
    }

private:
    BoxQuadratic(std::size_t dim, std::int64_t instance)
        : sdk::Problem(dim, lows(dim), highs(dim)), instance_(static_cast<std::uint64_t>(instance)) {}
    static std::vector<double> lows(std::size_t dim) {
        std::vector<double> v(dim);
        for (std::size_t i = 0; i < dim; ++i) v[i] = -1.0 - static_cast<double>(i % 3);
        return v;
    }
    static std::vector<double> highs(std::size_t dim) {
        std::vector<double> v(dim);
        for (std::size_t i = 0; i < dim; ++i) v[i] = 2.0 + 0.5 * static_cast<double>(i % 4);
        return v;
    }
    double centre(std::size_t i) const { return 0.3 * upper_bound(i) + 0.7 * lower_bound(i); }
    std::uint64_t instance_;
};

// Returns NaN, +inf or -inf on a fixed pattern of calls, a quadratic otherwise.
class NonFinite final : public sdk::Problem {
public:
    static constexpr const char* name = "nonfinite";
    static constexpr const char* description = "test: NaN, +inf and -inf on some evaluations";
    static constexpr abi::ParamSpec params[] = {sdk::integer("dim", "3", "number of variables", 1, 1e6)};

    explicit NonFinite(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5}, {5}) {}

    double value(std::span<const double> x) override {
        ++calls_;
        if (calls_ % 3 == 0) return std::numeric_limits<double>::quiet_NaN();
        if (calls_ % 5 == 0) return std::numeric_limits<double>::infinity();
        if (calls_ % 7 == 0) return -std::numeric_limits<double>::infinity();
        double sum = 0;
        for (double v : x) sum += v * v;
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = calls_ % 2 ? std::nan("") : 2 * x[i];
        return value(x);
    }

private:
    std::uint64_t calls_ = 0;
};

// Throws on the given evaluation.
class Throwing final : public sdk::Problem {
public:
    static constexpr const char* name = "throwing";
    static constexpr const char* description = "test: throws on evaluation number `after`";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "3", "number of variables", 1, 1e6),
        sdk::integer("after", "10", "the evaluation that throws", 1),
    };

    explicit Throwing(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5}, {5}),
          after_(static_cast<std::uint64_t>(p.integer("after"))) {}

    double value(std::span<const double> x) override {
        if (++calls_ == after_) throw std::runtime_error("deliberate failure in evaluation " + std::to_string(calls_));
        double sum = 0;
        for (double v : x) sum += v * v;
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = 2 * x[i];
        return value(x);
    }

private:
    std::uint64_t after_;
    std::uint64_t calls_ = 0;
};

// A finite sum of N quadratics (x - a_k)^2 / N with a gradient, for minibatch methods.
class FiniteSum final : public sdk::Problem {
public:
    static constexpr const char* name = "finite_sum";
    static constexpr const char* description = "test: mean of N shifted quadratics (finite sum)";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "4", "number of variables", 1, 1e6),
        sdk::integer("samples", "50", "number of terms N", 1, 1e7),
    };

    explicit FiniteSum(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-10}, {10}),
          samples_(static_cast<std::size_t>(p.integer("samples"))) {}

    double value(std::span<const double> x) override {
        std::vector<std::size_t> all(samples_);
        for (std::size_t k = 0; k < samples_; ++k) all[k] = k;
        return subset_value(x, all, {});
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        std::vector<std::size_t> all(samples_);
        for (std::size_t k = 0; k < samples_; ++k) all[k] = k;
        return subset_value(x, all, g);
    }
    std::size_t num_samples() const override { return samples_; }
    double subset_value(std::span<const double> x, std::span<const std::size_t> samples,
                        std::span<double> g) override {
        double sum = 0;
        for (double& v : g) v = 0;
        for (std::size_t k : samples)
            for (std::size_t i = 0; i < x.size(); ++i) {
                const double d = x[i] - target(k, i);
                sum += d * d;
                if (!g.empty()) g[i] += 2 * d / static_cast<double>(samples.size());
            }
        return sum / static_cast<double>(samples.size());
    }

private:
    static double target(std::size_t k, std::size_t i) {
        return std::sin(static_cast<double>(k * 7 + i * 3));
    }
    std::size_t samples_;
};

// Quadratic without bounds (every bound infinite).
class Unbounded final : public sdk::Problem {
public:
    static constexpr const char* name = "unbounded";
    static constexpr const char* description = "test: quadratic without bounds";
    static constexpr abi::ParamSpec params[] = {sdk::integer("dim", "3", "number of variables", 1, 1e6)};

    explicit Unbounded(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")),
                       {-std::numeric_limits<double>::infinity()},
                       {std::numeric_limits<double>::infinity()}) {}

    double value(std::span<const double> x) override {
        double sum = 0;
        for (double v : x) sum += (v - 1) * (v - 1);
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = 2 * (x[i] - 1);
        return value(x);
    }
};

// A quadratic that offers no gradient: gradient-based optimizers must say they cannot run.
class NoGradient final : public sdk::Problem {
public:
    static constexpr const char* name = "no_gradient";
    static constexpr const char* description = "test: quadratic without a gradient";
    static constexpr abi::ParamSpec params[] = {sdk::integer("dim", "3", "number of variables", 1, 1e6)};

    explicit NoGradient(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5}, {5}) {}

    double value(std::span<const double> x) override {
        double sum = 0;
        for (double v : x) sum += (v - 0.5) * (v - 0.5);
        return sum;
    }
};

}  // namespace optbench::conformance
