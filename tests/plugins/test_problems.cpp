// Problems for the conformance suite: they check what optimizers do (bounds), and misbehave
// on purpose (NaN, Inf, exceptions) so every optimizer is tested against them.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "optbench/sdk/sdk.hpp"

namespace {

using namespace optbench;

// sum (x_i - c_i)^2 with c_i inside an asymmetric box whose width differs per coordinate; an
// evaluation outside the box throws, so a run that leaves the bounds ends in an error row.
class BoxQuadratic final : public sdk::Problem {
public:
    static constexpr const char* name = "box_quadratic";
    static constexpr const char* description =
        "test: shifted quadratic in an asymmetric box; throws outside the bounds";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "5", "number of variables", 1, 1e6),
        sdk::integer("instance", "1", "start point seed", 1),
    };

    explicit BoxQuadratic(const sdk::Params& p)
        : BoxQuadratic(static_cast<std::size_t>(p.integer("dim")), p.integer("instance")) {}

    double value(std::span<const double> x) override {
        double sum = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (!(x[i] >= lower_bound(i) && x[i] <= upper_bound(i)))
                throw std::runtime_error("evaluated outside the bounds at coordinate " +
                                         std::to_string(i) + ": " + std::to_string(x[i]));
            const double d = x[i] - centre(i);
            sum += d * d;
        }
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = 2 * (x[i] - centre(i));
        return value(x);
    }
    std::optional<double> optimum_value() const override { return 0.0; }
    void initial_point(std::span<double> out) const override {
        sdk::Rng rng(sdk::derive_seed({"box_quadratic"}, instance_));
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = rng.uniform(lower_bound(i), upper_bound(i));
    }

private:
    BoxQuadratic(std::size_t dim, std::int64_t instance)
        : sdk::Problem(dim, lows(dim), highs(dim)), instance_(static_cast<std::uint64_t>(instance)) {}
    static std::vector<double> lows(std::size_t dim) {
        std::vector<double> v(dim);
        for (std::size_t i = 0; i < dim; ++i) v[i] = -1.0 - static_cast<double>(i % 3);
        return v;
    }
    static std::vector<double> highs(std::size_t dim) {
        std::vector<double> v(dim);
        for (std::size_t i = 0; i < dim; ++i) v[i] = 2.0 + 0.5 * static_cast<double>(i % 4);
        return v;
    }
    double centre(std::size_t i) const { return 0.3 * upper_bound(i) + 0.7 * lower_bound(i); }
    std::uint64_t instance_;
};

// Returns NaN, +inf or -inf on a fixed pattern of calls, a quadratic otherwise.
class NonFinite final : public sdk::Problem {
public:
    static constexpr const char* name = "nonfinite";
    static constexpr const char* description = "test: NaN, +inf and -inf on some evaluations";
    static constexpr abi::ParamSpec params[] = {sdk::integer("dim", "3", "number of variables", 1, 1e6)};

    explicit NonFinite(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5}, {5}) {}

    double value(std::span<const double> x) override {
        ++calls_;
        if (calls_ % 3 == 0) return std::numeric_limits<double>::quiet_NaN();
        if (calls_ % 5 == 0) return std::numeric_limits<double>::infinity();
        if (calls_ % 7 == 0) return -std::numeric_limits<double>::infinity();
        double sum = 0;
        for (double v : x) sum += v * v;
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = calls_ % 2 ? std::nan("") : 2 * x[i];
        return value(x);
    }

private:
    std::uint64_t calls_ = 0;
};

// Throws on the given evaluation.
class Throwing final : public sdk::Problem {
public:
    static constexpr const char* name = "throwing";
    static constexpr const char* description = "test: throws on evaluation number `after`";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "3", "number of variables", 1, 1e6),
        sdk::integer("after", "10", "the evaluation that throws", 1),
    };

    explicit Throwing(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5}, {5}),
          after_(static_cast<std::uint64_t>(p.integer("after"))) {}

    double value(std::span<const double> x) override {
        if (++calls_ == after_) throw std::runtime_error("deliberate failure in evaluation " + std::to_string(calls_));
        double sum = 0;
        for (double v : x) sum += v * v;
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = 2 * x[i];
        return value(x);
    }

