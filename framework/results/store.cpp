#include "results/store.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/text.hpp"
#include "results/csv.hpp"
#include "results/manifest.hpp"

namespace optbench::host {

namespace fs = std::filesystem;

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

void ResultStore::save(const RunRow& r, const RunProvenance& provenance,
                       const std::vector<std::pair<std::string, std::string>>& artifacts) const {
    write_file_atomically(part(r.spec.run_id, "trace"),
                          csv_line(trace_columns()) + trace_lines(r.spec.run_id, r.trace));
    write_file_atomically(part(r.spec.run_id, "stats"),
                          csv_line(stats_columns()) + stats_lines(r.spec.run_id, r.stats));
    for (const auto& [name, text] : artifacts)
        add_artifact(fs::path(portable_name(r.spec.problem.text())) / name, text);
    std::vector<std::string> metric_names;
    for (const auto& [name, value] : r.metrics) metric_names.push_back(name);
    write_file_atomically(part(r.spec.run_id, "provenance"),
                          csv_line(provenance_columns()) + provenance_line(r.spec.run_id, provenance));
    // Last: the row file marks the run complete.
    write_file_atomically(part(r.spec.run_id, "row"),
                          csv_line(run_header(metric_names)) + csv_line(run_fields(r, metric_names)));
}

std::vector<std::size_t> ResultStore::assemble(const std::vector<RunSpec>& runs) const {
    std::vector<std::size_t> missing;
    std::vector<std::map<std::string, std::string>> rows;
    std::set<std::string> metric_names;
    std::string trace = csv_line(trace_columns());
    std::string stats = csv_line(stats_columns());
    std::string provenance = csv_line(provenance_columns());
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
    const std::vector<std::string> header = run_header({metric_names.begin(), metric_names.end()});
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

void ResultStore::claim(const std::string& campaign_key, const std::vector<RunSpec>& plan) const {
    check_campaign(campaign_key);
    if (!this->campaign_key().empty()) return;
    write_file_atomically(dir_ / "parts" / "plan.csv", plan_csv(plan));
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
    for (const std::string& name : run_header({})) column(name);
    const std::size_t id_at = column("run_id"), status_at = column("status"), evals_at = column("evals");
    std::vector<std::size_t> identity_at;
    for (const std::string& name : identity_columns()) identity_at.push_back(column(name));
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
        if (table.empty() || table[0] != provenance_columns())
            throw Error(fmt::format("{}: expected the header {}", (dir_ / "provenance.csv").string(),
                                    fmt::join(provenance_columns(), ",")));
        for (std::size_t i = 1; i < table.size(); ++i)
            if (table[i].size() == provenance_columns().size()) provenance[table[i][0]] = table[i];
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
        const std::vector<std::string> expected = identity_fields(plan[id]);
        for (std::size_t k = 0; k < identity_columns().size(); ++k)
            if (row[identity_at[k]] != expected[k])
                throw Error(fmt::format("{}: {} '{}', but the campaign's run {} has '{}'", where,
                                        identity_columns()[k], row[identity_at[k]], id, expected[k]));
        // runs.csv is assembled last, but two shards assembling at once can still interleave.
        const bool spent = row[evals_at] != "0" && !row[evals_at].empty();
        if (parse_run_status(row[status_at]) == RunStatus::ok && spent && traces[text].empty())
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
            write_file_atomically(part(run_id, "provenance"), csv_line(provenance_columns()) + csv_line(provenance[id]));
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
    if (table.size() != 2 || table[0] != provenance_columns() || table[1].size() != provenance_columns().size() ||
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

}  // namespace optbench::host
