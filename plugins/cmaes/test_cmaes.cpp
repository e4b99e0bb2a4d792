#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sys/resource.h>

#include "strategy.hpp"
#include "testing.hpp"

namespace {

using optbench::host::RunResult;

// Evaluations to f < 1e-8 from a uniform start in [-5, 5]^D with sigma0 = 3 and the default
// population, as in the reference table; the run stops at the target.
RunResult to_target(const std::string& optimizer, const std::string& problem, int instance,
                    double budget) {
    optbench::host::RunSettings settings;
    settings.target_error = 1e-8;
    return optbench::testing::run(optimizer,
                                  problem + ",bounds=-5:5,instance=" + std::to_string(instance),
                                  budget, static_cast<std::uint64_t>(instance), settings);
}

double median_evaluations(const std::string& optimizer, const std::string& problem, int runs) {
    std::vector<double> evals;
    for (int instance = 1; instance <= runs; ++instance) {
        const RunResult result = to_target(optimizer, problem, instance, 1e5);
        REQUIRE(result.status == optbench::host::RunStatus::ok);
        CHECK(result.stop_reason_text() == "target");
        evals.push_back(result.evals);
    }
    std::sort(evals.begin(), evals.end());
    return evals[evals.size() / 2];
}

std::size_t count_stats(const RunResult& result, const std::string& key) {
    return static_cast<std::size_t>(std::count_if(result.stats.begin(), result.stats.end(),
                                                  [&](const auto& row) { return row.key == key; }));
}

long peak_resident_kilobytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

}  // namespace

TEST_CASE("constants follow the tutorial's Table 1 and Ros & Hansen's sep rates") {
    const cmaes::Constants full(10, cmaes::default_popsize(10), cmaes::Covariance::full);
    CHECK(full.lambda == 10);
    CHECK(full.mu == 5);
    CHECK(full.weights.head(5).sum() == doctest::Approx(1));
    CHECK(full.weights.tail(5).maxCoeff() < 0);
    CHECK(full.mu_eff == doctest::Approx(3.1672).epsilon(1e-4));
    CHECK(full.c_1 == doctest::Approx(2 / (11.3 * 11.3 + full.mu_eff)));
    // The negative weights sum to at most one of the tutorial's three limits.
    const double alpha_mu = 1 + full.c_1 / full.c_mu;
    CHECK(-full.weights.tail(5).sum() <= alpha_mu + 1e-12);

    const cmaes::Constants sep(10, 10, cmaes::Covariance::separable);
    CHECK(sep.c_1 == doctest::Approx(full.c_1 * 4));
    CHECK(sep.c_mu == doctest::Approx(full.c_mu * 4));
    CHECK(cmaes::default_popsize(25450) == 34);
}

TEST_CASE("reference: full mode on sphere and ellipsoid D = 10 within 15 % of the issue's table") {
    // The better column of the issue: 1,496 (pagmo2 and CyberAgent) and 4,246 (CyberAgent).
    // Being faster is fine; half the reference would point to broken accounting.
    const double sphere = median_evaluations("cmaes:sigma0=3", "sphere:dim=10", 10);
    CHECK(sphere <= 1.15 * 1496);
    CHECK(sphere >= 0.5 * 1496);
    const double ellipsoid = median_evaluations("cmaes:sigma0=3", "ellipsoid:dim=10", 10);
    CHECK(ellipsoid <= 1.15 * 4246);
    CHECK(ellipsoid >= 0.5 * 4246);
}

TEST_CASE("reference: sep mode against CyberAgent's SepCMA") {
    // SepCMA: 1,296 and 2,712; scaling both learning rates as Ros & Hansen do (SepCMA scales
    // only c_mu) and the active update make ours faster on the ellipsoid.
    const double sphere = median_evaluations("cmaes:sigma0=3,covariance=sep", "sphere:dim=10", 10);
    CHECK(sphere <= 1.15 * 1296);
    CHECK(sphere >= 0.5 * 1296);
    const double ellipsoid =
        median_evaluations("cmaes:sigma0=3,covariance=sep", "ellipsoid:dim=10", 10);
    CHECK(ellipsoid <= 1.15 * 2712);
    CHECK(ellipsoid >= 0.5 * 2712);
}

