#include "functions.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "constants.hpp"
#include "legacy_random.hpp"

// Every expression below keeps COCO's operation order (SPEC 2 and pitfall P3): a*b*c is
// (a*b)*c, sums start from 0 and run in index order, v*v stands for pow(v, 2). Reordering any
// of them changes the last bits of f.

namespace bbob {
namespace {

using Vector = std::vector<double>;
using In = std::span<const double>;
using Out = std::span<double>;

// COCO offsets the seed of the second rotation of an instance by this much.
constexpr std::int64_t second_seed_offset = 1000000;
static_assert(function_count + 10000 * largest_instance + second_seed_offset <=
                  legacy::largest_seed,
              "the largest instance's seeds must stay in the legacy generator's range");

// What every function's instance is derived from (SPEC 3.3).
struct Setup {
    std::size_t dimension;
    std::int64_t seed;  // rseed: function + 10000 * instance, f4 and f18 borrowing f3's and f17's
    double offset;      // the legacy f_opt, added to the raw value
};

// The instance's two random rotations; the SPEC's R * diag * Q takes R from the second seed.
Matrix rotation_of_seed(const Setup& s) { return legacy::rotation(s.seed, s.dimension); }
Matrix rotation_of_second_seed(const Setup& s) {
    return legacy::rotation(s.seed + second_seed_offset, s.dimension);
}

double as_double(std::size_t n) { return static_cast<double>(n); }

// i / (D - 1), the exponent of every per-coordinate scaling.
double coordinate_ratio(std::size_t i, std::size_t dimension) {
    return as_double(i) / (as_double(dimension) - 1.0);
}

// base^(i/(D-1)) for each coordinate i.
Vector coordinate_powers(double base, std::size_t dimension) {
    Vector powers(dimension);
    for (std::size_t i = 0; i < dimension; ++i)
        powers[i] = std::pow(base, coordinate_ratio(i, dimension));
    return powers;
}

// The conditioning transformation's factors alpha^(0.5 i/(D-1)) (SPEC 4).
Vector conditioning(double alpha, std::size_t dimension) {
    Vector factors(dimension);
    for (std::size_t i = 0; i < dimension; ++i)
        factors[i] = std::pow(alpha, (0.5 * as_double(i)) / (as_double(dimension) - 1.0));
    return factors;
}

// R * diag(base^(i/(D-1))) * Q, computed once as a matrix like COCO (SPEC 3.7).
Matrix rotation_product(const Matrix& r, double base, const Matrix& q) {
    const std::size_t n = r.size();
    const Vector powers = coordinate_powers(base, n);
    Matrix product(n);
    for (std::size_t row = 0; row < n; ++row)
        for (std::size_t col = 0; col < n; ++col) {
            double sum = 0;
            for (std::size_t k = 0; k < n; ++k) sum += r(row, k) * powers[k] * q(k, col);
            product(row, col) = sum;
        }
    return product;
}

// Row i of m multiplied by factors[i] (a diagonal matrix applied on the left).
Matrix scale_rows(Matrix m, In factors) {
    for (std::size_t i = 0; i < m.size(); ++i)
        for (std::size_t j = 0; j < m.size(); ++j) m(i, j) = factors[i] * m(i, j);
    return m;
}

Vector column_sums(const Matrix& m) {
    Vector sums(m.size(), 0.0);
    for (std::size_t j = 0; j < m.size(); ++j)
        for (std::size_t i = 0; i < m.size(); ++i) sums[j] += m(i, j);
    return sums;
}

// The indices of values in ascending order of value.
std::vector<std::size_t> argsort(const Vector& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    return order;
}

// COCO's max and min: the first argument wins ties (and NaN comparisons go to the second).
double max_of(double a, double b) { return a >= b ? a : b; }
double min_of(double a, double b) { return a <= b ? a : b; }

void subtract(In x, In shift, Out out) {
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] - shift[i];
}

// out = m * in.
void multiply(const Matrix& m, In in, Out out) {
    for (std::size_t r = 0; r < m.size(); ++r) {
        double sum = 0;
        for (std::size_t c = 0; c < m.size(); ++c) sum += m(r, c) * in[c];
        out[r] = sum;
    }
}

// T_osz, for a variable or the objective value (SPEC 4). Zero and NaN pass through; COCO
// turns -0 into +0 for variables, a sign no function lets reach f.
double oscillate(double v) {
    if (v > 0) {
        const double t = std::log(v) / 0.1;
        return std::pow(std::exp(t + 0.49 * (std::sin(t) + std::sin(0.79 * t))), 0.1);
    }
    if (v < 0) {
        const double t = std::log(-v) / 0.1;
        return -std::pow(std::exp(t + 0.49 * (std::sin(0.55 * t) + std::sin(0.31 * t))), 0.1);
    }
    return v;
}

void oscillate(Out z) {
    for (double& v : z) v = oscillate(v);
}

// T_asy^beta, in place.
void asymmetric(double beta, Out z) {
    const double last = as_double(z.size()) - 1.0;
    for (std::size_t i = 0; i < z.size(); ++i)
        if (z[i] > 0) z[i] = std::pow(z[i], 1 + ((beta * as_double(i)) / last) * std::sqrt(z[i]));
}

void scale(In factors, Out z) {
    for (std::size_t i = 0; i < z.size(); ++i) z[i] = factors[i] * z[i];
}

// Sum of squared excursions outside [-5, 5].
double boundary_penalty(In x) {
    double penalty = 0;
    for (double v : x) {
        const double excess = std::fabs(v) - 5.0;
        if (excess > 0) penalty += excess * excess;
    }
    return penalty;
}

// sum weights_i z_i^2.
double weighted_squares(In weights, In z) {
    double sum = 0;
    for (std::size_t i = 0; i < z.size(); ++i) sum += weights[i] * z[i] * z[i];
    return sum;
}

// 10 (D - sum cos(2 pi z_i)) + sum z_i^2. COCO's f3 and f15 (not f4) return the sum of
// squares itself once it overflows, where cos(inf) would make the result NaN.
double rastrigin(In z, bool keep_overflow) {
    double cosines = 0, squares = 0;
    for (double v : z) {
        cosines += std::cos(two_pi * v);
        squares += v * v;
    }
    if (keep_overflow && std::isinf(squares)) return squares;
    return 10.0 * (as_double(z.size()) - cosines) + squares;
}

double rosenbrock(In z) {
    double valleys = 0, offsets = 0;
    for (std::size_t i = 0; i + 1 < z.size(); ++i) {
        const double valley = z[i] * z[i] - z[i + 1];
        valleys += valley * valley;
        const double offset = z[i] - 1.0;
        offsets += offset * offset;
    }
    return 100.0 * valleys + offsets;
}

// R * diag(base^(i/(D-1))) * Q with the instance's R and Q.
Matrix rotated_scaling(const Setup& s, double base) {
    return rotation_product(rotation_of_second_seed(s), base, rotation_of_seed(s));
}

// The part every function shares: the objective offset and two work vectors.
class Base : public Function {
protected:
    explicit Base(const Setup& s)
        : Function(s.dimension), offset_(s.offset), work1_(s.dimension), work2_(s.dimension) {
        f_opt_ = s.offset;
    }

