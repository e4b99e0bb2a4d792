// The search box (see strategy.hpp for how candidates are kept inside it).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include "optbench/sdk/rng.hpp"

namespace cmaes {

class Box {
public:
    // One pair of bounds per coordinate; infinite means no bound on that side.
    Box(const std::vector<double>& lower, const std::vector<double>& upper)
        : lower_(Eigen::Map<const Eigen::ArrayXd>(lower.data(),
                                                  static_cast<Eigen::Index>(lower.size()))),
          upper_(Eigen::Map<const Eigen::ArrayXd>(upper.data(),
                                                  static_cast<Eigen::Index>(upper.size()))),
          bounded_(lower_.isFinite().any() || upper_.isFinite().any()) {}

    // False when no coordinate has a finite bound: every point is inside.
    bool bounded() const { return bounded_; }

    bool contains(Eigen::Index i, double x) const { return x >= lower_[i] && x <= upper_[i]; }
    bool contains(const Eigen::Ref<const Eigen::VectorXd>& x) const {
        return (x.array() >= lower_).all() && (x.array() <= upper_).all();
    }
    double clip(Eigen::Index i, double x) const { return std::clamp(x, lower_[i], upper_[i]); }

    // The mean of (high - low) over the coordinates bounded on both sides; 0 when none is.
    double mean_width() const {
        const auto finite = lower_.isFinite() && upper_.isFinite();
        const auto count = finite.count();
        return count > 0 ? finite.select(upper_ - lower_, 0).sum() / static_cast<double>(count) : 0;
    }

    // Uniform in the box; a coordinate with a missing bound is drawn in an interval of the
    // given width next to its finite bound, or centred on 0 when it has none.
    Eigen::VectorXd uniform_point(optbench::sdk::Rng& rng, double width) const {
        Eigen::VectorXd x(lower_.size());
        for (Eigen::Index i = 0; i < x.size(); ++i) {
            double low = lower_[i], high = upper_[i];
            if (!std::isfinite(low) && !std::isfinite(high)) {
                low = -width / 2;
                high = width / 2;
            } else if (!std::isfinite(high)) {
                high = low + width;
            } else if (!std::isfinite(low)) {
                low = high - width;
            }
            x[i] = rng.uniform(low, high);
        }
        return x;
    }

private:
    Eigen::ArrayXd lower_, upper_;
    bool bounded_;
};

}  // namespace cmaes
