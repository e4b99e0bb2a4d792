#include "optbench/host/report_data.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "optbench/host/error.hpp"
#include "optbench/sdk/params.hpp"

namespace optbench::host::report {

namespace fs = std::filesystem;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Columns by name for one CSV file, with errors that name the file, line and column.
class Columns {
public:
    Columns(const std::vector<std::string>& header, std::string source)
        : header_(header), source_(std::move(source)) {
        for (std::size_t i = 0; i < header.size(); ++i) index_[header[i]] = i;
    }
    std::size_t require(const std::string& name) const {
        const auto it = index_.find(name);
        if (it == index_.end())
            throw Error(fmt::format("{}: no column '{}' (expected a file written by optbench run)",
                                    source_, name));
        return it->second;
    }
    void check_width(std::size_t fields, std::size_t line) const {
        if (fields != header_.size())
            throw Error(fmt::format("{} line {}: {} fields, the header has {}", source_, line, fields,
                                    header_.size()));
    }
    // Empty text is NaN (unknown); anything else must be a number ("inf" allowed).
    double number(std::string_view text, std::size_t line, std::string_view column) const {
        if (text.empty()) return nan;
        const std::string t(text);
        char* end = nullptr;
        const double v = std::strtod(t.c_str(), &end);
        if (end != t.c_str() + t.size())
            throw Error(fmt::format("{} line {} column {}: '{}' is not a number", source_, line, column, t));
        return v;
    }
    // An evaluation count, cost or duration: finite and >= 0.
    double count(std::string_view text, std::size_t line, std::string_view column) const {
        const double v = number(text, line, column);
        if (!(v >= 0 && std::isfinite(v)))
            throw Error(fmt::format("{} line {} column {}: '{}', expected a finite number >= 0", source_, line,
                                    column, text));
        return v;
    }
    const std::vector<std::string>& header() const { return header_; }
    const std::string& source() const { return source_; }

private:
    std::vector<std::string> header_;
    std::string source_;
    std::unordered_map<std::string, std::size_t> index_;
};

// Calls visit(values, line) for every data row of `file`, values[i] being the field of column
// names[i]. trace.csv and stats.csv can hold millions of rows, so they are split in place
// rather than turned into a table of strings; only a row with a quote takes the full parser.
template <std::size_t N, class Visit>
void stream_csv(const fs::path& file, const std::array<const char*, N>& names, Visit visit) {
    const std::string text = read_file(file);
    std::vector<std::string_view> fields;
    std::vector<std::string> unquoted;
    std::optional<Columns> columns;
    std::array<std::size_t, N> at{};
    std::array<std::string_view, N> values;
    std::size_t line = 0;
    for (std::size_t start = 0; start < text.size();) {
        // A quoted field may hold newlines: a row ends at the first newline outside quotes.
        std::size_t end = start, quotes = 0;
        do {
            const std::size_t from = end;
            end = std::min(text.find('\n', end), text.size());
            quotes += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(from),
                                                          text.begin() + static_cast<std::ptrdiff_t>(end), '"'));
            if (quotes % 2) ++end;
        } while (quotes % 2 && end < text.size());
        std::string_view row(text.data() + start, std::min(end, text.size()) - start);
        const std::size_t first_line = ++line;
        line += static_cast<std::size_t>(std::count(row.begin(), row.end(), '\n'));
        start = end + 1;
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        if (row.empty()) continue;
        fields.clear();
        if (row.find('"') == std::string_view::npos) {
            for (std::size_t from = 0;;) {
                const std::size_t comma = row.find(',', from);
                fields.push_back(row.substr(from, comma == std::string_view::npos ? row.size() - from : comma - from));
                if (comma == std::string_view::npos) break;
                from = comma + 1;
            }
        } else {
            unquoted = parse_csv(row).at(0);
            fields.assign(unquoted.begin(), unquoted.end());
        }
        if (!columns) {
            columns.emplace(std::vector<std::string>(fields.begin(), fields.end()), file.string());
            for (std::size_t i = 0; i < N; ++i) at[i] = columns->require(names[i]);
            continue;
        }
        columns->check_width(fields.size(), first_line);
        for (std::size_t i = 0; i < N; ++i) values[i] = fields[at[i]];
        visit(values, first_line, *columns);
    }
    if (!columns) throw Error(fmt::format("{}: empty file, expected a header row", file.string()));
}

