// Every discovered optimizer against the same contract; no hand-written list of optimizers.
#include <doctest/doctest.h>

#include <cmath>

#include "testing.hpp"

using namespace optbench;

namespace {

// Optimizers shipped with optbench and any plugin on the search path; the test-only
// "misbehaving" library is exercised by the isolation tests instead.
std::vector<const host::PluginEntry*> optimizers() {
    std::vector<const host::PluginEntry*> result;
    for (const host::PluginEntry* e : testing::registry().entries(abi::EntryKind::optimizer))
        if (e->library_name != "misbehaving") result.push_back(e);
    return result;
}

bool has(const host::PluginEntry* e, std::uint32_t capability) {
    return (e->entry->capabilities & capability) != 0;
}

void check_completed(const host::RunResult& r) {
    INFO("status=", r.status, " stop=", r.stop_reason, " message=", r.message);
    CHECK(r.status == optbench::host::RunStatus::ok);
}

}  // namespace

TEST_CASE("there are optimizers to test") { CHECK(optimizers().size() >= 1); }

TEST_CASE("never over budget: budgets 1, 2, D+1 and 1000") {
    for (const auto* e : optimizers()) {
        CAPTURE(e->name());
        for (double budget : {1.0, 2.0, 6.0, 1000.0}) {
            CAPTURE(budget);
            const auto r = testing::run(std::string(e->name()), "box_quadratic:dim=5", budget);
            check_completed(r);
            CHECK(r.cost <= budget);
            CHECK(r.evals <= budget);
        }
        const auto fractional = testing::run(std::string(e->name()), "finite_sum:samples=30,dim=3", 20);
        check_completed(fractional);
        CHECK(fractional.cost <= 20 + 1e-9);
    }
}

TEST_CASE("stops when the objective says stop") {
    for (const auto* e : optimizers()) {
        CAPTURE(e->name());
        host::RunSettings settings;
        settings.target_error = 1e9;  // the first evaluation reaches it
        const auto r = testing::run(std::string(e->name()), "box_quadratic:dim=4", 1e6, 1, settings);
        check_completed(r);
        CHECK(r.stop_reason_text() == "target");
        CHECK(r.evals < 1000);
    }
}

TEST_CASE("same seed, same result; another seed, another result") {
    for (const auto* e : optimizers()) {
        CAPTURE(e->name());
        const auto a = testing::run(std::string(e->name()), "box_quadratic:dim=5", 300, 11);
        const auto b = testing::run(std::string(e->name()), "box_quadratic:dim=5", 300, 11);
        const auto c = testing::run(std::string(e->name()), "box_quadratic:dim=5", 300, 12);
        check_completed(a);
        CHECK(a.best_f == b.best_f);
        CHECK(a.best_x == b.best_x);
        CHECK(a.evals == b.evals);
        REQUIRE(a.trace.size() == b.trace.size());
        for (std::size_t i = 0; i < a.trace.size(); ++i) CHECK(a.trace[i].best_f == b.trace[i].best_f);
        if (!has(e, abi::deterministic)) CHECK(a.best_x != c.best_x);
    }
}

TEST_CASE("survives NaN, infinities and a throwing objective") {
    for (const auto* e : optimizers()) {
        CAPTURE(e->name());
        const auto nonfinite = testing::run(std::string(e->name()), "nonfinite:dim=3", 200);
        check_completed(nonfinite);
        CHECK(nonfinite.nonfinite_evals > 0);
        CHECK(std::isfinite(nonfinite.best_f));
        const auto throwing = testing::run(std::string(e->name()), "throwing:dim=3,after=5", 200);
        CHECK(throwing.evals <= 5);
        if (throwing.status == optbench::host::RunStatus::ok) {
            CHECK(throwing.evals < 5);  // it converged before the failing evaluation (L-BFGS-B does)
        } else {
            CHECK(throwing.status == optbench::host::RunStatus::error);
            CHECK(throwing.message.find("deliberate failure in evaluation 5") != std::string::npos);
        }
    }
}

TEST_CASE("dimension 1 works, or the optimizer says why it cannot") {
    for (const auto* e : optimizers()) {
        CAPTURE(e->name());
        const auto r = testing::run(std::string(e->name()), "box_quadratic:dim=1", 200);
        if (r.status == optbench::host::RunStatus::not_applicable) {  // CyberAgent's cmaes needs D >= 2
            CHECK(r.message.find("dimension") != std::string::npos);
            continue;
        }
        check_completed(r);
        CHECK(r.best_f < 1e9);
    }
}

TEST_CASE("evaluates only inside the bounds, and copes without bounds") {
    // box_quadratic throws (an error row) on any point outside its asymmetric box.
    for (const auto* e : optimizers()) {
        CAPTURE(e->name());
        for (const char* problem : {"box_quadratic:dim=7", "box_quadratic:dim=2,instance=3"}) {
            CAPTURE(problem);
            const auto r = testing::run(std::string(e->name()), problem, 3000);
            check_completed(r);
        }
        const auto unbounded = testing::run(std::string(e->name()), "unbounded:dim=3", 500);
        check_completed(unbounded);
        CHECK(std::isfinite(unbounded.best_f));
    }
}

TEST_CASE("an optimizer that cannot run says why in a not_applicable row") {
    for (const auto* e : optimizers()) {
        CAPTURE(e->name());
        const auto r = testing::run(std::string(e->name()), "no_gradient:dim=3", 100);
        if (has(e, abi::needs_gradient)) {
            CHECK(r.status == optbench::host::RunStatus::not_applicable);
            CHECK(!r.message.empty());
        } else {
            check_completed(r);
        }
    }
}
