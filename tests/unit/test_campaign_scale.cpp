// Parallel isolated runs, resume after kill -9, clean interruption, shards and merge, through
// the real CLI.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "campaign/campaign.hpp"
#include "results/csv.hpp"
#include "results/store.hpp"
#include "testing.hpp"

using namespace optbench;
namespace fs = std::filesystem;

namespace {

// Test-only plugins (misbehaving optimizers, test problems) are found through the path.
const std::string cli = "OPTBENCH_PLUGIN_PATH=" + testing::test_plugin_dir().string() + " " +
                        testing::optbench_exe();

int optbench_cli(const std::string& args, std::string* output = nullptr) {
    return testing::shell(cli + " " + args, output);
}

// A CSV without its wall-clock column: everything else must be identical between runs.
host::CsvTable without_wall_time(const fs::path& file) {
    host::CsvTable table = host::read_csv(file);
    const auto column = std::find(table[0].begin(), table[0].end(), "wall_s") - table[0].begin();
    for (auto& row : table) row.erase(row.begin() + column);
    return table;
}

void check_same_results(const fs::path& a, const fs::path& b) {
    for (const char* file : {"runs.csv", "trace.csv", "stats.csv"}) {
        CAPTURE(file);
        CHECK(without_wall_time(a / file) == without_wall_time(b / file));
    }
    // Only runs of problems with hold-out metrics have rows there.
    CHECK(fs::exists(a / "holdout.csv") == fs::exists(b / "holdout.csv"));
    if (fs::exists(a / "holdout.csv")) CHECK(host::read_csv(a / "holdout.csv") == host::read_csv(b / "holdout.csv"));
}

const std::string campaign =
    "run --optimizers random_search,random_search:box=2 --problems 'box_quadratic:dim=3|7,unbounded:dim=4' "
    "--seeds 3 --budget 3000";

}  // namespace

TEST_CASE("--jobs 2 gives the same results as --jobs 1") {
    testing::TempDir dir;
    REQUIRE(optbench_cli(campaign + " --jobs 1 --out " + (dir.path() / "serial").string()) == 0);
    REQUIRE(optbench_cli(campaign + " --jobs 2 --out " + (dir.path() / "parallel").string()) == 0);
    CHECK(host::read_csv(dir.path() / "serial" / "runs.csv").size() == 19);
    check_same_results(dir.path() / "serial", dir.path() / "parallel");
}

TEST_CASE("crashes, aborts, exceptions, hangs and memory blow-ups become error rows") {
    testing::TempDir dir;
    std::string output;
    const int code = optbench_cli(
        "run --optimizers random_search,misbehaving:mode=segfault,misbehaving:mode=abort,"
        "misbehaving:mode=throw,misbehaving:mode=hang,misbehaving:mode=memory,misbehaving:mode=exit "
        "--problems box_quadratic:dim=2,nonfinite:dim=2 --budget 100 --run-timeout 1 --run-memory 400 "
        "--jobs 2 --out " + (dir.path() / "r").string(),
        &output);
    REQUIRE(code == 0);
    const auto runs = host::read_csv(dir.path() / "r" / "runs.csv");
    REQUIRE(runs.size() == 15);
    const auto column = [&](const char* name) {
        return std::find(runs[0].begin(), runs[0].end(), name) - runs[0].begin();
    };
    std::map<std::string, std::string> reason_of;
    for (std::size_t r = 1; r < runs.size(); ++r) {
        const std::string who = runs[r][column("optimizer")] + ":" + runs[r][column("optimizer_params")];
        if (who == "random_search:") {
            CHECK(runs[r][column("status")] == "ok");
            continue;
        }
        CHECK(runs[r][column("status")] == "error");
        reason_of[who] = runs[r][column("stop_reason")] + " | " + runs[r][column("message")];
        // Whatever ended the run, what it spent counts: 3 evaluations of the origin, each way.
        CAPTURE(who);
        CHECK(runs[r][column("evals")] == "3");
        CHECK(runs[r][column("cost")] == "3");
        CHECK(runs[r][column("dim")] == "2");
        if (runs[r][column("problem")] == "box_quadratic") {
            CHECK(std::isfinite(std::stod(runs[r][column("best_f")])));
            CHECK(std::stod(runs[r][column("error")]) >= 0);
        }
    }
    CHECK(reason_of["misbehaving:mode=segfault"].find("crash | the run's process was killed by signal 11") == 0);
    CHECK(reason_of["misbehaving:mode=abort"].find("crash | the run's process was killed by signal 6") == 0);
    CHECK(reason_of["misbehaving:mode=throw"].find("deliberate exception") != std::string::npos);
    CHECK(reason_of["misbehaving:mode=hang"].find("timeout | killed: no answer within the run timeout") == 0);
    CHECK(reason_of["misbehaving:mode=memory"].find("out_of_memory") == 0);
    CHECK(reason_of["misbehaving:mode=exit"].find("exited with code 3") != std::string::npos);
    CHECK(optbench_cli("run --fail-on-error --optimizers misbehaving --problems nonfinite --budget 10 --out " +
                       (dir.path() / "f").string()) == 1);
}

