// Shared parts of the classic test functions: dimension, box, instance and start point.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "optbench/sdk/sdk.hpp"

namespace synthetic {

using namespace optbench;

// The parameters every classic function takes; default_bounds is the literature's box.
#define SYNTHETIC_COMMON_PARAMS(default_bounds)                                             \
    sdk::integer("dim", "10", "number of variables", 1, 1e9),                               \
        sdk::text("bounds", default_bounds, "search box LOW:HIGH for every coordinate"),     \
        sdk::integer("instance", "1", "selects the start point (drawn uniformly in the box)", 1)

// A function with the same box for every coordinate and a start point drawn uniformly in
// the box from (function name, instance): the same for every optimizer, never the centre.
class ClassicProblem : public sdk::Problem {
public:
    ClassicProblem(const char* function_name, const sdk::Params& p)
        : ClassicProblem(function_name, p, sdk::parse_bounds(p.text("bounds"))) {}

    bool has_initial_point() const override { return true; }
    void initial_point(std::span<double> out) const override {
        sdk::Rng rng(sdk::derive_seed({"synthetic", function_name_}, instance_));
        for (double& v : out) v = rng.uniform(low_, high_);
    }

protected:
    double low_, high_;

private:
    ClassicProblem(const char* function_name, const sdk::Params& p,
                   std::pair<double, double> box)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {box.first}, {box.second}),
          low_(box.first),
          high_(box.second),
          function_name_(function_name),
          instance_(static_cast<std::uint64_t>(p.integer("instance"))) {}

    const char* function_name_;
    std::uint64_t instance_;
};

}  // namespace synthetic
