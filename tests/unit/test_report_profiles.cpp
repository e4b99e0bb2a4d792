// Moré & Wild's data profiles and performance profiles, worked by hand on small traces.
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "base/error.hpp"
#include "report/profiles.hpp"
#include "report/report.hpp"

using namespace optbench;
using namespace optbench::host;
using namespace optbench::host::report;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

RunRow profile_run(const std::string& optimizer, const std::string& problem, std::size_t dim, int rep,
                   const std::vector<std::pair<double, double>>& rows, RunStatus status = RunStatus::ok,
                   std::int64_t instance = 1) {
    RunRow r;
    r.spec = {0, {optimizer, {}}, {problem, {}}, instance, dim, rep, 0};
    r.budget = 100;
    r.status = status;
    for (const auto& [cost, best] : rows) r.trace.push_back({cost, cost, best, best, 0});
    r.evals = r.cost = rows.empty() ? 0 : rows.back().first;
    r.best_f = rows.empty() ? RunRow::unknown : rows.back().second;
    return r;
}

ResultSet result_set(std::vector<RunRow> rows) {
    RunTable table;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].spec.run_id = i;
        table.rows.push_back(std::move(rows[i]));
    }
    return results_from_runs(std::move(table), {});
}

// p1 (dimension 1): A and B start at 10, C at 12, so f(x0) = 10 (the median); C reaches f_L = 0.
// p2 (dimension 3): A and B start at 100 = f(x0), B reaches f_L = 0.05; C is not applicable.
ResultSet three_optimizers() {
    return result_set({
        profile_run("A", "p1", 1, 1, {{1, 10}, {2, 6}, {5, 2}, {10, 0.8}}),
        profile_run("B", "p1", 1, 1, {{1, 10}, {3, 5}, {8, 0.5}}),
        profile_run("C", "p1", 1, 1, {{1, 12}, {4, 9}, {20, 0}}),
        profile_run("A", "p2", 3, 1, {{1, 100}, {4, 50}, {40, 10}}),
        profile_run("B", "p2", 3, 1, {{1, 100}, {12, 0.05}}),
        profile_run("C", "p2", 3, 1, {}, RunStatus::not_applicable),
    });
}

}  // namespace

TEST_CASE("profiles: f(x0) is the median first value, f_L the lowest value of the problem's runs") {
    const ResultSet results = three_optimizers();
    const ProfileProblems set = profile_problems(results);
    REQUIRE(set.problems.size() == 2);
    CHECK(set.instances_without_value == 0);
    CHECK(set.problems[0].problem == "p1");
    CHECK(set.problems[0].f_start == 10);
    CHECK(set.problems[0].f_low == 0);
    CHECK(set.problems[1].f_start == 100);
    CHECK(set.problems[1].f_low == 0.05);
    CHECK(set.problems[1].dim == 3);
    REQUIRE(set.problems[1].runs.size() == 3);
    CHECK(set.problems[1].runs[2]->status == RunStatus::not_applicable);
}

TEST_CASE("convergence test f(x0) - f >= (1 - tau)(f(x0) - f_L): t by hand") {
    const ResultSet results = three_optimizers();
    // p1: f(x0) - f_L = 10. tau = 0.1 needs f <= 1: A at 10 (f = 0.8), B at 8 (0.5), C at 20 (0).
    CHECK(convergence_cost(results.runs[0], 10, 0, 0.1) == 10);
    CHECK(convergence_cost(results.runs[1], 10, 0, 0.1) == 8);
    CHECK(convergence_cost(results.runs[2], 10, 0, 0.1) == 20);
    // tau = 1e-3 needs f <= 0.01: only C.
    CHECK(convergence_cost(results.runs[0], 10, 0, 1e-3) == inf);
    CHECK(convergence_cost(results.runs[1], 10, 0, 1e-3) == inf);
    CHECK(convergence_cost(results.runs[2], 10, 0, 1e-3) == 20);
    // With the higher f(x0) = 12 (C's first value), A's 2 at 5 evaluations would pass tau = 0.1 x 6:
    CHECK(convergence_cost(results.runs[0], 12, 0, 0.2) == 5);
    // p2: f <= 0.05 + 0.1 x 99.95 = 10.045 (A at 40, B at 12); f <= 0.14995 (B only).
    CHECK(convergence_cost(results.runs[3], 100, 0.05, 0.1) == 40);
    CHECK(convergence_cost(results.runs[4], 100, 0.05, 1e-3) == 12);
    CHECK(convergence_cost(results.runs[3], 100, 0.05, 1e-3) == inf);
    CHECK(convergence_cost(results.runs[5], 100, 0.05, 0.1) == inf);  // no trace
}