TEST_CASE("a run still going at the run timeout is stopped cooperatively and keeps its results") {
    testing::TempDir dir;
    REQUIRE(optbench_cli("run --optimizers random_search --problems box_quadratic:dim=2 --budget 1e12 "
                         "--run-timeout 0.5 --out " + (dir.path() / "r").string()) == 0);
    const auto runs = host::read_csv(dir.path() / "r" / "runs.csv");
    REQUIRE(runs.size() == 2);
    const auto value = [&](const char* name) {
        return runs[1][std::find(runs[0].begin(), runs[0].end(), name) - runs[0].begin()];
    };
    CHECK(value("status") == "error");
    CHECK(value("stop_reason") == "timeout");
    CHECK(value("message").find("stopped at the run timeout of 0.5 s after ") == 0);
    CHECK(std::stod(value("evals")) > 0);
    CHECK(std::isfinite(std::stod(value("best_f"))));
}

TEST_CASE("a process a plugin leaves behind does not keep the campaign waiting") {
    testing::TempDir dir;
    REQUIRE(optbench_cli("run --optimizers misbehaving:mode=orphan,before=0 --problems box_quadratic:dim=2 "
                         "--budget 10 --jobs 1 --out " + (dir.path() / "r").string()) == 0);
    // The worker's death was seen while its orphan still ran: the orphan held no pipe of the host.
    CHECK(testing::shell("pgrep -f '^sleep 61.5$' >/dev/null") == 0);
    // The worker's indifference to SIGTERM is not inherited: the orphan dies of it.
    CHECK(testing::shell("pkill -TERM -f '^sleep 61.5$'; for i in $(seq 50); do "
                         "pgrep -f '^sleep 61.5$' >/dev/null || exit 0; sleep 0.1; done; exit 1") == 0);
    testing::shell("pkill -KILL -f '^sleep 61.5$'");
    const auto runs = host::read_csv(dir.path() / "r" / "runs.csv");
    REQUIRE(runs.size() == 2);
    CHECK(runs[1][std::find(runs[0].begin(), runs[0].end(), "message") - runs[0].begin()].find(
              "killed by signal 6") != std::string::npos);
}

