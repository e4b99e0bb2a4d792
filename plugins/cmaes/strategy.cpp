#include "strategy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "optbench/sdk/normals.hpp"

namespace cmaes {

using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Rows per block of the passes that stream the population's columns past a few vectors of
// length n: 8 KB of each vector, well inside the L1 cache.
constexpr Eigen::Index block_rows = 1024;

// The tutorial's limits on the history the termination criteria look at.
constexpr std::size_t max_stagnation_window = 20000;
constexpr double tolxup = 1e4;

// Every entry of m independent standard normal.
void fill_normal(optbench::sdk::Rng& rng, MatrixXd& m) {
    optbench::sdk::fill_normal(rng, {m.data(), static_cast<std::size_t>(m.size())});
}

// y_w = sum over ranks of weights[rank] y_best[rank] and z_w likewise, a block of rows at a
// time: the sums stay in the L1 cache while the columns stream past. step(k, first, rows)
// gives rows first.. of y_k.
template <class Step>
void recombine_by_blocks(const MatrixXd& z, std::span<const Eigen::Index> best,
                         const VectorXd& weights, VectorXd& y_w, VectorXd& z_w, Step&& step) {
    const Eigen::Index n = z.rows();
    y_w.resize(n);
    z_w.resize(n);
    for (Eigen::Index first = 0; first < n; first += block_rows) {
        const Eigen::Index rows = std::min(block_rows, n - first);
        auto y_w_block = y_w.segment(first, rows);
        auto z_w_block = z_w.segment(first, rows);
        y_w_block.setZero();
        z_w_block.setZero();
        for (std::size_t rank = 0; rank < best.size(); ++rank) {
            const double w = weights[static_cast<Eigen::Index>(rank)];
            y_w_block += w * step(best[rank], first, rows);
            z_w_block += w * z.col(best[rank]).segment(first, rows);
        }
    }
}

double median(std::vector<double> values) {
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

}  // namespace

std::size_t default_popsize(std::size_t n) {
    return 4 + static_cast<std::size_t>(std::floor(3 * std::log(static_cast<double>(n))));
}

Constants::Constants(std::size_t n_, std::size_t lambda_, Covariance covariance)
    : n(n_), lambda(lambda_), mu(lambda_ / 2), weights(lambda_) {
    const double dn = static_cast<double>(n);
    for (std::size_t i = 0; i < lambda; ++i)
        weights[static_cast<Eigen::Index>(i)] =
            std::log((static_cast<double>(lambda) + 1) / 2) - std::log(static_cast<double>(i + 1));
    const auto mu_index = static_cast<Eigen::Index>(mu);
    const auto positive = weights.head(mu_index);
    const auto negative = weights.tail(static_cast<Eigen::Index>(lambda - mu));
    mu_eff = positive.sum() * positive.sum() / positive.squaredNorm();
    const double mu_eff_negative =
        negative.size() > 0 ? negative.sum() * negative.sum() / negative.squaredNorm() : 0;

    c_1 = 2 / ((dn + 1.3) * (dn + 1.3) + mu_eff);
    c_mu = std::min(1 - c_1, 2 * (mu_eff - 2 + 1 / mu_eff) / ((dn + 2) * (dn + 2) + mu_eff));
    if (covariance == Covariance::separable) {
        // A diagonal has n free parameters instead of n^2 / 2, so it can be learned about
        // (n + 2) / 3 times faster.
        c_1 *= (dn + 2) / 3;
        c_mu = std::min(1 - c_1, c_mu * (dn + 2) / 3);
    }

    // Negative weights are scaled so that their sum stays within the tutorial's three
    // limits (the last one keeps C positive definite).
    double negative_scale = 1 + 2 * mu_eff_negative / (mu_eff + 2);
    if (c_mu > 0)
        negative_scale = std::min({negative_scale, 1 + c_1 / c_mu, (1 - c_1 - c_mu) / (dn * c_mu)});
    const double positive_sum = positive.sum();
    const double negative_sum = -negative.sum();
    for (Eigen::Index i = 0; i < weights.size(); ++i)
        weights[i] =
            i < mu_index ? weights[i] / positive_sum : negative_scale * weights[i] / negative_sum;

    c_sigma = (mu_eff + 2) / (dn + mu_eff + 5);
    d_sigma = 1 + 2 * std::max(0.0, std::sqrt((mu_eff - 1) / (dn + 1)) - 1) + c_sigma;
    c_c = (4 + mu_eff / dn) / (dn + 4 + 2 * mu_eff / dn);
    chi_n = std::sqrt(dn) * (1 - 1 / (4 * dn) + 1 / (21 * dn * dn));
}

class CovarianceModel {
public:
    virtual ~CovarianceModel() = default;
    // Draws the population (z standard normal, n x lambda, its columns' squared norms, and
    // y = A z) and x = mean + sigma y.
    virtual void sample(optbench::sdk::Rng& rng, const VectorXd& mean, double sigma,
                        Population& population, MatrixXd& x) const = 0;
    // Brings the candidates (columns of x) that lie outside the box inside: redrawn up to
    // max_resamples times, then projected.
    virtual void keep_inside(optbench::sdk::Rng& rng, const Box& box, const VectorXd& mean,
                             double sigma, int max_resamples, Population& population,
                             MatrixXd& x) const = 0;
    // y_w = sum over ranks of weights[rank] y_best[rank], and z_w likewise.
    virtual void recombine(const Population& population, std::span<const Eigen::Index> best,
                           const VectorXd& weights, VectorXd& y_w, VectorXd& z_w) const = 0;
    // C^(-1/2) y for y = A z (with the same, possibly stale, decomposition): z itself, or
    // written into workspace.
    virtual const VectorXd& whiten(const VectorXd& z, VectorXd& workspace) const = 0;
    // C <- decay C + c_1 p_c p_c^T + sum_k coefficients_k y_k y_k^T.
    virtual void update(double decay, double c_1, const VectorXd& p_c,
                        const Population& population, const VectorXd& coefficients) = 0;
    // Refreshes A and the condition number from C; the condition becomes infinite (and A
    // stays as it was) when C is no longer positive definite.
    virtual void decompose() = 0;
    virtual double condition() const = 0;
    virtual double max_stddev() const = 0;              // sqrt of C's largest eigenvalue
    virtual double variance(Eigen::Index i) const = 0;  // C_ii, up to date
    // Whether mean + step a_i, with a_i = sqrt(eigenvalue_i) b_i the i-th principal axis,
    // equals mean in every coordinate as computed.
    virtual bool axis_without_effect(const VectorXd& mean, double step, Eigen::Index i) const = 0;
    // Whether mean_i + step sqrt(C_ii) equals mean_i for some coordinate i.
    virtual bool coordinate_without_effect(const VectorXd& mean, double step) const = 0;
};

namespace {

// C is kept in its lower triangle; A = B D from its eigendecomposition C = B D^2 B^T.
class FullCovariance final : public CovarianceModel {
public:
    explicit FullCovariance(Eigen::Index n)
        : c_(MatrixXd::Identity(n, n)), b_(MatrixXd::Identity(n, n)), d_(VectorXd::Ones(n)) {}