    double dimension_as_double() const { return as_double(dimension()); }

    double offset_;
    Vector work1_, work2_;
};

// f1.
class Sphere final : public Base {
public:
    explicit Sphere(const Setup& s) : Base(s) { x_opt_ = legacy::xopt(s.seed, s.dimension); }

    double evaluate(In x) override {
        double sum = 0;
        for (std::size_t i = 0; i < dimension(); ++i) {
            const double z = x[i] - x_opt_[i];
            sum += z * z;
        }
        return sum + offset_;
    }
};

// f2 (separable) and f10 (rotated): sum 10^(6 i/(D-1)) T_osz(z)_i^2.
class Ellipsoid final : public Base {
public:
    Ellipsoid(const Setup& s, bool rotated)
        : Base(s), weights_(coordinate_powers(1e6, s.dimension)), rotated_(rotated) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        if (rotated_) rotation_ = rotation_of_second_seed(s);
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        Out z = work1_;
        if (rotated_) {
            multiply(rotation_, work1_, work2_);
            z = work2_;
        }
        oscillate(z);
        return weighted_squares(weights_, z) + offset_;
    }

private:
    Vector weights_;
    bool rotated_;
    Matrix rotation_;
};

// f3.
class SeparableRastrigin final : public Base {
public:
    explicit SeparableRastrigin(const Setup& s)
        : Base(s), conditioning_(conditioning(10.0, s.dimension)) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        oscillate(work1_);
        asymmetric(0.2, work1_);
        scale(conditioning_, work1_);
        return rastrigin(work1_, true) + offset_;
    }

