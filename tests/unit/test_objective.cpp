// Budget rules and bookkeeping of the host objective, exercised through the same
// sdk::Objective wrapper a plugin uses.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/objective.hpp"
#include "optbench/sdk/objective.hpp"
#include "optbench/sdk/rng.hpp"
#include "testing.hpp"

using namespace optbench;

namespace {

host::ProblemInstance make_problem(const std::string& name, sdk::Params::Given params = {}) {
    return host::ProblemInstance(testing::registry().find(abi::EntryKind::problem, name), params);
}

host::ObjectiveSettings budget(double b, double grad_cost = 1) {
    host::ObjectiveSettings s;
    s.budget = b;
    s.grad_cost = grad_cost;
    return s;
}

}  // namespace

TEST_CASE("rule 1 and 5: each evaluation costs 1 and the problem is never called past the budget") {
    // `throwing` fails on its 6th call: with a budget of 5 that call must never happen.
    auto problem = make_problem("throwing", {{"after", "6"}});
    host::Objective host_side(problem, budget(5));
    sdk::Objective objective(host_side.view());
    const std::vector<double> x = {1, 2, 3};
    for (int i = 0; i < 5; ++i) CHECK(objective.evaluate(x) == 14);
    CHECK(objective.remaining() == 0);
    CHECK(objective.should_stop());
    CHECK_THROWS_AS(objective.evaluate(x), sdk::Stop);
    CHECK_THROWS_AS(objective.evaluate(x), sdk::Stop);
    CHECK(host_side.evals() == 5);
    CHECK_FALSE(host_side.problem_failed());
    CHECK(host_side.budget_hit());
}

TEST_CASE("rule 2: a value-and-gradient call costs 1 + grad_cost") {
    auto problem = make_problem("box_quadratic", {{"dim", "2"}});
    host::Objective host_side(problem, budget(7, 2));
    sdk::Objective objective(host_side.view());
    std::vector<double> x = {0, 0}, g(2);
    objective.evaluate_with_gradient(x, g);
    objective.evaluate_with_gradient(x, g);
    CHECK(host_side.cost() == 6);
    CHECK_THROWS_AS(objective.evaluate_with_gradient(x, g), sdk::Stop);
    objective.evaluate(x);
    CHECK(host_side.evals() == 3);
    CHECK(host_side.grad_evals() == 2);
    CHECK(host_side.cost() == 7);
}

TEST_CASE("rule 3: a subset of b of N samples costs b/N, exactly") {
    auto problem = make_problem("finite_sum", {{"samples", "50"}, {"dim", "4"}});
    host::Objective host_side(problem, budget(1));
    sdk::Objective objective(host_side.view());
    CHECK(objective.num_samples() == 50);
    std::vector<double> x(4, 0.5), g(4);
    std::vector<std::size_t> batch = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    objective.evaluate_subset(x, batch, g);  // 0.2 + 0.2
    objective.evaluate_subset(x, batch, g);  // 0.8
    CHECK_THROWS_AS(objective.evaluate_subset(x, batch, g), sdk::Stop);
    objective.evaluate_subset(x, batch);  // value only: 1.0 exactly
    CHECK(host_side.cost() == 1);
    CHECK(host_side.evals() == doctest::Approx(0.6).epsilon(1e-15));
    CHECK(host_side.grad_evals() == doctest::Approx(0.4).epsilon(1e-15));
    CHECK_THROWS_AS(objective.evaluate_subset(x, std::vector<std::size_t>{0}), sdk::Stop);
    // Subset means are not objective values: the best-so-far is untouched.
    CHECK(std::isinf(host_side.best_f()));
}

TEST_CASE("a batch that crosses the end of the budget evaluates its prefix, then stops") {
    auto problem = make_problem("box_quadratic", {{"dim", "1"}});
    host::Objective host_side(problem, budget(3));
    sdk::Objective objective(host_side.view());
    std::vector<double> xs = {0, 0.5, 1, 1.5, 2};
    std::vector<double> fs(5, -1);
    CHECK_THROWS_AS(objective.evaluate_batch(xs, fs), sdk::Stop);
    CHECK(fs[2] >= 0);
    CHECK(fs[3] == -1);
    CHECK(host_side.evals() == 3);
}

