// A problem that gets one capability wrong on request, for the problem checks (optbench check)
// to catch: f = sum of (x_i - 1)^2 on [-5, 5]^D, a finite sum of D terms D (x_i - 1)^2.
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "optbench/sdk/sdk.hpp"

namespace {

using namespace optbench;

class WrongProblem final : public sdk::Problem {
public:
    static constexpr const char* name = "wrong_problem";
    static constexpr const char* description = "test: a quadratic whose capability named by 'fault' is wrong";
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("dim", "6", "number of variables", 1, 1000),
        sdk::choice("fault", "none", "none|move|gradient|optimum|start|subsets|batch",
                    "move: try_move forgets the base's old terms; gradient: half of it; optimum: the origin "
                    "given as the optimum point; start: a start point outside the box; subsets: sums, not means; "
                    "batch: value_batch one ulp high past the first point"),
    };

    explicit WrongProblem(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5.0}, {5.0}), fault_(p.text("fault")) {}

    double value(std::span<const double> x) override {
        double sum = 0;
        for (double v : x) sum += term(v);
        return sum;
    }
    double value_and_gradient(std::span<const double> x, std::span<double> g) override {
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = (fault_ == "gradient" ? 1.0 : 2.0) * (x[i] - 1);
        return value(x);
    }
    std::size_t num_samples() const override { return dimension(); }
    double subset_value(std::span<const double> x, std::span<const std::size_t> samples,
                        std::span<double> gradient) override {
        std::fill(gradient.begin(), gradient.end(), 0.0);
        double sum = 0;
        for (std::size_t i : samples) {
            sum += static_cast<double>(dimension()) * term(x[i]);
            if (!gradient.empty()) gradient[i] = 2.0 * static_cast<double>(dimension()) * (x[i] - 1) / samples.size();
        }
        return fault_ == "subsets" ? sum : sum / static_cast<double>(samples.size());
    }
    void value_batch(std::span<const double> xs, std::span<double> values) override {
        for (std::size_t k = 0; k < values.size(); ++k) {
            values[k] = value(xs.subspan(k * dimension(), dimension()));
            if (fault_ == "batch" && k > 0) values[k] = std::nextafter(values[k], INFINITY);
        }
    }
    std::optional<double> optimum_value() const override { return 0.0; }
    bool optimum_point(std::span<double> out) const override {
        std::fill(out.begin(), out.end(), fault_ == "optimum" ? 0.0 : 1.0);
        return true;
    }
    void initial_point(std::span<double> out) const override {
        std::fill(out.begin(), out.end(), fault_ == "start" ? 6.0 : -2.0);
    }
    double set_base(std::span<const double> x) override {
        base_.assign(x.begin(), x.end());
        base_value_ = value(x);
        return base_value_;
    }
    double try_move(std::span<const std::size_t> indices, std::span<const double> values) override {
        trial_value_ = base_value_;
        for (std::size_t k = 0; k < indices.size(); ++k) {
            if (fault_ != "move") trial_value_ -= term(base_[indices[k]]);
            trial_value_ += term(values[k]);
        }
        moved_.assign(indices.begin(), indices.end());
        moved_values_.assign(values.begin(), values.end());
        return trial_value_;
    }
    void accept() override {
        for (std::size_t k = 0; k < moved_.size(); ++k) base_[moved_[k]] = moved_values_[k];
        base_value_ = value(base_);  // no drift: each accepted base is summed anew
    }

private:
    static double term(double v) { return (v - 1) * (v - 1); }
    std::string fault_;
    std::vector<double> base_, moved_values_;
    std::vector<std::size_t> moved_;
    double base_value_ = 0, trial_value_ = 0;
};

}  // namespace

OPTBENCH_PLUGIN("wrong_problems", "1.0.0", WrongProblem)