private:
    Vector conditioning_;
};

// f4. Its x_opt takes |x_opt| on even coordinates, a step of COCO's code that the printed
// definitions omit.
class BuecheRastrigin final : public Base {
public:
    explicit BuecheRastrigin(const Setup& s)
        : Base(s), factors_(coordinate_powers(std::sqrt(10.0), s.dimension)) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        for (std::size_t i = 0; i < dimension(); i += 2) x_opt_[i] = std::fabs(x_opt_[i]);
    }

    double evaluate(In x) override {
        for (std::size_t i = 0; i < dimension(); ++i) {
            const double z = oscillate(x[i] - x_opt_[i]);
            double factor = factors_[i];
            if (z > 0 && i % 2 == 0) factor *= 10.0;
            work1_[i] = factor * z;
        }
        return (rastrigin(work1_, false) + offset_) + 100.0 * boundary_penalty(x);
    }

private:
    Vector factors_;
};

// f5: no shift, its optimum is a corner of the box.
class LinearSlope final : public Base {
public:
    explicit LinearSlope(const Setup& s) : Base(s), slopes_(s.dimension) {
        const Vector xo = legacy::xopt(s.seed, s.dimension);
        const Vector magnitudes = coordinate_powers(std::sqrt(100.0), s.dimension);
        for (std::size_t i = 0; i < dimension(); ++i) {
            x_opt_[i] = xo[i] < 0 ? -5.0 : 5.0;
            slopes_[i] = x_opt_[i] > 0 ? magnitudes[i] : -magnitudes[i];
        }
    }

    double evaluate(In x) override {
        double sum = 0;
        for (std::size_t i = 0; i < dimension(); ++i) {
            // Beyond the optimal corner the slope is flat.
            const double v = x[i] * x_opt_[i] < 25.0 ? x[i] : x_opt_[i];
            sum += 5.0 * std::fabs(slopes_[i]) - slopes_[i] * v;
        }
        return sum + offset_;
    }

private:
    Vector slopes_;
};

// f6. The sector test compares the unrotated x_opt with the rotated z, as COCO does.
class AttractiveSector final : public Base {
public:
    explicit AttractiveSector(const Setup& s) : Base(s) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        transform_ = rotated_scaling(s, std::sqrt(10.0));
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        multiply(transform_, work1_, work2_);
        double sum = 0;
        for (std::size_t i = 0; i < dimension(); ++i) {
            const double z = work2_[i];
            sum += x_opt_[i] * z > 0 ? 100.0 * 100.0 * z * z : z * z;
        }
        return std::pow(oscillate(sum), 0.9) + offset_;
    }

private:
    Matrix transform_;
};

// f7, evaluated in one piece as COCO does (no transformation chain).
class StepEllipsoid final : public Base {
public:
    explicit StepEllipsoid(const Setup& s)
        : Base(s),
          scaled_q_(scale_rows(rotation_of_seed(s), row_factors(s.dimension))),
          rotation_(rotation_of_second_seed(s)),
          weights_(coordinate_powers(100.0, s.dimension)) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
    }

    double evaluate(In x) override {
        const double penalty = boundary_penalty(x);
        subtract(x, x_opt_, work1_);
        multiply(scaled_q_, work1_, work2_);
        const double first = work2_[0];
        for (double& y : work2_)
            y = std::fabs(y) > 0.5 ? round_half_up(y) : round_half_up(10.0 * y) / 10.0;
        multiply(rotation_, work2_, work1_);
        const double sum = weighted_squares(weights_, work1_);
        return (0.1 * max_of(std::fabs(first) * 1e-4, sum) + penalty) + offset_;
    }