std::string without_instance(const std::string& name, const std::string& params) {
    std::string kept;
    for (std::string_view token : sdk::detail::split(params, ','))
        if (!token.starts_with("instance=")) (kept += kept.empty() ? "" : ",") += token;
    return kept.empty() ? name : name + ":" + kept;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

ResultSet results_from_runs(const CsvTable& table, const std::string& source) {
    if (table.empty()) throw Error(fmt::format("{}: empty file, expected a header row", source));
    const Columns c(table[0], source);
    ResultSet set;
    const std::size_t first_metric = c.require("nonfinite_evals") + 1, status = c.require("status");
    for (std::size_t i = first_metric; i < status; ++i) set.metric_names.push_back(c.header()[i]);
    const std::size_t run_id = c.require("run_id"), optimizer = c.require("optimizer"),
                      optimizer_params = c.require("optimizer_params"), problem = c.require("problem"),
                      problem_params = c.require("problem_params"), instance = c.require("instance"),
                      dim = c.require("dim"), rep = c.require("rep"), budget = c.require("budget"),
                      evals = c.require("evals"), cost = c.require("cost"), best_f = c.require("best_f"),
                      f_opt = c.require("f_opt"), error = c.require("error"),
                      stop_reason = c.require("stop_reason"), message = c.require("message"),
                      wall_s = c.require("wall_s");
    std::set<std::size_t> seen;
    for (std::size_t row = 1; row < table.size(); ++row) {
        const std::vector<std::string>& fields = table[row];
        const std::size_t line = row + 1;
        c.check_width(fields.size(), line);
        const auto number = [&](std::size_t column) { return c.number(fields[column], line, c.header()[column]); };
        RunRecord r;
        const double id = number(run_id);
        if (!(id >= 0) || id != std::floor(id))
            throw Error(fmt::format("{} line {}: run_id '{}' is not a run number", source, line, fields[run_id]));
        r.run_id = static_cast<std::size_t>(id);
        if (!seen.insert(r.run_id).second)
            throw Error(fmt::format("{} line {}: run_id {} appears twice", source, line, r.run_id));
        r.optimizer = fields[optimizer_params].empty() ? fields[optimizer]
                                                       : fields[optimizer] + ":" + fields[optimizer_params];
        r.problem_name = fields[problem];
        r.problem_params = fields[problem_params];
        r.problem = without_instance(r.problem_name, r.problem_params);
        const double inst = number(instance), d = number(dim), rp = number(rep);
        r.instance = std::isnan(inst) ? 1 : static_cast<std::int64_t>(inst);
        r.dim = std::isnan(d) ? 0 : static_cast<std::size_t>(d);
        r.rep = std::isnan(rp) ? 1 : static_cast<int>(rp);
        r.budget = number(budget);
        r.evals = number(evals);
        r.cost = number(cost);
        r.best_f = number(best_f);
        r.f_opt = number(f_opt);
        r.error = number(error);
        r.status = fields[status];
        if (r.status != "ok" && r.status != "error" && r.status != "not_applicable")
            throw Error(fmt::format("{} line {}: status '{}', expected ok, error or not_applicable",
                                    source, line, r.status));
        r.stop_reason = fields[stop_reason];
        r.message = fields[message];
        r.wall_s = number(wall_s);
        // What the statistics count with: a NaN would make their order statistics arbitrary.
        for (const std::size_t column : {evals, cost, wall_s})
            c.count(fields[column], line, c.header()[column]);
        if (r.ran() && r.dim == 0)
            throw Error(fmt::format("{} line {}: dim 0 in a run with status {}, expected at least 1", source, line,
                                    r.status));
        for (std::size_t i = first_metric; i < status; ++i) {
            const double v = number(i);
            if (!std::isnan(v)) r.metrics[c.header()[i]] = v;
        }
        add_unique(set.problems, r.problem);
        add_unique(set.optimizers, r.optimizer);
        set.pairings[{r.problem, r.optimizer}].push_back(set.runs.size());
        set.runs.push_back(std::move(r));
    }
    return set;
}

ResultSet load_results(const fs::path& dir) {
    if (!fs::is_directory(dir))
        throw Error(fmt::format("results folder {} does not exist (expected the --out of optbench run)",
                                dir.string()));
    for (const char* name : {"runs.csv", "trace.csv", "stats.csv"})
        if (!fs::exists(dir / name))
            throw Error(fmt::format("{}: missing; {} does not look like a finished optbench run "
                                    "(runs.csv, trace.csv, stats.csv)",
                                    (dir / name).string(), dir.string()));
    ResultSet set = results_from_runs(read_csv(dir / "runs.csv"), (dir / "runs.csv").string());
    set.dir = dir;
    std::unordered_map<std::size_t, RunRecord*> by_id;
    for (RunRecord& r : set.runs) by_id[r.run_id] = &r;

    const auto run_of = [&](std::string_view field, std::size_t line, const Columns& c) {
        const double id = c.number(field, line, "run_id");
        const auto it = id >= 0 ? by_id.find(static_cast<std::size_t>(id)) : by_id.end();
        if (it == by_id.end())
            throw Error(fmt::format("{} line {}: run_id '{}' is not in runs.csv", c.source(), line, field));
        return it->second;
    };
    const std::array<const char*, 5> trace_columns = {"run_id", "evals", "cost", "f", "best_f"};
    stream_csv(dir / "trace.csv", trace_columns, [&](const auto& v, std::size_t line, const Columns& c) {
        run_of(v[0], line, c)->trace.push_back({c.count(v[1], line, "evals"), c.count(v[2], line, "cost"),
                                                c.number(v[3], line, "f"), c.number(v[4], line, "best_f")});
    });
    for (RunRecord& r : set.runs)
        std::stable_sort(r.trace.begin(), r.trace.end(),
                         [](const TracePoint& a, const TracePoint& b) { return a.cost < b.cost; });
    const std::array<const char*, 4> stats_columns = {"run_id", "evals", "key", "value"};
    stream_csv(dir / "stats.csv", stats_columns, [&](const auto& v, std::size_t line, const Columns& c) {
        set.stats[run_of(v[0], line, c)->run_id][std::string(v[2])].push_back(
            {c.number(v[1], line, "evals"), c.number(v[3], line, "value")});
    });
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
        if (r.run_id == run_id) return &r;
    return nullptr;
}

double measured(Measure measure, const RunRecord& run, double best_f) {
    return measure == Measure::error ? best_f - run.f_opt : best_f;
}

double final_value(Measure measure, const RunRecord& run) {
    if (measure == Measure::error && !std::isnan(run.error)) return run.error;
    return measured(measure, run, run.best_f);
}

RunOutcome outcome(Measure measure, const RunRecord& run, double target) {
    for (const TracePoint& t : run.trace)
        if (measured(measure, run, t.best_f) <= target) return {t.cost, true};
    return {run.cost, false};
}

double best_at(Measure measure, const RunRecord& run, double cost) {
    const auto after = std::upper_bound(run.trace.begin(), run.trace.end(), cost,
                                        [](double c, const TracePoint& t) { return c < t.cost; });
    if (after == run.trace.begin()) return nan;
    return measured(measure, run, std::prev(after)->best_f);
}

std::string measure_name(Measure measure) {
    return measure == Measure::error ? "error" : "best f";
}

}  // namespace optbench::host::report
