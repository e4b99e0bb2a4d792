// Host overhead per evaluation (counting, budget cap, best-so-far, NaN screen, trace check):
// the same sphere D=10 evaluations once called directly through the problem plugin's function
// table, once through the optimizer-side sdk::Objective and the host. Usage: bench_host_overhead [quick]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

#include "core/objective.hpp"
#include "optbench/sdk/objective.hpp"
#include "optbench/sdk/rng.hpp"
#include "testing.hpp"

using namespace optbench;

namespace {

using Clock = std::chrono::steady_clock;

template <class Body>
double best_ns_per_call(int repeats, std::size_t calls, Body&& body) {
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        body(calls);
        const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
        best = std::min(best, ns / static_cast<double>(calls));
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "quick";
    const std::size_t calls = quick ? 200'000 : 5'000'000;
    const int repeats = quick ? 2 : 7;
    const std::size_t dim = 10;

    const auto& registry = testing::registry();
    host::ProblemInstance problem(registry.find(abi::EntryKind::problem, "sphere"), {{"dim", "10"}});
    // Points from a random walk that rarely improves, like a random search late in a run.
    sdk::Rng rng(1);
    std::vector<double> points(1024 * dim);
    for (double& v : points) v = rng.uniform(-5.12, 5.12);

    double sink = 0;
    const double direct = best_ns_per_call(repeats, calls, [&](std::size_t n) {
        host::MessageBuffer message;
        const abi::ProblemOps& ops = problem.ops();
        for (std::size_t i = 0; i < n; ++i) {
            double f = 0;
            ops.value(problem.self(), {points.data() + (i % 1024) * dim, dim}, &f, message.view());
            sink += f;
        }
    });
    const auto through_host = [&](host::RunProgress* progress) {
        return best_ns_per_call(repeats, calls, [&](std::size_t n) {
            host::ObjectiveSettings settings;
            settings.budget = static_cast<double>(n);
            settings.progress = progress;
            host::Objective objective(problem, settings);
            sdk::Objective view(objective.view());
            for (std::size_t i = 0; i < n; ++i)
                sink += view.evaluate(std::span<const double>(points.data() + (i % 1024) * dim, dim));
        });
    };
    const double hosted = through_host(nullptr);
    host::RunProgress progress;  // a campaign's workers keep one up to date, for their crashes
    const double reported = through_host(&progress);
    std::printf("sphere D=10, %zu evaluations, best of %d\n", calls, repeats);
    std::printf("  direct plugin call          : %7.2f ns/eval\n", direct);
    std::printf("  through the host            : %7.2f ns/eval\n", hosted);
    std::printf("  ... keeping a RunProgress   : %7.2f ns/eval (ratio %.2fx without)\n", reported,
                reported / hosted);
    std::printf("  host overhead in a campaign : %7.2f ns/eval (goal <= 15 ns; ratio %.2fx the direct call)\n",
                reported - direct, reported / direct);
    return sink == 42 ? 1 : 0;
}
