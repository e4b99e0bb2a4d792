#include "functions.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace cec2017 {

namespace {

// The reference's constants, as it writes them.
constexpr double pi = 3.1415926535897932384626433832795029;
constexpr double e = 2.7182818284590452353602874713526625;
constexpr double two_pi = 2.0 * pi;  // the reference's 2.0*PI*z groups as (2.0*PI)*z

// The basic functions the suite is built from.
enum class Kind {
    bent_cigar,
    zakharov,
    rosenbrock,
    rastrigin,
    schaffer_f7,
    bi_rastrigin,
    levy,
    schwefel,
    ellipsoid,
    discus,
    ackley,
    weierstrass,
    griewank,
    katsuura,
    griewank_rosenbrock,
    expanded_schaffer_f6,
    happycat,
    hgbat,
};

// The factor the reference scales a shifted point by before rotating it ("sh_rate").
double scale_of(Kind kind) {
    switch (kind) {
    case Kind::rosenbrock: return 2.048 / 100.0;
    case Kind::rastrigin: return 5.12 / 100.0;
    case Kind::schwefel: return 1000.0 / 100.0;
    case Kind::weierstrass: return 0.5 / 100.0;
    case Kind::griewank: return 600.0 / 100.0;
    case Kind::katsuura:
    case Kind::griewank_rosenbrock:
    case Kind::happycat:
    case Kind::hgbat: return 5.0 / 100.0;
    default: return 1.0;  // bi_rastrigin scales by 10/100 itself
    }
}

// Weierstrass: a^k and (2 pi) b^k for k = 0..20 (exact powers), and the constant term.
constexpr int weierstrass_terms = 21;
struct WeierstrassTables {
    double a[weierstrass_terms];
    double c[weierstrass_terms];
    double offset;  // sum_k a^k cos(c_k 0.5)
    WeierstrassTables() {
        offset = 0.0;
        for (int k = 0; k < weierstrass_terms; ++k) {
            a[k] = std::pow(0.5, k);
            c[k] = two_pi * std::pow(3.0, k);
            offset += a[k] * std::cos(c[k] * 0.5);
        }
    }
};
const WeierstrassTables& weierstrass_tables() {
    static const WeierstrassTables tables;
    return tables;
}

// One basic function on n coordinates, with what depends only on n computed once.
struct Piece {
    Kind kind = Kind::bent_cigar;
    std::size_t begin = 0;  // hybrids: first coordinate of the permuted vector it takes
    std::size_t n = 0;
    double scale = 1.0;
    std::vector<double> table;  // ellipsoid: 10^(6i/(n-1)); griewank: sqrt(1+i)
    double c1 = 0, c2 = 0;      // katsuura: 10/n^1.2, 10/n/n; bi-Rastrigin: s, mu1

    Piece(Kind k, std::size_t first, std::size_t count)
        : kind(k), begin(first), n(count), scale(scale_of(k)) {
        const double nd = static_cast<double>(n);
        if (kind == Kind::ellipsoid)
            for (std::size_t i = 0; i < n; ++i)
                table.push_back(std::pow(10.0, 6.0 * static_cast<double>(i) / (nd - 1)));
        if (kind == Kind::griewank)
            for (std::size_t i = 0; i < n; ++i)
                table.push_back(std::sqrt(1.0 + static_cast<double>(i)));
        if (kind == Kind::katsuura) {
            c1 = 10.0 / std::pow(1.0 * nd, 1.2);
            c2 = 10.0 / nd / nd;
        }
        if (kind == Kind::bi_rastrigin) {
            const double mu0 = 2.5, d = 1.0;
            c1 = 1.0 - 1.0 / (2.0 * std::pow(nd + 20.0, 0.5) - 8.2);
            c2 = -std::pow((mu0 * mu0 - d) / c1, 0.5);
        }
        if (kind == Kind::weierstrass) weierstrass_tables();
    }
};

// --- the basic functions, on z = the scaled (shifted, rotated) point; z may be overwritten ---

double bent_cigar(const double* z, std::size_t n) {
    double f = z[0] * z[0];
    for (std::size_t i = 1; i < n; ++i) f += 1e6 * z[i] * z[i];
    return f;
}

double discus(const double* z, std::size_t n) {
    double f = 1e6 * z[0] * z[0];
    for (std::size_t i = 1; i < n; ++i) f += z[i] * z[i];
    return f;
}

double ellipsoid(const double* z, std::size_t n, const double* weight) {
    double f = 0.0;
    for (std::size_t i = 0; i < n; ++i) f += weight[i] * z[i] * z[i];
    return f;
}

double zakharov(const double* z, std::size_t n) {
    double squares = 0.0, weighted = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        squares = squares + z[i] * z[i];
        weighted = weighted + 0.5 * static_cast<double>(i + 1) * z[i];
    }
    return squares + weighted * weighted + std::pow(weighted, 4.0);
}

