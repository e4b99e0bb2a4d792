// The classic test functions, each as terms, a finish and a gradient (see classic.hpp).
// Where the textbook formula cancels near the optimum (1 - cos, 1 - prod cos, e - exp), the
// terms use an equal form that does not (2 sin^2, log1p, expm1): values near the optimum keep
// their relative accuracy, f(x*) is exactly f_opt, and no point evaluates below f_opt.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "classic.hpp"

namespace synthetic {

inline constexpr double pi = std::numbers::pi;

inline double squared(double v) { return v * v; }

// sin(pi x) for every double x, within a few units in the last place (3.2 measured) and
// exactly 0 at the integers, where sin(pi * x) is not (pi * x rounds: at x = 30 its error is
// 1e-14). The reduction to r in [-1/2, 1/2] is exact, the rest a Taylor polynomial in r
// (truncation below 1e-20) in branch-free arithmetic: the compiler vectorises a loop over it,
// where libm's sin is a call per value, and it gives the same bits on every machine.
inline double sin_pi(double x) {
    constexpr double shifter = 0x1.8p52;  // adding it rounds to an integer, below 2^51
    // (-1)^k pi^(2k+1) / (2k+1)!, k = 0..11
    constexpr double c[] = {
        3.141592653589793238463e+0, -5.167712780049970029246e+0, 2.550164039877345443856e+0,
        -5.992645293207920768877e-1, 8.214588661112822879880e-2, -7.370430945714350777259e-3,
        4.663028057676125644206e-4, -2.191535344783021582738e-5, 7.952054001475512784783e-7,
        -2.294842899726987311020e-8, 5.392664662608128489352e-10, -1.051847171693206445513e-11};
    const double a = std::fabs(x);
    // a = 2m + t with t in [-1, 1]: sin(pi a) = sin(pi t), the period being 2.
    const double half = 0.5 * a;
    const double t = 2 * (half - ((half + shifter) - shifter));
    // t = n + r with n in {-1, 0, 1}: sin(pi t) = (-1)^n sin(pi r).
    const double n = (t + shifter) - shifter;
    const double r = t - n, y = r * r;
    double p = c[11];
    for (int k = 10; k >= 0; --k) p = c[k] + y * p;
    // (-1)^n by arithmetic, not a select: GCC vectorises no select between floating-point
    // results. From 2^52 on, where every double is an integer, t is one too (n = t, r = 0):
    // the result is 0; inf gives NaN, as sin(inf).
    return std::copysign(1.0, x) * (1 - 2 * n * n) * (r * p);
}

struct Sphere : ClassicFunction {
    static constexpr const char* name = "sphere";
    static constexpr const char* description =
        "sum of x_i^2 (a.k.a. hypersphere); minimum 0 at x = 0; default bounds -5.12:5.12";
    static constexpr const char* default_bounds = "-5.12:5.12";
    static constexpr double optimum_coordinate = 0;
    using ClassicFunction::ClassicFunction;

    std::array<double, 1> term(const double* x, std::size_t i) const { return {x[i] * x[i]}; }
    double finish(const std::array<double, 1>& sums) const { return sums[0]; }
    void gradient(const double* x, const std::array<double, 1>&, double* g) const {
        for (std::size_t i = 0; i < dim; ++i) g[i] = 2 * x[i];
    }
};

// Weights 10^(6 i / (D - 1)) as the product of two tabulated powers, coarse[i / B] *
// fine[i % B] with B ~ sqrt(D): O(sqrt(D)) memory and no pow() per coordinate, within 1e-14
// of the exact power (as close as pow() of a rounded exponent gets).
class EllipsoidWeights {
public:
    explicit EllipsoidWeights(std::size_t dim)
        : shift_(block_bits(dim)),
          fine_(std::size_t{1} << shift_),
          coarse_((dim >> shift_) + 1) {
        const double steps = dim > 1 ? static_cast<double>(dim - 1) : 1;
        for (std::size_t j = 0; j < fine_.size(); ++j)
            fine_[j] = std::pow(10.0, 6.0 * static_cast<double>(j) / steps);
        for (std::size_t k = 0; k < coarse_.size(); ++k)
            coarse_[k] = std::pow(10.0, 6.0 * static_cast<double>(k << shift_) / steps);
    }
    double operator[](std::size_t i) const {
        return coarse_[i >> shift_] * fine_[i & (fine_.size() - 1)];
    }

private:
    // B = 2^block_bits > sqrt(D).
    static unsigned block_bits(std::size_t dim) {
        const auto root = static_cast<std::size_t>(std::sqrt(static_cast<double>(dim)));
        return static_cast<unsigned>(std::bit_width(root));
    }

