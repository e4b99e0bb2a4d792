// The CEC competitions' reporting: errors at the budget checkpoints, one file per optimizer,
// function and dimension, and the summary table with rank-sum comparisons to a reference.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "report/cec.hpp"
#include "report/published.hpp"
#include "report/report.hpp"
#include "results/csv.hpp"
#include "testing.hpp"

namespace fs = std::filesystem;
using namespace optbench;
using namespace optbench::host;
using namespace optbench::host::report;

namespace {

// A run of problem p:function=1,dim=2 (f_opt 100) whose error is 10 at the start and `final`
// from half its budget of 100 on.
RunRow cec_run(std::size_t id, const std::string& optimizer, int rep, double final) {
    RunRow r;
    r.spec = {id, {optimizer, {}}, {"p", {{"function", "1"}, {"dim", "2"}}}, 1, 2, rep, 0};
    r.budget = r.evals = r.cost = 100;
    r.f_opt = 100;
    r.best_f = 100 + final;
    r.trace = {{1, 1, 110, 110, 0}, {50, 50, r.best_f, r.best_f, 0}, {100, 100, r.best_f, r.best_f, 0}};
    return r;
}

ResultSet cec_results(const std::vector<double>& a_finals, const std::vector<double>& b_finals) {
    RunTable table;
    for (double f : a_finals) table.rows.push_back(cec_run(table.rows.size(), "a", static_cast<int>(table.rows.size()) + 1, f));
    for (double f : b_finals) table.rows.push_back(cec_run(table.rows.size(), "b", static_cast<int>(table.rows.size()) + 1, f));
    Declarations declarations;
    declarations.problems["p"] = {"suite", "function", "", false, true, {}, ""};
    return results_from_runs(std::move(table), std::move(declarations));
}

}  // namespace

TEST_CASE("the error at a checkpoint is the best-so-far error then, 0 below 1e-8") {
    const ResultSet results = cec_results({1e-9}, {});
    const RunRecord& run = results.runs.at(0);
    CHECK(cec_error_at(run, 0.01) == 10);
    CHECK(cec_error_at(run, 0.49) == 10);
    CHECK(cec_error_at(run, 0.5) == 0);
    CHECK(cec_error_at(run, 1.0) == 0);
    CHECK(cec_checkpoint_fractions().size() == 14);
    CHECK(cec_checkpoint_fractions().front() == 0.01);
    CHECK(cec_checkpoint_fractions().back() == 1.0);
}

TEST_CASE("the CEC table: best, worst, median, mean, std and +/=/- against the reference") {
    // 5 against 5 with every b above every a: the exact one-sided p is 1/252.
    const CecComparison c = cec_comparison(cec_results({1, 2, 3, 4, 5}, {10, 11, 12, 13, 14}), "a", 0.05);
    REQUIRE(c.rows.size() == 1);
    CHECK(c.rows[0].function == 1);
    CHECK(c.rows[0].dim == 2);
    REQUIRE(c.rows[0].cells.size() == 2);
    const CecCell& a = c.rows[0].cells[0];
    const CecCell& b = c.rows[0].cells[1];
    CHECK(a.best == 1);
    CHECK(a.worst == 5);
    CHECK(a.median == 3);
    CHECK(a.mean == 3);
    CHECK(a.std == doctest::Approx(std::sqrt(2.5)));
    CHECK(a.versus == ' ');
    CHECK(b.versus == '-');
    CHECK(c.wins_ties_losses.at("b") == std::array<std::size_t, 3>{0, 0, 1});
    CHECK(cec_comparison(cec_results({10, 11, 12, 13, 14}, {1, 2, 3, 4, 5}), "a", 0.05).rows[0].cells[1].versus == '+');
    // 2 against 2 can never be significant at 0.05.
    CHECK(cec_comparison(cec_results({1, 2}, {10, 11}), "a", 0.05).rows[0].cells[1].versus == '=');
    // Errors below 1e-8 are 0: all tied.
    CHECK(cec_comparison(cec_results({1e-9, 2e-9, 3e-9}, {4e-9, 5e-9, 6e-9}), "b", 0.05).rows[0].cells[0].versus == '=');
    CHECK_THROWS_WITH_AS(cec_comparison(cec_results({1}, {2}), "c", 0.05),
                         "--reference 'c': no optimizer of that name in runs.csv; expected one of a, b", Error);
}