TEST_CASE("IPOP restarts solve Rastrigin D = 10 within one budget") {
    for (int instance = 1; instance <= 10; ++instance) {
        const RunResult result =
            to_target("cmaes:sigma0=3,restarts=ipop", "rastrigin:dim=10", instance, 4e5);
        REQUIRE(result.status == optbench::host::RunStatus::ok);
        CHECK(result.stop_reason_text() == "target");
        CHECK(count_stats(result, "popsize") >= 2);  // it did restart
    }
}

TEST_CASE("without restarts a run ends on a named stop criterion") {
    const RunResult result = optbench::testing::run("cmaes", "sphere:dim=5", 1e5, 3);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.evals < 1e5);
    CHECK(result.best_f < 1e-10);
    const std::vector<std::string> criteria{
        "tolfun", "tolx", "stagnation", "condition", "noeffectaxis", "noeffectcoord", "tolxup"};
    CHECK(std::find(criteria.begin(), criteria.end(), result.stop_reason_text()) != criteria.end());
}

TEST_CASE("the budget may end inside a generation; sigma and condition once per generation") {
    // D = 10: population 10; 1,005 evaluations end inside the 101st generation.
    const RunResult result = optbench::testing::run("cmaes", "ellipsoid:dim=10", 1005, 2);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.evals == 1005);
    CHECK(result.stop_reason_text() == "budget");
    CHECK(count_stats(result, "sigma") == 100);
    CHECK(count_stats(result, "condition") == 100);
}

TEST_CASE("bounds are never violated, in either mode, even with a huge sigma") {
    // box_quadratic throws outside its (asymmetric, per-coordinate) box.
    for (const char* optimizer :
         {"cmaes:sigma0=50", "cmaes:sigma0=50,covariance=sep", "cmaes:sigma0=50,max_resamples=0",
          "cmaes:sigma0=50,covariance=sep,max_resamples=0", "cmaes:restarts=ipop"}) {
        CAPTURE(optimizer);
        const RunResult result = optbench::testing::run(optimizer, "box_quadratic:dim=8", 3000, 4);
        CHECK(result.status == optbench::host::RunStatus::ok);
        CHECK(result.message == "");
        CHECK(result.best_f < 1e-3);
    }

    SUBCASE("projected candidates update with the point evaluated") {
        optbench::sdk::Rng rng(5);
        const cmaes::Box box(std::vector<double>(6, -1), std::vector<double>(6, 2));
        for (auto covariance : {cmaes::Covariance::full, cmaes::Covariance::separable}) {
            cmaes::Options options;
            options.max_resamples = 0;
            cmaes::Strategy strategy(Eigen::VectorXd::Constant(6, 1.5), 10, 8, covariance, options);
            Eigen::MatrixXd x;
            for (int generation = 0; generation < 20; ++generation) {
                strategy.sample(rng, box, x);
                std::vector<double> values;
                for (Eigen::Index k = 0; k < x.cols(); ++k) {
                    CHECK(box.contains(x.col(k)));
                    values.push_back(x.col(k).squaredNorm());
                }
                strategy.tell(values);
                // A weighted mean of points inside, up to rounding.
                CHECK(strategy.mean().minCoeff() >= -1 - 1e-12);
                CHECK(strategy.mean().maxCoeff() <= 2 + 1e-12);
            }
        }
    }
}

TEST_CASE("problems without bounds or start point") {
    const RunResult result = optbench::testing::run("cmaes", "unbounded:dim=4", 5000, 1);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.best_f < 1e-8);
}

TEST_CASE("non-finite values do not derail the strategy") {
    const RunResult result = optbench::testing::run("cmaes", "nonfinite:dim=3", 2000, 1);
    CHECK(result.status == optbench::host::RunStatus::ok);
    CHECK(std::isfinite(result.best_f));
}

