// A plugin of an earlier ABI minor version (1.0), written against the raw ABI as a plugin
// built before 1.1 would be: its descriptor ends before `declarations`, its problem functions
// before `value_batch` (minor 2). The host must load and run it, taking it as declaring
// nothing and evaluating no batch through it.
#include <cstdint>
#include <cstdio>

#include <boost/dll/alias.hpp>

#include "nearest_origin.hpp"
#include "optbench/sdk/abi.hpp"
#include "optbench/sdk/fingerprint.hpp"

namespace {

using namespace optbench;

struct DescriptorOfMinor0 {
    std::uint32_t abi_major;
    std::uint32_t abi_minor;
    const char* fingerprint;
    const char* plugin_name;
    const char* plugin_version;
    const abi::Entry* entries;
    std::size_t num_entries;
};

// Evaluates the box's point nearest the origin until the budget is spent.
abi::Status run(void*, const abi::ObjectiveView* view, std::uint64_t, abi::Message) noexcept {
    return test_plugins::evaluate_nearest_origin(view, [](double) {});
}

const abi::OptimizerOps ops{&run};

// sum x_i^2 on [-1, 2]^2. Its capabilities set the bit minor 2 gave to value_batch, unassigned
// in 1.0, where a 1.0 plugin's problem functions end: the host must ignore both.
const double lower = -1, upper = 2;
abi::Status old_info(void*, abi::ProblemInfo* out, abi::Message) noexcept {
    *out = {2, {&lower, 1}, {&upper, 1}, abi::has_value_batch, 0, 0};
    return abi::Status::ok;
}
abi::Status old_value(void*, abi::Span x, double* f, abi::Message) noexcept {
    *f = x.data[0] * x.data[0] + x.data[1] * x.data[1];
    return abi::Status::ok;
}
abi::Status old_artifacts(void*, abi::ArtifactSink, abi::Message) noexcept { return abi::Status::ok; }
abi::Status past_the_end(void*, abi::Span, abi::MutableSpan, abi::Message error) noexcept {
    std::snprintf(error.data, error.capacity, "the host called past the end of a 1.0 plugin's problem functions");
    return abi::Status::error;
}
// The twelve functions of 1.0, then (where a 1.0 plugin's memory would hold anything) a trap.
const abi::ProblemOps problem_ops{&old_info, &old_value, nullptr, nullptr, nullptr, nullptr, nullptr,
                                  nullptr,   nullptr,    nullptr, &old_artifacts, nullptr, &past_the_end};

const abi::Entry entries[] = {{abi::EntryKind::optimizer, "nearest_origin", "test: evaluates the box's point nearest the origin (ABI 1.0)",
                               nullptr, 0, abi::deterministic, &test_plugins::create_stateless, &test_plugins::destroy_stateless, nullptr, &ops},
                              {abi::EntryKind::problem, "old_quadratic", "test: sum of squares (ABI 1.0)", nullptr, 0, 0,
                               &test_plugins::create_stateless, &test_plugins::destroy_stateless, &problem_ops, nullptr}};

const DescriptorOfMinor0* descriptor() {
    static constexpr auto fingerprint = abi::layout::text(0);
    static const DescriptorOfMinor0 d{abi::major_version, 0, fingerprint.data(), "previous_minor", "1.0.0",
                                      entries, 2};
    return &d;
}

}  // namespace

BOOST_DLL_ALIAS(descriptor, optbench_descriptor)