private:
    // sqrt(10^(i/(D-1))), not sqrt(10)^(i/(D-1)): they differ in the last bit.
    static Vector row_factors(std::size_t dimension) {
        Vector factors = coordinate_powers(10.0, dimension);
        for (double& v : factors) v = std::sqrt(v);
        return factors;
    }

    Matrix scaled_q_, rotation_;
    Vector weights_;
};

double rosenbrock_scale(std::size_t dimension) {
    return max_of(1.0, std::sqrt(as_double(dimension)) / 8.0);
}

// f8.
class Rosenbrock final : public Base {
public:
    explicit Rosenbrock(const Setup& s) : Base(s), scale_(rosenbrock_scale(s.dimension)) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        for (double& v : x_opt_) v *= 0.75;
    }

    double evaluate(In x) override {
        for (std::size_t i = 0; i < dimension(); ++i) work1_[i] = scale_ * (x[i] - x_opt_[i]) + 1.0;
        return rosenbrock(work1_) + offset_;
    }

private:
    double scale_;
};

// f9: z = 0.5 + scale R x, the affine sum starting from 0.5 (unlike f19).
class RotatedRosenbrock final : public Base {
public:
    explicit RotatedRosenbrock(const Setup& s) : Base(s) {
        const double scale = rosenbrock_scale(s.dimension);
        const Matrix r = rotation_of_seed(s);
        transform_ = scale_rows(r, Vector(s.dimension, scale));
        const Vector sums = column_sums(r);
        for (std::size_t j = 0; j < dimension(); ++j) x_opt_[j] = sums[j] / (2 * scale);
    }

    double evaluate(In x) override {
        for (std::size_t i = 0; i < dimension(); ++i) {
            double z = 0.5;
            for (std::size_t j = 0; j < dimension(); ++j) z += x[j] * transform_(i, j);
            work1_[i] = z;
        }
        return rosenbrock(work1_) + offset_;
    }

private:
    Matrix transform_;
};

// f11: 10^6 z_0^2 + sum_{i>0} z_i^2, z = T_osz(R (x - x_opt)).
class Discus final : public Base {
public:
    explicit Discus(const Setup& s) : Base(s), rotation_(rotation_of_second_seed(s)) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        multiply(rotation_, work1_, work2_);
        oscillate(work2_);
        double sum = 1e6 * work2_[0] * work2_[0];
        for (std::size_t i = 1; i < dimension(); ++i) sum += work2_[i] * work2_[i];
        return sum + offset_;
    }

private:
    Matrix rotation_;
};

// f12: z_0^2 + 10^6 sum_{i>0} z_i^2, z = R T_asy^0.5(R (x - x_opt)). x_opt comes from the
// second rotation's seed.
class BentCigar final : public Base {
public:
    explicit BentCigar(const Setup& s) : Base(s), rotation_(rotation_of_second_seed(s)) {
        x_opt_ = legacy::xopt(s.seed + second_seed_offset, s.dimension);
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        multiply(rotation_, work1_, work2_);
        asymmetric(0.5, work2_);
        multiply(rotation_, work2_, work1_);
        double sum = work1_[0] * work1_[0];
        for (std::size_t i = 1; i < dimension(); ++i) sum += 1e6 * work1_[i] * work1_[i];
        return sum + offset_;
    }

private:
    Matrix rotation_;
};

// f13: z_0^2 + 100 sqrt(sum_{i>0} z_i^2).
class SharpRidge final : public Base {
public:
    explicit SharpRidge(const Setup& s) : Base(s) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        transform_ = rotated_scaling(s, std::sqrt(10.0));
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        multiply(transform_, work1_, work2_);
        double ridge = 0;
        for (std::size_t i = 1; i < dimension(); ++i) ridge += work2_[i] * work2_[i];
        return (100.0 * std::sqrt(ridge) + work2_[0] * work2_[0]) + offset_;
    }

