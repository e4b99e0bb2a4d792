// Overhead of the Python bridge per evaluation, sphere D = 10, all measured in this one run:
// a Python optimizer calling objective.evaluate(x) through the bridge and the host, against
// calling the same objective from Python directly (goal: <= 1 us more per evaluation), and
// objective.evaluate_batch of 100 points (goal: <= 0.2 us per point over the direct call of
// the C++ sphere). The Python side times itself (a plugin file written here), the direct and
// the hosted loops interleaved, and writes its figures to a file. Usage: bench_python_bridge [quick]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/instances.hpp"
#include "optbench/sdk/rng.hpp"
#include "testing.hpp"

using namespace optbench;
namespace fs = std::filesystem;

namespace {

// The Python half: an optimizer that times what it is told to, and the same sphere as a Python
// problem, so that the objective behind the bridge and the one called directly are one and the
// same code.
const char* const bench_plugin = R"(import time
import numpy as np
import optbench

def best_ns_per_call(body, calls, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter_ns()
        body()
        best = min(best, (time.perf_counter_ns() - start) / calls)
    return best

class PySphere(optbench.Problem):
    name = "py_sphere"
    description = "bench: sphere D = 10 in numpy"
    dimension, lower, upper = 10, -5.12, 5.12
    def value(self, x):
        return float(x @ x)

class PyConstant(optbench.Problem):
    name = "py_constant"
    description = "bench: 0 everywhere, D = 10: the round trip through the bridge and the host alone"
    dimension, lower, upper = 10, -5.12, 5.12
    def value(self, x):
        return 0.0

class Timer(optbench.Optimizer):
    name = "bridge_timer"
    description = "bench: times evaluations through the bridge and direct calls"
    params = [optbench.text("out", "", "file for the figures"), optbench.integer("rounds", 100, "rounds", min=1),
              optbench.choice("direct", "sphere", "sphere|constant", "the Python function timed directly")]

    def run(self, objective, seed):
        rng = np.random.default_rng(seed)
        points = rng.uniform(-5.12, 5.12, (1000, 10))
        rows = list(points)  # C-contiguous float64 rows: handed to the host without a copy
        batches = [np.ascontiguousarray(points[i:i + 100]) for i in range(0, 1000, 100)]
        rounds, figures = self.params["rounds"], {}
        calls = rounds * len(rows)
        problem = {"sphere": PySphere, "constant": PyConstant}[self.params["direct"]]({})
        sphere, evaluate, evaluate_batch = problem.value, objective.evaluate, objective.evaluate_batch
        def direct():
            for _ in range(rounds):
                for x in rows:
                    sphere(x)
        def hosted():
            for _ in range(rounds):
                for x in rows:
                    evaluate(x)
        def vectorised():
            for _ in range(rounds):
                for b in batches:
                    np.einsum("ij,ij->i", b, b)
        def hosted_batch():
            for _ in range(rounds):
                for b in batches:
                    evaluate_batch(b)
        # Interleaved, so that a change in the machine's load touches both sides of a comparison.
        for _ in range(3):
            for key, body in (("direct", direct), ("hosted", hosted), ("vectorised", vectorised),
                              ("hosted_batch", hosted_batch)):
                figures[key] = min(figures.get(key, float("inf")), best_ns_per_call(body, calls, 3))
        with open(self.params["out"], "w") as out:
            for key, value in figures.items():
                out.write(f"{key} {value}\n")

optbench.plugin("bridge_bench", "1", PySphere, PyConstant, Timer)
)";

// Runs the timer on `problem`, timing `direct` (a Python problem's value) called directly beside.
std::map<std::string, double> run_timer(const host::Registry& registry, const std::string& problem,
                                        const std::string& direct, int rounds, const fs::path& out) {
    host::RunSpec spec;
    spec.optimizer = host::parse_spec_list("bridge_timer:rounds=" + std::to_string(rounds) + ",direct=" + direct +
                                           ",out=" + out.string())
                         .at(0);
    spec.problem = host::parse_spec_list(problem).at(0);
    host::RunSettings settings;
    settings.budget = 1e12;
    const host::RunResult r = host::execute_run(registry, spec, settings);
    if (r.status != host::RunStatus::ok) throw std::runtime_error("the timing run failed: " + r.message);
    std::map<std::string, double> figures;
    std::ifstream in(out);
    std::string key;
    double value = 0;
    while (in >> key >> value) figures[key] = value;
    return figures;
}

double cpp_sphere_ns(const host::Registry& registry, std::size_t calls) {
    host::ProblemInstance problem(registry.find(abi::EntryKind::problem, "sphere"), {{"dim", "10"}});
    sdk::Rng rng(1);
    std::vector<double> points(1000 * 10);
    for (double& v : points) v = rng.uniform(-5.12, 5.12);
    double best = 1e300, sink = 0;
    host::MessageBuffer message;
    for (int repeat = 0; repeat < 5; ++repeat) {
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < calls; ++i) {
            double f = 0;
            problem.ops().value(problem.self(), {points.data() + (i % 1000) * 10, 10}, &f, message.view());
            sink += f;
        }
        const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, ns / static_cast<double>(calls));
    }
    return sink == 42 ? 0 : best;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "quick";
    const int rounds = quick ? 20 : 200;  // of 1,000 points, 5 times each
    testing::TempDir dir;
    { std::ofstream(dir.path() / "bridge_bench.py") << bench_plugin; }
    std::vector<fs::path> path = host::default_plugin_search_path();
    path.push_back(dir.path());
    const host::Registry registry = host::Registry::discover(path);

    const double cpp = cpp_sphere_ns(registry, static_cast<std::size_t>(rounds) * 1000);
    const auto on_cpp = run_timer(registry, "sphere:dim=10", "sphere", rounds, dir.path() / "cpp.txt");
    const auto on_python = run_timer(registry, "py_sphere", "sphere", rounds, dir.path() / "python.txt");
    const auto on_constant = run_timer(registry, "py_constant", "constant", rounds, dir.path() / "constant.txt");
    const double direct = on_python.at("direct");

    std::printf("CPU: %s; %s\n", cpu_model().c_str(), registry.script_runtimes().at(0).runtime().data());
    std::printf("sphere D=10, %d x 1,000 points, best of 9 (3 interleaved rounds of 3), ns per evaluation\n", rounds);
    std::printf("  C++ sphere, direct plugin call from C++           : %8.1f\n", cpp);
    std::printf("  Python sphere (numpy), called directly from Python: %8.1f\n", direct);
    std::printf("  Python -> objective.evaluate -> host -> C++ sphere : %8.1f\n", on_cpp.at("hosted"));
    std::printf("  Python -> objective.evaluate -> host -> Python sphere: %6.1f\n", on_python.at("hosted"));
    std::printf("  Python -> evaluate_batch(100 x 10) -> C++ sphere   : %8.1f per point\n", on_cpp.at("hosted_batch"));
    std::printf("  Python -> evaluate_batch(100 x 10) -> Python sphere: %8.1f per point\n",
                on_python.at("hosted_batch"));
    std::printf("  numpy einsum over the same 100 x 10, directly      : %8.1f per point\n", on_cpp.at("vectorised"));
    std::printf("  Python function returning 0, called directly       : %8.1f\n", on_constant.at("direct"));
    std::printf("  Python -> objective.evaluate -> host -> it, as a problem: %4.1f\n", on_constant.at("hosted"));
    std::printf("overhead of the bridge and the host per evaluation, the same Python objective through them vs "
                "called directly: %.0f ns with the sphere, %.0f ns with the constant (goal <= 1000 ns)\n",
                on_python.at("hosted") - direct, on_constant.at("hosted") - on_constant.at("direct"));
    std::printf("overhead per evaluation of the C++ sphere from Python, over its direct call: %.0f ns\n",
                on_cpp.at("hosted") - cpp);
    std::printf("overhead per point of a batch of 100, over the direct call of the C++ sphere: %.0f ns (goal <= "
                "200 ns)\n",
                on_cpp.at("hosted_batch") - cpp);
    return 0;
}
