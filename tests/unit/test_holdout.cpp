// Hold-out metrics along the run (holdout.csv) and the validation-selected results of runs.csv,
// on holdout_curve: f(x) = x on [0, 10], val_loss = |x - 2|, test_loss = |x - 3|,
// val_accuracy = 100 - 10 |x - 2|, selected by val_loss. Every expected value is worked out
// by hand from the points evaluated.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "campaign/campaign.hpp"
#include "core/objective.hpp"
#include "optbench/sdk/objective.hpp"
#include "report/comparison.hpp"
#include "report/data.hpp"
#include "report/report.hpp"
#include "results/csv.hpp"
#include "results/manifest.hpp"
#include "results/store.hpp"
#include "testing.hpp"

using namespace optbench;
namespace fs = std::filesystem;

namespace {

host::ProblemInstance holdout_curve(sdk::Params::Given params = {}) {
    return host::ProblemInstance(testing::registry().find(abi::EntryKind::problem, "holdout_curve"), params);
}

host::ObjectiveSettings per_decade(int n, double budget = 100) {
    host::ObjectiveSettings s;
    s.budget = budget;
    s.holdout_per_decade = n;
    return s;
}

// evals -> key -> value
using Checkpoints = std::map<double, std::map<std::string, double>>;
Checkpoints checkpoints(const std::vector<host::HoldoutRow>& rows) {
    Checkpoints out;
    for (const host::HoldoutRow& h : rows) {
        CHECK(out[h.evals].count(h.key) == 0);
        out[h.evals][h.key] = h.value;
    }
    return out;
}

std::map<std::string, double> metrics_of(const host::RunResult& r) {
    return {r.metrics.begin(), r.metrics.end()};
}

// Test-only plugins are found through the path.
int optbench_cli(const std::string& args, std::string* output = nullptr) {
    return testing::shell("OPTBENCH_PLUGIN_PATH=" + testing::test_plugin_dir().string() + " " +
                              testing::optbench_exe() + " " + args,
                          output);
}

}  // namespace

TEST_CASE("hold-out metrics of the best-so-far point at floor(10^(k/10)) evaluations and at the end") {
    auto problem = holdout_curve();
    host::Objective host_side(problem, per_decade(10));
    sdk::Objective objective(host_side.view());
    // x = 10, 9, ..., 0: every evaluation improves; after k of them the best point is 11 - k.
    for (int x = 10; x >= 0; --x) objective.evaluate(std::vector<double>{double(x)});
    host_side.finish();
    const auto final_metrics = host_side.final_holdout();
    const Checkpoints rows = checkpoints(host_side.holdout());
    std::vector<double> counts;
    for (const auto& [evals, metrics] : rows) counts.push_back(evals);
    // floor(10^(k/10)) for k = 0..10 is 1, 1, 1, 1, 2, 3, 3, 5, 6, 7, 10; then the end, 11.
    CHECK(counts == std::vector<double>{1, 2, 3, 5, 6, 7, 10, 11});
    for (const auto& [evals, metrics] : rows) {
        CAPTURE(evals);
        const double best = 11 - evals;
        CHECK(metrics.at("val_loss") == std::abs(best - 2));
        CHECK(metrics.at("test_loss") == std::abs(best - 3));
        CHECK(metrics.at("val_accuracy") == 100 - 10 * std::abs(best - 2));
    }
    CHECK(final_metrics ==
          std::vector<std::pair<std::string, double>>{{"val_loss", 2}, {"test_loss", 3}, {"val_accuracy", 80}});
    for (const host::HoldoutRow& h : host_side.holdout()) CHECK(h.cost == h.evals);

    // The validation loss is lowest (1) at 10 evaluations, where the best point was 1.
    const host::MetricDeclaration val_loss{"val_loss", "", false};
    const auto selected = host::selected_metrics(host_side.holdout(), val_loss);
    CHECK(selected == std::vector<std::pair<std::string, double>>{
                          {"selected_val_loss", 1}, {"selected_test_loss", 2}, {"selected_val_accuracy", 90},
                          {"selected_evals", 10}});
    // Selected by the validation accuracy (higher is better) instead: the same checkpoint.
    const auto by_accuracy = host::selected_metrics(host_side.holdout(), {"val_accuracy", "", true});
    CHECK(by_accuracy.back() == std::pair<std::string, double>{"selected_evals", 10});
    CHECK(host::selected_metrics(host_side.holdout(), {"no_such_metric", "", false}).empty());
}

