// A plugin of ABI minor 1, written against the raw ABI as a plugin built before 1.2 would be:
// its descriptor ends after `declarations`, before `selection_metrics`. The host must load and
// run it with its declarations, taking it as selecting no checkpoint.
#include <cstdint>

#include <boost/dll/alias.hpp>

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

int instance = 0;

// Evaluates the box's point nearest the origin until the budget is spent, reporting each value.
abi::Status run(void*, const abi::ObjectiveView* view, std::uint64_t, abi::Message) noexcept {
    double x[64] = {};
    double f = 0;
    const std::size_t dimension = view->problem.dimension;
    if (dimension > 64) return abi::Status::not_applicable;
    for (std::size_t i = 0; i < dimension; ++i) {
        const double low = view->problem.lower.data[view->problem.lower.size == 1 ? 0 : i];
        const double high = view->problem.upper.data[view->problem.upper.size == 1 ? 0 : i];
        x[i] = low > 0 ? low : high < 0 ? high : 0;
    }
    while (view->ops->evaluate(view->context, {x, dimension}, &f) == abi::Status::ok)
        view->ops->report(view->context, "value", f);
    return abi::Status::ok;
}

void* create(const abi::KeyValue*, std::size_t, abi::Message) noexcept { return &instance; }
void destroy(void*) noexcept {}

const abi::OptimizerOps ops{&run};
const abi::Entry entries[] = {{abi::EntryKind::optimizer, "nearest_origin_reporting",
                               "test: evaluates the box's point nearest the origin, reporting it (ABI 1.1)", nullptr, 0, abi::deterministic,
                               &create, &destroy, nullptr, &ops}};
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
