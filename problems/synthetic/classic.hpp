// What every classic function shares: dimension, box, instance, start point, known optimum,
// one-pass evaluation, gradient and O(1) incremental evaluation of sparse moves.
//
// Each function is written as f(x) = finish(T), where T is a small array of sums ("channels")
// over terms, and term i reads x_i only, or x_i and x_{i+1} (Rosenbrock). A move of k
// coordinates then changes at most 2k terms, so ClassicProblem updates T from those terms
// alone, in O(k). The sums are kept with accurate_sum.hpp, so the incremental value equals a
// full evaluation of the moved point at any distance from the optimum (in the tests: bit for
// bit in all but a few of 30,000 moves, never more than 3e-15 apart; see resync_period for the
// bound).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "accurate_sum.hpp"
#include "optbench/sdk/sdk.hpp"

namespace synthetic {

using namespace optbench;

// Defaults of a function definition; a function redeclares what differs. A definition also
// declares name, description, default_bounds, optimum_coordinate, and the members
//     std::array<double, channels> term(const double* x, std::size_t i) const;
//     double finish(const std::array<double, channels>& sums) const;
//     void gradient(const double* x, const std::array<double, channels>& sums, double* g) const;
struct ClassicFunction {
    static constexpr std::size_t channels = 1;
    // Term i also reads x_{i+1}.
    static constexpr bool reads_next_coordinate = false;
    // The optimum (optimum_coordinate, ..., optimum_coordinate) is the minimum over any box
    // that contains it and lies inside [-optimum_box_limit, optimum_box_limit].
    static constexpr double optimum_box_limit = sdk::unbounded;

    explicit ClassicFunction(std::size_t dimension) : dim(dimension) {}
    std::size_t term_count() const { return dim; }
    double optimum_value() const { return 0; }

    std::size_t dim;
};

template <class Function>
class ClassicProblem final : public sdk::Problem {
public:
    static constexpr const char* name = Function::name;
    static constexpr const char* description = Function::description;
    // default_bounds is the literature's box.
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "10", "number of variables", 1, 1e9),
        sdk::text("bounds", Function::default_bounds, "search box LOW:HIGH for every coordinate"),
        sdk::integer("instance", "1", "selects the start point (drawn uniformly in the box)", 1),
    };

    static constexpr const char* instance_parameter = "instance";

    explicit ClassicProblem(const sdk::Params& p) : ClassicProblem(p, box(p)) {}

    double value(std::span<const double> x) override {
        check_size(x.size(), "point");
        return finish(sum(x.data()));
    }

    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        check_size(x.size(), "point");
        check_size(g.size(), "gradient");
        const Sums sums = rounded(sum(x.data()));
        function_.gradient(x.data(), sums, g.data());
        return function_.finish(sums);
    }

    std::optional<double> optimum_value() const override {
        return optimum_known_ ? std::optional(function_.optimum_value()) : std::nullopt;
    }
    bool optimum_point(std::span<double> out) const override {
        std::fill(out.begin(), out.end(), Function::optimum_coordinate);
        return optimum_known_;
    }

    void initial_point(std::span<double> out) const override {
        sdk::Rng rng(sdk::derive_seed({"synthetic", name}, instance_));
        for (double& v : out) v = rng.uniform(low_, high_);
    }


    double set_base(std::span<const double> x) override {
        check_size(x.size(), "point");
        base_.assign(x.begin(), x.end());
        move_pending_ = false;
        resynchronise();
        return finish(base_totals_);
    }

    double try_move(std::span<const std::size_t> indices, std::span<const double> values) override {
        if (base_.empty()) throw std::logic_error("try_move: call set_base first");
        if (indices.size() != values.size())
            throw std::invalid_argument("try_move: " + std::to_string(indices.size()) +
                                        " indices and " + std::to_string(values.size()) +
                                        " values");
        for (std::size_t j : indices)
            if (j >= dimension())
                throw std::out_of_range("try_move: index " + std::to_string(j) +
                                        " out of range [0, " + std::to_string(dimension()) + ")");
        move_indices_.assign(indices.begin(), indices.end());
        move_values_.assign(values.begin(), values.end());
        collect_touched_terms();
        if (base_is_finite_) {
            trial_totals_ = base_totals_;
            for (std::size_t t : touched_terms_) subtract_term(trial_totals_, t);
            apply_move();
            for (std::size_t t : touched_terms_) add_term(trial_totals_, t);
        } else {
            // inf - inf cannot be undone term by term; a non-finite base is rare enough to
            // pay a full pass.
            apply_move();
            trial_totals_ = sum(base_.data());
        }
        revert_move();
        move_pending_ = true;
        return finish(trial_totals_);
    }

    void accept() override {
        if (!move_pending_)
            throw std::logic_error("accept: no move was tried since the last set_base or accept");
        apply_move();
        base_totals_ = trial_totals_;
        move_pending_ = false;
        changed_terms_ += touched_terms_.size();
        bool resync_due = changed_terms_ >= resync_period() || !totals_finite(base_totals_);
        for (std::size_t c = 0; c < base_totals_.size(); ++c) {
            const double size = std::fabs(base_totals_[c].value());
            peak_[c] = std::max(peak_[c], size);
            if (peak_[c] > largest_fall * size) resync_due = true;
        }
        if (resync_due) resynchronise();
    }

