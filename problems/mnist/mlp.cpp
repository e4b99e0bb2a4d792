#include "mlp.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace mnist {

Network::Network(std::vector<std::size_t> units) : units_(std::move(units)) {
    if (units_.size() < 2 || units_.back() != num_classes)
        throw std::logic_error("mnist: a network needs inputs and " + std::to_string(num_classes) +
                               " outputs");
    offsets_.push_back(0);
    for (std::size_t l = 0; l < layers(); ++l) {
        widths_.push_back((outputs(l) + row_alignment - 1) / row_alignment * row_alignment);
        offsets_.push_back(offsets_.back() + (inputs(l) + 1) * outputs(l));
    }
}

Network::Coordinate Network::locate(std::size_t c) const {
    const std::size_t l =
        static_cast<std::size_t>(std::upper_bound(offsets_.begin(), offsets_.end(), c) -
                                 offsets_.begin()) -
        1;
    const std::size_t within = c - offsets_[l];
    if (c >= bias_offset(l)) return {l, true, 0, c - bias_offset(l)};
    return {l, false, within / outputs(l), within % outputs(l)};
}

double Network::squared_weights(std::span<const double> x) const {
    // Four running sums rather than one chain of dependent additions: a quarter of the latency.
    double sums[4] = {};
    for (std::size_t l = 0; l < layers(); ++l) {
        std::size_t i = weight_offset(l);
        for (; i + 4 <= bias_offset(l); i += 4)
            for (std::size_t k = 0; k < 4; ++k) sums[k] += x[i + k] * x[i + k];
        for (; i < bias_offset(l); ++i) sums[0] += x[i] * x[i];
    }
    return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

Samples::Samples(const Dataset& data) : levels(data.levels) {}

void Samples::add(const Dataset& data, const Pool& pool, std::size_t index) {
    const std::uint8_t* codes = pool.pixels.data() + index * data.image_pixels;
    for (std::uint32_t p = 0; p < data.image_pixels; ++p)
        if (codes[p] != 0) entries.push_back(sparse_entry(p, codes[p]));
    offsets.push_back(static_cast<std::uint32_t>(entries.size()));
    labels.push_back(pool.labels[index]);
}

void Samples::index_by_pixel(std::size_t pixels, std::size_t block_rows) {
    PixelBlockIndex index;
    index.block_rows = block_rows;
    std::vector<std::uint32_t> count(pixels), next(pixels);
    for (std::size_t first = 0; first < size(); first += block_rows) {
        const std::size_t last = std::min(size(), first + block_rows);
        std::fill(count.begin(), count.end(), 0);
        for (std::uint32_t k = offsets[first]; k < offsets[last]; ++k) ++count[entry_pixel(entries[k])];
        for (std::uint32_t p = 0; p < pixels; ++p) {
            if (count[p] == 0) continue;
            index.pixels.push_back(p);
            next[p] = index.starts.back();
            index.starts.push_back(index.starts.back() + count[p]);
        }
        index.blocks.push_back(static_cast<std::uint32_t>(index.pixels.size()));
        index.entries.resize(index.starts.back());
        for (std::size_t r = first; r < last; ++r)
            for (std::uint32_t k = offsets[r]; k < offsets[r + 1]; ++k)
                index.entries[next[entry_pixel(entries[k])]++] =
                    static_cast<std::uint32_t>(r - first) << 8 | entry_code(entries[k]);
    }
    by_pixel = std::move(index);
}

void Samples::group_similar_rows(std::size_t pixels) {
    // Wider windows find closer partners at a quadratic cost: on the npm digits, groups of
    // four from 512 rows ordered by label take 1.4 multiply-adds per nonzero (four per pixel
    // of their union), groups from 256 rows in row order 1.6.
    constexpr std::size_t window = 512;
    const std::size_t words = (pixels + 63) / 64;
    std::vector<std::uint64_t> bits(size() * words, 0);
    for (std::size_t r = 0; r < size(); ++r)
        for (std::uint32_t k = offsets[r]; k < offsets[r + 1]; ++k) {
            const std::uint32_t p = entry_pixel(entries[k]);
            bits[r * words + p / 64] |= std::uint64_t{1} << (p % 64);
        }
    std::vector<std::uint32_t> order(size());
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return labels[a] < labels[b]; });

    RowGroupIndex index;
    std::vector<std::uint64_t> group_bits(words);
    std::vector<char> taken(window);
    std::uint32_t cursor[group_rows];
    for (std::size_t first = 0; first < size(); first += window) {
        const std::size_t last = std::min(size(), first + window);
        std::fill(taken.begin(), taken.end(), 0);
        for (std::size_t seed = first; seed < last; ++seed) {
            if (taken[seed - first]) continue;
            taken[seed - first] = 1;
            const std::size_t group_first = index.rows.size();
            index.rows.push_back(order[seed]);
            std::copy_n(bits.begin() + static_cast<std::ptrdiff_t>(order[seed] * words), words,
                        group_bits.begin());
            while (index.rows.size() - group_first < group_rows) {
                long best_score = 0;
                std::size_t best = last;
                for (std::size_t j = seed + 1; j < last; ++j) {
                    if (taken[j - first]) continue;
                    const std::uint64_t* row_bits = bits.data() + order[j] * words;
                    long shared = 0;
                    for (std::size_t w = 0; w < words; ++w) shared += std::popcount(row_bits[w] & group_bits[w]);
                    // shared pixels less added ones
                    const long score = 2 * shared - static_cast<long>(offsets[order[j] + 1] - offsets[order[j]]);
                    if (best == last || score > best_score) best_score = score, best = j;
                }
                if (best == last) break;
                taken[best - first] = 1;
                index.rows.push_back(order[best]);
                for (std::size_t w = 0; w < words; ++w) group_bits[w] |= bits[order[best] * words + w];
            }
            // The union of the group's pixels, ascending, with each member's code.
            const std::size_t members = index.rows.size() - group_first;
            for (std::size_t i = 0; i < members; ++i) cursor[i] = offsets[index.rows[group_first + i]];
            for (;;) {
                std::uint32_t pixel = std::numeric_limits<std::uint32_t>::max();
                for (std::size_t i = 0; i < members; ++i)
                    if (cursor[i] < offsets[index.rows[group_first + i] + 1])
                        pixel = std::min(pixel, entry_pixel(entries[cursor[i]]));
                if (pixel == std::numeric_limits<std::uint32_t>::max()) break;
                index.pixels.push_back(pixel);
                for (std::size_t i = 0; i < group_rows; ++i) {
                    std::uint8_t code = 0;
                    if (i < members && cursor[i] < offsets[index.rows[group_first + i] + 1] &&
                        entry_pixel(entries[cursor[i]]) == pixel)
                        code = static_cast<std::uint8_t>(entry_code(entries[cursor[i]++]));
                    index.codes.push_back(code);
                }
            }
            index.row_begin.push_back(static_cast<std::uint32_t>(index.rows.size()));
            index.entry_begin.push_back(static_cast<std::uint32_t>(index.pixels.size()));
        }
    }
    by_group = std::move(index);
}

