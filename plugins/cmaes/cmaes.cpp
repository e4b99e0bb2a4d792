// CMA-ES: full covariance with the tutorial's defaults, separable (sep-CMA) for large D,
// optional IPOP restarts; see strategy.hpp for the algorithm and the handling of bounds.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "box.hpp"
#include "optbench/sdk/sdk.hpp"
#include "strategy.hpp"

namespace {

using namespace optbench;

// covariance=auto uses a full matrix up to this dimension, where C, its eigenvectors and the
// eigensolver's working matrix take 3 x 8 D^2 bytes = 96 MB and an eigendecomposition a few
// seconds; above it, sep.
constexpr std::size_t auto_full_max_dimension = 2000;
// covariance=full refuses dimensions whose three D x D matrices would exceed this.
constexpr double full_memory_limit_bytes = 8e9;

class Cmaes final : public sdk::Optimizer {
public:
    static constexpr const char* name = "cmaes";
    static constexpr const char* description =
        "CMA-ES (Hansen's tutorial defaults, active update), sep-CMA for large D, IPOP restarts";
    static constexpr abi::StatSpec stats[] = {
        {"popsize", "population size of each (re)start", 0},
        {"sigma", "step size sigma", 0},
        {"condition", "condition number of the covariance matrix", 0},
    };
    static constexpr abi::ParamSpec params[] = {
        sdk::choice("covariance", "auto", "auto|full|sep",
                    "full: D x D covariance, lazily eigendecomposed; sep: diagonal (Ros & Hansen "
                    "2008), linear time and memory; auto: full up to D = 2000, sep above"),
        sdk::real("sigma0", "0",
                  "initial step size; 0: 0.3 x the mean box width (1 when no coordinate has two "
                  "finite bounds: then set it to ~0.3 x the width of the region to search)",
                  0, sdk::unbounded),
        sdk::integer("popsize", "0", "population size of the first run; 0: 4 + floor(3 ln D)", 0,
                     1e9),
        sdk::choice("restarts", "none", "none|ipop",
                    "ipop: when a stop criterion is met, restart from a uniform point in the box "
                    "with a doubled population, within the same budget"),
        sdk::integer("max_restarts", "9",
                     "most IPOP restarts (population up to 2^max_restarts "
                     "times the first)",
                     0, 30),
        sdk::integer("max_resamples", "100",
                     "a candidate outside the bounds is redrawn up to this many times (sep mode: "
                     "its coordinates outside), then projected onto the box",
                     0, 1e6),
        sdk::real("tolfun", "1e-12",
                  "stop when the best values of the last 10 + 30 D / popsize generations and all "
                  "values of the current one lie within tolfun",
                  0, sdk::unbounded),
        sdk::real("tolx", "1e-12",
                  "stop when sigma times every coordinate's standard deviation and sigma |p_c| "
                  "are below tolx x sigma0",
                  0, sdk::unbounded),
        sdk::real("max_condition", "1e14", "stop when the condition number of C exceeds this", 1,
                  sdk::unbounded),
        sdk::real("eigen_lag", "0.005",
                  "full mode: eigendecompose C again once (c1 + cmu) x generations since the "
                  "last time reaches this (the tutorial: 0.1 / D)",
                  0, sdk::unbounded),
        sdk::boolean("batch", "on",
                     "hand each population to the objective in one call (problems that evaluate "
                     "batches natively are faster so); off: one call per point, for comparisons "
                     "(the results are the same)"),
        sdk::integer("report_every", "1",
                     "report sigma and the condition number every this "
                     "many generations",
                     1, 1e9),
    };