TEST_CASE("kill -9 at any moment, then resume, gives the same runs.csv") {
    testing::TempDir dir;
    const std::string slow = "run --optimizers random_search --problems box_quadratic:dim=2000 --seeds 12 "
                             "--budget 4000 --jobs 2";
    REQUIRE(optbench_cli(slow + " --out " + (dir.path() / "whole").string()) == 0);

    const fs::path out = dir.path() / "killed";
    const std::string pid_file = (dir.path() / "pid").string();
    REQUIRE(testing::shell(cli + " " + slow + " --out " + out.string() + " >/dev/null 2>&1 & echo $! > " + pid_file) == 0);
    std::string pid;
    std::ifstream(pid_file) >> pid;
    // Wait until some, but not all, runs are finished, then kill the campaign without warning.
    const auto finished_runs = [&] {
        std::size_t n = 0;
        if (fs::exists(out / "parts"))
            for (const auto& e : fs::directory_iterator(out / "parts"))
                n += e.path().string().ends_with(".row.csv");
        return n;
    };
    for (int i = 0; i < 600 && finished_runs() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(testing::shell("kill -9 " + pid) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::size_t before = finished_runs();
    CHECK(before < 12);
    CHECK_FALSE(fs::exists(out / "runs.csv"));

    std::string output;
    REQUIRE(optbench_cli(slow + " --out " + out.string(), &output) == 0);
    CHECK(output.find(std::to_string(before) + " already done") != std::string::npos);
    CHECK(without_wall_time(out / "runs.csv") == without_wall_time(dir.path() / "whole" / "runs.csv"));
    CHECK(without_wall_time(out / "trace.csv") == without_wall_time(dir.path() / "whole" / "trace.csv"));
}

TEST_CASE("Ctrl-C or SIGTERM stops a campaign cleanly: finished runs assembled, none recorded as failed") {
    testing::TempDir dir;
    // About 0.1 s per run: the signal comes after 3 runs, well before the 16th.
    const std::string slow = "run --optimizers random_search --problems box_quadratic:dim=2000 --seeds 16 "
                             "--budget 20000 --jobs 2";
    REQUIRE(optbench_cli(slow + " --out " + (dir.path() / "whole").string()) == 0);

    // signal: what to send; group: to the whole process group, as a terminal's Ctrl-C does.
    for (const auto& [signal, group] : {std::pair{std::string("TERM"), false}, std::pair{std::string("INT"), true}}) {
        CAPTURE(signal);
        const fs::path out = dir.path() / signal;
        const std::string pid_file = (out.string() + ".pid"), rc_file = (out.string() + ".rc");
        // setsid: the campaign leads a process group of its own, with its workers in it.
        REQUIRE(testing::shell("(setsid env " + cli + " " + slow + " --out " + out.string() + " >" + out.string() +
                               ".log 2>&1 & echo $! > " + pid_file + "; wait $!; echo $? > " + rc_file + ") >/dev/null 2>&1 &") == 0);
        const auto finished_runs = [&] {
            std::size_t n = 0;
            if (fs::exists(out / "parts"))
                for (const auto& e : fs::directory_iterator(out / "parts"))
                    n += e.path().string().ends_with(".row.csv");
            return n;
        };
        for (int i = 0; i < 600 && finished_runs() < 3; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::string pid;
        std::ifstream(pid_file) >> pid;
        REQUIRE(testing::shell("kill -s " + signal + (group ? " -- -" : " ") + pid) == 0);
        for (int i = 0; i < 1000 && !fs::exists(rc_file); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the rc file's content
        std::string rc;
        std::ifstream(rc_file) >> rc;
        CHECK(rc == (group ? "130" : "143"));
        const std::size_t finished = finished_runs();
        CHECK(finished < 16);
        // runs.csv holds exactly the finished runs, all ok: the interrupted ones are not errors.
        const host::CsvTable partial = host::read_csv(out / "runs.csv");
        CHECK(partial.size() == finished + 1);
        const auto status = std::find(partial[0].begin(), partial[0].end(), "status") - partial[0].begin();
        for (std::size_t r = 1; r < partial.size(); ++r) CHECK(partial[r][status] == "ok");
        CHECK(host::read_file(out.string() + ".log").find("the same command resumes") != std::string::npos);
        CHECK(host::read_file(out / "manifest.json").find("\"ended\": null") != std::string::npos);

        std::string output;
        REQUIRE(optbench_cli(slow + " --out " + out.string(), &output) == 0);
        CHECK(output.find(std::to_string(finished) + " already done") != std::string::npos);
        check_same_results(out, dir.path() / "whole");
    }
}

TEST_CASE("shards split the runs deterministically and merge back to the whole") {
    testing::TempDir dir;
    const fs::path d = dir.path();
    REQUIRE(optbench_cli(campaign + " --out " + (d / "whole").string()) == 0);
    std::string shard_dirs;
    for (int k = 0; k < 3; ++k) {
        const fs::path shard = d / ("shard" + std::to_string(k));
        REQUIRE(optbench_cli(campaign + " --shard " + std::to_string(k) + "/3 --out " + shard.string()) == 0);
        CHECK(host::read_csv(shard / "runs.csv").size() == 7);  // 18 runs: 6 per shard
        shard_dirs += ' ';
        shard_dirs += shard.string();
    }
    REQUIRE(optbench_cli("merge --out " + (d / "merged").string() + shard_dirs) == 0);
    check_same_results(d / "whole", d / "merged");

    // Shards one after another into one folder add up: runs.csv holds every finished run.
    for (int k = 0; k < 3; ++k) {
        REQUIRE(optbench_cli(campaign + " --shard " + std::to_string(k) + "/3 --out " + (d / "serial").string()) == 0);
        CHECK(host::read_csv(d / "serial" / "runs.csv").size() == 1 + 6 * (k + 1));
    }
    check_same_results(d / "whole", d / "serial");

    std::string output;
    CHECK(optbench_cli("merge --out " + (d / "dup").string() + " " + (d / "shard0").string() + " " +
                           (d / "shard0").string(), &output) != 0);
    CHECK(output.find("is in both") != std::string::npos);
    CHECK_FALSE(fs::exists(d / "dup" / "runs.csv"));
    CHECK(optbench_cli("merge --out " + (d / "part").string() + " " + (d / "shard0").string() + " " +
                           (d / "shard1").string(), &output) != 0);
    CHECK(output.find("6 of 18 runs are missing from the shards: run_id 2, 5, 8") != std::string::npos);
    CHECK(host::read_csv(d / "merged" / "provenance.csv") == host::read_csv(d / "whole" / "provenance.csv"));
    CHECK(optbench_cli(campaign + " --shard 3/3 --out " + (d / "bad").string(), &output) != 0);
    CHECK(output.find("--shard expects K/N with 0 <= K < N") != std::string::npos);
}

TEST_CASE("a campaign resumed with another plugin version records which build made each run") {
    testing::TempDir dir;
    const fs::path out = dir.path() / "r";
    const std::string run = "run --optimizers random_search --problems box_quadratic:dim=3 --seeds 4 "
                            "--budget 100 --out " + out.string();
    std::string output;
    REQUIRE(optbench_cli(run + " --shard 0/2", &output) == 0);
    CHECK(output.find("mixes builds") == std::string::npos);
    const std::string next_release = "OPTBENCH_PLUGIN_PATH=" +
                                     (testing::test_plugin_dir().parent_path() / "test-plugins-next").string() +
                                     " " + testing::optbench_exe();
    REQUIRE(testing::shell(next_release + " " + run + " --shard 1/2", &output) == 0);
    CHECK(output.find("note: " + out.string() +
                      " mixes builds (test_problems 1.1.0, 1.2.0); provenance.csv names each run's") !=
          std::string::npos);

    const host::CsvTable provenance = host::read_csv(out / "provenance.csv");
    REQUIRE(provenance.size() == 5);
    CHECK(provenance[0] == std::vector<std::string>{"run_id", "git_commit", "build_fingerprint", "optimizer_library",
                                                    "optimizer_version", "problem_library", "problem_version",
                                                    "optimizer_library_hash", "problem_library_hash",
                                                    "optimizer_build", "problem_build", "optimizer_library_file",
                                                    "problem_library_file"});
    for (std::size_t i = 1; i < provenance.size(); ++i) {
        CAPTURE(i);
        REQUIRE(provenance[i].size() == 13);
        CHECK(provenance[i][7].size() == 16);
        CHECK(provenance[i][9] == "optimized");
        CHECK(provenance[i][0] == std::to_string(i - 1));
        CHECK_FALSE(provenance[i][1].empty());
        CHECK(provenance[i][2].find("abi layout ") != std::string::npos);
        CHECK(provenance[i][3] == "random_search");
        CHECK(provenance[i][5] == "test_problems");
        CHECK(provenance[i][6] == (i % 2 == 1 ? "1.1.0" : "1.2.0"));  // run_id % 2 is the shard
        CHECK(fs::path(provenance[i][11]).filename() == "random_search.so");
        CHECK(fs::path(provenance[i][12]).filename() == "test_problems.so");
    }

    // The whole campaign with the first release: shard 1's runs were made by the next one, so
    // they are kept only on request.
    CHECK(optbench_cli(run, &output) == 2);
    CHECK(output.find("optbench run: 2 finished runs in " + out.string() +
                      " were made by plugins that changed since (test_problems 1.2.0 -> 1.1.0); add --rerun-changed "
                      "to run them again, or --keep-changed to keep them\n") != std::string::npos);
    // A run kept from a build that wrote no provenance part keeps its row, with empty fields;
    // one of a build that recorded no library hashes, its libraries.
    fs::remove(out / "parts" / "run-000002.provenance.csv");
    fs::remove(out / "parts" / "run-000002.sums.csv");
    const fs::path older = out / "parts" / "run-000001.provenance.csv";
    host::CsvTable recorded = host::read_csv(older);
    for (auto& row : recorded) row.resize(7);
    host::write_file_atomically(older, host::csv_line(recorded[0]) + host::csv_line(recorded[1]));
    fs::remove(out / "parts" / "run-000001.sums.csv");
    // Its version still tells that it changed.
    REQUIRE(optbench_cli(run + " --keep-changed", &output) == 0);
    CHECK(output.find("2 finished runs in " + out.string() + " were made by plugins that changed since "
                      "(test_problems 1.2.0 -> 1.1.0): kept (--keep-changed)") != std::string::npos);
    CHECK(output.find("1 of 4 runs made by builds that did not record theirs") != std::string::npos);
    const host::CsvTable kept = host::read_csv(out / "provenance.csv");
    CHECK(kept[3] == std::vector<std::string>{"2", "", "", "", "", "", "", "", "", "", "", "", ""});
    CHECK(kept[2][6] == "1.2.0");
    CHECK(kept[2][7].empty());
    CHECK(kept[4][6] == "1.2.0");
    CHECK(kept[4][7].size() == 16);

    // Kept once is not kept for ever: the next resume asks again; --rerun-changed reruns that run only.
    CHECK(optbench_cli(run, &output) == 2);
    REQUIRE(optbench_cli(run + " --rerun-changed", &output) == 0);
    CHECK(output.find("2 finished runs in " + out.string() + " were made by plugins that changed since "
                      "(test_problems 1.2.0 -> 1.1.0): run again (--rerun-changed)") != std::string::npos);
    CHECK(output.find("4 runs (2 already done)") != std::string::npos);
    const host::CsvTable rerun = host::read_csv(out / "provenance.csv");
    CHECK(rerun[4][6] == "1.1.0");
    CHECK(rerun[2][6] == "1.1.0");
    CHECK(rerun[2][7].size() == 16);
    CHECK(rerun[3][1].empty());  // no record at all: nothing is known to have changed
    // Nor of a run whose build recorded no hash but the libraries and versions of today's.
    const fs::path same = out / "parts" / "run-000000.provenance.csv";
    recorded = host::read_csv(same);
    for (auto& row : recorded) row.resize(7);
    host::write_file_atomically(same, host::csv_line(recorded[0]) + host::csv_line(recorded[1]));
    REQUIRE(optbench_cli(run, &output) == 0);
    CHECK(output.find("changed since") == std::string::npos);
    CHECK(optbench_cli(run + " --rerun-changed --keep-changed", &output) == 2);
    CHECK(output.find("--rerun-changed and --keep-changed exclude each other") != std::string::npos);
}

TEST_CASE("build differences: host builds, library versions and runs without a record") {
    const std::vector<std::string> header = {"run_id", "git_commit", "build_fingerprint", "optimizer_library",
                                             "optimizer_version", "problem_library", "problem_version"};
    const std::vector<std::string> a = {"0", "aaaa", "gcc 12", "cmaes", "1.0.0", "mnist", "1.0.2"};
    std::vector<std::string> b = a;
    b[0] = "1";
    CHECK(host::build_differences({header, a, b}) == "");
    CHECK(host::build_differences({header}) == "");
    b[1] = "bbbb";
    b[4] = "1.0.1";
    CHECK(host::build_differences({header, a, b}) ==
          "host builds aaaa (gcc 12), bbbb (gcc 12); cmaes 1.0.0, 1.0.1");
    CHECK(host::build_differences({header, a, {"1", "", "", "", "", "", ""}}) ==
          "1 of 2 runs made by builds that did not record theirs");
    // Nothing recorded, nothing known to differ (every folder published before the record).
    CHECK(host::build_differences({header, {"0", "", "", "", "", "", ""}, {"1", "", "", "", "", "", ""}}) == "");
}

TEST_CASE("artifacts: one folder per problem under a portable name, written once, merged, never overwritten") {
    testing::TempDir dir;
    const fs::path d = dir.path();
    const std::string run = "run --optimizers random_search --problems 'artifacts:names=split.csv:info.txt,text=x' "
                            "--seeds 4 --budget 50";
    REQUIRE(optbench_cli(run + " --out " + (d / "whole").string()) == 0);
    const fs::path folder = d / "whole" / "artifacts" / "artifacts_names_split.csv_info.txt_text_x";
    CHECK(host::read_file(folder / "split.csv") == "split.csv x");
    CHECK(host::read_file(folder / "info.txt") == "info.txt x");
    CHECK(std::distance(fs::directory_iterator(d / "whole" / "artifacts"), fs::directory_iterator()) == 1);

    for (const char* k : {"0", "1"})
        REQUIRE(optbench_cli(run + " --shard " + k + "/2 --out " + (d / "shard").string() + k) == 0);
    REQUIRE(optbench_cli("merge --out " + (d / "merged").string() + " " + (d / "shard0").string() + " " +
                         (d / "shard1").string()) == 0);
    const fs::path merged = d / "merged" / "artifacts" / "artifacts_names_split.csv_info.txt_text_x";
    CHECK(host::read_file(merged / "split.csv") == "split.csv x");
    CHECK(host::read_file(merged / "info.txt") == "info.txt x");

    // A run whose problem now writes other text stops the campaign; the folder keeps the first.
    host::write_file_atomically(folder / "split.csv", "split.csv y");
    fs::remove(d / "whole" / "parts" / "run-000002.row.csv");
    std::string output;
    CHECK(optbench_cli(run + " --out " + (d / "whole").string(), &output) != 0);
    CHECK(output.find("artifact " + (folder / "split.csv").string() + " differs from the one already written") !=
          std::string::npos);
    CHECK(host::read_file(folder / "split.csv") == "split.csv y");
    CHECK_FALSE(fs::exists(d / "whole" / "parts" / "run-000002.row.csv"));

    host::write_file_atomically(d / "shard1" / "artifacts" / "artifacts_names_split.csv_info.txt_text_x" / "info.txt",
                                "info.txt y");
    CHECK(optbench_cli("merge --out " + (d / "merged2").string() + " " + (d / "shard0").string() + " " +
                       (d / "shard1").string(), &output) != 0);
    CHECK(output.find("info.txt differs from the one already written") != std::string::npos);
}

TEST_CASE("a clone of published results (no parts/): kept with --keep-published, run again without") {
    testing::TempDir dir;
    const fs::path d = dir.path();
    const std::string run = "run --optimizers random_search --problems box_quadratic:dim=3,metrics --seeds 3 "
                            "--budget 200 --jobs 2";
    REQUIRE(optbench_cli(run + " --out " + (d / "whole").string()) == 0);
    // An unfinished campaign as published: shard 0 of 2, its CSVs without parts/.
    REQUIRE(optbench_cli(run + " --shard 0/2 --out " + (d / "shard").string()) == 0);
    const auto clone = [&](const std::string& name) {
        fs::create_directories(d / name);
        for (const char* file : {"runs.csv", "trace.csv", "stats.csv", "provenance.csv", "holdout.csv", "manifest.json"})
            fs::copy_file(d / "shard" / file, d / name / file);
        return d / name;
    };
    std::string output;
    const fs::path kept = clone("kept");
    REQUIRE(optbench_cli(run + " --keep-published --out " + kept.string(), &output) == 0);
    CHECK(output.find("kept 3 published runs of " + kept.string()) != std::string::npos);
    CHECK(output.find("6 runs (3 already done)") != std::string::npos);
    check_same_results(d / "whole", kept);
    CHECK(host::read_csv(kept / "provenance.csv") == host::read_csv(d / "whole" / "provenance.csv"));

    const fs::path again = clone("again");
    REQUIRE(optbench_cli(run + " --out " + again.string(), &output) == 0);
    CHECK(output.find("every run runs again (--keep-published keeps them)") != std::string::npos);
    CHECK(output.find("6 runs (0 already done)") != std::string::npos);
    check_same_results(d / "whole", again);

    // Refused, one line, the folder left as it was: another campaign; missing or altered CSVs.
    const auto refused = [&](const fs::path& folder, const std::string& args, const std::string& message) {
        const std::string before = host::read_file(folder / "runs.csv");
        CHECK(optbench_cli(args + " --out " + folder.string(), &output) != 0);
        CAPTURE(output);
        CHECK(output.find(message) != std::string::npos);
        CHECK(std::count(output.begin(), output.end(), '\n') == 1);
        CHECK(host::read_file(folder / "runs.csv") == before);
        CHECK_FALSE(fs::exists(folder / "parts" / "campaign.key"));
        if (fs::exists(folder / "parts"))  // at most the lock, the mark of a folder optbench took
            for (const fs::directory_entry& entry : fs::directory_iterator(folder / "parts"))
                CHECK(entry.path().filename() == "lock");
    };
    const std::string other = "run --optimizers random_search --problems box_quadratic:dim=3 --seeds 3 --budget 200";
    refused(clone("other"), other, "holds results of a different campaign");
    refused(clone("other_kept"), other + " --keep-published", "holds results of a different campaign");
    const fs::path no_manifest = clone("no_manifest");
    fs::remove(no_manifest / "manifest.json");
    refused(no_manifest, run + " --keep-published", "holds files optbench did not write (holdout.csv, provenance.csv, runs.csv");
    const fs::path torn = clone("torn");  // runs.csv from one assembly, trace.csv from another
    std::string torn_trace = host::read_file(torn / "trace.csv");
    host::write_file_atomically(torn / "trace.csv", torn_trace.substr(0, torn_trace.find("\n2,") + 1));
    refused(torn, run + " --keep-published", "runs.csv row 3: run 2 has no line in trace.csv");
    const fs::path no_trace = clone("no_trace");
    fs::remove(no_trace / "trace.csv");
    refused(no_trace, run + " --keep-published", "has no trace.csv: its published runs cannot be kept");
    const fs::path altered = clone("altered");
    std::string runs_csv = host::read_file(altered / "runs.csv");
    const std::string seed = host::read_csv(altered / "runs.csv")[2][8];
    runs_csv.replace(runs_csv.find("," + seed + ","), seed.size() + 2, ",1,");
    host::write_file_atomically(altered / "runs.csv", runs_csv);
    refused(altered, run + " --keep-published", "runs.csv row 3: seed '1', but the campaign's run 2 has '" + seed + "'");
}

TEST_CASE("--keep-published after a plain run on the clone was killed: the published runs are still kept") {
    testing::TempDir dir;
    const fs::path d = dir.path();
    const std::string run = "run --optimizers random_search --problems box_quadratic:dim=3 --seeds 4 --budget 200";
    REQUIRE(optbench_cli(run + " --shard 0/2 --out " + (d / "shard").string()) == 0);
    fs::create_directories(d / "clone" / "parts");
    for (const char* file : {"runs.csv", "trace.csv", "stats.csv", "provenance.csv", "manifest.json"})
        fs::copy_file(d / "shard" / file, d / "clone" / file);
    // What a killed plain run leaves: the folder claimed, no run finished, the CSVs as published.
    for (const char* file : {"campaign.key", "plan.csv"})
        fs::copy_file(d / "shard" / "parts" / file, d / "clone" / "parts" / file);
    std::string output;
    REQUIRE(optbench_cli(run + " --keep-published --out " + (d / "clone").string(), &output) == 0);
    CHECK(output.find("kept 2 published runs of") != std::string::npos);
    CHECK(output.find("4 runs (2 already done)") != std::string::npos);
    REQUIRE(optbench_cli(run + " --keep-published --out " + (d / "clone").string(), &output) == 0);
    CHECK(output.find("kept 0 published runs of") != std::string::npos);  // all have parts now

    CHECK(optbench_cli(run + " --keep-published --out " + (d / "empty").string(), &output) != 0);
    CHECK(output.find("--keep-published: " + (d / "empty").string() + " has no runs.csv") != std::string::npos);

    // parts/ of this campaign beside another campaign's manifest.json: the CSVs are not this campaign's.
    const std::string other = "run --optimizers random_search --problems box_quadratic:dim=2 --seeds 1 --budget 200";
    REQUIRE(optbench_cli(other + " --out " + (d / "other").string()) == 0);
    fs::copy_file(d / "other" / "manifest.json", d / "clone" / "manifest.json", fs::copy_options::overwrite_existing);
    CHECK(optbench_cli(run + " --keep-published --out " + (d / "clone").string(), &output) != 0);
    CHECK(output.find("manifest.json names another campaign than its parts/ do") != std::string::npos);
}

TEST_CASE("a manifest is read back as written, whatever its texts hold") {
    testing::TempDir dir;
    host::Manifest m;
    m.optimizers = {"a\"b\\c\nd\te\x01" "f"};
    m.campaign_key = "key \"with\" \\ escapes\n";
    m.budget = 1e5;
    m.target_error = 1e-8;
    m.declarations.problems["p"].metrics.push_back({"m", "doc", true});
    m.declarations.optimizers["o"].stats.push_back({"s", "doc", true});
    host::write_file_atomically(dir.path() / "manifest.json", host::manifest_json(m));
    const host::Manifest back = host::read_manifest(dir.path() / "manifest.json");
    CHECK(back.optimizers == m.optimizers);
    CHECK(back.campaign_key == m.campaign_key);
    CHECK(back.budget == 1e5);
    CHECK(std::isnan(back.budget_per_dim));
    CHECK(back.target_error == 1e-8);
    CHECK(back.declarations.problem("p").metrics.at(0).higher_is_better);
    CHECK(back.declarations.optimizer("o").stats.at(0).in_figure);
    CHECK(host::manifest_campaign_key(dir.path()) == m.campaign_key);
    CHECK(host::manifest_campaign_key(dir.path() / "nowhere") == "");
    host::write_file_atomically(dir.path() / "manifest.json", "{\"campaign_key\": 3}");
    CHECK_THROWS_WITH_AS(host::read_manifest(dir.path() / "manifest.json"),
                         doctest::Contains("not a manifest optbench wrote"), host::Error);
}

TEST_CASE("one process at a time writes a results folder; another is refused or waits (--wait-lock)") {
    testing::TempDir dir;
    const fs::path out = dir.path() / "out";
    const std::string quick = "run --optimizers random_search --problems box_quadratic:dim=2 --seeds 2 --budget 50";
    std::string output;
    {
        const host::ResultStore holder(out);
        CHECK_THROWS_WITH_AS(host::ResultStore{out}, doctest::Contains("is in use by another optbench process (pid"),
                             host::Error);
        CHECK_THROWS_WITH_AS(host::ResultStore(out, host::ResultStore::Access::read), doctest::Contains("is in use"),
                             host::Error);
        CHECK(optbench_cli(quick + " --out " + out.string(), &output) == 2);
        CHECK(output.find("add --wait-lock to wait for it") != std::string::npos);
        CHECK(optbench_cli("merge --out " + (dir.path() / "merged").string() + " " + out.string(), &output) == 2);
        CHECK(output.find("is in use") != std::string::npos);
        CHECK_FALSE(fs::exists(out / "runs.csv"));

        // A waiting campaign starts once the holder is gone.
        const std::string log = (dir.path() / "waiting.log").string();
        REQUIRE(testing::shell(cli + " " + quick + " --wait-lock --out " + out.string() + " >" + log + " 2>&1 &") == 0);
        for (int i = 0; i < 1000 && host::read_file(log).find("waiting for") == std::string::npos; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK(host::read_file(log).find("waiting for another optbench process") != std::string::npos);
        CHECK_FALSE(fs::exists(out / "runs.csv"));
    }
    for (int i = 0; i < 1000 && !fs::exists(out / "manifest.json"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(optbench_cli(quick + " --wait-lock --out " + out.string(), &output) == 0);
    CHECK(output.find("2 runs (2 already done)") != std::string::npos);
}

TEST_CASE("optbench writes only into a new, empty or optbench folder") {
    testing::TempDir dir;
    const std::string quick = "run --optimizers random_search --problems box_quadratic:dim=2 --budget 50 --out ";
    std::string output;
    CHECK(optbench_cli(quick + "''", &output) == 2);
    CHECK(output.find("--out is empty (an unset shell variable?)") != std::string::npos);

    const fs::path foreign = dir.path() / "foreign";
    fs::create_directories(foreign);
    host::write_file_atomically(foreign / "runs.csv", "someone else's\n");
    CHECK(optbench_cli(quick + foreign.string(), &output) == 2);
    CHECK(output.find("holds files optbench did not write (runs.csv): use a new or empty folder") != std::string::npos);
    CHECK(host::read_file(foreign / "runs.csv") == "someone else's\n");
    CHECK(std::distance(fs::directory_iterator(foreign), fs::directory_iterator()) == 1);  // nothing added

    CHECK(optbench_cli(quick + (foreign / "runs.csv").string(), &output) == 2);
    CHECK(output.find("is a file: expected a folder") != std::string::npos);

    const fs::path empty = dir.path() / "empty";
    fs::create_directories(empty);
    CHECK(optbench_cli(quick + empty.string(), &output) == 0);
    CHECK(optbench_cli(quick + empty.string(), &output) == 0);  // now optbench's own
    CHECK(output.find("1 runs (1 already done)") != std::string::npos);
}

TEST_CASE("a damaged part is named and its run runs again; the resumed campaign equals an untouched one") {
    testing::TempDir dir;
    const fs::path whole = dir.path() / "whole", out = dir.path() / "damaged";
    REQUIRE(optbench_cli(campaign + " --out " + whole.string()) == 0);
    REQUIRE(optbench_cli(campaign + " --out " + out.string()) == 0);
    const auto part = [&](int run_id, const char* kind) {
        return out / "parts" / fmt::format("run-{:06d}.{}.csv", run_id, kind);
    };
    // Cut at a line break, cut inside a line, one byte changed, and an older build's parts
    // (no checksums) with a cut line.
    std::string trace = host::read_file(part(1, "trace"));
    host::write_file_atomically(part(1, "trace"), trace.substr(0, trace.find('\n', trace.size() / 2) + 1));
    std::string stats = host::read_file(part(2, "stats"));
    host::write_file_atomically(part(2, "stats"), stats.substr(0, stats.size() - 3));
    std::string row = host::read_file(part(3, "row"));
    const std::size_t digit = row.find_last_of("0123456789");
    row[digit] = row[digit] == '1' ? '2' : '1';
    host::write_file_atomically(part(3, "row"), row);
    fs::remove(part(4, "sums"));
    fs::remove(part(5, "sums"));
    trace = host::read_file(part(5, "trace"));
    host::write_file_atomically(part(5, "trace"), trace.substr(0, trace.size() - 5));

    std::string output;
    REQUIRE(optbench_cli(campaign + " --out " + out.string(), &output) == 0);
    for (const std::string expected :
         {"run-000001.trace.csv: ", "run-000002.stats.csv: ", "run-000003.row.csv: its content changed",
          "run-000005.trace.csv: its last line is cut short"}) {
        CAPTURE(expected);
        CHECK(output.find("warning: damaged result part " + (out / "parts").string() + "/" + expected) != std::string::npos);
    }
    CHECK(output.find("run-000004") == std::string::npos);  // intact, though unchecked
    CHECK(output.find("18 runs (14 already done)") != std::string::npos);
    check_same_results(whole, out);
}

TEST_CASE("a worker killed from outside runs again (--retries); a run's own crash does not") {
    testing::TempDir dir;
    const fs::path out = dir.path() / "out";
    const std::string killed = "run --optimizers misbehaving:mode=killed,misbehaving:mode=segfault,random_search "
                               "--problems box_quadratic:dim=2 --budget 20 --retries 1 --out " + out.string();
    std::string output;
    REQUIRE(optbench_cli(killed, &output) == 0);
    CHECK(output.find("attempt 1 of 2, trying again") != std::string::npos);
    const host::CsvTable runs = host::read_csv(out / "runs.csv");
    const auto message = std::find(runs[0].begin(), runs[0].end(), "message") - runs[0].begin();
    CHECK(runs[1][message] == "the run's process was killed by signal 9 (Killed) (out of memory? see --run-memory), "
                              "in each of 2 attempts (--retries 1)");
    CHECK(runs[2][message] == "the run's process was killed by signal 11 (Segmentation fault)");
    const host::CsvTable attempts = host::read_csv(out / "attempts.csv");
    REQUIRE(attempts.size() == 3);
    CHECK(attempts[0] == host::attempt_columns());
    CHECK(attempts[1][0] == "0");
    CHECK(attempts[2][1] == "2");

    // On request, error rows run again (and fail again here); a chosen run runs again too.
    REQUIRE(optbench_cli(killed + " --retry-failed", &output) == 0);
    CHECK(output.find("running 2 finished runs again in") != std::string::npos);
    CHECK(output.find("3 runs (1 already done), 2 errors") != std::string::npos);
    const host::CsvTable before = without_wall_time(out / "runs.csv");
    REQUIRE(optbench_cli(killed + " --rerun 2", &output) == 0);
    CHECK(output.find("running 1 finished run again in") != std::string::npos);
    CHECK(without_wall_time(out / "runs.csv") == before);
    CHECK(optbench_cli(killed + " --rerun 3", &output) == 2);
    CHECK(output.find("--rerun 3: no such run in this campaign (run_id 0 to 2)") != std::string::npos);
}

TEST_CASE("merge never writes into one of its shards") {
    testing::TempDir dir;
    const fs::path shard = dir.path() / "shard";
    REQUIRE(optbench_cli(campaign + " --out " + shard.string()) == 0);
    std::string output;
    CHECK(optbench_cli("merge --out " + shard.string() + " " + shard.string(), &output) == 2);
    CHECK(output.find("is also a shard: merge into a new folder") != std::string::npos);
}

TEST_CASE("a plan too large to hold is refused, with its size, before any of it is built") {
    host::Campaign campaign;
    campaign.optimizers = host::parse_spec_list("random_search,random_search:box=2");
    campaign.problems = host::parse_spec_list("box_quadratic:dim=1..1000");
    campaign.settings.budget = 10;
    campaign.seeds = 1'000'000'000;
    CHECK_THROWS_WITH_AS(host::plan_runs(testing::registry(), campaign),
                         "the campaign would have 2,000,000,000,000 runs (optimizers x problems x seeds = 2 x 1,000 x "
                         "1,000,000,000); at most 10,000,000 are allowed",
                         host::Error);
    campaign.seeds = 5;
    CHECK(host::plan_runs(testing::registry(), campaign).size() == 10'000);
}

TEST_CASE("a campaign grows: more seeds, optimizers and problems keep its finished runs; fixed settings do not change") {
    testing::TempDir dir;
    const fs::path out = dir.path() / "grown";
    const std::string small = "run --optimizers random_search --problems box_quadratic:dim=2 --seeds 2 --budget 50";
    const std::string grown = "run --optimizers random_search,random_search:box=2 --problems "
                              "box_quadratic:dim=2,unbounded:dim=2 --seeds 3 --budget 50";
    std::string output;
    REQUIRE(optbench_cli(small + " --out " + out.string(), &output) == 0);
    const host::CsvTable before = host::read_csv(out / "runs.csv");
    REQUIRE(optbench_cli(grown + " --out " + out.string(), &output) == 0);
    CHECK(output.find(out.string() + " grows to this campaign of 12 runs: its 2 finished runs kept; new runs are "
                      "numbered after its last") != std::string::npos);
    CHECK(output.find("12 runs (2 already done)") != std::string::npos);
    const host::CsvTable after = host::read_csv(out / "runs.csv");
    REQUIRE(after.size() == 13);
    // The kept runs are the very rows written before (their wall times too): not run again.
    CHECK(after[1] == before[1]);
    CHECK(after[2] == before[2]);

    // Every run equals the same run of the grown campaign started afresh: same identity, same
    // seed, same values; only the numbering differs (the new runs come after the kept ones).
    REQUIRE(optbench_cli(grown + " --out " + (dir.path() / "fresh").string(), &output) == 0);
    const auto by_identity = [](const host::CsvTable& table) {
        std::map<std::string, std::vector<std::string>> rows;
        const auto column = [&](const char* name) {
            return static_cast<std::size_t>(std::find(table[0].begin(), table[0].end(), name) - table[0].begin());
        };
        for (std::size_t i = 1; i < table.size(); ++i) {
            std::vector<std::string> row = table[i];
            const std::string identity = row[column("optimizer")] + " " + row[column("problem")] + " " + row[column("rep")];
            row[column("wall_s")].clear();
            row[column("run_id")].clear();
            rows[identity] = row;
        }
        return rows;
    };
    CHECK(by_identity(after) == by_identity(host::read_csv(dir.path() / "fresh" / "runs.csv")));

    REQUIRE(optbench_cli(grown + " --out " + out.string(), &output) == 0);
    CHECK(output.find("12 runs (12 already done)") != std::string::npos);
    CHECK(output.find("grows") == std::string::npos);
    const std::string key = host::read_file(out / "parts" / "campaign.key");
    CHECK(optbench_cli(grown + " --budget 60 --out " + out.string(), &output) == 2);
    CHECK(output.find("holds results of a different campaign (budget 50 there, 60 here): a folder keeps its seed, "
                      "budget, grad_cost, trace, holdout_every, target and timeout") != std::string::npos);
    CHECK(optbench_cli(small + " --out " + out.string(), &output) == 2);
    CHECK(output.find("holds 10 finished runs this campaign does not have (e.g. random_search on box_quadratic:dim=2, "
                      "repetition 3): a folder's optimizers, problems and seeds may grow, not shrink") != std::string::npos);
    CHECK(host::read_file(out / "parts" / "campaign.key") == key);
    CHECK(host::read_csv(out / "runs.csv") == after);
}
