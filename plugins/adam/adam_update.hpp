// The bias-corrected Adam update of Kingma & Ba (Algorithm 1), the form torch.optim.Adam
// implements: eps is added to the bias-corrected sqrt(v), not to the raw one.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace adam {

struct Coefficients {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
};

class Update {
public:
    Update(std::size_t dimension, Coefficients c)
        : c_(c), first_moment_(dimension, 0.0), second_moment_(dimension, 0.0) {}

    // Moves x by one step along gradient g (same size as x) and returns the Euclidean norm
    // of the move, lr * |m_hat / (sqrt(v_hat) + eps)|.
    double step(std::span<double> x, std::span<const double> g) {
        ++steps_;
        const auto t = static_cast<double>(steps_);
        const double correction1 = 1 - std::pow(c_.beta1, t);
        const double correction2 = 1 - std::pow(c_.beta2, t);
        double squared_norm = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            double& m = first_moment_[i];
            double& v = second_moment_[i];
            m = c_.beta1 * m + (1 - c_.beta1) * g[i];
            v = c_.beta2 * v + (1 - c_.beta2) * g[i] * g[i];
            const double move = c_.lr * (m / correction1) / (std::sqrt(v / correction2) + c_.eps);
            x[i] -= move;
            squared_norm += move * move;
        }
        return std::sqrt(squared_norm);
    }

    std::uint64_t steps() const { return steps_; }

private:
    Coefficients c_;
    std::vector<double> first_moment_;
    std::vector<double> second_moment_;
    std::uint64_t steps_ = 0;
};

}  // namespace adam