    // The whole population in one call: its products with B are one matrix product.
    void sample(optbench::sdk::Rng& rng, const VectorXd& mean, double sigma,
                Population& population, MatrixXd& x) const override {
        fill_normal(rng, population.z);
        correlate(population.z, population.y);
        population.y_stored = true;
        x.noalias() = (sigma * population.y).colwise() + mean;
        set_squared_norms(population);
    }
    const VectorXd& whiten(const VectorXd& z, VectorXd& workspace) const override {
        workspace.noalias() = b_ * z;
        return workspace;
    }

    // Redraws whole candidates, all those still outside together in each round, as long as
    // a round brings some inside: when almost every draw lands outside (high dimension, sigma
    // large against the box), redrawing would cost many samplings and still fail.
    void keep_inside(optbench::sdk::Rng& rng, const Box& box, const VectorXd& mean, double sigma,
                     int max_resamples, Population& population, MatrixXd& x) const override {
        MatrixXd& z = population.z;
        MatrixXd& y = population.y;
        std::vector<Eigen::Index> outside, still_outside;
        for (Eigen::Index k = 0; k < x.cols(); ++k)
            if (!box.contains(x.col(k))) outside.push_back(k);
        if (outside.empty()) return;
        const bool any_inside = outside.size() < static_cast<std::size_t>(x.cols());
        MatrixXd z_new, y_new;
        for (int round = 0; any_inside && round < max_resamples && !outside.empty(); ++round) {
            z_new.resize(z.rows(), static_cast<Eigen::Index>(outside.size()));
            fill_normal(rng, z_new);
            correlate(z_new, y_new);
            still_outside.clear();
            for (std::size_t j = 0; j < outside.size(); ++j) {
                const Eigen::Index k = outside[j];
                const auto column = static_cast<Eigen::Index>(j);
                z.col(k) = z_new.col(column);
                y.col(k) = y_new.col(column);
                x.col(k) = sigma * y.col(k) + mean;
                if (!box.contains(x.col(k))) still_outside.push_back(k);
            }
            const bool progress = still_outside.size() < outside.size();
            outside.swap(still_outside);
            if (!progress) break;
        }
        if (outside.empty()) {
            set_squared_norms(population);
            return;
        }

        // Project the rest onto the box; their steps become y = (x - m) / sigma and
        // z = D^-1 B^T y, so the update sees the evaluated points.
        MatrixXd y_projected(x.rows(), static_cast<Eigen::Index>(outside.size()));
        for (std::size_t j = 0; j < outside.size(); ++j) {
            const Eigen::Index k = outside[j];
            for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, k) = box.clip(i, x(i, k));
            y_projected.col(static_cast<Eigen::Index>(j)) = (x.col(k) - mean) / sigma;
        }
        const MatrixXd z_projected =
            d_.cwiseInverse().asDiagonal() * (b_.transpose() * y_projected);
        for (std::size_t j = 0; j < outside.size(); ++j) {
            y.col(outside[j]) = y_projected.col(static_cast<Eigen::Index>(j));
            z.col(outside[j]) = z_projected.col(static_cast<Eigen::Index>(j));
        }
        set_squared_norms(population);
    }

