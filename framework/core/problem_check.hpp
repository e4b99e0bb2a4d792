// The checks a problem plugin must pass, the same for the test suite and for its author
// (`optbench check`): every capability it declares is compared with what it computes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/spec.hpp"
#include "core/check_outcome.hpp"
#include "core/loader.hpp"

namespace optbench::host {

struct ProblemCheckOptions {
    bool quick = false;      // fewer points and moves
    std::uint64_t seed = 1;  // of the points and moves drawn
};

// Checks `spec` (a problem spec): start point inside the box, f at the optimum point equals the
// optimum value, gradient against central differences, batches (of 1, 2, 7 and 32 points; 32
// not when quick) against single values bit for bit, sparse moves (1 and k coordinates,
// chains of accepted moves, values at the bounds) against full evaluations to 1e-12 relative,
// finite-sum subsets against the full value, instances (same values for the same instance,
// others differ), finite hold-out metrics: those the problem's capabilities call for.
// Throws Error when the problem cannot be made at all.
std::vector<CheckOutcome> check_problem(const Registry& registry, const Spec& spec,
                                        const ProblemCheckOptions& options = {});

}  // namespace optbench::host