private:
    Matrix transform_;
};

// f14: sqrt(sum |z_i|^(2 + 4 i/(D-1))).
class DifferentPowers final : public Base {
public:
    explicit DifferentPowers(const Setup& s)
        : Base(s),
          rotation_(rotation_of_second_seed(s)),
          exponents_(s.dimension) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        for (std::size_t i = 0; i < dimension(); ++i)
            exponents_[i] = 2.0 + (4.0 * as_double(i)) / (dimension_as_double() - 1.0);
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        multiply(rotation_, work1_, work2_);
        double sum = 0;
        // A real pow even for the exponent 2 of coordinate 0, as in COCO.
        for (std::size_t i = 0; i < dimension(); ++i)
            sum += std::pow(std::fabs(work2_[i]), exponents_[i]);
        return std::sqrt(sum) + offset_;
    }

private:
    Matrix rotation_;
    Vector exponents_;
};

// f15: z = M T_asy^0.2(T_osz(R (x - x_opt))), M = R diag(sqrt(10)^(i/(D-1))) Q.
class RotatedRastrigin final : public Base {
public:
    explicit RotatedRastrigin(const Setup& s) : Base(s), rotation_(rotation_of_second_seed(s)) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        transform_ = rotation_product(rotation_, std::sqrt(10.0), rotation_of_seed(s));
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        multiply(rotation_, work1_, work2_);
        oscillate(work2_);
        asymmetric(0.2, work2_);
        multiply(transform_, work2_, work1_);
        return rastrigin(work1_, true) + offset_;
    }

private:
    Matrix rotation_, transform_;
};

// f16.
class Weierstrass final : public Base {
public:
    explicit Weierstrass(const Setup& s) : Base(s), rotation_(rotation_of_second_seed(s)) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        transform_ = rotation_product(rotation_, 1.0 / std::sqrt(100.0), rotation_of_seed(s));
        for (std::size_t k = 0; k < terms; ++k) {
            amplitudes_[k] = std::pow(0.5, as_double(k));
            frequencies_[k] = std::pow(3.0, as_double(k));
            at_optimum_ += amplitudes_[k] * std::cos(two_pi * frequencies_[k] * 0.5);
        }
    }

    double evaluate(In x) override {
        const double penalty = boundary_penalty(x);
        subtract(x, x_opt_, work1_);
        multiply(rotation_, work1_, work2_);
        oscillate(work2_);
        multiply(transform_, work2_, work1_);
        double sum = 0;  // one accumulator over both loops
        for (double z : work1_)
            for (std::size_t k = 0; k < terms; ++k)
                sum += std::cos(two_pi * (z + 0.5) * frequencies_[k]) * amplitudes_[k];
        const double raw = 10.0 * std::pow(sum / dimension_as_double() - at_optimum_, 3.0);
        return (raw + offset_) + (10.0 / dimension_as_double()) * penalty;
    }

private:
    static constexpr std::size_t terms = 12;
    Matrix rotation_, transform_;
    double amplitudes_[terms] = {}, frequencies_[terms] = {};
    double at_optimum_ = 0;
};

// f17 (condition 10) and f18 (condition 1000, same seed as f17).
class Schaffers final : public Base {
public:
    Schaffers(const Setup& s, double condition)
        : Base(s),
          rotation_(rotation_of_second_seed(s)),
          transform_(scale_rows(rotation_of_seed(s),
                                coordinate_powers(std::sqrt(condition), s.dimension))) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        multiply(rotation_, work1_, work2_);
        asymmetric(0.5, work2_);
        multiply(transform_, work2_, work1_);
        double sum = 0;
        for (std::size_t i = 0; i + 1 < dimension(); ++i) {
            const double t = work1_[i] * work1_[i] + work1_[i + 1] * work1_[i + 1];
            const double wave = std::sin(50.0 * std::pow(t, 0.1));
            // COCO returns the overflowed term itself rather than inf * NaN.
            if (std::isinf(t) && std::isnan(wave)) return t;
            sum += std::pow(t, 0.25) * (1.0 + wave * wave);
        }
        const double mean = sum / (dimension_as_double() - 1.0);
        return (mean * mean + offset_) + 10.0 * boundary_penalty(x);
    }

