#include "core/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/instances.hpp"
#include "base/text.hpp"
#include "optbench/sdk/rng.hpp"

namespace optbench::host {

std::uint64_t derive_run_seed(std::uint64_t campaign_seed, const Spec& optimizer,
                              const Spec& problem, int rep) {
    const std::string campaign = std::to_string(campaign_seed);
    return sdk::derive_seed({"optbench-run", campaign, optimizer.text(), problem.text()},
                            static_cast<std::uint64_t>(rep));
}

std::int64_t instance_of(const PluginEntry& problem, const Spec& spec) {
    const std::string parameter = problem_declaration(problem).instance_parameter;
    if (parameter.empty()) return 1;
    for (const auto& [key, value] : spec.params)
        if (key == parameter) return sdk::parse_integer(parameter, value);
    for (std::size_t i = 0; i < problem.entry->num_params; ++i)
        if (problem.entry->params[i].name == parameter)
            return sdk::parse_integer(parameter, problem.entry->params[i].default_value);
    return 1;
}

namespace {

// Each metric becomes a runs.csv column of its own, so it must not take another's place; a
// problem that declares its metrics reports only those (some may not apply to an instance).
void check_metric_names(const PluginEntry& entry, const std::vector<std::pair<std::string, double>>& metrics) {
    std::set<std::string> seen;
    for (const auto& [name, value] : metrics) {
        if (name.empty() || is_run_column(name) || name.starts_with(selected_prefix) || !seen.insert(name).second)
            throw Error(fmt::format("problem '{}' reported a hold-out metric named '{}'; expected "
                                    "non-empty names, each once, none a column of runs.csv or starting with '{}'",
                                    entry.name(), name, selected_prefix));
    }
    if (!entry.declarations) return;
    std::set<std::string> declared;
    for (const MetricDeclaration& m : problem_declaration(entry).metrics) declared.insert(m.name);
    for (const std::string& name : seen)
        if (!declared.count(name))
            throw Error(fmt::format("problem '{}' reported the hold-out metric '{}', which it does not declare "
                                    "(declared: {})",
                                    entry.name(), name, declared.empty() ? "none" : fmt::format("{}", fmt::join(declared, ", "))));
}

// The metrics of each checkpoint (each count of the hold-out rows), as the problem reported them.
std::vector<std::vector<std::pair<std::string, double>>> checkpoints_of(const std::vector<HoldoutRow>& holdout) {
    std::vector<std::vector<std::pair<std::string, double>>> checkpoints;
    for (std::size_t i = 0; i < holdout.size(); ++i) {
        if (i == 0 || holdout[i].evals != holdout[i - 1].evals) checkpoints.emplace_back();
        checkpoints.back().emplace_back(holdout[i].key, holdout[i].value);
    }
    return checkpoints;
}

// A stat an optimizer reports without declaring it would have no doc and no place in reports.
void check_stat_keys(const PluginEntry& entry, const std::vector<StatRow>& stats) {
    if (!entry.declarations) return;
    std::set<std::string> declared;
    for (const StatDeclaration& s : optimizer_declaration(entry).stats) declared.insert(s.name);
    for (const StatRow& s : stats)
        if (!declared.count(s.key))
            throw Error(fmt::format("optimizer '{}' reported the stat '{}', which it does not declare (declared: {})",
                                    entry.name(), s.key, declared.empty() ? "none" : fmt::format("{}", fmt::join(declared, ", "))));
}

// Each artifact becomes a file of its own in the results folder, so its name must be a file
// name there and nowhere else.
void check_artifact_names(const std::string& problem,
                          const std::vector<std::pair<std::string, std::string>>& artifacts) {
    std::set<std::string> seen;
    for (const auto& [name, text] : artifacts) {
        if (!is_portable_name(name) || !seen.insert(name).second)
            throw Error(fmt::format("problem '{}' wrote an artifact named '{}'; expected names of letters, "
                                    "digits, '_', '-', '.' that start and end with a letter or digit, each once",
                                    problem, name));
    }
}

}  // namespace

std::vector<std::pair<std::string, double>> selected_metrics(const std::vector<HoldoutRow>& holdout,
                                                             const MetricDeclaration& selection) {
    const HoldoutRow* chosen = nullptr;
    for (const HoldoutRow& row : holdout) {
        if (row.key != selection.name || std::isnan(row.value)) continue;
        if (!chosen || (selection.higher_is_better ? row.value > chosen->value : row.value < chosen->value))
            chosen = &row;
    }
    std::vector<std::pair<std::string, double>> selected;
    if (!chosen) return selected;
    for (const HoldoutRow& row : holdout)
        if (row.evals == chosen->evals) selected.emplace_back(selected_column(row.key), row.value);
    selected.emplace_back(selected_evals_column, chosen->evals);
    return selected;
}

RunResult execute_run(const Registry& registry, const RunSpec& spec, const RunSettings& settings,
                      bool keep_best_x, RunProgress* progress) {
    const auto start = std::chrono::steady_clock::now();
    RunResult result;
    result.spec = spec;
    result.budget = settings.budget_for(spec.dim);
    const auto finish = [&](RunResult& r) -> RunResult& {
        r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    };
    try {
        ProblemInstance problem(registry.find(abi::EntryKind::problem, spec.problem.name),
                                spec.problem.params);
        OptimizerInstance optimizer(registry.find(abi::EntryKind::optimizer, spec.optimizer.name),
                                    spec.optimizer.params);
        result.spec.dim = problem.dimension();
        result.budget = settings.budget_for(result.spec.dim);
        if (problem.has(abi::has_optimum_value)) result.f_opt = problem.info().optimum_value;

        // The deadline counts from the run's start, problem set-up included, as the executor's
        // kill after the grace period does.
        ObjectiveSettings objective_settings;
        objective_settings.budget = result.budget;
        objective_settings.grad_cost = settings.grad_cost;
        objective_settings.trace = settings.trace;
        objective_settings.progress = progress;
        objective_settings.holdout_per_decade = settings.holdout_per_decade;
        if (settings.timeout_s > 0)
            objective_settings.deadline =
                start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(settings.timeout_s));
        if (problem_declaration(problem.entry()).cec_format)
            for (const double fraction : cec_checkpoint_fractions())
                objective_settings.checkpoints.push_back(fraction * result.budget);
        if (!std::isnan(settings.target_error) && !std::isnan(result.f_opt))
            objective_settings.target = result.f_opt + settings.target_error;
        Objective objective(problem, objective_settings);
        const auto [status, message] = optimizer.run(objective.view(), spec.seed);
        objective.finish();

        result.evals = objective.evals();
        result.grad_evals = objective.grad_evals();
        result.cost = objective.cost();
        result.best_f = objective.best_f();
        result.nonfinite_evals = objective.nonfinite_count();
        result.trace = objective.trace();
        result.stats = objective.stats();
        check_stat_keys(optimizer.entry(), result.stats);

        if (objective.problem_failed()) {
            result.status = RunStatus::error;
            result.stop_reason = StopReason::error;
            result.message = objective.problem_error();
        } else if (status == abi::Status::not_applicable) {
            result.status = RunStatus::not_applicable;
            result.stop_reason = StopReason::not_applicable;
            result.message = message;
        } else if (status != abi::Status::ok) {
            result.status = RunStatus::error;
            result.stop_reason = StopReason::error;
            result.message = fmt::format("optimizer '{}' failed: {}", spec.optimizer.name, message);
        } else if (objective.host_stop() == StopReason::timeout) {
            result.status = RunStatus::error;
            result.stop_reason = StopReason::timeout;
            result.message = fmt::format("stopped at the run timeout of {} s after {} evaluations",
                                         settings.timeout_s, result.evals);
        } else if (objective.host_stop()) {
            result.stop_reason = *objective.host_stop();
        } else if (objective.budget_hit() || objective.view().ops->remaining(objective.view().context) < 1) {
            result.stop_reason = StopReason::budget;
        } else {
            result.stop_reason = StopReason::optimizer;
            result.optimizer_stop_reason = objective.optimizer_stop_reason();
        }

        std::vector<std::pair<std::string, double>> final_metrics;
        if (result.ok() && std::isfinite(result.best_f)) {
            final_metrics = objective.final_holdout();
            if (keep_best_x) result.best_x = objective.best_x();
        }
        for (const auto& metrics : checkpoints_of(objective.holdout())) check_metric_names(problem.entry(), metrics);
        result.metrics = std::move(final_metrics);
        result.holdout = objective.holdout();
        const ProblemDeclaration declaration = problem_declaration(problem.entry());
        if (result.ok() && !declaration.selection_metric.empty()) {
            const auto selection = std::find_if(declaration.metrics.begin(), declaration.metrics.end(),
                                                [&](const MetricDeclaration& m) { return m.name == declaration.selection_metric; });
            for (auto& column : selected_metrics(result.holdout, *selection)) result.metrics.push_back(std::move(column));
        }
        auto artifacts = problem.artifacts();
        check_artifact_names(spec.problem.name, artifacts);
        result.artifacts = std::move(artifacts);
    } catch (const std::exception& e) {
        result.status = RunStatus::error;
        result.stop_reason = StopReason::error;
        result.message = e.what();
    }
    if (result.message.find("bad_alloc") != std::string::npos) {
        result.stop_reason = StopReason::out_of_memory;
        result.message = "out of memory: " + result.message;
    }
    return finish(result);
}

}  // namespace optbench::host