    void recombine(const Population& population, std::span<const Eigen::Index> best,
                   const VectorXd& weights, VectorXd& y_w, VectorXd& z_w) const override {
        recombine_by_blocks(population.z, best, weights, y_w, z_w,
                            [&](Eigen::Index k, Eigen::Index first, Eigen::Index rows) {
                                return population.y.col(k).segment(first, rows);
                            });
    }

    void update(double decay, double c_1, const VectorXd& p_c, const Population& population,
                const VectorXd& coefficients) override {
        const MatrixXd& y = population.y;
        c_.triangularView<Eigen::Lower>() *= decay;
        // Two symmetric rank-k updates (positive and negative coefficients) of the lower
        // triangle: half the work of general products.
        const auto positives = (coefficients.array() > 0).count();
        MatrixXd part(c_.rows(), 1 + positives);
        part.col(0) = std::sqrt(c_1) * p_c;
        Eigen::Index column = 1;
        for (Eigen::Index k = 0; k < y.cols(); ++k)
            if (coefficients[k] > 0) part.col(column++) = std::sqrt(coefficients[k]) * y.col(k);
        c_.selfadjointView<Eigen::Lower>().rankUpdate(part, 1.0);

        const auto negatives = (coefficients.array() < 0).count();
        if (negatives == 0) return;
        part.resize(c_.rows(), negatives);
        column = 0;
        for (Eigen::Index k = 0; k < y.cols(); ++k)
            if (coefficients[k] < 0) part.col(column++) = std::sqrt(-coefficients[k]) * y.col(k);
        c_.selfadjointView<Eigen::Lower>().rankUpdate(part, -1.0);
    }

