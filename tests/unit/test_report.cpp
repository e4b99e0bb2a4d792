// `optbench report` on the hand-made results set tests/data/report/basic (see its README).
#include <algorithm>
#include <map>
#include <regex>
#include <cmath>
#include <fstream>
#include <set>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "results/csv.hpp"
#include "base/error.hpp"
#include "report/report.hpp"
#include "report/coco.hpp"
#include "report/summary.hpp"
#include "testing.hpp"

namespace fs = std::filesystem;
using namespace optbench;
using namespace optbench::host;
using namespace optbench::host::report;

namespace {

fs::path basic_results() { return testing::source_dir() / "tests" / "data" / "report" / "basic"; }

const FinalStats& final_row(const std::vector<FinalStats>& stats, const std::string& problem,
                            const std::string& optimizer) {
    for (const FinalStats& s : stats)
        if (s.problem == problem && s.optimizer == optimizer) return s;
    FAIL("no row for " << problem << " x " << optimizer);
    throw;
}

const TargetStats& target_row(const std::vector<TargetStats>& stats, const std::string& optimizer, double target) {
    for (const TargetStats& s : stats)
        if (s.problem == "sphere:dim=2" && s.optimizer == optimizer && s.target == target) return s;
    FAIL("no target row for " << optimizer << " at " << target);
    throw;
}

// Copies the basic results into `folder`, to be changed there; the report goes to folder/report.
ReportOptions unrendered_report_of_copy(const fs::path& folder) {
    for (const char* name : {"runs.csv", "trace.csv", "stats.csv", "manifest.json"})
        fs::copy_file(basic_results() / name, folder / name);
    ReportOptions options;
    options.results = folder;
    options.out = folder / "report";
    options.render = false;
    return options;
}

bool is_png(const fs::path& file) {
    const std::string content = read_file(file);
    return content.size() > 8 && content.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

bool is_svg(const fs::path& file) {
    const std::string content = read_file(file);
    return content.find("<?xml") != std::string::npos && content.find("<svg") != std::string::npos &&
           content.find("</svg>") != std::string::npos;
}

}  // namespace

TEST_CASE("the results folder loads with instances pooled and every status kept") {
    const ResultSet results = load_results(basic_results());
    CHECK(results.runs.size() == 21);
    CHECK(results.problems == std::vector<std::string>{"sphere:dim=2", "mnist_mlp:hidden=4",
                                                       "bbob:function=1,dim=2", "rastrigin:dim=2"});
    CHECK(results.optimizers == std::vector<std::string>{"alpha", "beta", "gamma", "delta", "mdp"});
    CHECK(results.metric_names == std::vector<std::string>{"test_accuracy"});
    CHECK(results.measure("sphere:dim=2") == Measure::error);
    CHECK(results.measure("mnist_mlp:hidden=4") == Measure::best_f);
    CHECK(results.runs_of("bbob:function=1,dim=2").size() == 2);
    CHECK(results.find(0)->trace.size() == 3);
    CHECK(results.stats.at(14).at("l1_ratio_start").size() == 4);
}

TEST_CASE("loading: quoted fields and CRLF are read; bad rows are named") {
    testing::TempDir dir;
    for (const char* name : {"runs.csv", "trace.csv", "stats.csv"}) fs::copy_file(basic_results() / name, dir.path() / name);
    write_file_atomically(dir.path() / "stats.csv", "run_id,evals,key,value\r\n14,5,\"odd, key\",1.5\r\n14,6,plain,2\r\n");
    const ResultSet results = load_results(dir.path());
    CHECK(results.stats.at(14).at("odd, key")[0].value == 1.5);
    CHECK(results.stats.at(14).at("plain")[0].evals == 6);

    write_file_atomically(dir.path() / "trace.csv", "run_id,evals,cost,f,best_f,wall_s\n0,1,1,1.0,1.0,0\n0,2,two,1,1,0\n");
    CHECK_THROWS_WITH_AS(load_results(dir.path()), doctest::Contains("trace.csv line 3 column cost: 'two', expected a number"), Error);
    write_file_atomically(dir.path() / "trace.csv", "run_id,evals,cost,f,best_f,wall_s\n77,1,1,1.0,1.0,0\n");
    CHECK_THROWS_WITH_AS(load_results(dir.path()), doctest::Contains("trace.csv: run_id 77 is not in runs.csv"), Error);
    write_file_atomically(dir.path() / "trace.csv", "run_id,evals,f,best_f\n");
    CHECK_THROWS_WITH_AS(load_results(dir.path()), doctest::Contains("no column 'cost'"), Error);
    fs::remove(dir.path() / "trace.csv");
    CHECK_THROWS_WITH_AS(load_results(dir.path()), doctest::Contains("trace.csv: missing"), Error);
}

TEST_CASE("final values: order statistics, best, Mann-Whitney and Holm by hand") {
    const auto stats = final_statistics(load_results(basic_results()), 0.05);
    const FinalStats& alpha = final_row(stats, "sphere:dim=2", "alpha");
    CHECK(alpha.best);
    CHECK(alpha.value.median == doctest::Approx(0.25));
    CHECK(alpha.value.q1 == doctest::Approx(0.175));
    CHECK(alpha.value.q3 == doctest::Approx(0.325));
    CHECK(alpha.value.mean == doctest::Approx(0.25));
    CHECK(alpha.value.std == doctest::Approx(0.12909944487358058));
    CHECK(std::isnan(alpha.p_value));
    CHECK(alpha.cost.median == 100);
    CHECK(alpha.wall_s.median == doctest::Approx(0.0025));  // 0.001, 0.002, 0.004, 0.003 s

    // alpha < beta in all 16 pairs: exact p = 1/70; alpha vs gamma: U = 6, p = 24/70.
    // Holm: 1/70 x 2 = 2/70; max(2/70, 24/70 x 1) = 24/70.
    const FinalStats& beta = final_row(stats, "sphere:dim=2", "beta");
    CHECK(beta.p_value == doctest::Approx(1.0 / 70));
    CHECK(beta.p_holm == doctest::Approx(2.0 / 70));
    CHECK(beta.significantly_worse);
    const FinalStats& gamma = final_row(stats, "sphere:dim=2", "gamma");
    CHECK(gamma.p_value == doctest::Approx(24.0 / 70));
    CHECK(gamma.p_holm == doctest::Approx(24.0 / 70));
    CHECK_FALSE(gamma.significantly_worse);

    // delta's error runs are counted, not used (their partial 0.05 would otherwise be the best).
    const FinalStats& delta = final_row(stats, "sphere:dim=2", "delta");
    CHECK(delta.runs == 2);
    CHECK(delta.errors == 2);
    CHECK(delta.ok == 0);
    CHECK(delta.value.n == 0);
    CHECK(delta.wall_s.n == 0);
    CHECK_FALSE(delta.best);
    CHECK(std::isnan(delta.p_holm));

    const FinalStats& not_applicable = final_row(stats, "mnist_mlp:hidden=4", "beta");
    CHECK(not_applicable.not_applicable == 2);
    CHECK(not_applicable.value.n == 0);
    const FinalStats& mdp = final_row(stats, "mnist_mlp:hidden=4", "mdp");
    CHECK(mdp.measure == Measure::best_f);
    CHECK(mdp.value.median == doctest::Approx(0.25));
    CHECK(mdp.best);
}

TEST_CASE("targets: success, evaluations to target and aRT with unsuccessful runs") {
    const ResultSet results = load_results(basic_results());
    const auto stats = target_statistics(results, {0.5, 0.2});
    // alpha reaches 0.2 at 10 and 20; two runs spend 100 without: aRT = 230 / 2.
    const TargetStats& alpha = target_row(stats, "alpha", 0.2);
    CHECK(alpha.runs == 4);
    CHECK(alpha.successes == 2);
    CHECK(alpha.art == doctest::Approx(115));
    CHECK(alpha.evals_to_target.median == doctest::Approx(15));
    CHECK_FALSE(alpha.best);
    CHECK(target_row(stats, "alpha", 0.5).art == doctest::Approx(25));
    CHECK(target_row(stats, "beta", 0.5).art == doctest::Approx(310));  // (10 + 3 x 100) / 1
    CHECK(std::isinf(target_row(stats, "beta", 0.2).art));
    CHECK(target_row(stats, "gamma", 0.5).art == doctest::Approx(160.0 / 3));
    // delta's runs ended in error, after reaching 0.05 at cost 5: as in COCO, every trial counts,
    // and a target reached before the error is reached.
    for (double target : {0.5, 0.2}) {
        const TargetStats& delta = target_row(stats, "delta", target);
        CHECK(delta.runs == 2);
        CHECK(delta.successes == 2);
        CHECK(delta.art == doctest::Approx(5));
        CHECK(delta.best);
    }
    const auto on_mnist = target_statistics(results, {1});
    const auto not_applicable = std::find_if(on_mnist.begin(), on_mnist.end(), [](const TargetStats& s) {
        return s.problem == "mnist_mlp:hidden=4" && s.optimizer == "beta";
    });
    REQUIRE(not_applicable != on_mnist.end());
    CHECK(not_applicable->runs == 0);  // never started: not judged
    CHECK(std::isnan(not_applicable->art));

    // Default targets: COCO's table targets on the error; each optimizer's median best f
    // where the optimum is unknown.
    CHECK(targets_for(results, "sphere:dim=2", {}) == coco_table_targets());
    const auto mnist = targets_for(results, "mnist_mlp:hidden=4", {});
    REQUIRE(mnist.size() == 1);
    CHECK(mnist[0] == doctest::Approx(0.25));
}

TEST_CASE("hold-out metrics: higher accuracy is better") {
    const auto stats = metric_statistics(load_results(basic_results()), 0.05);
    REQUIRE(stats.size() == 2);  // beta (not applicable) and mdp on mnist_mlp; sphere has no accuracy
    CHECK(stats[0].optimizer == "beta");
    CHECK(stats[0].value.n == 0);
    CHECK(stats[1].optimizer == "mdp");
    CHECK(stats[1].higher_is_better);
    CHECK(stats[1].value.median == doctest::Approx(0.92));
    CHECK(stats[1].best);
}

TEST_CASE("runtime ECDF tops out at the share of (problem, target) pairs some run solved") {
    const ResultSet results = load_results(basic_results());
    const auto curves = runtime_ecdf(results, 2, 1, 100);
    REQUIRE(curves.size() == 4);  // alpha, beta, gamma, and delta, whose runs ended in error
    // Pairs: (sphere, bbob f1, rastrigin) x 51 targets. alpha reaches 0.1 on sphere (targets
    // 1e2 .. 1e-1: 16) and 1e-9 on bbob (all 51); beta reaches 0.5 on sphere (1e2 .. 10^-0.2:
    // 12); delta, before its errors, 0.05 on sphere (1e2 .. 10^-1.2: 17) and 5 on rastrigin
    // (1e2 .. 10^0.8: 7).
    CHECK(curves[0].optimizer == "alpha");
    CHECK(curves[0].steps.back().second == doctest::Approx(67.0 / 153));
    CHECK(curves[1].steps.back().second == doctest::Approx(12.0 / 153));
    CHECK(curves[3].optimizer == "delta");
    CHECK(curves[3].steps.back().second == doctest::Approx(24.0 / 153));
    for (const auto& curve : curves)
        for (std::size_t i = 1; i < curve.steps.size(); ++i) CHECK(curve.steps[i].second >= curve.steps[i - 1].second);
    CHECK(ecdf_targets().size() == 51);
}

TEST_CASE("targets that look alike at 4 digits get columns of their own") {
    std::vector<TargetStats> stats;
    for (double target : {0.123462, 0.123456})
        for (const char* optimizer : {"alpha", "beta"}) {
            TargetStats s;
            s.problem = "p";
            s.optimizer = optimizer;
            s.measure = Measure::best_f;
            s.target = target;
            s.runs = 1;
            stats.push_back(s);
        }
    const auto tables = target_tables(stats);
    REQUIRE(tables.size() == 1);
    CHECK(tables[0].header == std::vector<std::string>{"optimizer", "best f ≤ 0.123462", "best f ≤ 0.123456"});
    for (const auto& row : tables[0].rows) CHECK(row.size() == 3);
    CHECK(format_number(0.123456) == "0.1235");
}

TEST_CASE("tables render as Markdown, booktabs LaTeX and CSV") {
    const auto stats = final_statistics(load_results(basic_results()), 0.05);
    const Table table = final_table(stats, 0.05);
    const std::string md = to_markdown(table);
    CHECK(md.find("| sphere:dim=2 | alpha | 4 | 4 | 0 | 0 | error | **0.25** | 0.15 |") != std::string::npos);
    CHECK(md.find("| sphere:dim=2 | beta | 4 | 4 | 0 | 0 | error | 0.65 |") != std::string::npos);
    CHECK(md.find("0.029 *") != std::string::npos);
    CHECK(md.find("| sphere:dim=2 | delta | 2 | 0 | 2 | 0 | error | - |") != std::string::npos);
    const std::string tex = to_latex(table);
    for (const char* piece : {"\\toprule", "\\midrule", "\\bottomrule", "\\textbf{0.25}", "mnist\\_mlp:hidden=4"})
        CHECK_MESSAGE(tex.find(piece) != std::string::npos, piece);
    const CsvTable csv = parse_csv(final_csv(stats));
    CHECK(csv[0][0] == "problem");
    CHECK(csv[1][1] == "alpha");
    CHECK(std::stod(csv[1][8]) == doctest::Approx(0.25));  // median
    CHECK(format_number(1.23456e-5) == "1.235e-5");
    CHECK(format_number(2000) == "2000");
}

TEST_CASE("the final table says which optimizers add a penalty of their own to the objective") {
    testing::TempDir dir;
    const ReportOptions options = unrendered_report_of_copy(dir.path());
    CHECK(own_penalty_note(load_results(dir.path())).empty());
    // gamma reports two coefficients over its runs, beta reports 0: no penalty.
    write_file_atomically(dir.path() / "stats.csv", read_file(dir.path() / "stats.csv") +
                                                        "8,0,own_penalty,0.0001\n9,0,own_penalty,0.0001\n"
                                                        "10,0,own_penalty,0.5\n4,0,own_penalty,0\n");
    const std::string expected =
        "**Another objective:** `gamma` adds a penalty of its own to the problem's objective (own_penalty "
        "0.0001, 0.5), so it minimises another function than the problem's; its values above are the "
        "problem's objective at its points.";
    CHECK(own_penalty_note(load_results(dir.path())) == "\n\n" + expected);
    const ReportOutput output = write_report(options);
    CHECK(output.final_markdown.find("\n\n" + expected + "\n") != std::string::npos);
    CHECK(output.final_markdown.find("Another objective") == output.final_markdown.rfind("Another objective"));
    CHECK(read_file(options.out / "tables" / "final.md") == output.final_markdown);
    CHECK(read_file(options.out / "tables" / "final.tex").find("Another objective: `gamma` adds a penalty") !=
          std::string::npos);
    CHECK(read_file(options.out / "report.md").find(expected) != std::string::npos);
    CHECK(read_file(options.out / "index.html").find("<strong>Another objective:</strong> <code>gamma</code> adds") !=
          std::string::npos);
}

TEST_CASE("optbench run's summary says which runs failed") {
    const std::string md = summary_markdown(basic_results());
    CHECK(md.find("**0.25**") != std::string::npos);
    CHECK(md.find("| sphere:dim=2 | delta | error | 2 | optimizer 'delta' threw: std::bad_alloc |") != std::string::npos);
    CHECK(md.find("| mnist_mlp:hidden=4 | beta | not_applicable | 2 |") != std::string::npos);
    CHECK(md.find("test_accuracy") != std::string::npos);
}

TEST_CASE("the full report: tables, valid PNG and SVG plots, COCO export, error rows reported") {
    testing::TempDir dir;
    ReportOptions options;
    options.results = basic_results();
    options.out = dir.path() / "report";
    options.targets = {0.5, 0.2};
    const ReportOutput out = write_report(options);
    CHECK(out.runs == 21);
    CHECK(out.errors == 3);
    CHECK(out.not_applicable == 2);
    for (const char* table : {"final", "targets", "metrics", "status"})
        for (const char* extension : {".md", ".tex", ".csv"}) {
            const fs::path file = options.out / "tables" / (std::string(table) + extension);
            CHECK_MESSAGE(fs::file_size(file) > 0, file);
        }
    const std::string md = read_file(options.out / "report.md");
    CHECK(md.find("3 runs ended with status error and 2 with not_applicable") != std::string::npos);
    CHECK(md.find("## Runs that did not finish ok") != std::string::npos);
    CHECK(md.find("beta needs a problem with known bounds") != std::string::npos);

    std::vector<std::string> names;
    for (const Plot& p : out.plots) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"convergence_sphere_dim_2", "convergence_mnist_mlp_hidden_4",
                                            "convergence_bbob_function_1_dim_2", "convergence_rastrigin_dim_2",
                                            "ecdf_dim2", "mdp_run14", "fixed_budget_ecdf_dim2", "data_profiles",
                                            "performance_profiles"});
    REQUIRE(out.rendered);  // gnuplot is a build requirement of the report (Debian: gnuplot-nox)
    for (const std::string& name : names) {
        const fs::path stem = options.out / "plots" / name;
        CHECK_MESSAGE(is_png(fs::path(stem).concat(".png")), name);
        CHECK_MESSAGE(is_svg(fs::path(stem).concat(".svg")), name);
        CHECK_MESSAGE(fs::file_size(fs::path(stem).concat(".gp")) > 0, name);
        CHECK_MESSAGE(fs::file_size(fs::path(stem).concat(".dat")) > 0, name);
    }
    CHECK(read_file(options.out / "plots" / "mdp_run14.dat").find("L1 ratio from the baseline point") != std::string::npos);

    // COCO bbob-new2: one .info block for f1 in 2-D with both instances, their .dat runs.
    REQUIRE(out.coco_folders.size() == 1);
    const fs::path coco = out.coco_folders[0];
    CHECK(coco.filename() == "alpha");
    const std::string info = read_file(coco / "bbobexp_f1.info");
    CHECK(info.rfind("suite = 'bbob', funcId = 1, DIM = 2, Precision = 1.000e-08, algId = 'alpha', ", 0) == 0);
    CHECK(info.find("data_format = 'bbob-new2'") != std::string::npos);
    CHECK(info.find("data_f1/bbobexp_f1_DIM2.dat, 1:100|1.0e-09, 2:100|1.0e+00\n") != std::string::npos);
    const std::string dat = read_file(coco / "data_f1" / "bbobexp_f1_DIM2.dat");
    CHECK(dat.find("% f evaluations | g evaluations | best noise-free fitness - Fopt (7.948000000000e+01)") == 0);
    CHECK(dat.find("\n1 0 +2.052000000e+01 +1.000000000e+02 +1.000000000e+02\n") != std::string::npos);
    CHECK(dat.find("\n100 0 ") != std::string::npos);  // the last evaluation closes each run
    CHECK(fs::file_size(coco / "data_f1" / "bbobexp_f1_DIM2.tdat") > 0);
}