double rosenbrock(double* z, std::size_t n) {
    double f = 0.0;
    z[0] += 1.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        z[i + 1] += 1.0;
        const double a = z[i] * z[i] - z[i + 1];
        const double b = z[i] - 1.0;
        f += 100.0 * a * a + b * b;
    }
    return f;
}

double rastrigin(const double* z, std::size_t n) {
    double f = 0.0;
    for (std::size_t i = 0; i < n; ++i) f += (z[i] * z[i] - 10.0 * std::cos(two_pi * z[i]) + 10.0);
    return f;
}

// Reads y (not a rotated z): see functions.hpp.
double schaffer_f7(const double* y, std::size_t n) {
    double f = 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double s = std::pow(y[i] * y[i] + y[i + 1] * y[i + 1], 0.5);
        const double t = std::sin(50.0 * std::pow(s, 0.2));
        const double r = std::pow(s, 0.5);
        f += r + r * t * t;
    }
    const double m = static_cast<double>(n - 1);
    return f * f / m / m;
}

// y: the shifted, unscaled point (or hybrid slice); signs: the shift vector whose negative
// entries flip coordinates; rotation: applied to the cosine term, or none (hybrids).
// scratch: n values.
double bi_rastrigin(const double* y, std::size_t n, const Piece& p, const double* signs,
                    const Rotation* rotation, double* scratch, double* rotated) {
    const double mu0 = 2.5, d = 1.0, s = p.c1, mu1 = p.c2;
    double near = 0.0, far = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double t = 2 * (y[i] * (10.0 / 100.0));
        if (signs[i] < 0.0) t *= -1.;
        scratch[i] = t;
        t += mu0;
        const double a = t - mu0;
        near += a * a;
        const double b = t - mu1;
        far += b * b;
    }
    far *= s;
    far += d * static_cast<double>(n);
    const double* c = scratch;
    if (rotation != nullptr) {
        rotation->apply(scratch, rotated);
        c = rotated;
    }
    double cosines = 0.0;
    for (std::size_t i = 0; i < n; ++i) cosines += std::cos(2.0 * pi * c[i]);
    return (near < far ? near : far) + 10.0 * (static_cast<double>(n) - cosines);
}

double levy(const double* z, std::size_t n) {
    const auto w = [&](std::size_t i) { return 1.0 + (z[i] - 1.0) / 4.0; };
    const double s0 = std::sin(pi * w(0));
    const double first = s0 * s0;
    const double wl = w(n - 1);
    const double sl = std::sin(2 * pi * wl);
    const double last = (wl - 1) * (wl - 1) * (1 + sl * sl);
    double sum = 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double wi = w(i);
        const double si = std::sin(pi * wi + 1);
        sum = sum + (wi - 1) * (wi - 1) * (1 + 10 * (si * si));
    }
    return first + sum + last;
}

double schwefel(double* z, std::size_t n) {
    const double nd = static_cast<double>(n);
    double f = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        z[i] += 4.209687462275036e+002;
        if (z[i] > 500) {
            const double r = 500.0 - std::fmod(z[i], 500);
            f -= r * std::sin(std::pow(r, 0.5));
            const double t = (z[i] - 500.0) / 100;
            f += t * t / nd;
        } else if (z[i] < -500) {
            const double m = std::fmod(std::fabs(z[i]), 500);
            f -= (-500.0 + m) * std::sin(std::pow(500.0 - m, 0.5));
            const double t = (z[i] + 500.0) / 100;
            f += t * t / nd;
        } else {
            f -= z[i] * std::sin(std::pow(std::fabs(z[i]), 0.5));
        }
    }
    f += 4.189828872724338e+002 * nd;
    return f;
}

