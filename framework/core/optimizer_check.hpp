// The checks an optimizer plugin must pass, the same for the test suite (tests/conformance)
// and for its author (`optbench check OPTIMIZER`): it is run on the check library's problems
// (problems/conformance), which catch leaving the bounds, failing on NaN, infinities or
// exceptions, ignoring the seed, and not stopping when told.
#pragma once

#include <functional>
#include <vector>

#include "base/spec.hpp"
#include "core/check_outcome.hpp"
#include "core/loader.hpp"

namespace optbench::host {

struct OptimizerCheckOptions {
    bool quick = false;  // smaller budgets
    // Called with each outcome as soon as it is known (a crash then shows how far it got).
    std::function<void(const CheckOutcome&)> on_outcome;
};

// Runs `spec` (an optimizer spec, e.g. "cmaes:covariance=sep") in this process on the
// problems box_quadratic, finite_sum, nonfinite, throwing, unbounded and no_gradient, which
// `registry` must hold: budgets 1, 2, 2.5, D+1 and 1000 never exceeded; stops at a target;
// the same seed gives the same run and other seeds another (unless the optimizer declares
// itself deterministic); NaN, infinities and an exception in the objective; dimension 1;
// evaluations only inside the bounds, and none needed; without a gradient, ok or
// not_applicable with a reason. Throws Error when the optimizer or a check problem is missing.
std::vector<CheckOutcome> check_optimizer(const Registry& registry, const Spec& spec,
                                          const OptimizerCheckOptions& options = {});

}  // namespace optbench::host
