#include "mlp.hpp"

#include <algorithm>
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
    if (!samples.indexed() || rows.size() != samples.size()) return false;
    for (std::size_t r = 0; r < rows.size(); ++r)
        if (rows[r] != r) return false;
    return true;
}

}  // namespace

double Evaluator::forward(const PaddedParameters& params, const Samples& samples,
                          std::span<const std::uint32_t> rows, Activations& act, bool want_gradient,
                          double scale) {
    const Kernels& k = kernels_;
    const std::size_t count = rows.size(), last = net_.layers() - 1;
    act.resize(net_, count);
    k.sparse_affine(count, rows.data(), samples.sparse(), params.weights[0].data(),
                    params.biases[0].data(), net_.width(0), act.z[0].data());
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
    const std::size_t block = std::min(n, streamed_block_rows);
    block_.resize(net_, block);
    if (identity_.size() < n) {
        identity_.resize(n);
        std::iota(identity_.begin(), identity_.end(), std::uint32_t{0});
    }
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::size_t first = 0; first < n; first += block) {
        const std::size_t count = std::min(block, n - first);
        for (std::size_t c = 0; c < params.size(); ++c) {
            const PaddedParameters& p = *params[c];
            k.sparse_affine(count, identity_.data() + first, samples.sparse(), p.weights[0].data(),
                            p.biases[0].data(), net_.width(0), block_.z[0].data());
            for (std::size_t l = 1; l <= last; ++l)
                k.relu_affine(count, block_.z[l - 1].data(), net_.inputs(l), net_.width(l - 1),
                              p.weights[l].data(), p.biases[l].data(), net_.width(l), block_.z[l].data());
            k.softmax_cross_entropy(count, identity_.data(), block_.z[last].data(), samples.labels.data() + first,
                                    block_.loss.data(), nullptr, 1.0);
            double sum = sums[c];
            for (std::size_t r = 0; r < count; ++r) sum += block_.loss[r];
            sums[c] = sum;
        }
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
            if (every_row_in_order(rows, samples))
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