double ackley(const double* z, std::size_t n) {
    const double nd = static_cast<double>(n);
    double squares = 0.0, cosines = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        squares += z[i] * z[i];
        cosines += std::cos(two_pi * z[i]);
    }
    squares = -0.2 * std::sqrt(squares / nd);
    cosines /= nd;
    return e - 20.0 * std::exp(squares) - std::exp(cosines) + 20.0;
}

double weierstrass(const double* z, std::size_t n) {
    const WeierstrassTables& w = weierstrass_tables();
    double f = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        const double zi = z[i] + 0.5;
        for (int k = 0; k < weierstrass_terms; ++k) sum += w.a[k] * std::cos(w.c[k] * zi);
        f += sum;
    }
    f -= static_cast<double>(n) * w.offset;
    return f;
}

double griewank(const double* z, std::size_t n, const double* root) {
    double sum = 0.0, product = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        sum += z[i] * z[i];
        product *= std::cos(z[i] / root[i]);
    }
    return 1.0 + sum / 4000.0 - product;
}

double katsuura(const double* z, std::size_t n, double exponent, double factor) {
    double f = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        double power = 1.0;
        for (int j = 1; j <= 32; ++j) {
            power *= 2.0;  // 2^j, exact
            const double t = power * z[i];
            sum += std::fabs(t - std::floor(t + 0.5)) / power;
        }
        f *= std::pow(1.0 + static_cast<double>(i + 1) * sum, exponent);
    }
    return f * factor - factor;
}

double griewank_rosenbrock(double* z, std::size_t n) {
    const auto term = [](double a, double b) {
        const double u = a * a - b;
        const double v = a - 1.0;
        const double t = 100.0 * u * u + v * v;
        return t * t / 4000.0 - std::cos(t) + 1.0;
    };
    double f = 0.0;
    z[0] += 1.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        z[i + 1] += 1.0;
        f += term(z[i], z[i + 1]);
    }
    f += term(z[n - 1], z[0]);
    return f;
}

double expanded_schaffer_f6(const double* z, std::size_t n) {
    const auto term = [](double a, double b) {
        double s = std::sin(std::sqrt(a * a + b * b));
        s = s * s;
        const double t = 1.0 + 0.001 * (a * a + b * b);
        return 0.5 + (s - 0.5) / (t * t);
    };
    double f = 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) f += term(z[i], z[i + 1]);
    f += term(z[n - 1], z[0]);
    return f;
}

// HappyCat (power 1/4 of |r2 - n|) and HGBat (power 1/2 of |r2^2 - s^2|).
double happycat(double* z, std::size_t n, bool hgbat) {
    const double nd = static_cast<double>(n);
    double r2 = 0.0, sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        z[i] = z[i] - 1.0;
        r2 += z[i] * z[i];
        sum += z[i];
    }
    const double core = hgbat ? std::pow(std::fabs(r2 * r2 - sum * sum), 2 * (1.0 / 4.0))
                              : std::pow(std::fabs(r2 - nd), 2 * (1.0 / 8.0));
    return core + (0.5 * r2 + sum) / nd + 0.5;
}

// The basic functions that read only z (not schaffer_f7 or bi_rastrigin).
double basic(const Piece& p, double* z) {
    switch (p.kind) {
    case Kind::bent_cigar: return bent_cigar(z, p.n);
    case Kind::zakharov: return zakharov(z, p.n);
    case Kind::rosenbrock: return rosenbrock(z, p.n);
    case Kind::rastrigin: return rastrigin(z, p.n);
    case Kind::levy: return levy(z, p.n);
    case Kind::schwefel: return schwefel(z, p.n);
    case Kind::ellipsoid: return ellipsoid(z, p.n, p.table.data());
    case Kind::discus: return discus(z, p.n);
    case Kind::ackley: return ackley(z, p.n);
    case Kind::weierstrass: return weierstrass(z, p.n);
    case Kind::griewank: return griewank(z, p.n, p.table.data());
    case Kind::katsuura: return katsuura(z, p.n, p.c1, p.c2);
    case Kind::griewank_rosenbrock: return griewank_rosenbrock(z, p.n);
    case Kind::expanded_schaffer_f6: return expanded_schaffer_f6(z, p.n);
    case Kind::happycat: return happycat(z, p.n, false);
    case Kind::hgbat: return happycat(z, p.n, true);
    case Kind::schaffer_f7:
    case Kind::bi_rastrigin: break;
    }
    throw std::logic_error("cec2017: basic() called for a function that reads more than z");
}

