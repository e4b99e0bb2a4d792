// The Python bridge, through the host as a user meets it: plugin files found, checked and
// refused like libraries, parameters validated with the C++ rules, the budget enforced through
// third-party code, exceptions turned into error rows, campaign workers forked after the
// interpreter started.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "core/instances.hpp"
#include "core/problem_check.hpp"
#include "optbench/sdk/rng.hpp"
#include "results/csv.hpp"
#include "testing.hpp"

using namespace optbench;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text) {
    std::ofstream(file) << text;
}

// A registry of the build's plugins (the bridge among them) and the plugin files in `folder`.
host::Registry registry_with(const fs::path& folder) {
    std::vector<fs::path> path = host::default_plugin_search_path();
    path.push_back(testing::test_plugin_dir());
    path.push_back(folder);
    return host::Registry::discover(path);
}

host::RunResult run_in(const host::Registry& registry, const std::string& optimizer, const std::string& problem,
                       double budget, std::uint64_t seed = 1) {
    host::RunSpec spec;
    spec.optimizer = host::parse_spec_list(optimizer).at(0);
    spec.problem = host::parse_spec_list(problem).at(0);
    spec.seed = seed;
    host::RunSettings settings;
    settings.budget = budget;
    return host::execute_run(registry, spec, settings, true);
}

// A test plugin file: an optimizer whose behaviour its parameter picks.
const char* const behaving = R"(import os
import threading

import numpy as np
import optbench

class Behaving(optbench.Optimizer):
    name = "behaving"
    description = "test: runs until Stop, raises, keeps the objective, or works in batches"
    params = [optbench.choice("mode", "loop", "loop|raise|keep|batch|swallow|not_applicable|inputs|thread|fork", "what to do"),
              optbench.integer("count", 3, "a count", min=1, max=10)]
    stats = [optbench.stat("step", "a stat")]
    kept = None

    def run(self, objective, seed):
        mode, rng = self.params["mode"], np.random.default_rng(seed)
        if mode == "raise":
            objective.evaluate(np.zeros(objective.dimension))
            1 / 0
        if mode == "keep":
            Behaving.kept = objective
            return
        if mode == "inputs":  # converted, then refused
            objective.evaluate([0.5] * objective.dimension)
            objective.evaluate(np.zeros(objective.dimension, dtype=np.float32))
            objective.evaluate(np.zeros(2 * objective.dimension)[::2])
            objective.evaluate(np.zeros(objective.dimension - 1))
        if mode == "thread":  # the objective answers its run's thread only
            failures = []
            def elsewhere():
                try:
                    objective.evaluate(np.zeros(objective.dimension))
                except RuntimeError as e:
                    failures.append(str(e))
            worker = threading.Thread(target=elsewhere)
            worker.start()
            worker.join()
            raise RuntimeError(failures[0] if failures else "evaluated in another thread")
        if mode == "fork":  # and its run's process only
            reading, writing = os.pipe()
            if os.fork() == 0:
                try:
                    objective.evaluate(np.zeros(objective.dimension))
                    os.write(writing, b"evaluated in a forked process")
                except RuntimeError as e:
                    os.write(writing, str(e).encode())
                os._exit(0)
            os.wait()
            raise RuntimeError(os.read(reading, 1000).decode())
        if mode == "not_applicable":
            raise optbench.NotApplicable("this optimizer needs what this problem lacks")
        if mode == "swallow":
            for _ in range(int(objective.budget) + 5):
                try:
                    objective.evaluate(rng.uniform(objective.lower, objective.upper))
                except Exception:  # Stop is no Exception: it is not swallowed here
                    pass
        while True:
            if mode == "batch":
                objective.evaluate_batch(rng.uniform(objective.lower, objective.upper, (7, objective.dimension)))
            else:
                objective.evaluate(rng.uniform(objective.lower, objective.upper))
            objective.report("step", 1.0)

class UseKept(optbench.Optimizer):
    name = "use_kept"
    description = "test: calls an objective kept from an earlier run"
    def run(self, objective, seed):
        Behaving.kept.evaluate(np.zeros(3))

optbench.plugin("behaving", "0.1", Behaving, UseKept)
)";

}  // namespace

