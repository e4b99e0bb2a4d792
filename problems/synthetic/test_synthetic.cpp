// The classic functions: optimum, gradient, incremental moves (directly and through the
// host), large dimensions, start points, bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "functions.hpp"
#include "core/instances.hpp"
#include "core/objective.hpp"
#include "optbench/sdk/rng.hpp"
#include "testing.hpp"

namespace {

using namespace optbench;
using synthetic::ClassicProblem;

#define ALL_FUNCTIONS                                                                          \
    synthetic::Sphere, synthetic::Ellipsoid, synthetic::Rosenbrock, synthetic::Rastrigin,    \
        synthetic::Ackley, synthetic::Schwefel, synthetic::Griewank,                          \
        synthetic::StyblinskiTang, synthetic::Levy, synthetic::Zakharov

template <class Function>
std::unique_ptr<ClassicProblem<Function>> make(const sdk::Params::Given& given) {
    using Problem = ClassicProblem<Function>;
    return std::make_unique<Problem>(sdk::Params(Problem::name, Problem::params, given));
}

template <class Function>
std::unique_ptr<ClassicProblem<Function>> make(std::size_t dim) {
    return make<Function>({{"dim", std::to_string(dim)}});
}

std::vector<double> initial_point(const sdk::Problem& problem) {
    std::vector<double> x(problem.dimension());
    problem.initial_point(x);
    return x;
}

std::vector<double> optimum_point(const sdk::Problem& problem) {
    std::vector<double> x(problem.dimension());
    problem.optimum_point(x);
    return x;
}

double relative_difference(double a, double b) {
    if (a == b) return 0;  // also equal infinities
    return std::fabs(a - b) / std::max(std::fabs(a), std::fabs(b));
}

// A random sparse move of `size` coordinates: sometimes adjacent ones (they share a
// Rosenbrock term), sometimes a repeated index. Exploring moves put values anywhere in the box
// or, rarely, far outside it (an excursion that later moves undo); the other moves put them
// near the optimum at a random scale, so accepting those drives f down by many orders of
// magnitude.
struct Move {
    std::vector<std::size_t> indices;
    std::vector<double> values;
};

Move random_move(sdk::Rng& rng, std::size_t dim, double low, double high, double optimum,
                 std::size_t size, bool exploring) {
    Move move;
    const bool adjacent = rng.uniform() < 0.3;
    const std::size_t first = rng.index(dim);
    for (std::size_t q = 0; q < size; ++q) {
        const std::size_t j = adjacent ? (first + q) % dim : rng.index(dim);
        const double kind = exploring ? rng.uniform() : 1;
        double v = 0;
        if (kind < 0.4)
            v = rng.uniform(low, high);
        else if (kind < 0.41)
            v = rng.uniform() < 0.5 ? 1e100 : -3e150;
        else
            v = optimum + rng.normal() * std::pow(10.0, -rng.uniform(0, 14));
        move.indices.push_back(j);
        move.values.push_back(v);
    }
    return move;
}

std::vector<double> moved(std::vector<double> x, const Move& move) {
    for (std::size_t q = 0; q < move.indices.size(); ++q) x[move.indices[q]] = move.values[q];
    return x;
}

}  // namespace

TEST_CASE_TEMPLATE("the value at the optimum point is the exposed optimum value, exactly", F,
                   ALL_FUNCTIONS) {
    for (std::size_t dim : {1, 2, 3, 10, 1000, 4097}) {
        CAPTURE(dim);
        auto problem = make<F>(dim);
        REQUIRE(problem->optimum_value());
        const auto x = optimum_point(*problem);
        CHECK(problem->value(x) == *problem->optimum_value());
        CHECK(problem->set_base(x) == *problem->optimum_value());
        std::vector<double> g(dim);
        CHECK(problem->value_and_gradient(x, g) == problem->optimum_value());
    }
}

