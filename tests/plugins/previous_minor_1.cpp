// A plugin of ABI minor 1, written against the raw ABI as a plugin built before 1.2 would be:
// its descriptor ends after `declarations`, before `selection_metrics`. The host must load and
// run it with its declarations, taking it as selecting no checkpoint.
#include <cstdint>

#include <boost/dll/alias.hpp>

#include "nearest_origin.hpp"
#include "optbench/sdk/abi.hpp"
#include "optbench/sdk/fingerprint.hpp"

namespace {

using namespace optbench;

struct DescriptorOfMinor1 {
    std::uint32_t abi_major;
    std::uint32_t abi_minor;
    const char* fingerprint;
    const char* plugin_name;
    const char* plugin_version;
    const abi::Entry* entries;
    std::size_t num_entries;
    const abi::Declarations* declarations;
};

// Evaluates the box's point nearest the origin until the budget is spent, reporting each value.
abi::Status run(void*, const abi::ObjectiveView* view, std::uint64_t, abi::Message) noexcept {
    return test_plugins::evaluate_nearest_origin(view, [view](double f) { view->ops->report(view->context, "value", f); });
}

const abi::OptimizerOps ops{&run};
const abi::Entry entries[] = {{abi::EntryKind::optimizer, "nearest_origin_reporting",
                               "test: evaluates the box's point nearest the origin, reporting it (ABI 1.1)", nullptr, 0, abi::deterministic,
                               &test_plugins::create_stateless, &test_plugins::destroy_stateless, nullptr, &ops}};
const abi::StatSpec stats[] = {{"value", "the value evaluated", 0}};
const abi::Declarations declarations[] = {{"", "", "", 0, nullptr, 0, stats, 1}};

const DescriptorOfMinor1* descriptor() {
    static constexpr auto fingerprint = abi::layout::text(1);
    static const DescriptorOfMinor1 d{abi::major_version, 1, fingerprint.data(), "previous_minor_1", "1.1.0",
                                      entries, 1, declarations};
    return &d;
}

}  // namespace

BOOST_DLL_ALIAS(descriptor, optbench_descriptor)