TEST_CASE("the shipped Python plugins are found, each a library of its own, with its file and hash") {
    const host::Registry& registry = testing::registry();
    REQUIRE(registry.script_runtimes().size() == 1);
    const host::ScriptRuntime& python = registry.script_runtimes().front();
    CHECK(python.extension() == ".py");
    CHECK(python.library_name == "python");
    CHECK(python.runtime().find("CPython 3.") == 0);
    for (const char* name : {"scipy_nelder_mead", "scipy_powell", "scipy_lbfgsb", "scipy_differential_evolution",
                             "cyberagent_cma", "cyberagent_sepcma"}) {
        CAPTURE(name);
        const host::PluginEntry& entry = registry.find(abi::EntryKind::optimizer, name);
        CHECK(entry.file.extension() == ".py");
        CHECK(entry.library_hash ==
              fmt::format("{:016x}", sdk::fnv1a(host::read_file(entry.file, "the plugin file"))));
    }
    const host::PluginEntry& scipy = registry.find(abi::EntryKind::optimizer, "scipy/scipy_lbfgsb");
    CHECK(scipy.library_version.find("1.0.0+scipy.") == 0);
    CHECK((scipy.entry->capabilities & abi::needs_gradient) != 0);
    const host::PluginEntry& logistic = registry.find(abi::EntryKind::problem, "logistic_regression");
    CHECK(logistic.library_name == "sklearn_logistic");
    const host::ProblemDeclaration declared = host::problem_declaration(logistic);
    CHECK(declared.instance_parameter == "instance");
    REQUIRE(declared.metrics.size() == 4);
    CHECK(declared.metrics[3].name == "test_accuracy");
    CHECK(declared.metrics[3].higher_is_better);
}

TEST_CASE("a plugin file that cannot be loaded is skipped with one line naming it and its line") {
    testing::TempDir dir;
    write(dir.path() / "good.py", behaving);
    write(dir.path() / "syntax.py", "import optbench\n\ndef broken(:\n    pass\n");
    write(dir.path() / "raises.py", "import optbench\nimport no_such_module_anywhere\n");
    write(dir.path() / "silent.py", "import optbench\n");
    write(dir.path() / "bad_class.py", "import optbench\noptbench.plugin('bad_class', '1', int)\n");
    write(dir.path() / "bad_default.py", R"(import optbench
class O(optbench.Optimizer):
    name = "bad_default"
    description = "test"
    params = [optbench.real("rate", 2.0, "a rate", min=0, max=1)]
optbench.plugin("bad_default", "1", O)
)");
    const host::Registry registry = registry_with(dir.path());
    CHECK(registry.find(abi::EntryKind::optimizer, "behaving").file == dir.path() / "good.py");
    const auto error_about = [&](const std::string& file) {
        std::string found;
        for (const std::string& e : registry.load_errors())
            if (e.find((dir.path() / file).string()) != std::string::npos) found = e;
        CHECK(found.find('\n') == std::string::npos);
        return found;
    };
    CHECK(error_about("syntax.py").find(": line 3: SyntaxError: ") != std::string::npos);
    CHECK(error_about("raises.py")
              .find(": line 2: ModuleNotFoundError: No module named 'no_such_module_anywhere'") != std::string::npos);
    CHECK(error_about("silent.py").find("calls optbench.plugin(name, version, classes...) 0 times") !=
          std::string::npos);
    CHECK(error_about("bad_class.py").find("derived from exactly one of optbench.Optimizer and optbench.Problem") !=
          std::string::npos);
    CHECK(error_about("bad_default.py").find("invalid default: parameter 'rate' must be in [0, 1], got 2.0") !=
          std::string::npos);
}