// --- the suite's structure ----------------------------------------------------------------

struct HybridSpec {
    std::vector<double> fractions;
    std::vector<Kind> kinds;
};

// F11..F20 (hf01..hf10 of the reference).
const HybridSpec& hybrid_spec(int function) {
    using K = Kind;
    static const HybridSpec specs[] = {
        {{0.2, 0.4, 0.4}, {K::zakharov, K::rosenbrock, K::rastrigin}},
        {{0.3, 0.3, 0.4}, {K::ellipsoid, K::schwefel, K::bent_cigar}},
        {{0.3, 0.3, 0.4}, {K::bent_cigar, K::rosenbrock, K::bi_rastrigin}},
        {{0.2, 0.2, 0.2, 0.4}, {K::ellipsoid, K::ackley, K::schaffer_f7, K::rastrigin}},
        {{0.2, 0.2, 0.3, 0.3}, {K::bent_cigar, K::hgbat, K::rastrigin, K::rosenbrock}},
        {{0.2, 0.2, 0.3, 0.3},
         {K::expanded_schaffer_f6, K::hgbat, K::rosenbrock, K::schwefel}},
        {{0.1, 0.2, 0.2, 0.2, 0.3},
         {K::katsuura, K::ackley, K::griewank_rosenbrock, K::schwefel, K::rastrigin}},
        {{0.2, 0.2, 0.2, 0.2, 0.2},
         {K::ellipsoid, K::ackley, K::rastrigin, K::hgbat, K::discus}},
        {{0.2, 0.2, 0.2, 0.2, 0.2},
         {K::bent_cigar, K::rastrigin, K::griewank_rosenbrock, K::weierstrass,
          K::expanded_schaffer_f6}},
        {{0.1, 0.1, 0.2, 0.2, 0.2, 0.2},
         {K::hgbat, K::katsuura, K::ackley, K::rastrigin, K::schwefel, K::schaffer_f7}},
    };
    return specs[function - 11];
}

// One component of a composition: a basic function or a hybrid, and how its value is scaled
// (numerator * f / denominator, as the reference writes it; 0 means unscaled).
struct ComponentSpec {
    Kind kind;   // when not a hybrid
    int hybrid;  // 11..20, or 0 for a basic function
    double numerator, denominator;
};

struct CompositionSpec {
    std::vector<double> deltas;
    std::vector<ComponentSpec> components;
};

// F21..F30 (cf01..cf10 of the reference); biases are 0, 100, 200, ...
const CompositionSpec& composition_spec(int function) {
    using K = Kind;
    const auto basic = [](Kind kind, double numerator = 0, double denominator = 0) {
        return ComponentSpec{kind, 0, numerator, denominator};
    };
    const auto hybrid = [](int number) { return ComponentSpec{K::bent_cigar, number, 0, 0}; };
    static const CompositionSpec specs[] = {
        {{10, 20, 30},
         {basic(K::rosenbrock), basic(K::ellipsoid, 10000, 1e+10), basic(K::rastrigin)}},
        {{10, 20, 30},
         {basic(K::rastrigin), basic(K::griewank, 1000, 100), basic(K::schwefel)}},
        {{10, 20, 30, 40},
         {basic(K::rosenbrock), basic(K::ackley, 1000, 100), basic(K::schwefel),
          basic(K::rastrigin)}},
        {{10, 20, 30, 40},
         {basic(K::ackley, 1000, 100), basic(K::ellipsoid, 10000, 1e+10),
          basic(K::griewank, 1000, 100), basic(K::rastrigin)}},
        {{10, 20, 30, 40, 50},
         {basic(K::rastrigin, 10000, 1e+3), basic(K::happycat, 1000, 1e+3),
          basic(K::ackley, 1000, 100), basic(K::discus, 10000, 1e+10), basic(K::rosenbrock)}},
        {{10, 20, 20, 30, 40},
         {basic(K::expanded_schaffer_f6, 10000, 2e+7), basic(K::schwefel),
          basic(K::griewank, 1000, 100), basic(K::rosenbrock),
          basic(K::rastrigin, 10000, 1e+3)}},
        {{10, 20, 30, 40, 50, 60},
         {basic(K::hgbat, 10000, 1000), basic(K::rastrigin, 10000, 1e+3),
          basic(K::schwefel, 10000, 4e+3), basic(K::bent_cigar, 10000, 1e+30),
          basic(K::ellipsoid, 10000, 1e+10), basic(K::expanded_schaffer_f6, 10000, 2e+7)}},
        {{10, 20, 30, 40, 50, 60},
         {basic(K::ackley, 1000, 100), basic(K::griewank, 1000, 100),
          basic(K::discus, 10000, 1e+10), basic(K::rosenbrock), basic(K::happycat, 1000, 1e+3),
          basic(K::expanded_schaffer_f6, 10000, 2e+7)}},
        {{10, 30, 50}, {hybrid(15), hybrid(16), hybrid(17)}},
        {{10, 30, 50}, {hybrid(15), hybrid(18), hybrid(19)}},
    };
    return specs[function - 21];
}

