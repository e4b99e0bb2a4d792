// Wall time of mdp on an incremental problem (default mnist_mlp), as a speed-up over the same
// number of full evaluations, one per move, timed in this process on a few one-coordinate
// moves. Both displacement calls (try_move and set_base) are timed.
//
//     bench_mdp [quick] [problem spec]      (quick: 20,000 evaluations instead of 1,000,000)
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/instances.hpp"
#include "base/spec.hpp"
#include "testing.hpp"

namespace {

using namespace optbench;

// Mean seconds of one full evaluation after a one-coordinate move of the start point.
double full_evaluation_seconds(const std::string& problem_spec, int moves) {
    const host::Spec spec = host::parse_spec_list(problem_spec).at(0);
    host::ProblemInstance problem(testing::registry().find(abi::EntryKind::problem, spec.name),
                                  spec.params);
    std::vector<double> x = problem.initial_point();
    if (x.empty()) x.assign(problem.dimension(), 0.0);
    double sink = problem.value(x);  // warm caches and lazily built data
    const auto start = std::chrono::steady_clock::now();
    for (int k = 0; k < moves; ++k) {
        const std::size_t i = static_cast<std::size_t>(k) * 7919 % x.size();
        x[i] += 1e-3;
        sink += problem.value(x);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (sink == 42.0) std::puts("");  // keeps the evaluations from being optimized away
    return seconds / moves;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    std::string problem = "mnist_mlp";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "quick")
            quick = true;
        else
            problem = arg;
    }
    const double budget = quick ? 2e4 : 1e6;
    const int baseline_moves = quick ? 20 : 200;

    try {
        const double full_s = full_evaluation_seconds(problem, baseline_moves);
        fmt::print("problem {}: full evaluation per move {:.1f} us (mean of {} moves)\n", problem,
                   full_s * 1e6, baseline_moves);
        fmt::print("{:<32} {:>10} {:>9} {:>10} {:>12} {:>9}\n", "optimizer", "evals", "wall_s",
                   "us/eval", "best_f", "speed-up");
        for (const char* optimizer : {"mdp", "mdp:displacement_call=base"}) {
            const host::RunResult result = testing::run(optimizer, problem, budget, 1);
            if (result.status != optbench::host::RunStatus::ok) {
                fmt::print(stderr, "{}: {}\n", optimizer, result.message);
                return 1;
            }
            fmt::print("{:<32} {:>10} {:>9.2f} {:>10.2f} {:>12.4g} {:>8.0f}x\n", optimizer,
                       result.evals, result.wall_s, result.wall_s / result.evals * 1e6,
                       result.best_f, full_s * result.evals / result.wall_s);
        }
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_mdp: {}\n", e.what());
        return 1;
    }
}