private:
    std::uint64_t after_;
    std::uint64_t calls_ = 0;
};

// A finite sum of N quadratics (x - a_k)^2 / N with a gradient, for minibatch methods.
class FiniteSum final : public sdk::Problem {
public:
    static constexpr const char* name = "finite_sum";
    static constexpr const char* description = "test: mean of N shifted quadratics (finite sum)";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "4", "number of variables", 1, 1e6),
        sdk::integer("samples", "50", "number of terms N", 1, 1e7),
    };

    explicit FiniteSum(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-10}, {10}),
          samples_(static_cast<std::size_t>(p.integer("samples"))) {}

    double value(std::span<const double> x) override {
        std::vector<std::size_t> all(samples_);
        for (std::size_t k = 0; k < samples_; ++k) all[k] = k;
        return subset_value(x, all, {});
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        std::vector<std::size_t> all(samples_);
        for (std::size_t k = 0; k < samples_; ++k) all[k] = k;
        return subset_value(x, all, g);
    }
    std::size_t num_samples() const override { return samples_; }
    double subset_value(std::span<const double> x, std::span<const std::size_t> samples,
                        std::span<double> g) override {
        double sum = 0;
        for (double& v : g) v = 0;
        for (std::size_t k : samples)
            for (std::size_t i = 0; i < x.size(); ++i) {
                const double d = x[i] - target(k, i);
                sum += d * d;
                if (!g.empty()) g[i] += 2 * d / static_cast<double>(samples.size());
            }
        return sum / static_cast<double>(samples.size());
    }

private:
    static double target(std::size_t k, std::size_t i) {
        return std::sin(static_cast<double>(k * 7 + i * 3));
    }
    std::size_t samples_;
};

// Quadratic without bounds (every bound infinite).
class Unbounded final : public sdk::Problem {
public:
    static constexpr const char* name = "unbounded";
    static constexpr const char* description = "test: quadratic without bounds";
    static constexpr abi::ParamSpec params[] = {sdk::integer("dim", "3", "number of variables", 1, 1e6)};

    explicit Unbounded(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")),
                       {-std::numeric_limits<double>::infinity()},
                       {std::numeric_limits<double>::infinity()}) {}

    double value(std::span<const double> x) override {
        double sum = 0;
        for (double v : x) sum += (v - 1) * (v - 1);
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = 2 * (x[i] - 1);
        return value(x);
    }
};

// A quadratic that offers no gradient: gradient-based optimizers must say they cannot run.
class NoGradient final : public sdk::Problem {
public:
    static constexpr const char* name = "no_gradient";
    static constexpr const char* description = "test: quadratic without a gradient";
    static constexpr abi::ParamSpec params[] = {sdk::integer("dim", "3", "number of variables", 1, 1e6)};

    explicit NoGradient(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5}, {5}) {}

    double value(std::span<const double> x) override {
        double sum = 0;
        for (double v : x) sum += (v - 0.5) * (v - 0.5);
        return sum;
    }
};

// A quadratic that reports the hold-out metrics named in `names`, valued 1, 2, ... in order.
class Metrics final : public sdk::Problem {
public:
    static constexpr const char* name = "metrics";
    static constexpr const char* description = "test: reports hold-out metrics of the given names";
    static constexpr abi::ParamSpec params[] = {
        sdk::text("names", "accuracy", "metric names separated by ':' (may repeat)")};

    explicit Metrics(const sdk::Params& p) : sdk::Problem(2, {-5}, {5}) {
        for (std::string_view n : sdk::detail::split(p.text("names"), ':')) names_.emplace_back(n);
    }

