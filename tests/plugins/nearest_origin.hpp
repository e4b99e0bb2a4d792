// The optimizer the raw-ABI test plugins share (earlier minors, the script loader): it
// evaluates the box's point nearest the origin until the budget is spent.
#pragma once

#include <cstddef>

#include "optbench/sdk/abi.hpp"

namespace optbench::test_plugins {

// Calls after_each(f) with each value; not_applicable above 64 variables.
template <class AfterEach>
abi::Status evaluate_nearest_origin(const abi::ObjectiveView* view, AfterEach&& after_each) noexcept {
    double x[64] = {};
    double f = 0;
    const std::size_t dimension = view->problem.dimension;
    if (dimension > 64) return abi::Status::not_applicable;
    for (std::size_t i = 0; i < dimension; ++i) {
        const double low = view->problem.lower.data[view->problem.lower.size == 1 ? 0 : i];
        const double high = view->problem.upper.data[view->problem.upper.size == 1 ? 0 : i];
        x[i] = low > 0 ? low : high < 0 ? high : 0;
    }
    while (view->ops->evaluate(view->context, {x, dimension}, &f) == abi::Status::ok) after_each(f);
    return abi::Status::ok;
}

// The optimizer keeps no state: every instance is the same object.
inline int stateless_instance = 0;
inline void* create_stateless(const abi::KeyValue*, std::size_t, abi::Message) noexcept { return &stateless_instance; }
inline void destroy_stateless(void*) noexcept {}

}  // namespace optbench::test_plugins
