// The cmaes plugin against the reference table of its issue, and its own cost per sample.
//
// (1) Median evaluations to f < 1e-8 (over the successful runs) and success rate, 10 runs per
//     cell: instance k (the uniform start in [-5, 5]^D) with seed k, sigma0 = 3, default
//     population, run through the host with its target stop.
// (2) Standard normal numbers: sdk::fill_normal (each of its paths) against a loop over
//     Rng::normal(), per number, beside a dot product of the same length.
// (3) Time per sample of the strategy itself (sampling, update, eigendecompositions; the
//     trivial objective f = |x|^2 is timed apart and left out), full mode at D = 1,000 (also
//     with the tutorial's eigendecomposition lag) and sep mode at D = 25,450, with the part
//     its normal numbers take, the same numbers by Rng::normal(), and one length-D dot
//     product, all measured in the same run. Also the wall time per evaluation of the whole
//     plugin through the host on sphere (evaluating sphere and the host's bookkeeping
//     included).
// (2) and (3) are CPU time of this thread: the machine is shared.
//
// Rastrigin with IPOP is also run 100 times at D = 10: success comes at the restart with
// population 80, 160 or 320, about half the runs by 160, so a median of 10 runs lands on
// either side of that step (about 50,000 or 80,000).
//
//     bench_cmaes [quick] [cost]   about a minute; quick: 2 runs per cell, D = 10 only, fewer
//                                  generations (seconds); cost: (2) and (3) only
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "optbench/sdk/normals.hpp"
#include "strategy.hpp"
#include "testing.hpp"