    void decompose() override {
        const Eigen::SelfAdjointEigenSolver<MatrixXd> solver(c_);  // reads the lower triangle
        const VectorXd& eigenvalues = solver.eigenvalues();
        if (solver.info() != Eigen::Success || !(eigenvalues.minCoeff() > 0)) {
            condition_ = infinity;
            return;
        }
        b_ = solver.eigenvectors();
        d_ = eigenvalues.cwiseSqrt();
        condition_ = eigenvalues.maxCoeff() / eigenvalues.minCoeff();
    }

    double condition() const override { return condition_; }
    double max_stddev() const override { return d_.maxCoeff(); }
    double variance(Eigen::Index i) const override { return c_(i, i); }
    bool axis_without_effect(const VectorXd& mean, double step, Eigen::Index i) const override {
        for (Eigen::Index j = 0; j < mean.size(); ++j) {
            const double axis = b_(j, i) * d_[i];
            if (!(mean[j] + step * axis == mean[j])) return false;
        }
        return true;
    }
    bool coordinate_without_effect(const VectorXd& mean, double step) const override {
        for (Eigen::Index i = 0; i < mean.size(); ++i)
            if (mean[i] + step * std::sqrt(c_(i, i)) == mean[i]) return true;
        return false;
    }

private:
    void correlate(const MatrixXd& z, MatrixXd& y) const {
        y.noalias() = b_ * (d_.asDiagonal() * z);
    }
    static void set_squared_norms(Population& population) {
        population.z_squared_norms.resize(population.z.cols());
        for (Eigen::Index k = 0; k < population.z.cols(); ++k)
            population.z_squared_norms[k] = population.z.col(k).squaredNorm();
    }

    MatrixXd c_, b_;
    VectorXd d_;
    double condition_ = 1;
};

// C is diagonal: A = sqrt(C), decomposed every generation at O(n) cost.
class SeparableCovariance final : public CovarianceModel {
public:
    explicit SeparableCovariance(Eigen::Index n) : c_(VectorXd::Ones(n)), d_(VectorXd::Ones(n)) {}

    // A chunk of columns at a time, about 256 KB of normal numbers, turned into x (and
    // their squared norms) while they are still in the cache: at D = 25,450 a population
    // takes 7 MB for each matrix. y = d z is left to be computed again where needed.
    void sample(optbench::sdk::Rng& rng, const VectorXd& mean, double sigma,
                Population& population, MatrixXd& x) const override {
        MatrixXd& z = population.z;
        population.y_stored = false;
        population.z_squared_norms.resize(z.cols());
        const Eigen::Index n = z.rows();
        const Eigen::Index chunk = std::max<Eigen::Index>(1, (Eigen::Index{1} << 15) / n);
        for (Eigen::Index first = 0; first < z.cols(); first += chunk) {
            const Eigen::Index columns = std::min(chunk, z.cols() - first);
            optbench::sdk::fill_normal(rng, {&z(0, first), static_cast<std::size_t>(n * columns)});
            for (Eigen::Index k = first; k < first + columns; ++k) {
                for (Eigen::Index i = 0; i < n; ++i) {
                    const double y = d_[i] * z(i, k);
                    x(i, k) = sigma * y + mean[i];
                }
                population.z_squared_norms[k] = z.col(k).squaredNorm();
            }
        }
    }
    const VectorXd& whiten(const VectorXd& z, VectorXd&) const override { return z; }

