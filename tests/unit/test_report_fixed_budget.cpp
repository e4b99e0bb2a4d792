// The fixed-budget view (best-so-far values at fractions of the budget, and their ECDF over
// error values) worked by hand, and the report's fixed-budget and profile outputs.
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "base/error.hpp"
#include "report/fixed_budget.hpp"
#include "report/report.hpp"
#include "results/csv.hpp"
#include "testing.hpp"

namespace fs = std::filesystem;
using namespace optbench;
using namespace optbench::host;
using namespace optbench::host::report;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

RunRow budget_run(const std::string& optimizer, const std::string& problem, double budget,
                  const std::vector<std::pair<double, double>>& rows, RunStatus status = RunStatus::ok) {
    RunRow r;
    r.spec = {0, {optimizer, {}}, {problem, {}}, 1, 2, 1, 0};
    r.budget = budget;
    r.status = status;
    r.f_opt = 0;
    for (const auto& [cost, best] : rows) r.trace.push_back({cost, cost, best, best, 0});
    r.evals = r.cost = rows.empty() ? 0 : rows.back().first;
    r.best_f = rows.empty() ? RunRow::unknown : rows.back().second;
    return r;
}

// Problem s: A's third run logs its first value at 2 evaluations; B's second run ended in error
// after 30 of its 100, B's first had a budget of 200, its third was not applicable.
// Problem t: one run of A, error 1e-10 from the first evaluation on.
ResultSet two_optimizers() {
    RunTable table;
    table.rows = {
        budget_run("A", "s", 100, {{1, 50}, {10, 5}, {100, 0.5}}),
        budget_run("A", "s", 100, {{1, 40}, {5, 8}, {60, 1}}),
        budget_run("A", "s", 100, {{2, 30}, {10, 3}, {100, 3}}),
        budget_run("B", "s", 200, {{1, 45}, {50, 0.1}}),
        budget_run("B", "s", 100, {{1, 20}, {30, 2}}, RunStatus::error),
        budget_run("B", "s", 100, {}, RunStatus::not_applicable),
        budget_run("A", "t", 100, {{1, 1e-10}, {100, 1e-10}}),
    };
    for (std::size_t i = 0; i < table.rows.size(); ++i) table.rows[i].spec.run_id = i;
    return results_from_runs(std::move(table), {});
}

const FixedBudgetStats& stats_of(const std::vector<FixedBudgetStats>& all, const std::string& problem,
                                 const std::string& optimizer, double fraction) {
    for (const FixedBudgetStats& s : all)
        if (s.problem == problem && s.optimizer == optimizer && s.fraction == fraction) return s;
    FAIL("no fixed-budget row for " << problem << " x " << optimizer << " at " << fraction);
    throw;
}

}  // namespace

TEST_CASE("the value at a budget fraction: best so far then, +inf before the first value") {
    const ResultSet results = two_optimizers();
    CHECK(value_at_budget(Measure::error, results.runs[0], 0.01) == 50);
    CHECK(value_at_budget(Measure::error, results.runs[0], 0.09) == 50);
    CHECK(value_at_budget(Measure::error, results.runs[0], 0.1) == 5);
    CHECK(value_at_budget(Measure::error, results.runs[2], 0.01) == inf);
    CHECK(value_at_budget(Measure::error, results.runs[3], 0.01) == 45);   // 1 % of 200 = 2 evaluations
    CHECK(value_at_budget(Measure::error, results.runs[4], 1.0) == 2);     // ended in error: its last value
    CHECK(value_at_budget(Measure::error, results.runs[5], 1.0) == inf);   // nothing logged
    // 0.29 x 100 = 28.999999999999996 in doubles: the row logged at 29 evaluations still counts.
    RunRow row = budget_run("A", "s", 100, {{1, 9}, {29, 4}});
    RunRecord run;
    static_cast<RunRow&>(run) = row;
    CHECK(value_at_budget(Measure::error, run, 0.29) == 4);
}

