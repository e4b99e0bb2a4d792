// A (1+1) hill climber with a fixed step, built outside the optbench tree.
#include <algorithm>
#include <cmath>
#include <vector>

#include <optbench/sdk/sdk.hpp>

namespace {

using namespace optbench;

class HillClimber final : public sdk::Optimizer {
public:
    static constexpr const char* name = "hill_climber";
    static constexpr const char* description = "(1+1) hill climber with Gaussian steps of a fixed size";
    static constexpr abi::ParamSpec params[] = {
        sdk::real("step", "0.1", "step size as a fraction of the box width", 0, 1),
    };

    // Optional: the stats it reports (objective.report), and which make its figure in reports.
    static constexpr abi::StatSpec stats[] = {{"accepted", "share of accepted steps so far", abi::in_figure}};

    explicit HillClimber(const sdk::Params& p) : step_(p.real("step")) {}

    void run(sdk::Objective& objective, std::uint64_t seed) override {
        sdk::Rng rng(seed);
        const std::size_t n = objective.dimension();
        std::vector<double> x(n), candidate(n);
        for (std::size_t i = 0; i < n; ++i) x[i] = rng.uniform(objective.lower(i), objective.upper(i));
        double fx = objective.evaluate(x);
        double steps = 0, accepted = 0;
        while (true) {  // ends when the host's budget is spent (sdk::Stop)
            for (std::size_t i = 0; i < n; ++i) {
                const double width = objective.upper(i) - objective.lower(i);
                candidate[i] = std::clamp(x[i] + step_ * width * rng.normal(), objective.lower(i),
                                          objective.upper(i));
            }
            const double fc = objective.evaluate(candidate);
            ++steps;
            if (fc <= fx) {
                x.swap(candidate);
                fx = fc;
                ++accepted;
            }
            if (std::fmod(steps, 100) == 0) objective.report("accepted", accepted / steps);
        }
    }

private:
    double step_;
};

}  // namespace

OPTBENCH_PLUGIN("hill_climber", "1.0.0", HillClimber)
