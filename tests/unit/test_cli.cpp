// The optbench command line: bad input gives one line, a non-zero exit and no half-written
// results; a small campaign writes its rows.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "results/csv.hpp"
#include "testing.hpp"

using namespace optbench;

namespace {

struct Outcome {
    int code;
    std::string output;
};

Outcome optbench_cli(const std::string& args) {
    Outcome o;
    o.code = testing::shell(testing::optbench_exe() + " " + args, &o.output);
    return o;
}

void write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file) << text;
}

void check_one_line_error(const Outcome& o, const std::string& fragment) {
    INFO(o.output);
    CHECK(o.code != 0);
    CHECK(o.output.find(fragment) != std::string::npos);
    CHECK(std::count(o.output.begin(), o.output.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("a place in OPTBENCH_PLUGIN_PATH that does not exist is a warning naming it") {
    const Outcome o = optbench_cli("list");
    std::string output;
    CHECK(testing::shell("OPTBENCH_PLUGIN_PATH=/nowhere/plugins " + testing::optbench_exe() + " list", &output) == 0);
    CHECK(output.find("warning: skipped /nowhere/plugins: named in OPTBENCH_PLUGIN_PATH, but no such folder or file") !=
          std::string::npos);
    CHECK(output.find("random_search") != std::string::npos);
    CHECK(o.output.find("warning") == std::string::npos);
}

TEST_CASE("a truncated library in OPTBENCH_PLUGIN_PATH is a warning naming it, and the other plugins still list") {
    const testing::TempDir temp;
    const std::filesystem::path library = testing::binary_dir() / "lib" / "optbench" / "plugins" / "synthetic.so";
    const std::filesystem::path damaged = temp.path() / "synthetic.so";
    std::filesystem::copy_file(library, damaged);
    std::filesystem::resize_file(damaged, std::filesystem::file_size(library) / 2);
    std::string output;
    CHECK(testing::shell("OPTBENCH_PLUGIN_PATH=" + temp.path().string() + " " + testing::optbench_exe() + " list",
                         &output) == 0);
    INFO(output);
    CHECK(output.find("warning: skipped " + damaged.string() + ": damaged shared library: segment ") !=
          std::string::npos);
    CHECK(output.find("random_search") != std::string::npos);
    CHECK(output.find("sphere") != std::string::npos);
}

TEST_CASE("list and describe") {
    const auto list = optbench_cli("list");
    CHECK(list.code == 0);
    CHECK(list.output.find("random_search") != std::string::npos);
    CHECK(list.output.find("sphere") != std::string::npos);
    const auto describe = optbench_cli("describe sphere");
    CHECK(describe.code == 0);
    CHECK(describe.output.find("dim") != std::string::npos);
    check_one_line_error(optbench_cli("describe nothing_like_it"), "unknown optimizer 'nothing_like_it'");
}

TEST_CASE("a 3-seed run writes 3 ok rows within the budget") {
    testing::TempDir dir;
    const auto out = dir.path() / "r";
    const auto o = optbench_cli("run --optimizers random_search --problems sphere:dim=4 --seeds 3 "
                                "--budget 50 --out " + out.string());
    INFO(o.output);
    REQUIRE(o.code == 0);
    CHECK(o.output.find("| sphere:dim=4 | random_search | 3 | 3 |") != std::string::npos);
    const auto runs = host::read_csv(out / "runs.csv");
    REQUIRE(runs.size() == 4);
    const auto column = [&](const std::string& name) {
        return std::find(runs[0].begin(), runs[0].end(), name) - runs[0].begin();
    };
    for (std::size_t r = 1; r < runs.size(); ++r) {
        CHECK(runs[r][column("status")] == "ok");
        CHECK(std::stod(runs[r][column("evals")]) <= 50);
        CHECK(runs[r][column("stop_reason")] == "budget");
    }
    CHECK(std::filesystem::exists(out / "trace.csv"));
    CHECK(std::filesystem::exists(out / "stats.csv"));
    CHECK(host::read_file(out / "manifest.json").find("\"ended\": \"") != std::string::npos);
}

TEST_CASE("bad run input: one line, non-zero exit, nothing written") {
    testing::TempDir dir;
    const auto out = (dir.path() / "r").string();
    check_one_line_error(optbench_cli("run --optimizers nope --problems sphere --budget 10 --out " + out),
                         "unknown optimizer 'nope'; known:");
    check_one_line_error(optbench_cli("run --optimizers random_search --problems nope --budget 10 --out " + out),
                         "unknown problem 'nope'; known:");
    check_one_line_error(optbench_cli("run --optimizers sphere --problems sphere --budget 10 --out " + out),
                         "unknown optimizer 'sphere' ('sphere' is a problem, not an optimizer); known:");
    check_one_line_error(optbench_cli("run --optimizers nope --problems sphere --budget 10 --out " + out),
                         "(add folders with OPTBENCH_PLUGIN_PATH)");
    check_one_line_error(optbench_cli("run --optimizers nope --problems sphere --budget 10 --out " + out),
                         "lib/optbench/plugins");
    check_one_line_error(optbench_cli("run --optimizers random_search:speed=3 --problems sphere --budget 10 --out " + out),
                         "unknown parameter 'speed' for 'random_search'; known: box");
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere:dim=x --budget 10 --out " + out),
                         "parameter 'dim' expects an integer, got 'x'");
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere:dim=0 --budget 10 --out " + out),
                         "parameter 'dim' must be in [1,");
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere --budget 0 --out " + out),
                         "--budget 0 allows no evaluation: expected >= 1");
    // Program_options alone would read "-1" as 2^64 - 1 jobs and take inf or nan as numbers.
    for (const std::string bad : {"--jobs=-1", "--jobs 0", "--jobs 2.5", "--budget inf", "--budget nan",
                                  "--run-timeout inf", "--run-memory inf", "--grad-cost inf", "--target nan",
                                  "--budget-per-dim inf", "--seed=-1", "--seed 1.5", "--seed +3", "--seed x",
                                  "--seed 99999999999999999999", "--seeds 0", "--seeds=-3", "--seeds 1.5",
                                  "--seeds ''"}) {
        CAPTURE(bad);
        const std::string option = bad.substr(0, bad.find_first_of(" ="));
        std::string value = bad.substr(bad.find_first_of(" =") + 1);
        if (value == "''") value.clear();
        const std::string budget = option == "--budget" ? "" : " --budget 10";
        check_one_line_error(
            optbench_cli("run --optimizers random_search --problems sphere" + budget + " --out " + out + " " + bad),
            "the argument ('" + value + "') for option '" + option + "' is invalid: expected a");
    }
    const std::string slurm = "slurm --campaign " + (testing::source_dir() / "campaigns" / "demo.campaign").string() +
                              " --out " + out;
    for (const std::string bad : {"--shards=-1", "--shards 0", "--shards 2 --cpus-per-task=-2"}) {
        CAPTURE(bad);
        check_one_line_error(optbench_cli(slurm + " " + bad), "is invalid: expected a whole number >= 1");
    }
    // A number beyond the type's range says so, rather than "finite" or ">= 1" alone.
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere --budget 10 --target 1e-400"),
                         "the argument ('1e-400') for option '--target' is invalid: expected a finite number a double "
                         "holds (magnitude 0 or about 1e-308 to 1e308)");
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere --budget 10 --seeds "
                                      "18446744073709551616"),
                         "expected a whole number >= 1 and at most 18446744073709551615");
    CHECK_FALSE(std::filesystem::exists(out));
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere --budget 10 --out /proc/optbench"),
                         "not writable");
}

