// Helpers for doctest suites (framework tests and plugin folders' own tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>
#include <filesystem>
#include <string>

#include "core/run.hpp"

namespace optbench::testing {

std::filesystem::path binary_dir();
std::filesystem::path source_dir();
// Test-only plugins (conformance problems, misbehaving optimizers) built by tests/.
std::filesystem::path test_plugin_dir();

// The plugins of the build tree plus the test-only ones, loaded once.
const host::Registry& registry();

// Runs optimizer_spec on problem_spec (one spec each, e.g. "cmaes:covariance=sep",
// "sphere:dim=10") with the given budget and seed; the best point is kept.
host::RunResult run(const std::string& optimizer_spec, const std::string& problem_spec,
                    double budget, std::uint64_t seed = 1, host::RunSettings settings = {});

// A fresh folder under the system's temporary directory, removed with its content.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Runs a shell command; returns its exit code and fills output with stdout and stderr.
int shell(const std::string& command, std::string* output = nullptr);

// `count` points uniform in [low, high]^dimension from a fixed generator: the same points on
// every machine, for benchmarks.
std::vector<std::vector<double>> sample_points(std::size_t count, std::size_t dimension, double low, double high);

// Seconds per point of f over `points` (repeated `repeats` times): the fastest of 5 trials, the
// least disturbed by other work on the machine.
template <class F>
double seconds_per_point(const std::vector<std::vector<double>>& points, int repeats, F&& f) {
    double sink = 0, best = 0;
    for (int trial = 0; trial < 5; ++trial) {
        const auto start = std::chrono::steady_clock::now();
        for (int r = 0; r < repeats; ++r)
            for (const auto& x : points) sink += f(x);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (trial == 0 || seconds < best) best = seconds;
    }
    if (sink == 42.0) std::puts("");  // keeps the evaluations from being optimized away
    return best / (static_cast<double>(points.size()) * static_cast<double>(repeats));
}

// This thread's CPU time in seconds, for benchmarks on a shared machine: wall time would count
// the time other processes hold the core.
double thread_cpu_seconds();

// The arguments of a benchmark run as `NAME [quick] [problem spec]`: the spec defaults to
// `problem`.
struct BenchArguments {
    bool quick = false;
    std::string problem;
};
BenchArguments bench_arguments(int argc, char** argv, std::string problem);

// The optbench executable of this build.
std::string optbench_exe();

// The processor's model name (from /proc/cpuinfo; "unknown CPU" elsewhere), for benchmarks to
// say where they ran.
std::string cpu_model();

}  // namespace optbench::testing