TEST_CASE("hold-out spacing: N per decade, or only at the end") {
    const auto counts_with = [](int n) {
        auto problem = holdout_curve();
        host::Objective host_side(problem, per_decade(n, 150));
        sdk::Objective objective(host_side.view());
        for (int i = 0; i < 150; ++i) objective.evaluate(std::vector<double>{10 - i / 15.0});
        host_side.finish();
        host_side.final_holdout();
        std::vector<double> counts;
        for (const auto& [evals, metrics] : checkpoints(host_side.holdout())) counts.push_back(evals);
        return counts;
    };
    CHECK(counts_with(0) == std::vector<double>{150});
    CHECK(counts_with(1) == std::vector<double>{1, 10, 100, 150});
    // floor(10^(k/3)): 1, 2, 4, 10, 21, 46, 100.
    CHECK(counts_with(3) == std::vector<double>{1, 2, 4, 10, 21, 46, 100, 150});

    // A problem without hold-out metrics gets no rows.
    auto sphere = host::ProblemInstance(testing::registry().find(abi::EntryKind::problem, "sphere"), {{"dim", "2"}});
    host::Objective host_side(sphere, per_decade(10));
    sdk::Objective objective(host_side.view());
    for (int i = 0; i < 20; ++i) objective.evaluate(std::vector<double>{1.0 * i, 0});
    host_side.finish();
    CHECK(host_side.final_holdout().empty());
    CHECK(host_side.holdout().empty());
}

TEST_CASE("hold-out metrics follow the best point of sparse moves and a scored recommendation") {
    auto problem = holdout_curve();
    host::Objective host_side(problem, per_decade(10));
    sdk::Objective objective(host_side.view());
    const std::vector<std::size_t> first = {0};
    objective.set_base(std::vector<double>{10});       // 1: best 10
    objective.try_move(first, std::vector<double>{4});  // 2: best 4 (base + move, not accepted)
    objective.try_move(first, std::vector<double>{6});  // 3: best still 4
    objective.accept();                                 // the base is now 6
    objective.try_move(first, std::vector<double>{5});  // 4: no improvement
    objective.try_move(first, std::vector<double>{1});  // 5: best 1
    objective.recommend(std::vector<double>{2});        // free, and worse than the best, 1
    objective.recommend(std::vector<double>{0.5});      // free: best 0.5
    host_side.finish();
    host_side.final_holdout();
    const Checkpoints rows = checkpoints(host_side.holdout());
    REQUIRE(rows.size() == 4);  // 1, 2, 3, 5; the end (5) replaces the row of the same count
    CHECK(rows.at(1).at("val_loss") == 8);
    CHECK(rows.at(2).at("val_loss") == 2);
    CHECK(rows.at(3).at("val_loss") == 2);
    CHECK(rows.at(5).at("val_loss") == 1.5);
    CHECK(host_side.best_f() == 0.5);
}

TEST_CASE("ties go to the earliest checkpoint; NaN never selects") {
    const double nan = std::nan("");
    const std::vector<host::HoldoutRow> rows = {
        {1, 1, "val_loss", 3}, {1, 1, "test_loss", 30},  {4, 8, "val_loss", 1},   {4, 8, "test_loss", 10},
        {6, 12, "val_loss", nan}, {6, 12, "test_loss", 0}, {9, 18, "val_loss", 1}, {9, 18, "test_loss", 5}};
    CHECK(host::selected_metrics(rows, {"val_loss", "", false}) ==
          std::vector<std::pair<std::string, double>>{
              {"selected_val_loss", 1}, {"selected_test_loss", 10}, {"selected_evals", 4}});
    CHECK(host::selected_metrics(rows, {"val_loss", "", true}).back() ==
          std::pair<std::string, double>{"selected_evals", 1});
}

