// A campaign's results folder (runs.csv, trace.csv, stats.csv, holdout.csv) as reports read it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "report/statistics.hpp"
#include "results/declarations.hpp"
#include "results/run_row.hpp"

namespace optbench::host::report {

// A run as reports group it: its row, and the keys of its pairing.
struct RunRecord : RunRow {
    std::string optimizer;  // spec text, e.g. "cmaes:covariance=sep"
    std::string problem;    // spec text without the instance parameter: runs of all instances pool
};

// A problem's runs are compared on the error best_f - f_opt when every ok run knows f_opt
// and some run that ran does, otherwise on best_f.
enum class Measure { error, best_f };

struct ResultSet {
    std::filesystem::path dir;
    std::vector<RunRecord> runs;              // in runs.csv order
    std::vector<std::string> problems;        // in order of first appearance
    std::vector<std::string> optimizers;      // in order of first appearance
    std::vector<std::string> metric_names;    // hold-out metric columns of runs.csv
    // stats.csv: run_id -> key -> points in order of evaluations.
    std::map<std::size_t, std::map<std::string, std::vector<StatRow>>> stats;
    Declarations declarations;  // from manifest.json; empty for a folder without one
    // Runs whose optimizer or problem library was compiled without optimisation (provenance.csv):
    // their wall times do not compare with the others'.
    std::set<std::size_t> unoptimized_runs;
    // (problem, optimizer) -> positions in `runs`.
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> pairings;

    std::vector<const RunRecord*> runs_of(const std::string& problem, const std::string& optimizer) const;
    std::vector<const RunRecord*> runs_of(const std::string& problem) const;
    Measure measure(const std::string& problem) const;
    const RunRecord* find(std::size_t run_id) const;
    // The value of the run's declared function parameter (a suite's function number); 0 when
    // its problem declares none or the spec does not give it.
    int function_of(const RunRecord& run) const;
};

// Reads DIR/runs.csv, DIR/trace.csv, DIR/stats.csv, DIR/holdout.csv when there is one (into
// each run's `holdout`, in file order) and the declarations of DIR/manifest.json.
// Throws Error naming the file and the missing column or bad value.
ResultSet load_results(const std::filesystem::path& dir);
// Only the runs table (no traces or stats), e.g. what `optbench run` just assembled.
ResultSet results_from_runs(RunTable runs, Declarations declarations);

double measured(Measure measure, const RunRecord& run, double best_f);
double final_value(Measure measure, const RunRecord& run);
// The run against target t on the measure: the cost of the first trace row at or below t,
// or, unsuccessful, the run's whole cost.
RunOutcome outcome(Measure measure, const RunRecord& run, double target);
// Best-so-far on the measure after `cost` (the last trace row at or before it); NaN before
// the first row.
double best_at(Measure measure, const RunRecord& run, double cost);

std::string measure_name(Measure measure);

}  // namespace optbench::host::report