TEST_CASE_TEMPLATE("no point near the optimum evaluates below the optimum value", F,
                   ALL_FUNCTIONS) {
    auto problem = make<F>(5);
    const auto optimum = optimum_point(*problem);
    sdk::Rng rng(7);
    for (int trial = 0; trial < 2000; ++trial) {
        const double scale = std::pow(10.0, -rng.uniform(0, 16));
        auto x = optimum;
        for (double& v : x) v += scale * rng.normal();
        CHECK(problem->value(x) >= problem->optimum_value());
    }
}

TEST_CASE_TEMPLATE("the gradient matches central differences at random points", F, ALL_FUNCTIONS) {
    for (std::size_t dim : {1, 2, 7}) {
        auto problem = make<F>(dim);
        sdk::Rng rng(11);
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<double> x(dim), g(dim);
            for (std::size_t i = 0; i < dim; ++i)
                x[i] = rng.uniform(problem->lower_bound(i), problem->upper_bound(i));
            const double f = problem->value_and_gradient(x, g);
            CHECK(f == problem->value(x));
            for (std::size_t i = 0; i < dim; ++i) {
                CAPTURE(dim);
                CAPTURE(i);
                const double h = 1e-6 * (1 + std::fabs(x[i]));
                auto up = x, down = x;
                up[i] += h;
                down[i] -= h;
                const double central =
                    (problem->value(up) - problem->value(down)) / (up[i] - down[i]);
                CHECK(std::fabs(g[i] - central) <= 1e-6 * (1 + std::fabs(g[i]) + std::fabs(f)));
            }
        }
    }
}

TEST_CASE_TEMPLATE("incremental moves equal full evaluations, accepted or not", F, ALL_FUNCTIONS) {
    for (std::size_t dim : {1, 2, 10, 33}) {
        CAPTURE(dim);
        auto problem = make<F>(dim);
        const double optimum = optimum_point(*problem)[0];
        auto x = initial_point(*problem);
        double f = problem->set_base(x);
        CHECK(f == problem->value(x));
        sdk::Rng rng(3 + dim);
        double worst = 0;
        for (int step = 0; step < 3000; ++step) {
            // First explore (and accept some worse moves), then descend.
            const bool exploring = step < 1500;
            const std::size_t sizes[] = {1, 2, 10, dim};
            const Move move = random_move(rng, dim, problem->lower_bound(0),
                                          problem->upper_bound(0), optimum, sizes[rng.index(4)],
                                          exploring);
            const double incremental = problem->try_move(move.indices, move.values);
            const auto y = moved(x, move);
            const double full = problem->value(y);
            CHECK(std::isnan(incremental) == std::isnan(full));
            worst = std::max(worst, relative_difference(incremental, full));
            if (incremental < f || (exploring && rng.uniform() < 0.2)) {
                problem->accept();
                x = y;
                f = full;
            }
        }
        CHECK(worst <= 1e-12);
        // The descent went close to the optimum, so tiny values were compared too.
        CHECK(f - *problem->optimum_value() <= 1e-6 * (1 + std::fabs(*problem->optimum_value())));
    }
}

TEST_CASE_TEMPLATE("through the host, sparse moves are incremental and equal full evaluations", F,
                   ALL_FUNCTIONS) {
    const auto& entry = testing::registry().find(abi::EntryKind::problem, F::name);
    host::ProblemInstance problem(entry, {{"dim", "12"}});
    REQUIRE(problem.has(abi::has_incremental));
    host::ObjectiveSettings settings;
    settings.budget = 1e6;
    host::Objective host_side(problem, settings);
    sdk::Objective objective(host_side.view());
    auto x = problem.initial_point();
    const double optimum = problem.optimum_point()[0];
    double f = objective.set_base(x);
    CHECK(f == problem.value(x));
    sdk::Rng rng(21);
    for (int step = 0; step < 1000; ++step) {
        const Move move = random_move(rng, 12, problem.lower(0), problem.upper(0), optimum,
                                      1 + rng.index(3), step < 500);
        const double incremental = objective.try_move(move.indices, move.values);
        const auto y = moved(x, move);
        const double full = problem.value(y);
        // The host shows non-finite values to the optimizer as +inf.
        CHECK(relative_difference(incremental, std::isfinite(full) ? full : INFINITY) <= 1e-12);
        if (incremental < f) {
            objective.accept();
            x = y;
            f = incremental;
        }
    }
    CHECK(problem.value(host_side.best_x()) == host_side.best_f());
}

