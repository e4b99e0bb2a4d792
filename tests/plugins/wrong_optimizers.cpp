// An optimizer with one deliberate fault at a time, for the tests of `optbench check`: each
// fault must fail its own check (tests/unit/test_optimizer_check.cpp).
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "optbench/sdk/sdk.hpp"

namespace {

using namespace optbench;

// Random search in the bounds ([-5, 5] where there are none), wrong in the way `fault` says.
class WrongOptimizer final : public sdk::Optimizer {
public:
    static constexpr const char* name = "wrong_optimizer";
    static constexpr const char* description = "test: random search with one deliberate fault";
    static constexpr abi::ParamSpec params[] = {
        sdk::choice("fault", "none", "none|seed|unseeded|nan|dim1|gradient|bounds|exhausted",
                    "seed: ignores the seed; unseeded: draws depend on earlier runs; nan: fails on a non-finite "
                    "value; dim1: fails in dimension 1; gradient: fails without a gradient instead of saying it "
                    "cannot run; bounds: samples past the bounds; exhausted: fails when the budget ends"),
    };

    explicit WrongOptimizer(const sdk::Params& p) : fault_(p.text("fault")) {}

    void run(sdk::Objective& objective, std::uint64_t seed) override {
        static std::uint64_t runs_in_this_process = 0;
        sdk::Rng rng(fault_ == "seed" ? 42 : fault_ == "unseeded" ? seed + ++runs_in_this_process : seed);
        const std::size_t n = objective.dimension();
        if (fault_ == "dim1" && n == 1) throw std::runtime_error("dimension 1 is not supported");
        if (fault_ == "gradient" && !objective.has_gradient())
            throw std::runtime_error("this problem has no gradient");
        std::vector<double> x(n);
        try {
            while (true) {
                for (std::size_t i = 0; i < n; ++i) {
                    const double low = std::isfinite(objective.lower(i)) ? objective.lower(i) : -5;
                    const double high = std::isfinite(objective.upper(i)) ? objective.upper(i) : 5;
                    const double margin = fault_ == "bounds" ? 0.5 * (high - low) : 0;
                    x[i] = rng.uniform(low - margin, high + margin);
                }
                const double f = objective.evaluate(x);
                if (fault_ == "nan" && !std::isfinite(f)) throw std::runtime_error("the objective returned " + std::to_string(f));
            }
        } catch (const sdk::Stop&) {
            if (fault_ == "exhausted") throw std::runtime_error("out of evaluations");
            throw;
        }
    }

private:
    std::string fault_;
};

}  // namespace

OPTBENCH_PLUGIN("wrong_optimizers", "1.0.0", WrongOptimizer)
