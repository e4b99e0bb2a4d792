// The problem interface a problem plugin implements. Only dimension, bounds and value are
// required; every other capability is optional and announced by overriding its query.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
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

// Receives hold-out metrics (e.g. test_accuracy) computed after a run.
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

    // Gradient: override both.
    virtual bool has_gradient() const { return false; }
    virtual double value_and_gradient(std::span<const double> /*x*/, std::span<double> /*g*/) {
        throw Unsupported("this problem has no gradient");
    }

    // Finite sums f = mean of num_samples() terms: override both. An empty gradient span
    // asks for the value only.
    virtual std::size_t num_samples() const { return 0; }
    virtual double subset_value(std::span<const double> /*x*/,
                                std::span<const std::size_t> /*samples*/,
                                std::span<double> /*gradient*/) {
        throw Unsupported("this problem is not a finite sum");
    }

    // Known optimum.
    virtual bool has_optimum_value() const { return false; }
    virtual double optimum_value() const { return std::numeric_limits<double>::quiet_NaN(); }
    virtual bool has_optimum_point() const { return false; }
    virtual void optimum_point(std::span<double> /*out*/) const {
        throw Unsupported("this problem has no known optimum point");
    }

    // The start point every optimizer is given (same for all optimizers of an instance).
    virtual bool has_initial_point() const { return false; }
    virtual void initial_point(std::span<double> /*out*/) const {
        throw Unsupported("this problem has no initial point");
    }

    // Incremental evaluation of sparse moves; results must equal value() of the moved point.
    // set_base evaluates x and caches it; try_move evaluates base with x[indices] = values
    // without changing the base; accept makes the last tried move the base.
    virtual bool has_incremental() const { return false; }
    virtual double set_base(std::span<const double> /*x*/) {
        throw Unsupported("this problem has no incremental evaluation");
    }
    virtual double try_move(std::span<const std::size_t> /*indices*/,
                            std::span<const double> /*values*/) {
        throw Unsupported("this problem has no incremental evaluation");
    }
    virtual void accept() { throw Unsupported("this problem has no incremental evaluation"); }

    // Hold-out metrics of a final point: computed after the run, never seen by optimizers.
    virtual bool has_holdout_metrics() const { return false; }
    virtual void holdout_metrics(std::span<const double> /*x*/, MetricWriter& /*out*/) {}

    // Which coordinates are "weights" that L2 weight decay conventionally applies to (1) and
    // which are not, e.g. biases (0). Without it, decay applies to every coordinate.
    virtual bool has_decay_mask() const { return false; }
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