private:
    Matrix rotation_, transform_;
};

// f19: composite Griewank-Rosenbrock on z = scale R x + 0.5, the 0.5 added after the sum.
class GriewankRosenbrock final : public Base {
public:
    explicit GriewankRosenbrock(const Setup& s) : Base(s) {
        const double scale = rosenbrock_scale(s.dimension);
        transform_ = scale_rows(rotation_of_seed(s), Vector(s.dimension, scale));
        const Vector sums = column_sums(transform_);
        for (std::size_t j = 0; j < dimension(); ++j) x_opt_[j] = sums[j] / (2 * scale);
    }

    double evaluate(In x) override {
        multiply(transform_, x, work1_);
        for (double& z : work1_) z += 0.5;
        double sum = 0;
        for (std::size_t i = 0; i + 1 < dimension(); ++i) {
            const double valley = work1_[i] * work1_[i] - work1_[i + 1];
            const double offset = 1.0 - work1_[i];
            const double t = 100.0 * valley * valley + offset * offset;
            sum += t / 4000.0 - std::cos(t);
        }
        return (10.0 + 10.0 * sum / (dimension_as_double() - 1.0)) + offset_;
    }

private:
    Matrix transform_;
};

// f20. Its reported optimum is the raw optimum pulled back through the transformations, and
// its best value the raw function there (SPEC 6, pitfall P5): neither is exact.
class Schwefel final : public Base {
public:
    explicit Schwefel(const Setup& s)
        : Base(s),
          negated_(s.dimension),
          twice_abs_opt_(s.dimension),
          conditioning_(conditioning(10.0, s.dimension)) {
        const Vector u = legacy::uniform(s.dimension, s.seed);
        for (std::size_t i = 0; i < dimension(); ++i) {
            negated_[i] = u[i] < 0.5;
            const double xo = ((negated_[i] ? -1.0 : 1.0) * 0.5) * 4.2096874637;
            twice_abs_opt_[i] = 2 * std::fabs(xo);
            double b = raw_optimum / 100;
            b = b + -twice_abs_opt_[i];
            b = b + twice_abs_opt_[i];
            b = b / 2;
            x_opt_[i] = negated_[i] ? -b : b;
        }
        std::fill(work1_.begin(), work1_.end(), raw_optimum);
        f_opt_ = raw(work1_) + offset_;
    }

    double evaluate(In x) override {
        for (std::size_t i = 0; i < dimension(); ++i) work1_[i] = 2 * (negated_[i] ? -x[i] : x[i]);
        work2_[0] = work1_[0];
        for (std::size_t i = 1; i < dimension(); ++i)
            work2_[i] = work1_[i] + 0.25 * (work1_[i - 1] - twice_abs_opt_[i - 1]);
        for (std::size_t i = 0; i < dimension(); ++i)
            work2_[i] =
                100 * (conditioning_[i] * (work2_[i] - twice_abs_opt_[i]) + twice_abs_opt_[i]);
        return raw(work2_) + offset_;
    }

private:
    static constexpr double raw_optimum = 420.96874633;

    double raw(In z) const {
        double penalty = 0, sum = 0;
        for (double v : z) {
            const double excess = std::fabs(v) - 500.0;
            if (excess > 0) penalty += excess * excess;
            sum += v * std::sin(std::sqrt(std::fabs(v)));
        }
        return 0.01 * ((penalty + 418.9828872724339) - sum / dimension_as_double());
    }

    std::vector<bool> negated_;
    Vector twice_abs_opt_, conditioning_;
};

