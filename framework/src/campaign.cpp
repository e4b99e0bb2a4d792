#include "optbench/host/campaign.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <set>

#include <fmt/format.h>

#include "optbench/host/csv.hpp"
#include "optbench/host/instances.hpp"
#include "optbench/host/text.hpp"
#include "optbench/sdk/fingerprint.hpp"

namespace optbench::host {

namespace fs = std::filesystem;

namespace {

std::string trace_mode_name(TraceMode mode) {
    return mode == TraceMode::improvements ? "improvements" : "levels";
}

std::string join_specs(const std::vector<Spec>& specs) {
    std::string text;
    for (const Spec& s : specs) {
        if (!text.empty()) text += ';';
        text += s.text();
    }
    return text;
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    out += fmt::format("\\u{:04x}", c);
                else
                    out += c;
        }
    }
    return out + '"';
}

void validate(const PluginEntry& entry, const Spec& spec) {
    try {
        sdk::Params(entry.name(), {entry.entry->params, entry.entry->num_params}, spec.params);
    } catch (const sdk::ParamError& e) {
        throw Error(fmt::format("{} '{}': {}", kind_name(entry.kind()), spec.text(), e.what()));
    }
}

// The optimizer or problem a spec names, however it is spelled: its qualified name and every
// parameter's value, given or default, in declaration order.
std::string identity(const PluginEntry& entry, const Spec& spec) {
    std::string text = fmt::format("{}:{}", kind_name(entry.kind()), entry.qualified_name());
    for (std::size_t i = 0; i < entry.entry->num_params; ++i) {
        const abi::ParamSpec& param = entry.entry->params[i];
        std::string value = param.default_value;
        for (const auto& [key, given] : spec.params)
            if (key == param.name) value = given;
        text += fmt::format(",{}={}", param.name, value);
    }
    return text;
}

}  // namespace

std::string Campaign::canonical() const {
    return fmt::format(
        "optimizers={} problems={} seeds={} seed={} budget={} grad_cost={} trace={} target={} "
        "timeout={}{}",
        join_specs(optimizers), join_specs(problems), seeds, seed, csv_number(settings.budget),
        csv_number(settings.grad_cost), trace_mode_name(settings.trace),
        csv_number(settings.target_error), csv_number(settings.timeout_s),
        settings.budget_per_dim > 0 ? " budget_per_dim=" + csv_number(settings.budget_per_dim) : "");
}

std::vector<RunSpec> plan_runs(const Registry& registry, const Campaign& campaign) {
    if (campaign.settings.budget_per_dim > 0) {
        if (!std::isfinite(campaign.settings.budget_per_dim))
            throw Error(fmt::format("budget-per-dim must be finite, got {}", campaign.settings.budget_per_dim));
    } else if (!(campaign.settings.budget > 0 && std::isfinite(campaign.settings.budget))) {
        throw Error(fmt::format("budget must be a finite number > 0, got {}", campaign.settings.budget));
    }
    if (campaign.seeds <= 0) throw Error(fmt::format("seeds must be > 0, got {}", campaign.seeds));
    if (campaign.settings.target_error < 0)
        throw Error(fmt::format("target must be >= 0 (an error above f_opt), got {}", campaign.settings.target_error));
    if (!(campaign.settings.grad_cost >= 0))
        throw Error(fmt::format("grad_cost must be >= 0, got {}", campaign.settings.grad_cost));
    if (campaign.optimizers.empty()) throw Error("no optimizers given (--optimizers)");
    if (campaign.problems.empty()) throw Error("no problems given (--problems)");

    const std::vector<Spec> optimizers = expand_all(campaign.optimizers);
    const std::vector<Spec> problems = expand_all(campaign.problems);
    for (const Spec& o : optimizers) validate(registry.find(abi::EntryKind::optimizer, o.name), o);
    std::vector<std::int64_t> instances;
    std::vector<std::size_t> dims;
    for (const Spec& p : problems) {
        const PluginEntry& entry = registry.find(abi::EntryKind::problem, p.name);
        validate(entry, p);
        instances.push_back(instance_of(entry, p));
        const ProblemInstance problem(entry, p.params);
        if (!std::isnan(campaign.settings.target_error) && !problem.has(abi::has_optimum_value))
            throw Error(fmt::format("target: runs stop at f_opt + target, but '{}' has no known f_opt; "
                                    "expected only problems with one",
                                    p.text()));
        dims.push_back(problem.dimension());
    }
    // However it is spelled (qualified or not, parameters in any order, defaults given or not):
    // one optimizer or problem listed twice would only add runs under another seed.
    std::map<std::string, std::string> seen;  // identity -> the spelling seen first
    for (const auto* list : {&optimizers, &problems})
        for (const Spec& s : *list) {
            const auto kind = list == &optimizers ? abi::EntryKind::optimizer : abi::EntryKind::problem;
            const auto [first, added] = seen.emplace(identity(registry.find(kind, s.name), s), s.text());
            if (!added)
                throw Error(s.text() == first->second
                                ? fmt::format("'{}' is listed twice", s.text())
                                : fmt::format("'{}' is listed twice (also as '{}')", s.text(), first->second));
        }

    std::vector<RunSpec> runs;
    for (std::size_t p = 0; p < problems.size(); ++p)
        for (const Spec& o : optimizers)
            for (int rep = 1; rep <= campaign.seeds; ++rep)
                runs.push_back({runs.size(), o, problems[p], instances[p], dims[p], rep,
                                derive_run_seed(campaign.seed, o, problems[p], rep)});
    return runs;
}

