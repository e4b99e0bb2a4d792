// Pure random search: the baseline every optimizer has to beat.
#include <algorithm>
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
        sdk::integer("batch", "32",
                     "points drawn, then evaluated in one call (problems that evaluate batches "
                     "natively are faster so; fewer when they would exceed 32 MB); the draws "
                     "are those of one point at a time, so the results do not depend on it",
                     1, 1e6),
    };

    explicit RandomSearch(const sdk::Params& p)
        : box_(p.finite_real("box")), batch_(static_cast<std::size_t>(p.integer("batch"))) {
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
        std::vector<std::pair<double, double>> intervals(n);
        for (std::size_t i = 0; i < n; ++i) intervals[i] = sampling_interval(objective, i);
        const std::size_t points = std::clamp<std::size_t>(batch_, 1, std::max<std::size_t>(1, max_batch_values / n));
        std::vector<double> xs(points * n), fs(points);
        while (true) {
            for (double* coordinate = xs.data(); coordinate != xs.data() + xs.size();)
                for (const auto& [low, high] : intervals) *coordinate++ = rng.uniform(low, high);
            objective.evaluate_batch(xs, fs);
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

    static constexpr std::size_t max_batch_values = std::size_t{1} << 22;  // 32 MB of points

    double box_;
    std::size_t batch_;
};

}  // namespace

OPTBENCH_PLUGIN("random_search", "1.1.0", RandomSearch)
