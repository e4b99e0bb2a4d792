#include "testing.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

#include <sys/wait.h>
#include <time.h>

#include "base/spec.hpp"

namespace optbench::testing {

namespace fs = std::filesystem;

fs::path binary_dir() { return OPTBENCH_BINARY_DIR; }
fs::path source_dir() { return OPTBENCH_SOURCE_DIR; }
fs::path test_plugin_dir() { return binary_dir() / "lib" / "optbench" / "test-plugins"; }
std::string optbench_exe() { return (binary_dir() / "bin" / "optbench").string(); }

const host::Registry& registry() {
    static const host::Registry instance = [] {
        auto path = host::default_plugin_search_path();
        path.push_back(test_plugin_dir());
        return host::Registry::discover(path);
    }();
    return instance;
}

host::RunResult run(const std::string& optimizer_spec, const std::string& problem_spec,
                    double budget, std::uint64_t seed, host::RunSettings settings) {
    const auto optimizers = host::parse_spec_list(optimizer_spec);
    const auto problems = host::parse_spec_list(problem_spec);
    if (optimizers.size() != 1 || problems.size() != 1)
        throw std::invalid_argument("testing::run takes one optimizer and one problem spec");
    host::RunSpec spec;
    spec.optimizer = optimizers[0];
    spec.problem = problems[0];
    spec.seed = seed;
    settings.budget = budget;
    return host::execute_run(registry(), spec, settings, true);
}

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "optbench-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::vector<std::vector<double>> sample_points(std::size_t count, std::size_t dimension, double low, double high) {
    std::vector<std::vector<double>> points(count, std::vector<double>(dimension));
    std::uint64_t state = 12345;
    for (auto& x : points)
        for (double& v : x) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            v = low + (high - low) * static_cast<double>(state >> 11) * 0x1.0p-53;
        }
    return points;
}

int shell(const std::string& command, std::string* output) {
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return -1;
    std::array<char, 4096> buffer{};
    std::string text;
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) text.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    if (output) *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

BenchArguments bench_arguments(int argc, char** argv, std::string problem) {
    BenchArguments arguments{false, std::move(problem)};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "quick")
            arguments.quick = true;
        else
            arguments.problem = arg;
    }
    return arguments;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
            return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

}  // namespace optbench::testing