    unsigned shift_;
    std::vector<double> fine_, coarse_;
};

struct Ellipsoid : ClassicFunction {
    static constexpr const char* name = "ellipsoid";
    static constexpr const char* description =
        "sum of 10^(6(i-1)/(D-1)) x_i^2, condition number 1e6; minimum 0 at x = 0; "
        "default bounds -5:5";
    static constexpr const char* default_bounds = "-5:5";
    static constexpr double optimum_coordinate = 0;
    explicit Ellipsoid(std::size_t dimension) : ClassicFunction(dimension), weight(dimension) {}

    std::array<double, 1> term(const double* x, std::size_t i) const {
        return {weight[i] * (x[i] * x[i])};
    }
    double finish(const std::array<double, 1>& sums) const { return sums[0]; }
    void gradient(const double* x, const std::array<double, 1>&, double* g) const {
        for (std::size_t i = 0; i < dim; ++i) g[i] = 2 * weight[i] * x[i];
    }

    EllipsoidWeights weight;
};

// For D = 1 the chain has no link; the single term (1 - x_1)^2 keeps the problem well posed.
struct Rosenbrock : ClassicFunction {
    static constexpr const char* name = "rosenbrock";
    static constexpr const char* description =
        "sum of 100(x_{i+1} - x_i^2)^2 + (1 - x_i)^2 (for D = 1: (1 - x_1)^2); minimum 0 at "
        "x = 1; default bounds -5:10";
    static constexpr const char* default_bounds = "-5:10";
    static constexpr double optimum_coordinate = 1;
    static constexpr bool reads_next_coordinate = true;
    using ClassicFunction::ClassicFunction;

    std::size_t term_count() const { return dim > 1 ? dim - 1 : 1; }
    std::array<double, 1> term(const double* x, std::size_t i) const {
        const double to_one = squared(1 - x[i]);
        return {i + 1 < dim ? 100 * squared(x[i + 1] - x[i] * x[i]) + to_one : to_one};
    }
    double finish(const std::array<double, 1>& sums) const { return sums[0]; }
    void gradient(const double* x, const std::array<double, 1>&, double* g) const {
        for (std::size_t i = 0; i < dim; ++i) {
            g[i] = i < term_count() ? -2 * (1 - x[i]) : 0;
            if (i + 1 < dim) g[i] -= 400 * x[i] * (x[i + 1] - x[i] * x[i]);
            if (i > 0) g[i] += 200 * (x[i] - x[i - 1] * x[i - 1]);
        }
    }
};

// 10 - 10 cos(2 pi x) written as 20 sin^2(pi x).
struct Rastrigin : ClassicFunction {
    static constexpr const char* name = "rastrigin";
    static constexpr const char* description =
        "10 D + sum of x_i^2 - 10 cos(2 pi x_i); minimum 0 at x = 0; default bounds -5.12:5.12";
    static constexpr const char* default_bounds = "-5.12:5.12";
    static constexpr double optimum_coordinate = 0;
    using ClassicFunction::ClassicFunction;