TEST_CASE("optbench report writes the CEC tables and result files for a CEC-format suite") {
    testing::TempDir dir;
    const fs::path out = dir.path() / "cec";
    std::string output;
    REQUIRE(testing::shell(testing::optbench_exe() +
                               " run --optimizers random_search,cmaes --problems 'cec2017:function=1|3,dim=10' "
                               "--seeds 3 --budget-per-dim 100 --trace levels --jobs 2 --out " + out.string(),
                           &output) == 0);
    // The trace of a CEC-format run has a row at each checkpoint, whatever the trace mode.
    std::map<std::string, std::set<double>> rows;  // run_id -> evals
    for (const auto& row : read_csv(out / "trace.csv")) rows[row[0]].insert(row[1] == "evals" ? 0 : std::stod(row[1]));
    for (const auto& [run, evals] : rows) {
        if (run == "run_id") continue;
        for (const double fraction : cec_checkpoint_fractions()) CHECK(evals.count(fraction * 1000) == 1);
    }
    REQUIRE(testing::shell(testing::optbench_exe() + " report " + out.string() + " --reference cmaes", &output) == 0);
    const RunTable runs = read_runs(out / "runs.csv");
    const CsvTable table = read_csv(out / "report" / "tables" / "cec.csv");
    REQUIRE(table.size() == 5);  // header + 2 functions x 2 optimizers
    CHECK(table[0][3] == "optimizer");
    for (std::size_t i = 1; i < table.size(); ++i) {
        CHECK(table[i][0] == "cec2017");
        CHECK(table[i][2] == "10");
        CHECK(table[i][4] == "3");
        CHECK(std::stod(table[i][5]) <= std::stod(table[i][7]));
        CHECK(std::stod(table[i][7]) <= std::stod(table[i][6]));
        CHECK(table[i][10] == "cmaes");
        CHECK(table[i][11] == (table[i][3] == "cmaes" ? "" : "="));  // 3 runs: never significant
    }
    for (const std::string function : {"1", "3"})
        for (const std::string optimizer : {"random_search", "cmaes"}) {
            const fs::path file = out / "report" / "cec" / (optimizer + "_cec2017_F" + function + "_D10.txt");
            REQUIRE(fs::exists(file));
            std::vector<std::vector<double>> lines;
            std::istringstream in(read_file(file));
            for (std::string line; std::getline(in, line);) {
                std::istringstream values(line);
                lines.emplace_back(std::istream_iterator<double>(values), std::istream_iterator<double>());
            }
            REQUIRE(lines.size() == 14);
            for (std::size_t k = 1; k < lines.size(); ++k) {
                REQUIRE(lines[k].size() == 3);
                for (std::size_t r = 0; r < 3; ++r) CHECK(lines[k][r] <= lines[k - 1][r]);
            }
            std::vector<double> finals;  // runs.csv's errors, in repetition order
            for (const RunRow& row : runs.rows)
                if (row.spec.optimizer.name == optimizer && row.spec.problem.params.front().second == function)
                    finals.push_back(row.error() < 1e-8 ? 0 : row.error());
            CHECK(lines.back() == finals);
        }
    CHECK(read_file(out / "report" / "report.md").find("## CEC-style results") != std::string::npos);
    CHECK(testing::shell(testing::optbench_exe() + " report " + out.string() + " --reference nope", &output) == 2);
    CHECK(output.find("--reference 'nope': no optimizer of that name in runs.csv") != std::string::npos);
}

TEST_CASE("published values: where each falls among the runs here, problems matched in any parameter order") {
    testing::TempDir dir;
    const fs::path file = dir.path() / "published.csv";
    write_file_atomically(file, "label,problem,runs,error,source\n"
                                "original,\"p:dim=2,function=1\",1,3,a paper\n"
                                "other,\"p:function=9,dim=2\",51,0.5,another\n");
    const std::vector<PublishedValue> published = read_published(file);
    REQUIRE(published.size() == 2);
    CHECK(published[1].runs == 51);
    const std::vector<PublishedRow> rows = published_comparison(cec_results({1, 2, 3, 4, 5}, {10, 11}), published);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].problem == "p:function=1,dim=2");
    REQUIRE(rows[0].cells.size() == 2);
    const PublishedCell& a = rows[0].cells[0];
    CHECK(a.optimizer == "a");
    CHECK(a.runs == 5);
    CHECK(a.median == 3);
    CHECK(a.best == 1);
    CHECK(a.worst == 5);
    CHECK(a.below == 2);
    CHECK(a.ties == 1);
    CHECK(rows[0].cells[1].below == 0);
    CHECK(rows[1].problem.empty());
    CHECK(rows[1].cells[0].runs == 0);
    const Table table = published_table(rows);
    CHECK(table.rows[0][4].text == "3 [1, 5]");
    CHECK(table.rows[0][5].text == "2/5 (1)");
    CHECK(table.rows[1][4].text == "no run");
    CHECK(published_csv(rows).find("\"p:dim=2,function=1\",original,1,3,a paper,a,5,3,1,5,2,1\n") != std::string::npos);
}

TEST_CASE("published values: a bad file is one error naming file, line and column") {
    testing::TempDir dir;
    const fs::path file = dir.path() / "published.csv";
    const auto error_of = [&](const std::string& text) {
        write_file_atomically(file, text);
        try {
            read_published(file);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string header = "label,problem,runs,error,source\n";
    CHECK(error_of("") == file.string() + ": empty file, expected the header label,problem,runs,error,source");
    CHECK(error_of(header) == file.string() + ": no published value below the header");
    CHECK(error_of("label,problem,runs,error\n") ==
          file.string() + ": no column 'source', expected the header label,problem,runs,error,source");
    CHECK(error_of(header + "a,p,0,1,s\n") == file.string() + " line 2 column runs: '0', expected a whole number >= 1");
    CHECK(error_of(header + "a,p,1,-1,s\n") == file.string() + " line 2 column error: '-1', expected a finite number >= 0");
    CHECK(error_of(header + ",p,1,1,s\n") ==
          file.string() + " line 2 column label: '', expected a label naming who published the value");
    CHECK(error_of(header + "a,\"p:dim=2,q:x=1\",1,1,s\n").find("expected one problem spec") != std::string::npos);
}
