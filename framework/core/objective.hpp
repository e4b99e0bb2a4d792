// The host side of the Objective: counts, enforces the budget, screens non-finite values,
// keeps the best-so-far point and records the trace, for every optimizer alike.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/instances.hpp"
#include "results/run_row.hpp"

namespace optbench::host {

enum class TraceMode {
    improvements,  // a row at every improvement of the best-so-far value
    levels,        // a row when best_f - f_opt (or best_f) reaches a new 10^(k/20) level
};

// What a run has spent and reached so far, in memory the campaign process shares with the
// run's process: when that process dies, its row still says what the run cost (a crash that
// counted as free would flatter the crashing optimizer's average runtime).
// The counters are the Objective's own, in sample units: no division on the hot path.
struct RunProgress {
    std::atomic<std::uint64_t> value_units{0};
    std::atomic<std::uint64_t> grad_units{0};
    std::atomic<double> cost_units{0};
    std::atomic<double> units_per_eval{1};
    std::atomic<double> best_f{std::numeric_limits<double>::infinity()};
    std::atomic<double> f_opt{std::numeric_limits<double>::quiet_NaN()};
    std::atomic<std::size_t> dim{0};

    double evals() const { return static_cast<double>(value_units.load()) / units_per_eval.load(); }
    double grad_evals() const { return static_cast<double>(grad_units.load()) / units_per_eval.load(); }
    double cost() const { return cost_units.load() / units_per_eval.load(); }
};
static_assert(std::atomic<double>::is_always_lock_free && std::atomic<std::uint64_t>::is_always_lock_free,
              "RunProgress is shared between processes, which needs lock-free atomics");

struct ObjectiveSettings {
    double budget = 1000;    // in cost units
    double grad_cost = 1;    // cost of one gradient evaluation, in evaluations
    TraceMode trace = TraceMode::improvements;
    double target = std::numeric_limits<double>::quiet_NaN();  // stop when best_f <= target
    // Ask the optimizer to stop (cooperatively) once the clock passes this; none = never.
    std::optional<std::chrono::steady_clock::time_point> deadline;
    RunProgress* progress = nullptr;  // kept up to date after every call when given
    // Evaluation counts at which a trace row is logged too (ascending), e.g. where a suite's
    // reporting reads the best-so-far value.
    std::vector<double> checkpoints;
    // For a problem with hold-out metrics: they are computed at the best-so-far point at
    // floor(10^(k/N)) evaluations, N = this; 0: only at the end (final_holdout).
    int holdout_per_decade = 0;
};

class Objective {
public:
    Objective(ProblemInstance& problem, const ObjectiveSettings& settings);
    Objective(const Objective&) = delete;
    Objective& operator=(const Objective&) = delete;

    // What the optimizer receives; valid while this object lives.
    const abi::ObjectiveView& view() const { return view_; }

    // Writes the closing trace row. Call once, after the optimizer returned.
    void finish();

    double evals() const { return static_cast<double>(value_units_) / units_per_eval_; }
    double grad_evals() const { return static_cast<double>(grad_units_) / units_per_eval_; }
    double cost() const { return cost_units_ / units_per_eval_; }
    double best_f() const { return best_f_; }
    // Empty when nothing finite was evaluated.
    const std::vector<double>& best_x();
    std::uint64_t nonfinite_count() const { return nonfinite_count_; }
    bool problem_failed() const { return problem_failed_; }
    const std::string& problem_error() const { return last_error_; }
    bool budget_hit() const { return budget_hit_; }
    // target or timeout when the host asked the optimizer to stop.
    std::optional<StopReason> host_stop() const { return host_stop_; }
    const std::string& optimizer_stop_reason() const { return optimizer_stop_reason_; }
    const std::vector<TraceRow>& trace() const { return trace_; }
    const std::vector<StatRow>& stats() const { return stats_; }
    // Hold-out metrics along the run, and those of final_holdout.
    const std::vector<HoldoutRow>& holdout() const { return holdout_; }
    // The hold-out metrics of the best point after the run (call after finish, when best_f is
    // finite), also recorded at the final count. Throws Error when the problem fails.
    std::vector<std::pair<std::string, double>> final_holdout();
    // Wall time spent computing hold-out metrics (free in the budget, not in time).
    double holdout_s() const { return holdout_s_; }
    double elapsed_s() const;

private:
    friend struct ObjectiveCallbacks;

