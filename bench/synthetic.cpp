// Classic functions through the plugin boundary: evaluations per second of sphere and
// rastrigin against a plain loop, and one-coordinate moves (try_move through the host's
// objective, as an optimizer makes them) against the naive way, a full evaluation of the
// moved copy. Usage: bench_synthetic [quick]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <numbers>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/instances.hpp"
#include "core/objective.hpp"
#include "optbench/sdk/objective.hpp"
#include "optbench/sdk/rng.hpp"
#include "testing.hpp"

namespace {

using namespace optbench;

// Not inlined: a call per evaluation, as for the plugin.
[[gnu::noinline]] double plain_sphere(std::span<const double> x) {
    double sum = 0;
    for (double v : x) sum += v * v;
    return sum;
}

[[gnu::noinline]] double plain_rastrigin(std::span<const double> x) {
    double sum = 0;
    for (double v : x) sum += v * v - 10 * std::cos(2 * std::numbers::pi * v);
    return 10 * static_cast<double>(x.size()) + sum;
}

// Makes the compiler assume *data changed, so a loop over the same point is not hoisted out
// of the timing loop.
void clobber(const void* data) { asm volatile("" : : "r"(data) : "memory"); }

// Processor time, so that other jobs on a shared machine slow the measurement less.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// Calls body() in three rounds of at least seconds/3 each; returns the best round's calls per
// second. The clock is read once per batch (reading it costs more than a small evaluation).
// sink keeps the results alive so the calls are not optimised away.
template <class Body>
double rate(double seconds, Body&& body, double& sink) {
    double best = 0;
    for (int round = 0; round < 3; ++round) {
        const double start = cpu_seconds();
        double elapsed = 0;
        long calls = 0;
        for (long batch = 1; elapsed < seconds / 3; batch *= 2) {
            for (long k = 0; k < batch; ++k) sink += body();
            calls += batch;
            elapsed = cpu_seconds() - start;
        }
        best = std::max(best, static_cast<double>(calls) / elapsed);
    }
    return best;
}

std::unique_ptr<host::ProblemInstance> make_problem(const std::string& name, std::size_t dim) {
    const auto& entry = testing::registry().find(abi::EntryKind::problem, name);
    return std::make_unique<host::ProblemInstance>(
        entry, sdk::Params::Given{{"dim", std::to_string(dim)}});
}

void full_evaluations(const std::string& name, double (*plain)(std::span<const double>),
                      std::size_t dim, double seconds, double& sink) {
    auto problem = make_problem(name, dim);
    const auto x = problem->initial_point();
    const double plugin = rate(seconds, [&] { return problem->value(x); }, sink);
    const double baseline = rate(seconds, [&] {
        clobber(x.data());
        return plain(x);
    }, sink);
    std::printf("%-10s full     D=%-8zu %12.4g evals/s   plain loop %12.4g evals/s   ratio %6.3f\n",
                name.c_str(), dim, plugin, baseline, plugin / baseline);
}

void one_coordinate_moves(const std::string& name, std::size_t dim, long moves, double seconds,
                          double& sink) {
    auto problem = make_problem(name, dim);
    host::ObjectiveSettings settings;
    settings.budget = 1e12;
    host::Objective host_side(*problem, settings);
    sdk::Objective objective(host_side.view());
    auto x = problem->initial_point();
    objective.set_base(x);

    // The moves of a simple (1+1) search: one random coordinate, accept improvements.
    sdk::Rng rng(1);
    double f = INFINITY;
    std::vector<std::size_t> index(1);
    std::vector<double> value(1);
    const double start = cpu_seconds();
    for (long m = 0; m < moves; ++m) {
        index[0] = rng.index(dim);
        value[0] = rng.uniform(problem->lower(index[0]), problem->upper(index[0]));
        const double trial = objective.try_move(index, value);
        if (trial < f) {
            objective.accept();
            f = trial;
        }
    }
    const double incremental_s = cpu_seconds() - start;
    const double incremental = static_cast<double>(moves) / incremental_s;

    const double naive = rate(seconds, [&] {
        const std::size_t j = rng.index(dim);
        const double old = x[j];
        x[j] = rng.uniform(problem->lower(j), problem->upper(j));
        const double moved = problem->value(x);
        x[j] = old;
        return moved;
    }, sink);
    std::printf("%-10s 1-coord  D=%-8zu %12.4g moves/s   full eval  %12.4g moves/s   ratio %6.0f"
                "   (%ld moves in %.3f CPU s)\n",
                name.c_str(), dim, incremental, naive, incremental / naive, moves, incremental_s);
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "quick";
    const double seconds = quick ? 0.05 : 1.0;
    double sink = 0;
    for (std::size_t dim : {std::size_t{10}, std::size_t{1000}, std::size_t{1'000'000}}) {
        full_evaluations("sphere", plain_sphere, dim, seconds, sink);
        full_evaluations("rastrigin", plain_rastrigin, dim, seconds, sink);
    }
    const long moves = quick ? 10'000 : 1'000'000;
    for (const char* name : {"sphere", "rastrigin"})
        one_coordinate_moves(name, 1'000'000, moves, seconds, sink);
    std::printf("(checksum %g)\n", sink);
}
