// MDP: a single-solution, derivative-free method after the public description of SGOLab's
// closed-source MDP ("Towards Scalable Geometric Optimization"): one point, a base unit of
// distance, structured displacements and L1-ratio progress measures. The mechanics below are
// an open design; README.md in this folder gives the rules and the measurements behind every
// default.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "optbench/sdk/sdk.hpp"
#include "sum_tree.hpp"

namespace mdp {

using namespace optbench;

struct Settings {
    double base_unit;
    double box;
    double growth;
    double shrink;
    std::int64_t shrink_after;
    double min_step;
    double priority_share;
    double priority_decay;
    std::int64_t displacement_every;
    double extrapolation;
    bool displace_by_base;
    std::int64_t baseline_evals;
    std::int64_t report_from;
    std::int64_t reports_per_decade;
};

// One run: the point, its per-coordinate steps and the bookkeeping of the progress measures.
class Search {
public:
    Search(sdk::Objective& objective, const Settings& settings, std::uint64_t seed)
        : objective_(objective),
          settings_(settings),
          rng_(seed),
          dimension_(objective.dimension()),
          priority_(dimension_),
          next_report_(settings.report_from) {}

    void run() {
        start();
        if (free_.empty()) {
            objective_.set_stop_reason("no free coordinate (every lower bound equals its upper)");
            return;
        }
        try {
            const std::int64_t every = settings_.displacement_every;
            std::int64_t next_displacement = every;
            while (true) {
                if (every > 0 && evals_ >= next_displacement) {
                    displace();
                    next_displacement = (evals_ / every + 1) * every;
                }
                move_coordinate(pick());
            }
        } catch (const sdk::Stop&) {
            if (last_report_ != evals_) report();  // the state the run ends in
            throw;
        }
    }

private:
    // Width of coordinate i: ub - lb, or 2 * box when a bound is missing.
    double width(std::size_t i) const {
        const double low = objective_.lower(i), high = objective_.upper(i);
        return std::isfinite(low) && std::isfinite(high) ? high - low : 2 * settings_.box;
    }
    double clip(std::size_t i, double v) const {
        return std::clamp(v, objective_.lower(i), objective_.upper(i));
    }

    void start() {
        const auto given = objective_.initial_point();
        x_.assign(given.begin(), given.end());
        if (x_.empty()) {
            // No start point: uniform in the bounds, the default box standing in for a
            // missing bound (as random_search samples).
            x_.resize(dimension_);
            for (std::size_t i = 0; i < dimension_; ++i) {
                const double low = objective_.lower(i), high = objective_.upper(i);
                if (std::isfinite(low) && std::isfinite(high))
                    x_[i] = rng_.uniform(low, high);
                else if (std::isfinite(low))
                    x_[i] = rng_.uniform(low, low + 2 * settings_.box);
                else if (std::isfinite(high))
                    x_[i] = rng_.uniform(high - 2 * settings_.box, high);
                else
                    x_[i] = rng_.uniform(-settings_.box, settings_.box);
            }
        }
        step_.resize(dimension_);
        failures_.assign(dimension_, 0);
        for (std::size_t i = 0; i < dimension_; ++i) {
            step_[i] = settings_.base_unit * width(i);
            if (objective_.lower(i) < objective_.upper(i)) free_.push_back(i);
        }
        start_x_ = x_;
        anchor_ = x_;
        touched_.assign(dimension_, false);
        fx_ = objective_.set_base(x_);
        counted();
    }

    std::size_t pick() {
        const double total = priority_.total();
        if (total > 0 && rng_.uniform() < settings_.priority_share)
            return priority_.find(rng_.uniform() * total);
        return free_[rng_.index(free_.size())];
    }

    // Tries x_p + s then x_p - s (s the signed remembered step); the first strict improvement
    // is kept and the step grows in its direction. A try that clipping (or rounding) makes
    // identical to x is skipped and costs nothing.
    void move_coordinate(std::size_t p) {
        bool tried = false;
        for (const double s : {step_[p], -step_[p]}) {
            const double candidate = clip(p, x_[p] + s);
            if (candidate == x_[p]) continue;
            tried = true;
            const double f = objective_.try_move({&p, 1}, {&candidate, 1});
            ++window_tries_;
            if (f < fx_) {
                objective_.accept();
                priority_.set(p, fx_ - f);
                fx_ = f;
                set_coordinate(p, candidate);
                step_[p] = std::copysign(std::min(std::fabs(s) * settings_.growth, width(p)), s);
                failures_[p] = 0;
                ++window_accepted_;
                counted();
                return;
            }
            if (++failures_[p] >= settings_.shrink_after) {
                failures_[p] = 0;
                step_[p] = std::copysign(
                    std::max(std::fabs(step_[p]) * settings_.shrink, settings_.min_step * width(p)),
                    step_[p]);
            }
            if (settings_.priority_decay < 1 && priority_.weight(p) > 0)
                priority_.set(p, priority_.weight(p) * settings_.priority_decay);
            counted();
        }
        // Both directions round back to x: the step is below the spacing of doubles there.
        if (!tried) step_[p] = std::copysign(std::min(std::fabs(step_[p]) * 2, width(p)), step_[p]);
    }

