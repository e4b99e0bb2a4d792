#include "optbench/host/summary.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "optbench/host/campaign.hpp"

namespace optbench::host {

namespace {

double median(std::vector<double> v) {
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string format_value(double v) {
    if (std::isnan(v)) return "-";
    return fmt::format("{:.4g}", v);
}

}  // namespace

std::string summary_markdown(const CsvTable& runs) {
    if (runs.empty()) return "";
    const auto& header = runs[0];
    const auto column = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    std::vector<std::string> metrics;
    const std::size_t first_metric = column("nonfinite_evals") + 1, status_column = column("status");
    for (std::size_t i = first_metric; i < status_column && i < header.size(); ++i)
        metrics.push_back(header[i]);
    std::vector<std::string> value_columns = {"best_f", "error", "evals", "wall_s"};
    value_columns.insert(value_columns.end(), metrics.begin(), metrics.end());

    struct Group {
        std::size_t runs = 0, ok = 0;
        std::map<std::string, std::vector<double>> values;
    };
    std::vector<std::pair<std::string, std::string>> order;
    std::map<std::pair<std::string, std::string>, Group> groups;
    const auto spec = [](const std::string& name, const std::string& params) {
        return params.empty() ? name : name + ":" + params;
    };
    for (std::size_t r = 1; r < runs.size(); ++r) {
        const auto& row = runs[r];
        const auto key = std::make_pair(spec(row[column("problem")], row[column("problem_params")]),
                                        spec(row[column("optimizer")], row[column("optimizer_params")]));
        if (!groups.count(key)) order.push_back(key);
        Group& g = groups[key];
        ++g.runs;
        if (row[status_column] != "ok") continue;
        ++g.ok;
        for (const std::string& name : value_columns) {
            const std::string& text = row[column(name)];
            if (!text.empty()) g.values[name].push_back(std::strtod(text.c_str(), nullptr));
        }
    }
    std::string out = "| problem | optimizer | runs | ok |";
    for (const std::string& name : value_columns) out += " median " + name + " |";
    out += "\n|---|---|---:|---:|";
    for (std::size_t i = 0; i < value_columns.size(); ++i) out += "---:|";
    out += "\n";
    for (const auto& key : order) {
        const Group& g = groups[key];
        out += fmt::format("| {} | {} | {} | {} |", key.first, key.second, g.runs, g.ok);
        for (const std::string& name : value_columns) {
            const auto it = g.values.find(name);
            out += fmt::format(" {} |", format_value(it == g.values.end()
                                                         ? std::numeric_limits<double>::quiet_NaN()
                                                         : median(it->second)));
        }
        out += "\n";
    }
    return out;
}

}  // namespace optbench::host
