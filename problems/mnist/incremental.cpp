#include "incremental.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <stdexcept>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace mnist {

namespace {

// max(v, 0) keeping NaN, as the kernels compute it. GCC turns the scalar comparison into a
// jump, which the coin-flip ReLU pattern of the touched rows mispredicts; MAXSD has exactly
// these semantics (it returns its second operand for NaN and for two zeros).
inline double relu(double v) {
#ifdef __SSE2__
    return _mm_cvtsd_f64(_mm_max_sd(_mm_setzero_pd(), _mm_set_sd(v)));
#else
    return v < 0 ? 0.0 : v;
#endif
}

// z[k] += s * w[k] over a whole padded row of logits (w is 0 past the classes), two at a
// time: written with vectors because GCC does not vectorise the loop by itself here.
inline void add_scaled_row(double* z, double s, const double* w) {
    typedef double pair __attribute__((vector_size(16)));
    for (std::size_t k = 0; k < logit_width; k += 2) {
        pair a, b;
        std::memcpy(&a, z + k, sizeof a);
        std::memcpy(&b, w + k, sizeof b);
        a += s * b;
        std::memcpy(z + k, &a, sizeof a);
    }
}

}  // namespace

Incremental::Incremental(const Network& net, const Samples& objective, const PixelColumns& columns,
                         std::size_t resync_changes, std::size_t full_pass_rows, double weight_penalty)
    : net_(net),
      objective_(objective),
      columns_(columns),
      resync_changes_(resync_changes),
      full_pass_rows_(full_pass_rows),
      last_(net.layers() - 1),
      weight_penalty_(weight_penalty),
      evaluator_(net),
      all_rows_(objective.size()) {
    if (net.layers() < 2)
        throw std::logic_error("mnist: incremental evaluation needs a hidden layer");
    const std::size_t rows = objective.size();
    std::iota(all_rows_.begin(), all_rows_.end(), std::uint32_t{0});
    touched_.resize(net.layers());
    row_stamp_.assign(net.layers(), std::vector<std::uint32_t>(rows, 0));
    saved_rows_.resize(net.layers());
    scratch_rows_.resize(net.layers());
    for (std::size_t l = 1; l < last_; ++l) {
        touched_[l].reserve(rows);
        saved_rows_[l].resize(rows * net.width(l));
        scratch_rows_[l].resize(net.width(l));
    }
    dirty_.resize(rows);
    logit_slots_.resize(rows * logit_width);
    slot_of_row_.resize(rows);
    slot_labels_.resize(rows);
    slot_numbers_ = all_rows_;
}

void Incremental::full_evaluation(State& state) {
    state.params.assign(net_, state.x);
    state.total = evaluator_.forward(state.params, objective_, all_rows_, state.act);
    state.squares = weight_penalty_ != 0 ? net_.squared_weights(state.x) : 0;
    const std::size_t rows = objective_.size(), units = net_.outputs(0), width = net_.width(0);
    state.first_layer.resize(units * rows);
    for (std::size_t row = 0; row < rows; ++row)
        for (std::size_t j = 0; j < units; ++j)
            state.first_layer[j * rows + row] = state.act.z[0][row * width + j];
}

// As MnistMlp::value computes it, so that set_base(x) == value(x).
double Incremental::value_of(double total, double squares) const {
    const double mean = total / static_cast<double>(objective_.size());
    return weight_penalty_ != 0 ? mean + weight_penalty_ * squares : mean;
}

double Incremental::set_base(std::span<const double> x) {
    if (pending_ == Pending::incremental) undo();
    pending_ = Pending::none;
    base_.x.assign(x.begin(), x.end());
    full_evaluation(base_);
    changes_since_sync_ = 0;
    return value_of(base_.total, base_.squares);
}

std::size_t Incremental::estimated_rows(std::span<const std::size_t> indices) const {
    std::size_t rows = 0;
    for (std::size_t c : indices) {
        const Network::Coordinate at = net_.locate(c);
        rows += at.layer == 0 && !at.bias
                    ? columns_.offsets[at.input + 1] - columns_.offsets[at.input]
                    : objective_.size();
    }
    return rows;
}

