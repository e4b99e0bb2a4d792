// The optimizer interface: one function. Parameters arrive through the constructor
// (a const Params&), the problem only through the Objective.
#pragma once

#include <cstdint>

#include "optbench/sdk/objective.hpp"

namespace optbench::sdk {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    // Minimizes until the objective throws Stop or the optimizer decides it is done (then it
    // may name why with objective.set_stop_reason). seed is the only source of randomness.
    virtual void run(Objective& objective, std::uint64_t seed) = 0;
};

}  // namespace optbench::sdk