    // Moves coordinate p of the current point, keeping the L1 distances up to date.
    void set_coordinate(std::size_t p, double value) {
        l1_start_ += std::fabs(value - start_x_[p]) - std::fabs(x_[p] - start_x_[p]);
        if (!baseline_x_.empty())
            l1_baseline_ += std::fabs(value - baseline_x_[p]) - std::fabs(x_[p] - baseline_x_[p]);
        x_[p] = value;
        if (!touched_[p]) {
            touched_[p] = true;
            touched_list_.push_back(p);
        }
    }

    // Structured displacement: extrapolates along the path since the anchor, x + a (x -
    // anchor) for a = 1, e, e^2, ... (e = extrapolation) while that improves; then the anchor
    // moves to x. Only coordinates moved since the anchor take part, so the cost is
    // proportional to them, not to the dimension.
    void displace() {
        indices_.clear();
        origin_.clear();
        direction_.clear();
        for (std::size_t i : touched_list_) {
            if (x_[i] == anchor_[i]) continue;
            indices_.push_back(i);
            origin_.push_back(x_[i]);
            direction_.push_back(x_[i] - anchor_[i]);
        }
        values_.resize(indices_.size());
        for (double a = 1; !indices_.empty(); a *= settings_.extrapolation) {
            bool moves = false;
            for (std::size_t k = 0; k < indices_.size(); ++k) {
                values_[k] = clip(indices_[k], origin_[k] + a * direction_[k]);
                moves = moves || values_[k] != x_[indices_[k]];
            }
            if (!moves || !try_displacement()) break;
        }
        for (std::size_t i : touched_list_) {
            anchor_[i] = x_[i];
            touched_[i] = false;
        }
        touched_list_.clear();
    }

    // Evaluates x with x[indices_] = values_ and keeps it if it is a strict improvement.
    bool try_displacement() {
        double f = 0;
        if (settings_.displace_by_base) {
            trial_ = x_;
            for (std::size_t k = 0; k < indices_.size(); ++k) trial_[indices_[k]] = values_[k];
            f = objective_.set_base(trial_);
        } else {
            f = objective_.try_move(indices_, values_);
        }
        ++window_tries_;
        const bool improved = f < fx_;
        if (improved) {
            if (!settings_.displace_by_base) objective_.accept();
            fx_ = f;
            for (std::size_t k = 0; k < indices_.size(); ++k) set_coordinate(indices_[k], values_[k]);
            ++window_accepted_;
        }
        counted();
        if (!improved && settings_.displace_by_base) {
            fx_ = objective_.set_base(x_);  // the base goes back to x, at one evaluation
            counted();
        }
        return improved;
    }

    // Called after every evaluation, once x holds the point the evaluation left behind.
    void counted() {
        ++evals_;
        if (evals_ == settings_.baseline_evals) {
            baseline_x_ = x_;
            baseline_distance_ = l1_start_;
            l1_baseline_ = 0;
        }
        if (evals_ == next_report_) {
            report();
            while (next_report_ <= evals_)
                next_report_ = static_cast<std::int64_t>(std::floor(
                    static_cast<double>(settings_.report_from) *
                    std::pow(10.0, static_cast<double>(++report_step_) /
                                       static_cast<double>(settings_.reports_per_decade))));
        }
    }

    void report() {
        if (baseline_distance_ > 0) {
            objective_.report("l1_ratio_start", l1_start_ / baseline_distance_);
            objective_.report("l1_ratio_baseline", l1_baseline_ / baseline_distance_);
        }
        magnitudes_.resize(free_.size());
        for (std::size_t k = 0; k < free_.size(); ++k) magnitudes_[k] = std::fabs(step_[free_[k]]);
        const auto middle = magnitudes_.begin() + static_cast<std::ptrdiff_t>(magnitudes_.size() / 2);
        std::nth_element(magnitudes_.begin(), middle, magnitudes_.end());
        objective_.report("median_step", *middle);
        if (window_tries_ > 0)
            objective_.report("acceptance_rate", static_cast<double>(window_accepted_) /
                                                     static_cast<double>(window_tries_));
        window_tries_ = window_accepted_ = 0;
        last_report_ = evals_;
    }

    sdk::Objective& objective_;
    const Settings& settings_;
    sdk::Rng rng_;
    std::size_t dimension_;

    std::vector<double> x_;
    double fx_ = 0;
    std::vector<double> step_;  // signed: the sign is the direction tried first
    std::vector<std::int64_t> failures_;
    std::vector<std::size_t> free_;  // coordinates with lower < upper
    SumTree priority_;               // gain of each coordinate's last accepted move