std::vector<RunSpec> shard_of(const std::vector<RunSpec>& runs, std::size_t index, std::size_t count) {
    std::vector<RunSpec> shard;
    for (const RunSpec& run : runs)
        if (run.run_id % count == index) shard.push_back(run);
    return shard;
}

const std::vector<std::string> run_columns_before_metrics = {
    "run_id", "optimizer", "optimizer_params", "problem", "problem_params", "instance", "dim",
    "rep", "seed", "budget", "evals", "grad_evals", "cost", "best_f", "f_opt", "error",
    "nonfinite_evals"};
const std::vector<std::string> run_columns_after_metrics = {"status", "stop_reason", "message",
                                                            "wall_s"};

const std::vector<std::string> provenance_columns = {
    "run_id", "git_commit", "build_fingerprint", "optimizer_library", "optimizer_version",
    "problem_library", "problem_version"};

bool is_run_column(const std::string& name) {
    for (const auto* columns : {&run_columns_before_metrics, &run_columns_after_metrics})
        if (std::find(columns->begin(), columns->end(), name) != columns->end()) return true;
    return false;
}

ResultStore::ResultStore(fs::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(dir_ / "parts", ec);
    const fs::path probe = dir_ / "parts" / ".write-test";
    try {
        write_file_atomically(probe, "");
        fs::remove(probe, ec);
    } catch (const Error&) {
        throw Error(fmt::format("output folder {} is not writable", dir_.string()));
    }
}

fs::path ResultStore::part(std::size_t run_id, const char* suffix) const {
    return dir_ / "parts" / fmt::format("run-{:06d}.{}.csv", run_id, suffix);
}

bool ResultStore::finished(std::size_t run_id) const { return fs::exists(part(run_id, "row")); }

RunProvenance provenance_of(const Registry& registry, const RunSpec& spec) {
    const PluginEntry& optimizer = registry.find(abi::EntryKind::optimizer, spec.optimizer.name);
    const PluginEntry& problem = registry.find(abi::EntryKind::problem, spec.problem.name);
    return {optimizer.library_name, optimizer.library_version, problem.library_name,
            problem.library_version};
}

