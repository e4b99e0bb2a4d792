// A campaign's results folder (runs.csv, trace.csv, stats.csv) as reports read it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "optbench/host/csv.hpp"
#include "optbench/host/report_stats.hpp"

namespace optbench::host::report {

struct TracePoint {
    double evals = 0;
    double cost = 0;    // evaluations in budget units (gradient evaluations weighted)
    double f = 0;       // the value evaluated at this count (NaN on a closing row)
    double best_f = 0;  // best so far
};

struct StatPoint {
    double evals = 0;
    double value = 0;
};

struct RunRecord {
    std::size_t run_id = 0;
    std::string optimizer;       // spec text, e.g. "cmaes:covariance=sep"
    std::string problem;         // spec text without `instance`: runs of all instances pool
    std::string problem_name;    // e.g. "bbob"
    std::string problem_params;  // as in runs.csv, instance included
    std::int64_t instance = 1;
    std::size_t dim = 0;
    int rep = 1;
    double budget = 0, evals = 0, cost = 0;
    double best_f = 0, f_opt = 0, error = 0;  // NaN where unknown
    std::string status, stop_reason, message;
    double wall_s = 0;                      // the run's wall-clock seconds
    std::map<std::string, double> metrics;  // hold-out metrics present in this run's row
    std::vector<TracePoint> trace;          // in order of evaluations; last row: final count

    bool ok() const { return status == "ok"; }
    // It started and spent evaluations (ok or error): runtime statistics count it, as COCO counts
    // every trial, so that a crash or timeout is a failure, not a run that never happened.
    bool ran() const { return status != "not_applicable"; }
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
    std::map<std::size_t, std::map<std::string, std::vector<StatPoint>>> stats;
    // (problem, optimizer) -> positions in `runs`.
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> pairings;

    std::vector<const RunRecord*> runs_of(const std::string& problem, const std::string& optimizer) const;
    std::vector<const RunRecord*> runs_of(const std::string& problem) const;
    Measure measure(const std::string& problem) const;
    const RunRecord* find(std::size_t run_id) const;
};

// Reads DIR/runs.csv, DIR/trace.csv and DIR/stats.csv. Throws Error naming the file and the
// missing column or bad value.
ResultSet load_results(const std::filesystem::path& dir);
// Only the runs table (no traces or stats), e.g. what `optbench run` just assembled.
ResultSet results_from_runs(const CsvTable& runs, const std::string& source = "runs.csv");

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
