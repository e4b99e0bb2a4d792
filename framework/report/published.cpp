#include "report/published.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/spec.hpp"
#include "results/csv.hpp"

namespace optbench::host::report {

namespace {

// A spec's name and parameters regardless of their order.
std::pair<std::string, std::vector<std::pair<std::string, std::string>>> unordered(const Spec& spec) {
    auto params = spec.params;
    std::sort(params.begin(), params.end());
    return {spec.name, params};
}

}  // namespace

std::vector<PublishedValue> read_published(const std::filesystem::path& file) {
    const std::string text = read_file(file);
    std::vector<PublishedValue> values;
    std::optional<CsvColumns> columns;
    std::size_t label = 0, problem = 0, runs = 0, error = 0, source = 0;
    for_each_csv_row(text, [&](const std::vector<std::string_view>& fields, std::size_t line) {
        if (!columns) {
            columns.emplace(std::vector<std::string>(fields.begin(), fields.end()), file.string());
            for (const char* name : {"label", "problem", "runs", "error", "source"})
                if (!columns->has(name))
                    throw Error(fmt::format("{}: no column '{}', expected the header label,problem,runs,error,source",
                                            file.string(), name));
            label = columns->require("label");
            problem = columns->require("problem");
            runs = columns->require("runs");
            error = columns->require("error");
            source = columns->require("source");
            return;
        }
        columns->check_width(fields.size(), line);
        PublishedValue v;
        v.label = std::string(fields[label]);
        v.problem = std::string(fields[problem]);
        if (v.label.empty()) columns->reject(fields[label], line, label, "a label naming who published the value");
        try {
            if (parse_spec_list(v.problem).size() != 1) throw Error("several specs");
        } catch (const Error&) {
            columns->reject(fields[problem], line, problem, "one problem spec, e.g. rastrigin:dim=10");
        }
        v.runs = columns->whole<std::size_t>(fields[runs], line, runs);
        if (v.runs == 0) columns->reject(fields[runs], line, runs, "a whole number >= 1");
        v.error = columns->count(fields[error], line, error);
        v.source = std::string(fields[source]);
        values.push_back(std::move(v));
    });
    if (!columns) throw Error(fmt::format("{}: empty file, expected the header label,problem,runs,error,source", file.string()));
    if (values.empty()) throw Error(fmt::format("{}: no published value below the header", file.string()));
    return values;
}

std::vector<PublishedRow> published_comparison(const ResultSet& results, const std::vector<PublishedValue>& published) {
    std::vector<PublishedRow> rows;
    for (const PublishedValue& value : published) {
        PublishedRow row{value, "", {}};
        const auto wanted = unordered(parse_spec_list(value.problem).front());
        for (const std::string& problem : results.problems)
            if (unordered(parse_spec_list(problem).front()) == wanted) row.problem = problem;
        if (!row.problem.empty() && results.measure(row.problem) != Measure::error)
            throw Error(fmt::format("published values are final errors, but the runs of {} do not know f_opt",
                                    row.problem));
        for (const std::string& optimizer : results.optimizers) {
            PublishedCell cell{optimizer};
            std::vector<double> errors;
            if (!row.problem.empty())
                for (const RunRecord* run : results.runs_of(row.problem, optimizer))
                    if (run->status == RunStatus::ok) errors.push_back(final_value(Measure::error, *run));
            cell.runs = errors.size();
            if (!errors.empty()) {
                cell.median = quantile(errors, 0.5);
                cell.best = *std::min_element(errors.begin(), errors.end());
                cell.worst = *std::max_element(errors.begin(), errors.end());
                for (double e : errors) {
                    cell.below += e < value.error;
                    cell.ties += e == value.error;
                }
            }
            row.cells.push_back(cell);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Table published_table(const std::vector<PublishedRow>& rows) {
    Table t;
    t.title = "Published values beside these runs";
    t.note = "published: a final error f - f_opt others published (label, and the runs behind it). For each "
             "optimizer here: the median [best, worst] final error of its ok runs, and how many of them ended "
             "below the published value (ties in brackets). One published run set among a distribution of "
             "runs shows how typical it would be here; it is not a test of a difference between the methods.";
    t.header = {"problem", "published by", "runs", "published"};
    t.align = "lllr";
    if (!rows.empty())
        for (const PublishedCell& cell : rows.front().cells) {
            t.header.push_back(cell.optimizer + " median [best, worst]");
            t.header.push_back(cell.optimizer + " below");
            t.align += "rr";
        }
    for (const PublishedRow& row : rows) {
        std::vector<Cell> cells{{row.published.problem}, {row.published.label}, {std::to_string(row.published.runs)},
                                {format_number(row.published.error)}};
        for (const PublishedCell& cell : row.cells) {
            if (cell.runs == 0) {
                cells.push_back({"no run"});
                cells.push_back({"-"});
                continue;
            }
            cells.push_back({fmt::format("{} [{}, {}]", format_number(cell.median), format_number(cell.best),
                                         format_number(cell.worst))});
            cells.push_back({fmt::format("{}/{}{}", cell.below, cell.runs, cell.ties ? fmt::format(" ({})", cell.ties) : "")});
        }
        t.rows.push_back(std::move(cells));
    }
    return t;
}

std::string published_csv(const std::vector<PublishedRow>& rows) {
    std::string csv = csv_line({"problem", "published_by", "published_runs", "published_error", "source", "optimizer",
                                "runs", "median", "best", "worst", "runs_below", "runs_tied"});
    for (const PublishedRow& row : rows)
        for (const PublishedCell& cell : row.cells)
            csv += csv_line({row.published.problem, row.published.label, std::to_string(row.published.runs),
                             csv_number(row.published.error), row.published.source, cell.optimizer,
                             std::to_string(cell.runs), cell.runs ? csv_number(cell.median) : "",
                             cell.runs ? csv_number(cell.best) : "", cell.runs ? csv_number(cell.worst) : "",
                             std::to_string(cell.below), std::to_string(cell.ties)});
    return csv;
}

}  // namespace optbench::host::report
