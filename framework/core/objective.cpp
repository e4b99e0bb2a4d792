#include "core/objective.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace optbench::host {

namespace {

// Evaluation counts at which the trace gets a row: floor(10^(k/20)), 20 per decade; hold-out
// metrics are computed at floor(10^(k/N)).
constexpr int trace_rows_per_decade = 20;
double log_spaced_count(int exponent, int per_decade) {
    return std::floor(std::pow(10.0, exponent / static_cast<double>(per_decade)));
}

}  // namespace

// The C functions behind abi::ObjectiveOps. None of them throws.
struct ObjectiveCallbacks {
    static Objective& self(void* context) { return *static_cast<Objective*>(context); }

    static abi::Status check_point(Objective& o, abi::Span x, const char* call) {
        if (x.size != o.dimension_ || (x.size > 0 && x.data == nullptr))
            return o.fail(fmt::format("{}: the point has {} coordinates, the problem has {}", call,
                                      x.size, o.dimension_));
        return abi::Status::ok;
    }

    static abi::Status evaluate(void* context, abi::Span x, double* f) {
        Objective& o = self(context);
        if (auto s = check_point(o, x, "evaluate"); s != abi::Status::ok) return s;
        if (auto s = o.admit(o.units_per_eval_, 0); s != abi::Status::ok) return s;
        MessageBuffer message;
        const abi::Status status = o.ops_.value(o.self_, x, f, message.view());
        if (status != abi::Status::ok) return o.problem_error(status, message, "value");
        *f = o.screen(*f);
        if (*f < o.best_f_) o.improve_materialized(x.data, *f);
        o.observe(*f);
        return abi::Status::ok;
    }

    static abi::Status evaluate_with_gradient(void* context, abi::Span x, double* f,
                                              abi::MutableSpan g) {
        Objective& o = self(context);
        if (auto s = check_point(o, x, "evaluate_with_gradient"); s != abi::Status::ok) return s;
        if (!o.problem_.has(abi::has_gradient)) {
            o.last_error_ = "the problem has no gradient";
            return abi::Status::unsupported;
        }
        if (g.size != o.dimension_)
            return o.fail(fmt::format("evaluate_with_gradient: the gradient has {} entries, the "
                                      "problem has {}",
                                      g.size, o.dimension_));
        if (auto s = o.admit(o.units_per_eval_, o.units_per_eval_); s != abi::Status::ok) return s;
        MessageBuffer message;
        const abi::Status status = o.ops_.value_and_gradient(o.self_, x, f, g, message.view());
        if (status != abi::Status::ok) return o.problem_error(status, message, "value_and_gradient");
        *f = o.screen(*f);
        if (*f < o.best_f_) o.improve_materialized(x.data, *f);
        o.observe(*f);
        return abi::Status::ok;
    }

    static abi::Status evaluate_batch(void* context, abi::Span xs, std::size_t count,
                                      abi::MutableSpan fs) {
        Objective& o = self(context);
        if (xs.size != count * o.dimension_ || fs.size != count)
            return o.fail(fmt::format(
                "evaluate_batch: {} values for {} points of dimension {} and {} results", xs.size,
                count, o.dimension_, fs.size));
        if (xs.size > 0 && xs.data == nullptr)
            return o.fail("evaluate_batch: the points are missing (null)");
        std::size_t done = 0;
        if (o.problem_.has(abi::has_value_batch)) done = o.evaluate_natively(xs.data, count, fs.data);
        for (std::size_t k = done; k < count; ++k) {
            const abi::Status s =
                evaluate(context, {xs.data + k * o.dimension_, o.dimension_}, fs.data + k);
            if (s != abi::Status::ok) return s;
        }
        return abi::Status::ok;
    }

