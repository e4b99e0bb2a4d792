#pragma once

#include "classic.hpp"

namespace synthetic {

// f(x) = sum x_i^2; optimum 0 at the origin.
class Sphere final : public ClassicProblem {
public:
    static constexpr const char* name = "sphere";
    static constexpr const char* description = "sum of squares (a.k.a. hypersphere), optimum 0 at 0";
    static constexpr abi::ParamSpec params[] = {SYNTHETIC_COMMON_PARAMS("-5.12:5.12")};

    explicit Sphere(const sdk::Params& p) : ClassicProblem(name, p) {}

    double value(std::span<const double> x) override {
        double sum = 0;
        for (double v : x) sum += v * v;
        return sum;
    }

    bool has_gradient() const override { return true; }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = 2 * x[i];
        return value(x);
    }

    bool has_optimum_value() const override { return true; }
    double optimum_value() const override { return 0; }
    bool has_optimum_point() const override { return true; }
    void optimum_point(std::span<double> out) const override {
        for (double& v : out) v = 0;
    }
};

}  // namespace synthetic