void ResultStore::save(const RunResult& r, const RunProvenance& provenance) const {
    const std::string id = std::to_string(r.spec.run_id);
    std::string trace = csv_line({"run_id", "evals", "cost", "f", "best_f", "wall_s"});
    for (const TraceRow& t : r.trace)
        trace += csv_line({id, csv_number(t.evals), csv_number(t.cost), csv_number(t.f),
                           csv_number(t.best_f), fmt::format("{:.6f}", t.wall_s)});
    write_file_atomically(part(r.spec.run_id, "trace"), trace);

    std::string stats = csv_line({"run_id", "evals", "key", "value"});
    for (const StatRow& s : r.stats)
        stats += csv_line({id, csv_number(s.evals), s.key, csv_number(s.value)});
    write_file_atomically(part(r.spec.run_id, "stats"), stats);

    for (const auto& [name, text] : r.artifacts)
        add_artifact(fs::path(portable_name(r.spec.problem.text())) / name, text);

    std::vector<std::string> header = run_columns_before_metrics;
    std::vector<std::string> row = {id,
                                    r.spec.optimizer.name,
                                    r.spec.optimizer.params_text(),
                                    r.spec.problem.name,
                                    r.spec.problem.params_text(),
                                    std::to_string(r.spec.instance),
                                    std::to_string(r.dim ? r.dim : r.spec.dim),
                                    std::to_string(r.spec.rep),
                                    std::to_string(r.spec.seed),
                                    csv_number(r.budget),
                                    csv_number(r.evals),
                                    csv_number(r.grad_evals),
                                    csv_number(r.cost),
                                    csv_number(r.best_f),
                                    csv_number(r.f_opt),
                                    csv_number(r.error()),
                                    std::to_string(r.nonfinite_evals)};
    for (const auto& [name, value] : r.metrics) {
        header.push_back(name);
        row.push_back(csv_number(value));
    }
    header.insert(header.end(), run_columns_after_metrics.begin(), run_columns_after_metrics.end());
    for (const std::string& v :
         {r.status, r.stop_reason, r.message, fmt::format("{:.6f}", r.wall_s)})
        row.push_back(v);
    write_file_atomically(part(r.spec.run_id, "provenance"),
                          csv_line(provenance_columns) +
                              csv_line({id, build_commit, sdk::build_fingerprint, provenance.optimizer_library,
                                        provenance.optimizer_version, provenance.problem_library,
                                        provenance.problem_version}));
    write_file_atomically(part(r.spec.run_id, "row"), csv_line(header) + csv_line(row));  // last: marks completion
}

std::vector<std::size_t> ResultStore::assemble(const std::vector<RunSpec>& runs) const {
    std::vector<std::size_t> missing;
    std::vector<std::map<std::string, std::string>> rows;
    std::set<std::string> metric_names;
    std::string trace = csv_line({"run_id", "evals", "cost", "f", "best_f", "wall_s"});
    std::string stats = csv_line({"run_id", "evals", "key", "value"});
    std::string provenance = csv_line(provenance_columns);
    std::vector<RunSpec> sorted = runs;
    std::sort(sorted.begin(), sorted.end(),
              [](const RunSpec& a, const RunSpec& b) { return a.run_id < b.run_id; });
    for (const RunSpec& run : sorted) {
        if (!finished(run.run_id)) {
            missing.push_back(run.run_id);
            continue;
        }
        const CsvTable table = read_csv(part(run.run_id, "row"));
        if (table.size() != 2 || table[0].size() != table[1].size())
            throw Error(fmt::format("corrupt result part {}", part(run.run_id, "row").string()));
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < table[0].size(); ++i) {
            row[table[0][i]] = table[1][i];
            if (!is_run_column(table[0][i])) metric_names.insert(table[0][i]);
        }
        rows.push_back(std::move(row));
        for (const char* kind : {"trace", "stats"}) {
            const std::string text = read_file(part(run.run_id, kind));
            const std::size_t body = text.find('\n');
            (std::string_view(kind) == "trace" ? trace : stats) +=
                body == std::string::npos ? "" : text.substr(body + 1);
        }
        provenance += provenance_row(run.run_id);
    }
    std::vector<std::string> header = run_columns_before_metrics;
    header.insert(header.end(), metric_names.begin(), metric_names.end());
    header.insert(header.end(), run_columns_after_metrics.begin(), run_columns_after_metrics.end());
    std::string csv = csv_line(header);
    for (const auto& row : rows) {
        std::vector<std::string> fields;
        for (const std::string& column : header) {
            const auto it = row.find(column);
            fields.push_back(it == row.end() ? "" : it->second);
        }
        csv += csv_line(fields);
    }
    write_file_atomically(dir_ / "trace.csv", trace);
    write_file_atomically(dir_ / "stats.csv", stats);
    write_file_atomically(dir_ / "provenance.csv", provenance);
    write_file_atomically(dir_ / "runs.csv", csv);  // last: the index of what the others hold
    return missing;
}

void ResultStore::check_campaign(const std::string& campaign_key) const {
    const std::string existing = this->campaign_key();
    // Without parts/ (a clone of published results) the manifest says whose the CSVs are.
    const std::string owner = existing.empty() ? manifest_campaign_key(dir_) : existing;
    if (!owner.empty() && owner != campaign_key)
        throw Error(fmt::format(
            "output folder {} holds results of a different campaign; use another --out or remove it",
            dir_.string()));
}

namespace {

// The columns after run_id that say which run a row of plan.csv or runs.csv is.
const std::vector<std::string> identity_columns = {"optimizer", "optimizer_params", "problem", "problem_params",
                                                   "instance", "dim", "rep", "seed"};

// A planned run's values of identity_columns, in their order.
std::vector<std::string> identity_of(const RunSpec& r) {
    return {r.optimizer.name, r.optimizer.params_text(), r.problem.name, r.problem.params_text(),
            std::to_string(r.instance), std::to_string(r.dim), std::to_string(r.rep), std::to_string(r.seed)};
}

}  // namespace