// f21 (101 peaks) and f22 (21 peaks).
class Gallagher final : public Base {
public:
    Gallagher(const Setup& s, std::size_t peaks)
        : Base(s),
          peaks_(peaks),
          rotation_(rotation_of_seed(s)),
          heights_(peaks),
          scales_(peaks * s.dimension),
          centres_(peaks * s.dimension) {
        const bool many = peaks == 101;
        const double spread = many ? 10.0 : 9.8, half_spread = many ? 5.0 : 4.9;
        const double peak_count = as_double(peaks);
        const std::size_t d = dimension();

        const std::vector<std::size_t> condition_order =
            argsort(legacy::uniform(peaks - 1, s.seed));
        Vector conditions(peaks);
        conditions[0] = many ? std::sqrt(1000.0) : 1000.0;
        heights_[0] = 10;
        for (std::size_t k = 1; k < peaks; ++k) {
            conditions[k] =
                std::pow(1000.0, as_double(condition_order[k - 1]) / (peak_count - 2.0));
            heights_[k] = (as_double(k - 1) / (peak_count - 2.0)) * (9.1 - 1.1) + 1.1;
        }
        for (std::size_t k = 0; k < peaks; ++k) {
            const std::vector<std::size_t> order =
                argsort(legacy::uniform(d, s.seed + 1000 * static_cast<std::int64_t>(k)));
            for (std::size_t j = 0; j < d; ++j)
                scales_[k * d + j] =
                    std::pow(conditions[k], as_double(order[j]) / (as_double(d) - 1.0) - 0.5);
        }
        const Vector u = legacy::uniform(d * peaks, s.seed);
        for (std::size_t i = 0; i < d; ++i) {
            x_opt_[i] = 0.8 * (spread * u[i] - half_spread);
            for (std::size_t k = 0; k < peaks; ++k) {
                double centre = 0;
                for (std::size_t m = 0; m < d; ++m)
                    centre += rotation_(i, m) * (spread * u[k * d + m] - half_spread);
                if (k == 0) centre *= 0.8;
                centres_[k * d + i] = centre;
            }
        }
        f_opt_ = evaluate(x_opt_);
    }

    double evaluate(In x) override {
        const std::size_t d = dimension();
        const double penalty = boundary_penalty(x);
        multiply(rotation_, x, work1_);
        const double exponent_factor = -0.5 / dimension_as_double();
        double best = 0;
        for (std::size_t k = 0; k < peaks_; ++k) {
            double distance = 0;
            for (std::size_t j = 0; j < d; ++j) {
                const double delta = work1_[j] - centres_[k * d + j];
                distance += scales_[k * d + j] * delta * delta;
            }
            best = max_of(best, heights_[k] * std::exp(exponent_factor * distance));
        }
        const double g = oscillate(10.0 - best);
        return (g * g + penalty) + offset_;
    }

private:
    std::size_t peaks_;
    Matrix rotation_;
    Vector heights_;
    Vector scales_;   // peak k, coordinate j at k * D + j
    Vector centres_;  // local optima in rotated space, same layout
};

// f23.
class Katsuura final : public Base {
public:
    explicit Katsuura(const Setup& s)
        : Base(s), exponent_(10.0 / std::pow(as_double(s.dimension), 1.2)) {
        x_opt_ = legacy::xopt(s.seed, s.dimension);
        transform_ = rotated_scaling(s, std::sqrt(100.0));
    }

    double evaluate(In x) override {
        subtract(x, x_opt_, work1_);
        multiply(transform_, work1_, work2_);
        double product = 1;
        for (std::size_t i = 0; i < dimension(); ++i) {
            double sum = 0;
            for (int j = 1; j <= 32; ++j) {
                const double power = std::ldexp(1.0, j);
                const double scaled = power * work2_[i];
                sum += std::fabs(scaled - round_half_up(scaled)) / power;
            }
            product *= std::pow(1.0 + as_double(i + 1) * sum, exponent_);
        }
        const double d = dimension_as_double();
        return ((10.0 / d / d * (-1.0 + product)) + offset_) + boundary_penalty(x);
    }

private:
    double exponent_;
    Matrix transform_;
};

