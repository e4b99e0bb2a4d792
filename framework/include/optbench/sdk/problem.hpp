// The problem interface a problem plugin implements. Only dimension, bounds and value are
// required; every other capability is optional: a problem has it when it overrides its
// function(s), which OPTBENCH_PLUGIN sees at compile time, so a capability and its function
// can never disagree. A plugin class may also declare (all optional):
//     static constexpr abi::MetricSpec metrics[];  // every hold-out metric; with holdout_metrics
//     static constexpr const char* selection_metric;  // one of metrics[] (e.g. a validation loss):
//                                                     // its best checkpoint gives selected_<metric>
//     static constexpr const char* suite;          // e.g. the benchmark suite it belongs to
//     static constexpr const char* function_parameter, instance_parameter;
//     static constexpr std::uint32_t suite_formats;  // abi::SuiteFormat
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "optbench/sdk/abi.hpp"
#include "optbench/sdk/params.hpp"

namespace optbench::sdk {

// Thrown by the default implementation of an optional capability.
class Unsupported : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// Receives hold-out metrics (e.g. a test-set loss) computed after a run.
class MetricWriter {
public:
    explicit MetricWriter(abi::MetricSink sink) : sink_(sink) {}
    void put(const std::string& name, double value) { sink_.put(sink_.context, name.c_str(), value); }

private:
    abi::MetricSink sink_;
};

// Receives text files written next to the results (e.g. the indices of a data split). A name is
// a file name: letters, digits, '_', '-', '.', first and last a letter or digit, each once.
// Every run of an instance must write the same text.
class ArtifactWriter {
public:
    explicit ArtifactWriter(abi::ArtifactSink sink) : sink_(sink) {}
    void put(const std::string& name, std::string_view text) {
        sink_.put(sink_.context, name.c_str(), text.data(), text.size());
    }

private:
    abi::ArtifactSink sink_;
};

class Problem {
public:
    // lower and upper hold one value (the same box for every coordinate) or `dimension`
    // values; infinite bounds mean unbounded.
    Problem(std::size_t dimension, std::vector<double> lower, std::vector<double> upper)
        : dimension_(dimension), lower_(std::move(lower)), upper_(std::move(upper)) {
        if (dimension_ == 0) throw std::invalid_argument("dimension must be at least 1");
        const auto valid_size = [&](std::size_t n) { return n == 1 || n == dimension_; };
        if (!valid_size(lower_.size()) || !valid_size(upper_.size()))
            throw std::invalid_argument("bounds must have 1 or dimension entries");
        for (std::size_t i = 0; i < std::max(lower_.size(), upper_.size()); ++i)
            if (!(lower_bound(i) <= upper_bound(i)))
                throw std::invalid_argument("lower bound above upper bound at coordinate " +
                                            std::to_string(i));
    }
    virtual ~Problem() = default;
    Problem(const Problem&) = delete;
    Problem& operator=(const Problem&) = delete;

    std::size_t dimension() const { return dimension_; }
    std::span<const double> lower() const { return lower_; }
    std::span<const double> upper() const { return upper_; }
    double lower_bound(std::size_t i) const { return lower_.size() == 1 ? lower_[0] : lower_[i]; }
    double upper_bound(std::size_t i) const { return upper_.size() == 1 ? upper_[0] : upper_[i]; }

    virtual double value(std::span<const double> x) = 0;

    // Batches: values.size() points of dimension() coordinates, one after the other in xs;
    // values[k] must equal value() of point k bit for bit, so that no result depends on
    // whether an optimizer batches. Worth it when one pass over shared data (e.g. the images
    // of a data set) serves many points; the host calls it for the points the budget affords.
    virtual void value_batch(std::span<const double> /*xs*/, std::span<double> /*values*/) {
        throw Unsupported("this problem has no batch evaluation");
    }

    // Gradient.
    virtual double value_and_gradient(std::span<const double> /*x*/, std::span<double> /*g*/) {
        throw Unsupported("this problem has no gradient");
    }

    // Finite sums f = mean of num_samples() terms: override both (or neither). An empty
    // gradient span asks for the value only.
    virtual std::size_t num_samples() const { return 0; }
    virtual double subset_value(std::span<const double> /*x*/,
                                std::span<const std::size_t> /*samples*/,
                                std::span<double> /*gradient*/) {
        throw Unsupported("this problem is not a finite sum");
    }

    // Known optimum: its value when known, and (overridden) its point: written to `out`,
    // returning whether this instance knows it (a problem may know the value only).
    virtual std::optional<double> optimum_value() const { return std::nullopt; }
    virtual bool optimum_point(std::span<double> /*out*/) const { return false; }

    // The start point every optimizer is given (same for all optimizers of an instance).
    virtual void initial_point(std::span<double> /*out*/) const {
        throw Unsupported("this problem has no initial point");
    }

    // Incremental evaluation of sparse moves; results must equal value() of the moved point.
    // set_base evaluates x and caches it; try_move evaluates base with x[indices] = values
    // without changing the base; accept makes the last tried move the base. Override all
    // three (or none).
    virtual double set_base(std::span<const double> /*x*/) {
        throw Unsupported("this problem has no incremental evaluation");
    }
    virtual double try_move(std::span<const std::size_t> /*indices*/,
                            std::span<const double> /*values*/) {
        throw Unsupported("this problem has no incremental evaluation");
    }
    virtual void accept() { throw Unsupported("this problem has no incremental evaluation"); }

    // Hold-out metrics of a point, never seen by optimizers: of the best-so-far point at the
    // host's checkpoints along the run, between any two calls (so they must leave the state of
    // incremental evaluation as it was), and of the final point after the run. Exactly the
    // metrics the class declares (static constexpr abi::MetricSpec metrics[]).
    virtual void holdout_metrics(std::span<const double> /*x*/, MetricWriter& /*out*/) {
        throw Unsupported("this problem has no hold-out metrics");
    }

    // Which coordinates are "weights" that L2 weight decay conventionally applies to (1) and
    // which are not, e.g. biases (0). Without it, decay applies to every coordinate.
    virtual void decay_mask(std::span<double> /*out*/) const {
        throw Unsupported("this problem has no weight-decay mask");
    }

    // Files that document the instance (e.g. the indices of a data split).
    virtual void artifacts(ArtifactWriter& /*out*/) const {}

private:
    std::size_t dimension_;
    std::vector<double> lower_;
    std::vector<double> upper_;
};

// Parses "LOW:HIGH" (e.g. "-2:2", or "-inf:inf" for unbounded) for a `bounds` parameter.
inline std::pair<double, double> parse_bounds(std::string_view text) {
    const std::size_t colon = text.find(':', text.empty() ? 0 : 1);
    double low = 0, high = 0;
    if (colon == std::string_view::npos || !detail::parse_double(text.substr(0, colon), low) ||
        !detail::parse_double(text.substr(colon + 1), high))
        throw ParamError("parameter 'bounds' expects LOW:HIGH (e.g. -5:5), got '" +
                         std::string(text) + "'");
    if (!(low < high))
        throw ParamError("parameter 'bounds' needs LOW < HIGH, got '" + std::string(text) + "'");
    return {low, high};
}

}  // namespace optbench::sdk
