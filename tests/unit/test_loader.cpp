// The loader refuses broken plugins with one clear message naming the file, and never crashes.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

#include "core/instances.hpp"
#include "core/loader.hpp"
#include "core/run.hpp"
#include "optbench/sdk/rng.hpp"
#include "results/provenance.hpp"
#include "testing.hpp"

using namespace optbench;
namespace fs = std::filesystem;

namespace {

std::filesystem::path bad(const std::string& name) {
    return testing::binary_dir() / "lib" / "optbench" / "bad-plugins" / (name + ".so");
}

std::string load_error(const std::string& name) {
    host::Registry registry;
    try {
        registry.load(bad(name));
    } catch (const host::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("broken plugins are rejected with a message naming the file") {
    const auto check = [](const std::string& name, const std::string& fragment) {
        const std::string message = load_error(name);
        INFO(name, ": ", message);
        CHECK(message.find(bad(name).string()) != std::string::npos);
        CHECK(message.find(fragment) != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    };
    check("bad_abi_major", "built for plugin ABI 2.0");
    check("bad_abi_minor", fmt::format("built for plugin ABI 1.{}", abi::minor_version + 1));
    check("bad_fingerprint", "build fingerprint mismatch");
    check("no_descriptor", "not an optbench plugin");
    check("duplicate_names", "two entries are named 'twin'");
    check("bad_default", "invalid default");
    check("bad_metric_name", "entry 'bad_metric_name': hold-out metric 'selected_accuracy': names starting with "
                             "'selected_' are kept for the validation-selected values of the metrics");
}

TEST_CASE("a plugin of the previous ABI minor version loads, runs and declares nothing") {
    const host::PluginEntry& old = testing::registry().find(abi::EntryKind::optimizer, "nearest_origin");
    CHECK(old.declarations == nullptr);
    CHECK(host::optimizer_declaration(old).stats.empty());
    const host::RunResult r = testing::run("nearest_origin", "sphere:dim=3", 7);
    CHECK(r.status == host::RunStatus::ok);
    CHECK(r.evals == 7);
}

TEST_CASE("a plugin of ABI minor 1 loads with its declarations and selects no checkpoint") {
    const host::PluginEntry& old = testing::registry().find(abi::EntryKind::optimizer, "nearest_origin_reporting");
    REQUIRE(old.declarations != nullptr);
    CHECK(std::string(old.selection_metric).empty());
    REQUIRE(host::optimizer_declaration(old).stats.size() == 1);
    const host::RunResult r = testing::run("nearest_origin_reporting", "holdout_curve", 5);
    CHECK(r.status == host::RunStatus::ok);
    CHECK(r.stats.size() == 5);
    CHECK(r.metric("selected_val_loss") != nullptr);  // the problem, of this minor, selects
}

TEST_CASE("a problem's selection metric is one it declares") {
    const host::PluginEntry& curve = testing::registry().find(abi::EntryKind::problem, "holdout_curve");
    CHECK(host::problem_declaration(curve).selection_metric == "val_loss");
    CHECK(host::problem_declaration(testing::registry().find(abi::EntryKind::problem, "metrics")).selection_metric.empty());
}

TEST_CASE("a problem of ABI minor 0 is evaluated point by point, however the optimizer batches") {
    const host::PluginEntry& old = testing::registry().find(abi::EntryKind::problem, "old_quadratic");
    CHECK(old.abi_minor == 0);
    host::ProblemInstance problem(old, {});
    CHECK_FALSE(problem.has(abi::has_value_batch));
    const host::RunResult r = testing::run("cmaes", "old_quadratic", 50, 1);
    CAPTURE(r.message);
    CHECK(r.status == host::RunStatus::ok);
    CHECK(r.evals == 50);
}

TEST_CASE("the fingerprints of earlier ABI minor versions never change") {
    // Plugins built for them carry these: another text would refuse every one of them.
    CHECK(std::string(host::abi_fingerprint(0)) == "itanium; libstdc++ cxx11abi=1; abi layout 1849db756dde837c");
    CHECK(std::string(host::abi_fingerprint(1)) == "itanium; libstdc++ cxx11abi=1; abi layout 26b57df58cd91d45");
}

TEST_CASE("the fingerprint covers the ABI layout of each minor version, not the compiler version") {
    const std::string current = host::abi_fingerprint(abi::minor_version);
    CHECK(current == host::build_fingerprint());
    CHECK(current.find("itanium; libstdc++ cxx11abi=1; abi layout ") == 0);
    CHECK(current != host::abi_fingerprint(0));  // minor 1 added fields
    CHECK(current != host::abi_fingerprint(1));  // minor 2 added value_batch and selection_metrics
    CHECK(host::abi_fingerprint(abi::minor_version + 1) == nullptr);
    CHECK(current.find(__VERSION__) == std::string::npos);
}

TEST_CASE("a problem's self-description is checked before anything relies on it") {
    const double zero = 0, one = 1, nan = std::nan(""), both[] = {0, 1};
    const abi::ProblemInfo good{2, {&zero, 1}, {both, 2}, abi::has_finite_sum, 0, 10};
    CHECK_NOTHROW(host::check_problem_info(good, "p"));
    const auto refused = [](abi::ProblemInfo info, const std::string& message) {
        CHECK_THROWS_WITH_AS(host::check_problem_info(info, "p"), message.c_str(), host::Error);
    };
    abi::ProblemInfo info = good;
    info.dimension = 0;
    refused(info, "p: dimension 0, expected at least 1");
    info = good;
    info.upper = {both, 3};
    refused(info, "p: upper bounds of 3 entries, expected 1 or the dimension 2");
    info = good;
    info.lower = {nullptr, 1};
    refused(info, "p: lower bounds of 0 entries, expected 1 or the dimension 2");
    info = good;
    info.lower = {&one, 1};
    refused(info, "p: bounds [1, 0] at coordinate 0, expected lower <= upper, lower < inf and upper > -inf");
    info = good;
    info.upper = {&nan, 1};
    refused(info, "p: bounds [0, nan] at coordinate 0, expected lower <= upper, lower < inf and upper > -inf");
    info = good;
    const double inf = std::numeric_limits<double>::infinity();
    info.lower = {&inf, 1};
    info.upper = {&inf, 1};
    refused(info, "p: bounds [inf, inf] at coordinate 0, expected lower <= upper, lower < inf and upper > -inf");
    info = good;
    info.num_samples = 0;
    refused(info, "p: a finite sum of 0 samples, expected at least 1");
    info.capabilities = 0;  // without the finite-sum capability the count means nothing
    CHECK_NOTHROW(host::check_problem_info(info, "p"));
}

TEST_CASE("a missing file is an error, not a crash") {
    host::Registry registry;
    CHECK_THROWS_AS(registry.load("/nonexistent/plugin.so"), host::Error);
}

TEST_CASE("discovery skips broken libraries and keeps the good ones") {
    const auto registry = host::Registry::discover(
        {testing::binary_dir() / "lib" / "optbench" / "bad-plugins",
         testing::binary_dir() / "lib" / "optbench" / "plugins"});
    CHECK(registry.load_errors().size() == 7);
    CHECK_NOTHROW(registry.find(abi::EntryKind::optimizer, "random_search"));
    CHECK_NOTHROW(registry.find(abi::EntryKind::optimizer, "throwing_factory"));
}

TEST_CASE("scripts: a loader library's files on the search path become libraries, checked as libraries are") {
    testing::TempDir dir;
    const fs::path folder = dir.path() / "scripts", named = dir.path() / "named.optscript";
    fs::create_directories(folder);
    const auto write = [](const fs::path& file, const std::string& text) { std::ofstream(file) << text; };
    write(folder / "a.optscript", "alpha 1.2 walker\n");
    write(folder / "b.optscript", "refuse no walker here\n");
    write(folder / "c.optscript", "alpha 2.0 other\n");
    write(folder / "d.optscript", "bad/name 1.0 third\n");
    write(folder / "e.txt", "refuse not a script: never offered to the loader\n");
    write(named, "named_library 0.1 named_walker\n");
    // The loader comes after the scripts' folder: libraries load first, wherever they are.
    const auto registry = host::Registry::discover(
        {folder, named, testing::test_plugin_dir(), testing::binary_dir() / "lib" / "optbench" / "script-loader"});
    REQUIRE(registry.script_runtimes().size() == 1);
    CHECK(registry.script_runtimes()[0].extension() == ".optscript");
    CHECK(registry.script_runtimes()[0].library_name == "script_loader");
    const host::PluginEntry& walker = registry.find(abi::EntryKind::optimizer, "alpha/walker");
    CHECK(walker.file == folder / "a.optscript");
    CHECK(walker.library_version == "1.2");
    CHECK(walker.library_hash == fmt::format("{:016x}", sdk::fnv1a("alpha 1.2 walker\n")));
    CHECK(walker.library_build == "optimized");
    CHECK(registry.find(abi::EntryKind::optimizer, "named_walker").file == named);
    std::vector<std::string> errors = registry.load_errors();
    std::sort(errors.begin(), errors.end());
    REQUIRE(errors.size() == 3);
    CHECK(errors[0] == "plugin " + (folder / "b.optscript").string() + ": no walker here");
    CHECK(errors[1] == "plugin " + (folder / "c.optscript").string() + ": a library named 'alpha' is already loaded from " +
                           (folder / "a.optscript").string());
    CHECK(errors[2].find("plugin " + (folder / "d.optscript").string() + ": library name 'bad/name'") == 0);
    // A script's optimizer runs as a library's does; the script's library stays loaded with it.
    host::RunSpec spec;
    spec.optimizer = host::parse_spec_list("walker").at(0);
    spec.problem = host::parse_spec_list("box_quadratic:dim=2").at(0);
    host::RunSettings settings;
    settings.budget = 9;
    const host::RunResult r = host::execute_run(registry, spec, settings);
    CHECK(r.status == host::RunStatus::ok);
    CHECK(r.evals == 9);
    // Registry::load takes a script when a loaded loader takes its extension.
    host::Registry one;
    one.load(testing::binary_dir() / "lib" / "optbench" / "script-loader" / "script_loader.so");
    one.load(named);
    CHECK(one.find(abi::EntryKind::optimizer, "named_walker").library_name == "named_library");
}

TEST_CASE("a factory that throws gives an error naming the entry, and the host goes on") {
    host::Registry registry;
    registry.load(bad("throwing_factory"));
    const auto& entry = registry.find(abi::EntryKind::optimizer, "throwing_factory");
    CHECK_THROWS_WITH_AS(host::OptimizerInstance(entry, {}),
                         "optimizer 'throwing_factory': constructor refused", host::Error);
}

TEST_CASE("names resolve plain or library-qualified; unknown names list the known ones") {
    const auto& registry = testing::registry();
    CHECK(registry.find(abi::EntryKind::problem, "sphere").library_name == "synthetic");
    CHECK(registry.find(abi::EntryKind::problem, "synthetic/sphere").name() == "sphere");
    try {
        registry.find(abi::EntryKind::optimizer, "nelder_mead");
        FAIL("expected an error");
    } catch (const host::Error& e) {
        const std::string message = e.what();
        CHECK(message.rfind("unknown optimizer 'nelder_mead'; known: ", 0) == 0);
        CHECK(message.find("random_search") != std::string::npos);
    }
}

TEST_CASE("objects keep their library loaded after the registry is gone") {
    std::unique_ptr<host::ProblemInstance> problem;
    {
        const auto registry = host::Registry::discover({testing::binary_dir() / "lib" / "optbench" / "plugins"});
        problem = std::make_unique<host::ProblemInstance>(
            registry.find(abi::EntryKind::problem, "sphere"), sdk::Params::Given{{"dim", "3"}});
    }
    CHECK(problem->value(std::vector<double>{1, 2, 3}) == 14);
}
