// Evaluation speed of the 24 BBOB functions through the host (as optbench eval and every run
// call them), as a multiple of a plain sum-of-squares loop over the same points, timed in this
// process.
//
//     bench_bbob [quick]    (quick: 2,000 evaluations per function and size, not 100,000)
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/instances.hpp"
#include "testing.hpp"

namespace {

using namespace optbench;
using Clock = std::chrono::steady_clock;

// Points spread over [-6, 6]^D, a little beyond the box so penalties are exercised.
std::vector<std::vector<double>> sample_points(std::size_t count, std::size_t dimension) {
    std::vector<std::vector<double>> points(count, std::vector<double>(dimension));
    std::uint64_t state = 12345;
    for (auto& x : points)
        for (double& v : x) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            v = -6.0 + 12.0 * static_cast<double>(state >> 11) * 0x1.0p-53;
        }
    return points;
}

template <class F>
double seconds_per_point(const std::vector<std::vector<double>>& points, int repeats, F&& f) {
    double sink = 0;
    const auto start = Clock::now();
    for (int r = 0; r < repeats; ++r)
        for (const auto& x : points) sink += f(x);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (sink == 42.0) std::puts("");  // keeps the evaluations from being optimized away
    return seconds / (static_cast<double>(points.size()) * repeats);
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string(argv[1]) == "quick";
    const int repeats = quick ? 2 : 100;
    try {
        const host::PluginEntry& entry = testing::registry().find(abi::EntryKind::problem, "bbob");
        for (const std::size_t dimension : {std::size_t{10}, std::size_t{40}}) {
            const auto points = sample_points(1000, dimension);
            const double baseline =
                seconds_per_point(points, repeats, [](const std::vector<double>& x) {
                    double sum = 0;
                    for (double v : x) sum += v * v;
                    return sum;
                });
            fmt::print("D = {}: plain sum of squares {:.3f} us/eval\n", dimension, baseline * 1e6);
            fmt::print("{:>4} {:>10} {:>10}\n", "f", "us/eval", "x plain");
            double total = 0;
            for (int function = 1; function <= 24; ++function) {
                host::ProblemInstance problem(entry, {{"function", std::to_string(function)},
                                                      {"instance", "1"},
                                                      {"dim", std::to_string(dimension)}});
                const double seconds = seconds_per_point(
                    points, repeats,
                    [&](const std::vector<double>& x) { return problem.value(x); });
                total += seconds;
                fmt::print("{:>4} {:>10.3f} {:>10.1f}\n", function, seconds * 1e6,
                           seconds / baseline);
            }
            fmt::print("mean {:>10.3f} {:>10.1f}\n\n", total / 24 * 1e6, total / 24 / baseline);
        }
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_bbob: {}\n", e.what());
        return 1;
    }
}
