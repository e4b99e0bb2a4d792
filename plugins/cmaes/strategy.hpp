// One CMA-ES run (between restarts): the search distribution N(m, sigma^2 C), its evolution
// paths and the termination criteria, with the defaults of Hansen's tutorial ("The CMA
// Evolution Strategy: A Tutorial", 2016, arXiv:1604.00772) including its active (negative
// weight) covariance update, and the separable variant of Ros & Hansen ("A Simple
// Modification in CMA-ES Achieving Linear Time and Space Complexity", PPSN 2008).
//
// Bounds by resampling (as CyberAgent's cmaes): a candidate outside the box is redrawn, up to
// max_resamples times, so the strategy samples its normal distribution truncated to the box.
// Full mode redraws whole candidates, and only while the previous draw brought at least one
// inside: when hardly any draw lands inside (high D, sigma large against the box) redrawing
// would cost many samplings for nothing. Separable mode redraws single coordinates, which
// for a diagonal covariance gives the same truncated distribution at any dimension. A
// candidate still outside is projected onto the box and its step recomputed from the
// projected point, so every evaluated point is inside and the update sees exactly the
// evaluated points. Rejected alternatives: reflection at the bounds folds the function, and
// the mirror images of good regions beyond the bounds draw large populations outwards (IPOP
// on Rastrigin D = 10 solved 35 % of 100 runs by the population-160 restart, against 56 %
// here); pycma's BoundPenalty needs an adaptively weighted penalty added to f.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

#include "box.hpp"
#include "optbench/sdk/rng.hpp"

namespace cmaes {

enum class Covariance { full, separable };

// The strategy parameters for dimension n and population size lambda (tutorial, Table 1).
// Separable mode multiplies both covariance learning rates by (n + 2) / 3 (Ros & Hansen).
struct Constants {
    Constants(std::size_t n, std::size_t lambda, Covariance covariance);

    std::size_t n;
    std::size_t lambda;
    std::size_t mu;           // number of positive weights
    Eigen::VectorXd weights;  // by rank, best first: mu positive (sum 1), then negative
    double mu_eff;
    double c_sigma, d_sigma;  // step-size cumulation and damping
    double c_c;               // cumulation for the rank-one update
    double c_1, c_mu;         // covariance learning rates
    double chi_n;             // E||N(0, I)||
};

struct Options {
    int max_resamples = 100;
    double tolfun = 1e-12;
    double tolx = 1e-12;  // relative to the run's initial sigma
    double max_condition = 1e14;
    // Full mode: C is eigendecomposed again once the learning rate accumulated since the
    // last decomposition, (c_1 + c_mu) x generations, reaches eigen_lag, i.e. once C may
    // have drifted by about that fraction from the factor used for sampling. The tutorial's
    // 0.1 / n (pycma: 0.5 / n) makes a D = 1000 run spend most of its time in Eigen's
    // O(n^3) solver; 0.005 keeps the drift negligible and that cost small.
    double eigen_lag = 0.005;
};

// The last sample, as the update needs it: x_k = mean + sigma y_k with y_k = A z_k, where
// A A^T = C as of the last decomposition (for a candidate projected onto the box, z_k and y_k
// are recomputed from the projected point).
struct Population {
    Eigen::MatrixXd z, y;
    Eigen::VectorXd z_squared_norms;  // ||z_k||^2
    // False when y was not stored: separable mode computes y_k = d z_k again where it is
    // needed, which costs less than writing and reading it (7 MB at D = 25,450), unless a
    // projection made some y_k differ from d z_k.
    bool y_stored = true;
};

// Where the covariance matrix lives: a full D x D matrix with its lazily updated
// eigendecomposition, or its diagonal (linear memory).
class CovarianceModel;

class Strategy {
public:
    Strategy(Eigen::VectorXd mean, double sigma, std::size_t lambda, Covariance covariance,
             const Options& options);
    ~Strategy();
    Strategy(const Strategy&) = delete;
    Strategy& operator=(const Strategy&) = delete;

    const Constants& constants() const { return constants_; }
    std::size_t generation() const { return generation_; }
    double sigma() const { return sigma_; }
    const Eigen::VectorXd& mean() const { return mean_; }
    // Of C, as of its last eigendecomposition (every generation in separable mode).
    double condition() const;

    // Draws the next population into the columns of x (resized to n x lambda), all inside the
    // box: x_k = m + sigma y_k with y_k ~ N(0, C) truncated to the box (see above).
    void sample(optbench::sdk::Rng& rng, const Box& box, Eigen::MatrixXd& x);

    // Updates mean, paths, C and sigma from the values of the last sample's columns.
    void tell(std::span<const double> values);

    // The first termination criterion the last tell met ("tolfun", "tolx", "stagnation",
    // "condition", "noeffectaxis", "noeffectcoord", "tolxup"), or empty.
    std::string_view stop_reason() const { return stop_reason_; }

private:
    std::string_view check_termination(std::span<const double> values);
    bool stagnated() const;

    Constants constants_;
    Options options_;
    std::unique_ptr<CovarianceModel> covariance_;
    Eigen::VectorXd mean_;
    double sigma_;
    double sigma0_;
    Eigen::VectorXd p_sigma_, p_c_;
    Population population_;
    // The last tell's weighted sums of the best y_k and z_k, and C^(-1/2) y_w in full mode:
    // kept from one generation to the next, as allocating them anew (n doubles each) costs
    // page faults.
    Eigen::VectorXd y_w_, z_w_, whitened_;
    std::size_t generation_ = 0;
    double eigen_gap_;  // in generations
    std::size_t decomposed_at_ = 0;
    // Best and median value of the most recent generations (for tolfun and stagnation).
    std::deque<double> best_history_, median_history_;
    std::string_view stop_reason_;
};

// 4 + floor(3 ln n), the tutorial's default population size.
std::size_t default_popsize(std::size_t n);

}  // namespace cmaes