namespace {

// What reached the `batched` problem: points and value_batch calls (its artifact calls.txt).
std::pair<double, double> points_and_batches(host::ProblemInstance& problem) {
    const auto artifacts = problem.artifacts();
    REQUIRE(artifacts.size() == 1);
    double points = -1, batches = -1;
    REQUIRE(std::sscanf(artifacts[0].second.c_str(), "points=%lf batches=%lf", &points, &batches) == 2);
    return {points, batches};
}

// Points of dimension 2 for `batched`: improvements on and off, a NaN point (screened) and the
// optimum (0.5, 0.5), which reaches a target of 0.
std::vector<double> batch_points(std::size_t count) {
    std::vector<double> xs;
    sdk::Rng rng(21);
    for (std::size_t k = 0; k < count; ++k) {
        const double a = k == 9 ? std::nan("") : k == 23 ? 0.5 : rng.uniform(-5, 5);
        xs.insert(xs.end(), {a, k == 23 ? 0.5 : rng.uniform(-5, 5)});
    }
    return xs;
}

struct Outcome {
    std::vector<double> fs;  // -1 where nothing was evaluated
    std::vector<host::TraceRow> trace;
    double evals, best_f;
    std::vector<double> best_x;
    std::uint64_t nonfinite;
    bool budget_hit, stopped;
};

// Hands the points to the objective in batches of `batch` (0: one evaluate() per point) until
// it says stop.
Outcome evaluate_all(const std::vector<double>& xs, std::size_t batch, host::ObjectiveSettings settings) {
    auto problem = make_problem("batched", {{"dim", "2"}});
    host::Objective host_side(problem, settings);
    sdk::Objective objective(host_side.view());
    const std::size_t count = xs.size() / 2;
    Outcome o{std::vector<double>(count, -1), {}, 0, 0, {}, 0, false, false};
    try {
        for (std::size_t first = 0; first < count; first += std::max<std::size_t>(batch, 1)) {
            if (batch == 0) {
                o.fs[first] = objective.evaluate(std::span(xs).subspan(2 * first, 2));
                continue;
            }
            const std::size_t n = std::min(batch, count - first);
            objective.evaluate_batch(std::span(xs).subspan(2 * first, 2 * n), std::span(o.fs).subspan(first, n));
        }
    } catch (const sdk::Stop&) {
        o.stopped = true;
    }
    host_side.finish();
    o.trace = host_side.trace();
    o.evals = host_side.evals();
    o.best_f = host_side.best_f();
    o.best_x = host_side.best_x();
    o.nonfinite = host_side.nonfinite_count();
    o.budget_hit = host_side.budget_hit();
    return o;
}

}  // namespace

TEST_CASE("a native batch crossing the end of the budget: the problem gets exactly the prefix, in one call") {
    auto problem = make_problem("batched", {{"dim", "1"}});
    host::Objective host_side(problem, budget(3));
    sdk::Objective objective(host_side.view());
    const std::vector<double> xs = {0, 0.5, 1, 1.5, 2};
    std::vector<double> fs(5, -1);
    CHECK_THROWS_AS(objective.evaluate_batch(xs, fs), sdk::Stop);
    CHECK(fs == std::vector<double>{0.25, 0, 0.25, -1, -1});
    CHECK(host_side.evals() == 3);
    CHECK(host_side.budget_hit());
    CHECK(points_and_batches(problem) == std::pair{3.0, 1.0});
    CHECK_THROWS_AS(objective.evaluate_batch(xs, fs), sdk::Stop);
    CHECK(points_and_batches(problem) == std::pair{3.0, 1.0});
}

TEST_CASE("native batches leave the values, trace, best point and counters of single evaluations") {
    const std::vector<double> xs = batch_points(40);
    for (const double target : {std::nan(""), 0.0}) {
        CAPTURE(target);
        auto settings = budget(33);  // ends inside a batch of 7 (or the target does, at point 24)
        settings.target = target;
        const Outcome single = evaluate_all(xs, 0, settings);
        CHECK(single.stopped);
        CHECK(single.nonfinite == 1);
        for (const std::size_t batch : {1, 2, 7, 32}) {
            CAPTURE(batch);
            const Outcome batched = evaluate_all(xs, batch, settings);
            CHECK(batched.stopped);
            CHECK(std::memcmp(batched.fs.data(), single.fs.data(), single.fs.size() * sizeof(double)) == 0);
            CHECK(batched.evals == single.evals);
            CHECK(batched.best_f == single.best_f);
            CHECK(batched.best_x == single.best_x);
            CHECK(batched.nonfinite == single.nonfinite);
            CHECK(batched.budget_hit == single.budget_hit);
            REQUIRE(batched.trace.size() == single.trace.size());
            for (std::size_t i = 0; i < single.trace.size(); ++i) {
                CHECK(batched.trace[i].evals == single.trace[i].evals);
                CHECK(batched.trace[i].cost == single.trace[i].cost);
                CHECK(std::memcmp(&batched.trace[i].f, &single.trace[i].f, sizeof(double)) == 0);
                CHECK(batched.trace[i].best_f == single.trace[i].best_f);
            }
        }
    }
}

