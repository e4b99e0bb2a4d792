#include "report/summary.hpp"

#include "report/tables.hpp"
#include "results/manifest.hpp"

namespace optbench::host {

std::string summary_markdown(const std::filesystem::path& dir) {
    Declarations declarations;
    if (std::filesystem::exists(dir / "manifest.json")) declarations = read_manifest(dir / "manifest.json").declarations;
    const report::ResultSet results = report::results_from_runs(read_runs(dir / "runs.csv"), std::move(declarations));
    std::string out = report::to_markdown(report::final_table(report::final_statistics(results, 0.05), 0.05));
    const auto metrics = report::metric_statistics(results, 0.05);
    if (!metrics.empty()) out += '\n' + report::to_markdown(report::metric_table(metrics, 0.05));
    const report::Table status = report::status_table(results);
    if (!status.rows.empty()) out += '\n' + report::to_markdown(status);
    return out;
}

}  // namespace optbench::host