double Incremental::try_move(std::span<const std::size_t> indices, std::span<const double> values) {
    if (base_.x.empty()) throw std::logic_error("try_move before set_base");
    if (pending_ == Pending::incremental) undo();
    pending_ = Pending::none;
    move_.clear();
    for (std::size_t i = 0; i < indices.size(); ++i) move_.emplace_back(indices[i], values[i]);
    new_squares_ = base_.squares;

    if (estimated_rows(indices) > full_pass_rows_) {
        candidate_.x = base_.x;
        for (const auto& [c, v] : move_) candidate_.x[c] = v;
        full_evaluation(candidate_);
        pending_ = Pending::full;
        return value_of(candidate_.total, candidate_.squares);
    }

    if (move_.size() == 1 && last_ == 1) {
        const Network::Coordinate at = net_.locate(move_[0].first);
        if (at.layer == 0) return try_first_layer(at, move_[0].second);
    }

    if (++stamp_ == 0) {
        for (auto& stamps : row_stamp_) std::fill(stamps.begin(), stamps.end(), 0);
        stamp_ = 1;
    }
    pending_ = Pending::incremental;
    for (const auto& [c, v] : move_) apply(c, v);
    // (Filled here, not per touch: byte stores may alias anything and would make the
    // compiler reload every member in the touch loops.)
    for (std::size_t s = 0; s < dirty_count_; ++s) slot_labels_[s] = objective_.labels[dirty_[s]];
    new_loss_.resize(dirty_count_);
    kernels().softmax_cross_entropy(dirty_count_, slot_numbers_.data(), logit_slots_.data(),
                                    slot_labels_.data(), new_loss_.data(), nullptr, 1.0);
    double change = 0;
    for (std::size_t s = 0; s < dirty_count_; ++s)
        change += new_loss_[s] - base_.act.loss[dirty_[s]];
    new_total_ = base_.total + change;
    return value_of(new_total_, new_squares_);
}

double Incremental::try_first_layer(const Network::Coordinate& at, double value) {
    pending_ = Pending::first_layer;
    first_layer_changed_ = 0;
    new_total_ = base_.total;
    const double old = base_.params.weight(at);
    if (weight_penalty_ != 0 && !at.bias) new_squares_ += value * value - old * old;
    if (value != old) {
        const auto [rows, codes] = inputs_of(at);
        const std::size_t changed = shift_first_layer<Write::nothing>(at.unit, value - old, rows, codes);
        new_loss_.resize(changed);
        kernels().shifted_softmax_cross_entropy(changed, changed_rows_.data(), base_.act.z[last_].data(),
                                                changes_.data(),
                                                base_.params.weights[last_].data() + at.unit * logit_width,
                                                objective_.labels.data(), new_loss_.data());
        double change = 0;
        for (std::size_t s = 0; s < changed; ++s) change += new_loss_[s] - base_.act.loss[changed_rows_[s]];
        new_total_ = base_.total + change;
        first_layer_changed_ = changed;
    }
    return value_of(new_total_, new_squares_);
}

void Incremental::accept_first_layer() {
    const auto [coordinate, value] = move_[0];
    const Network::Coordinate at = net_.locate(coordinate);
    double& parameter = base_.params.weight(at);
    if (value != parameter) {
        const double* w = base_.params.weights[last_].data() + at.unit * logit_width;
        double* logits = base_.act.z[last_].data();
        for (std::size_t s = 0; s < first_layer_changed_; ++s) {
            const std::uint32_t row = changed_rows_[s];
            add_scaled_row(logits + std::size_t{row} * logit_width, changes_[s], w);
            base_.act.loss[row] = new_loss_[s];
        }
        const auto [rows, codes] = inputs_of(at);
        shift_first_layer<Write::plain>(at.unit, value - parameter, rows, codes);
        parameter = value;
    }
}