    std::vector<double> anchor_;
    std::vector<bool> touched_;              // moved since the anchor was set
    std::vector<std::size_t> touched_list_;  // the same, as a list
    std::vector<std::size_t> indices_;       // displacement scratch
    std::vector<double> origin_, direction_, values_, trial_;

    std::vector<double> start_x_, baseline_x_;
    double l1_start_ = 0, l1_baseline_ = 0, baseline_distance_ = 0;

    std::int64_t evals_ = 0;
    // Reports fall on a log-spaced grid of evaluation counts: O(log budget) reports, each
    // O(dimension) for the median, so even a million coordinates cost little.
    std::int64_t next_report_;
    std::int64_t report_step_ = 0;
    std::int64_t last_report_ = 0;
    std::int64_t window_tries_ = 0, window_accepted_ = 0;
    std::vector<double> magnitudes_;
};

class Mdp final : public sdk::Optimizer {
public:
    static constexpr const char* name = "mdp";
    static constexpr const char* description =
        "single-solution coordinate steps with gain priority and structured displacements "
        "(after SGOLab's MDP; uses sparse moves)";
    static constexpr abi::StatSpec stats[] = {
        {"l1_ratio_start", "L1 ratio from the start point x0: |x_t - x0|_1 / |xb - x0|_1", abi::in_figure},
        {"l1_ratio_baseline", "L1 ratio from the baseline point xb: |x_t - xb|_1 / |xb - x0|_1", abi::in_figure},
        {"median_step", "median per-coordinate step length", 0},
        {"acceptance_rate", "share of accepted moves in the last window", 0},
    };
    static constexpr abi::ParamSpec params[] = {
        sdk::real("base_unit", "0.02",
                  "base unit of distance: every coordinate's first step is base_unit x (ub - lb)",
                  0, 1),
        sdk::real("box", "5",
                  "half-width of the box that stands in for missing bounds: it sets the first "
                  "step and the step cap (2 x box wide) and the start when the problem has none",
                  0, sdk::unbounded),
        sdk::real("growth", "2",
                  "step factor after an accepted move (the step is capped at ub - lb)", 1,
                  sdk::unbounded),
        sdk::real("shrink", "0.5", "step factor after shrink_after failed tries", 0, 1),
        sdk::integer("shrink_after", "2",
                     "failed tries of a coordinate (since its last success) that shrink its step",
                     1, 1e9),
        sdk::real("min_step", "1e-12", "smallest step, as a fraction of ub - lb", 0, 1),
        sdk::real("priority_share", "0.5",
                  "probability of choosing the coordinate in proportion to the gain of its last "
                  "accepted move (else uniformly)",
                  0, 1),
        sdk::real("priority_decay", "0.5",
                  "factor on a coordinate's gain weight after each failed try (1 keeps it)", 0, 1),
        sdk::integer("displacement_every", "5000",
                     "evaluations between structured displacements (0 disables them)", 0, 1e15),
        sdk::real("extrapolation", "2",
                  "a displacement tries x + a (x - anchor) for a = 1, e, e^2, ... with e this "
                  "factor, while it improves",
                  1, 1e6),
        sdk::choice("displacement_call", "move", "move|base",
                    "evaluate displacements as one many-coordinate try_move (move) or by "
                    "set_base, which costs one more evaluation after a failure (base)"),
        sdk::integer("baseline_evals", "10000",
                     "the baseline point is the point after this many evaluations", 1, 1e15),
        sdk::integer("report_from", "1000",
                     "evaluations at the first report of the progress measures (then "
                     "log-spaced, and one at the end of the run)",
                     1, 1e15),
        sdk::integer("reports_per_decade", "20",
                     "progress reports per tenfold increase of the evaluation count", 1, 1000),
    };

    explicit Mdp(const sdk::Params& p)
        : settings_{p.real("base_unit"),
                    p.finite_real("box"),
                    p.real("growth"),
                    p.real("shrink"),
                    p.integer("shrink_after"),
                    p.real("min_step"),
                    p.real("priority_share"),
                    p.real("priority_decay"),
                    p.integer("displacement_every"),
                    p.real("extrapolation"),
                    p.text("displacement_call") == "base",
                    p.integer("baseline_evals"),
                    p.integer("report_from"),
                    p.integer("reports_per_decade")} {
        for (const char* key : {"base_unit", "box", "shrink", "min_step"})
            if (!(p.real(key) > 0))
                throw sdk::ParamError(std::string("parameter '") + key +
                                      "' must be greater than 0, got " + sdk::detail::format_number(p.real(key)));
    }

    void run(sdk::Objective& objective, std::uint64_t seed) override {
        Search(objective, settings_, seed).run();
    }

private:
    Settings settings_;
};

}  // namespace mdp

OPTBENCH_PLUGIN("mdp", "1.0.1", mdp::Mdp)
