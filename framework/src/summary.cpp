#include "optbench/host/summary.hpp"

#include "optbench/host/report_tables.hpp"

namespace optbench::host {

std::string summary_markdown(const CsvTable& runs) {
    if (runs.empty()) return "";
    const report::ResultSet results = report::results_from_runs(runs);
    std::string out = report::to_markdown(report::final_table(report::final_statistics(results, 0.05), 0.05));
    const auto metrics = report::metric_statistics(results);
    if (!metrics.empty()) out += '\n' + report::to_markdown(report::metric_table(metrics));
    const report::Table status = report::status_table(results);
    if (!status.rows.empty()) out += '\n' + report::to_markdown(status);
    return out;
}

}  // namespace optbench::host