TEST_CASE_TEMPLATE("D = 10^7 evaluates, moves and knows its optimum", F, ALL_FUNCTIONS) {
    const std::size_t dim = 10'000'000;
    auto problem = make<F>(dim);
    auto x = initial_point(*problem);
    const double f = problem->set_base(x);
    CHECK(std::isfinite(f));
    CHECK(f > problem->optimum_value());
    const std::vector<std::size_t> index = {dim / 2};
    const std::vector<double> value = {problem->lower_bound(0)};
    const double incremental = problem->try_move(index, value);
    x[dim / 2] = value[0];
    CHECK(relative_difference(incremental, problem->value(x)) <= 1e-12);
    std::fill(x.begin(), x.end(), 0.0);
    problem->optimum_point(x);
    CHECK(problem->value(x) == problem->optimum_value());
}

TEST_CASE("ellipsoid weights are 10^(6 i / (D - 1)) to 1e-14") {
    for (std::size_t dim : {1, 2, 3, 1000, 12345, 10'000'000}) {
        CAPTURE(dim);
        const synthetic::EllipsoidWeights weight(dim);
        CHECK(weight[0] == 1);
        const long double steps = dim > 1 ? static_cast<long double>(dim - 1) : 1;
        for (std::size_t i = 0; i < dim; i += 1 + dim / 997) {
            const long double exact = std::pow(10.0L, 6 * static_cast<long double>(i) / steps);
            CHECK(std::fabs(weight[i] - exact) <= 1e-14L * exact);
        }
        if (dim > 1) CHECK(std::fabs(weight[dim - 1] - 1e6) <= 1e-14 * 1e6);
    }
}

TEST_CASE_TEMPLATE("the start point is drawn uniformly in the box from (function, instance)", F,
                   ALL_FUNCTIONS) {
    auto first = make<F>({{"dim", "1000"}});
    const auto x = initial_point(*first);
    CHECK(x == initial_point(*make<F>({{"dim", "1000"}, {"instance", "1"}})));
    CHECK(x != initial_point(*make<F>({{"dim", "1000"}, {"instance", "2"}})));
    const double low = first->lower_bound(0), high = first->upper_bound(0);
    double mean = 0;
    for (double v : x) {
        CHECK(v >= low);
        CHECK(v < high);
        mean += v / 1000;
    }
    // Uniform: the mean is near the centre (5 standard deviations), the point is not it.
    CHECK(std::fabs(mean - (low + high) / 2) <= 5 * (high - low) / std::sqrt(12.0 * 1000));
    sdk::Rng rng(sdk::derive_seed({"synthetic", F::name}, 1));
    CHECK(x[0] == rng.uniform(low, high));
    for (int instance = 1; instance <= 100; ++instance)
        CHECK(initial_point(*make<F>({{"dim", "1"}, {"instance", std::to_string(instance)}}))[0] !=
              (low + high) / 2);
    const auto narrow = initial_point(*make<F>({{"dim", "50"}, {"bounds", "2:3"}}));
    CHECK(std::all_of(narrow.begin(), narrow.end(), [](double v) { return v >= 2 && v < 3; }));
}

TEST_CASE("the optimum is known only when the box keeps it the minimum") {
    std::vector<double> x(10);
    CHECK(!make<synthetic::Sphere>({{"bounds", "1:2"}})->optimum_value());
    CHECK(!make<synthetic::Sphere>({{"bounds", "1:2"}})->optimum_point(x));
    CHECK(make<synthetic::Sphere>({{"bounds", "-1:2"}})->optimum_value().has_value());
    CHECK(make<synthetic::Rosenbrock>({{"bounds", "-2:2"}})->optimum_value().has_value());
    CHECK(!make<synthetic::Rosenbrock>({{"bounds", "-2:0.5"}})->optimum_value().has_value());
    CHECK(make<synthetic::Schwefel>({{"bounds", "0:500"}})->optimum_value().has_value());
    CHECK(!make<synthetic::Schwefel>({{"bounds", "-600:600"}})->optimum_value().has_value());
    CHECK(!make<synthetic::Schwefel>({{"bounds", "-400:400"}})->optimum_value().has_value());
}