// f24. x_opt is +-1.25 by the signs of gauss(D, rseed); COCO computes and discards the usual one.
class LunacekBiRastrigin final : public Base {
public:
    explicit LunacekBiRastrigin(const Setup& s)
        : Base(s),
          scaled_q_(scale_rows(rotation_of_seed(s),
                               coordinate_powers(std::sqrt(100.0), s.dimension))),
          rotation_(rotation_of_second_seed(s)),
          s_(1.0 - 0.5 / (std::sqrt(as_double(s.dimension + 20)) - 4.1)),
          mu1_(-std::sqrt((mu0 * mu0 - 1.0) / s_)) {
        const Vector signs = legacy::gauss(s.dimension, s.seed);
        for (std::size_t i = 0; i < dimension(); ++i)
            x_opt_[i] = signs[i] < 0 ? -0.5 * mu0 : 0.5 * mu0;
    }

    double evaluate(In x) override {
        const double penalty = boundary_penalty(x);
        double near = 0, far = 0;
        for (std::size_t i = 0; i < dimension(); ++i) {
            const double h = x_opt_[i] < 0 ? -(2.0 * x[i]) : 2.0 * x[i];
            work1_[i] = h - mu0;
            near += (h - mu0) * (h - mu0);
            far += (h - mu1_) * (h - mu1_);
        }
        multiply(scaled_q_, work1_, work2_);
        multiply(rotation_, work2_, work1_);
        double cosines = 0;
        for (double z : work1_) cosines += std::cos(two_pi * z);
        const double d = dimension_as_double();
        const double funnels = min_of(near, 1.0 * d + s_ * far);
        return ((funnels + 10.0 * (d - cosines)) + 1e4 * penalty) + offset_;
    }

private:
    static constexpr double mu0 = 2.5;
    Matrix scaled_q_, rotation_;
    double s_, mu1_;
};

}  // namespace

std::unique_ptr<Function> make_function(int function, std::int64_t instance,
                                        std::size_t dimension) {
    if (function < 1 || function > function_count)
        throw std::invalid_argument("BBOB function must be in 1..24, got " +
                                    std::to_string(function));
    if (instance < 1 || instance > largest_instance)
        throw std::invalid_argument("BBOB instance must be in 1.." +
                                    std::to_string(largest_instance) + ", got " +
                                    std::to_string(instance));
    if (dimension < smallest_dimension || dimension > largest_dimension)
        throw std::invalid_argument("BBOB dimension must be in 2..44, got " +
                                    std::to_string(dimension));

    const int seed_function = function == 4 ? 3 : function == 18 ? 17 : function;
    const Setup s{dimension, seed_function + 10000 * instance, legacy::fopt(function, instance)};
    switch (function) {
        case 1: return std::make_unique<Sphere>(s);
        case 2: return std::make_unique<Ellipsoid>(s, false);
        case 3: return std::make_unique<SeparableRastrigin>(s);
        case 4: return std::make_unique<BuecheRastrigin>(s);
        case 5: return std::make_unique<LinearSlope>(s);
        case 6: return std::make_unique<AttractiveSector>(s);
        case 7: return std::make_unique<StepEllipsoid>(s);
        case 8: return std::make_unique<Rosenbrock>(s);
        case 9: return std::make_unique<RotatedRosenbrock>(s);
        case 10: return std::make_unique<Ellipsoid>(s, true);
        case 11: return std::make_unique<Discus>(s);
        case 12: return std::make_unique<BentCigar>(s);
        case 13: return std::make_unique<SharpRidge>(s);
        case 14: return std::make_unique<DifferentPowers>(s);
        case 15: return std::make_unique<RotatedRastrigin>(s);
        case 16: return std::make_unique<Weierstrass>(s);
        case 17: return std::make_unique<Schaffers>(s, 10.0);
        case 18: return std::make_unique<Schaffers>(s, 1000.0);
        case 19: return std::make_unique<GriewankRosenbrock>(s);
        case 20: return std::make_unique<Schwefel>(s);
        case 21: return std::make_unique<Gallagher>(s, 101);
        case 22: return std::make_unique<Gallagher>(s, 21);
        case 23: return std::make_unique<Katsuura>(s);
        default: return std::make_unique<LunacekBiRastrigin>(s);
    }
}

}  // namespace bbob
