#include "core/optimizer_check.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "core/run.hpp"

namespace optbench::host {

namespace {

class OptimizerChecker {
public:
    OptimizerChecker(const Registry& registry, const Spec& spec, const OptimizerCheckOptions& options)
        : registry_(registry), spec_(spec), options_(options),
          entry_(registry.find(abi::EntryKind::optimizer, spec.name)) {
        for (const char* problem : {"box_quadratic", "finite_sum", "nonfinite", "throwing", "unbounded", "no_gradient"})
            try {
                registry.find(abi::EntryKind::problem, problem);
            } catch (const Error&) {
                throw Error(fmt::format("the check problem '{}' was not found: the check library (conformance.so) "
                                        "belongs in lib/optbench/check-plugins beside the plugin folder; is optbench "
                                        "installed whole?",
                                        problem));
            }
    }

    std::vector<CheckOutcome> run_all() {
        budgets();
        target();
        seeds();
        nonfinite_values();
        throwing_objective();
        dimension_one();
        bounds();
        without_gradient();
        return outcomes_;
    }

private:
    RunResult run(const std::string& problem, double budget, std::uint64_t seed = 1, RunSettings settings = {}) {
        RunSpec spec;
        spec.optimizer = spec_;
        spec.problem = parse_spec_list(problem).at(0);
        spec.seed = seed;
        settings.budget = budget;
        settings.timeout_s = 60;  // a run that never returns is reported, not waited for
        return execute_run(registry_, spec, settings, true);
    }

    void add(std::string check, bool passed, std::string detail) {
        outcomes_.push_back({std::move(check), passed, std::move(detail)});
        if (options_.on_outcome) options_.on_outcome(outcomes_.back());
    }

    // Why a run that should have ended ok did not; empty when it did.
    static std::string not_ok(const std::string& problem, const RunResult& r) {
        if (r.ok()) return "";
        return fmt::format("on {} it ended {} ({}): {}", problem, name_of(r.status), r.stop_reason_text(),
                           r.message.empty() ? "no message" : r.message);
    }

    void budgets() {
        const std::string check = "never over budget (1, 2, 2.5, D+1, 1000 and fractional costs)";
        const std::string problem = "box_quadratic:dim=5";
        std::string spent;
        for (const double budget : {1.0, 2.0, 2.5, 6.0, options_.quick ? 300.0 : 1000.0}) {
            const RunResult r = run(problem, budget);
            if (const std::string why = not_ok(problem, r); !why.empty())
                return add(check, false, fmt::format("budget {}: {}", budget, why));
            if (r.cost > budget || r.evals > budget)
                return add(check, false, fmt::format("budget {}: spent {} evaluations, cost {}", budget, r.evals, r.cost));
            spent += fmt::format("{}{} of {}", spent.empty() ? "" : ", ", r.cost, budget);
        }
        // Minibatch methods spend fractions of an evaluation: the host still never lets them over.
        const std::string finite_sum = "finite_sum:samples=30,dim=3";
        const RunResult fractional = run(finite_sum, 20);
        if (const std::string why = not_ok(finite_sum, fractional); !why.empty()) return add(check, false, why);
        if (fractional.cost > 20 + 1e-9)
            return add(check, false, fmt::format("{} with budget 20: cost {}", finite_sum, fractional.cost));
        add(check, true, fmt::format("spent {}; {} of 20 on {}", spent, fractional.cost, finite_sum));
    }

    void target() {
        const std::string check = "stops when the objective reaches the target";
        RunSettings settings;
        settings.target_error = 1e9;  // the first evaluation reaches it
        const RunResult r = run("box_quadratic:dim=4", 1e6, 1, settings);
        if (const std::string why = not_ok("box_quadratic:dim=4", r); !why.empty()) return add(check, false, why);
        add(check, r.stop_reason_text() == "target" && r.evals < 1000,
            fmt::format("target reached at the first evaluation; the run ended by {} after {} evaluations",
                        r.stop_reason_text(), r.evals));
    }