    double value(std::span<const double> x) override { return x[0] * x[0] + x[1] * x[1]; }
    static constexpr abi::MetricSpec metrics[] = {{"accuracy", "a test metric", abi::higher_is_better},
                                                  {"loss", "another", abi::lower_is_better}};

    void holdout_metrics(std::span<const double>, sdk::MetricWriter& out) override {
        for (std::size_t i = 0; i < names_.size(); ++i) out.put(names_[i], static_cast<double>(i + 1));
    }

private:
    std::vector<std::string> names_;
};

// A quadratic that writes one artifact per name in `names`, each holding "<name> <text>".
class Artifacts final : public sdk::Problem {
public:
    static constexpr const char* name = "artifacts";
    static constexpr const char* description = "test: writes artifacts of the given names";
    static constexpr abi::ParamSpec params[] = {
        sdk::text("names", "a.csv", "artifact names separated by ':' (may repeat)"),
        sdk::text("text", "1", "what each artifact holds after its name")};

    explicit Artifacts(const sdk::Params& p) : sdk::Problem(2, {-5}, {5}), text_(p.text("text")) {
        for (std::string_view n : sdk::detail::split(p.text("names"), ':')) names_.emplace_back(n);
    }

    double value(std::span<const double> x) override { return x[0] * x[0] + x[1] * x[1]; }
    void artifacts(sdk::ArtifactWriter& out) const override {
        for (const std::string& n : names_) out.put(n, n + " " + text_);
    }

private:
    std::string text_;
    std::vector<std::string> names_;
};

// sum (x_i - 0.5)^2, one point or a batch at a time; a point whose first coordinate is `poison`
// throws. Its hold-out metrics count the points and the batch calls that reached it, so that
// tests see what the host passed on.
class Batched final : public sdk::Problem {
public:
    static constexpr const char* name = "batched";
    static constexpr const char* description = "test: quadratic evaluated in batches; counts what reaches it";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "3", "number of variables", 1, 1e6),
        sdk::real("poison", "1e9", "a point whose first coordinate is this throws"),
    };
    static constexpr abi::MetricSpec metrics[] = {
        {"points", "points evaluated, singly or in batches", abi::lower_is_better},
        {"batches", "value_batch calls", abi::lower_is_better},
    };

    explicit Batched(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5}, {5}), poison_(p.real("poison")) {}

    double value(std::span<const double> x) override {
        ++points_;
        if (x[0] == poison_) throw std::runtime_error("deliberate failure at a poisoned point");
        double sum = 0;
        for (double v : x) sum += (v - 0.5) * (v - 0.5);
        return sum;
    }
    void value_batch(std::span<const double> xs, std::span<double> values) override {
        ++batches_;
        for (std::size_t k = 0; k < values.size(); ++k) values[k] = value(xs.subspan(k * dimension(), dimension()));
    }
    void holdout_metrics(std::span<const double>, sdk::MetricWriter& out) override {
        out.put("points", static_cast<double>(points_));
        out.put("batches", static_cast<double>(batches_));
    }

private:
    double poison_;
    std::uint64_t points_ = 0, batches_ = 0;
};

// Bounds [+inf, +inf]: lower <= upper, so the SDK lets them through, but no point lies in
// them; the host must refuse the problem before an optimizer samples from them.
class EmptyBox final : public sdk::Problem {
public:
    static constexpr const char* name = "empty_box";
    static constexpr const char* description = "test: a box no point lies in, which the host refuses";
    static constexpr abi::ParamSpec params[] = {sdk::integer("dim", "2", "number of variables", 1, 1e6)};

    explicit EmptyBox(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {std::numeric_limits<double>::infinity()},
                       {std::numeric_limits<double>::infinity()}) {}

    double value(std::span<const double> x) override { return x[0]; }
};

}  // namespace

OPTBENCH_PLUGIN("test_problems", TEST_PROBLEMS_VERSION, BoxQuadratic, NonFinite, Throwing, FiniteSum, Unbounded,
                NoGradient, Metrics, Artifacts, Batched, EmptyBox)
