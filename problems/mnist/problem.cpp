#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "mnist.hpp"

namespace mnist {

namespace {

Samples gather(const Dataset& data, const std::vector<Member>& members) {
    Samples samples(data);
    for (const Member& m : members)
        samples.add(data, m.pool == 0 ? data.train : *data.test, m.index);
    return samples;
}

std::vector<std::size_t> units(const Dataset& data, const std::string& hidden) {
    std::vector<std::size_t> u{data.image_pixels};
    for (std::size_t width : parse_hidden(hidden)) u.push_back(width);
    u.push_back(num_classes);
    return u;
}

}  // namespace

// Wider layers would need gigabytes for the cached pre-activations of 5,000 images.
constexpr std::int64_t max_hidden_width = 10000;

std::vector<std::size_t> parse_hidden(const std::string& text) {
    std::vector<std::size_t> widths;
    for (std::string_view part : sdk::detail::split(text, '-')) {
        std::int64_t width = 0;
        const char* end = part.data() + part.size();
        const auto [stop, error] = std::from_chars(part.data(), end, width);
        if (part.empty() || error != std::errc{} || stop != end || width < 1 ||
            width > max_hidden_width)
            throw sdk::ParamError("parameter 'hidden' expects layer widths from 1 to " +
                                  std::to_string(max_hidden_width) +
                                  " separated by '-' (e.g. 32 or 64-32), got '" + text + "'");
        widths.push_back(static_cast<std::size_t>(width));
    }
    return widths;
}

Setup::Setup(const sdk::Params& p)
    : data(load_dataset(p.text("data"))),
      network(units(*data, p.text("hidden"))),
      instance(static_cast<std::uint64_t>(p.integer("instance"))),
      split(make_split(*data,
                       {static_cast<std::size_t>(p.integer("objective_size")),
                        static_cast<std::size_t>(p.integer("validation_size")),
                        static_cast<std::size_t>(p.integer("test_size"))},
                       sdk::derive_seed({"mnist_mlp", "split"}, instance))),
      objective(gather(*data, split.objective)),
      validation(gather(*data, split.validation)),
      test(gather(*data, split.test)),
      columns(objective, data->image_pixels) {
    // Only passes over every objective row use the indexes (pixel blocks: gradients; groups:
    // the first layer); hold-out sets are evaluated once per run.
    objective.index_by_pixel(data->image_pixels);
    objective.group_similar_rows(data->image_pixels);
}

MnistMlp::MnistMlp(const sdk::Params& p)
    : MnistMlp(std::make_unique<Setup>(p), sdk::parse_bounds(p.text("bounds")), p.finite_real("l2")) {}

MnistMlp::MnistMlp(std::unique_ptr<Setup> setup, std::pair<double, double> bounds, double l2)
    : sdk::Problem(setup->network.dimension(), {bounds.first}, {bounds.second}),
      setup_(std::move(setup)),
      low_(bounds.first),
      high_(bounds.second),
      weight_penalty_(l2 / (2.0 * static_cast<double>(setup_->objective.size()))),
      evaluator_(setup_->network),
      all_rows_(setup_->objective.size()),
      // Past about an eighth of the objective's nonzeros in touched rows, a full pass is
      // cheaper than tracking a move (bench/mnist.cpp measures both).
      incremental_(setup_->network, setup_->objective, setup_->columns, resync_changes,
                   setup_->objective.nonzeros() / 8, weight_penalty_) {
    std::iota(all_rows_.begin(), all_rows_.end(), std::uint32_t{0});
    kernels();  // an unavailable OPTBENCH_MNIST_KERNELS fails here, not mid-run
}

double MnistMlp::evaluate(std::span<const double> x, const Samples& samples,
                          std::span<const std::uint32_t> rows, std::span<double> gradient) {
    params_.assign(setup_->network, x);
    const auto n = static_cast<double>(rows.size());
    const bool want_gradient = !gradient.empty();
    const double sum = evaluator_.forward(params_, samples, rows, act_, want_gradient, 1.0 / n);
    if (want_gradient) evaluator_.backward(params_, samples, rows, act_, gradient);
    return sum / n;  // as Incremental does, so that set_base(x) == value(x)
}

double MnistMlp::penalty(std::span<const double> x, std::span<double> gradient) const {
    if (weight_penalty_ == 0) return 0;
    const Network& net = setup_->network;
    if (!gradient.empty()) {
        const double factor = 2 * weight_penalty_;  // l2 / N, exactly
        for (std::size_t l = 0; l < net.layers(); ++l)
            for (std::size_t i = net.weight_offset(l); i < net.bias_offset(l); ++i) gradient[i] += factor * x[i];
    }
    return weight_penalty_ * net.squared_weights(x);
}

double MnistMlp::value(std::span<const double> x) {
    double sum = 0;
    value_batch(x, std::span(&sum, 1));
    return sum;
}

void MnistMlp::value_batch(std::span<const double> xs, std::span<double> values) {
    const std::size_t n = dimension();
    const auto rows = static_cast<double>(setup_->objective.size());
    batch_params_.resize(std::min(candidates_per_pass, values.size()));
    std::vector<const PaddedParameters*> group;
    for (std::size_t first = 0; first < values.size(); first += candidates_per_pass) {
        const std::size_t count = std::min(candidates_per_pass, values.size() - first);
        group.clear();
        for (std::size_t c = 0; c < count; ++c) {
            batch_params_[c].assign(setup_->network, xs.subspan((first + c) * n, n));
            group.push_back(&batch_params_[c]);
        }
        evaluator_.losses(group, setup_->objective, values.subspan(first, count));
        for (std::size_t c = 0; c < count; ++c)  // as value_and_gradient() does
            values[first + c] = values[first + c] / rows + penalty(xs.subspan((first + c) * n, n), {});
    }
}

double MnistMlp::value_and_gradient(std::span<const double> x, std::span<double> g) {
    const double loss = evaluate(x, setup_->objective, all_rows_, g);  // writes g: first
    return loss + penalty(x, g);
}

double MnistMlp::subset_value(std::span<const double> x, std::span<const std::size_t> samples,
                              std::span<double> gradient) {
    if (samples.empty()) throw std::invalid_argument("subset_value: no samples given");
    rows_.resize(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (samples[i] >= num_samples())
            throw std::out_of_range("subset_value: sample " + std::to_string(samples[i]) +
                                    " out of range [0, " + std::to_string(num_samples()) + ")");
        rows_[i] = static_cast<std::uint32_t>(samples[i]);
    }
    // Every sample's term carries the whole penalty, l2/(2N) |W|^2 with N the objective's size,
    // so that the objective is the mean of its samples' terms and any subset's mean estimates it
    // without bias (README.md, "L2 penalty").
    const double loss = evaluate(x, setup_->objective, rows_, gradient);
    return loss + penalty(x, gradient);
}

void MnistMlp::initial_point(std::span<double> out) const {
    const Network& net = setup_->network;
    sdk::Rng rng(sdk::derive_seed({"mnist_mlp", "start"}, setup_->instance));
    for (std::size_t l = 0; l < net.layers(); ++l) {
        // Glorot (Xavier) uniform, used for the biases of the layer too.
        const double limit = std::sqrt(6.0 / static_cast<double>(net.inputs(l) + net.outputs(l)));
        const std::size_t end = l + 1 < net.layers() ? net.weight_offset(l + 1) : net.dimension();
        for (std::size_t i = net.weight_offset(l); i < end; ++i)
            out[i] = std::clamp(rng.uniform(-limit, limit), low_, high_);
    }
}

void MnistMlp::holdout_metrics(std::span<const double> x, sdk::MetricWriter& out) {
    const struct {
        const char* prefix;
        const Samples& samples;
    } sets[] = {{"train", setup_->objective}, {"val", setup_->validation}, {"test", setup_->test}};
    const std::size_t last = setup_->network.layers() - 1;
    for (const auto& set : sets) {
        const std::size_t n = set.samples.size();
        if (n == 0) continue;
        std::vector<std::uint32_t> rows(n);
        std::iota(rows.begin(), rows.end(), std::uint32_t{0});
        const double loss = evaluate(x, set.samples, rows, {});
        std::size_t correct = 0;
        for (std::size_t r = 0; r < n; ++r) {
            const double* z = act_.z[last].data() + r * logit_width;
            const auto predicted =
                static_cast<std::size_t>(std::max_element(z, z + num_classes) - z);
            correct += predicted == set.samples.labels[r];
        }
        out.put(std::string(set.prefix) + "_loss", loss);
        out.put(std::string(set.prefix) + "_accuracy",
                100.0 * static_cast<double>(correct) / static_cast<double>(n));
    }
}

void MnistMlp::decay_mask(std::span<double> out) const {
    const Network& net = setup_->network;
    for (std::size_t l = 0; l < net.layers(); ++l) {
        const std::size_t end = l + 1 < net.layers() ? net.weight_offset(l + 1) : net.dimension();
        for (std::size_t i = net.weight_offset(l); i < end; ++i)
            out[i] = i < net.bias_offset(l) ? 1.0 : 0.0;
    }
}

void MnistMlp::artifacts(sdk::ArtifactWriter& out) const {
    out.put("split.csv", split_csv(*setup_->data, setup_->split));
    out.put("data.csv", data_csv(*setup_->data));
}

}  // namespace mnist