TEST_CASE("Rosenbrock in one dimension is (1 - x)^2") {
    auto problem = make<synthetic::Rosenbrock>(1);
    CHECK(problem->value(std::vector<double>{3}) == 4);
    std::vector<double> g(problem->dimension());
    problem->value_and_gradient(std::vector<double>{3}, g);
    CHECK(g[0] == 4);
}

TEST_CASE("sin_pi: within 4 units in the last place of sin(pi x), exact where sin(pi x) is") {
    // The reference: sin(pi r) in long double (64-bit mantissa), r = x - nearest integer n
    // (exact in double), times (-1)^n.
    const long double pi_l = 3.141592653589793238462643383279502884L;
    const auto reference = [&](double x) {
        const double n = std::nearbyint(x);
        const long double s = std::sin(pi_l * static_cast<long double>(x - n));
        return std::fmod(std::fabs(n), 2.0) == 1 ? -s : s;
    };
    sdk::Rng rng(7);
    double worst = 0;
    for (int i = 0; i < 200000; ++i) {
        const double scale = std::ldexp(1.0, static_cast<int>(rng.index(60)) - 40);
        const double x = (2 * rng.uniform() - 1) * scale;
        const long double want = reference(x);
        const double got = synthetic::sin_pi(x);
        const double ulp = std::nextafter(std::fabs(static_cast<double>(want)), INFINITY) -
                           std::fabs(static_cast<double>(want));
        worst = std::max(worst, static_cast<double>(std::fabs(got - want)) / ulp);
    }
    CHECK(worst <= 4);
    MESSAGE("sin_pi: worst error ", worst, " ulp");

    for (double n : {0.0, 1.0, -1.0, 2.0, 7.0, -12.0, 1e15, 0x1p52, 0x1p52 + 2, 1e300})
        CHECK(synthetic::sin_pi(n) == 0);
    CHECK(synthetic::sin_pi(0.5) == doctest::Approx(1).epsilon(2e-16));
    CHECK(synthetic::sin_pi(-2.5) == doctest::Approx(-1).epsilon(2e-16));
    CHECK(synthetic::sin_pi(0x1p51 + 0.5) == doctest::Approx(1).epsilon(2e-16));
    CHECK(synthetic::sin_pi(0x1p51 + 1.5) == doctest::Approx(-1).epsilon(2e-16));
    CHECK(std::signbit(synthetic::sin_pi(-0.0)));
    CHECK(std::isnan(synthetic::sin_pi(INFINITY)));
    CHECK(std::isnan(synthetic::sin_pi(-INFINITY)));
    CHECK(std::isnan(synthetic::sin_pi(NAN)));
}

TEST_CASE("textbook values") {
    const std::vector<double> ones(3, 1.0);
    CHECK(make<synthetic::Ellipsoid>(3)->value(ones) == 1001001);
    CHECK(make<synthetic::Rastrigin>(3)->value(ones) == 3);  // exact: sin(pi) is 0 here
    CHECK(make<synthetic::Ackley>(3)->value(ones) ==
          doctest::Approx(3.625384938440362).epsilon(1e-14));
    CHECK(make<synthetic::Griewank>(3)->value(ones) ==
          doctest::Approx(0.656567738230001).epsilon(1e-14));
    CHECK(make<synthetic::Zakharov>(3)->value(ones) == 93);
    CHECK(make<synthetic::StyblinskiTang>(3)->value(ones) == -15);
    CHECK(make<synthetic::Levy>(3)->value(std::vector<double>(3, 0.0)) ==
          doctest::Approx(0.806689108233949).epsilon(1e-14));
    CHECK(make<synthetic::Schwefel>(2)->value(std::vector<double>{1, -1}) ==
          doctest::Approx(2 * 418.9828872724338).epsilon(1e-14));
}

