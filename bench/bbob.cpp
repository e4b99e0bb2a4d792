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

using namespace optbench;

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string(argv[1]) == "quick";
    const int repeats = quick ? 2 : 100;
    try {
        const host::PluginEntry& entry = testing::registry().find(abi::EntryKind::problem, "bbob");
        for (const std::size_t dimension : {std::size_t{10}, std::size_t{40}}) {
            const auto points = testing::sample_points(1000, dimension, -6.0, 6.0);
            const double baseline =
                testing::seconds_per_point(points, repeats, [](const std::vector<double>& x) {
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
                const double seconds = testing::seconds_per_point(
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