TEST_CASE("counts, costs and durations must be finite numbers >= 0; ok runs need a dimension") {
    testing::TempDir dir;
    const ReportOptions options = unrendered_report_of_copy(dir.path());
    const std::string runs = read_file(basic_results() / "runs.csv");
    const std::string trace = read_file(basic_results() / "trace.csv");
    const auto refused = [&](const char* file, const std::string& text, const std::string& message) {
        write_file_atomically(dir.path() / file, text);
        CHECK_THROWS_WITH_AS(load_results(dir.path()), message.c_str(), Error);
        write_file_atomically(dir.path() / "runs.csv", runs);
        write_file_atomically(dir.path() / "trace.csv", trace);
    };
    const auto replaced = [](std::string text, const std::string& from, const std::string& to) {
        return text.replace(text.find(from), from.size(), to);
    };
    const std::string runs_csv = (dir.path() / "runs.csv").string(), trace_csv = (dir.path() / "trace.csv").string();
    refused("runs.csv", replaced(runs, ",100,100,0,100,0.1,", ",100,100,0,inf,0.1,"),
            runs_csv + " line 2 column cost: 'inf', expected a finite number >= 0");
    refused("runs.csv", replaced(runs, "0.1,0.0,0.1,0,,ok,budget,,0.001000", "0.1,0.0,0.1,0,,ok,budget,,"),
            runs_csv + " line 2 column wall_s: '', expected a finite number >= 0");
    refused("runs.csv", replaced(runs, "0,alpha,,sphere,dim=2,1,2,", "0,alpha,,sphere,dim=2,1,0,"),
            runs_csv + " line 2: dim 0 in a run with status ok, expected at least 1");
    refused("trace.csv", replaced(trace, "\n18,5,5,", "\n18,5,nan,"),
            trace_csv + " line " + std::to_string(1 + std::count(trace.begin(), trace.begin() + trace.find("\n18,5,5,") + 1, '\n')) +
                " column cost: 'nan', expected a finite number >= 0");
    CHECK_NOTHROW(write_report(options));
}