TEST_CASE("parameters of Python plugins are checked with the C++ rules and messages") {
    const host::PluginEntry& nelder_mead = testing::registry().find(abi::EntryKind::optimizer, "scipy_nelder_mead");
    const auto error = [&](const sdk::Params::Given& given) {
        try {
            host::OptimizerInstance made(nelder_mead, given);
        } catch (const host::Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error({{"speed", "1"}}) ==
          "optimizer 'scipy_nelder_mead': unknown parameter 'speed' for 'scipy_nelder_mead'; known: xatol, fatol, "
          "adaptive, box");
    CHECK(error({{"xatol", "-1"}}) == "optimizer 'scipy_nelder_mead': parameter 'xatol' must be in [0, inf], got -1");
    CHECK(error({{"adaptive", "maybe"}}) ==
          "optimizer 'scipy_nelder_mead': parameter 'adaptive' expects true or false, got 'maybe'");
    // Refused by the class itself (optbench.ParamError): the same one line.
    CHECK(error({{"box", "inf"}}) ==
          "optimizer 'scipy_nelder_mead': parameter 'box' must be finite and greater than 0, got inf");
    CHECK(error({{"xatol", "1e-6"}, {"adaptive", "true"}}).empty());
}

TEST_CASE("the budget is exact, evaluation by evaluation and batch by batch, through scipy too") {
    testing::TempDir dir;
    write(dir.path() / "behaving.py", behaving);
    const host::Registry registry = registry_with(dir.path());
    for (const char* optimizer : {"behaving", "behaving:mode=batch", "behaving:mode=swallow"}) {
        CAPTURE(optimizer);
        const host::RunResult r = run_in(registry, optimizer, "sphere:dim=4", 100);
        CHECK(r.status == host::RunStatus::ok);
        CHECK(r.evals == 100);
        CHECK(r.stop_reason_text() == "budget");
    }
    // scipy's Nelder-Mead would go on for 800 evaluations; Stop ends it inside scipy.
    const host::RunResult nm = testing::run("scipy_nelder_mead", "rosenbrock:dim=4", 57);
    CHECK(nm.status == host::RunStatus::ok);
    CHECK(nm.evals == 57);
    const host::RunResult de = testing::run("scipy_differential_evolution:vectorized=true", "rastrigin:dim=3", 500);
    CHECK(de.status == host::RunStatus::ok);
    CHECK(de.evals == 500);
    const host::RunResult cma = testing::run("cyberagent_cma", "sphere:dim=5", 300);
    CHECK(cma.status == host::RunStatus::ok);
    CHECK(cma.evals == 300);
}

TEST_CASE("an optimizer that ends on its own says why, and converges") {
    const host::RunResult nm = testing::run("scipy_nelder_mead:xatol=1e-10,fatol=1e-14", "sphere:dim=2", 100000);
    CHECK(nm.status == host::RunStatus::ok);
    CHECK(nm.evals < 100000);
    CHECK(nm.stop_reason == host::StopReason::optimizer);
    CHECK(nm.stop_reason_text() == "optimization terminated successfully");
    CHECK(nm.best_f < 1e-12);
    const host::RunResult lbfgsb = testing::run("scipy_lbfgsb", "rosenbrock:dim=5", 10000);
    CHECK(lbfgsb.status == host::RunStatus::ok);
    CHECK(lbfgsb.grad_evals > 0);
    CHECK(lbfgsb.best_f < 1e-8);
    const host::RunResult cma = testing::run("cyberagent_cma", "ellipsoid:dim=5", 20000);
    CHECK(cma.best_f < 1e-8);
}

TEST_CASE("a Python exception is an error row whose message is its last line") {
    testing::TempDir dir;
    write(dir.path() / "behaving.py", behaving);
    const host::Registry registry = registry_with(dir.path());
    const host::RunResult r = run_in(registry, "behaving:mode=raise", "sphere:dim=3", 100);
    CHECK(r.status == host::RunStatus::error);
    CHECK(r.evals == 1);
    CHECK(r.message == "optimizer 'behaving' failed: ZeroDivisionError: division by zero");
    // Points that are no C-contiguous float64 arrays are converted; one of another shape is refused.
    const host::RunResult inputs = run_in(registry, "behaving:mode=inputs", "sphere:dim=3", 100);
    CHECK(inputs.evals == 3);
    CHECK(inputs.message == "optimizer 'behaving' failed: ValueError: x has shape (2,), expected (3,)");
    // The objective serves the run's process and thread only: evaluations elsewhere would escape the count.
    for (const char* elsewhere : {"behaving:mode=thread", "behaving:mode=fork"}) {
        CAPTURE(elsewhere);
        const host::RunResult r = run_in(registry, elsewhere, "sphere:dim=3", 100);
        CHECK(r.evals == 0);
        CHECK(r.message == "optimizer 'behaving' failed: RuntimeError: the objective serves the process and thread "
                           "that run the optimizer only: evaluations elsewhere would escape the host's count");
    }
    const host::RunResult na = run_in(registry, "behaving:mode=not_applicable", "sphere:dim=3", 100);
    CHECK(na.status == host::RunStatus::not_applicable);
    CHECK(na.message == "this optimizer needs what this problem lacks");
    const host::RunResult lbfgsb = testing::run("scipy_lbfgsb", "no_gradient:dim=3", 100);
    CHECK(lbfgsb.status == host::RunStatus::not_applicable);
    // An objective kept past its run refuses to be used, instead of reaching freed memory.
    CHECK(run_in(registry, "behaving:mode=keep", "sphere:dim=3", 10).status == host::RunStatus::ok);
    const host::RunResult late = run_in(registry, "use_kept", "sphere:dim=3", 10);
    CHECK(late.status == host::RunStatus::error);
    CHECK(late.message.find("RuntimeError: this Objective belongs to a run that has ended") != std::string::npos);
}

TEST_CASE("a Python problem: checked like any problem, solved by C++ optimizers") {
    const host::Registry& registry = testing::registry();
    for (const host::CheckOutcome& outcome :
         host::check_problem(registry, host::parse_spec_list("logistic_regression:dataset=iris").at(0))) {
        INFO(outcome.check, ": ", outcome.detail);
        CHECK(outcome.passed);
    }
    const host::RunResult adam = testing::run("adam", "logistic_regression:dataset=breast_cancer", 3000);
    CHECK(adam.status == host::RunStatus::ok);
    REQUIRE(adam.metric("test_accuracy") != nullptr);
    CHECK(*adam.metric("test_accuracy") > 90);
    const host::RunResult cmaes = testing::run("cmaes", "logistic_regression:dataset=iris", 2000);
    CHECK(cmaes.status == host::RunStatus::ok);
    CHECK(cmaes.evals == 2000);
}

TEST_CASE("a Python problem's selection metric picks the validation-selected checkpoint; a wrong one is refused") {
    testing::TempDir dir;
    const std::string problem = R"py(import numpy as np
import optbench
class Split(optbench.Problem):
    name = "NAME"
    description = "test: a quadratic with a validation and a test loss"
    dimension, lower, upper = 2, -1.0, 1.0
    metrics = [optbench.metric("val_loss", "distance to (0.5, 0.5)", False),
               optbench.metric("test_loss", "distance to (0.4, 0.4)", False)]
    selection_metric = "SELECTS"
    def value(self, x):
        return float(x @ x)
    def holdout_metrics(self, x):
        return {"val_loss": float(np.sum((x - 0.5) ** 2)), "test_loss": float(np.sum((x - 0.4) ** 2))}
optbench.plugin("NAME", "1", Split)
)py";
    const auto with = [&](std::string text, const std::string& name, const std::string& selects) {
        for (const auto& [key, value] : {std::pair{std::string("NAME"), name}, std::pair{std::string("SELECTS"), selects}})
            for (std::size_t at; (at = text.find(key)) != std::string::npos;) text.replace(at, key.size(), value);
        return text;
    };
    write(dir.path() / "selects.py", with(problem, "selects", "val_loss"));
    write(dir.path() / "selects_nothing_declared.py", with(problem, "selects_nothing_declared", "accuracy"));
    const host::Registry registry = registry_with(dir.path());
    const host::RunResult r = run_in(registry, "random_search", "selects", 200);
    REQUIRE(r.status == host::RunStatus::ok);
    REQUIRE(r.metric("selected_val_loss") != nullptr);
    REQUIRE(r.metric("selected_test_loss") != nullptr);
    REQUIRE(r.metric("selected_evals") != nullptr);
    double best_val = INFINITY;
    for (const host::HoldoutRow& row : r.holdout)
        if (row.key == "val_loss") best_val = std::min(best_val, row.value);
    CHECK(*r.metric("selected_val_loss") == best_val);
    bool refused = false;
    for (const std::string& e : registry.load_errors())
        refused = refused || e.find("selection metric 'accuracy': expected one of its hold-out metrics") != std::string::npos;
    CHECK(refused);
}

