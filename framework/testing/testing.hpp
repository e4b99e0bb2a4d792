// Helpers for doctest suites (framework tests and plugin folders' own tests).
#pragma once

#include <cstdint>
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

// The optbench executable of this build.
std::string optbench_exe();

}  // namespace optbench::testing
