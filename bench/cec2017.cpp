// Evaluation speed of the CEC 2017 functions (F1, F3..F30) at D = 10 and 100, as a multiple of
// one dense D x D matrix-vector product (Eigen, y = M x) timed in this process: the floor for a
// rotated function. Each function is timed twice: through the host (ProblemInstance::value, as
// optbench eval and every run call it) and directly (the plugin's numerics compiled in). Each
// time is the fastest of 5 trials.
//
//     bench_cec2017 [quick]    (quick: 10x fewer evaluations)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "core/instances.hpp"
#include "data.hpp"
#include "functions.hpp"
#include "testing.hpp"

namespace {

using namespace optbench;

struct Timing {
    double host = 0, direct = 0;
};

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string(argv[1]) == "quick";
    try {
        const host::PluginEntry& entry =
            testing::registry().find(abi::EntryKind::problem, "cec2017");
        const std::filesystem::path archive = cec2017::archive_path();
        std::vector<int> functions{1};
        for (int f = 3; f <= 30; ++f) functions.push_back(f);
        const std::vector<std::size_t> dimensions{10, 100};

        std::vector<double> floor(dimensions.size()), kernel(dimensions.size());
        double libm_cos = 0, libm_pow = 0;
        std::vector<std::vector<Timing>> timings(dimensions.size());
        for (std::size_t d = 0; d < dimensions.size(); ++d) {
            const std::size_t dimension = dimensions[d];
            const auto n = static_cast<Eigen::Index>(dimension);
            // About the same total work per function at both sizes.
            const auto points = testing::sample_points(dimension == 10 ? 1000 : 200, dimension, -100.0, 100.0);
            const int repeats = (dimension == 10 ? 40 : 10) / (quick ? 10 : 1);

            const Eigen::MatrixXd m = Eigen::MatrixXd::Random(n, n);
            Eigen::VectorXd y(n);
            floor[d] = testing::seconds_per_point(points, repeats, [&](const std::vector<double>& x) {
                y.noalias() = m * Eigen::Map<const Eigen::VectorXd>(x.data(), n);
                return y[0];
            });
            // The plugin's own product, which keeps the reference's order of summation.
            const cec2017::Rotation rotation(m.transpose().eval().data(), dimension);
            std::vector<double> z(dimension);
            kernel[d] = testing::seconds_per_point(points, repeats, [&](const std::vector<double>& x) {
                rotation.apply(x.data(), z.data());
                return z[0];
            });

            if (dimension == 10) {
                // What the reference's libm calls cost here: most functions make D or more.
                const auto per_call = [&](auto&& call) {
                    return testing::seconds_per_point(points, repeats, [&](const std::vector<double>& x) {
                               double sum = 0;
                               for (double v : x) sum += call(v);
                               return sum;
                           }) /
                           static_cast<double>(dimension);
                };
                libm_cos = per_call([](double v) { return std::cos(v); });
                libm_pow = per_call([](double v) { return std::pow(std::fabs(v), 0.5); });
            }
            for (int function : functions) {
                host::ProblemInstance problem(entry, {{"function", std::to_string(function)},
                                                      {"dim", std::to_string(dimension)}});
                cec2017::Function direct = cec2017::make_function(function, dimension, archive);
                Timing t;
                t.host = testing::seconds_per_point(points, repeats, [&](const std::vector<double>& x) {
                    return problem.value(x);
                });
                t.direct = testing::seconds_per_point(points, repeats, [&](const std::vector<double>& x) {
                    return direct.evaluate(x);
                });
                timings[d].push_back(t);
            }
        }

        fmt::print("dense y = M x (Eigen): D=10 {:.4f} us, D=100 {:.4f} us\n", floor[0] * 1e6,
                   floor[1] * 1e6);
        fmt::print("the plugin's ordered product: D=10 {:.4f} us ({:.2f}x), D=100 {:.4f} us "
                   "({:.2f}x)\n",
                   kernel[0] * 1e6, kernel[0] / floor[0], kernel[1] * 1e6, kernel[1] / floor[1]);
        fmt::print("one libm call (glibc, as the reference makes them): cos {:.1f} ns, "
                   "pow(|x|, 0.5) {:.1f} ns\n\n",
                   libm_cos * 1e9, libm_pow * 1e9);
        fmt::print("| F | D=10 us/eval | x M·x | via host | x M·x | D=100 us/eval | x M·x | "
                   "via host | x M·x |\n");
        fmt::print("|---|---|---|---|---|---|---|---|---|\n");
        for (std::size_t i = 0; i < functions.size(); ++i) {
            const Timing& a = timings[0][i];
            const Timing& b = timings[1][i];
            fmt::print("| {} | {:.3f} | {:.1f} | {:.3f} | {:.1f} | {:.3f} | {:.1f} | {:.3f} | "
                       "{:.1f} |\n",
                       functions[i], a.direct * 1e6, a.direct / floor[0], a.host * 1e6,
                       a.host / floor[0], b.direct * 1e6, b.direct / floor[1], b.host * 1e6,
                       b.host / floor[1]);
        }
        for (std::size_t d = 0; d < dimensions.size(); ++d) {
            double slowest = 0;
            int worst = 0;
            for (std::size_t i = 0; i < functions.size(); ++i)
                if (functions[i] <= 20 && timings[d][i].direct / floor[d] > slowest) {
                    slowest = timings[d][i].direct / floor[d];
                    worst = functions[i];
                }
            fmt::print("\nD={}: slowest non-composition function F{}: {:.1f}x the product",
                       dimensions[d], worst, slowest);
        }
        fmt::print("\n");
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_cec2017: {}\n", e.what());
        return 1;
    }
}
