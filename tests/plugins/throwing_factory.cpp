// Broken on purpose: a valid plugin whose optimizer's constructor throws.
#include <stdexcept>

#include "optbench/sdk/sdk.hpp"

namespace {
class Throws final : public optbench::sdk::Optimizer {
public:
    static constexpr const char* name = "throwing_factory";
    static constexpr const char* description = "test: its constructor throws";
    static constexpr std::array<optbench::abi::ParamSpec, 0> params{};
    explicit Throws(const optbench::sdk::Params&) { throw std::runtime_error("constructor refused"); }
    void run(optbench::sdk::Objective&, std::uint64_t) override {}
};
}  // namespace

OPTBENCH_PLUGIN("throwing_factory", "0", Throws)
