// What hold-out metrics along a run cost in wall time (free in the budget, not in time): runs of
// mdp (one-weight incremental moves, the cheapest evaluations, so the worst case) and
// random_search (full evaluations) on mnist_mlp at the default spacing, 10 checkpoints per
// decade and the end: the time the host spent computing hold-out metrics as a fraction of the
// run (goal < 10 %). Each run is repeated with hold-out metrics only at the end, as a check
// that the difference is what the host measured. Needs the npm digits (scripts/fetch-data.sh).
//
//     bench_holdout [quick] [problem spec]      (quick: 10^4 mdp moves, 300 random points)
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/spec.hpp"
#include "core/objective.hpp"
#include "testing.hpp"

namespace {

using namespace optbench;

struct Timing {
    double run_s = 0;      // the optimizer's run and the final hold-out metrics
    double holdout_s = 0;  // of which computing hold-out metrics
    std::size_t checkpoints = 0;
    double best_f = 0;
};

Timing timed_run(const host::Spec& problem_spec, const host::Spec& optimizer_spec, double budget, int per_decade) {
    host::ProblemInstance problem(testing::registry().find(abi::EntryKind::problem, problem_spec.name),
                                  problem_spec.params);
    host::OptimizerInstance optimizer(testing::registry().find(abi::EntryKind::optimizer, optimizer_spec.name),
                                      optimizer_spec.params);
    host::ObjectiveSettings settings;
    settings.budget = budget;
    settings.holdout_per_decade = per_decade;
    const auto start = std::chrono::steady_clock::now();
    host::Objective objective(problem, settings);
    const auto [status, message] = optimizer.run(objective.view(), 1);
    if (status != abi::Status::ok) throw std::runtime_error(optimizer_spec.text() + ": " + message);
    objective.finish();
    objective.final_holdout();
    Timing t;
    t.run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    t.holdout_s = objective.holdout_s();
    for (std::size_t i = 0; i < objective.holdout().size(); ++i)
        t.checkpoints += i == 0 || objective.holdout()[i].evals != objective.holdout()[i - 1].evals;
    t.best_f = objective.best_f();
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    const auto [quick, problem] = testing::bench_arguments(argc, argv, "mnist_mlp");
    const std::vector<std::pair<std::string, double>> cases =
        quick ? std::vector<std::pair<std::string, double>>{{"mdp", 1e4}, {"random_search", 300}}
              : std::vector<std::pair<std::string, double>>{{"mdp", 1e4}, {"mdp", 1e5}, {"random_search", 3000}};
    try {
        const host::Spec spec = host::parse_spec_list(problem).at(0);
        fmt::print("problem {}: hold-out metrics at 10 log-spaced counts per decade and at the end\n", problem);
        fmt::print("{:<16} {:>9} {:>12} {:>9} {:>10} {:>9} {:>16}\n", "optimizer", "evals", "checkpoints", "run_s",
                   "holdout_s", "fraction", "run_s (end only)");
        for (const auto& [optimizer, budget] : cases) {
            const host::Spec optimizer_spec = host::parse_spec_list(optimizer).at(0);
            const Timing along = timed_run(spec, optimizer_spec, budget, 10);
            const Timing at_end = timed_run(spec, optimizer_spec, budget, 0);
            if (along.best_f != at_end.best_f) {
                fmt::print(stderr, "{}: hold-out metrics changed the run (best f {} against {})\n", optimizer,
                           along.best_f, at_end.best_f);
                return 1;
            }
            fmt::print("{:<16} {:>9.0f} {:>12} {:>9.2f} {:>10.3f} {:>8.1f}% {:>16.2f}\n", optimizer, budget,
                       along.checkpoints, along.run_s, along.holdout_s, 100 * along.holdout_s / along.run_s,
                       at_end.run_s);
        }
        fmt::print("goal: fraction < 10 %\n");
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_holdout: {}\n", e.what());
        return 1;
    }
}
