// The optimizer's only window on the problem. The host behind it counts every call, enforces
// the budget, screens NaN/Inf, keeps the best-so-far point and writes the trace, so an
// optimizer needs none of that bookkeeping.
//
// When the budget is spent (or the host wants the run to end) every evaluating call throws
// Stop. The export wrapper catches it, so an optimizer may simply loop until it is thrown;
// optimizers that want to finish cleanly check remaining() or should_stop() first.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "optbench/sdk/abi.hpp"

namespace optbench::sdk {

// The stat by which an optimizer says that it adds a penalty of its own to the problem's
// objective (an L2 weight decay, say), valued by the penalty's coefficient: it then minimises
// another function than the problem's, and `optbench report` says so under its final table.
// Declare it among the stats and report it once per run when the coefficient is not 0.
inline constexpr const char* own_penalty_stat = "own_penalty";

// The run ends: the budget is spent or the host asked to stop. Not an error.
class Stop : public std::exception {
public:
    explicit Stop(abi::Status status) : status_(status) {}
    abi::Status status() const { return status_; }
    const char* what() const noexcept override {
        return status_ == abi::Status::exhausted ? "budget exhausted" : "stopped by the host";
    }

private:
    abi::Status status_;
};

// The problem failed (threw) while the optimizer was evaluating it.
class ObjectiveError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown by an optimizer that cannot work on the problem it is given (e.g. no gradient).
// The run's row gets status not_applicable and this message.
class NotApplicable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Objective {
public:
    explicit Objective(const abi::ObjectiveView& view) : view_(view) {}

    std::size_t dimension() const { return view_.problem.dimension; }
    double lower(std::size_t i) const { return bound(view_.problem.lower, i); }
    double upper(std::size_t i) const { return bound(view_.problem.upper, i); }
    // True when every coordinate has finite lower and upper bounds.
    bool bounded() const {
        for (const abi::Span& s : {view_.problem.lower, view_.problem.upper})
            for (std::size_t i = 0; i < s.size; ++i)
                if (!std::isfinite(s.data[i])) return false;
        return true;
    }
    // The problem's start point, the same for every optimizer; empty when it has none.
    std::span<const double> initial_point() const {
        return {view_.initial_point.data, view_.initial_point.size};
    }

    // 1 for coordinates L2 weight decay applies to, 0 for the others (e.g. biases); empty
    // when the problem does not say (then decay applies to all).
    std::span<const double> decay_mask() const {
        return {view_.decay_mask.data, view_.decay_mask.size};
    }

    bool has_gradient() const { return capability(abi::has_gradient); }
    bool is_finite_sum() const { return capability(abi::has_finite_sum); }
    std::size_t num_samples() const { return is_finite_sum() ? view_.problem.num_samples : 0; }
    bool has_incremental() const { return capability(abi::has_incremental); }
    // Known optimum value (NaN when unknown): useful for stopping at a target, not required.
    double optimum_value() const {
        return capability(abi::has_optimum_value) ? view_.problem.optimum_value
                                                  : std::numeric_limits<double>::quiet_NaN();
    }

    // Budget in cost units; used() + remaining() == budget().
    double budget() const { return view_.budget; }
    double remaining() const { return view_.ops->remaining(view_.context); }
    double used() const { return view_.ops->used(view_.context); }
    bool should_stop() const { return view_.ops->should_stop(view_.context) != 0; }

    // Costs 1 evaluation.
    double evaluate(std::span<const double> x) {
        double f = 0;
        check(view_.ops->evaluate(view_.context, {x.data(), x.size()}, &f));
        return f;
    }

    // Costs 1 evaluation plus 1 gradient evaluation.
    double evaluate_with_gradient(std::span<const double> x, std::span<double> gradient) {
        double f = 0;
        check(view_.ops->evaluate_with_gradient(view_.context, {x.data(), x.size()}, &f,
                                                {gradient.data(), gradient.size()}));
        return f;
    }

    // xs holds fs.size() points one after the other; each costs 1 evaluation. If the budget
    // ends inside the batch, the evaluated prefix is filled in and Stop is thrown.
    void evaluate_batch(std::span<const double> xs, std::span<double> fs) {
        check(view_.ops->evaluate_batch(view_.context, {xs.data(), xs.size()}, fs.size(),
                                        {fs.data(), fs.size()}));
    }

    // Mean over the given samples of a finite sum; with a non-empty gradient span, the
    // gradient too. Costs samples/N of an evaluation (and of a gradient evaluation).
    double evaluate_subset(std::span<const double> x, std::span<const std::size_t> samples,
                           std::span<double> gradient = {}) {
        double f = 0;
        check(view_.ops->evaluate_subset(view_.context, {x.data(), x.size()},
                                         {samples.data(), samples.size()}, &f,
                                         {gradient.data(), gradient.size()}));
        return f;
    }

    // Sparse moves. set_base costs 1 evaluation and returns f(x); try_move costs 1 and
    // returns f of the base with x[indices] = values; accept makes that point the base.
    double set_base(std::span<const double> x) {
        double f = 0;
        check(view_.ops->set_base(view_.context, {x.data(), x.size()}, &f));
        return f;
    }
    double try_move(std::span<const std::size_t> indices, std::span<const double> values) {
        double f = 0;
        check(view_.ops->try_move(view_.context, {indices.data(), indices.size()},
                                  {values.data(), values.size()}, &f));
        return f;
    }
    void accept() { check(view_.ops->accept(view_.context)); }

    // Names the optimizer's current answer when it is not a point it evaluated (e.g. the
    // iterate of a minibatch method). The host scores it for free (budget rule 4), for the
    // trace and the best-so-far only: the value is never shown to the optimizer.
    void recommend(std::span<const double> x) {
        check(view_.ops->recommend(view_.context, {x.data(), x.size()}));
    }

    // Optimizer internals (step size, sigma, ...) for stats.csv, stamped with the current
    // evaluation count. Report sparingly (e.g. once per generation or every 1000 moves).
    void report(const std::string& key, double value) {
        view_.ops->report(view_.context, key.c_str(), value);
    }

    // Names why the optimizer ended on its own (e.g. "tolfun"); shown as stop_reason.
    void set_stop_reason(const std::string& reason) {
        view_.ops->set_stop_reason(view_.context, reason.c_str());
    }

private:
    static double bound(abi::Span s, std::size_t i) { return s.size == 1 ? s.data[0] : s.data[i]; }
    bool capability(std::uint32_t flag) const { return (view_.problem.capabilities & flag) != 0; }

    void check(abi::Status status) const {
        switch (status) {
            case abi::Status::ok:
                return;
            case abi::Status::exhausted:
            case abi::Status::stopped:
                throw Stop(status);
            case abi::Status::unsupported:
                throw NotApplicable(view_.ops->last_error(view_.context));
            default:
                throw ObjectiveError(view_.ops->last_error(view_.context));
        }
    }

    abi::ObjectiveView view_;
};

}  // namespace optbench::sdk