TEST_CASE("campaign files: same settings as the command line, errors name the line") {
    testing::TempDir dir;
    const auto campaign = dir.path() / "demo.campaign";
    write(campaign, "# demo\noptimizers = random_search\nproblems = sphere:dim=2\nproblems = sphere:dim=3\n"
                    "seeds = 2\nbudget = 20\n");
    const auto out = dir.path() / "out";
    const auto ok = optbench_cli("run --campaign " + campaign.string() + " --out " + out.string());
    INFO(ok.output);
    REQUIRE(ok.code == 0);
    CHECK(host::read_csv(out / "runs.csv").size() == 5);

    // Either budget option on the command line replaces the file's budget, of either kind.
    write(campaign, "optimizers = random_search\nproblems = sphere:dim=2\nbudget-per-dim = 10\n");
    const auto replaced = optbench_cli("run --campaign " + campaign.string() + " --budget 7 --out " +
                                       (dir.path() / "replaced").string());
    INFO(replaced.output);
    REQUIRE(replaced.code == 0);
    const auto runs = host::read_csv(dir.path() / "replaced" / "runs.csv");
    CHECK(runs[1][std::find(runs[0].begin(), runs[0].end(), "budget") - runs[0].begin()] == "7");

    write(campaign, "optimizers = random_search\nproblems sphere\n");
    check_one_line_error(optbench_cli("run --campaign " + campaign.string()), "line 2: expected 'key = value'");
    write(campaign, "optimizers = random_search\nspeed = 3\n");
    check_one_line_error(optbench_cli("run --campaign " + campaign.string()), "line 2: unknown setting 'speed'");
    write(campaign, "optimizers = random_search\nproblems = sphere\nbudget = lots\n");
    check_one_line_error(optbench_cli("run --campaign " + campaign.string()), "campaign file");
    check_one_line_error(optbench_cli("run --campaign " + (dir.path() / "missing").string()),
                         "campaign file " + (dir.path() / "missing").string() +
                             " cannot be read: No such file or directory");
    check_one_line_error(optbench_cli("run --campaign " + dir.path().string()),
                         "campaign file " + dir.path().string() + " is a directory, expected a file");
    check_one_line_error(optbench_cli("run --campaign ''"), "campaign file '' names no file: expected a path");
    write(campaign, std::string("optimizers = random_search\n\x7f" "ELF\0\x01", 33));
    check_one_line_error(optbench_cli("run --campaign " + campaign.string()),
                         "campaign file " + campaign.string() + " holds a NUL byte (at byte 31): expected a text file");
    check_one_line_error(optbench_cli("slurm --shards 2 --out " + (dir.path() / "s").string() + " --campaign ''"),
                         "campaign file '' names no file: expected a path");
}

