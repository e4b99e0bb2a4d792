// Report tables: the comparison's statistics rendered as Markdown, LaTeX (booktabs) and CSV.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/cec.hpp"
#include "report/comparison.hpp"
#include "report/data.hpp"
#include "results/run_row.hpp"

namespace optbench::host::report {

struct Cell {
    std::string text;
    bool best = false;  // bold
};

struct Table {
    std::string title;
    std::string note;  // explains marks and columns; printed below the table
    std::vector<std::string> header;
    std::string align;  // 'l' or 'r' per column
    std::vector<std::vector<Cell>> rows;
    std::vector<std::size_t> group_starts;  // first row of each problem: a rule in LaTeX
};

Table final_table(const std::vector<FinalStats>& stats, double alpha);
// For the final table's note: a paragraph for each optimizer whose runs reported the stat
// sdk::own_penalty_stat (not 0), saying that it minimises another function than the problem's;
// "" when none did.
std::string own_penalty_note(const ResultSet& results);
// One table per problem: optimizers x targets.
std::vector<Table> target_tables(const std::vector<TargetStats>& stats);
Table metric_table(const std::vector<MetricStats>& stats, double alpha);
// Runs whose status is not ok, grouped by problem, optimizer, status and message.
Table status_table(const ResultSet& results);
// The runs of a campaign plan (parts/plan.csv) that runs.csv lacks, per problem and optimizer:
// a campaign still running, stopped before its end, or one shard's folder.
Table missing_table(const std::vector<RunSpec>& plan, const ResultSet& results);

// One row per CEC function, dimension and optimizer: best, worst, median, mean, std of the final
// error, and the comparison with the reference.
Table cec_table(const CecComparison& comparison);
std::string cec_csv(const CecComparison& comparison);

std::string to_markdown(const Table& table);
// A booktabs table float (needs \usepackage{booktabs}).
std::string to_latex(const Table& table);

std::string final_csv(const std::vector<FinalStats>& stats);
std::string targets_csv(const std::vector<TargetStats>& stats);
std::string metrics_csv(const std::vector<MetricStats>& stats);
std::string status_csv(const ResultSet& results);

// Four (or the given) significant digits, exponents without padding ("1.234e-5"); "∞", "-" for NaN.
std::string format_number(double value, int significant_digits = 4);

}  // namespace optbench::host::report