TEST_CASE("the COCO export logs from a run's first finite value") {
    testing::TempDir dir;
    const ReportOptions options = unrendered_report_of_copy(dir.path());
    // Run 18 (bbob f1) evaluates a non-finite point first: nothing to log until its second row.
    std::string trace = read_file(basic_results() / "trace.csv");
    const std::string first = "\n18,1,1,100.0,100.0,";
    write_file_atomically(dir.path() / "trace.csv", trace.replace(trace.find(first), first.size(), "\n18,1,1,inf,inf,"));
    const ReportOutput out = write_report(options);
    REQUIRE(out.coco_folders.size() == 1);
    for (const char* file : {"bbobexp_f1_DIM2.dat", "bbobexp_f1_DIM2.tdat"}) {
        const std::string data = read_file(out.coco_folders[0] / "data_f1" / file);
        CAPTURE(file);
        CHECK(data.find("inf") == std::string::npos);
        std::size_t first_evaluations = 0;  // run 19 logs its first evaluation, run 18 does not
        for (std::size_t at = data.find("\n1 0 "); at != std::string::npos; at = data.find("\n1 0 ", at + 1))
            ++first_evaluations;
        CHECK(first_evaluations == 1);
        CHECK(data.find("\n5 0 +1.000000000e+00") != std::string::npos);  // run 18: 80.48 - 79.48
    }
}

