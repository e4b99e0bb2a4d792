// Broken on purpose: a parameter whose declared default violates its own range.
#include "optbench/sdk/sdk.hpp"

namespace {
struct BadDefault final : optbench::sdk::Optimizer {
    static constexpr const char* name = "bad_default";
    static constexpr const char* description = "test: default out of range";
    static constexpr optbench::abi::ParamSpec params[] = {
        optbench::sdk::integer("population", "0", "must be positive", 1, 100)};
    explicit BadDefault(const optbench::sdk::Params&) {}
    void run(optbench::sdk::Objective&, std::uint64_t) override {}
};
}  // namespace

OPTBENCH_PLUGIN("bad_default", "0", BadDefault)