    static abi::Status evaluate_subset(void* context, abi::Span x, abi::IndexSpan samples,
                                       double* f, abi::MutableSpan g) {
        Objective& o = self(context);
        if (auto s = check_point(o, x, "evaluate_subset"); s != abi::Status::ok) return s;
        if (!o.problem_.has(abi::has_finite_sum)) {
            o.last_error_ = "the problem is not a finite sum (no subset evaluation)";
            return abi::Status::unsupported;
        }
        const bool with_gradient = g.size > 0;
        if (with_gradient && g.size != o.dimension_)
            return o.fail(fmt::format("evaluate_subset: the gradient has {} entries, the problem "
                                      "has {}",
                                      g.size, o.dimension_));
        if (samples.size == 0) return o.fail("evaluate_subset: no samples given");
        const std::size_t n = o.problem_.info().num_samples;
        for (std::size_t i = 0; i < samples.size; ++i)
            if (samples.data[i] >= n)
                return o.fail(fmt::format("evaluate_subset: sample {} out of range [0, {})",
                                          samples.data[i], n));
        const auto units = static_cast<double>(samples.size);
        if (auto s = o.admit(units, with_gradient ? units : 0); s != abi::Status::ok) return s;
        MessageBuffer message;
        const abi::Status status = o.ops_.subset_value(o.self_, x, samples, f, g, message.view());
        if (status != abi::Status::ok) return o.problem_error(status, message, "subset_value");
        *f = o.screen(*f);
        // A subset mean is not the objective: it moves the counters, not the best-so-far.
        o.observe(std::numeric_limits<double>::quiet_NaN());
        return abi::Status::ok;
    }

    static abi::Status set_base(void* context, abi::Span x, double* f) {
        Objective& o = self(context);
        if (auto s = check_point(o, x, "set_base"); s != abi::Status::ok) return s;
        if (auto s = o.admit(o.units_per_eval_, 0); s != abi::Status::ok) return s;
        MessageBuffer message;
        const bool incremental = o.problem_.has(abi::has_incremental);
        const abi::Status status = incremental ? o.ops_.set_base(o.self_, x, f, message.view())
                                               : o.ops_.value(o.self_, x, f, message.view());
        if (status != abi::Status::ok) return o.problem_error(status, message, "set_base");
        if (o.best_source_ != Objective::BestSource::materialized) o.materialize_best();
        o.base_.assign(x.data, x.data + x.size);
        if (!incremental) o.work_ = o.base_;
        o.has_base_ = true;
        o.move_pending_ = false;
        *f = o.screen(*f);
        if (*f < o.best_f_) {
            o.best_source_ = Objective::BestSource::base;
            o.improved(*f);
        }
        o.observe(*f);
        return abi::Status::ok;
    }

    static abi::Status try_move(void* context, abi::IndexSpan indices, abi::Span values,
                                double* f) {
        Objective& o = self(context);
        if (!o.has_base_) return o.fail("try_move: call set_base first");
        if (indices.size != values.size || indices.size == 0)
            return o.fail(fmt::format("try_move: {} indices and {} values", indices.size,
                                      values.size));
        for (std::size_t i = 0; i < indices.size; ++i)
            if (indices.data[i] >= o.dimension_)
                return o.fail(fmt::format("try_move: index {} out of range [0, {})",
                                          indices.data[i], o.dimension_));
        if (auto s = o.admit(o.units_per_eval_, 0); s != abi::Status::ok) return s;
        MessageBuffer message;
        abi::Status status;
        if (o.problem_.has(abi::has_incremental)) {
            status = o.ops_.try_move(o.self_, indices, values, f, message.view());
        } else {
            for (std::size_t i = 0; i < indices.size; ++i) o.work_[indices.data[i]] = values.data[i];
            status = o.ops_.value(o.self_, {o.work_.data(), o.work_.size()}, f, message.view());
            for (std::size_t i = 0; i < indices.size; ++i)
                o.work_[indices.data[i]] = o.base_[indices.data[i]];
        }
        if (status != abi::Status::ok) return o.problem_error(status, message, "try_move");
        o.move_indices_.assign(indices.data, indices.data + indices.size);
        o.move_values_.assign(values.data, values.data + values.size);
        o.move_pending_ = true;
        o.best_move_is_last_ = false;
        *f = o.screen(*f);
        if (*f < o.best_f_) {
            o.best_source_ = Objective::BestSource::base_plus_move;
            o.best_move_indices_ = o.move_indices_;
            o.best_move_values_ = o.move_values_;
            o.best_move_is_last_ = true;
            o.improved(*f);
        }
        o.observe(*f);
        return abi::Status::ok;
    }

