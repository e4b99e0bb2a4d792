// Broken on purpose: two entries with the same name in one library.
#include "optbench/sdk/sdk.hpp"

namespace {
struct First final : optbench::sdk::Optimizer {
    static constexpr const char* name = "twin";
    static constexpr const char* description = "test: first twin";
    static constexpr std::array<optbench::abi::ParamSpec, 0> params{};
    explicit First(const optbench::sdk::Params&) {}
    void run(optbench::sdk::Objective&, std::uint64_t) override {}
};
struct Second final : optbench::sdk::Optimizer {
    static constexpr const char* name = "twin";
    static constexpr const char* description = "test: second twin";
    static constexpr std::array<optbench::abi::ParamSpec, 0> params{};
    explicit Second(const optbench::sdk::Params&) {}
    void run(optbench::sdk::Objective&, std::uint64_t) override {}
};
}  // namespace

OPTBENCH_PLUGIN("duplicate_names", "0", First, Second)