    // Redraws single coordinates: with independent coordinates, that samples the same
    // truncated distribution as redrawing whole candidates, at a cost independent of n. All
    // coordinates still outside are redrawn together, up to max_resamples times.
    void keep_inside(optbench::sdk::Rng& rng, const Box& box, const VectorXd& mean, double sigma,
                     int max_resamples, Population& population, MatrixXd& x) const override {
        MatrixXd& z = population.z;
        std::vector<Eigen::Index> changed_columns;
        std::vector<std::pair<Eigen::Index, Eigen::Index>> outside;  // (row, column)
        for (Eigen::Index k = 0; k < x.cols(); ++k)
            if (!box.contains(x.col(k))) {
                changed_columns.push_back(k);
                for (Eigen::Index i = 0; i < x.rows(); ++i)
                    if (!box.contains(i, x(i, k))) outside.emplace_back(i, k);
            }
        std::vector<double> redrawn;
        for (int round = 0; round < max_resamples && !outside.empty(); ++round) {
            redrawn.resize(outside.size());
            optbench::sdk::fill_normal(rng, redrawn);
            std::size_t still_outside = 0;
            for (std::size_t j = 0; j < outside.size(); ++j) {
                const auto [i, k] = outside[j];
                z(i, k) = redrawn[j];
                const double y = d_[i] * z(i, k);
                x(i, k) = sigma * y + mean[i];
                if (!box.contains(i, x(i, k))) outside[still_outside++] = outside[j];
            }
            outside.resize(still_outside);
        }
        if (!outside.empty()) {
            MatrixXd& y = population.y;
            y.noalias() = d_.asDiagonal() * z;
            population.y_stored = true;
            for (const auto& [i, k] : outside) {
                x(i, k) = box.clip(i, x(i, k));
                y(i, k) = (x(i, k) - mean[i]) / sigma;
                z(i, k) = y(i, k) / d_[i];
            }
        }
        for (const Eigen::Index k : changed_columns)
            population.z_squared_norms[k] = z.col(k).squaredNorm();
    }

    void recombine(const Population& population, std::span<const Eigen::Index> best,
                   const VectorXd& weights, VectorXd& y_w, VectorXd& z_w) const override {
        with_steps(population, [&](auto step) {
            recombine_by_blocks(population.z, best, weights, y_w, z_w, step);
        });
    }

    // A block of rows at a time, so that it stays in the L1 cache while the columns stream
    // past: the same operations on each entry as one pass per column.
    void update(double decay, double c_1, const VectorXd& p_c, const Population& population,
                const VectorXd& coefficients) override {
        with_steps(population, [&](auto step) {
            for (Eigen::Index first = 0; first < c_.size(); first += block_rows) {
                const Eigen::Index rows = std::min(block_rows, c_.size() - first);
                auto c = c_.segment(first, rows);
                c = decay * c + c_1 * p_c.segment(first, rows).cwiseAbs2();
                for (Eigen::Index k = 0; k < coefficients.size(); ++k)
                    if (coefficients[k] != 0)
                        c += coefficients[k] * step(k, first, rows).cwiseAbs2();
            }
        });
    }

    void decompose() override {
        const double smallest = c_.minCoeff();
        if (!(smallest > 0)) {
            condition_ = infinity;
            return;
        }
        d_ = c_.cwiseSqrt();
        condition_ = c_.maxCoeff() / smallest;
    }

    double condition() const override { return condition_; }
    double max_stddev() const override { return d_.maxCoeff(); }
    double variance(Eigen::Index i) const override { return c_[i]; }
    // The i-th axis is d_i e_i: the other coordinates move by step x 0.
    bool axis_without_effect(const VectorXd& mean, double step, Eigen::Index i) const override {
        for (Eigen::Index j = 0; j < mean.size(); ++j) {
            const double axis = j == i ? d_[i] : 0.0;
            if (!(mean[j] + step * axis == mean[j])) return false;
        }
        return true;
    }
    // d_ is sqrt(c_) after every successful decomposition, which separable mode makes every
    // generation: no square roots then.
    bool coordinate_without_effect(const VectorXd& mean, double step) const override {
        const bool current = condition_ != infinity;
        for (Eigen::Index i = 0; i < mean.size(); ++i)
            if (mean[i] + step * (current ? d_[i] : std::sqrt(c_[i])) == mean[i]) return true;
        return false;
    }

private:
    // Calls f with step(k, first, rows), rows first.. of y_k: stored, or d z_k computed again
    // (the same product sample made).
    template <class F>
    void with_steps(const Population& population, F&& f) const {
        if (population.y_stored)
            f([&](Eigen::Index k, Eigen::Index first, Eigen::Index rows) {
                return population.y.col(k).segment(first, rows);
            });
        else
            f([&](Eigen::Index k, Eigen::Index first, Eigen::Index rows) {
                const auto z = population.z.col(k).segment(first, rows);
                return d_.segment(first, rows).cwiseProduct(z);
            });
    }