void ResultStore::claim(const std::string& campaign_key, const std::vector<RunSpec>& plan) const {
    check_campaign(campaign_key);
    if (!this->campaign_key().empty()) return;
    std::vector<std::string> header = {"run_id"};
    header.insert(header.end(), identity_columns.begin(), identity_columns.end());
    std::string csv = csv_line(header);
    for (const RunSpec& r : plan) {
        std::vector<std::string> row = {std::to_string(r.run_id)};
        const std::vector<std::string> identity = identity_of(r);
        row.insert(row.end(), identity.begin(), identity.end());
        csv += csv_line(row);
    }
    write_file_atomically(dir_ / "parts" / "plan.csv", csv);
    write_file_atomically(dir_ / "parts" / "campaign.key", campaign_key);
}

std::string ResultStore::campaign_key() const {
    const fs::path key_file = dir_ / "parts" / "campaign.key";
    return fs::exists(key_file) ? read_file(key_file) : "";
}

std::vector<RunSpec> ResultStore::plan() const {
    const fs::path file = dir_ / "parts" / "plan.csv";
    if (!fs::exists(file)) throw Error(fmt::format("{} holds no campaign plan (parts/plan.csv)", dir_.string()));
    return read_plan(file);
}

std::vector<RunSpec> read_plan(const fs::path& file) {
    const CsvTable table = read_csv(file);
    std::vector<RunSpec> runs;
    const auto spec = [](const std::string& name, const std::string& params) {
        return parse_spec_list(params.empty() ? name : name + ":" + params).at(0);
    };
    for (std::size_t i = 1; i < table.size(); ++i) {
        const auto& row = table[i];
        if (row.size() != 9) throw Error(fmt::format("{}: malformed row {}", file.string(), i + 1));
        const auto number = [&]<typename T>(std::size_t column, T) {
            T value{};
            const std::string& text = row[column];
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
                throw Error(fmt::format("{}: row {}: {} '{}' is not a whole number", file.string(), i + 1,
                                        table[0].at(column), text));
            return value;
        };
        runs.push_back({number(0, std::size_t{}), spec(row[1], row[2]), spec(row[3], row[4]),
                        number(5, std::int64_t{}), number(6, std::size_t{}), number(7, int{}),
                        number(8, std::uint64_t{})});
    }
    return runs;
}