TEST_CASE("a problem failing inside a native batch fails as in single evaluations") {
    auto problem = make_problem("batched", {{"dim", "1"}, {"poison", "7"}});
    host::Objective host_side(problem, budget(10));
    sdk::Objective objective(host_side.view());
    const std::vector<double> xs = {3, 2, 7, 1};
    std::vector<double> fs(4, -1);
    CHECK_THROWS_WITH_AS(objective.evaluate_batch(xs, fs),
                         "problem 'batched' failed in value: deliberate failure at a poisoned point",
                         sdk::ObjectiveError);
    CHECK(fs == std::vector<double>{6.25, 2.25, -1, -1});
    CHECK(host_side.evals() == 3);  // as singly: the failing evaluation was admitted
    CHECK(host_side.best_f() == 2.25);
}

TEST_CASE("non-finite values are counted and become +inf, never the best") {
    auto problem = make_problem("nonfinite", {{"dim", "2"}});
    host::Objective host_side(problem, budget(30));
    sdk::Objective objective(host_side.view());
    const std::vector<double> x = {1, 1};
    int nonfinite = 0;
    for (int i = 0; i < 30; ++i) {
        const double f = objective.evaluate(x);
        CHECK(!std::isnan(f));
        CHECK(f != -INFINITY);
        if (std::isinf(f)) ++nonfinite;
    }
    CHECK(host_side.nonfinite_count() == static_cast<std::uint64_t>(nonfinite));
    CHECK(nonfinite > 0);
    CHECK(host_side.best_f() == 2);
}

TEST_CASE("problem failures end the run with the problem's message") {
    auto problem = make_problem("throwing", {{"after", "2"}});
    host::Objective host_side(problem, budget(10));
    sdk::Objective objective(host_side.view());
    const std::vector<double> x = {0, 0, 0};
    objective.evaluate(x);
    CHECK_THROWS_WITH_AS(objective.evaluate(x),
                         "problem 'throwing' failed in value: deliberate failure in evaluation 2",
                         sdk::ObjectiveError);
    CHECK(host_side.problem_failed());
    CHECK_THROWS_AS(objective.evaluate(x), sdk::ObjectiveError);
}

TEST_CASE("wrong dimensions and misuse of sparse moves are errors") {
    auto problem = make_problem("box_quadratic", {{"dim", "3"}});
    SUBCASE("point of the wrong size") {
        host::Objective host_side(problem, budget(10));
        sdk::Objective objective(host_side.view());
        CHECK_THROWS_WITH_AS(objective.evaluate(std::vector<double>{1, 2}),
                             "evaluate: the point has 2 coordinates, the problem has 3",
                             sdk::ObjectiveError);
    }
    SUBCASE("try_move before set_base") {
        host::Objective host_side(problem, budget(10));
        sdk::Objective objective(host_side.view());
        CHECK_THROWS_AS(objective.try_move(std::vector<std::size_t>{0}, std::vector<double>{1}),
                        sdk::ObjectiveError);
    }
    SUBCASE("accept without a tried move") {
        host::Objective host_side(problem, budget(10));
        sdk::Objective objective(host_side.view());
        objective.set_base(std::vector<double>{0, 0, 0});
        CHECK_THROWS_AS(objective.accept(), sdk::ObjectiveError);
    }
    SUBCASE("index out of range") {
        host::Objective host_side(problem, budget(10));
        sdk::Objective objective(host_side.view());
        objective.set_base(std::vector<double>{0, 0, 0});
        CHECK_THROWS_AS(objective.try_move(std::vector<std::size_t>{3}, std::vector<double>{1}),
                        sdk::ObjectiveError);
    }
}