TEST_CASE("a run records its hold-out rows and its validation-selected columns") {
    host::RunSettings settings;
    const host::RunResult r = testing::run("random_search", "holdout_curve", 200, 3, settings);
    REQUIRE(r.status == host::RunStatus::ok);
    const Checkpoints rows = checkpoints(r.holdout);
    std::vector<double> counts;
    for (const auto& [evals, metrics] : rows) counts.push_back(evals);
    CHECK(counts == std::vector<double>{1, 2, 3, 5, 6, 7, 10, 12, 15, 19, 25, 31, 39, 50, 63, 79, 100, 125, 158, 199, 200});
    // The best point is the best value (f(x) = x): each checkpoint agrees with the trace.
    for (const auto& [evals, metrics] : rows) {
        CAPTURE(evals);
        double best = 0;
        for (const host::TraceRow& t : r.trace)
            if (t.evals <= evals) best = t.best_f;
        CHECK(metrics.at("val_loss") == std::abs(best - 2));
    }
    // Final values, and those of the checkpoint with the lowest validation loss (the earliest).
    const auto metrics = metrics_of(r);
    CHECK(metrics.at("val_loss") == std::abs(r.best_f - 2));
    double lowest = INFINITY, at = 0;
    for (const auto& [evals, values] : rows)
        if (values.at("val_loss") < lowest) lowest = values.at("val_loss"), at = evals;
    CHECK(metrics.at("selected_evals") == at);
    CHECK(metrics.at("selected_val_loss") == lowest);
    CHECK(metrics.at("selected_test_loss") == rows.at(at).at("test_loss"));
    CHECK(metrics.at("selected_val_accuracy") == rows.at(at).at("val_accuracy"));
    CHECK(metrics.size() == 7);

    settings.holdout_per_decade = 0;
    const host::RunResult at_end = testing::run("random_search", "holdout_curve", 200, 3, settings);
    CHECK(checkpoints(at_end.holdout).size() == 1);
    CHECK(metrics_of(at_end).at("selected_evals") == 200);
    CHECK(metrics_of(at_end).at("val_loss") == metrics.at("val_loss"));  // the same run otherwise

    // Problems that select nothing get no selected columns.
    const host::RunResult plain = testing::run("random_search", "metrics:names=accuracy:loss", 20);
    CHECK(plain.metrics.size() == 2);
    CHECK(checkpoints(plain.holdout).size() == 11);  // 1, 2, 3, 5, 6, 7, 10, 12, 15, 19 and 20
}

TEST_CASE("a problem failing in its hold-out metrics mid-run makes the run an error row") {
    const host::RunResult r = testing::run("random_search", "holdout_curve:fail_after=2", 100);
    CHECK(r.status == host::RunStatus::error);
    CHECK(r.message == "problem 'holdout_curve' failed to compute hold-out metrics: deliberate hold-out failure");
    CHECK(r.metrics.empty());
    // The hold-out metrics are computed only when the best point changed: the second time at
    // some checkpoint after the first, after which the run stopped at its next call.
    const Checkpoints rows = checkpoints(r.holdout);
    CHECK(rows.size() >= 1);
    CHECK(rows.rbegin()->first < r.evals);
    const std::vector<double> schedule = {1, 2, 3, 5, 6, 7, 10, 12, 15, 19, 25, 31, 39, 50, 63, 79, 100};
    CHECK(std::find(schedule.begin(), schedule.end(), r.evals) != schedule.end());
    CHECK(r.evals < 100);
}