private:
    using Sums = std::array<double, Function::channels>;
    using Totals = std::array<Total, Function::channels>;

    static std::pair<double, double> box(const sdk::Params& p) {
        const auto [low, high] = sdk::parse_bounds(p.text("bounds"));
        if (!std::isfinite(low) || !std::isfinite(high))
            throw sdk::ParamError("parameter 'bounds' must be finite for " + std::string(name) +
                                  " (the start point is drawn uniformly in the box), got '" +
                                  p.text("bounds") + "'");
        return {low, high};
    }

    ClassicProblem(const sdk::Params& p, std::pair<double, double> box)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {box.first}, {box.second}),
          function_(dimension()),
          low_(box.first),
          high_(box.second),
          instance_(static_cast<std::uint64_t>(p.integer("instance"))),
          optimum_known_(low_ <= Function::optimum_coordinate &&
                         Function::optimum_coordinate <= high_ &&
                         -Function::optimum_box_limit <= low_ &&
                         high_ <= Function::optimum_box_limit) {}

    void check_size(std::size_t size, const char* what) const {
        if (size != dimension())
            throw std::invalid_argument(std::string(name) + ": the " + what + " has " +
                                        std::to_string(size) + " coordinates, the problem has " +
                                        std::to_string(dimension()));
    }

    Totals sum(const double* x) const {
        return sum_terms<Function::channels>(function_.term_count(),
                                             [&](std::size_t i) { return function_.term(x, i); });
    }
    static Sums rounded(const Totals& totals) {
        Sums sums{};
        for (std::size_t c = 0; c < sums.size(); ++c) sums[c] = totals[c].value();
        return sums;
    }
    double finish(const Totals& totals) const { return function_.finish(rounded(totals)); }
    static bool totals_finite(const Totals& totals) {
        return std::all_of(totals.begin(), totals.end(),
                           [](const Total& t) { return std::isfinite(t.value()); });
    }

    void add_term(Totals& totals, std::size_t i) const {
        const auto t = function_.term(base_.data(), i);
        for (std::size_t c = 0; c < t.size(); ++c) totals[c].add(t[c]);
    }
    void subtract_term(Totals& totals, std::size_t i) const {
        const auto t = function_.term(base_.data(), i);
        for (std::size_t c = 0; c < t.size(); ++c) totals[c].subtract(t[c]);
    }

    // The terms that read a moved coordinate, each once even when two moved coordinates share
    // it (or an index repeats).
    void collect_touched_terms() {
        touched_terms_.clear();
        for (std::size_t j : move_indices_) {
            if (Function::reads_next_coordinate && j > 0) touched_terms_.push_back(j - 1);
            if (j < function_.term_count()) touched_terms_.push_back(j);
        }
        if (touched_terms_.size() > 1) {
            std::sort(touched_terms_.begin(), touched_terms_.end());
            touched_terms_.erase(std::unique(touched_terms_.begin(), touched_terms_.end()),
                                 touched_terms_.end());
        }
    }

    // Writes the move into the base in order (a repeated index takes its last value, as the
    // host's fallback does); revert_move undoes it in reverse order.
    void apply_move() {
        displaced_.resize(move_indices_.size());
        for (std::size_t q = 0; q < move_indices_.size(); ++q) {
            displaced_[q] = base_[move_indices_[q]];
            base_[move_indices_[q]] = move_values_[q];
        }
    }
    void revert_move() {
        for (std::size_t q = move_indices_.size(); q-- > 0;)
            base_[move_indices_[q]] = displaced_[q];
    }

    // When the base is re-summed from scratch: after 8 D accepted term changes (at least
    // 2^16), an amortised cost of 1/8 of a term evaluation per change; once a total has fallen
    // 2^40 below its largest value since the last resync (its "peak"), at most once per 2^40
    // of descent; and when the base becomes non-finite. A Total rounds only in its third
    // word, so over one period its error stays below ~2^-80 of its peak (a crude bound, for
    // D <= 10^7), hence below ~2^-40 (1e-12) of its current value.
    std::size_t resync_period() const {
        return std::max<std::size_t>(8 * function_.term_count(), std::size_t{1} << 16);
    }
    static constexpr double largest_fall = 0x1p40;

    void resynchronise() {
        base_totals_ = sum(base_.data());
        base_is_finite_ = totals_finite(base_totals_);
        for (std::size_t c = 0; c < base_totals_.size(); ++c)
            peak_[c] = std::fabs(base_totals_[c].value());
        changed_terms_ = 0;
    }

    Function function_;
    double low_, high_;
    std::uint64_t instance_;
    bool optimum_known_;

    // Incremental state: the base point, its sums, and the last tried move.
    std::vector<double> base_;
    Totals base_totals_{};
    bool base_is_finite_ = true;
    std::array<double, Function::channels> peak_{};
    std::size_t changed_terms_ = 0;
    std::vector<std::size_t> move_indices_;
    std::vector<double> move_values_;
    std::vector<double> displaced_;
    std::vector<std::size_t> touched_terms_;
    Totals trial_totals_{};
    bool move_pending_ = false;
};

}  // namespace synthetic