TEST_CASE_TEMPLATE("bad parameters are one clear error naming the parameter", F, ALL_FUNCTIONS) {
    using doctest::Contains;
    CHECK_THROWS_WITH_AS(make<F>({{"dim", "0"}}), Contains("parameter 'dim' must be in [1,"),
                         sdk::ParamError);
    CHECK_THROWS_WITH_AS(make<F>({{"dim", "ten"}}), Contains("parameter 'dim' expects an integer"),
                         sdk::ParamError);
    CHECK_THROWS_WITH_AS(make<F>({{"instance", "0"}}),
                         Contains("parameter 'instance' must be in [1,"), sdk::ParamError);
    for (const char* bounds : {"5", "a:b", "1:", ":1", "1:2:3", "nan:1"})
        CHECK_THROWS_WITH_AS(make<F>({{"bounds", bounds}}),
                             Contains("parameter 'bounds' expects LOW:HIGH"), sdk::ParamError);
    for (const char* bounds : {"1:1", "2:-2"})
        CHECK_THROWS_WITH_AS(make<F>({{"bounds", bounds}}),
                             Contains("parameter 'bounds' needs LOW < HIGH"), sdk::ParamError);
    CHECK_THROWS_WITH_AS(make<F>({{"bounds", "-inf:inf"}}),
                         Contains("parameter 'bounds' must be finite"), sdk::ParamError);
    CHECK_THROWS_WITH_AS(make<F>({{"size", "3"}}), Contains("known: dim, bounds, instance"),
                         sdk::ParamError);
}

TEST_CASE("through the host, a bad parameter is one line naming the problem") {
    const auto& entry = testing::registry().find(abi::EntryKind::problem, "griewank");
    CHECK_THROWS_WITH_AS(host::ProblemInstance(entry, {{"bounds", "3:1"}}),
                         "problem 'griewank': parameter 'bounds' needs LOW < HIGH, got '3:1'",
                         host::Error);
}

TEST_CASE("misused sparse moves are errors") {
    auto problem = make<synthetic::Rosenbrock>(4);
    const std::vector<std::size_t> index = {1};
    const std::vector<double> value = {0.5};
    CHECK_THROWS_AS(problem->try_move(index, value), std::logic_error);
    CHECK_THROWS_AS(problem->set_base(std::vector<double>(3)), std::invalid_argument);
    problem->set_base(std::vector<double>(4, 0.0));
    CHECK_THROWS_AS(problem->accept(), std::logic_error);
    CHECK_THROWS_AS(problem->try_move(index, std::vector<double>{}), std::invalid_argument);
    CHECK_THROWS_AS(problem->try_move(std::vector<std::size_t>{4}, value), std::out_of_range);
    problem->try_move(index, value);
    problem->accept();
    CHECK_THROWS_AS(problem->accept(), std::logic_error);
    CHECK_THROWS_AS(problem->value(std::vector<double>(5)), std::invalid_argument);
}

TEST_CASE("optbench list shows every classic function with its default bounds") {
    std::string out;
    REQUIRE(testing::shell(testing::optbench_exe() + " list", &out) == 0);
    const auto shows = [&](const char* name, const char* bounds) {
        const std::size_t at = out.find(std::string("  ") + name + " ");
        if (at == std::string::npos) return false;
        const std::string line = out.substr(at, out.find('\n', at) - at);
        return line.find(std::string("default bounds ") + bounds) != std::string::npos;
    };
#define CHECK_LISTED(F) CHECK(shows(F::name, F::default_bounds))
    CHECK_LISTED(synthetic::Sphere);
    CHECK_LISTED(synthetic::Ellipsoid);
    CHECK_LISTED(synthetic::Rosenbrock);
    CHECK_LISTED(synthetic::Rastrigin);
    CHECK_LISTED(synthetic::Ackley);
    CHECK_LISTED(synthetic::Schwefel);
    CHECK_LISTED(synthetic::Griewank);
    CHECK_LISTED(synthetic::StyblinskiTang);
    CHECK_LISTED(synthetic::Levy);
    CHECK_LISTED(synthetic::Zakharov);
#undef CHECK_LISTED
}