    void seeds() {
        const std::string problem = "box_quadratic:dim=5";
        const double budget = 300;
        const RunResult a = run(problem, budget, 11), b = run(problem, budget, 11);
        bool same = a.best_f == b.best_f && a.best_x == b.best_x && a.evals == b.evals && a.trace.size() == b.trace.size();
        for (std::size_t i = 0; same && i < a.trace.size(); ++i) same = a.trace[i].best_f == b.trace[i].best_f;
        if (const std::string why = not_ok(problem, a); !why.empty()) return add("same seed, same run", false, why);
        add("same seed, same run", same,
            same ? fmt::format("two runs of seed 11: best f {:.17g} after {} evaluations in both", a.best_f, a.evals)
                 : fmt::format("two runs of seed 11: best f {:.17g} and {:.17g}, {} and {} evaluations, {} and {} trace rows",
                               a.best_f, b.best_f, a.evals, b.evals, a.trace.size(), b.trace.size()));
        if (entry_.entry->capabilities & abi::deterministic) return;
        const RunResult c = run(problem, budget, 12);
        add("another seed, another run", c.best_x != a.best_x,
            fmt::format("best f {:.17g} with seed 11, {:.17g} with seed 12{}", a.best_f, c.best_f,
                        c.best_x == a.best_x ? " at the same point (declare the optimizer deterministic if the seed "
                                               "changes nothing)"
                                             : ""));
    }

    void nonfinite_values() {
        const std::string check = "survives NaN, +inf and -inf values";
        const std::string problem = "nonfinite:dim=3";
        const RunResult r = run(problem, 200);
        if (const std::string why = not_ok(problem, r); !why.empty()) return add(check, false, why);
        add(check, r.nonfinite_evals > 0 && std::isfinite(r.best_f),
            fmt::format("{} non-finite values among {} evaluations; best f {}", r.nonfinite_evals, r.evals, r.best_f));
    }

    void throwing_objective() {
        const std::string check = "an exception in the objective ends the run with an error row";
        const RunResult r = run("throwing:dim=3,after=5", 200);
        const bool named = r.message.find("deliberate failure in evaluation 5") != std::string::npos;
        // A method that converges within four evaluations (L-BFGS-B on this quadratic) never meets it.
        const bool converged_before = r.status == RunStatus::ok && r.evals < 5;
        add(check, converged_before || (r.status == RunStatus::error && named && r.evals <= 5),
            fmt::format("status {} after {} evaluations; message: {}", name_of(r.status), r.evals,
                        r.message.empty() ? "none" : r.message));
    }

    void dimension_one() {
        const std::string check = "works in dimension 1";
        const RunResult r = run("box_quadratic:dim=1", 200);
        if (r.status == RunStatus::not_applicable)  // e.g. CyberAgent's cmaes needs D >= 2
            return add(check, r.message.find("dimension") != std::string::npos,
                       "not_applicable: " + (r.message.empty() ? std::string("no reason given") : r.message) +
                           " (a reason must name the dimension)");
        if (const std::string why = not_ok("box_quadratic:dim=1", r); !why.empty()) return add(check, false, why);
        add(check, r.best_f < 1e9, fmt::format("best f {} after {} evaluations", r.best_f, r.evals));
    }

    void bounds() {
        // box_quadratic throws (an error row) on any point outside its asymmetric box.
        const std::string check = "evaluates only inside the bounds, and copes without bounds";
        const double budget = options_.quick ? 500 : 3000;
        std::string detail;
        for (const char* problem : {"box_quadratic:dim=7", "box_quadratic:dim=2,instance=3"}) {
            const RunResult r = run(problem, budget);
            if (const std::string why = not_ok(problem, r); !why.empty()) return add(check, false, why);
            detail += fmt::format("{}: {} evaluations inside; ", problem, r.evals);
        }
        const RunResult unbounded = run("unbounded:dim=3", 500);
        if (const std::string why = not_ok("unbounded:dim=3", unbounded); !why.empty()) return add(check, false, why);
        add(check, std::isfinite(unbounded.best_f),
            detail + fmt::format("unbounded:dim=3: best f {}", unbounded.best_f));
    }

    void without_gradient() {
        const std::string check = "without a gradient: runs, or ends not_applicable saying why";
        const RunResult r = run("no_gradient:dim=3", 100);
        const bool declared = (entry_.entry->capabilities & abi::needs_gradient) && spec_.params.empty();
        if (r.status == RunStatus::not_applicable)
            return add(check, !r.message.empty(),
                       r.message.empty() ? "not_applicable without a reason" : "not_applicable: " + r.message);
        if (declared)
            return add(check, false, "it declares that it needs gradients, but did not end not_applicable: " +
                                         not_ok("no_gradient:dim=3", r));
        const std::string why = not_ok("no_gradient:dim=3", r);
        add(check, why.empty(), why.empty() ? fmt::format("ran: best f {}", r.best_f) : why);
    }

    const Registry& registry_;
    const Spec& spec_;
    const OptimizerCheckOptions& options_;
    const PluginEntry& entry_;
    std::vector<CheckOutcome> outcomes_;
};

}  // namespace

std::vector<CheckOutcome> check_optimizer(const Registry& registry, const Spec& spec,
                                          const OptimizerCheckOptions& options) {
    return OptimizerChecker(registry, spec, options).run_all();
}

}  // namespace optbench::host