    explicit Cmaes(const sdk::Params& p)
        : covariance_(p.text("covariance")),
          sigma0_(p.finite_real("sigma0")),
          popsize_(static_cast<std::size_t>(p.integer("popsize"))),
          ipop_(p.text("restarts") == "ipop"),
          max_restarts_(static_cast<int>(p.integer("max_restarts"))),
          batch_(p.boolean("batch")),
          report_every_(static_cast<std::size_t>(p.integer("report_every"))) {
        if (popsize_ == 1)
            throw sdk::ParamError("parameter 'popsize' expects 0 (default) or at least 2, got 1");
        options_.max_resamples = static_cast<int>(p.integer("max_resamples"));
        options_.tolfun = p.real("tolfun");
        options_.tolx = p.real("tolx");
        options_.max_condition = p.real("max_condition");
        options_.eigen_lag = p.finite_real("eigen_lag");
    }

    void run(sdk::Objective& objective, std::uint64_t seed) override {
        const std::size_t n = objective.dimension();
        const cmaes::Covariance covariance = resolve_covariance(n);
        std::vector<double> lower(n), upper(n);
        for (std::size_t i = 0; i < n; ++i) {
            lower[i] = objective.lower(i);
            upper[i] = objective.upper(i);
        }
        const cmaes::Box box(lower, upper);
        const double width = box.mean_width();
        const double sigma0 = sigma0_ > 0 ? sigma0_ : width > 0 ? 0.3 * width : 1.0;
        const double start_width = sigma0 / 0.3;

        sdk::Rng rng(seed);
        const auto initial = objective.initial_point();
        Eigen::VectorXd start = initial.empty() ? box.uniform_point(rng, start_width)
                                                : Eigen::Map<const Eigen::VectorXd>(
                                                      initial.data(), static_cast<Eigen::Index>(n));
        std::size_t popsize = popsize_ > 0 ? popsize_ : cmaes::default_popsize(n);
        Eigen::MatrixXd points;
        std::vector<double> values;
        for (int restart = 0;; ++restart) {
            cmaes::Strategy strategy(std::move(start), sigma0, popsize, covariance, options_);
            objective.report("popsize", static_cast<double>(popsize));
            values.resize(popsize);
            while (strategy.stop_reason().empty()) {
                strategy.sample(rng, box, points);
                if (batch_) {
                    objective.evaluate_batch({points.data(), static_cast<std::size_t>(points.size())},
                                             values);
                } else {
                    for (std::size_t k = 0; k < popsize; ++k)
                        values[k] = objective.evaluate({points.col(static_cast<Eigen::Index>(k)).data(), n});
                }
                strategy.tell(values);
                if (strategy.generation() % report_every_ == 0) {
                    objective.report("sigma", strategy.sigma());
                    objective.report("condition", strategy.condition());
                }
            }
            if (!ipop_ || restart == max_restarts_) {
                objective.set_stop_reason(std::string(strategy.stop_reason()));
                return;
            }
            popsize *= 2;
            start = box.uniform_point(rng, start_width);
        }
    }

private:
    cmaes::Covariance resolve_covariance(std::size_t n) const {
        if (covariance_ == "sep") return cmaes::Covariance::separable;
        if (covariance_ == "auto")
            return n <= auto_full_max_dimension ? cmaes::Covariance::full
                                                : cmaes::Covariance::separable;
        // C and B live for the whole run; SelfAdjointEigenSolver works on a copy of C in its
        // own D x D matrix (then the eigenvectors) while it decomposes.
        const double bytes = 3 * 8 * static_cast<double>(n) * static_cast<double>(n);
        if (bytes > full_memory_limit_bytes)
            throw sdk::NotApplicable("covariance=full at D = " + std::to_string(n) + " needs " +
                                     std::to_string(std::llround(bytes / 1e9)) +
                                     " GB for C, its eigenvectors and the eigensolver's copy; "
                                     "use covariance=sep or auto");
        return cmaes::Covariance::full;
    }

    std::string covariance_;
    double sigma0_;
    std::size_t popsize_;
    bool ipop_;
    int max_restarts_;
    bool batch_;
    std::size_t report_every_;
    cmaes::Options options_;
};

}  // namespace

OPTBENCH_PLUGIN("cmaes", "1.1.0", Cmaes)
