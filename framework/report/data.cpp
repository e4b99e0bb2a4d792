#include "report/data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "base/error.hpp"
#include "results/csv.hpp"
#include "results/manifest.hpp"
#include "results/provenance.hpp"

namespace optbench::host::report {

namespace fs = std::filesystem;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string without_parameter(const Spec& spec, const std::string& parameter) {
    Spec kept{spec.name, {}};
    for (const auto& [key, value] : spec.params)
        if (key != parameter) kept.params.emplace_back(key, value);
    return kept.text();
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

ResultSet results_from_runs(RunTable table, Declarations declarations) {
    ResultSet set;
    set.metric_names = std::move(table.metric_names);
    set.declarations = std::move(declarations);
    for (RunRow& row : table.rows) {
        RunRecord r;
        static_cast<RunRow&>(r) = std::move(row);
        r.optimizer = r.spec.optimizer.text();
        const std::string& instance = set.declarations.problem(r.spec.problem.name).instance_parameter;
        r.problem = instance.empty() ? r.spec.problem.text() : without_parameter(r.spec.problem, instance);
        add_unique(set.problems, r.problem);
        add_unique(set.optimizers, r.optimizer);
        set.pairings[{r.problem, r.optimizer}].push_back(set.runs.size());
        set.runs.push_back(std::move(r));
    }
    return set;
}

ResultSet load_results(const fs::path& dir) {
    if (fs::exists(dir) && !fs::is_directory(dir))
        throw Error(fmt::format("results folder {} is a file: expected the folder optbench run wrote (its --out)",
                                dir.string()));
    if (!fs::is_directory(dir))
        throw Error(fmt::format("results folder {} does not exist (expected the --out of optbench run)",
                                dir.string()));
    for (const char* name : {"runs.csv", "trace.csv", "stats.csv"})
        if (!fs::exists(dir / name))
            throw Error(fmt::format("{}: missing; {} does not look like a finished optbench run "
                                    "(runs.csv, trace.csv, stats.csv)",
                                    (dir / name).string(), dir.string()));
    Declarations declarations;
    if (fs::exists(dir / "manifest.json")) declarations = read_manifest(dir / "manifest.json").declarations;
    ResultSet set = results_from_runs(read_runs(dir / "runs.csv"), std::move(declarations));
    set.dir = dir;
    std::unordered_map<std::size_t, RunRecord*> by_id;
    for (RunRecord& r : set.runs) by_id[r.spec.run_id] = &r;
    const auto run_of = [&](std::size_t run_id, const fs::path& file) {
        const auto it = by_id.find(run_id);
        if (it == by_id.end())
            throw Error(fmt::format("{}: run_id {} is not in runs.csv", file.string(), run_id));
        return it->second;
    };
    read_trace(dir / "trace.csv", [&](std::size_t run_id, TraceRow&& t) {
        run_of(run_id, dir / "trace.csv")->trace.push_back(std::move(t));
    });
    for (RunRecord& r : set.runs)
        std::stable_sort(r.trace.begin(), r.trace.end(),
                         [](const TraceRow& a, const TraceRow& b) { return a.cost < b.cost; });
    read_stats(dir / "stats.csv", [&](std::size_t run_id, StatRow&& s) {
        set.stats[run_of(run_id, dir / "stats.csv")->spec.run_id][s.key].push_back(std::move(s));
    });
    // Only folders where some run computed hold-out metrics have one.
    if (fs::exists(dir / "holdout.csv"))
        read_holdout(dir / "holdout.csv", [&](std::size_t run_id, HoldoutRow&& h) {
            run_of(run_id, dir / "holdout.csv")->holdout.push_back(std::move(h));
        });
    if (fs::exists(dir / "provenance.csv")) {
        const CsvTable provenance = read_csv(dir / "provenance.csv");
        for (std::size_t i = 1; i < provenance.size(); ++i) {
            const RunProvenance run = recorded_libraries(provenance[i]);
            if (run.optimizer_build == "unoptimized" || run.problem_build == "unoptimized")
                set.unoptimized_runs.insert(std::stoul(provenance[i][0]));
        }
    }
    return set;
}

std::vector<const RunRecord*> ResultSet::runs_of(const std::string& problem,
                                                 const std::string& optimizer) const {
    std::vector<const RunRecord*> out;
    const auto it = pairings.find({problem, optimizer});
    if (it != pairings.end())
        for (std::size_t i : it->second) out.push_back(&runs[i]);
    return out;
}

std::vector<const RunRecord*> ResultSet::runs_of(const std::string& problem) const {
    std::vector<const RunRecord*> out;
    for (const std::string& optimizer : optimizers) {
        const auto some = runs_of(problem, optimizer);
        out.insert(out.end(), some.begin(), some.end());
    }
    return out;
}

Measure ResultSet::measure(const std::string& problem) const {
    bool known = false;  // by some run that ran: a crashed process's row cannot know f_opt
    for (const RunRecord* r : runs_of(problem)) {
        if (r->ok() && std::isnan(r->f_opt)) return Measure::best_f;
        known = known || (r->ran() && !std::isnan(r->f_opt));
    }
    return known ? Measure::error : Measure::best_f;
}

const RunRecord* ResultSet::find(std::size_t run_id) const {
    for (const RunRecord& r : runs)
        if (r.spec.run_id == run_id) return &r;
    return nullptr;
}

int ResultSet::function_of(const RunRecord& run) const {
    const std::string& parameter = declarations.problem(run.spec.problem.name).function_parameter;
    if (parameter.empty()) return 0;
    for (const auto& [key, value] : run.spec.problem.params)
        if (key == parameter) return std::atoi(value.c_str());
    return 0;
}

double measured(Measure measure, const RunRecord& run, double best_f) {
    return measure == Measure::error ? best_f - run.f_opt : best_f;
}

double final_value(Measure measure, const RunRecord& run) {
    if (measure == Measure::error && !std::isnan(run.error())) return run.error();
    return measured(measure, run, run.best_f);
}

RunOutcome outcome(Measure measure, const RunRecord& run, double target) {
    for (const TraceRow& t : run.trace)
        if (measured(measure, run, t.best_f) <= target) return {t.cost, true};
    return {run.cost, false};
}

double best_at(Measure measure, const RunRecord& run, double cost) {
    const auto after = std::upper_bound(run.trace.begin(), run.trace.end(), cost,
                                        [](double c, const TraceRow& t) { return c < t.cost; });
    if (after == run.trace.begin()) return nan;
    return measured(measure, run, std::prev(after)->best_f);
}

std::string measure_name(Measure measure) {
    return measure == Measure::error ? "error" : "best f";
}

}  // namespace optbench::host::report