namespace {

using namespace optbench;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Cell {
    std::string problem;
    int dim;
    std::string mode;  // optimizer parameters after sigma0=3
    double budget;
    std::string reference;  // the figures for this mode
    int runs = 10;
};

struct Outcome {
    double median_evals = std::numeric_limits<double>::quiet_NaN();
    int successes = 0;
    int runs = 0;
    double wall_s = 0;
};

Outcome measure(const Cell& cell, int runs) {
    Outcome outcome;
    std::vector<double> evals;
    const auto start = Clock::now();
    for (int k = 1; k <= runs; ++k) {
        host::RunSettings settings;
        settings.target_error = 1e-8;
        const std::string problem =
            fmt::format("{}:dim={},bounds=-5:5,instance={}", cell.problem, cell.dim, k);
        const host::RunResult result =
            testing::run("cmaes:sigma0=3" + cell.mode, problem, cell.budget,
                         static_cast<std::uint64_t>(k), settings);
        if (result.status != optbench::host::RunStatus::ok)
            throw std::runtime_error(
                fmt::format("{} on {}: {}", cell.mode, problem, result.message));
        if (result.stop_reason_text() == "target") evals.push_back(result.evals);
    }
    outcome.wall_s = seconds_since(start);
    outcome.runs = runs;
    outcome.successes = static_cast<int>(evals.size());
    if (!evals.empty()) {
        std::sort(evals.begin(), evals.end());
        const std::size_t m = evals.size();
        outcome.median_evals = m % 2 ? evals[m / 2] : (evals[m / 2 - 1] + evals[m / 2]) / 2;
    }
    return outcome;
}

void reference_table(bool quick) {
    const std::vector<Cell> cells = {
        {"sphere", 10, "", 1e5, "pagmo2 1,496 / CyberAgent 1,496"},
        {"sphere", 10, ",covariance=sep", 1e5, "SepCMA 1,296"},
        {"sphere", 40, "", 1e6, "pagmo2 5,270 / CyberAgent 5,318"},
        {"sphere", 40, ",covariance=sep", 1e6, "SepCMA 5,061"},
        {"ellipsoid", 10, "", 1e5, "pagmo2 5,748 / CyberAgent 4,246"},
        {"ellipsoid", 10, ",covariance=sep", 1e5, "SepCMA 2,712"},
        {"ellipsoid", 40, "", 1e6, "pagmo2 68,424 / CyberAgent 49,968"},
        {"ellipsoid", 40, ",covariance=sep", 1e6, "SepCMA 14,983"},
        {"rosenbrock", 10, "", 1e5, "pagmo2 5,844 (9/10) / CyberAgent 5,368 (9/10)"},
        {"rosenbrock", 10, ",covariance=sep", 1e6, "SepCMA fails"},
        {"rosenbrock", 40, "", 1e6, "pagmo2 80,801 (9/10) / CyberAgent 63,458 (10/10)"},
        {"rosenbrock", 40, ",covariance=sep", 2e6, "SepCMA 270,940 (8/10)"},
        {"rastrigin", 10, ",restarts=ipop", 1e6, "CyberAgent 52,782 (10/10)"},
        {"rastrigin", 10, ",restarts=ipop", 1e6, "CyberAgent 52,782 (10/10)", 100},
        {"rastrigin", 40, ",restarts=ipop", 3e6, "CyberAgent 840,990 (5/5)"},
    };
    fmt::print("## Evaluations to f < 1e-8 (median over the successful runs)\n\n");
    fmt::print(
        "| problem | D | cmaes params | ours: median (successes) | issue | budget | wall s |\n");
    fmt::print("|---|---|---|---|---|---|---|\n");
    for (const Cell& cell : cells) {
        if (quick && (cell.dim != 10 || cell.runs != 10)) continue;
        const Outcome o = measure(cell, quick ? 2 : cell.runs);
        const std::string median =
            std::isnan(o.median_evals) ? "fails" : fmt::format("{:.0f}", o.median_evals);
        fmt::print("| {} | {} | sigma0=3{} | {} ({}/{}) | {} | {:.0e} | {:.1f} |\n", cell.problem,
                   cell.dim, cell.mode, median, o.successes, o.runs, cell.reference, cell.budget,
                   o.wall_s);
        std::fflush(stdout);
    }
}

double cpu_seconds_since(double start) { return testing::thread_cpu_seconds() - start; }

struct SampleCost {
    double strategy_s = 0;    // per sample
    double normals_s = 0;     // per sample: fill_normal drawing a generation's D x lambda
    double rng_normal_s = 0;  // per sample: the same numbers by a loop over Rng::normal()
    std::size_t generations = 0;
};

// Runs the strategy on f = |x|^2 without bounds for the given number of generations.
SampleCost time_strategy(std::size_t n, cmaes::Covariance covariance, std::size_t generations,
                         const cmaes::Options& options) {
    sdk::Rng rng(1);
    const double inf = std::numeric_limits<double>::infinity();
    const cmaes::Box box(std::vector<double>(n, -inf), std::vector<double>(n, inf));
    cmaes::Strategy strategy(box.uniform_point(rng, 10), 1.0, cmaes::default_popsize(n), covariance,
                             options);
    const std::size_t lambda = strategy.constants().lambda;
    Eigen::MatrixXd x;
    std::vector<double> values(lambda);
    SampleCost cost;
    double objective_s = 0;
    const double start = testing::thread_cpu_seconds();
    for (; cost.generations < generations && strategy.stop_reason().empty(); ++cost.generations) {
        strategy.sample(rng, box, x);
        const double objective_start = testing::thread_cpu_seconds();
        for (std::size_t k = 0; k < lambda; ++k)
            values[k] = x.col(static_cast<Eigen::Index>(k)).squaredNorm();
        objective_s += cpu_seconds_since(objective_start);
        strategy.tell(values);
    }
    const double samples = static_cast<double>(cost.generations * lambda);
    cost.strategy_s = (cpu_seconds_since(start) - objective_s) / samples;

    Eigen::MatrixXd z(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(lambda));
    const std::span<double> numbers(z.data(), static_cast<std::size_t>(z.size()));
    const double normals_start = testing::thread_cpu_seconds();
    for (std::size_t g = 0; g < cost.generations; ++g) sdk::fill_normal(rng, numbers);
    cost.normals_s = cpu_seconds_since(normals_start) / samples;
    const double loop_start = testing::thread_cpu_seconds();
    for (std::size_t g = 0; g < cost.generations; ++g)
        for (double& number : numbers) number = rng.normal();
    cost.rng_normal_s = cpu_seconds_since(loop_start) / samples;
    if (z.sum() == 42.0) std::puts("");  // keeps the draws from being optimized away
    return cost;
}

// Median CPU time of one call of f, over 7 rounds of `calls` calls.
template <class F>
double seconds_per_call(int calls, F&& f) {
    std::vector<double> rounds;
    for (int round = 0; round < 7; ++round) {
        const double start = testing::thread_cpu_seconds();
        for (int call = 0; call < calls; ++call) f();
        rounds.push_back(cpu_seconds_since(start) / calls);
    }
    std::sort(rounds.begin(), rounds.end());
    return rounds[rounds.size() / 2];
}

// One length-n dot product (Eigen, as the strategy is compiled), the unit the other costs
// are set against.
double dot_product_seconds(std::size_t n) {
    sdk::Rng rng(2);
    Eigen::VectorXd a(static_cast<Eigen::Index>(n)), b(static_cast<Eigen::Index>(n));
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        a[i] = rng.uniform();
        b[i] = rng.uniform();
    }
    double sink = 0;
    const int calls = static_cast<int>(std::max<std::size_t>(1, 50'000'000 / n));
    const double seconds = seconds_per_call(calls, [&] {
        sink += a.dot(b);
        b[0] = sink * 1e-300;  // a new product every call
    });
    if (sink == 42.0) std::puts("");
    return seconds;
}