TEST_CASE("fixed budget: median and IQR per optimizer, problem and fraction by hand; best in bold") {
    const ResultSet results = two_optimizers();
    const std::vector<double> fractions = {0.01, 0.1, 1};
    const auto all = fixed_budget_statistics(results, fractions);
    REQUIRE(all.size() == 9);  // s x {A, B} x 3 fractions, t x A x 3

    // A on s at 1 %: 50, 40, +inf (nothing yet): sorted 40, 50, inf.
    const FixedBudgetStats& a1 = stats_of(all, "s", "A", 0.01);
    CHECK(a1.runs == 3);
    CHECK(a1.value.median == 50);
    CHECK(a1.value.q1 == 45);
    CHECK(a1.value.q3 == inf);
    const FixedBudgetStats& a10 = stats_of(all, "s", "A", 0.1);  // 5, 8, 3
    CHECK(a10.value.median == 5);
    CHECK(a10.value.q1 == 4);
    CHECK(a10.value.q3 == 6.5);
    CHECK(a10.best);
    const FixedBudgetStats& a100 = stats_of(all, "s", "A", 1);  // 0.5, 1, 3
    CHECK(a100.value.median == 1);
    CHECK(a100.value.q1 == 0.75);
    CHECK(a100.value.q3 == 2);
    CHECK(a100.best);

    // B: the not_applicable run is left out, the error run counts with what it logged.
    const FixedBudgetStats& b1 = stats_of(all, "s", "B", 0.01);  // 45, 20
    CHECK(b1.runs == 2);
    CHECK(b1.budget_min == 100);
    CHECK(b1.budget_max == 200);
    CHECK(b1.value.median == 32.5);
    CHECK(b1.value.q1 == 26.25);
    CHECK(b1.value.q3 == 38.75);
    CHECK(b1.best);
    CHECK_FALSE(a1.best);
    CHECK(stats_of(all, "s", "B", 0.1).value.median == 32.5);
    const FixedBudgetStats& b100 = stats_of(all, "s", "B", 1);  // 0.1, 2
    CHECK(b100.value.median == doctest::Approx(1.05));
    CHECK_FALSE(b100.best);
    CHECK(stats_of(all, "t", "A", 0.01).value.median == 1e-10);

    const Table table = fixed_budget_table(all, fractions);
    CHECK(table.header == std::vector<std::string>{"problem", "optimizer", "value", "runs", "budget", "median at 1 %",
                                                   "IQR at 1 %", "median at 10 %", "IQR at 10 %", "median at 100 %",
                                                   "IQR at 100 %"});
    REQUIRE(table.rows.size() == 3);
    CHECK(table.group_starts == std::vector<std::size_t>{0, 2});
    const auto texts = [](const std::vector<Cell>& row) {
        std::vector<std::string> out;
        for (const Cell& c : row) out.push_back(c.best ? "**" + c.text + "**" : c.text);
        return out;
    };
    CHECK(texts(table.rows[0]) ==
          std::vector<std::string>{"s", "A", "error", "3", "100", "50", "∞", "**5**", "2.5", "**1**", "1.25"});
    CHECK(texts(table.rows[1]) ==
          std::vector<std::string>{"s", "B", "error", "2", "100-200", "**32.5**", "12.5", "32.5", "12.5", "1.05", "0.95"});
    const std::string csv = fixed_budget_csv(all);
    CHECK(csv.rfind("problem,optimizer,measure,fraction,runs,budget_min,budget_max,median,q1,q3,iqr,best\n", 0) == 0);
    CHECK(csv.find("\ns,A,error,0.01,3,100,100,50,45,inf,inf,0\n") != std::string::npos);
    CHECK(csv.find("\ns,B,error,0.01,2,100,200,32.5,26.25,38.75,12.5,1\n") != std::string::npos);
}

TEST_CASE("fixed-budget ECDF over errors: each problem weighs the same, shared by its runs") {
    const ResultSet results = two_optimizers();
    // At 100 %: A on s 0.5, 1, 3 (1/6 each), on t 1e-10 (1/2, drawn at the floor 1e-8);
    // B on s 0.1 and 2 (1/4 each), no run on t.
    const auto curves = fixed_budget_ecdf(results, 2, 1.0);
    REQUIRE(curves.size() == 2);
    CHECK(curves[0].optimizer == "A");
    REQUIRE(curves[0].steps.size() == 4);
    const std::vector<std::pair<double, double>> a = {
        {-8, 0.5}, {std::log10(0.5), 0.5 + 1.0 / 6}, {0, 0.5 + 2.0 / 6}, {std::log10(3), 1}};
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(curves[0].steps[i].first == doctest::Approx(a[i].first));
        CHECK(curves[0].steps[i].second == doctest::Approx(a[i].second));
    }
    REQUIRE(curves[1].steps.size() == 2);
    CHECK(curves[1].steps[0].first == doctest::Approx(-1));
    CHECK(curves[1].steps[0].second == doctest::Approx(0.25));
    CHECK(curves[1].steps[1].first == doctest::Approx(std::log10(2)));
    CHECK(curves[1].steps[1].second == doctest::Approx(0.5));
    // At 1 %, A's third run has no value yet and never counts: A tops out at 1/2 + 2/6.
    const auto early = fixed_budget_ecdf(results, 2, 0.01);
    CHECK(early[0].steps.back().first == doctest::Approx(std::log10(50)));
    CHECK(early[0].steps.back().second == doctest::Approx(0.5 + 2.0 / 6));
    CHECK(fixed_budget_ecdf(results, 3, 1.0).empty());
}