TEST_CASE("a campaign file saved with a UTF-8 byte-order mark reads as without one") {
    testing::TempDir dir;
    const auto campaign = dir.path() / "bom.campaign";
    write(campaign, "\xEF\xBB\xBFoptimizers = random_search\nproblems = sphere:dim=2\nbudget = 10\n");
    const auto o = optbench_cli("run --campaign " + campaign.string() + " --out " + (dir.path() / "r").string());
    INFO(o.output);
    CHECK(o.code == 0);
    CHECK(host::read_csv(dir.path() / "r" / "runs.csv").size() == 2);
}

TEST_CASE("a budget per dimension, COCO style") {
    testing::TempDir dir;
    const auto out = dir.path() / "r";
    const auto o = optbench_cli("run --optimizers random_search --problems 'sphere:dim=2|5' --budget-per-dim 10 --out " +
                                out.string());
    INFO(o.output);
    REQUIRE(o.code == 0);
    const auto runs = host::read_csv(out / "runs.csv");
    REQUIRE(runs.size() == 3);
    const auto budget = std::find(runs[0].begin(), runs[0].end(), "budget") - runs[0].begin();
    const auto evals = std::find(runs[0].begin(), runs[0].end(), "evals") - runs[0].begin();
    CHECK(runs[1][budget] == "20");
    CHECK(runs[1][evals] == "20");
    CHECK(runs[2][budget] == "50");
    CHECK(runs[2][evals] == "50");
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere --budget 10 --budget-per-dim 3"),
                         "run needs one of --budget (evaluations per run) and --budget-per-dim");
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere --budget-per-dim -1"),
                         "--budget-per-dim -1 allows no evaluation: expected > 0");
}