std::size_t Samples::group_index_bytes() const {
    return (by_group.row_begin.size() + by_group.rows.size() + by_group.entry_begin.size() +
            by_group.pixels.size()) *
               sizeof(std::uint32_t) +
           by_group.codes.size();
}

PixelColumns::PixelColumns(const Samples& samples, std::size_t pixels)
    : offsets(pixels + 1, 0), rows(samples.nonzeros()), codes(samples.nonzeros()) {
    for (std::uint32_t entry : samples.entries) ++offsets[entry_pixel(entry) + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    std::vector<std::uint32_t> next(offsets.begin(), offsets.end() - 1);
    for (std::uint32_t row = 0; row < samples.size(); ++row)
        for (std::uint32_t k = samples.offsets[row]; k < samples.offsets[row + 1]; ++k) {
            const std::uint32_t entry = samples.entries[k];
            const std::uint32_t at = next[entry_pixel(entry)]++;
            rows[at] = row;
            codes[at] = static_cast<std::uint8_t>(entry_code(entry));
        }
}

void PaddedParameters::assign(const Network& net, std::span<const double> x) {
    weights.resize(net.layers());
    biases.resize(net.layers());
    for (std::size_t l = 0; l < net.layers(); ++l) {
        const std::size_t n = net.outputs(l), width = net.width(l);
        weights[l].assign(net.inputs(l) * width, 0.0);
        biases[l].assign(width, 0.0);
        const double* w = x.data() + net.weight_offset(l);
        for (std::size_t q = 0; q < net.inputs(l); ++q)
            std::copy(w + q * n, w + (q + 1) * n,
                      weights[l].begin() + static_cast<std::ptrdiff_t>(q * width));
        std::copy(x.begin() + static_cast<std::ptrdiff_t>(net.bias_offset(l)),
                  x.begin() + static_cast<std::ptrdiff_t>(net.bias_offset(l) + n),
                  biases[l].begin());
    }
}

double& PaddedParameters::weight(const Network::Coordinate& c) {
    const std::size_t width = biases[c.layer].size();
    return c.bias ? biases[c.layer][c.unit] : weights[c.layer][c.input * width + c.unit];
}

void Activations::resize(const Network& net, std::size_t rows) {
    z.resize(net.layers());
    for (std::size_t l = 0; l < net.layers(); ++l) z[l].resize(rows * net.width(l));
    loss.resize(rows);
}

namespace {

// Rows a streamed pass takes through all layers at a time: their activations (32 hidden units
// and 16 logits, 384 bytes a row) stay in L1 and L2 beside the weights.
constexpr std::size_t streamed_block_rows = 256;

bool every_row_in_order(std::span<const std::uint32_t> rows, const Samples& samples) {
    if (rows.size() != samples.size()) return false;
    for (std::size_t r = 0; r < rows.size(); ++r)
        if (rows[r] != r) return false;
    return true;
}

// An exponent field of all ones (0x7ff) marks infinities and NaNs. Integer operations only,
// so that the loop vectorises (a check per evaluation: 25,088 weights at 784-32-10).
bool all_finite(const Buffer& values) {
    std::uint64_t any_all_ones = 0;
    for (const double v : values) any_all_ones |= ((std::bit_cast<std::uint64_t>(v) >> 52 & 0x7ff) + 1) >> 11;
    return any_all_ones == 0;
}

}  // namespace

bool Evaluator::first_layer_by_groups(const PaddedParameters& params, const Samples& samples) const {
    return kernels_.grouped_affine != nullptr && samples.grouped() && all_finite(params.weights[0]);
}

double Evaluator::forward(const PaddedParameters& params, const Samples& samples,
                          std::span<const std::uint32_t> rows, Activations& act, bool want_gradient,
                          double scale) {
    const Kernels& k = kernels_;
    const std::size_t count = rows.size(), last = net_.layers() - 1;
    act.resize(net_, count);
    if (every_row_in_order(rows, samples) && first_layer_by_groups(params, samples)) {
        const RowGroups groups = samples.groups();
        k.grouped_affine(groups, 0, groups.groups, groups.rows, params.weights[0].data(),
                         params.biases[0].data(), net_.width(0), act.z[0].data());
    } else {
        k.sparse_affine(count, rows.data(), samples.sparse(), params.weights[0].data(),
                        params.biases[0].data(), net_.width(0), act.z[0].data());
    }
    for (std::size_t l = 1; l <= last; ++l)
        k.relu_affine(count, act.z[l - 1].data(), net_.inputs(l), net_.width(l - 1),
                      params.weights[l].data(), params.biases[l].data(), net_.width(l),
                      act.z[l].data());
    // The loss kernel reads logits and labels through one row list: here logits are compact.
    if (identity_.size() < count) {
        identity_.resize(count);
        std::iota(identity_.begin(), identity_.end(), std::uint32_t{0});
    }
    labels_.resize(count);
    for (std::size_t r = 0; r < count; ++r) labels_[r] = samples.labels[rows[r]];
    if (want_gradient) logit_gradient_.resize(count * logit_width);
    k.softmax_cross_entropy(count, identity_.data(), act.z[last].data(), labels_.data(),
                            act.loss.data(), want_gradient ? logit_gradient_.data() : nullptr,
                            scale);
    double sum = 0;
    for (std::size_t r = 0; r < count; ++r) sum += act.loss[r];
    return sum;
}

void Evaluator::losses(std::span<const PaddedParameters* const> params, const Samples& samples,
                       std::span<double> sums) {
    const Kernels& k = kernels_;
    const std::size_t n = samples.size(), last = net_.layers() - 1;
    if (identity_.size() < n) {
        identity_.resize(n);
        std::iota(identity_.begin(), identity_.end(), std::uint32_t{0});
    }
    // With the grouped kernel, rows go through in group order, whole groups to a block,
    // whichever kernel takes a point's first layer (row by row, group order is 1.2-1.4x
    // slower than row order: each row's nonzeros are read from elsewhere); each row's loss
    // is put back in its place, and the sums go in row order as forward()'s.
    const bool grouped = k.grouped_affine != nullptr && samples.grouped();
    const RowGroups groups = samples.groups();
    const std::uint32_t* order = grouped ? groups.rows : identity_.data();
    constexpr std::size_t groups_per_block = streamed_block_rows / group_rows;
    const std::size_t blocks = grouped ? (groups.groups + groups_per_block - 1) / groups_per_block
                                       : (n + streamed_block_rows - 1) / streamed_block_rows;
    by_groups_.resize(params.size());
    for (std::size_t c = 0; c < params.size(); ++c) by_groups_[c] = first_layer_by_groups(*params[c], samples);
    row_losses_.resize(params.size() * n);
    block_.resize(net_, std::min(n, streamed_block_rows));
    for (std::size_t b = 0; b < blocks; ++b) {
        std::size_t begin = b * streamed_block_rows, end = std::min(n, begin + streamed_block_rows);
        const std::size_t first_group = b * groups_per_block;
        const std::size_t group_count = grouped ? std::min(groups_per_block, groups.groups - first_group) : 0;
        if (grouped) {
            begin = groups.row_begin[first_group];
            end = groups.row_begin[first_group + group_count];
        }
        const std::size_t count = end - begin;
        labels_.resize(count);
        for (std::size_t j = 0; j < count; ++j) labels_[j] = samples.labels[order[begin + j]];
        for (std::size_t c = 0; c < params.size(); ++c) {
            const PaddedParameters& p = *params[c];
            if (by_groups_[c])
                k.grouped_affine(groups, first_group, group_count, identity_.data(), p.weights[0].data(),
                                 p.biases[0].data(), net_.width(0), block_.z[0].data());
            else
                k.sparse_affine(count, order + begin, samples.sparse(), p.weights[0].data(),
                                p.biases[0].data(), net_.width(0), block_.z[0].data());
            for (std::size_t l = 1; l <= last; ++l)
                k.relu_affine(count, block_.z[l - 1].data(), net_.inputs(l), net_.width(l - 1),
                              p.weights[l].data(), p.biases[l].data(), net_.width(l), block_.z[l].data());
            k.softmax_cross_entropy(count, identity_.data(), block_.z[last].data(), labels_.data(),
                                    block_.loss.data(), nullptr, 1.0);
            double* row_loss = row_losses_.data() + c * n;
            for (std::size_t j = 0; j < count; ++j) row_loss[order[begin + j]] = block_.loss[j];
        }
    }
    for (std::size_t c = 0; c < params.size(); ++c) {
        double sum = 0;
        for (std::size_t r = 0; r < n; ++r) sum += row_losses_[c * n + r];
        sums[c] = sum;
    }
}

void Evaluator::backward(const PaddedParameters& params, const Samples& samples,
                         std::span<const std::uint32_t> rows, const Activations& act,
                         std::span<double> gradient) {
    const Kernels& k = kernels_;
    const std::size_t count = rows.size(), layers = net_.layers();
    delta_.resize(layers);
    weight_gradient_.resize(layers);
    bias_gradient_.resize(layers);
    for (std::size_t l = 0; l < layers; ++l) {
        weight_gradient_[l].assign(net_.inputs(l) * net_.width(l), 0.0);
        bias_gradient_[l].assign(net_.width(l), 0.0);
    }
    const double* delta = logit_gradient_.data();
    for (std::size_t l = layers; l-- > 0;) {
        const std::size_t width = net_.width(l);
        if (l == 0) {
            if (samples.indexed() && every_row_in_order(rows, samples))
                k.blocked_outer(samples.blocked(), delta, width, weight_gradient_[0].data(),
                                bias_gradient_[0].data());
            else
                k.sparse_outer(count, rows.data(), samples.sparse(), delta, width,
                               weight_gradient_[0].data(), bias_gradient_[0].data());
            break;
        }
        const std::size_t in_width = net_.width(l - 1), in_units = net_.inputs(l);
        k.relu_outer(count, act.z[l - 1].data(), in_units, in_width, delta, width,
                     weight_gradient_[l].data(), bias_gradient_[l].data());
        transposed_.assign(net_.outputs(l) * in_width, 0.0);
        for (std::size_t q = 0; q < in_units; ++q)
            for (std::size_t j = 0; j < net_.outputs(l); ++j)
                transposed_[j * in_width + q] = params.weights[l][q * width + j];
        delta_[l - 1].resize(count * in_width);
        k.relu_backprop(count, delta, net_.outputs(l), width, transposed_.data(),
                        act.z[l - 1].data(), in_width, delta_[l - 1].data());
        delta = delta_[l - 1].data();
    }
    for (std::size_t l = 0; l < layers; ++l) {
        const std::size_t n = net_.outputs(l), width = net_.width(l);
        double* w = gradient.data() + net_.weight_offset(l);
        for (std::size_t q = 0; q < net_.inputs(l); ++q)
            std::copy_n(weight_gradient_[l].begin() + static_cast<std::ptrdiff_t>(q * width), n,
                        w + q * n);
        std::copy_n(bias_gradient_[l].begin(), n, gradient.data() + net_.bias_offset(l));
    }
}

}  // namespace mnist