    // Budget: returns the status to give back when a call of `units` is not allowed.
    abi::Status admit(double value_units, double grad_units);
    std::size_t evaluate_natively(const double* xs, std::size_t count, double* fs);
    double screen(double f);
    // After every call: log-spaced trace rows, target and clock checks. f is NaN for calls
    // that do not produce an objective value (subset means).
    void observe(double f);
    void improved(double f);
    void improve_materialized(const double* x, double f);
    void log_row(double f);
    abi::Status score_recommendation();
    abi::Status fail(std::string message);
    abi::Status problem_error(abi::Status status, MessageBuffer& message, const char* call);
    void materialize_best();
    void check_clock();
    // A count that logs a trace row or computes hold-out metrics was reached.
    void count_reached(double f, double units);
    void record_holdout();

    ProblemInstance& problem_;
    const abi::ProblemOps& ops_;
    void* self_;
    ObjectiveSettings settings_;
    abi::ObjectiveView view_{};
    std::vector<double> initial_point_;
    std::vector<double> decay_mask_;
    std::size_t dimension_;
    double optimum_value_;

    // Counters in sample units: a full evaluation is units_per_eval_ (N on a finite sum of
    // N samples, else 1), so fractional costs stay exact integers.
    double units_per_eval_;
    double budget_units_;
    std::uint64_t value_units_ = 0;
    std::uint64_t grad_units_ = 0;
    double cost_units_ = 0;

    double best_f_ = std::numeric_limits<double>::infinity();
    std::vector<double> best_x_;
    std::uint64_t nonfinite_count_ = 0;
    bool problem_failed_ = false;
    bool budget_hit_ = false;
    std::string last_error_;
    std::optional<StopReason> host_stop_;
    std::string optimizer_stop_reason_;

    std::vector<TraceRow> trace_;
    std::vector<StatRow> stats_;
    double next_log_units_;  // the next log-spaced evaluation count, in sample units
    int next_log_exponent_ = 0;
    std::size_t next_checkpoint_ = 0;  // into settings_.checkpoints
    double next_row_units_;  // the lower of the next log-spaced count and the next checkpoint
    // Hold-out metrics: the next count, in sample units (+inf: none along the run).
    double next_holdout_units_;
    int next_holdout_exponent_ = 0;
    double next_event_units_;  // the lower of next_row_units_ and next_holdout_units_
    std::vector<HoldoutRow> holdout_;
    // Improvements of the best-so-far so far, and how many the last hold-out metrics saw: with
    // the same best point, the metrics are the same and need not be computed again.
    std::uint64_t improvements_ = 0;
    std::uint64_t holdout_improvements_ = 0;
    std::size_t last_holdout_begin_ = 0;  // the first row of the last checkpoint in holdout_
    double holdout_s_ = 0;
    int last_level_ = std::numeric_limits<int>::max();
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_clock_check_;
    std::uint64_t calls_since_clock_ = 0;
    std::uint64_t calls_per_clock_check_ = 1;

    // Sparse moves. The best point is kept lazily: copying all D coordinates at every
    // improving move would cost more than the move itself.
    enum class BestSource { materialized, base, base_plus_move };
    bool has_base_ = false;
    std::vector<double> base_;
    std::vector<double> work_;  // fallback: base with the tried move applied, then reverted
    std::vector<std::size_t> move_indices_;
    std::vector<double> move_values_;
    bool move_pending_ = false;
    BestSource best_source_ = BestSource::materialized;
    std::vector<std::size_t> best_move_indices_;
    std::vector<double> best_move_values_;
    bool best_move_is_last_ = false;

    std::vector<double> recommendation_;
    std::vector<double> batch_values_;
};

}  // namespace optbench::host