TEST_CASE("the COCO export holds runs that ended in error with what they logged, as the runtimes count them") {
    testing::TempDir dir;
    const ReportOptions options = unrendered_report_of_copy(dir.path());
    std::string runs = read_file(basic_results() / "runs.csv");
    const std::string run_19_end = "-9.0,-10.0,1.0,0,,ok,budget,,0.001000";
    write_file_atomically(dir.path() / "runs.csv",
                          runs.replace(runs.find(run_19_end), run_19_end.size(), "-9.0,-10.0,1.0,0,,error,timeout,,0.001000"));
    const ReportOutput out = write_report(options);
    REQUIRE(out.coco_folders.size() == 1);
    CHECK(read_file(out.coco_folders[0] / "bbobexp_f1.info").find(", 1:100|1.0e-09, 2:100|1.0e+00\n") != std::string::npos);
}

TEST_CASE("optbench report on the command line, and its errors") {
    testing::TempDir dir;
    std::string output;
    const std::string exe = testing::optbench_exe();
    REQUIRE(testing::shell(exe + " report " + basic_results().string() + " --out " + (dir.path() / "r").string() +
                               " --targets 0.5,0.2 --figure-run 15",
                           &output) == 0);
    CHECK(output.find("**0.25**") != std::string::npos);
    CHECK(output.find("3 runs with status error and 2 not_applicable") != std::string::npos);
    CHECK(fs::exists(dir.path() / "r" / "plots" / "mdp_run15.png"));

    CHECK(testing::shell(exe + " report " + (dir.path() / "missing").string(), &output) == 2);
    CHECK(output.find("does not exist") != std::string::npos);
    CHECK(testing::shell(exe + " report " + basic_results().string() + " --out " + (dir.path() / "r").string() +
                             " --targets 1e-3,abc",
                         &output) == 2);
    CHECK(output.find("--targets: 'abc' is not a finite number") != std::string::npos);
    CHECK(testing::shell(exe + " report " + basic_results().string() + " --out " + (dir.path() / "r").string() +
                             " --figure-run 99",
                         &output) == 2);
    CHECK(output.find("--figure-run 99: no run with this run_id") != std::string::npos);
    CHECK(testing::shell(exe + " report " + basic_results().string() + " --out " + (dir.path() / "r").string() +
                             " --figure-run 16",
                         &output) == 2);
    CHECK(output.find("--figure-run 16: the run has no trace to draw (status not_applicable)") != std::string::npos);
    CHECK(testing::shell(exe + " report " + basic_results().string() + " --out " + (dir.path() / "r").string() +
                             " --figure-run 0",
                         &output) == 2);
    CHECK(output.find("--figure-run 0: its optimizer 'alpha' declares no stats for a figure") != std::string::npos);
    CHECK_THROWS_AS(parse_targets(""), Error);
}