    static abi::Status accept(void* context) {
        Objective& o = self(context);
        if (!o.move_pending_) return o.fail("accept: no move was tried since the last accept");
        MessageBuffer message;
        if (o.problem_.has(abi::has_incremental)) {
            const abi::Status status = o.ops_.accept(o.self_, message.view());
            if (status != abi::Status::ok) return o.problem_error(status, message, "accept");
        }
        using Source = Objective::BestSource;
        const bool best_becomes_base = o.best_source_ == Source::base_plus_move && o.best_move_is_last_;
        if (!best_becomes_base && o.best_source_ != Source::materialized) o.materialize_best();
        for (std::size_t i = 0; i < o.move_indices_.size(); ++i) {
            o.base_[o.move_indices_[i]] = o.move_values_[i];
            if (!o.work_.empty()) o.work_[o.move_indices_[i]] = o.move_values_[i];
        }
        if (best_becomes_base) o.best_source_ = Source::base;
        o.move_pending_ = false;
        return abi::Status::ok;
    }

    static abi::Status recommend(void* context, abi::Span x) {
        Objective& o = self(context);
        if (auto s = check_point(o, x, "recommend"); s != abi::Status::ok) return s;
        o.recommendation_.assign(x.data, x.data + x.size);
        return o.score_recommendation();
    }

    static double remaining(void* context) {
        const Objective& o = self(context);
        return std::max(0.0, o.budget_units_ - o.cost_units_) / o.units_per_eval_;
    }
    static double used(void* context) { return self(context).cost(); }
    static std::int32_t should_stop(void* context) {
        Objective& o = self(context);
        o.check_clock();
        return o.host_stop_.has_value() || o.problem_failed_ ||
               o.budget_units_ - o.cost_units_ < o.units_per_eval_ * 0.5;
    }
    static void report(void* context, const char* key, double value) {
        Objective& o = self(context);
        o.stats_.push_back({o.evals(), key ? key : "", value});
    }
    static void set_stop_reason(void* context, const char* reason) {
        self(context).optimizer_stop_reason_ = reason ? reason : "";
    }
    static const char* last_error(void* context) { return self(context).last_error_.c_str(); }

    static constexpr abi::ObjectiveOps ops{evaluate, evaluate_with_gradient, evaluate_batch,
                                           evaluate_subset, set_base, try_move, accept, recommend,
                                           remaining, used, should_stop, report, set_stop_reason,
                                           last_error};
};

Objective::Objective(ProblemInstance& problem, const ObjectiveSettings& settings)
    : problem_(problem),
      ops_(problem.ops()),
      self_(problem.self()),
      settings_(settings),
      initial_point_(problem.initial_point()),
      decay_mask_(problem.decay_mask()),
      dimension_(problem.dimension()),
      optimum_value_(problem.has(abi::has_optimum_value) ? problem.info().optimum_value
                                                         : std::numeric_limits<double>::quiet_NaN()),
      units_per_eval_(problem.has(abi::has_finite_sum)
                          ? static_cast<double>(problem.info().num_samples)
                          : 1.0),
      budget_units_(settings.budget * units_per_eval_),
      next_log_units_(units_per_eval_),
      next_row_units_(units_per_eval_),
      next_holdout_units_(settings.holdout_per_decade > 0 && problem.has(abi::has_holdout_metrics)
                              ? units_per_eval_
                              : std::numeric_limits<double>::infinity()),
      next_event_units_(units_per_eval_),
      start_(std::chrono::steady_clock::now()),
      last_clock_check_(start_) {
    view_ = {&ObjectiveCallbacks::ops,
             this,
             problem.info(),
             {initial_point_.data(), initial_point_.size()},
             {decay_mask_.data(), decay_mask_.size()},
             settings.budget};
    if (RunProgress* p = settings_.progress) {
        p->dim.store(dimension_, std::memory_order_relaxed);
        p->f_opt.store(optimum_value_, std::memory_order_relaxed);
        p->units_per_eval.store(units_per_eval_, std::memory_order_relaxed);
    }
}

double Objective::elapsed_s() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

