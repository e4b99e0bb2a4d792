// A multilayer perceptron with ReLU hidden layers and a softmax output, its parameters one
// flat vector, evaluated on sparse images in float64.
//
// Flat layout, layer after layer (layer l maps n_l inputs to n_{l+1} outputs):
//   W_l: n_l x n_{l+1}, row-major by input: W_l[q * n_{l+1} + j] connects input q to unit j
//        (the x @ W + b convention, e.g. Keras' Dense kernel);
//   b_l: n_{l+1} values.
// So 784-32-10 is W1 (25,088: pixel p, hidden unit j at p * 32 + j), b1 (32),
// W2 (320: hidden unit j, class k at 25,120 + j * 10 + k), b2 (10): 25,450 in all.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <vector>

#include "dataset.hpp"
#include "kernels.hpp"

namespace mnist {

// std::allocator aligned to a cache line, for the vector kernels' rows.
template <class T>
struct CacheAligned {
    using value_type = T;
    CacheAligned() = default;
    template <class U>
    CacheAligned(const CacheAligned<U>&) {}
    T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64}));
    }
    void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
    template <class U>
    bool operator==(const CacheAligned<U>&) const {
        return true;
    }
};
using Buffer = std::vector<double, CacheAligned<double>>;

class Network {
public:
    // units: inputs, hidden widths..., outputs (e.g. 784, 32, 10).
    explicit Network(std::vector<std::size_t> units);

    std::size_t layers() const { return units_.size() - 1; }
    std::size_t inputs(std::size_t l) const { return units_[l]; }
    std::size_t outputs(std::size_t l) const { return units_[l + 1]; }
    // Row stride of layer l's weights and outputs: outputs(l) rounded up to a multiple of 8.
    std::size_t width(std::size_t l) const { return widths_[l]; }
    std::size_t weight_offset(std::size_t l) const { return offsets_[l]; }
    std::size_t bias_offset(std::size_t l) const { return offsets_[l] + inputs(l) * outputs(l); }
    std::size_t dimension() const { return offsets_.back(); }

    // Where flat coordinate c lives.
    struct Coordinate {
        std::size_t layer;
        bool bias;
        std::size_t input;  // the input unit of a weight
        std::size_t unit;   // the output unit
    };
    Coordinate locate(std::size_t c) const;

    // The sum of the squared weights of x, biases left out: what the L2 penalty counts.
    double squared_weights(std::span<const double> x) const;

private:
    std::vector<std::size_t> units_, widths_, offsets_;
};

// The storage behind a PixelBlocks view (kernels.hpp).
struct PixelBlockIndex {
    std::size_t block_rows = 0;  // 0: not built
    std::vector<std::uint32_t> blocks{0}, pixels, starts{0}, entries;
};

// The storage behind a RowGroups view (kernels.hpp).
struct RowGroupIndex {
    std::vector<std::uint32_t> row_begin{0}, rows, entry_begin{0}, pixels;
    std::vector<std::uint8_t> codes;
};

// Images of one data set as compressed sparse rows, with their labels.
struct Samples {
    explicit Samples(const Dataset& data);

    std::vector<std::uint32_t> offsets{0};
    std::vector<std::uint32_t> entries;  // sparse_entry(pixel, code) of each nonzero pixel
    std::array<double, 256> levels{};    // the data set's intensity of each code
    std::vector<std::uint8_t> labels;

    std::size_t size() const { return labels.size(); }
    std::size_t nonzeros() const { return entries.size(); }
    SparseRows sparse() const { return {offsets.data(), entries.data(), levels.data()}; }
    // Appends image `index` of `pool`, a pool of the data set given to the constructor.
    void add(const Dataset& data, const Pool& pool, std::size_t index);