TEST_CASE("a Python problem that keeps a view of the host's memory is an error, not a silent bug") {
    testing::TempDir dir;
    write(dir.path() / "keeper.py", R"(import optbench
class Keeper(optbench.Problem):
    name = "keeper"
    description = "test: keeps x"
    dimension, lower, upper = 2, -1.0, 1.0
    def value(self, x):
        self.last = x
        return float(x @ x)
optbench.plugin("keeper", "1", Keeper)
)");
    const host::Registry registry = registry_with(dir.path());
    const host::RunResult r = run_in(registry, "random_search", "keeper", 10);
    CHECK(r.status == host::RunStatus::error);
    CHECK(r.message.find("value() kept a reference to its argument 'x'") != std::string::npos);
}

TEST_CASE("campaigns fork their workers after the interpreter started; PYTHONPATH is honoured") {
    testing::TempDir dir;
    fs::create_directories(dir.path() / "plugins");
    fs::create_directories(dir.path() / "site");
    write(dir.path() / "site" / "helper_somewhere_else.py", "STEP = 0.5\n");
    write(dir.path() / "plugins" / "uses_helper.py", R"(import numpy as np
import optbench
import helper_somewhere_else

class Walk(optbench.Optimizer):
    name = "walk"
    description = "test: a random walk with a step from a module found through PYTHONPATH"
    def run(self, objective, seed):
        rng = np.random.default_rng(seed)
        x = optbench.start_point(objective, rng)
        while True:
            x = np.clip(x + helper_somewhere_else.STEP * rng.standard_normal(x.size), objective.lower, objective.upper)
            objective.evaluate(x)

optbench.plugin("uses_helper", "2.1", Walk)
)");
    const std::string out = (dir.path() / "out").string();
    std::string output;
    const int code = testing::shell(
        fmt::format("PYTHONPATH={} OPTBENCH_PLUGIN_PATH={} {} run --optimizers walk,scipy_powell,cyberagent_sepcma "
                    "--problems sphere:dim=3,logistic_regression:dataset=iris --budget 300 --seeds 2 --jobs 2 --out {}",
                    (dir.path() / "site").string(), (dir.path() / "plugins").string(), testing::optbench_exe(), out),
        &output);
    INFO(output);
    REQUIRE(code == 0);
    const host::CsvTable runs = host::parse_csv(host::read_file(fs::path(out) / "runs.csv", "runs.csv"));
    REQUIRE(runs.size() == 13);
    const auto column = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(runs[0].begin(), runs[0].end(), name) - runs[0].begin());
    };
    for (std::size_t i = 1; i < runs.size(); ++i) {
        CAPTURE(runs[i][column("optimizer")]);
        CHECK(runs[i][column("status")] == "ok");
    }
    // provenance.csv: the plugin file, its version and the FNV-1a hash of its text, as for a library.
    const host::CsvTable provenance = host::read_csv(fs::path(out) / "provenance.csv");
    const std::string plugin_file = (dir.path() / "plugins" / "uses_helper.py").string();
    const std::string hash = fmt::format("{:016x}", sdk::fnv1a(host::read_file(plugin_file, "the plugin file")));
    std::size_t recorded = 0;
    for (const auto& row : provenance)
        if (row.at(3) == "uses_helper") {
            CHECK(row.at(4) == "2.1");
            CHECK(row.at(7) == hash);
            CHECK(row.at(11) == plugin_file);
            ++recorded;
        }
    CHECK(recorded == 4);
}

TEST_CASE("optbench list names the interpreter") {
    std::string output;
    REQUIRE(testing::shell(testing::optbench_exe() + " list", &output) == 0);
    CHECK(output.find("\npython plugins (.py): CPython 3.") != std::string::npos);
    CHECK(output.find("  scipy_nelder_mead ") != std::string::npos);
}