TEST_CASE("data profile d_s(alpha) in simplex gradients and performance profile rho_s(alpha) by hand") {
    const ResultSet results = three_optimizers();
    const ProfileProblems set = profile_problems(results);
    const Profiles loose = profiles(results, set, 0.1);
    REQUIRE(loose.costs.size() == 2);
    CHECK(loose.costs[0] == std::vector<double>{10, 8, 20});
    CHECK(loose.costs[1] == std::vector<double>{40, 12, inf});

    // t / (n + 1): A 10/2 = 5, 40/4 = 10; B 8/2 = 4, 12/4 = 3; C 20/2 = 10, never.
    const auto& [a, b, c] = std::tuple(loose.data[0], loose.data[1], loose.data[2]);
    CHECK(a.optimizer == "A");
    CHECK(a.x == std::vector<double>{5, 10});
    CHECK(b.x == std::vector<double>{3, 4});
    CHECK(c.x == std::vector<double>{10, inf});
    CHECK(a.at(4.99) == 0);
    CHECK(a.at(5) == 0.5);
    CHECK(a.at(10) == 1);
    CHECK(b.at(3) == 0.5);
    CHECK(b.at(4) == 1);
    CHECK(c.at(9.99) == 0);
    CHECK(c.at(10) == 0.5);
    CHECK(c.at(1e300) == 0.5);
    CHECK(c.steps() == std::vector<std::pair<double, double>>{{10, 0.5}});

    // Fewest evaluations: 8 on p1, 12 on p2 (both B). A: 10/8, 40/12; C: 20/8, never.
    const auto& [ra, rb, rc] = std::tuple(loose.performance[0], loose.performance[1], loose.performance[2]);
    CHECK(ra.x[0] == 1.25);
    CHECK(ra.x[1] == doctest::Approx(10.0 / 3));
    CHECK(rb.x == std::vector<double>{1, 1});
    CHECK(rc.x == std::vector<double>{2.5, inf});
    CHECK(ra.at(1) == 0);
    CHECK(ra.at(1.25) == 0.5);
    CHECK(ra.at(3.34) == 1);
    CHECK(rb.at(1) == 1);
    CHECK(rc.at(2.5) == 0.5);
    CHECK(rc.at(1e300) == 0.5);

    // tau = 1e-3: p1 only C (20), p2 only B (12): each is fastest where it converged at all.
    const Profiles tight = profiles(results, set, 1e-3);
    CHECK(tight.data[0].x == std::vector<double>{inf, inf});
    CHECK(tight.data[1].x == std::vector<double>{3, inf});
    CHECK(tight.data[2].x == std::vector<double>{10, inf});
    CHECK(tight.performance[0].x == std::vector<double>{inf, inf});
    CHECK(tight.performance[1].x == std::vector<double>{1, inf});
    CHECK(tight.performance[2].x == std::vector<double>{1, inf});
    CHECK(tight.data[0].at(inf) == 0);
    CHECK(tight.data[0].steps().empty());

    // Summary: solved, fastest (rho(1)), simplex gradients to solve half.
    const Table table = profile_table({loose, tight}, set.problems.size());
    REQUIRE(table.rows.size() == 6);
    CHECK(table.rows[0][1].text == "A");
    CHECK(table.rows[0][2].text == "1");
    CHECK(table.rows[0][3].text == "0");
    CHECK(table.rows[0][4].text == "5");
    CHECK(table.rows[1][3].text == "1");
    CHECK(table.rows[1][3].best);
    CHECK(table.rows[1][4].text == "3");
    CHECK(table.rows[1][4].best);
    CHECK(table.rows[2][2].text == "0.5");
    CHECK_FALSE(table.rows[2][2].best);
    CHECK(table.rows[3][0].text == "0.001");
    CHECK(table.rows[3][2].text == "0");
    CHECK(table.rows[3][4].text == "∞");
    CHECK(table.rows[4][2].best);
    CHECK(table.rows[5][2].best);  // B and C tie at 0.5
    CHECK(table.rows[5][3].text == "0.5");
}