TEST_CASE("holdout.csv and the selected columns through campaign, resume, shards and merge") {
    testing::TempDir dir;
    const fs::path d = dir.path();
    const std::string run = "run --optimizers random_search,random_search:box=2 --problems holdout_curve,sphere:dim=2 "
                            "--seeds 2 --budget 300";
    REQUIRE(optbench_cli(run + " --out " + (d / "whole").string()) == 0);
    const host::CsvTable holdout = host::read_csv(d / "whole" / "holdout.csv");
    REQUIRE(!holdout.empty());
    CHECK(holdout[0] == host::holdout_columns());
    std::set<std::string> run_ids;
    for (std::size_t i = 1; i < holdout.size(); ++i) run_ids.insert(holdout[i][0]);
    CHECK(run_ids == std::set<std::string>{"0", "1", "2", "3"});  // holdout_curve's runs; sphere has none
    const host::RunTable runs = host::read_runs(d / "whole" / "runs.csv");
    CHECK(runs.metric_names == std::vector<std::string>{"selected_evals", "selected_test_loss", "selected_val_accuracy",
                                                        "selected_val_loss", "test_loss", "val_accuracy", "val_loss"});
    const host::Manifest manifest = host::read_manifest(d / "whole" / "manifest.json");
    CHECK(manifest.holdout_every == 10);
    CHECK(manifest.declarations.problem("holdout_curve").selection_metric == "val_loss");

    // The default spacing named explicitly is the same campaign; another spacing is not.
    std::string output;
    REQUIRE(optbench_cli(run + " --holdout-every 10 --out " + (d / "whole").string(), &output) == 0);
    CHECK(output.find("8 runs (8 already done)") != std::string::npos);
    CHECK(optbench_cli(run + " --holdout-every 3 --out " + (d / "whole").string(), &output) != 0);
    CHECK(output.find("holds results of a different campaign") != std::string::npos);
    CHECK(optbench_cli(run + " --holdout-every 1001 --out " + (d / "big").string(), &output) != 0);
    CHECK(output.find("--holdout-every 1001: expected at most 1000 per decade") != std::string::npos);
    // In a campaign file too.
    host::write_file_atomically(d / "campaign.txt", "optimizers = random_search\nproblems = holdout_curve\n"
                                                    "budget = 300\nholdout-every = 1\n");
    REQUIRE(optbench_cli("run --campaign " + (d / "campaign.txt").string() + " --out " + (d / "file").string()) == 0);
    CHECK(host::read_manifest(d / "file" / "manifest.json").holdout_every == 1);
    std::set<std::string> counts;
    for (const auto& row : host::read_csv(d / "file" / "holdout.csv")) counts.insert(row[1]);
    CHECK(counts == std::set<std::string>{"evals", "1", "10", "100", "300"});

    // Shards merged, and a damaged or missing hold-out part run again: the same holdout.csv.
    std::string shards;
    for (int k = 0; k < 2; ++k) {
        const fs::path shard = d / fmt::format("shard{}", k);
        REQUIRE(optbench_cli(run + fmt::format(" --shard {}/2 --out ", k) + shard.string()) == 0);
        shards += fmt::format(" {}", shard.string());
    }
    REQUIRE(optbench_cli("merge --out " + (d / "merged").string() + shards) == 0);
    CHECK(host::read_csv(d / "merged" / "holdout.csv") == holdout);
    const auto part = [&](int run_id) { return d / "merged" / "parts" / fmt::format("run-{:06d}.holdout.csv", run_id); };
    const std::string text = host::read_file(part(1));
    host::write_file_atomically(part(1), text.substr(0, text.size() - 2));
    fs::remove(part(2));
    REQUIRE(optbench_cli(run + " --out " + (d / "merged").string(), &output) == 0);
    CHECK(output.find("run-000001.holdout.csv: ") != std::string::npos);
    CHECK(output.find("run-000002.holdout.csv: 0 lines, 0 bytes, but") != std::string::npos);
    CHECK(output.find("8 runs (6 already done)") != std::string::npos);
    CHECK(host::read_csv(d / "merged" / "holdout.csv") == holdout);

    // A clone of the published files (no parts/) keeps its hold-out rows.
    fs::create_directories(d / "clone");
    for (const char* file : {"runs.csv", "trace.csv", "stats.csv", "provenance.csv", "holdout.csv", "manifest.json"})
        fs::copy_file(d / "shard0" / file, d / "clone" / file);
    REQUIRE(optbench_cli(run + " --keep-published --out " + (d / "clone").string(), &output) == 0);
    CHECK(output.find("kept 4 published runs") != std::string::npos);
    CHECK(host::read_csv(d / "clone" / "holdout.csv") == holdout);
    host::write_file_atomically(d / "clone" / "holdout.csv",
                                host::read_file(d / "clone" / "holdout.csv") + "99,1,1,val_loss,1\n");
    fs::remove_all(d / "clone" / "parts");
    CHECK(optbench_cli(run + " --keep-published --out " + (d / "clone").string(), &output) != 0);
    CHECK(output.find("holdout.csv: run_id 99 is not in runs.csv") != std::string::npos);
}