    std::array<double, 1> term(const double* x, std::size_t i) const {
        return {x[i] * x[i] + 20 * squared(sin_pi(x[i]))};
    }
    double finish(const std::array<double, 1>& sums) const { return sums[0]; }
    void gradient(const double* x, const std::array<double, 1>&, double* g) const {
        for (std::size_t i = 0; i < dim; ++i) g[i] = 2 * x[i] + 20 * pi * sin_pi(2 * x[i]);
    }
};

// Channels: sum x_i^2 and sum (1 - cos(2 pi x_i)) = sum 2 sin^2(pi x_i); then
// f = 20 (1 - exp(-0.2 sqrt(s_0 / D))) + e (1 - exp(-s_1 / D)), the textbook value.
struct Ackley : ClassicFunction {
    static constexpr const char* name = "ackley";
    static constexpr const char* description =
        "20 + e - 20 exp(-0.2 sqrt(mean of x_i^2)) - exp(mean of cos(2 pi x_i)); minimum 0 at "
        "x = 0; default bounds -32.768:32.768";
    static constexpr const char* default_bounds = "-32.768:32.768";
    static constexpr double optimum_coordinate = 0;
    static constexpr std::size_t channels = 2;
    using ClassicFunction::ClassicFunction;

    std::array<double, 2> term(const double* x, std::size_t i) const {
        return {x[i] * x[i], 2 * squared(sin_pi(x[i]))};
    }
    double finish(const std::array<double, 2>& sums) const {
        return -20 * std::expm1(-0.2 * radius(sums)) -
               std::numbers::e * std::expm1(-sums[1] / static_cast<double>(dim));
    }
    // At x = 0 the first part is a cone; its subgradient 0 is returned there.
    void gradient(const double* x, const std::array<double, 2>& sums, double* g) const {
        const double d = static_cast<double>(dim);
        const double r = radius(sums);
        const double cone = r > 0 ? 4 * std::exp(-0.2 * r) / (r * d) : 0;
        const double waves = 2 * pi * std::numbers::e * std::exp(-sums[1] / d) / d;
        for (std::size_t i = 0; i < dim; ++i) g[i] = cone * x[i] + waves * sin_pi(2 * x[i]);
    }

private:
    double radius(const std::array<double, 2>& sums) const {
        return std::sqrt(sums[0] / static_cast<double>(dim));
    }
};

// Schwefel 2.26 as sum of (c - x_i sin(sqrt|x_i|)) with c = 418.9828872724338, the maximum of
// x sin(sqrt|x|) on [-500, 500] as a double. The optimum coordinate is the double nearest the
// true maximiser (420.968746359982...) where the term evaluates to exactly 0 with glibc; every
// double within 1e-5 of it was checked to give a term >= 0, so no point of the box evaluates
// below f_opt. f_opt is computed from this formula at that point, not assumed to be 0.
struct Schwefel : ClassicFunction {
    static constexpr const char* name = "schwefel";
    static constexpr const char* description =
        "Schwefel 2.26: sum of 418.9828872724338 - x_i sin(sqrt|x_i|); minimum 0 at "
        "x_i = 420.96874635998216 (the formula's value there is the exposed optimum); default "
        "bounds -500:500";
    static constexpr const char* default_bounds = "-500:500";
    static constexpr double optimum_coordinate = 420.96874635998216;
    // Beyond +-500 the oscillations outgrow the constant and the minimum moves to the edge.
    static constexpr double optimum_box_limit = 500;
    static constexpr double peak = 418.9828872724338;
    using ClassicFunction::ClassicFunction;