    VectorXd c_, d_;
    double condition_ = 1;
};

}  // namespace

Strategy::Strategy(VectorXd mean, double sigma, std::size_t lambda, Covariance covariance,
                   const Options& options)
    : constants_(static_cast<std::size_t>(mean.size()), lambda, covariance),
      options_(options),
      mean_(std::move(mean)),
      sigma_(sigma),
      sigma0_(sigma),
      p_sigma_(VectorXd::Zero(mean_.size())),
      p_c_(VectorXd::Zero(mean_.size())) {
    const Eigen::Index n = mean_.size();
    if (covariance == Covariance::full) {
        covariance_ = std::make_unique<FullCovariance>(n);
        eigen_gap_ = options_.eigen_lag / (constants_.c_1 + constants_.c_mu);
    } else {
        covariance_ = std::make_unique<SeparableCovariance>(n);
        eigen_gap_ = 0;
    }
}

Strategy::~Strategy() = default;

double Strategy::condition() const { return covariance_->condition(); }

void Strategy::sample(optbench::sdk::Rng& rng, const Box& box, MatrixXd& x) {
    const auto n = mean_.size();
    const auto lambda = static_cast<Eigen::Index>(constants_.lambda);
    population_.z.resize(n, lambda);
    population_.y.resize(n, lambda);
    x.resize(n, lambda);
    covariance_->sample(rng, mean_, sigma_, population_, x);
    if (box.bounded())
        covariance_->keep_inside(rng, box, mean_, sigma_, options_.max_resamples, population_, x);
}

void Strategy::tell(std::span<const double> values) {
    const Constants& k = constants_;
    std::vector<Eigen::Index> order(k.lambda);
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
        return values[static_cast<std::size_t>(a)] < values[static_cast<std::size_t>(b)];
    });

    covariance_->recombine(population_, std::span(order).first(k.mu), k.weights, y_w_, z_w_);
    mean_ += sigma_ * y_w_;

    ++generation_;
    p_sigma_ = (1 - k.c_sigma) * p_sigma_ + std::sqrt(k.c_sigma * (2 - k.c_sigma) * k.mu_eff) *
                                                covariance_->whiten(z_w_, whitened_);
    const double p_sigma_norm = p_sigma_.norm();
    const double n = static_cast<double>(k.n);
    const bool h_sigma =
        p_sigma_norm /
            std::sqrt(1 - std::pow(1 - k.c_sigma, 2.0 * static_cast<double>(generation_))) <
        (1.4 + 2 / (n + 1)) * k.chi_n;
    p_c_ = (1 - k.c_c) * p_c_;
    if (h_sigma) p_c_ += std::sqrt(k.c_c * (2 - k.c_c) * k.mu_eff) * y_w_;

    // Rank-mu coefficients by column; a negative weight is rescaled by n / ||C^(-1/2) y||^2
    // (and ||C^(-1/2) y_k|| = ||z_k||) so that bad steps cannot shrink C without limit.
    VectorXd coefficients(static_cast<Eigen::Index>(k.lambda));
    for (std::size_t rank = 0; rank < k.lambda; ++rank) {
        const Eigen::Index column = order[rank];
        double w = k.weights[static_cast<Eigen::Index>(rank)];
        if (w < 0) w *= n / std::max(population_.z_squared_norms[column], 1e-300);
        coefficients[column] = k.c_mu * w;
    }
    const double lost_rank_one = h_sigma ? 0 : k.c_1 * k.c_c * (2 - k.c_c);
    const double decay = 1 + lost_rank_one - k.c_1 - k.c_mu * k.weights.sum();
    covariance_->update(decay, k.c_1, p_c_, population_, coefficients);

    // The exponent is capped (as pycma does) so one generation cannot blow sigma up.
    sigma_ *= std::exp(std::min(1.0, k.c_sigma / k.d_sigma * (p_sigma_norm / k.chi_n - 1)));

    if (static_cast<double>(generation_ - decomposed_at_) >= eigen_gap_) {
        covariance_->decompose();
        decomposed_at_ = generation_;
    }
    stop_reason_ = check_termination(values);
}