// The problem evaluates, in one call, the points the budget affords; then each is counted,
// screened and observed exactly as a single evaluation would be, stopping where a single
// evaluation would have been refused (a target reached or a deadline passed on the way).
// Returns how many points are done; the caller evaluates the rest singly, which refuses the
// first of them with the right status. A failed batch does nothing: evaluated singly, the
// points then count and fail as single evaluations do.
std::size_t Objective::evaluate_natively(const double* xs, std::size_t count, double* fs) {
    if (problem_failed_ || host_stop_) return 0;
    std::size_t affordable = 0;
    for (double cost = cost_units_; affordable < count && !(cost + units_per_eval_ > budget_units_ + 1e-6);
         ++affordable)
        cost += units_per_eval_;  // as admit() adds, so as to afford exactly what it admits
    if (affordable == 0) return 0;
    batch_values_.resize(affordable);
    MessageBuffer message;
    if (ops_.value_batch(self_, {xs, affordable * dimension_}, {batch_values_.data(), affordable},
                         message.view()) != abi::Status::ok)
        return 0;
    for (std::size_t k = 0; k < affordable; ++k) {
        if (admit(units_per_eval_, 0) != abi::Status::ok) return k;
        const double f = fs[k] = screen(batch_values_[k]);
        if (f < best_f_) improve_materialized(xs + k * dimension_, f);
        observe(f);
    }
    return affordable;
}

abi::Status Objective::admit(double value_units, double grad_units) {
    if (problem_failed_) return abi::Status::error;
    if (host_stop_) return abi::Status::stopped;
    const double units = value_units + settings_.grad_cost * grad_units;
    // A millionth of a sample unit absorbs the rounding of a fractional grad_cost.
    if (cost_units_ + units > budget_units_ + 1e-6) {
        budget_hit_ = true;
        return abi::Status::exhausted;
    }
    cost_units_ += units;
    value_units_ += static_cast<std::uint64_t>(value_units);
    grad_units_ += static_cast<std::uint64_t>(grad_units);
    if (RunProgress* p = settings_.progress) {
        p->value_units.store(value_units_, std::memory_order_relaxed);
        p->grad_units.store(grad_units_, std::memory_order_relaxed);
        p->cost_units.store(cost_units_, std::memory_order_relaxed);
    }
    return abi::Status::ok;
}

// Non-finite values are counted and replaced by +inf: optimizers then never compare NaNs,
// and a -inf or NaN can never become the best-so-far.
double Objective::screen(double f) {
    if (std::isfinite(f)) return f;
    ++nonfinite_count_;
    return std::numeric_limits<double>::infinity();
}

void Objective::improve_materialized(const double* x, double f) {
    best_x_.assign(x, x + dimension_);
    best_source_ = BestSource::materialized;
    improved(f);
}

void Objective::improved(double f) {
    best_f_ = f;
    ++improvements_;
    if (settings_.progress) settings_.progress->best_f.store(f, std::memory_order_relaxed);
    if (settings_.trace == TraceMode::improvements) {
        log_row(f);
    } else {
        const double distance = std::isnan(optimum_value_) ? f : f - optimum_value_;
        const int level = distance > 0 ? static_cast<int>(std::ceil(20 * std::log10(distance)))
                                       : std::numeric_limits<int>::min();
        if (level < last_level_ || distance <= 0) {
            last_level_ = level;
            log_row(f);
        }
    }
    if (!std::isnan(settings_.target) && best_f_ <= settings_.target) host_stop_ = StopReason::target;
}

void Objective::log_row(double f) {
    const double e = evals();
    if (!trace_.empty() && trace_.back().evals == e) trace_.pop_back();
    trace_.push_back({e, cost(), f, best_f_, elapsed_s()});
}

void Objective::observe(double f) {
    const auto units = static_cast<double>(value_units_);
    if (units >= next_event_units_) count_reached(f, units);
    check_clock();
}

void Objective::count_reached(double f, double units) {
    if (units >= next_row_units_) {
        if (trace_.empty() || trace_.back().evals != evals()) log_row(f);
        while (next_log_units_ <= units)
            next_log_units_ = log_spaced_count(++next_log_exponent_, trace_rows_per_decade) * units_per_eval_;
        const std::vector<double>& checkpoints = settings_.checkpoints;
        while (next_checkpoint_ < checkpoints.size() && checkpoints[next_checkpoint_] * units_per_eval_ <= units)
            ++next_checkpoint_;
        next_row_units_ = next_checkpoint_ < checkpoints.size()
                              ? std::min(next_log_units_, checkpoints[next_checkpoint_] * units_per_eval_)
                              : next_log_units_;
    }
    if (units >= next_holdout_units_) {
        // Called from the optimizer's side of the boundary, which nothing may throw across.
        try {
            record_holdout();
        } catch (const std::exception& e) {
            fail(e.what());
        }
        while (next_holdout_units_ <= units)
            next_holdout_units_ =
                log_spaced_count(++next_holdout_exponent_, settings_.holdout_per_decade) * units_per_eval_;
    }
    next_event_units_ = std::min(next_row_units_, next_holdout_units_);
}