// The basic function of F1, F3..F10 (F2, withdrawn, was the sum of different powers).
Kind simple_kind(int function) {
    switch (function) {
    case 1: return Kind::bent_cigar;
    case 3: return Kind::zakharov;
    case 4: return Kind::rosenbrock;
    case 5: return Kind::rastrigin;
    case 6: return Kind::schaffer_f7;
    case 7: return Kind::bi_rastrigin;
    case 8: return Kind::rastrigin;  // the reference's step is lost (see functions.hpp)
    case 9: return Kind::levy;
    case 10: return Kind::schwefel;
    }
    throw std::logic_error("cec2017: F" + std::to_string(function) + " is not a basic function");
}

std::string join(const std::vector<std::size_t>& values) {
    std::string text;
    for (std::size_t v : values) text += (text.empty() ? "" : ", ") + std::to_string(v);
    return text;
}

}  // namespace

// --- Rotation --------------------------------------------------------------------------------

Rotation::Rotation(const double* row_major, std::size_t n)
    : n_(n), ld_((n + 3) / 4 * 4), columns_(ld_ * n, 0.0) {
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) columns_[j * ld_ + i] = row_major[i * n + j];
}

namespace {

// Two doubles, as one SSE2 register (GCC/Clang vector extension).
typedef double Pair __attribute__((vector_size(16)));

inline Pair load_pair(const double* p) {
    Pair v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Rows [first, first + 2 * Pairs) of y = M x, each accumulated over j in increasing order.
template <int Pairs>
inline void rotate_rows(const double* columns, std::size_t ld, std::size_t n, std::size_t first,
                        const double* x, double* y) {
    Pair acc[Pairs];
    for (int k = 0; k < Pairs; ++k) acc[k] = Pair{0.0, 0.0};
    const double* column = columns + first;
    for (std::size_t j = 0; j < n; ++j, column += ld) {
        const Pair xj = Pair{x[j], x[j]};
        for (int k = 0; k < Pairs; ++k) acc[k] += load_pair(column + 2 * k) * xj;
    }
    double out[2 * Pairs];
    std::memcpy(out, acc, sizeof out);
    const std::size_t count = std::min<std::size_t>(2 * Pairs, n - first);
    std::memcpy(y + first, out, count * sizeof(double));
}

}  // namespace

void Rotation::apply(const double* x, double* y) const {
    // Blocks of 16 rows keep eight independent sums in flight; then 8 and 4.
    std::size_t i = 0;
    for (; i + 16 <= ld_; i += 16) rotate_rows<8>(columns_.data(), ld_, n_, i, x, y);
    if (i + 8 <= ld_) {
        rotate_rows<4>(columns_.data(), ld_, n_, i, x, y);
        i += 8;
    }
    if (i < ld_) rotate_rows<2>(columns_.data(), ld_, n_, i, x, y);
}

// --- Function --------------------------------------------------------------------------------

// One shifted and rotated function: a basic one (F1..F10, composition components) or a
// hybrid (F11..F20, components of F29 and F30).
struct Unit {
    const double* shift = nullptr;
    Rotation rotation;
    std::vector<std::size_t> permutation;  // hybrids: 0-based
    std::vector<Piece> pieces;             // one piece covering everything unless a hybrid
    bool hybrid = false;
};

struct Function::Impl {
    int number = 0;
    std::size_t n = 0;
    Data data;
    std::vector<Unit> units;
    // Compositions.
    std::vector<ComponentSpec> scaling;
    std::vector<double> deltas;
    // Scratch, so that evaluation allocates nothing.
    std::vector<double> y, z, p, t, weights, fits;