TEST_CASE("the report says when the runs come from more than one build") {
    testing::TempDir dir;
    const ReportOptions options = unrendered_report_of_copy(dir.path());
    write_report(options);
    CHECK(read_file(options.out / "report.md").find("Mixed builds") == std::string::npos);

    write_file_atomically(dir.path() / "provenance.csv",
                          "run_id,git_commit,build_fingerprint,optimizer_library,optimizer_version,"
                          "problem_library,problem_version\n"
                          "0,aaaa,gcc 12,alpha,1.0.0,synthetic,1.2.0\n"
                          "1,bbbb,gcc 12,alpha,1.0.0,synthetic,1.2.0\n");
    write_report(options);
    CHECK(read_file(options.out / "report.md")
              .find("> **Mixed builds:** host builds aaaa (gcc 12), bbbb (gcc 12). provenance.csv names the build "
                    "of each run.") != std::string::npos);
}

TEST_CASE("log axes draw errors of exactly 0 and subnormal errors at a floor gnuplot accepts") {
    testing::TempDir dir;
    for (const char* name : {"runs.csv", "stats.csv", "manifest.json"})
        fs::copy_file(basic_results() / name, dir.path() / name);
    std::string trace = read_file(basic_results() / "trace.csv");
    // Runs 0-3 (alpha on sphere, f_opt 0) go down to 1e-6, a subnormal error, then exactly 0.
    for (int run = 0; run < 4; ++run)
        trace += fmt::format("{0},50,50,1e-6,1e-6,0.0001\n"
                             "{0},55,55,4.9406564584124654e-324,4.9406564584124654e-324,0.0001\n"
                             "{0},60,60,0,0,0.0001\n",
                             run);
    write_file_atomically(dir.path() / "trace.csv", trace);
    ReportOptions options;
    options.results = dir.path();
    options.out = dir.path() / "report";
    const ReportOutput out = write_report(options);
    REQUIRE(out.rendered);
    CHECK(is_png(options.out / "plots" / "convergence_sphere_dim_2.png"));
    CHECK(read_file(options.out / "plots" / "convergence_sphere_dim_2.gp").find("values below 1e-300 drawn at") !=
          std::string::npos);
}