TEST_CASE("same seed, same run; another seed, another run") {
    for (const char* optimizer : {"cmaes:restarts=ipop", "cmaes:covariance=sep"}) {
        const RunResult a = optbench::testing::run(optimizer, "rastrigin:dim=6", 3000, 11);
        const RunResult b = optbench::testing::run(optimizer, "rastrigin:dim=6", 3000, 11);
        const RunResult c = optbench::testing::run(optimizer, "rastrigin:dim=6", 3000, 12);
        CHECK(a.best_f == b.best_f);
        CHECK(a.best_x == b.best_x);
        CHECK(a.stats.size() == b.stats.size());
        CHECK(a.best_x != c.best_x);
    }
}

TEST_CASE("D = 25,450: auto picks sep and runs in linear memory") {
    // A full covariance would take 3 x 5.2 GB; the sep run needs a few D x popsize blocks.
    const RunResult result = optbench::testing::run("cmaes", "sphere:dim=25450", 34 * 4, 1);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    CHECK(result.evals == 34 * 4);
    CHECK(count_stats(result, "sigma") == 4);
    CHECK(peak_resident_kilobytes() < 1'000'000);

    const RunResult full =
        optbench::testing::run("cmaes:covariance=full", "sphere:dim=25450", 10, 1);
    CHECK(full.status == optbench::host::RunStatus::not_applicable);
    CHECK(full.message.find("covariance=sep") != std::string::npos);
    // C, its eigenvectors and the eigensolver's own D x D matrix: 24 D^2 bytes.
    CHECK(full.message.find("needs 16 GB") != std::string::npos);
}

TEST_CASE("bad parameters are named") {
    const RunResult result = optbench::testing::run("cmaes:popsize=1", "sphere:dim=3", 10, 1);
    CHECK(result.status == optbench::host::RunStatus::error);
    CHECK(result.message.find("popsize") != std::string::npos);
    for (const char* key : {"sigma0", "eigen_lag"}) {
        CAPTURE(key);
        const RunResult infinite =
            optbench::testing::run(std::string("cmaes:") + key + "=inf", "sphere:dim=3", 10, 1);
        CHECK(infinite.status == optbench::host::RunStatus::error);
        const std::string expected = "parameter '" + std::string(key) + "' must be finite, got inf";
        CHECK(infinite.message.find(expected) != std::string::npos);
    }
}

TEST_CASE("batch=off evaluates one point per call, and the run is the same") {
    for (const std::string covariance : {"full", "sep"}) {
        CAPTURE(covariance);
        // `batched` counts the points and value_batch calls that reached it (its artifact).
        const std::string optimizer = "cmaes:covariance=" + covariance;
        const RunResult batched = optbench::testing::run(optimizer, "batched:dim=6", 500, 4);
        const RunResult single = optbench::testing::run(optimizer + ",batch=off", "batched:dim=6", 500, 4);
        REQUIRE(batched.status == optbench::host::RunStatus::ok);
        REQUIRE(single.status == optbench::host::RunStatus::ok);
        const auto calls = [](const RunResult& r) {
            REQUIRE(r.artifacts.size() == 1);
            std::uint64_t points = 0, batches = 0;
            REQUIRE(std::sscanf(r.artifacts[0].second.c_str(), "points=%" SCNu64 " batches=%" SCNu64, &points,
                                &batches) == 2);
            return std::pair{points, batches};
        };
        CHECK(calls(batched).second > 0);
        CHECK(calls(single).second == 0);
        CHECK(calls(single).first == calls(batched).first);  // the same points
        CHECK(single.best_f == batched.best_f);
        CHECK(single.best_x == batched.best_x);
        CHECK(single.evals == batched.evals);
        REQUIRE(single.trace.size() == batched.trace.size());
        for (std::size_t i = 0; i < single.trace.size(); ++i) CHECK(single.trace[i].best_f == batched.trace[i].best_f);
    }
}
