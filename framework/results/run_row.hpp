// The results schema: what one run is (RunRow) and the one column table per file that writes
// and reads it (runs.csv, plan.csv, trace.csv, stats.csv, holdout.csv). Adding a column to runs.csv is one
// field in RunRow and one entry in run_row.cpp's table.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/spec.hpp"

namespace optbench::host {

enum class RunStatus { ok, error, not_applicable };
std::string_view name_of(RunStatus status);
std::optional<RunStatus> parse_run_status(std::string_view text);

// Why a run ended. `optimizer`: the optimizer returned on its own, in its own words
// (RunRow::optimizer_stop_reason; written "optimizer_done" when it gave none).
enum class StopReason { budget, target, timeout, optimizer, error, not_applicable, crash, out_of_memory };

// Which run: the identity columns of runs.csv and plan.csv.
struct RunSpec {
    std::size_t run_id = 0;
    Spec optimizer;
    Spec problem;
    std::int64_t instance = 1;  // the value of the problem's declared instance parameter (1 without one)
    std::size_t dim = 0;
    int rep = 1;                // 1-based repetition
    std::uint64_t seed = 0;
};

struct TraceRow {
    double evals = 0;
    double cost = 0;    // evaluations in budget units (gradient evaluations weighted)
    double f = 0;       // the value evaluated at this count (NaN on a closing row)
    double best_f = 0;  // best so far
    double wall_s = 0;
};

struct StatRow {
    double evals = 0;
    std::string key;
    double value = 0;
};

// A hold-out metric of the best-so-far point at an evaluation count (holdout.csv).
struct HoldoutRow {
    double evals = 0;
    double cost = 0;
    std::string key;
    double value = 0;
};

struct RunRow {
    static constexpr double unknown = std::numeric_limits<double>::quiet_NaN();
    RunSpec spec;
    double budget = 0, evals = 0, grad_evals = 0, cost = 0;
    double best_f = unknown, f_opt = unknown;
    std::uint64_t nonfinite_evals = 0;
    // Hold-out metrics of the final best point, and for a problem that declares a selection
    // metric, each metric at the validation-selected checkpoint (selected_<metric>,
    // selected_evals): columns of runs.csv.
    std::vector<std::pair<std::string, double>> metrics;
    RunStatus status = RunStatus::ok;
    StopReason stop_reason = StopReason::budget;
    std::string optimizer_stop_reason;  // with StopReason::optimizer; "" when it gave none
    std::string message;
    double wall_s = 0;
    std::vector<TraceRow> trace;  // in order of evaluations; the last row is the final count
    std::vector<StatRow> stats;
    std::vector<HoldoutRow> holdout;  // in order of evaluations; the last count is the final one

    // best_f - f_opt; NaN when f_opt is unknown or nothing finite was evaluated.
    double error() const { return std::isfinite(best_f) && !std::isnan(f_opt) ? best_f - f_opt : unknown; }
    bool ok() const { return status == RunStatus::ok; }
    // It started (ok or error): runtime statistics count it, as COCO counts every trial.
    bool ran() const { return status != RunStatus::not_applicable; }
    std::string stop_reason_text() const;
    // Sets stop_reason (and optimizer_stop_reason) from its text in runs.csv.
    void set_stop_reason(std::string_view text);
    const double* metric(std::string_view name) const;
};

// runs.csv: the identity columns, then the run's columns up to nonfinite_evals, the hold-out
// metric columns (sorted by name), then status, stop_reason, message and wall_s.
std::vector<std::string> run_header(const std::vector<std::string>& metric_names);
std::vector<std::string> run_fields(const RunRow& row, const std::vector<std::string>& metric_names);
// The identity columns (run_id first): plan.csv's header, and runs.csv's first columns.
const std::vector<std::string>& identity_columns();
std::vector<std::string> identity_fields(const RunSpec& spec);
// True for runs.csv's own columns, which no hold-out metric may take.
bool is_run_column(std::string_view name);
// The columns derived from the checkpoint a selection metric picks: selected_<metric> for
// each metric, and selected_evals. No declared metric may take the prefix.
inline constexpr std::string_view selected_prefix = "selected_";
std::string selected_column(std::string_view metric);
inline constexpr std::string_view selected_evals_column = "selected_evals";
// The metric a selected_<metric> column was derived from; "" for selected_evals and for any
// other name.
std::string_view selected_source(std::string_view column);

struct RunTable {
    std::vector<std::string> metric_names;  // in column order
    std::vector<RunRow> rows;               // in file order; no trace or stats
};
// Parses runs.csv text; `source` names it in errors (file, line, column, what was expected).
RunTable parse_runs(std::string_view text, const std::string& source);
RunTable read_runs(const std::filesystem::path& file);
// plan.csv: the identity columns of every planned run.
std::string plan_csv(const std::vector<RunSpec>& plan);
std::vector<RunSpec> read_plan(const std::filesystem::path& file);

// trace.csv, stats.csv and holdout.csv: one row per point, run_id first.
const std::vector<std::string>& trace_columns();
const std::vector<std::string>& stats_columns();
const std::vector<std::string>& holdout_columns();
// attempts.csv: a run's attempts that ended without a result (its worker killed from outside).
const std::vector<std::string>& attempt_columns();
std::string trace_lines(std::size_t run_id, const std::vector<TraceRow>& trace);
std::string stats_lines(std::size_t run_id, const std::vector<StatRow>& stats);
std::string holdout_lines(std::size_t run_id, const std::vector<HoldoutRow>& holdout);
void read_trace(const std::filesystem::path& file,
                const std::function<void(std::size_t run_id, TraceRow&&)>& visit);
void read_stats(const std::filesystem::path& file,
                const std::function<void(std::size_t run_id, StatRow&&)>& visit);
void read_holdout(const std::filesystem::path& file,
                  const std::function<void(std::size_t run_id, HoldoutRow&&)>& visit);

}  // namespace optbench::host
