// Wall time of mdp on an incremental problem (default mnist_mlp), as a speed-up over the same
// number of full evaluations, one per move, timed in this process on a few one-coordinate
// moves. Both displacement calls (try_move and set_base) are timed. The same in CPU time of
// this thread, which other work on a shared machine disturbs less.
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

struct Seconds {
    double wall, cpu;
};

// Mean seconds of one full evaluation after a one-coordinate move of the start point.
Seconds full_evaluation_seconds(const std::string& problem_spec, int moves) {
    const host::Spec spec = host::parse_spec_list(problem_spec).at(0);
    host::ProblemInstance problem(testing::registry().find(abi::EntryKind::problem, spec.name),
                                  spec.params);
    std::vector<double> x = problem.initial_point();
    if (x.empty()) x.assign(problem.dimension(), 0.0);
    double sink = problem.value(x);  // warm caches and lazily built data
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = testing::thread_cpu_seconds();
    for (int k = 0; k < moves; ++k) {
        const std::size_t i = static_cast<std::size_t>(k) * 7919 % x.size();
        x[i] += 1e-3;
        sink += problem.value(x);
    }
    const double cpu = testing::thread_cpu_seconds() - cpu_start;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (sink == 42.0) std::puts("");  // keeps the evaluations from being optimized away
    return {seconds / moves, cpu / moves};
}

}  // namespace

int main(int argc, char** argv) {
    const auto [quick, problem] = testing::bench_arguments(argc, argv, "mnist_mlp");
    const double budget = quick ? 2e4 : 1e6;
    const int baseline_moves = quick ? 20 : 200;

    try {
        fmt::print("{}\n", testing::cpu_model());
        const Seconds full = full_evaluation_seconds(problem, baseline_moves);
        fmt::print("problem {}: full evaluation per move {:.1f} us, {:.1f} us of CPU (mean of {} moves)\n",
                   problem, full.wall * 1e6, full.cpu * 1e6, baseline_moves);
        fmt::print("{:<32} {:>10} {:>9} {:>9} {:>10} {:>12} {:>9} {:>9}\n", "optimizer", "evals", "wall_s",
                   "cpu_s", "us/eval", "best_f", "speed-up", "(cpu)");
        for (const char* optimizer : {"mdp", "mdp:displacement_call=base"}) {
            const double cpu_start = testing::thread_cpu_seconds();
            const host::RunResult result = testing::run(optimizer, problem, budget, 1);
            const double cpu = testing::thread_cpu_seconds() - cpu_start;
            if (result.status != optbench::host::RunStatus::ok) {
                fmt::print(stderr, "{}: {}\n", optimizer, result.message);
                return 1;
            }
            fmt::print("{:<32} {:>10} {:>9.2f} {:>9.2f} {:>10.2f} {:>12.4g} {:>8.0f}x {:>8.0f}x\n", optimizer,
                       result.evals, result.wall_s, cpu, result.wall_s / result.evals * 1e6, result.best_f,
                       full.wall * result.evals / result.wall_s, full.cpu * result.evals / cpu);
        }
        fmt::print("(goal: speed-up >= 200x)\n");
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_mdp: {}\n", e.what());
        return 1;
    }
}