void cost_per_sample(bool quick) {
    struct Case {
        const char* label;
        std::size_t n;
        cmaes::Covariance covariance;
        std::size_t generations;
        double eigen_lag;
        double goal_s;
        const char* host_optimizer;  // null: not run through the host
    };
    // Full mode at D = 1,000 eigendecomposes every ~420 generations (1,500 cover three); with
    // the tutorial's lag, 0.1 / D, every 8.
    const std::vector<Case> cases = {
        {"full", 1000, cmaes::Covariance::full, quick ? 30u : 1500u, cmaes::Options{}.eigen_lag,
         1e-3, "cmaes:covariance=full"},
        {"full, tutorial's eigen_lag 1e-4", 1000, cmaes::Covariance::full, quick ? 10u : 100u, 1e-4,
         1e-3, nullptr},
        {"sep", 25450, cmaes::Covariance::separable, quick ? 10u : 300u, 0, 50e-6,
         "cmaes:covariance=sep"},
    };
    fmt::print("\n## Cost per sample (trivial objective; CPU time)\n\n");
    fmt::print(
        "| mode | D | generations | strategy us/sample | its D normals (fill_normal) us | "
        "strategy beyond normals us | D normals by Rng::normal() us | dot product (length D) us "
        "| strategy / dot product | goal us | through the host on sphere, us/eval (wall) |\n");
    fmt::print("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const Case& c : cases) {
        cmaes::Options options;
        options.eigen_lag = c.eigen_lag;
        const SampleCost cost = time_strategy(c.n, c.covariance, c.generations, options);
        const double dot_s = dot_product_seconds(c.n);
        std::string hosted_us = "-";
        if (c.host_optimizer) {
            const double lambda = static_cast<double>(cmaes::default_popsize(c.n));
            const double budget = lambda * static_cast<double>(c.generations);
            const host::RunResult hosted =
                testing::run(c.host_optimizer, fmt::format("sphere:dim={}", c.n), budget, 1);
            if (hosted.status != optbench::host::RunStatus::ok)
                throw std::runtime_error(fmt::format("{}: {}", c.host_optimizer, hosted.message));
            hosted_us = fmt::format("{:.1f}", hosted.wall_s / hosted.evals * 1e6);
        }
        fmt::print("| {} | {} | {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.2f} | {:.1f} | {:.0f} | {} |\n",
                   c.label, c.n, cost.generations, cost.strategy_s * 1e6, cost.normals_s * 1e6,
                   (cost.strategy_s - cost.normals_s) * 1e6, cost.rng_normal_s * 1e6, dot_s * 1e6,
                   cost.strategy_s / dot_s, c.goal_s * 1e6, hosted_us);
        std::fflush(stdout);
    }
}

// Standard normal numbers per call as CMA-ES draws them: a sep generation at D = 25,450
// (D x lambda = 865,300) and a full one at D = 10 (100), by each path of fill_normal, against
// a loop over Rng::normal() and beside a dot product of the same length.
void normal_numbers(bool quick) {
    fmt::print("\n## Standard normal numbers (CPU time; goal <= 1.5 ns each)\n\n");
    fmt::print(
        "| numbers per call | generator | ns per number | speed-up over Rng::normal() | "
        "dot product of that length, ns per element |\n");
    fmt::print("|---|---|---|---|---|\n");
    for (const std::size_t count : {std::size_t{865'300}, std::size_t{100}}) {
        const int calls = static_cast<int>((quick ? 20'000'000 : 200'000'000) / count / 7);
        std::vector<double> numbers(count);
        sdk::Rng rng(3);
        const auto per_number = [&](auto&& draw) {
            return seconds_per_call(calls, draw) / static_cast<double>(count);
        };
        const double loop_s = per_number([&] {
            for (double& number : numbers) number = rng.normal();
        });
        struct Row {
            std::string generator;
            double seconds;
        };
        std::vector<Row> rows = {
            {"loop over Rng::normal()", loop_s},
            {"fill_normal, scalar path", per_number([&] {
                 sdk::ziggurat::Lanes lanes(rng);
                 sdk::ziggurat::fill_rounds_generic(lanes, rng, numbers.data(),
                                                    count / sdk::ziggurat::lanes);
             })},
        };
#ifdef OPTBENCH_SDK_NORMALS_AVX512
        if (sdk::ziggurat::has_avx512())
            rows.push_back({"fill_normal, AVX-512 path", per_number([&] {
                                sdk::ziggurat::Lanes lanes(rng);
                                sdk::ziggurat::fill_rounds_avx512(
                                    lanes, rng, numbers.data(), count / sdk::ziggurat::lanes);
                            })});
#endif
        rows.push_back({"fill_normal (what plugins call)",
                        per_number([&] { sdk::fill_normal(rng, numbers); })});
        const double dot_per_element = dot_product_seconds(count) / static_cast<double>(count);
        for (const Row& row : rows)
            fmt::print("| {} | {} | {:.2f} | {:.1f} | {:.2f} |\n", count, row.generator,
                       row.seconds * 1e9, loop_s / row.seconds, dot_per_element * 1e9);
        if (numbers[0] == 42.0) std::puts("");
        std::fflush(stdout);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto given = [&](const char* word) {
        return std::find(args.begin(), args.end(), word) != args.end();
    };
    const bool quick = given("quick");
    try {
        if (!given("cost")) reference_table(quick);
        normal_numbers(quick);
        cost_per_sample(quick);
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_cmaes: {}\n", e.what());
        return 1;
    }
}