TEST_CASE("a folder of an older build (no hold-out parts) resumes, assembles and reports") {
    testing::TempDir dir;
    const fs::path out = dir.path() / "old";
    const std::string run = "run --optimizers random_search --problems holdout_curve --seeds 3 --budget 100";
    REQUIRE(optbench_cli(run + " --out " + out.string()) == 0);
    // What an older build left: no hold-out part and checksums without it, for every run; one
    // run not finished yet.
    for (int run_id = 0; run_id < 3; ++run_id) {
        const fs::path parts = out / "parts";
        fs::remove(parts / fmt::format("run-{:06d}.holdout.csv", run_id));
        const fs::path sums = parts / fmt::format("run-{:06d}.sums.csv", run_id);
        std::string text = host::read_file(sums);
        const std::size_t line = text.find("holdout,");
        REQUIRE(line != std::string::npos);
        text.erase(line, text.find('\n', line) + 1 - line);
        host::write_file_atomically(sums, text);
    }
    host::ResultStore(out).forget(2);
    fs::remove(out / "holdout.csv");
    std::string output;
    REQUIRE(optbench_cli(run + " --out " + out.string(), &output) == 0);
    CHECK(output.find("3 runs (2 already done)") != std::string::npos);
    CHECK(output.find("damaged") == std::string::npos);
    const host::CsvTable holdout = host::read_csv(out / "holdout.csv");
    for (std::size_t i = 1; i < holdout.size(); ++i) CHECK(holdout[i][0] == "2");  // only the new run has rows
    CHECK(host::report::load_results(out).runs.size() == 3);

    // And a folder without holdout.csv at all.
    host::ResultStore(out).forget(2);
    REQUIRE(optbench_cli(run + " --holdout-every 10 --out " + out.string(), &output) == 0);
    fs::remove(out / "holdout.csv");
    const host::report::ResultSet results = host::report::load_results(out);
    for (const auto& r : results.runs) CHECK(r.holdout.empty());
}

TEST_CASE("report: hold-out curves per problem, and final and selected metrics with tests in their direction") {
    testing::TempDir dir;
    const fs::path out = dir.path() / "campaign";
    // Two spellings of random search (box matters only without bounds), seeded differently.
    REQUIRE(optbench_cli("run --optimizers random_search,random_search:box=0.5 --problems holdout_curve,sphere:dim=2 "
                         "--seeds 6 --budget 100 --out " +
                         out.string()) == 0);
    const host::report::ResultSet results = host::report::load_results(out);
    for (const auto& r : results.runs) CHECK(r.holdout.empty() == (r.spec.problem.name == "sphere"));

    const auto stats = host::report::metric_statistics(results, 0.05);
    std::vector<std::string> order;
    for (const auto& s : stats)
        if (order.empty() || order.back() != s.metric) order.push_back(s.metric);
    CHECK(order == std::vector<std::string>{"test_loss", "selected_test_loss", "val_accuracy", "selected_val_accuracy",
                                            "val_loss", "selected_val_loss", "selected_evals"});
    for (const auto& s : stats) {
        CAPTURE(s.metric);
        CHECK(s.problem == "holdout_curve");
        if (s.metric == "selected_evals") {
            CHECK_FALSE(s.higher_is_better.has_value());
            CHECK_FALSE(s.best);
            CHECK(std::isnan(s.p_holm));
            continue;
        }
        const bool higher = s.metric.find("accuracy") != std::string::npos;
        CHECK(s.higher_is_better == higher);
        // Exactly one best per metric, the other tested against it.
        CHECK(s.best == std::isnan(s.p_holm));
    }

    host::ReportOptions options;
    options.results = out;
    options.render = false;
    const host::ReportOutput report = host::write_report(options);
    const auto plot = std::find_if(report.plots.begin(), report.plots.end(),
                                   [](const host::report::Plot& p) { return p.kind == host::report::PlotKind::holdout; });
    REQUIRE(plot != report.plots.end());
    CHECK(plot->name == "holdout_holdout_curve");
    CHECK(std::count_if(report.plots.begin(), report.plots.end(),
                        [](const host::report::Plot& p) { return p.kind == host::report::PlotKind::holdout; }) == 1);
    const std::string data = host::read_file(report.folder / "plots" / (plot->name + ".dat"));
    for (const char* block : {"# val_loss: random_search (6 runs)", "# test_loss: random_search:box=0.5 (6 runs)",
                              "# val_accuracy: random_search (6 runs)"})
        CHECK(data.find(block) != std::string::npos);
    const std::string script = host::read_file(report.folder / "plots" / (plot->name + ".gp"));
    CHECK(script.find("val_accuracy (higher is better)") != std::string::npos);
    const std::string md = host::read_file(report.folder / "report.md");
    CHECK(md.find("### Hold-out metrics along the runs") != std::string::npos);
    CHECK(md.find("| holdout_curve | random_search | selected_val_accuracy (higher is better) |") != std::string::npos);
    const host::CsvTable csv = host::read_csv(report.folder / "tables" / "metrics.csv");
    CHECK(csv[0].back() == "p_holm");
    if (host::report::gnuplot_available()) {
        options.render = true;
        const host::ReportOutput rendered = host::write_report(options);
        CHECK(fs::exists(rendered.folder / "plots" / (plot->name + ".png")));
        CHECK(fs::exists(rendered.folder / "plots" / (plot->name + ".svg")));
    }
}