TEST_CASE("a budget below one evaluation is refused before anything runs") {
    testing::TempDir dir;
    const auto out = (dir.path() / "r").string();
    const std::string run = "run --optimizers random_search --out " + out + " ";
    for (const std::string budget : {"0.5", "0", "-5"}) {
        CAPTURE(budget);
        check_one_line_error(optbench_cli(run + "--problems sphere --budget " + budget),
                             "--budget " + budget + " allows no evaluation: expected >= 1");
    }
    check_one_line_error(optbench_cli(run + "--problems 'sphere:dim=10|5' --budget-per-dim 0.1"),
                         "--budget-per-dim 0.1 allows no evaluation on 'sphere:dim=5' (0.1 x dim 5 = 0.5): expected "
                         "a finite budget >= 1");
    check_one_line_error(optbench_cli(run + "--problems sphere:dim=10 --budget-per-dim 1e308"),
                         "--budget-per-dim 1e+308 has no end on 'sphere:dim=10' (1e+308 x dim 10 = inf): expected a "
                         "finite budget >= 1");
    check_one_line_error(optbench_cli(run + "--problems sphere --budget-per-dim 0"),
                         "--budget-per-dim 0 allows no evaluation: expected > 0");
    check_one_line_error(optbench_cli(run + "--problems sphere --budget 10 --run-timeout 1e300"),
                         "--run-timeout 1e+300 s is longer than a deadline can be: expected at most 1e+09 s");
    check_one_line_error(optbench_cli(run + "--problems sphere --budget 10 --run-timeout 0"),
                         "--run-timeout 0: expected a number of seconds > 0");
    check_one_line_error(optbench_cli(run + "--problems sphere --budget 10 --run-memory 1e300"),
                         "--run-memory 1e+300 MB is more than a memory limit can hold: expected less than "
                         "17,592,186,044,416 MB");
    check_one_line_error(optbench_cli(run + "--problems sphere --budget 10 --run-memory -1"),
                         "--run-memory -1: expected a number of MB >= 0 (0: no limit)");
    CHECK_FALSE(std::filesystem::exists(out));
    const auto one = optbench_cli(run + "--problems sphere:dim=2 --budget 1");
    INFO(one.output);
    CHECK(one.code == 0);
}