TEST_CASE("profiles: repetitions share the instance's f(x0) and f_L; missing runs never converge") {
    // q, instance 1: A's first repetition finds f_L = 1; three runs start at 5, the two others
    // (samples around the start point, say) at 8 and 7: f(x0) = 5.
    // Instance 2: the one run crashed without a value, so the instance has no f_L.
    const ResultSet results = result_set({
        profile_run("A", "q", 2, 1, {{1, 5}, {3, 1}}),
        profile_run("A", "q", 2, 2, {{1, 5}, {2, 2.5}}),
        profile_run("B", "q", 2, 1, {{1, 5}, {6, 3}}),
        profile_run("B", "q", 2, 2, {{1, 8}, {5, 2}}),
        profile_run("A", "q", 2, 3, {{1, 7}, {4, 2.9}}),
        profile_run("A", "q", 2, 1, {}, RunStatus::error, 2),
    });
    const ProfileProblems set = profile_problems(results);
    CHECK(set.instances_without_value == 1);
    REQUIRE(set.problems.size() == 3);
    for (const ProfileProblem& p : set.problems) {
        CHECK(p.instance == 1);
        CHECK(p.f_start == 5);
        CHECK(p.f_low == 1);
    }
    CHECK(set.problems[2].rep == 3);
    CHECK(set.problems[2].runs[1] == nullptr);  // B has no third repetition
    // tau = 0.5: f <= 1 + 0.5 x 4 = 3.
    const Profiles p = profiles(results, set, 0.5);
    CHECK(p.costs[0] == std::vector<double>{3, 6});
    CHECK(p.costs[1] == std::vector<double>{2, 5});
    CHECK(p.costs[2] == std::vector<double>{4, inf});
    CHECK(p.data[0].x == std::vector<double>{2.0 / 3, 1, 4.0 / 3});
    CHECK(p.data[1].x == std::vector<double>{5.0 / 3, 2, inf});
    CHECK(p.performance[0].x == std::vector<double>{1, 1, 1});
    CHECK(p.performance[1].x[0] == 2);
    CHECK(p.performance[1].x[1] == 2.5);
    CHECK(p.performance[1].at(1e300) == doctest::Approx(2.0 / 3));
}

TEST_CASE("profiles: where f(x0) = f_L the test reads f <= f_L") {
    // A and B start at the lowest value 3; C starts at 9 and reaches 3 after 4 evaluations.
    const ResultSet results = result_set({
        profile_run("A", "flat", 1, 1, {{1, 3}, {5, 3}}),
        profile_run("B", "flat", 1, 1, {{2, 3}}),
        profile_run("C", "flat", 1, 1, {{1, 9}, {4, 3}}),
    });
    const ProfileProblems set = profile_problems(results);
    REQUIRE(set.problems.size() == 1);
    CHECK(set.problems[0].f_start == 3);
    CHECK(set.problems[0].f_low == 3);
    const Profiles p = profiles(results, set, 1e-7);
    CHECK(p.costs[0] == std::vector<double>{1, 2, 4});
    CHECK(p.performance[1].x == std::vector<double>{2});
    CHECK(p.performance[2].x == std::vector<double>{4});
}

TEST_CASE("profile tolerances: a list in (0, 1), loosest first; a bad token is named") {
    CHECK(parse_profile_tolerances("1e-7,1e-1,1e-3,1e-1") == std::vector<double>{1e-1, 1e-3, 1e-7});
    CHECK_THROWS_WITH_AS(parse_profile_tolerances("1e-1,1"),
                         "--profile-tolerances: '1' is not a tolerance in (0, 1) (expected a list like "
                         "1e-1,1e-3,1e-5,1e-7)",
                         Error);
    CHECK_THROWS_WITH_AS(parse_profile_tolerances("0"), doctest::Contains("'0' is not a tolerance"), Error);
    CHECK_THROWS_WITH_AS(parse_profile_tolerances("1e-3,,1e-5"), doctest::Contains("'' is not a tolerance"), Error);
    CHECK_THROWS_WITH_AS(parse_profile_tolerances("tight"), doctest::Contains("'tight' is not a tolerance"), Error);
}
