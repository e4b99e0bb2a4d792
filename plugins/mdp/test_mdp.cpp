#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "optbench/sdk/rng.hpp"
#include "sum_tree.hpp"
#include "testing.hpp"

namespace {

using optbench::testing::run;

double l1(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += std::fabs(a[i] - b[i]);
    return sum;
}

void write_big_endian(std::ofstream& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.put(static_cast<char>((value >> shift) & 0xFF));
}

// A tiny two-class IDX data set of 4x4 images: label 1 when the left half is brighter.
void write_idx_data(const std::filesystem::path& folder, std::uint32_t count) {
    optbench::sdk::Rng rng(3);
    std::ofstream images(folder / "train-images-idx3-ubyte", std::ios::binary);
    std::ofstream labels(folder / "train-labels-idx1-ubyte", std::ios::binary);
    write_big_endian(images, 0x803);
    write_big_endian(images, count);
    write_big_endian(images, 4);
    write_big_endian(images, 4);
    write_big_endian(labels, 0x801);
    write_big_endian(labels, count);
    for (std::uint32_t k = 0; k < count; ++k) {
        int balance = 0;
        for (int pixel = 0; pixel < 16; ++pixel) {
            const auto value = static_cast<int>(rng.index(256));
            balance += pixel % 4 < 2 ? value : -value;
            images.put(static_cast<char>(value));
        }
        labels.put(static_cast<char>(balance > 0 ? 1 : 0));
    }
}

// The last value reported under each key.
std::map<std::string, double> last_stats(const optbench::host::RunResult& result) {
    std::map<std::string, double> last;
    for (const auto& row : result.stats) last[row.key] = row.value;
    return last;
}

}  // namespace

TEST_CASE("sum tree draws in proportion to the weights and never an empty entry") {
    mdp::SumTree tree(5);
    tree.set(0, 1.0);
    tree.set(2, 3.0);
    tree.set(4, 0.5);
    tree.set(2, 2.0);  // an update replaces, it does not add
    CHECK(tree.total() == doctest::Approx(3.5));
    CHECK(tree.find(0.0) == 0);
    CHECK(tree.find(0.999) == 0);
    CHECK(tree.find(1.0) == 2);
    CHECK(tree.find(2.999) == 2);
    CHECK(tree.find(3.0) == 4);
    CHECK(tree.find(3.5 * (1 + 1e-12)) == 4);  // rounding beyond the total lands on a weight

    optbench::sdk::Rng rng(7);
    std::vector<int> counts(5, 0);
    for (int k = 0; k < 35000; ++k) ++counts[tree.find(rng.uniform() * tree.total())];
    CHECK(counts[1] == 0);
    CHECK(counts[3] == 0);
    CHECK(counts[0] == doctest::Approx(10000).epsilon(0.05));
    CHECK(counts[2] == doctest::Approx(20000).epsilon(0.05));
    CHECK(counts[4] == doctest::Approx(5000).epsilon(0.05));
}

TEST_CASE("sum tree: infinite weights are capped, so the total stays finite and they decay") {
    // A move from an infinite value (a start point where f overflows) gains +inf.
    const double inf = std::numeric_limits<double>::infinity();
    for (const std::size_t size : {4, 5}) {
        CAPTURE(size);
        mdp::SumTree all(size);
        for (std::size_t i = 0; i < size; ++i) all.set(i, inf);
        CHECK(std::isfinite(all.total()));
    }

    mdp::SumTree tree(3);
    tree.set(0, inf);
    tree.set(1, 1.0);
    tree.set(2, 2.0);
    REQUIRE(std::isfinite(tree.total()));
    CHECK(tree.find(0.5 * tree.total()) == 0);
    // mdp halves a weight after each failed try; the capped one falls to the others' scale.
    for (int k = 0; k < 1100; ++k) tree.set(0, tree.weight(0) * 0.5);
    CHECK(tree.weight(0) < 1);
    CHECK(tree.find(0.9 * tree.total()) == 2);
}

TEST_CASE("mdp reduces sphere D=50 by a factor of 1e12 in 10,000 evaluations") {
    const auto start = run("mdp", "sphere:dim=50", 1);
    const auto result = run("mdp", "sphere:dim=50", 10000);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.evals == 10000);
    CHECK(result.best_f < start.best_f * 1e-12);
}

TEST_CASE("mdp cuts the loss of a 16-4-10 MLP on a tiny IDX data set tenfold in 5,000 evaluations") {
    optbench::testing::TempDir folder;
    write_idx_data(folder.path(), 60);
    const std::string problem = "mnist_mlp:data=" + folder.path().string() +
                                ",hidden=4,objective_size=40,validation_size=20,test_size=0";
    const auto start = run("mdp", problem, 1);
    const auto result = run("mdp", problem, 5000);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.best_f < start.best_f * 0.1);
}