TEST_CASE("convergence plots name their statistic: median and IQR over several runs, or the run itself") {
    testing::TempDir dir;
    const ReportOptions options = unrendered_report_of_copy(dir.path());
    const fs::path sphere_plot = options.out / "plots" / "convergence_sphere_dim_2.gp";
    write_report(options);
    CHECK(read_file(sphere_plot).find("median (line) and interquartile range (band) over 4 runs per optimizer") !=
          std::string::npos);
    // rastrigin's only run ended in error: still one of the ECDF's problems, as in its curves.
    CHECK(read_file(options.out / "plots" / "ecdf_dim2.gp").find("dimension 2: 3 problems x 51 targets") !=
          std::string::npos);

    const CsvTable runs = read_csv(basic_results() / "runs.csv");
    const auto column = [&](const char* name) {
        return std::find(runs[0].begin(), runs[0].end(), name) - runs[0].begin();
    };
    const auto keep_runs = [&](auto keep) {
        std::set<std::string> kept_ids;
        for (std::size_t i = 1; i < runs.size(); ++i)
            if (keep(runs[i][column("optimizer")], runs[i][column("rep")])) kept_ids.insert(runs[i][0]);
        for (const char* name : {"runs.csv", "trace.csv", "stats.csv"}) {
            const CsvTable table = read_csv(basic_results() / name);
            std::string kept = csv_line(table[0]);
            for (std::size_t i = 1; i < table.size(); ++i)
                if (kept_ids.count(table[i][0])) kept += csv_line(table[i]);
            write_file_atomically(dir.path() / name, kept);
        }
        write_report(options);
        return read_file(sphere_plot);
    };

    // Only the first repetition of every pair: one run per optimizer, no median to speak of.
    const std::string one_each = keep_runs([](const std::string&, const std::string& rep) { return rep == "1"; });
    CHECK(one_each.find("Convergence on sphere:dim=2: one run per optimizer\"") != std::string::npos);
    CHECK(one_each.find("title \"alpha\"") != std::string::npos);

    // Different counts (an unfinished campaign): the key gives each optimizer's.
    const std::string uneven = keep_runs([](const std::string& optimizer, const std::string& rep) {
        return rep == "1" || (optimizer == "alpha" && rep == "2");
    });
    CHECK(uneven.find("interquartile range (band) over each optimizer's runs\"") != std::string::npos);
    CHECK(uneven.find("title \"alpha (2 runs)\"") != std::string::npos);
    CHECK(uneven.find("title \"beta (1 run)\"") != std::string::npos);
}

