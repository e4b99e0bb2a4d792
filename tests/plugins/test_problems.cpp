// Test-only problems: the conformance problems (shared with the shipped check library), and
// problems that exercise the host's hold-out metrics, artifacts and refusal of empty boxes.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "conformance_problems.hpp"
#include "optbench/sdk/sdk.hpp"

namespace {

using namespace optbench;
using namespace optbench::conformance;

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

// f(x) = x on [0, 10], whose hold-out metrics are computable by hand: val_loss = |x - 2|,
// test_loss = |x - 3|, val_accuracy = 100 - 10 |x - 2|; the validation loss selects. With
// `fail_after` > 0, the hold-out metrics throw from that call on.
class HoldoutCurve final : public sdk::Problem {
public:
    static constexpr const char* name = "holdout_curve";
    static constexpr const char* description = "test: f(x) = x with hold-out optima at 2 and 3";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("fail_after", "0", "the hold-out call from which on they throw (0: never)", 0)};
    static constexpr abi::MetricSpec metrics[] = {
        {"val_loss", "|x - 2|", abi::lower_is_better},
        {"test_loss", "|x - 3|", abi::lower_is_better},
        {"val_accuracy", "100 - 10 |x - 2|", abi::higher_is_better}};
    static constexpr const char* selection_metric = "val_loss";

    explicit HoldoutCurve(const sdk::Params& p)
        : sdk::Problem(1, {0}, {10}), fail_after_(static_cast<std::uint64_t>(p.integer("fail_after"))) {}

    double value(std::span<const double> x) override { return x[0]; }
    void holdout_metrics(std::span<const double> x, sdk::MetricWriter& out) override {
        if (++calls_ == fail_after_) throw std::runtime_error("deliberate hold-out failure");
        out.put("val_loss", std::abs(x[0] - 2));
        out.put("test_loss", std::abs(x[0] - 3));
        out.put("val_accuracy", 100 - 10 * std::abs(x[0] - 2));
    }

private:
    std::uint64_t fail_after_;
    std::uint64_t calls_ = 0;
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
// throws. Its artifact calls.txt counts the points and the batch calls that reached it
// ("points=40 batches=3"), so that tests see what the host passed on. (Not hold-out metrics:
// the host reuses those while the best point stays the same.)
class Batched final : public sdk::Problem {
public:
    static constexpr const char* name = "batched";
    static constexpr const char* description = "test: quadratic evaluated in batches; counts what reaches it";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "3", "number of variables", 1, 1e6),
        sdk::real("poison", "1e9", "a point whose first coordinate is this throws"),
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
    void artifacts(sdk::ArtifactWriter& out) const override {
        out.put("calls.txt", "points=" + std::to_string(points_) + " batches=" + std::to_string(batches_));
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
                NoGradient, Metrics, HoldoutCurve, Artifacts, Batched, EmptyBox)
