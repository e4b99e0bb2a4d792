// Pure random search: the baseline every optimizer has to beat.
#include <cmath>
#include <utility>
#include <vector>

#include "optbench/sdk/sdk.hpp"

namespace {

using namespace optbench;

class RandomSearch final : public sdk::Optimizer {
public:
    static constexpr const char* name = "random_search";
    static constexpr const char* description =
        "uniform random sampling in the bounds (starts with the problem's start point)";
    static constexpr abi::ParamSpec params[] = {
        sdk::real("box", "5",
                  "half-width of the box sampled on coordinates without finite bounds",
                  0, sdk::unbounded),
    };

    explicit RandomSearch(const sdk::Params& p) : box_(p.finite_real("box")) {
        // A zero box would pin every coordinate without finite bounds at 0 (mdp refuses it too).
        if (!(box_ > 0))
            throw sdk::ParamError("parameter 'box' must be greater than 0, got " +
                                  sdk::detail::format_number(box_));
    }

    void run(sdk::Objective& objective, std::uint64_t seed) override {
        sdk::Rng rng(seed);
        const std::size_t n = objective.dimension();
        std::vector<double> x(objective.initial_point().begin(), objective.initial_point().end());
        if (!x.empty()) objective.evaluate(x);
        x.resize(n);
        while (true) {
            for (std::size_t i = 0; i < n; ++i) {
                const auto [low, high] = sampling_interval(objective, i);
                x[i] = rng.uniform(low, high);
            }
            objective.evaluate(x);
        }
    }

private:
    // The bounds where finite; a side without a bound extends 2*box from the other side,
    // and a coordinate without any bound is sampled in [-box, box].
    std::pair<double, double> sampling_interval(const sdk::Objective& objective,
                                                std::size_t i) const {
        const double low = objective.lower(i), high = objective.upper(i);
        if (std::isfinite(low) && std::isfinite(high)) return {low, high};
        if (std::isfinite(low)) return {low, low + 2 * box_};
        if (std::isfinite(high)) return {high - 2 * box_, high};
        return {-box_, box_};
    }

    double box_;
};

}  // namespace

OPTBENCH_PLUGIN("random_search", "1.0.1", RandomSearch)