TEST_CASE("a campaign that has not finished: the report names the planned runs runs.csv lacks") {
    testing::TempDir dir;
    for (const char* name : {"runs.csv", "trace.csv", "stats.csv", "manifest.json"})
        fs::copy_file(basic_results() / name, dir.path() / name);
    fs::create_directories(dir.path() / "parts");
    // The plan: every run of runs.csv, and three more that never ran.
    std::string plan = "run_id,optimizer,optimizer_params,problem,problem_params,instance,dim,rep,seed\n";
    const CsvTable runs = read_csv(basic_results() / "runs.csv");
    for (std::size_t i = 1; i < runs.size(); ++i)
        plan += csv_line({runs[i].begin(), runs[i].begin() + 9});
    plan += "100,alpha,,sphere,dim=2,1,2,6,7\n"
            "101,alpha,,sphere,dim=2,1,2,7,8\n"
            "102,gamma,step=2,rastrigin,dim=2,1,2,1,9\n";
    write_file_atomically(dir.path() / "parts" / "plan.csv", plan);
    ReportOptions options;
    options.results = dir.path();
    options.out = dir.path() / "report";
    options.render = false;
    write_report(options);
    const std::string md = read_file(options.out / "report.md");
    CHECK(md.find("**Incomplete:** 21 of the campaign's 24 planned runs are done") != std::string::npos);
    CHECK(md.find("| sphere:dim=2 | alpha | 2 | 6, 7 |") != std::string::npos);
    CHECK(md.find("| rastrigin:dim=2 | gamma:step=2 | 1 | 1 |") != std::string::npos);

    // The plan fully done: no note, no section.
    write_file_atomically(dir.path() / "parts" / "plan.csv", plan.substr(0, plan.find("100,")));
    write_report(options);
    CHECK(read_file(options.out / "report.md").find("Incomplete") == std::string::npos);

    write_file_atomically(dir.path() / "parts" / "plan.csv", plan + "x,alpha,,sphere,dim=2,1,2,8,9\n");
    CHECK_THROWS_WITH_AS(write_report(options), doctest::Contains("plan.csv line 26 column run_id: 'x', expected a whole number"), Error);
    write_file_atomically(dir.path() / "parts" / "plan.csv", plan + "103,alpha,,sphere,dim=2,1,2.5,1,9\n");
    CHECK_THROWS_WITH_AS(write_report(options), doctest::Contains("plan.csv line 26 column dim: '2.5', expected a whole number"), Error);
}

