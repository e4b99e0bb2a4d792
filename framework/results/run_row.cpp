#include "results/run_row.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "base/error.hpp"
#include "results/csv.hpp"

namespace optbench::host {

namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 3> status_names = {
    {{RunStatus::ok, "ok"}, {RunStatus::error, "error"}, {RunStatus::not_applicable, "not_applicable"}}};

constexpr std::array<std::pair<StopReason, std::string_view>, 7> stop_reason_names = {
    {{StopReason::budget, "budget"},
     {StopReason::target, "target"},
     {StopReason::timeout, "timeout"},
     {StopReason::error, "error"},
     {StopReason::not_applicable, "not_applicable"},
     {StopReason::crash, "crash"},
     {StopReason::out_of_memory, "out_of_memory"}}};
constexpr std::string_view optimizer_done = "optimizer_done";

std::string wall_seconds(double seconds) { return fmt::format("{:.6f}", seconds); }

// One field of a row being read, with what its errors name.
struct Field {
    std::string_view text;
    std::size_t line, column;
    const CsvColumns& columns;
    double number() const { return columns.number(text, line, column); }
    double count() const { return columns.count(text, line, column); }
    template <class Whole>
    Whole whole() const { return columns.whole<Whole>(text, line, column); }
};

// One column of runs.csv: how a row's field is written, and read back (`read` may be empty for
// a derived column). Columns are read in table order, so a spec's parameters follow its name.
struct RunColumn {
    std::string_view name;
    bool identity;
    std::string (*write)(const RunRow&);
    void (*read)(RunRow&, const Field&);
};

const std::vector<RunColumn> columns_before_metrics = {
    {"run_id", true, [](const RunRow& r) { return std::to_string(r.spec.run_id); },
     [](RunRow& r, const Field& f) { r.spec.run_id = f.whole<std::size_t>(); }},
    {"optimizer", true, [](const RunRow& r) { return r.spec.optimizer.name; },
     [](RunRow& r, const Field& f) { r.spec.optimizer.name = f.text; }},
    {"optimizer_params", true, [](const RunRow& r) { return r.spec.optimizer.params_text(); },
     [](RunRow& r, const Field& f) { r.spec.optimizer = make_spec(r.spec.optimizer.name, f.text); }},
    {"problem", true, [](const RunRow& r) { return r.spec.problem.name; },
     [](RunRow& r, const Field& f) { r.spec.problem.name = f.text; }},
    {"problem_params", true, [](const RunRow& r) { return r.spec.problem.params_text(); },
     [](RunRow& r, const Field& f) { r.spec.problem = make_spec(r.spec.problem.name, f.text); }},
    {"instance", true, [](const RunRow& r) { return std::to_string(r.spec.instance); },
     [](RunRow& r, const Field& f) { r.spec.instance = f.whole<std::int64_t>(); }},
    {"dim", true, [](const RunRow& r) { return std::to_string(r.spec.dim); },
     [](RunRow& r, const Field& f) { r.spec.dim = f.whole<std::size_t>(); }},
    {"rep", true, [](const RunRow& r) { return std::to_string(r.spec.rep); },
     [](RunRow& r, const Field& f) { r.spec.rep = f.whole<int>(); }},
    {"seed", true, [](const RunRow& r) { return std::to_string(r.spec.seed); },
     [](RunRow& r, const Field& f) { r.spec.seed = f.whole<std::uint64_t>(); }},
    {"budget", false, [](const RunRow& r) { return csv_number(r.budget); },
     [](RunRow& r, const Field& f) { r.budget = f.number(); }},
    {"evals", false, [](const RunRow& r) { return csv_number(r.evals); },
     [](RunRow& r, const Field& f) { r.evals = f.count(); }},
    {"grad_evals", false, [](const RunRow& r) { return csv_number(r.grad_evals); },
     [](RunRow& r, const Field& f) { r.grad_evals = f.number(); }},
    {"cost", false, [](const RunRow& r) { return csv_number(r.cost); },
     [](RunRow& r, const Field& f) { r.cost = f.count(); }},
    {"best_f", false, [](const RunRow& r) { return csv_number(r.best_f); },
     [](RunRow& r, const Field& f) { r.best_f = f.number(); }},
    {"f_opt", false, [](const RunRow& r) { return csv_number(r.f_opt); },
     [](RunRow& r, const Field& f) { r.f_opt = f.number(); }},
    {"error", false, [](const RunRow& r) { return csv_number(r.error()); },
     [](RunRow&, const Field& f) { f.number(); }},  // derived from best_f and f_opt: checked, not kept
    {"nonfinite_evals", false, [](const RunRow& r) { return std::to_string(r.nonfinite_evals); },
     [](RunRow& r, const Field& f) { r.nonfinite_evals = f.whole<std::uint64_t>(); }},
};

const std::vector<RunColumn> columns_after_metrics = {
    {"status", false, [](const RunRow& r) { return std::string(name_of(r.status)); },
     [](RunRow& r, const Field& f) {
         const auto status = parse_run_status(f.text);
         if (!status) f.columns.reject(f.text, f.line, f.column, "ok, error or not_applicable");
         r.status = *status;
     }},
    {"stop_reason", false, [](const RunRow& r) { return r.stop_reason_text(); },
     [](RunRow& r, const Field& f) { r.set_stop_reason(f.text); }},
    {"message", false, [](const RunRow& r) { return r.message; },
     [](RunRow& r, const Field& f) { r.message = f.text; }},
    {"wall_s", false, [](const RunRow& r) { return wall_seconds(r.wall_s); },
     [](RunRow& r, const Field& f) { r.wall_s = f.count(); }},
};

template <class Row>
void read_long_csv(const std::filesystem::path& file, const std::vector<std::string>& names,
                   const std::function<void(std::size_t, Row&&)>& visit,
                   void (*read)(Row&, const std::vector<std::string_view>&, const std::vector<std::size_t>&,
                                std::size_t, const CsvColumns&)) {
    const std::string text = read_file(file);
    std::optional<CsvColumns> columns;
    std::vector<std::size_t> at;
    std::vector<std::string_view> values(names.size());
    for_each_csv_row(text, [&](const std::vector<std::string_view>& fields, std::size_t line) {
        if (!columns) {
            columns.emplace(std::vector<std::string>(fields.begin(), fields.end()), file.string());
            for (const std::string& name : names) at.push_back(columns->require(name));
            return;
        }
        columns->check_width(fields.size(), line);
        Row row;
        read(row, fields, at, line, *columns);
        visit(columns->whole<std::size_t>(fields[at[0]], line, at[0]), std::move(row));
    });
    if (!columns) throw Error(fmt::format("{}: empty file, expected a header row", file.string()));
}

}  // namespace

