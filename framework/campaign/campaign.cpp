#include "campaign/campaign.hpp"

#include <algorithm>
#include <functional>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/text.hpp"
#include "core/instances.hpp"
#include "results/csv.hpp"
#include "optbench/sdk/params.hpp"

namespace optbench::host {

namespace {

// Beyond this a campaign is a typo rather than a plan: the plan alone would take gigabytes.
constexpr double max_runs = 10'000'000;
// A run's deadline is a steady_clock time point in nanoseconds, which overflows after 292 years.
constexpr double max_timeout_s = 1e9;

std::string trace_mode_name(TraceMode mode) {
    return mode == TraceMode::improvements ? "improvements" : "levels";
}

std::string join_specs(const std::vector<Spec>& specs) {
    std::string text;
    for (const Spec& s : specs) {
        if (!text.empty()) text += ';';
        text += s.text();
    }
    return text;
}

void validate(const PluginEntry& entry, const Spec& spec) {
    try {
        sdk::Params(entry.name(), {entry.entry->params, entry.entry->num_params}, spec.params);
    } catch (const sdk::ParamError& e) {
        throw Error(fmt::format("{} '{}': {}", kind_name(entry.kind()), spec.text(), e.what()));
    }
}

// The optimizer or problem a spec names, however it is spelled: its qualified name and every
// parameter's value, given or default, in declaration order.
std::string identity(const PluginEntry& entry, const Spec& spec) {
    std::string text = fmt::format("{}:{}", kind_name(entry.kind()), entry.qualified_name());
    for (std::size_t i = 0; i < entry.entry->num_params; ++i) {
        const abi::ParamSpec& param = entry.entry->params[i];
        std::string value = param.default_value;
        for (const auto& [key, given] : spec.params)
            if (key == param.name) value = given;
        text += fmt::format(",{}={}", param.name, value);
    }
    return text;
}

}  // namespace

std::string Campaign::canonical() const {
    return fmt::format("optimizers={} problems={} seeds={} {}", join_specs(optimizers), join_specs(problems), seeds,
                       fixed_settings());
}

std::string Campaign::fixed_settings() const {
    return fmt::format("seed={} budget={} grad_cost={} trace={} target={} timeout={}{}{}", seed,
                       csv_number(settings.budget), csv_number(settings.grad_cost), trace_mode_name(settings.trace),
                       csv_number(settings.target_error), csv_number(settings.timeout_s),
                       settings.budget_per_dim > 0 ? " budget_per_dim=" + csv_number(settings.budget_per_dim) : "",
                       // Only when changed: the keys of campaigns run before the setting existed stay as they were.
                       settings.holdout_per_decade != RunSettings{}.holdout_per_decade
                           ? fmt::format(" holdout_every={}", settings.holdout_per_decade)
                           : "");
}

void check_growth(const std::string& folder_key, const Campaign& campaign, const std::string& folder) {
    // The fixed settings close the key, after the lists, whose specs hold no spaces.
    const std::size_t start = folder_key.rfind(" seed=");
    const std::string then = start == std::string::npos ? "" : folder_key.substr(start + 1);
    const std::string now = campaign.fixed_settings();
    if (then == now) return;
    const auto settings_of = [](const std::string& text) {
        std::map<std::string, std::string> values;
        for (const std::string_view field : sdk::detail::split(text, ' ')) {
            const std::size_t equals = field.find('=');
            if (equals != std::string_view::npos)
                values[std::string(field.substr(0, equals))] = std::string(field.substr(equals + 1));
        }
        return values;
    };
    std::map<std::string, std::string> before = settings_of(then), after = settings_of(now);
    std::vector<std::string> changes;
    for (const auto& [name, value] : after)
        if (before[name] != value)
            changes.push_back(fmt::format("{} {} there, {} here", name, before[name].empty() ? "unset" : before[name], value));
    for (const auto& [name, value] : before)
        if (!after.count(name)) changes.push_back(fmt::format("{} {} there, unset here", name, value));
    throw Error(fmt::format("output folder {} holds results of a different campaign ({}): a folder keeps its seed, "
                            "budget, grad_cost, trace, holdout_every, target and timeout, while its optimizers, problems and seeds "
                            "may grow; use another --out or remove it",
                            folder, fmt::join(changes, "; ")));
}

std::vector<RunSpec> with_folder_run_ids(std::vector<RunSpec> plan, const std::vector<RunSpec>& folder_plan,
                                         const std::function<bool(std::size_t)>& finished, const std::string& folder) {
    using Identity = std::tuple<std::string, std::string, int>;
    const auto identity = [](const RunSpec& r) { return Identity{r.optimizer.text(), r.problem.text(), r.rep}; };
    std::map<Identity, std::size_t> kept;
    std::size_t next_id = 0;
    for (const RunSpec& r : folder_plan) {
        kept[identity(r)] = r.run_id;
        next_id = std::max(next_id, r.run_id + 1);
    }
    for (RunSpec& r : plan) {
        if (const auto it = kept.find(identity(r)); it != kept.end()) {
            r.run_id = it->second;
        } else {
            r.run_id = next_id++;
        }
    }
    std::set<Identity> now;
    for (const RunSpec& r : plan) now.insert(identity(r));
    std::vector<const RunSpec*> dropped;
    for (const RunSpec& r : folder_plan)
        if (!now.count(identity(r)) && finished(r.run_id)) dropped.push_back(&r);
    if (!dropped.empty())
        throw Error(fmt::format("output folder {} holds {} this campaign does not have (e.g. {} on {}, repetition {}): "
                                "a folder's optimizers, problems and seeds may grow, not shrink; use another --out or "
                                "remove it",
                                folder, counted(dropped.size(), "finished run"), dropped[0]->optimizer.text(),
                                dropped[0]->problem.text(), dropped[0]->rep));
    return plan;
}

std::vector<RunSpec> plan_runs(const Registry& registry, const Campaign& campaign) {
    const RunSettings& settings = campaign.settings;
    if (settings.budget_per_dim > 0) {
        if (!std::isfinite(settings.budget_per_dim))
            throw Error(fmt::format("budget-per-dim must be finite, got {}", settings.budget_per_dim));
    } else if (!std::isfinite(settings.budget)) {
        throw Error(fmt::format("budget must be a finite number, got {}", settings.budget));
    } else if (!(settings.budget >= 1)) {
        // An evaluation costs 1: a smaller budget would end every run before its first one.
        throw Error(fmt::format("--budget {} allows no evaluation: expected >= 1", settings.budget));
    }
    if (campaign.seeds == 0) throw Error("seeds must be > 0, got 0");
    if (settings.target_error < 0)
        throw Error(fmt::format("target must be >= 0 (an error above f_opt), got {}", settings.target_error));
    if (settings.holdout_per_decade < 0 || settings.holdout_per_decade > max_holdout_per_decade)
        throw Error(fmt::format("holdout-every must be 0 to {} per decade, got {}", max_holdout_per_decade,
                                settings.holdout_per_decade));
    if (!(settings.grad_cost >= 0))
        throw Error(fmt::format("grad_cost must be >= 0, got {}", settings.grad_cost));
    if (settings.timeout_s > max_timeout_s)
        throw Error(fmt::format("--run-timeout {} s is longer than a deadline can be: expected at most {:g} s (31 "
                                "years)",
                                settings.timeout_s, max_timeout_s));
    if (campaign.optimizers.empty()) throw Error("no optimizers given (--optimizers)");
    if (campaign.problems.empty()) throw Error("no problems given (--problems)");

    // Counted before anything is expanded: a typo like --seeds 1000000000 must not exhaust memory.
    double optimizer_count = 0, problem_count = 0;
    for (const Spec& o : campaign.optimizers) optimizer_count += expansion_size(o);
    for (const Spec& p : campaign.problems) problem_count += expansion_size(p);
    const double run_count = optimizer_count * problem_count * static_cast<double>(campaign.seeds);
    if (run_count > max_runs)
        throw Error(fmt::format("the campaign would have {} runs (optimizers x problems x seeds = {} x {} x {}); at "
                                "most {} are allowed",
                                grouped_count(run_count), grouped_count(optimizer_count), grouped_count(problem_count),
                                grouped_count(static_cast<double>(campaign.seeds)), grouped_count(max_runs)));

    const std::vector<Spec> optimizers = expand_all(campaign.optimizers);
    const std::vector<Spec> problems = expand_all(campaign.problems);
    for (const Spec& o : optimizers) validate(registry.find(abi::EntryKind::optimizer, o.name), o);
    std::vector<std::int64_t> instances;
    std::vector<std::size_t> dims;
    for (const Spec& p : problems) {
        const PluginEntry& entry = registry.find(abi::EntryKind::problem, p.name);
        validate(entry, p);
        instances.push_back(instance_of(entry, p));
        const ProblemInstance problem(entry, p.params);
        if (!std::isnan(settings.target_error) && !problem.has(abi::has_optimum_value))
            throw Error(fmt::format("target: runs stop at f_opt + target, but '{}' has no known f_opt; "
                                    "expected only problems with one",
                                    p.text()));
        dims.push_back(problem.dimension());
        const double budget = settings.budget_for(dims.back());
        if (settings.budget_per_dim > 0 && !(budget >= 1 && std::isfinite(budget)))
            throw Error(fmt::format("--budget-per-dim {} {} on '{}' ({} x dim {} = {}): expected a finite budget >= 1",
                                    settings.budget_per_dim, budget < 1 ? "allows no evaluation" : "has no end",
                                    p.text(), settings.budget_per_dim, dims.back(), budget));
    }
    // However it is spelled (qualified or not, parameters in any order, defaults given or not):
    // one optimizer or problem listed twice would only add runs under another seed.
    std::map<std::string, std::string> seen;  // identity -> the spelling seen first
    for (const auto* list : {&optimizers, &problems})
        for (const Spec& s : *list) {
            const auto kind = list == &optimizers ? abi::EntryKind::optimizer : abi::EntryKind::problem;
            const auto [first, added] = seen.emplace(identity(registry.find(kind, s.name), s), s.text());
            if (!added)
                throw Error(s.text() == first->second
                                ? fmt::format("'{}' is listed twice", s.text())
                                : fmt::format("'{}' is listed twice (also as '{}')", s.text(), first->second));
        }

    std::vector<RunSpec> runs;
    for (std::size_t p = 0; p < problems.size(); ++p)
        for (const Spec& o : optimizers)
            for (std::size_t repetition = 1; repetition <= campaign.seeds; ++repetition) {
                const int rep = static_cast<int>(repetition);  // within int: at most max_runs runs
                runs.push_back({runs.size(), o, problems[p], instances[p], dims[p], rep,
                                derive_run_seed(campaign.seed, o, problems[p], rep)});
            }
    return runs;
}

std::vector<RunSpec> shard_of(const std::vector<RunSpec>& runs, std::size_t index, std::size_t count) {
    std::vector<RunSpec> shard;
    for (const RunSpec& run : runs)
        if (run.run_id % count == index) shard.push_back(run);
    return shard;
}

RunProvenance provenance_of(const Registry& registry, const RunSpec& spec) {
    const PluginEntry& optimizer = registry.find(abi::EntryKind::optimizer, spec.optimizer.name);
    const PluginEntry& problem = registry.find(abi::EntryKind::problem, spec.problem.name);
    return {optimizer.library_name, optimizer.library_version, problem.library_name,
            problem.library_version,  optimizer.library_hash,    problem.library_hash,
            optimizer.library_build,  problem.library_build,  optimizer.file.string(),
            problem.file.string()};
}

Manifest manifest_of(const Campaign& campaign, const Registry& registry, std::size_t num_runs,
                     const std::string& shard) {
    Manifest m;
    for (const Spec& s : campaign.optimizers) m.optimizers.push_back(s.text());
    for (const Spec& s : campaign.problems) m.problems.push_back(s.text());
    m.seeds = campaign.seeds;
    m.campaign_seed = campaign.seed;
    m.budget = campaign.settings.budget;
    if (campaign.settings.budget_per_dim > 0) m.budget_per_dim = campaign.settings.budget_per_dim;
    m.grad_cost = campaign.settings.grad_cost;
    m.trace = trace_mode_name(campaign.settings.trace);
    m.holdout_every = campaign.settings.holdout_per_decade;
    m.target_error = campaign.settings.target_error;
    m.run_timeout_s = campaign.settings.timeout_s;
    m.campaign_key = campaign.canonical();
    m.runs = num_runs;
    m.shard = shard;
    m.plugins = registry.libraries();
    for (const Spec& s : expand_all(campaign.optimizers))
        m.declarations.optimizers[s.name] = optimizer_declaration(registry.find(abi::EntryKind::optimizer, s.name));
    for (const Spec& s : expand_all(campaign.problems))
        m.declarations.problems[s.name] = problem_declaration(registry.find(abi::EntryKind::problem, s.name));
    return m;
}

}  // namespace optbench::host