std::size_t ResultStore::recover_parts(const std::vector<RunSpec>& plan) const {
    for (const char* name : {"runs.csv", "trace.csv", "stats.csv"})
        if (!fs::exists(dir_ / name))
            throw Error(fmt::format("{} has no {}: its published runs cannot be kept", dir_.string(), name));
    const std::string runs_file = (dir_ / "runs.csv").string();
    const CsvTable runs = read_csv(dir_ / "runs.csv");
    if (runs.empty()) throw Error(fmt::format("{}: empty file", runs_file));
    const std::vector<std::string>& header = runs[0];
    const auto column = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw Error(fmt::format("{}: no column '{}'", runs_file, name));
        return static_cast<std::size_t>(it - header.begin());
    };
    for (const auto* columns : {&run_columns_before_metrics, &run_columns_after_metrics})
        for (const std::string& name : *columns) column(name);
    const std::size_t id_at = column("run_id"), status_at = column("status"), evals_at = column("evals");
    std::vector<std::size_t> identity_at;
    for (const std::string& name : identity_columns) identity_at.push_back(column(name));
    // A long CSV's rows by run_id (the first field), as CSV lines; the header under "".
    const auto lines_by_run = [](const fs::path& file) {
        std::map<std::string, std::string> lines;
        const CsvTable table = read_csv(file);
        for (std::size_t i = 0; i < table.size(); ++i)
            if (!table[i].empty()) lines[i == 0 ? "" : table[i][0]] += csv_line(table[i]);
        return lines;
    };
    auto traces = lines_by_run(dir_ / "trace.csv");
    auto stats = lines_by_run(dir_ / "stats.csv");
    const bool has_provenance = fs::exists(dir_ / "provenance.csv");
    std::map<std::string, std::vector<std::string>> provenance;
    if (has_provenance) {
        const CsvTable table = read_csv(dir_ / "provenance.csv");
        if (table.empty() || table[0] != provenance_columns)
            throw Error(fmt::format("{}: expected the header {}", (dir_ / "provenance.csv").string(),
                                    fmt::join(provenance_columns, ",")));
        for (std::size_t i = 1; i < table.size(); ++i)
            if (table[i].size() == provenance_columns.size()) provenance[table[i][0]] = table[i];
    }

    // Every row is checked before any part is written; runs that have their parts are left alone.
    std::vector<std::size_t> to_recover;  // rows of runs.csv
    std::set<std::size_t> seen;
    for (std::size_t i = 1; i < runs.size(); ++i) {
        const auto& row = runs[i];
        const std::string where = fmt::format("{} row {}", runs_file, i + 1);
        if (row.size() != header.size()) throw Error(where + ": wrong number of fields");
        std::size_t id = 0;
        const std::string& text = row[id_at];
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc{} || end != text.data() + text.size() || id >= plan.size() || plan[id].run_id != id)
            throw Error(fmt::format("{}: run_id '{}' is not a run of this campaign", where, text));
        if (!seen.insert(id).second) throw Error(fmt::format("{}: run_id {} appears twice", where, id));
        const std::vector<std::string> expected = identity_of(plan[id]);
        for (std::size_t k = 0; k < identity_columns.size(); ++k)
            if (row[identity_at[k]] != expected[k])
                throw Error(fmt::format("{}: {} '{}', but the campaign's run {} has '{}'", where,
                                        identity_columns[k], row[identity_at[k]], id, expected[k]));
        // runs.csv is assembled last, but two shards assembling at once can still interleave.
        const bool spent = row[evals_at] != "0" && !row[evals_at].empty();
        if (row[status_at] == "ok" && spent && traces[text].empty())
            throw Error(fmt::format("{}: run {} has no line in trace.csv: the files do not belong together", where, id));
        if (has_provenance && !provenance.count(text))
            throw Error(fmt::format("{}: run {} has no line in provenance.csv: the files do not belong together",
                                    where, id));
        if (!finished(id)) to_recover.push_back(i);
    }
    for (std::size_t i : to_recover) {
        const std::string& id = runs[i][id_at];
        const std::size_t run_id = std::stoul(id);
        std::error_code ec;
        fs::remove(part(run_id, "provenance"), ec);  // a save cut short may have left one
        write_file_atomically(part(run_id, "trace"), traces[""] + traces[id]);
        write_file_atomically(part(run_id, "stats"), stats[""] + stats[id]);
        if (has_provenance && !provenance[id][1].empty())
            write_file_atomically(part(run_id, "provenance"), csv_line(provenance_columns) + csv_line(provenance[id]));
        write_file_atomically(part(run_id, "row"), csv_line(header) + csv_line(runs[i]));
    }
    return to_recover.size();
}

void ResultStore::add_artifact(const fs::path& relative, const std::string& text) const {
    const fs::path target = dir_ / "artifacts" / relative;
    if (fs::exists(target)) {
        if (read_file(target) == text) return;
        throw Error(fmt::format("artifact {} differs from the one already written: two problems share "
                                "the folder's name, or the problem's artifact changed between runs",
                                target.string()));
    }
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw Error(fmt::format("cannot create {}: {}", target.parent_path().string(), ec.message()));
    write_file_atomically(target, text);
}

std::string ResultStore::provenance_row(std::size_t run_id) const {
    const fs::path file = part(run_id, "provenance");
    if (!fs::exists(file)) return csv_line({std::to_string(run_id), "", "", "", "", "", ""});
    const CsvTable table = read_csv(file);
    if (table.size() != 2 || table[0] != provenance_columns || table[1].size() != provenance_columns.size() ||
        table[1][0] != std::to_string(run_id))
        throw Error(fmt::format("corrupt result part {}", file.string()));
    return csv_line(table[1]);
}

void ResultStore::copy_run(const ResultStore& from, std::size_t run_id) const {
    std::error_code ec;
    fs::remove(part(run_id, "provenance"), ec);  // a save cut short may have left one
    for (const char* kind : {"trace", "stats", "provenance", "row"})  // the row part last: it marks completion
        if (std::string_view(kind) != "provenance" || fs::exists(from.part(run_id, kind)))
            write_file_atomically(part(run_id, kind), read_file(from.part(run_id, kind)));
}