    Unit make_unit(std::size_t block, Kind kind, int hybrid) const {
        Unit u;
        u.shift = data.shift.data() + block * n;
        u.rotation = Rotation(data.rotation.data() + block * n * n, n);
        if (hybrid == 0) {
            u.pieces.emplace_back(kind, 0, n);
            return u;
        }
        u.hybrid = true;
        for (std::size_t i = 0; i < n; ++i)
            u.permutation.push_back(static_cast<std::size_t>(data.shuffle[block * n + i] - 1));
        const HybridSpec& spec = hybrid_spec(hybrid);
        const std::size_t count = spec.kinds.size();
        std::size_t begin = 0;
        for (std::size_t k = 0; k < count; ++k) {
            // The reference's sizes: ceil(fraction * D) for all but the last, which takes
            // what is left.
            const std::size_t size =
                k + 1 < count ? static_cast<std::size_t>(
                                    std::ceil(spec.fractions[k] * static_cast<double>(n)))
                              : n - begin;
            u.pieces.emplace_back(spec.kinds[k], begin, size);
            begin += size;
        }
        return u;
    }

    // The unit's value at x. distance2, if given, receives sum_j (x_j - shift_j)^2 (the
    // composition weight's distance, in the reference's order).
    double unit_value(const Unit& u, const double* x, double* distance2) {
        double* yv = y.data();
        double* zv = z.data();
        for (std::size_t i = 0; i < n; ++i) yv[i] = x[i] - u.shift[i];
        if (distance2 != nullptr) {
            double d2 = 0.0;
            for (std::size_t i = 0; i < n; ++i) d2 += yv[i] * yv[i];
            *distance2 = d2;
        }
        if (!u.hybrid) {
            const Piece& piece = u.pieces.front();
            if (piece.kind == Kind::schaffer_f7) return schaffer_f7(yv, n);
            if (piece.kind == Kind::bi_rastrigin)
                return bi_rastrigin(yv, n, piece, u.shift, &u.rotation, zv, p.data());
            if (piece.scale != 1.0)
                for (std::size_t i = 0; i < n; ++i) yv[i] = yv[i] * piece.scale;
            u.rotation.apply(yv, zv);
            return basic(piece, zv);
        }
        u.rotation.apply(yv, zv);
        double* pv = p.data();
        for (std::size_t i = 0; i < n; ++i) pv[i] = zv[u.permutation[i]];
        double f = 0.0;
        for (const Piece& piece : u.pieces) {
            double fit;
            if (piece.kind == Kind::schaffer_f7) {
                fit = schaffer_f7(pv, piece.n);  // the first coordinates, as the reference
            } else if (piece.kind == Kind::bi_rastrigin) {
                fit = bi_rastrigin(pv + piece.begin, piece.n, piece, u.shift, nullptr, zv,
                                   nullptr);
            } else {
                double* tv = t.data();
                for (std::size_t i = 0; i < piece.n; ++i)
                    tv[i] = pv[piece.begin + i] * piece.scale;
                fit = basic(piece, tv);
            }
            f += fit;
        }
        return f;
    }