std::string_view name_of(RunStatus status) {
    for (const auto& [s, name] : status_names)
        if (s == status) return name;
    return "error";
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
    for (const auto& [s, name] : status_names)
        if (name == text) return s;
    return std::nullopt;
}

std::string RunRow::stop_reason_text() const {
    if (stop_reason == StopReason::optimizer)
        return optimizer_stop_reason.empty() ? std::string(optimizer_done) : optimizer_stop_reason;
    for (const auto& [reason, name] : stop_reason_names)
        if (reason == stop_reason) return std::string(name);
    return "error";
}

void RunRow::set_stop_reason(std::string_view text) {
    for (const auto& [reason, name] : stop_reason_names)
        if (name == text) {
            stop_reason = reason;
            optimizer_stop_reason.clear();
            return;
        }
    stop_reason = StopReason::optimizer;
    optimizer_stop_reason = text == optimizer_done ? "" : std::string(text);
}

const double* RunRow::metric(std::string_view name) const {
    for (const auto& [key, value] : metrics)
        if (key == name) return &value;
    return nullptr;
}

std::vector<std::string> run_header(const std::vector<std::string>& metric_names) {
    std::vector<std::string> header;
    for (const RunColumn& c : columns_before_metrics) header.emplace_back(c.name);
    header.insert(header.end(), metric_names.begin(), metric_names.end());
    for (const RunColumn& c : columns_after_metrics) header.emplace_back(c.name);
    return header;
}