    // Builds the blocked form of all rows (once every image is added); passes over every row
    // in order then use the blocked kernels. 128 rows of 32 hidden units' deltas fill 32 KB of
    // L1 (bench/mnist.cpp: 64 to 256 rows do about as well).
    void index_by_pixel(std::size_t pixels, std::size_t block_rows = 128);
    bool indexed() const { return by_pixel.block_rows != 0; }
    PixelBlocks blocked() const {
        return {size(),          by_pixel.block_rows,    by_pixel.blocks.data(), by_pixel.pixels.data(),
                by_pixel.starts.data(), by_pixel.entries.data(), levels.data()};
    }

    // Groups all rows (once every image is added) for passes over every row: ordered by
    // label (then row), 512 rows at a time, each group is started by the first row left and
    // grown by the row left that shares the most nonzero pixels with it less those it would
    // add.
    void group_similar_rows(std::size_t pixels);
    bool grouped() const { return !by_group.rows.empty(); }
    RowGroups groups() const {
        return {by_group.row_begin.size() - 1, by_group.row_begin.data(), by_group.rows.data(),
                by_group.entry_begin.data(),   by_group.pixels.data(),    by_group.codes.data(),
                levels.data()};
    }
    // Bytes the grouped index takes.
    std::size_t group_index_bytes() const;

private:
    PixelBlockIndex by_pixel;
    RowGroupIndex by_group;
};

// For each pixel, the rows of a Samples set where it is nonzero (ascending), with the pixel's
// level code there: 5 bytes a nonzero, so that the lists a move reads come from cache.
struct PixelColumns {
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> rows;
    std::vector<std::uint8_t> codes;
    PixelColumns(const Samples& samples, std::size_t pixels);
};

// The parameters in kernel form: each layer's weights n_l x width(l), bias width(l), with
// zero padding columns.
struct PaddedParameters {
    std::vector<Buffer> weights, biases;
    void assign(const Network& net, std::span<const double> x);
    double& weight(const Network::Coordinate& c);
};

// Pre-activations of every layer (rows x width(l); the last layer's are the logits) and
// each row's loss.
struct Activations {
    std::vector<Buffer> z;
    Buffer loss;
    void resize(const Network& net, std::size_t rows);
};

// Forward and backward passes over a list of sample rows. Holds the scratch memory, so one
// Evaluator serves one caller at a time.
class Evaluator {
public:
    // With the fastest kernels by default; tests pass each variant.
    explicit Evaluator(const Network& net, const Kernels& k = kernels()) : net_(net), kernels_(k) {}

    // Fills act for samples[rows[r]] and returns the sum of the row losses (in row order).
    // With want_gradient, also keeps d(scale * sum)/d logits for backward(). Over every row
    // in order, the first layer goes by the samples' groups where it can (the same bits).
    double forward(const PaddedParameters& params, const Samples& samples,
                   std::span<const std::uint32_t> rows, Activations& act,
                   bool want_gradient = false, double scale = 1.0);

    // sums[c] = the sum of the row losses of every row of `samples` (in row order) under
    // params[c], bit for bit what forward() returns. A block of rows (whole groups when the
    // samples are grouped) at a time goes through every layer for every parameter set, so
    // activations stay in cache and each block's images are read from memory once for all
    // parameter sets.
    void losses(std::span<const PaddedParameters* const> params, const Samples& samples,
                std::span<double> sums);

    // The gradient of scale * (sum of row losses) in the flat layout, after forward() with
    // want_gradient on the same arguments.
    void backward(const PaddedParameters& params, const Samples& samples,
                  std::span<const std::uint32_t> rows, const Activations& act,
                  std::span<double> gradient);

private:
    // Whether the first layer under params goes by the samples' groups: the kernel exists
    // and gives sparse_affine's bits there.
    bool first_layer_by_groups(const PaddedParameters& params, const Samples& samples) const;

    const Network& net_;
    const Kernels& kernels_;
    std::vector<std::uint32_t> identity_;
    std::vector<std::uint8_t> labels_;
    Buffer logit_gradient_;
    std::vector<Buffer> delta_, weight_gradient_, bias_gradient_;
    Buffer transposed_;
    Activations block_;
    std::vector<char> by_groups_;
    std::vector<double> row_losses_;
};

}  // namespace mnist