TEST_CASE("an optimizer keeps its colour and dash pattern in every plot, and no two share both") {
    testing::TempDir dir;
    const ReportOptions options = unrendered_report_of_copy(dir.path());
    write_report(options);
    // optimizer -> the colour and dash of its curves, from every plot that has it in its key.
    std::map<std::string, std::set<std::string>> looks;
    const std::regex curve("lc rgb \"(#[0-9A-F]{6})\" dt ([0-9]+)(?: pt [0-9]+ pi -40)? title \"([^\"(]+?)( \\([0-9]+ runs?\\))?\"");
    for (const fs::directory_entry& file : fs::directory_iterator(options.out / "plots")) {
        if (file.path().extension() != ".gp") continue;
        const std::string name = file.path().filename().string();
        if (!name.starts_with("convergence_") && !name.starts_with("ecdf_")) continue;
        const std::string text = read_file(file.path());
        for (auto m = std::sregex_iterator(text.begin(), text.end(), curve); m != std::sregex_iterator(); ++m)
            looks[(*m)[3]].insert((*m)[1].str() + " dt " + (*m)[2].str());
    }
    REQUIRE(looks.size() >= 2);
    std::set<std::string> seen;
    for (const auto& [optimizer, styles] : looks) {
        CAPTURE(optimizer);
        CHECK(styles.size() == 1);
        CHECK(seen.insert(*styles.begin()).second);
    }
}