std::string build_differences(const CsvTable& provenance) {
    std::set<std::string> hosts;
    std::map<std::string, std::set<std::string>> versions;  // library -> versions
    std::size_t unrecorded = 0;
    for (std::size_t i = 1; i < provenance.size(); ++i) {
        const auto& row = provenance[i];
        if (row.size() != provenance_columns.size() || row[1].empty()) {
            ++unrecorded;
            continue;
        }
        hosts.insert(fmt::format("{} ({})", row[1], row[2]));
        versions[row[3]].insert(row[4]);
        versions[row[5]].insert(row[6]);
    }
    std::vector<std::string> differences;
    if (hosts.size() > 1) differences.push_back(fmt::format("host builds {}", fmt::join(hosts, ", ")));
    for (const auto& [library, seen] : versions)
        if (seen.size() > 1) differences.push_back(fmt::format("{} {}", library, fmt::join(seen, ", ")));
    if (unrecorded > 0 && !hosts.empty())  // with no run recorded, nothing is known to differ
        differences.push_back(fmt::format("{} of {} runs made by builds that did not record theirs", unrecorded,
                                          provenance.size() - 1));
    return fmt::format("{}", fmt::join(differences, "; "));
}

std::string manifest_campaign_key(const fs::path& dir) {
    std::string manifest;
    try {
        manifest = read_file(dir / "manifest.json");
    } catch (const Error&) {
        return "";
    }
    const std::string key = "\"campaign_key\": \"";
    const std::size_t start = manifest.find(key);
    if (start == std::string::npos) return "";
    std::string value;
    // The escapes json_string writes: \" \\ \n \t \u00XX.
    for (std::size_t i = start + key.size(); i < manifest.size() && manifest[i] != '"'; ++i) {
        if (manifest[i] != '\\' || i + 1 >= manifest.size()) {
            value += manifest[i];
            continue;
        }
        const char escaped = manifest[++i];
        if (escaped == 'n') value += '\n';
        else if (escaped == 't') value += '\t';
        else if (escaped == 'u' && i + 4 < manifest.size()) {
            value += static_cast<char>(std::stoi(manifest.substr(i + 1, 4), nullptr, 16));
            i += 4;
        } else value += escaped;
    }
    return value;
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::string manifest_json(const Campaign& campaign, const Registry& registry,
                          const std::string& started, const std::string& ended,
                          std::size_t num_runs, const std::string& shard) {
    std::string plugins;
    for (const auto& [name, version] : registry.libraries())
        plugins += fmt::format("{}\n    {}: {}", plugins.empty() ? "" : ",", json_string(name),
                               json_string(version));
    const auto specs = [](const std::vector<Spec>& list) {
        std::string out;
        for (const Spec& s : list) out += (out.empty() ? "" : ", ") + json_string(s.text());
        return "[" + out + "]";
    };
    return fmt::format(
        "{{\n"
        "  \"optbench_version\": {},\n"
        "  \"git_commit\": {},\n"
        "  \"abi\": \"{}.{}\",\n"
        "  \"build_fingerprint\": {},\n"
        "  \"campaign\": {{\n"
        "    \"optimizers\": {},\n"
        "    \"problems\": {},\n"
        "    \"seeds\": {},\n"
        "    \"campaign_seed\": {},\n"
        "    \"budget\": {},\n"
        "    \"budget_per_dim\": {},\n"
        "    \"grad_cost\": {},\n"
        "    \"trace\": \"{}\",\n"
        "    \"target_error\": {},\n"
        "    \"run_timeout_s\": {}\n"
        "  }},\n"
        "  \"campaign_key\": {},\n"
        "  \"runs\": {},\n"
        "  \"shard\": {},\n"
        "  \"plugins\": {{{}\n  }},\n"
        "  \"started\": {},\n"
        "  \"ended\": {}\n"
        "}}\n",
        json_string(OPTBENCH_VERSION), json_string(build_commit), abi::major_version,
        abi::minor_version, json_string(sdk::build_fingerprint), specs(campaign.optimizers),
        specs(campaign.problems), campaign.seeds, campaign.seed, csv_number(campaign.settings.budget),
        campaign.settings.budget_per_dim > 0 ? csv_number(campaign.settings.budget_per_dim) : "null",
        csv_number(campaign.settings.grad_cost), trace_mode_name(campaign.settings.trace),
        std::isnan(campaign.settings.target_error) ? "null" : csv_number(campaign.settings.target_error),
        csv_number(campaign.settings.timeout_s), json_string(campaign.canonical()), num_runs,
        json_string(shard),
        plugins, json_string(started), ended.empty() ? "null" : json_string(ended));
}

}  // namespace optbench::host