void Incremental::accept() {
    if (pending_ == Pending::none) throw std::logic_error("accept without a tried move");
    if (pending_ == Pending::full) {
        std::swap(base_, candidate_);
        changes_since_sync_ = 0;
        pending_ = Pending::none;
        return;
    }
    if (pending_ == Pending::first_layer) {
        accept_first_layer();
    } else {
        double* logits = base_.act.z[last_].data();
        for (std::size_t s = 0; s < dirty_count_; ++s) {
            std::memcpy(logits + std::size_t{dirty_[s]} * logit_width,
                        logit_slots_.data() + s * logit_width, logit_width * sizeof(double));
            base_.act.loss[dirty_[s]] = new_loss_[s];
        }
    }
    pending_ = Pending::none;
    base_.total = new_total_;
    base_.squares = new_squares_;
    for (const auto& [c, v] : move_) base_.x[c] = v;
    undo_values_.clear();
    for (auto& rows : touched_) rows.clear();
    dirty_count_ = 0;
    changes_since_sync_ += move_.size();
    if (changes_since_sync_ >= resync_changes_) {
        full_evaluation(base_);
        changes_since_sync_ = 0;
    }
}

void Incremental::undo() {
    for (auto it = undo_values_.rbegin(); it != undo_values_.rend(); ++it) *it->first = it->second;
    undo_values_.clear();
    for (std::size_t l = 1; l < last_; ++l) {
        const std::size_t width = net_.width(l);
        double* z = base_.act.z[l].data();
        const double* saved = saved_rows_[l].data();
        for (std::uint32_t row : touched_[l]) {
            std::memcpy(z + std::size_t{row} * width, saved, width * sizeof(double));
            saved += width;
        }
    }
    for (auto& rows : touched_) rows.clear();
    dirty_count_ = 0;  // the logit slots are simply dropped
}

inline void Incremental::log_row(std::size_t l, std::uint32_t row) {
    if (row_stamp_[l][row] == stamp_) return;
    row_stamp_[l][row] = stamp_;
    const std::size_t width = net_.width(l);
    std::memcpy(saved_rows_[l].data() + touched_[l].size() * width,
                base_.act.z[l].data() + std::size_t{row} * width, width * sizeof(double));
    touched_[l].push_back(row);
}

inline double* Incremental::logits_of(std::uint32_t row) {
    const std::size_t width = logit_width;
    if (row_stamp_[last_][row] != stamp_) {
        row_stamp_[last_][row] = stamp_;
        const std::size_t slot = dirty_count_++;
        dirty_[slot] = row;
        slot_of_row_[row] = static_cast<std::uint32_t>(slot);
        double* z = logit_slots_.data() + slot * width;
        std::memcpy(z, base_.act.z[last_].data() + std::size_t{row} * width,
                    width * sizeof(double));
        return z;
    }
    return logit_slots_.data() + std::size_t{slot_of_row_[row]} * width;
}

void Incremental::add_to_logits(std::size_t j, std::span<const std::uint32_t> rows,
                                const double* changes) {
    const double* w = base_.params.weights[last_].data() + j * logit_width;
    const double* base_logits = base_.act.z[last_].data();
    // The rows are scattered over the logits (640 KB for 5,000 images): fetching a few
    // ahead overlaps the cache misses instead of waiting on each.
    constexpr std::size_t ahead = 8;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i + ahead < rows.size()) {
            const double* next = base_logits + std::size_t{rows[i + ahead]} * logit_width;
            __builtin_prefetch(next);
            __builtin_prefetch(next + logit_width / 2);
        }
        add_scaled_row(logits_of(rows[i]), changes[i], w);
    }
}

void Incremental::propagate(std::size_t l, std::uint32_t row, std::size_t j, double delta) {
    if (l == last_) {
        add_to_logits(j, {&row, 1}, &delta);
        return;
    }
    const std::size_t width = net_.width(l), units = net_.outputs(l);
    log_row(l, row);
    double* z = base_.act.z[l].data() + std::size_t{row} * width;
    const double* w = base_.params.weights[l].data() + j * width;
    double* before = scratch_rows_[l].data();
    std::copy_n(z, units, before);
    for (std::size_t k = 0; k < units; ++k) z[k] += delta * w[k];
    for (std::size_t k = 0; k < units; ++k)
        if (const double change = relu(z[k]) - relu(before[k]); change != 0)
            propagate(l + 1, row, k, change);
}

