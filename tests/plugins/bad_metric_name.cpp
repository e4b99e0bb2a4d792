// Broken on purpose: a hold-out metric named like the validation-selected columns the host
// derives (selected_<metric>).
#include "optbench/sdk/sdk.hpp"

namespace {
struct BadMetricName final : optbench::sdk::Problem {
    static constexpr const char* name = "bad_metric_name";
    static constexpr const char* description = "test: a metric named selected_accuracy";
    static constexpr optbench::abi::ParamSpec params[] = {optbench::sdk::integer("dim", "2", "variables", 1, 10)};
    static constexpr optbench::abi::MetricSpec metrics[] = {
        {"selected_accuracy", "takes a derived column's name", optbench::abi::higher_is_better}};
    explicit BadMetricName(const optbench::sdk::Params&) : Problem(2, {-1}, {1}) {}
    double value(std::span<const double> x) override { return x[0] * x[0] + x[1] * x[1]; }
    void holdout_metrics(std::span<const double>, optbench::sdk::MetricWriter& out) override {
        out.put("selected_accuracy", 1);
    }
};
}  // namespace

OPTBENCH_PLUGIN("bad_metric_name", "0", BadMetricName)
