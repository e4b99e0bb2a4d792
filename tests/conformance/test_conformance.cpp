// Every discovered optimizer through the checks of `optbench check` (core/optimizer_check):
// one implementation for the suite and for plugin authors; no hand-written list of optimizers.
#include <doctest/doctest.h>

#include "core/optimizer_check.hpp"
#include "testing.hpp"

using namespace optbench;

namespace {

// Optimizers shipped with optbench and any plugin on the search path; the test-only libraries
// that fail on purpose are exercised by the isolation tests and test_optimizer_check instead.
std::vector<const host::PluginEntry*> optimizers() {
    std::vector<const host::PluginEntry*> result;
    for (const host::PluginEntry* e : testing::registry().entries(abi::EntryKind::optimizer))
        if (e->library_name != "misbehaving" && e->library_name != "wrong_optimizers") result.push_back(e);
    return result;
}

}  // namespace

TEST_CASE("there are optimizers to test") { CHECK(optimizers().size() >= 4); }

TEST_CASE("every optimizer passes optbench check") {
    for (const auto* e : optimizers()) {
        CAPTURE(e->name());
        const auto outcomes = host::check_optimizer(testing::registry(), host::parse_spec_list(e->qualified_name()).at(0));
        const bool deterministic = (e->entry->capabilities & abi::deterministic) != 0;
        CHECK(outcomes.size() == (deterministic ? 8u : 9u));
        for (const host::CheckOutcome& outcome : outcomes) {
            CAPTURE(outcome.check);
            CAPTURE(outcome.detail);
            CHECK(outcome.passed);
        }
    }
}
