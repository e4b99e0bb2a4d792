// The arithmetic hot spots of the MLP, compiled once per instruction set (kernels.inc) and
// chosen at run time. Every kernel vectorises across independent outputs only (hidden units,
// or rows in the loss), never across a sum, and no multiply-add is fused: each output sees
// the same operations in the same order whatever the vector width, so results are bit for
// bit the same whichever variant runs.
//
// Matrices are row-major with a row stride (`width`) that is a multiple of row_alignment, so
// rows start on cache lines and split evenly into vectors of every variant; the padding
// columns of weights and biases are zero. `rows` maps the position r of an output row to the
// input row it comes from, so the same kernels serve the whole objective set, a minibatch and
// the dirty rows of an incremental move.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mnist {

inline constexpr std::size_t row_alignment = 8;  // doubles: one cache line
// Digits (and Fashion-MNIST's garments): labels 0-9, logits padded to 16 columns.
inline constexpr std::size_t num_classes = 10;
inline constexpr std::size_t logit_width = 16;

// Compressed sparse rows of images whose pixels take 256 intensity levels: row i holds the
// entries k in [offsets[i], offsets[i+1]), each pixel << 8 | level code, with value
// levels[code]. Four bytes per nonzero keep the stream small; the level table stays in L1.
struct SparseRows {
    const std::uint32_t* offsets;
    const std::uint32_t* entries;
    const double* levels;
};
inline constexpr std::uint32_t sparse_entry(std::uint32_t pixel, std::uint8_t code) {
    return pixel << 8 | code;
}
inline constexpr std::uint32_t entry_pixel(std::uint32_t entry) { return entry >> 8; }
inline constexpr std::uint32_t entry_code(std::uint32_t entry) { return entry & 0xff; }

// All rows of an image set in blocks of block_rows consecutive rows, each block's nonzeros
// grouped by pixel: block b has the pixels pixels[k] for k in [blocks[b], blocks[b+1]),
// ascending, and pixel k the entries [starts[k], starts[k+1]), each (row within the block) << 8
// | level code, rows ascending. A block's outputs stay in L1 while each weight row it needs is
// read from L2 once per block, not once per image: for the full image set, the row-by-row
// kernels spend most of their time waiting for weight rows.
struct PixelBlocks {
    std::size_t rows, block_rows;
    const std::uint32_t* blocks;
    const std::uint32_t* pixels;
    const std::uint32_t* starts;
    const std::uint32_t* entries;
    const double* levels;
};

// All rows of an image set in groups of up to group_rows images with similar pixels, for
// passes over every row: group q holds the rows rows[row_begin[q] .. row_begin[q+1]) and the
// union of their nonzero pixels, pixels[k] for k in [entry_begin[q], entry_begin[q+1])
// ascending, with the level code of the group's i-th row there in codes[k * group_rows + i]
// (0 where that row lacks the pixel or the group has no i-th row). Each weight row is then
// read once per group rather than once per image: row by row, a full pass spends most of
// its time waiting for weight rows from L2.
inline constexpr std::size_t group_rows = 4;
struct RowGroups {
    std::size_t groups;
    const std::uint32_t* row_begin;
    const std::uint32_t* rows;
    const std::uint32_t* entry_begin;
    const std::uint32_t* pixels;
    const std::uint8_t* codes;
    const double* levels;  // levels[0] is 0
};

struct Kernels {
    const char* name;

    // out[r] = sum_k value_k * weights[pixel_k] + bias, over the nonzeros of row rows[r].
    void (*sparse_affine)(std::size_t count, const std::uint32_t* rows, SparseRows input,
                          const double* weights, const double* bias, std::size_t width,
                          double* out);

    // sparse_affine for the rows of groups [first, first + count): the j-th of their rows, in
    // group order, goes to output row out_rows[j]. The same bits as sparse_affine when every
    // weight is finite: a row adds levels[0] * w = +-0 for each pixel of its group it lacks,
    // which leaves its sum as it is (a sum that starts at +0 is never -0), where an infinite
    // or NaN weight would make it NaN. Null in the variants where it is slower than
    // sparse_affine (kernels.inc says why).
    void (*grouped_affine)(RowGroups input, std::size_t first, std::size_t count,
                           const std::uint32_t* out_rows, const double* weights,
                           const double* bias, std::size_t width, double* out);

    // out[r] = sum_q relu(in[r][q]) * weights[q] + bias, for q < in_units (relu keeps NaN).
    void (*relu_affine)(std::size_t count, const double* in, std::size_t in_units,
                        std::size_t in_width, const double* weights, const double* bias,
                        std::size_t width, double* out);

    // Softmax cross-entropy of logits row rows[r] (row stride logit_width) against
    // labels[rows[r]], written to loss[r]; accurate in relative terms down to losses near the
    // smallest double. With gradient set, gradient[r] (same stride) receives
    // scale * d loss / d logits.
    void (*softmax_cross_entropy)(std::size_t count, const std::uint32_t* rows,
                                  const double* logits, const std::uint8_t* labels, double* loss,
                                  double* gradient, double scale);

    // softmax_cross_entropy without gradient of the logits of row rows[r] plus changes[r] * w
    // (w: logit_width values), added as logit + change * w: a row's loss after one unit of the
    // last hidden layer changed its activation, without storing the row's new logits.
    void (*shifted_softmax_cross_entropy)(std::size_t count, const std::uint32_t* rows,
                                          const double* logits, const double* changes,
                                          const double* w, const std::uint8_t* labels,
                                          double* loss);

    // delta_in[r] = (sum_j delta_out[r][j] * weights_t[j]) where z_in[r] > 0, else 0;
    // weights_t is the transposed weight matrix (out_units rows of in_width).
    void (*relu_backprop)(std::size_t count, const double* delta_out, std::size_t out_units,
                          std::size_t out_width, const double* weights_t, const double* z_in,
                          std::size_t in_width, double* delta_in);

    // grad[pixel_k] += value_k * delta[r] over the nonzeros of row rows[r];
    // grad_bias += delta[r].
    void (*sparse_outer)(std::size_t count, const std::uint32_t* rows, SparseRows input,
                         const double* delta, std::size_t width, double* grad, double* grad_bias);

    // grad[q] += relu(z_in[r][q]) * delta[r] for q < in_units; grad_bias += delta[r].
    void (*relu_outer)(std::size_t count, const double* z_in, std::size_t in_units,
                       std::size_t in_width, const double* delta, std::size_t width, double* grad,
                       double* grad_bias);

    // sparse_outer over all rows in order, by blocks: the same operations in the same order
    // for every gradient entry, so the same bits, with each gradient row read and written once
    // per block instead of once per image.
    void (*blocked_outer)(PixelBlocks input, const double* delta, std::size_t width, double* grad,
                          double* grad_bias);

    // Elementwise exp of x <= 0 and log1p of t >= 0 over n values: the functions the loss
    // uses, exposed for tests.
    void (*exp_nonpositive)(std::size_t n, const double* x, double* out);
    void (*log1p_nonnegative)(std::size_t n, const double* t, double* out);
};

// The fastest variant this processor runs, or the one named by the environment variable
// OPTBENCH_MNIST_KERNELS (generic, avx2, avx512) to compare them; throws when that is not
// available.
const Kernels& kernels();
// Every variant this processor runs (the portable one first), for tests and benchmarks.
std::size_t available_kernels(const Kernels** out, std::size_t capacity);

}  // namespace mnist