std::vector<std::string> run_fields(const RunRow& row, const std::vector<std::string>& metric_names) {
    std::vector<std::string> fields;
    for (const RunColumn& c : columns_before_metrics) fields.push_back(c.write(row));
    for (const std::string& name : metric_names) {
        const double* value = row.metric(name);
        fields.push_back(value ? csv_number(*value) : "");
    }
    for (const RunColumn& c : columns_after_metrics) fields.push_back(c.write(row));
    return fields;
}

const std::vector<std::string>& identity_columns() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const RunColumn& c : columns_before_metrics)
            if (c.identity) out.emplace_back(c.name);
        return out;
    }();
    return names;
}

std::vector<std::string> identity_fields(const RunSpec& spec) {
    RunRow row;
    row.spec = spec;
    std::vector<std::string> fields;
    for (const RunColumn& c : columns_before_metrics)
        if (c.identity) fields.push_back(c.write(row));
    return fields;
}

bool is_run_column(std::string_view name) {
    for (const auto* columns : {&columns_before_metrics, &columns_after_metrics})
        for (const RunColumn& c : *columns)
            if (c.name == name) return true;
    return false;
}

std::string selected_column(std::string_view metric) { return std::string(selected_prefix) + std::string(metric); }

std::string_view selected_source(std::string_view column) {
    if (!column.starts_with(selected_prefix) || column == selected_evals_column) return {};
    return column.substr(selected_prefix.size());
}

RunTable parse_runs(std::string_view text, const std::string& source) {
    RunTable table;
    std::optional<CsvColumns> columns;
    std::vector<std::pair<const RunColumn*, std::size_t>> readers;
    std::vector<std::size_t> metric_at;
    std::set<std::size_t> seen;
    for_each_csv_row(text, [&](const std::vector<std::string_view>& fields, std::size_t line) {
        if (!columns) {
            columns.emplace(std::vector<std::string>(fields.begin(), fields.end()), source);
            for (const auto* list : {&columns_before_metrics, &columns_after_metrics})
                for (const RunColumn& c : *list) readers.emplace_back(&c, columns->require(c.name));
            const std::size_t first = columns->require("nonfinite_evals") + 1, last = columns->require("status");
            for (std::size_t i = first; i < last; ++i) {
                metric_at.push_back(i);
                table.metric_names.push_back(columns->header()[i]);
            }
            return;
        }
        columns->check_width(fields.size(), line);
        RunRow row;
        for (const auto& [column, at] : readers) column->read(row, Field{fields[at], line, at, *columns});
        for (std::size_t i : metric_at) {
            const double v = columns->number(fields[i], line, i);
            if (!std::isnan(v)) row.metrics.emplace_back(columns->header()[i], v);
        }
        if (!seen.insert(row.spec.run_id).second)
            throw Error(fmt::format("{} line {}: run_id {} appears twice", source, line, row.spec.run_id));
        if (row.ran() && row.spec.dim == 0)
            throw Error(fmt::format("{} line {}: dim 0 in a run with status {}, expected at least 1", source, line,
                                    name_of(row.status)));
        table.rows.push_back(std::move(row));
    });
    if (!columns) throw Error(fmt::format("{}: empty file, expected a header row", source));
    return table;
}

RunTable read_runs(const std::filesystem::path& file) { return parse_runs(read_file(file), file.string()); }

std::string plan_csv(const std::vector<RunSpec>& plan) {
    std::string csv = csv_line(identity_columns());
    for (const RunSpec& spec : plan) csv += csv_line(identity_fields(spec));
    return csv;
}