    std::array<double, 1> term(const double* x, std::size_t i) const { return {wave(x[i])}; }
    double finish(const std::array<double, 1>& sums) const { return sums[0]; }
    void gradient(const double* x, const std::array<double, 1>&, double* g) const {
        for (std::size_t i = 0; i < dim; ++i) {
            const double root = std::sqrt(std::fabs(x[i]));
            g[i] = -(std::sin(root) + 0.5 * root * std::cos(root));
        }
    }
    // D equal terms add up exactly in the double-word sums (for D < 2^28), so this is f(x*) to
    // the bit.
    double optimum_value() const { return static_cast<double>(dim) * wave(optimum_coordinate); }

private:
    static double wave(double v) { return peak - v * std::sin(std::sqrt(std::fabs(v))); }
};

// Channels: sum x_i^2; the log of |prod cos(x_i / sqrt(i))| over the non-zero factors; the
// number of zero factors; the number of negative factors. So 1 - prod cos is -expm1(log) near
// the optimum (no cancellation), a move updates the product without dividing by a factor that
// may be 0, and f = 1 + sum/4000 - prod as in the textbook.
struct Griewank : ClassicFunction {
    static constexpr const char* name = "griewank";
    static constexpr const char* description =
        "1 + sum of x_i^2 / 4000 - prod of cos(x_i / sqrt(i)); minimum 0 at x = 0; default "
        "bounds -600:600";
    static constexpr const char* default_bounds = "-600:600";
    static constexpr double optimum_coordinate = 0;
    static constexpr std::size_t channels = 4;
    using ClassicFunction::ClassicFunction;

    std::array<double, 4> term(const double* x, std::size_t i) const {
        const double half_sine = std::sin(0.5 * angle(x, i));
        const double one_minus_cosine = 2 * half_sine * half_sine;
        const double cosine = 1 - one_minus_cosine;
        double log_factor = 0;
        if (cosine >= 0.5)
            log_factor = std::log1p(-one_minus_cosine);
        else if (cosine != 0)
            log_factor = std::log(std::fabs(cosine));
        return {x[i] * x[i], log_factor, cosine == 0 ? 1.0 : 0.0, cosine < 0 ? 1.0 : 0.0};
    }
    double finish(const std::array<double, 4>& sums) const {
        return one_minus_product(sums[1], sums[2], sums[3]) + sums[0] / 4000;
    }
    // d/dx_i of -prod = sin(angle_i) / sqrt(i) * (product of the other factors).
    void gradient(const double* x, const std::array<double, 4>& sums, double* g) const {
        for (std::size_t i = 0; i < dim; ++i) {
            const auto own = term(x, i);
            const double other_zeros = sums[2] - own[2];
            const double others =
                other_zeros > 0 ? 0 : sign(sums[3] - own[3]) * std::exp(sums[1] - own[1]);
            g[i] = x[i] / 2000 +
                   std::sin(angle(x, i)) / std::sqrt(static_cast<double>(i + 1)) * others;
        }
    }

private:
    static double angle(const double* x, std::size_t i) {
        return x[i] / std::sqrt(static_cast<double>(i + 1));
    }
    static double sign(double negatives) { return std::fmod(negatives, 2) != 0 ? -1 : 1; }
    static double one_minus_product(double log_magnitude, double zeros, double negatives) {
        if (zeros > 0) return 1;
        return sign(negatives) > 0 ? -std::expm1(log_magnitude) : 1 + std::exp(log_magnitude);
    }
};

// The optimum coordinate is the double where the textbook term, evaluated as written, is
// lowest (an exhaustive search of the doubles within 2e-7 of the exact minimiser
// -2.90353402777117709...; beyond that the term is higher by more than 1e-13), so no point
// evaluates below f_opt = D * term(x*) (exactly f(x*), as for Schwefel).
struct StyblinskiTang : ClassicFunction {
    static constexpr const char* name = "styblinski_tang";
    static constexpr const char* description =
        "sum of (x_i^4 - 16 x_i^2 + 5 x_i) / 2; minimum -39.16616570377142 D at "
        "x_i = -2.9035340277711774; default bounds -5:5";
    static constexpr const char* default_bounds = "-5:5";
    static constexpr double optimum_coordinate = -2.9035340277711774;
    using ClassicFunction::ClassicFunction;