    double composition(const double* x) {
        const std::size_t count = units.size();
        const double nd = static_cast<double>(n);
        double largest = 0.0;
        for (std::size_t c = 0; c < count; ++c) {
            double d2 = 0.0;
            double fit = unit_value(units[c], x, &d2);
            const ComponentSpec& s = scaling[c];
            if (s.denominator != 0) fit = s.numerator * fit / s.denominator;
            fits[c] = fit + 100.0 * static_cast<double>(c);  // bias
            double w = 1.0e99;  // the reference's INF
            if (d2 != 0)
                w = std::pow(1.0 / d2, 0.5) * std::exp(-d2 / 2.0 / nd / (deltas[c] * deltas[c]));
            weights[c] = w;
            if (w > largest) largest = w;
        }
        double sum = 0.0;
        for (std::size_t c = 0; c < count; ++c) sum = sum + weights[c];
        if (largest == 0) {
            for (std::size_t c = 0; c < count; ++c) weights[c] = 1;
            sum = static_cast<double>(count);
        }
        double f = 0.0;
        for (std::size_t c = 0; c < count; ++c) f = f + weights[c] / sum * fits[c];
        return f;
    }
};

Function::Function(int function, Data data)
    : number_(function), dimension_(data.dimension), impl_(std::make_unique<Impl>()) {
    check_instance(function, dimension_);
    Impl& m = *impl_;
    m.number = function;
    m.n = dimension_;
    m.data = std::move(data);
    if (m.data.blocks != components(function) ||
        m.data.shift.size() != m.data.blocks * m.n ||
        m.data.rotation.size() != m.data.blocks * m.n * m.n ||
        m.data.shuffle.size() != (uses_shuffle(function) ? m.data.blocks * m.n : 0))
        throw std::invalid_argument("cec2017: data of the wrong shape for F" +
                                    std::to_string(function));
    for (auto* v : {&m.y, &m.z, &m.p, &m.t}) v->assign(m.n, 0.0);
    if (function <= 10) {
        m.units.push_back(m.make_unit(0, simple_kind(function), 0));
    } else if (function <= 20) {
        m.units.push_back(m.make_unit(0, Kind::bent_cigar, function));
    } else {
        const CompositionSpec& spec = composition_spec(function);
        for (std::size_t c = 0; c < spec.components.size(); ++c)
            m.units.push_back(
                m.make_unit(c, spec.components[c].kind, spec.components[c].hybrid));
        m.scaling = spec.components;
        m.deltas = spec.deltas;
        m.weights.assign(spec.components.size(), 0.0);
        m.fits.assign(spec.components.size(), 0.0);
    }
    m.data.rotation = {};  // the units hold their own (transposed) copies
}

Function::~Function() = default;
Function::Function(Function&&) noexcept = default;
Function& Function::operator=(Function&&) noexcept = default;

double Function::evaluate(std::span<const double> x) {
    if (x.size() != dimension_)
        throw std::invalid_argument("cec2017: point of dimension " + std::to_string(x.size()) +
                                    ", expected " + std::to_string(dimension_));
    Impl& m = *impl_;
    const double f = number_ <= 20 ? m.unit_value(m.units.front(), x.data(), nullptr)
                                   : m.composition(x.data());
    return f + optimum_value();
}

std::span<const double> Function::shift() const {
    return {impl_->data.shift.data(), dimension_};
}

bool Function::optimum_at_shift() const {
    // Levy's w = 1 + (z - 1)/4 is 3/4, not 1, at z = 0; Schwefel's constants cancel only to
    // rounding, which shows at D >= 50.
    if (number_ == 9) return false;
    if (number_ == 10) return dimension_ < 50;
    return true;
}

// --- instances -------------------------------------------------------------------------------

std::vector<std::size_t> dimensions(int function) {
    if (function < 1 || function > function_count || function == 2) return {};
    if (function >= 11 && function <= 19) return {10, 30, 50, 100};
    if (function == 20) return {10, 20, 30, 50, 100};
    if (function == 29 || function == 30) return {10, 30, 50, 100};
    return {2, 10, 20, 30, 50, 100};
}

void check_instance(int function, std::size_t dimension) {
    if (function == 2)
        throw std::invalid_argument(
            "parameter 'function': F2 was withdrawn by the organisers of CEC 2017; use 1 or "
            "3..30");
    if (function < 1 || function > function_count)
        throw std::invalid_argument("parameter 'function' must be 1 or 3..30, got " +
                                    std::to_string(function));
    const auto allowed = dimensions(function);
    if (std::find(allowed.begin(), allowed.end(), dimension) == allowed.end())
        throw std::invalid_argument("parameter 'dim' must be one of " + join(allowed) +
                                    " for F" + std::to_string(function) +
                                    " (the competition's data), got " +
                                    std::to_string(dimension));
}

std::size_t components(int function) {
    if (function <= 20) return 1;
    return composition_spec(function).components.size();
}

bool uses_shuffle(int function) {
    return (function >= 11 && function <= 20) || function == 29 || function == 30;
}

Function make_function(int function, std::size_t dimension,
                       const std::filesystem::path& archive) {
    check_instance(function, dimension);
    return Function(function, load(archive, function, dimension));
}

}  // namespace cec2017