void Incremental::apply(std::size_t coordinate, double value) {
    const Network::Coordinate at = net_.locate(coordinate);
    double& parameter = base_.params.weight(at);
    const double old = parameter;
    if (value == old) return;
    undo_values_.emplace_back(&parameter, old);
    parameter = value;
    if (weight_penalty_ != 0 && !at.bias) new_squares_ += value * value - old * old;
    const double delta = value - old;
    const std::size_t l = at.layer;
    if (l == 0) {
        const auto [rows, codes] = inputs_of(at);
        const std::size_t changed = shift_first_layer<Write::logged>(at.unit, delta, rows, codes);
        if (last_ == 1)
            add_to_logits(at.unit, {changed_rows_.data(), changed}, changes_.data());
        else
            for (std::size_t i = 0; i < changed; ++i) propagate(1, changed_rows_[i], at.unit, changes_[i]);
    } else if (at.bias) {
        update_unit(l, at.unit, delta, all_rows_, nullptr);
    } else {
        // The rows where input unit `at.input` is active, with its activation.
        const std::size_t rows = objective_.size();
        selected_rows_.clear();
        selected_inputs_.clear();
        for (std::uint32_t row = 0; row < rows; ++row) {
            const double a = l == 1 ? base_.first_layer[at.input * rows + row]
                                    : base_.act.z[l - 1][row * net_.width(l - 1) + at.input];
            if (a > 0) {
                selected_rows_.push_back(row);
                selected_inputs_.push_back(a);
            }
        }
        update_unit(l, at.unit, delta, selected_rows_, selected_inputs_.data());
    }
}

void Incremental::update_unit(std::size_t l, std::size_t j, double delta,
                              std::span<const std::uint32_t> rows, const double* inputs) {
    if (l == last_) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            logits_of(rows[i])[j] += (inputs ? inputs[i] : 1.0) * delta;
        return;
    }
    const std::size_t width = net_.width(l);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::uint32_t row = rows[i];
        log_row(l, row);
        double& z = base_.act.z[l][std::size_t{row} * width + j];
        const double before = z;
        z = before + (inputs ? inputs[i] : 1.0) * delta;
        if (const double change = relu(z) - relu(before); change != 0) propagate(l + 1, row, j, change);
    }
}

std::pair<std::span<const std::uint32_t>, const std::uint8_t*> Incremental::inputs_of(
    const Network::Coordinate& at) const {
    if (at.bias) return {all_rows_, nullptr};
    const std::uint32_t begin = columns_.offsets[at.input], end = columns_.offsets[at.input + 1];
    return {{columns_.rows.data() + begin, end - begin}, columns_.codes.data() + begin};
}

// One pass over the contiguous column collects, without branching, the rows whose activation
// changed.
template <Incremental::Write write>
std::size_t Incremental::shift_first_layer(std::size_t j, double delta, std::span<const std::uint32_t> rows,
                                           const std::uint8_t* codes) {
    double* column = base_.first_layer.data() + j * objective_.size();
    const double* levels = objective_.levels.data();
    std::size_t logged = undo_values_.size(), changed = 0;
    if constexpr (write == Write::logged) undo_values_.resize(logged + rows.size());
    changed_rows_.resize(rows.size());
    changes_.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        double* z = column + rows[i];
        const double before = *z, after = before + (codes ? levels[codes[i]] : 1.0) * delta;
        if constexpr (write == Write::logged) undo_values_[logged++] = {z, before};
        if constexpr (write != Write::nothing) *z = after;
        const double change = relu(after) - relu(before);
        changed_rows_[changed] = rows[i];
        changes_[changed] = change;
        changed += change != 0;
    }
    return changed;
}

}  // namespace mnist