// At the best-so-far point, when there is a finite one; rows of the same count replace those
// recorded before.
void Objective::record_holdout() {
    if (!std::isfinite(best_f_)) return;
    const double e = evals(), c = cost();
    std::vector<HoldoutRow> rows;
    if (improvements_ == holdout_improvements_) {
        for (std::size_t i = last_holdout_begin_; i < holdout_.size(); ++i)
            rows.push_back({e, c, holdout_[i].key, holdout_[i].value});
    } else {
        const auto start = std::chrono::steady_clock::now();
        for (auto& [key, value] : problem_.holdout_metrics(best_x())) rows.push_back({e, c, std::move(key), value});
        holdout_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    if (last_holdout_begin_ < holdout_.size() && holdout_[last_holdout_begin_].evals == e)
        holdout_.resize(last_holdout_begin_);
    last_holdout_begin_ = holdout_.size();
    holdout_.insert(holdout_.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
    holdout_improvements_ = improvements_;
}

std::vector<std::pair<std::string, double>> Objective::final_holdout() {
    std::vector<std::pair<std::string, double>> metrics;
    if (!std::isfinite(best_f_)) return metrics;
    record_holdout();
    for (std::size_t i = last_holdout_begin_; i < holdout_.size(); ++i)
        metrics.emplace_back(holdout_[i].key, holdout_[i].value);
    return metrics;
}

// The clock is read every few milliseconds whatever a call costs: a fixed count of calls
// between readings would cost as much as a one-coordinate move when calls are cheap, or miss
// the deadline by minutes when one evaluation takes a second.
void Objective::check_clock() {
    using namespace std::chrono_literals;
    if (!settings_.deadline || ++calls_since_clock_ < calls_per_clock_check_) return;
    calls_since_clock_ = 0;
    const auto now = std::chrono::steady_clock::now();
    if (now > *settings_.deadline) host_stop_ = StopReason::timeout;
    const auto since_last = now - last_clock_check_;
    last_clock_check_ = now;
    if (since_last < 1ms && calls_per_clock_check_ < (1u << 20)) calls_per_clock_check_ *= 2;
    else if (since_last > 4ms && calls_per_clock_check_ > 1) calls_per_clock_check_ /= 2;
}

abi::Status Objective::fail(std::string message) {
    last_error_ = std::move(message);
    problem_failed_ = true;
    return abi::Status::error;
}

abi::Status Objective::problem_error(abi::Status status, MessageBuffer& message, const char* call) {
    if (status == abi::Status::unsupported) {
        last_error_ = message.str();
        return status;
    }
    return fail(fmt::format("problem '{}' failed in {}: {}", problem_.entry().name(), call,
                            message.str()));
}

abi::Status Objective::score_recommendation() {
    MessageBuffer message;
    double f = 0;
    const abi::Status status = ops_.value(self_, {recommendation_.data(), recommendation_.size()},
                                          &f, message.view());
    if (status != abi::Status::ok) return problem_error(status, message, "value (recommendation)");
    f = screen(f);
    if (f < best_f_) improve_materialized(recommendation_.data(), f);
    return abi::Status::ok;
}

void Objective::materialize_best() {
    if (best_source_ == BestSource::materialized) return;
    best_x_ = base_;
    if (best_source_ == BestSource::base_plus_move)
        for (std::size_t i = 0; i < best_move_indices_.size(); ++i)
            best_x_[best_move_indices_[i]] = best_move_values_[i];
    best_source_ = BestSource::materialized;
}

const std::vector<double>& Objective::best_x() {
    materialize_best();
    return best_x_;
}

void Objective::finish() {
    materialize_best();
    if (trace_.empty() || trace_.back().evals != evals())
        trace_.push_back({evals(), cost(), std::numeric_limits<double>::quiet_NaN(), best_f_,
                          elapsed_s()});
}

}  // namespace optbench::host