    std::array<double, 1> term(const double* x, std::size_t i) const { return {quartic(x[i])}; }
    double finish(const std::array<double, 1>& sums) const { return sums[0]; }
    void gradient(const double* x, const std::array<double, 1>&, double* g) const {
        for (std::size_t i = 0; i < dim; ++i) g[i] = 2 * x[i] * x[i] * x[i] - 16 * x[i] + 2.5;
    }
    double optimum_value() const { return static_cast<double>(dim) * quartic(optimum_coordinate); }

private:
    static double quartic(double v) {
        const double v2 = v * v;
        return 0.5 * (v2 * v2 - 16 * v2 + 5 * v);
    }
};

// In terms of u = w - 1 = (x - 1) / 4, using the period of sin^2: sin^2(pi w) = sin^2(pi u),
// sin^2(pi w + 1) = sin^2(pi u + 1), sin^2(2 pi w) = sin^2(2 pi u); exact 0 at the optimum.
struct Levy : ClassicFunction {
    static constexpr const char* name = "levy";
    static constexpr const char* description =
        "sin^2(pi w_1) + sum_{i<D} (w_i - 1)^2 (1 + 10 sin^2(pi w_i + 1)) + (w_D - 1)^2 (1 + "
        "sin^2(2 pi w_D)), w = 1 + (x - 1)/4; minimum 0 at x = 1; default bounds -10:10";
    static constexpr const char* default_bounds = "-10:10";
    static constexpr double optimum_coordinate = 1;
    using ClassicFunction::ClassicFunction;

    std::array<double, 1> term(const double* x, std::size_t i) const {
        const double u = (x[i] - 1) / 4;
        const double body = i + 1 < dim ? u * u * (1 + 10 * squared(std::sin(pi * u + 1)))
                                        : u * u * (1 + squared(std::sin(2 * pi * u)));
        return {i == 0 ? squared(std::sin(pi * u)) + body : body};
    }
    double finish(const std::array<double, 1>& sums) const { return sums[0]; }
    void gradient(const double* x, const std::array<double, 1>&, double* g) const {
        for (std::size_t i = 0; i < dim; ++i) {
            const double u = (x[i] - 1) / 4;
            double d_du = i + 1 < dim ? 2 * u * (1 + 10 * squared(std::sin(pi * u + 1))) +
                                            10 * pi * u * u * std::sin(2 * pi * u + 2)
                                      : 2 * u * (1 + squared(std::sin(2 * pi * u))) +
                                            2 * pi * u * u * std::sin(4 * pi * u);
            if (i == 0) d_du += pi * std::sin(2 * pi * u);
            g[i] = d_du / 4;
        }
    }
};

// Channels: sum x_i^2 and s = sum i x_i / 2; f = sum x_i^2 + s^2 + s^4.
struct Zakharov : ClassicFunction {
    static constexpr const char* name = "zakharov";
    static constexpr const char* description =
        "sum of x_i^2 + (sum of i x_i / 2)^2 + (sum of i x_i / 2)^4; minimum 0 at x = 0; "
        "default bounds -5:10";
    static constexpr const char* default_bounds = "-5:10";
    static constexpr double optimum_coordinate = 0;
    static constexpr std::size_t channels = 2;
    using ClassicFunction::ClassicFunction;

    std::array<double, 2> term(const double* x, std::size_t i) const {
        return {x[i] * x[i], 0.5 * static_cast<double>(i + 1) * x[i]};
    }
    double finish(const std::array<double, 2>& sums) const {
        const double s2 = sums[1] * sums[1];
        return sums[0] + s2 + s2 * s2;
    }
    void gradient(const double* x, const std::array<double, 2>& sums, double* g) const {
        const double s = sums[1];
        const double outer = s + 2 * s * s * s;
        for (std::size_t i = 0; i < dim; ++i)
            g[i] = 2 * x[i] + outer * static_cast<double>(i + 1);
    }
};

}  // namespace synthetic
