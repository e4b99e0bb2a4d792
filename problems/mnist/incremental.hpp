// Incremental evaluation of sparse moves on the objective set (DESIGN.md, "Sparse moves").
//
// The base point's pre-activations, logits and row losses are cached. A move is applied
// coordinate by coordinate, touching only what changes: a first-layer weight of pixel p
// updates one hidden pre-activation in the rows where p is nonzero (the pixel's column
// list); where that unit's ReLU output changes, the next layer's row changes, and so on to
// the logits; only rows whose logits changed get a new loss.
//
// Hidden pre-activations are updated in place and everything overwritten is logged, so a
// move that is not accepted is undone exactly (restored, not subtracted). The first layer's
// are kept unit-major, so that a weight's update sweeps one contiguous column in row order.
// Changed logits go to compact slots instead (the base logits stay as they are), where the
// loss kernel finds them contiguous; accepting a move copies them back.
//
// A move of one first-layer coordinate in a network with one hidden layer, what coordinate-wise
// searches mostly make, takes a shorter path: nothing is written until it is accepted. The
// changed rows' losses come from their base logits plus the one change, straight in the loss
// kernel; accepting applies the same operations to the caches, so both paths give the same bits.
//
// Accepted moves accumulate rounding, so after `resync_changes` accepted coordinate changes
// the base is recomputed by a full forward pass. A move estimated to touch more than
// `full_pass_rows` rows (summed over its coordinates) is evaluated by a full pass instead.
//
// With an L2 penalty, the sum of the squared weights is kept beside the losses and changed by
// new^2 - old^2 for each moved weight, so a move costs two multiplications more, not a pass
// over every weight; resynchronisation recomputes it with the caches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "mlp.hpp"

namespace mnist {

class Incremental {
public:
    // weight_penalty: the factor of the sum of squared weights added to the mean loss.
    Incremental(const Network& net, const Samples& objective, const PixelColumns& columns,
                std::size_t resync_changes, std::size_t full_pass_rows, double weight_penalty = 0);

    // Each returns the mean loss plus the penalty.
    double set_base(std::span<const double> x);
    double try_move(std::span<const std::size_t> indices, std::span<const double> values);
    void accept();

private:
    struct State {
        std::vector<double> x;
        PaddedParameters params;
        Activations act;     // act.z[0] is stale after a move: first_layer holds it
        Buffer first_layer;  // the first layer's pre-activations, unit j at [j * rows]
        double total = 0;    // sum of act.loss
        double squares = 0;  // of the weights of x; 0 without a penalty
    };

    double value_of(double total, double squares) const;
    void full_evaluation(State& state);
    void undo();
    void apply(std::size_t coordinate, double value);
    double try_first_layer(const Network::Coordinate& at, double value);
    void accept_first_layer();
    // The rows and level codes (null: every row, input 1) a first-layer coordinate multiplies.
    std::pair<std::span<const std::uint32_t>, const std::uint8_t*> inputs_of(const Network::Coordinate& at) const;
    // Adds input * delta to unit j's pre-activation in the given rows, the input of a row the
    // level of its code (1 without codes); the rows whose activation changes go to
    // changed_rows_ and changes_, in order, and their count is returned. What is written, and
    // whether the old values are logged for undo(), depends on `write`.
    enum class Write { nothing, logged, plain };
    template <Write write>
    std::size_t shift_first_layer(std::size_t j, double delta, std::span<const std::uint32_t> rows,
                                  const std::uint8_t* codes);
    // Adds input * delta to unit j of layer l > 0 in the given rows (input 1 when `inputs` is
    // null) and propagates the activations that change.
    void update_unit(std::size_t l, std::size_t j, double delta,
                     std::span<const std::uint32_t> rows, const double* inputs);
    // Input unit j of hidden layer l changed its activation by delta in row `row`.
    void propagate(std::size_t l, std::uint32_t row, std::size_t j, double delta);
    // The same for the output layer, in each of `rows` by changes[i].
    void add_to_logits(std::size_t j, std::span<const std::uint32_t> rows, const double* changes);
    // The row's logits for this move: its slot, filled from the base on first touch.
    double* logits_of(std::uint32_t row);
    // Saves a hidden row's values before its first change in this move.
    void log_row(std::size_t l, std::uint32_t row);
    std::size_t estimated_rows(std::span<const std::size_t> indices) const;

    const Network& net_;
    const Samples& objective_;
    const PixelColumns& columns_;
    const std::size_t resync_changes_, full_pass_rows_, last_;
    const double weight_penalty_;
    Evaluator evaluator_;
    std::vector<std::uint32_t> all_rows_;
    State base_, candidate_;

    enum class Pending { none, incremental, first_layer, full } pending_ = Pending::none;
    std::vector<std::pair<std::size_t, double>> move_;
    std::size_t first_layer_changed_ = 0;  // rows a pending first-layer move changes
    std::vector<std::pair<double*, double>> undo_values_;  // weights and first layer
    // Rows touched in this move, first touch marked by row_stamp_[l][row] == stamp_: of the
    // hidden layers after the first, with their old values; of the output layer (dirty_),
    // with their logits in slot s for dirty_[s].
    std::vector<std::vector<std::uint32_t>> touched_;
    std::vector<Buffer> saved_rows_;
    std::vector<std::uint32_t> dirty_;
    std::size_t dirty_count_ = 0;
    std::vector<std::vector<std::uint32_t>> row_stamp_;
    std::uint32_t stamp_ = 0;
    Buffer logit_slots_;
    std::vector<std::uint32_t> slot_of_row_, slot_numbers_;
    std::vector<std::uint8_t> slot_labels_;
    std::vector<Buffer> scratch_rows_;  // a hidden row before a propagated change
    std::vector<std::uint32_t> changed_rows_, selected_rows_;
    Buffer changes_, selected_inputs_;
    Buffer new_loss_;
    double new_total_ = 0, new_squares_ = 0;
    std::size_t changes_since_sync_ = 0;
};

}  // namespace mnist