std::vector<RunSpec> read_plan(const std::filesystem::path& file) {
    std::vector<RunSpec> plan;
    std::optional<CsvColumns> columns;
    for_each_csv_row(read_file(file), [&](const std::vector<std::string_view>& fields, std::size_t line) {
        if (!columns) {
            columns.emplace(std::vector<std::string>(fields.begin(), fields.end()), file.string());
            for (std::size_t i = 0; i < identity_columns().size(); ++i)
                if (columns->require(identity_columns()[i]) != i)
                    throw Error(fmt::format("{}: expected the header {}", file.string(),
                                            fmt::join(identity_columns(), ",")));
            return;
        }
        columns->check_width(fields.size(), line);
        RunRow row;
        for (std::size_t i = 0; i < columns_before_metrics.size() && columns_before_metrics[i].identity; ++i)
            columns_before_metrics[i].read(row, Field{fields[i], line, i, *columns});
        plan.push_back(std::move(row.spec));
    });
    return plan;
}

const std::vector<std::string>& trace_columns() {
    static const std::vector<std::string> names = {"run_id", "evals", "cost", "f", "best_f", "wall_s"};
    return names;
}

const std::vector<std::string>& stats_columns() {
    static const std::vector<std::string> names = {"run_id", "evals", "key", "value"};
    return names;
}

const std::vector<std::string>& holdout_columns() {
    static const std::vector<std::string> names = {"run_id", "evals", "cost", "key", "value"};
    return names;
}

const std::vector<std::string>& attempt_columns() {
    static const std::vector<std::string> names = {"run_id", "attempt", "ended", "message"};
    return names;
}

std::string trace_lines(std::size_t run_id, const std::vector<TraceRow>& trace) {
    const std::string id = std::to_string(run_id);
    std::string out;
    for (const TraceRow& t : trace)
        out += csv_line({id, csv_number(t.evals), csv_number(t.cost), csv_number(t.f), csv_number(t.best_f),
                         wall_seconds(t.wall_s)});
    return out;
}

std::string stats_lines(std::size_t run_id, const std::vector<StatRow>& stats) {
    const std::string id = std::to_string(run_id);
    std::string out;
    for (const StatRow& s : stats) out += csv_line({id, csv_number(s.evals), s.key, csv_number(s.value)});
    return out;
}

std::string holdout_lines(std::size_t run_id, const std::vector<HoldoutRow>& holdout) {
    const std::string id = std::to_string(run_id);
    std::string out;
    for (const HoldoutRow& h : holdout)
        out += csv_line({id, csv_number(h.evals), csv_number(h.cost), h.key, csv_number(h.value)});
    return out;
}

void read_trace(const std::filesystem::path& file, const std::function<void(std::size_t, TraceRow&&)>& visit) {
    read_long_csv<TraceRow>(file, trace_columns(), visit,
                            [](TraceRow& t, const std::vector<std::string_view>& v, const std::vector<std::size_t>& at,
                               std::size_t line, const CsvColumns& c) {
                                t = {c.count(v[at[1]], line, at[1]), c.count(v[at[2]], line, at[2]),
                                     c.number(v[at[3]], line, at[3]), c.number(v[at[4]], line, at[4]),
                                     c.number(v[at[5]], line, at[5])};
                            });
}

void read_stats(const std::filesystem::path& file, const std::function<void(std::size_t, StatRow&&)>& visit) {
    read_long_csv<StatRow>(file, stats_columns(), visit,
                           [](StatRow& s, const std::vector<std::string_view>& v, const std::vector<std::size_t>& at,
                              std::size_t line, const CsvColumns& c) {
                               s = {c.number(v[at[1]], line, at[1]), std::string(v[at[2]]),
                                    c.number(v[at[3]], line, at[3])};
                           });
}

void read_holdout(const std::filesystem::path& file, const std::function<void(std::size_t, HoldoutRow&&)>& visit) {
    read_long_csv<HoldoutRow>(file, holdout_columns(), visit,
                              [](HoldoutRow& h, const std::vector<std::string_view>& v, const std::vector<std::size_t>& at,
                                 std::size_t line, const CsvColumns& c) {
                                  h = {c.count(v[at[1]], line, at[1]), c.count(v[at[2]], line, at[2]),
                                       std::string(v[at[3]]), c.number(v[at[4]], line, at[4])};
                              });
}

}  // namespace optbench::host