std::string_view Strategy::check_termination(std::span<const double> values) {
    const Constants& k = constants_;
    const auto n = mean_.size();

    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    best_history_.push_back(*lowest);
    median_history_.push_back(median({values.begin(), values.end()}));
    if (best_history_.size() > max_stagnation_window) {
        best_history_.pop_front();
        median_history_.pop_front();
    }

    const double x_tolerance = options_.tolx * sigma0_;
    bool below_tolx = true;
    for (Eigen::Index i = 0; i < n && below_tolx; ++i)
        below_tolx = sigma_ * std::sqrt(covariance_->variance(i)) < x_tolerance &&
                     sigma_ * std::abs(p_c_[i]) < x_tolerance;
    if (below_tolx) return "tolx";

    const std::size_t fun_history =
        10 + static_cast<std::size_t>(
                 std::ceil(30 * static_cast<double>(k.n) / static_cast<double>(k.lambda)));
    if (generation_ >= fun_history) {
        const auto recent = best_history_.end() - static_cast<std::ptrdiff_t>(
                                                      std::min(fun_history, best_history_.size()));
        const auto [best_low, best_high] = std::minmax_element(recent, best_history_.end());
        if (std::max(*best_high, *highest) - std::min(*best_low, *lowest) < options_.tolfun)
            return "tolfun";
    }

    if (covariance_->condition() > options_.max_condition) return "condition";

    if (covariance_->axis_without_effect(
            mean_, 0.1 * sigma_,
            static_cast<Eigen::Index>(generation_ % static_cast<std::size_t>(n))))
        return "noeffectaxis";
    if (covariance_->coordinate_without_effect(mean_, 0.2 * sigma_)) return "noeffectcoord";

    if (sigma_ * covariance_->max_stddev() > tolxup * sigma0_) return "tolxup";

    if (stagnated()) return "stagnation";
    return {};
}

// The medians of the best and of the median values over the most recent 30 % of a window
// (the last 20 % of all generations, at least 120 + 30 n / lambda, at most 20,000) are both
// no better than over its oldest 30 %.
bool Strategy::stagnated() const {
    const double ratio = static_cast<double>(constants_.n) / static_cast<double>(constants_.lambda);
    const auto min_window = 120 + static_cast<std::size_t>(std::ceil(30 * ratio));
    if (generation_ < min_window) return false;
    const std::size_t window = std::min(
        {max_stagnation_window, best_history_.size(),
         std::max(min_window, static_cast<std::size_t>(0.2 * static_cast<double>(generation_)))});
    const auto part = static_cast<std::ptrdiff_t>(std::ceil(0.3 * static_cast<double>(window)));
    const auto no_progress = [&](const std::deque<double>& history) {
        const auto start = history.end() - static_cast<std::ptrdiff_t>(window);
        const double old_median = median({start, start + part});
        const double recent_median = median({history.end() - part, history.end()});
        return recent_median >= old_median;
    };
    return no_progress(best_history_) && no_progress(median_history_);
}

}  // namespace cmaes