TEST_CASE("budget fractions: a list in (0, 1], ascending; a bad token is named") {
    CHECK(parse_budget_fractions("1,0.01,0.1,0.1") == std::vector<double>{0.01, 0.1, 1});
    CHECK_THROWS_WITH_AS(parse_budget_fractions("0.01,1.5"),
                         "--budget-fractions: '1.5' is not a fraction of the budget in (0, 1] (expected a list like "
                         "0.01,0.1,1)",
                         Error);
    CHECK_THROWS_WITH_AS(parse_budget_fractions("0"), doctest::Contains("'0' is not a fraction"), Error);
    CHECK_THROWS_WITH_AS(parse_budget_fractions("10%"), doctest::Contains("'10%' is not a fraction"), Error);
}

TEST_CASE("optbench report writes the fixed-budget and profile tables and plots, with their options") {
    testing::TempDir dir;
    const fs::path basic = testing::source_dir() / "tests" / "data" / "report" / "basic";
    const fs::path out = dir.path() / "r";
    std::string output;
    const std::string exe = testing::optbench_exe();
    REQUIRE(testing::shell(exe + " report " + basic.string() + " --out " + out.string() +
                               " --budget-fractions 0.5,1 --profile-tolerances 0.1,0.001",
                           &output) == 0);
    for (const char* table : {"fixed_budget", "profiles"})
        for (const char* extension : {".md", ".tex", ".csv"})
            CHECK_MESSAGE(fs::file_size(out / "tables" / (std::string(table) + extension)) > 0, table << extension);
    const CsvTable fixed = read_csv(out / "tables" / "fixed_budget.csv");
    CHECK(fixed[1][3] == "0.5");
    CHECK(fixed[2][3] == "1");
    const CsvTable curves = read_csv(out / "tables" / "profile_curves.csv");
    REQUIRE(curves.size() > 1);
    for (std::size_t i = 1; i < curves.size(); ++i) CHECK((curves[i][1] == "0.1" || curves[i][1] == "0.001"));
    CHECK(read_csv(out / "tables" / "profile_runs.csv")[0][10] == "evaluations");
    for (const char* plot : {"fixed_budget_ecdf_dim2", "data_profiles", "performance_profiles"}) {
        CHECK_MESSAGE(fs::exists(out / "plots" / (std::string(plot) + ".png")), plot);
        CHECK_MESSAGE(fs::exists(out / "plots" / (std::string(plot) + ".svg")), plot);
    }
    CHECK(read_file(out / "plots" / "fixed_budget_ecdf_dim2.gp").find("after 50 % of the budget") != std::string::npos);
    const std::string md = read_file(out / "report.md");
    for (const char* section : {"## Fixed budget", "## Data and performance profiles", "### Fixed-budget ECDFs",
                                "- **Fixed budget** (`--budget-fractions`, here 50 %, 100 %)",
                                "here tau = 0.1, 0.001"})
        CHECK_MESSAGE(md.find(section) != std::string::npos, section);

    CHECK(testing::shell(exe + " report " + basic.string() + " --out " + out.string() + " --budget-fractions 0.1,2",
                         &output) == 2);
    CHECK(output.find("--budget-fractions: '2' is not a fraction of the budget in (0, 1]") != std::string::npos);
    CHECK(testing::shell(exe + " report " + basic.string() + " --out " + out.string() + " --profile-tolerances 1e-3,x",
                         &output) == 2);
    CHECK(output.find("--profile-tolerances: 'x' is not a tolerance in (0, 1)") != std::string::npos);
}