TEST_CASE("the L1 ratios are the distances from the start and baseline points over the first") {
    // Displacements every 40 evaluations so they take part too; reports at the end of the run.
    const std::string mdp = "mdp:baseline_evals=50,displacement_every=40,report_from=1e9";
    const auto x0 = run(mdp, "sphere:dim=2", 1).best_x;          // the start point
    const auto xb = run(mdp, "sphere:dim=2", 50).best_x;         // the point after 50 evaluations
    const auto result = run(mdp, "sphere:dim=2", 300);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    const auto& xt = result.best_x;
    const double base = l1(xb, x0);
    REQUIRE(base > 0);
    REQUIRE(l1(xt, xb) > 0);
    const auto stats = last_stats(result);
    REQUIRE(stats.count("l1_ratio_start"));
    REQUIRE(stats.count("l1_ratio_baseline"));
    CHECK(stats.at("l1_ratio_start") == doctest::Approx(l1(xt, x0) / base).epsilon(1e-12));
    CHECK(stats.at("l1_ratio_baseline") == doctest::Approx(l1(xt, xb) / base).epsilon(1e-12));
    CHECK(result.stats.back().evals == 300);
}

TEST_CASE("mdp reports its progress measures at the documented cadence") {
    const auto result = run("mdp", "sphere:dim=20", 20500);
    std::map<std::string, int> count;
    for (const auto& row : result.stats) {
        ++count[row.key];
        if (row.key == "acceptance_rate") {
            CHECK(row.value >= 0);
            CHECK(row.value <= 1);
        }
        if (row.key == "median_step") CHECK(row.value > 0);
    }
    // 1000, 1122, 1258, ..., 10000, ..., 19952 (20 per decade) and at the end
    CHECK(count["median_step"] == 28);
    CHECK(count["l1_ratio_start"] == 8);  // from the baseline at 10,000 on
    CHECK(count["l1_ratio_baseline"] == 8);
    CHECK(result.stats.front().evals == 1000);
    CHECK(result.stats.back().evals == 20500);
}

TEST_CASE("mdp: same seed, same result; another seed, another result") {
    const auto a = run("mdp:displacement_every=500", "sphere:dim=30", 3000, 11);
    const auto b = run("mdp:displacement_every=500", "sphere:dim=30", 3000, 11);
    const auto c = run("mdp:displacement_every=500", "sphere:dim=30", 3000, 12);
    CHECK(a.best_f == b.best_f);
    CHECK(a.best_x == b.best_x);
    REQUIRE(a.stats.size() == b.stats.size());
    for (std::size_t i = 0; i < a.stats.size(); ++i) CHECK(a.stats[i].value == b.stats[i].value);
    CHECK(a.best_x != c.best_x);
}

TEST_CASE("mdp recovers from a start point whose value overflows to inf") {
    // x_i^2 overflows near 1.3e154; base_unit=0.5 lets one move reach finite values (a gain
    // of inf), min_step=1e-300 lets the steps shrink from 1e154 down to the optimum.
    const std::string mdp = "mdp:base_unit=0.5,min_step=1e-300";
    const std::string sphere = "sphere:dim=4,bounds=-1e154:1e154,instance=1";
    const auto start = run(mdp, sphere, 1);
    REQUIRE(start.nonfinite_evals == 1);
    const auto result = run(mdp, sphere, 20000);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.best_f < 1e-280);
}

TEST_CASE("mdp works without bounds and stays inside asymmetric bounds") {
    const auto unbounded = run("mdp", "unbounded:dim=3", 3000);
    REQUIRE(unbounded.status == optbench::host::RunStatus::ok);
    CHECK(unbounded.best_f < 1e-10);

    // box_quadratic throws when evaluated outside its box, so an ok status proves it.
    for (const char* call : {"move", "base"}) {
        CAPTURE(call);
        const auto boxed = run(std::string("mdp:displacement_every=200,displacement_call=") + call,
                               "box_quadratic:dim=7", 5000);
        REQUIRE(boxed.status == optbench::host::RunStatus::ok);
        CHECK(boxed.best_f < 1e-10);
    }
}

TEST_CASE("mdp rejects a zero base unit with a message naming it") {
    const auto result = run("mdp:base_unit=0", "sphere:dim=2", 10);
    CHECK(result.status == optbench::host::RunStatus::error);
    CHECK(result.message.find("base_unit") != std::string::npos);
}

TEST_CASE("mdp rejects an infinite box with a message naming it") {
    const auto result = run("mdp:box=inf", "unbounded:dim=2", 10);
    CHECK(result.status == optbench::host::RunStatus::error);
    CHECK(result.message.find("parameter 'box' must be finite") != std::string::npos);
}
