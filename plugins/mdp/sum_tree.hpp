// Non-negative weights with O(log n) update and O(log n) proportional draw.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <limits>
#include <vector>

namespace mdp {

class SumTree {
public:
    explicit SumTree(std::size_t size)
        : leaves_(std::bit_ceil(std::max<std::size_t>(size, 1))),
          max_weight_(std::numeric_limits<double>::max() / static_cast<double>(leaves_)),
          nodes_(2 * leaves_, 0.0) {}

    // Parents are recomputed from their children (not adjusted by a difference), so the sums
    // never drift however many updates are made. A weight above max_weight_ (an infinite
    // gain, from a move away from an infinite value) is stored as max_weight_: leaves_ is a
    // power of two, so every sum of such weights is exact and finite, and find() never
    // computes inf - inf.
    void set(std::size_t i, double weight) {
        std::size_t k = leaves_ + i;
        nodes_[k] = std::min(weight, max_weight_);
        for (k /= 2; k >= 1; k /= 2) nodes_[k] = nodes_[2 * k] + nodes_[2 * k + 1];
    }

    double weight(std::size_t i) const { return nodes_[leaves_ + i]; }
    double total() const { return nodes_[1]; }

    // The entry whose share of the cumulative weight holds u, for 0 <= u < total() (and
    // total() > 0). Rounding can leave u beyond a subtree's sum: a subtree without weight is
    // never entered, so the result always has a positive weight.
    std::size_t find(double u) const {
        std::size_t k = 1;
        while (k < leaves_) {
            const double left = nodes_[2 * k];
            if (u < left || nodes_[2 * k + 1] == 0) {
                k = 2 * k;
            } else {
                u -= left;
                k = 2 * k + 1;
            }
        }
        return k - leaves_;
    }

private:
    std::size_t leaves_;
    double max_weight_;
    std::vector<double> nodes_;
};

}  // namespace mdp