TEST_CASE("a campaign too large to plan or a range too long to expand says how large") {
    testing::TempDir dir;
    const auto out = (dir.path() / "r").string();
    check_one_line_error(optbench_cli("run --optimizers random_search,random_search:box=2 --problems 'sphere:dim=2|3' "
                                      "--budget 10 --seeds 1000000000 --out " + out),
                         "the campaign would have 4,000,000,000 runs (optimizers x problems x seeds = 2 x 2 x "
                         "1,000,000,000); at most 10,000,000 are allowed");
    check_one_line_error(
        optbench_cli("run --optimizers random_search --problems sphere:dim=1..100000000 --budget 10 --out " + out),
        "range '1..100000000' has 100,000,000 values; at most 1,000,000 are allowed");
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("a folder holding another campaign is refused") {
    testing::TempDir dir;
    const auto out = (dir.path() / "r").string();
    REQUIRE(optbench_cli("run --optimizers random_search --problems sphere --budget 10 --out " + out).code == 0);
    check_one_line_error(optbench_cli("run --optimizers random_search --problems sphere --budget 11 --out " + out),
                         "holds results of a different campaign");
}

TEST_CASE("eval prints f at each point with 17 significant digits") {
    testing::TempDir dir;
    const auto points = dir.path() / "points.txt";
    write(points, "1 2 3\n0.1, 0.2, 0.3\n\n");
    const auto o = optbench_cli("eval --problem sphere:dim=3 --points " + points.string());
    CHECK(o.code == 0);
    CHECK(o.output == "14\n0.14000000000000001\n");
    write(points, "1 2 3\n1 2\n");
    check_one_line_error(optbench_cli("eval --problem sphere:dim=3 --points " + points.string()),
                         "line 2: has 2 coordinates, the problem has 3");
    write(points, "1 2 x\n");
    check_one_line_error(optbench_cli("eval --problem sphere:dim=3 --points " + points.string()),
                         "line 1, column 3: 'x' is not a finite number");
}

TEST_CASE("eval refuses every non-finite coordinate and a file without a point") {
    testing::TempDir dir;
    const auto points = dir.path() / "points.txt";
    const std::string eval = "eval --problem sphere:dim=2 --points " + points.string();
    for (const std::string coordinate : {"inf", "-inf", "+inf", "nan", "-nan", "1e999"}) {
        CAPTURE(coordinate);
        write(points, "# x y\n1 2\n\n3 " + coordinate + "\n");
        check_one_line_error(optbench_cli(eval), "points file " + points.string() + " line 4, column 2: '" +
                                                     coordinate + "' is not a finite number");
    }
    for (const std::string empty : {"", "\n\n", "# only a comment\n"}) {
        write(points, empty);
        check_one_line_error(optbench_cli(eval), "points file " + points.string() + " holds no point");
    }
    check_one_line_error(optbench_cli("eval --problem sphere:dim=2 --points " + dir.path().string()),
                         "points file " + dir.path().string() + " is a directory, expected a file");
    check_one_line_error(optbench_cli("eval --problem sphere:dim=2 --points ''"),
                         "points file '' names no file: expected a path");
}

TEST_CASE("slurm writes no value that would break a line of its script") {
    testing::TempDir dir;
    const auto out = (dir.path() / "s").string();
    const std::string slurm = "slurm --campaign " + (testing::source_dir() / "campaigns" / "demo.campaign").string();
    const std::string injected = "\"$(printf 'debug\\necho injected')\"";
    check_one_line_error(optbench_cli(slurm + " --shards 2 --out " + out + " --partition " + injected),
                         "--partition 'debug\\necho injected': expected a Slurm setting without spaces, quotes, "
                         "backslashes or control characters");
    for (const std::string bad : {"'2:00:00 --mem=1'", "\"1:00'\"", "''", "'1\\\\'"}) {
        CAPTURE(bad);
        check_one_line_error(optbench_cli(slurm + " --shards 2 --out " + out + " --time " + bad),
                             "expected a Slurm setting");
    }
    check_one_line_error(optbench_cli(slurm + " --shards 2 --out \"" + out + "$(printf '\\nx')\""),
                         "holds a control character: expected a path the Slurm script can hold on one line");
    check_one_line_error(optbench_cli(slurm + " --out " + out + " --shards 1000000000"),
                         "--shards 1000000000 is more array tasks than Slurm allows: expected at most 4,000,001");
    CHECK_FALSE(std::filesystem::exists(out));
    const auto ok = optbench_cli(slurm + " --shards 2 --out " + out + " --partition gpu,debug --time 1-02:00:00");
    INFO(ok.output);
    REQUIRE(ok.code == 0);
    const std::string array = host::read_file(std::filesystem::path(out) / "slurm" / "array.sh");
    CHECK(array.find("#SBATCH --partition=gpu,debug\n#SBATCH --time=1-02:00:00\n") != std::string::npos);
}

TEST_CASE("a value holding a newline is quoted on the one line of its error") {
    check_one_line_error(optbench_cli("describe \"$(printf 'bad\\nname')\""), "unknown optimizer 'bad\\nname'");
    check_one_line_error(optbench_cli("run --optimizers \"$(printf 'a\\033[2Jb')\" --problems sphere --budget 10"),
                         "unknown optimizer 'a\\x1b[2Jb'");
}

TEST_CASE("report options refuse negative, fractional and garbage numbers, and names that are not there") {
    testing::TempDir dir;
    check_one_line_error(optbench_cli("report ''"), "report needs the results folder: optbench report DIR");
    const auto results = (dir.path() / "r").string();
    REQUIRE(optbench_cli("run --optimizers random_search --problems sphere --budget 10 --out " + results).code == 0);
    check_one_line_error(optbench_cli("report " + results + " --reference nope"),
                         "--reference 'nope': no optimizer of that name in runs.csv; expected one of random_search");
    for (const std::string bad : {"--figure-run=-1", "--figure-run 1.5", "--seed=-1", "--seed x"}) {
        CAPTURE(bad);
        const std::string option = bad.substr(0, bad.find_first_of(" ="));
        const std::string value = bad.substr(bad.find_first_of(" =") + 1);
        check_one_line_error(optbench_cli("report " + dir.path().string() + " " + bad),
                             "the argument ('" + value + "') for option '" + option +
                                 "' is invalid: expected a whole number >= 0");
    }
}