TEST_CASE("sparse moves without incremental support equal full evaluations; the best point is exact") {
    auto problem = make_problem("box_quadratic", {{"dim", "6"}});
    host::Objective host_side(problem, budget(2000));
    sdk::Objective objective(host_side.view());
    std::vector<double> x(objective.initial_point().begin(), objective.initial_point().end());
    double f = objective.set_base(x);
    sdk::Rng rng(5);
    for (int step = 0; step < 1500; ++step) {
        const std::size_t k = 1 + rng.index(2);
        std::vector<std::size_t> indices;
        std::vector<double> values;
        for (std::size_t j = 0; j < k; ++j) {
            const std::size_t i = rng.index(6);
            if (std::find(indices.begin(), indices.end(), i) != indices.end()) continue;
            indices.push_back(i);
            values.push_back(rng.uniform(objective.lower(i), objective.upper(i)));
        }
        const double moved = objective.try_move(indices, values);
        std::vector<double> copy = x;
        for (std::size_t j = 0; j < indices.size(); ++j) copy[indices[j]] = values[j];
        CHECK(moved == problem.value(copy));
        // Accept improvements, and now and then a worse move, so the lazy best-point logic is
        // exercised in every state.
        if (moved < f || rng.uniform() < 0.05) {
            objective.accept();
            x = copy;
            f = moved;
        }
    }
    CHECK(problem.value(host_side.best_x()) == host_side.best_f());
    CHECK(host_side.best_f() <= f);
}

TEST_CASE("the trace has log-spaced rows, improvements and a final row") {
    auto problem = make_problem("box_quadratic", {{"dim", "2"}});
    host::Objective host_side(problem, budget(1000));
    sdk::Objective objective(host_side.view());
    for (int i = 0; i < 1000; ++i) objective.evaluate(std::vector<double>{1.0, 1.0});
    host_side.finish();
    const auto& trace = host_side.trace();
    REQUIRE(!trace.empty());
    CHECK(trace.front().evals == 1);
    CHECK(trace.back().evals == 1000);
    CHECK(trace.size() >= 45);  // 20 per decade over 3 decades, fewer where floor() repeats
    CHECK(trace.size() <= 70);
    for (std::size_t i = 1; i < trace.size(); ++i) CHECK(trace[i].evals > trace[i - 1].evals);
}

TEST_CASE("the trace has a row at each checkpoint too") {
    auto problem = make_problem("box_quadratic", {{"dim", "2"}});
    auto settings = budget(1000);
    settings.checkpoints = {37, 38, 500, 999};
    host::Objective host_side(problem, settings);
    sdk::Objective objective(host_side.view());
    for (int i = 0; i < 1000; ++i) objective.evaluate(std::vector<double>{1.0, 1.0});
    host_side.finish();
    std::vector<double> evals;
    for (const auto& row : host_side.trace()) evals.push_back(row.evals);
    for (const double checkpoint : settings.checkpoints)
        CHECK(std::count(evals.begin(), evals.end(), checkpoint) == 1);
    CHECK(std::is_sorted(evals.begin(), evals.end()));
}

TEST_CASE("the host stops the optimizer at the target") {
    auto problem = make_problem("box_quadratic", {{"dim", "1"}});
    auto settings = budget(100);
    settings.target = 0.5;
    host::Objective host_side(problem, settings);
    sdk::Objective objective(host_side.view());
    objective.evaluate(std::vector<double>{2.0});
    CHECK_FALSE(objective.should_stop());
    objective.evaluate(std::vector<double>{-0.1});  // centre is -0.1 for coordinate 0
    CHECK(objective.should_stop());
    CHECK_THROWS_AS(objective.evaluate(std::vector<double>{0.0}), sdk::Stop);
    CHECK(host_side.host_stop() == host::StopReason::target);
}

TEST_CASE("the host stops the optimizer at the deadline, not before") {
    auto problem = make_problem("box_quadratic", {{"dim", "1"}});
    const std::vector<double> x = {0.5};
    auto settings = budget(1e12);
    settings.deadline = std::chrono::steady_clock::now() + std::chrono::hours(1);
    {
        host::Objective host_side(problem, settings);
        sdk::Objective objective(host_side.view());
        for (int i = 0; i < 100000; ++i) objective.evaluate(x);
        CHECK_FALSE(objective.should_stop());
        CHECK_FALSE(host_side.host_stop().has_value());
    }
    settings.deadline = std::chrono::steady_clock::now();
    {
        host::Objective host_side(problem, settings);
        sdk::Objective objective(host_side.view());
        objective.evaluate(x);  // the first call reads the clock
        CHECK(objective.should_stop());
        CHECK(host_side.host_stop() == host::StopReason::timeout);
    }
    // A deadline that passes while cheap calls go on is seen, however many calls there were.
    settings.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
    host::Objective host_side(problem, settings);
    sdk::Objective objective(host_side.view());
    while (!objective.should_stop()) objective.evaluate(x);
    CHECK(host_side.host_stop() == host::StopReason::timeout);
}
