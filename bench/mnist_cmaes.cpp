// sep-CMA-ES on mnist_mlp (D = 25,450, population 34): a run handing each population to the
// objective in one call (the problem then evaluates it as a batch) against the same run with
// one call per point (cmaes:batch=off), in the same process. Both give the same result, bit
// for bit; the ratio is what batched evaluation saves. Wall time (what a campaign waits) and
// this process's CPU time (less disturbed by other work on the machine) are both reported.
//
//     bench_mnist_cmaes [evaluations]      (default 100,000: a few minutes per run)
#include <cstdio>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "testing.hpp"

namespace {

using namespace optbench;

double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const double evaluations = argc > 1 ? std::stod(argv[1]) : 1e5;
        fmt::print("{}\nsep-CMA-ES on mnist_mlp, {:.0f} evaluations, seed 1\n", testing::cpu_model(), evaluations);
        fmt::print("{:<36} {:>9} {:>9} {:>20}\n", "optimizer", "wall_s", "cpu_s", "best_f");
        struct Timing {
            double wall_s, cpu_s, best_f;
        };
        Timing timings[2];
        int i = 0;
        for (const char* optimizer : {"cmaes:covariance=sep", "cmaes:covariance=sep,batch=off"}) {
            const double cpu_start = process_cpu_seconds();
            const host::RunResult r = testing::run(optimizer, "mnist_mlp", evaluations, 1);
            const double cpu_s = process_cpu_seconds() - cpu_start;
            if (r.status != host::RunStatus::ok) {
                fmt::print(stderr, "{}: {}\n", optimizer, r.message);
                return 1;
            }
            fmt::print("{:<36} {:>9.1f} {:>9.1f} {:>20.17g}\n", optimizer, r.wall_s, cpu_s, r.best_f);
            timings[i++] = {r.wall_s, cpu_s, r.best_f};
        }
        fmt::print("batched evaluation: {:.2f}x less wall time, {:.2f}x less CPU time (goal >= 3x); same best_f: {}\n",
                   timings[1].wall_s / timings[0].wall_s, timings[1].cpu_s / timings[0].cpu_s,
                   timings[0].best_f == timings[1].best_f ? "yes" : "NO");
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_mnist_cmaes: {}\n", e.what());
        return 1;
    }
}
