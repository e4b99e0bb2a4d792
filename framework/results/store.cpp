#include "results/store.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/text.hpp"
#include "results/csv.hpp"
#include "results/manifest.hpp"
#include "optbench/sdk/rng.hpp"

namespace optbench::host {

namespace fs = std::filesystem;

namespace {

// A folder is optbench's when it holds what only optbench writes: its parts/ (with the lock
// or the campaign key) or a manifest (a clone of published results).
bool holds_optbench_results(const fs::path& dir) {
    return fs::exists(dir / "manifest.json") || fs::exists(FolderLock::file_of(dir)) ||
           fs::exists(dir / "parts" / "campaign.key");
}

const fs::path& prepared(const fs::path& dir, ResultStore::Access access) {
    if (dir.empty()) throw Error("the results folder's path is empty (an unset shell variable?): expected a folder");
    std::error_code ec;
    if (access == ResultStore::Access::read) {
        if (!fs::is_directory(dir / "parts", ec))
            throw Error(fmt::format("{} is not a campaign's results folder (no parts/)", dir.string()));
        return dir;
    }
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw Error(fmt::format("results folder {} is a file: expected a folder", dir.string()));
    if (fs::is_directory(dir, ec) && !fs::is_empty(dir, ec) && !holds_optbench_results(dir)) {
        std::vector<std::string> names;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        if (names.size() > 3) names.resize(3), names.push_back("...");
        throw Error(fmt::format("results folder {} holds files optbench did not write ({}): use a new or empty folder",
                                dir.string(), fmt::join(names, ", ")));
    }
    fs::create_directories(dir / "parts", ec);
    if (ec)
        throw Error(fmt::format("results folder {} is not writable: cannot create {}: {}", dir.string(),
                                (dir / "parts").string(), ec.message()));
    return dir;
}

// Lines of a part's text: it always ends with a line break.
std::size_t line_count(std::string_view text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

std::string content_hash(std::string_view text) {
    return fmt::format("{:016x}", sdk::fnv1a(text));
}

const std::vector<std::string>& checksum_columns() {
    static const std::vector<std::string> columns{"part", "lines", "bytes", "fnv1a64"};
    return columns;
}

}  // namespace

ResultStore::ResultStore(fs::path dir, Access access, bool wait_for_lock)
    : dir_(std::move(dir)),
      lock_(prepared(dir_, access), access == Access::write ? FolderLock::Mode::exclusive : FolderLock::Mode::shared,
            wait_for_lock) {
    if (access == Access::read) return;
    // Temporary files of a writer killed mid-write (write_file_atomically's): with the lock
    // held, no one else is writing them.
    for (const fs::path& folder : {dir_, dir_ / "parts"}) {
        std::error_code ec;
        for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.starts_with('.') && name.find(".tmp") != std::string::npos && entry.is_regular_file(ec))
                fs::remove(entry.path(), ec);
        }
    }
    const fs::path probe = dir_ / "parts" / ".write-test";
    try {
        write_file_atomically(probe, "");
        fs::remove(probe);
    } catch (const Error& e) {
        throw Error(fmt::format("results folder {} is not writable: {}", dir_.string(), e.what()));
    }
}

fs::path ResultStore::part(std::size_t run_id, const char* suffix) const {
    return dir_ / "parts" / fmt::format("run-{:06d}.{}.csv", run_id, suffix);
}

bool ResultStore::finished(std::size_t run_id) const { return fs::exists(part(run_id, "row")); }

bool ResultStore::failed(std::size_t run_id) const {
    if (!finished(run_id)) return false;
    const CsvTable table = read_csv(part(run_id, "row"));
    if (table.size() != 2) return false;
    const auto status = std::find(table[0].begin(), table[0].end(), "status");
    if (status == table[0].end() || table[1].size() != table[0].size()) return false;
    return parse_run_status(table[1][static_cast<std::size_t>(status - table[0].begin())]) == RunStatus::error;
}

void ResultStore::forget(std::size_t run_id) const {
    // The row first: it marks the run complete, so a forget cut short leaves an unfinished run.
    for (const char* kind : {"row", "sums", "trace", "stats", "provenance", "holdout", "attempts"}) {
        std::error_code ec;
        fs::remove(part(run_id, kind), ec);
        if (ec) throw Error(fmt::format("cannot remove {}: {}", part(run_id, kind).string(), ec.message()));
    }
}

std::size_t ResultStore::forget_damaged(const std::vector<RunSpec>& runs) const {
    std::size_t damaged = 0;
    for (const RunSpec& run : runs) {
        if (!finished(run.run_id)) continue;
        try {
            read_parts(run.run_id);
        } catch (const Error& e) {
            fmt::print(stderr, "warning: {}; run {} runs again\n", e.what(), run.run_id);
            forget(run.run_id);
            ++damaged;
        }
    }
    return damaged;
}

std::size_t ResultStore::record_failed_attempt(std::size_t run_id, const std::string& message) const {
    const fs::path file = part(run_id, "attempts");
    std::string text = fs::exists(file) ? read_file(file) : csv_line(attempt_columns());
    const std::size_t attempt = line_count(text);
    text += csv_line({std::to_string(run_id), std::to_string(attempt), utc_now(), message});
    write_file_atomically(file, text);
    return attempt;
}

std::optional<RunProvenance> ResultStore::recorded_provenance(std::size_t run_id) const {
    const fs::path file = part(run_id, "provenance");
    if (!fs::exists(file)) return std::nullopt;
    const CsvTable table = read_csv(file);
    if (table.size() != 2) throw Error(fmt::format("damaged result part {}: expected a header and one row", file.string()));
    return recorded_libraries(table[1]);
}

ResultStore::RunParts ResultStore::read_parts(std::size_t run_id) const {
    RunParts parts;
    parts.row = read_file(part(run_id, "row"));
    const auto damaged = [&](const char* kind, const std::string& what) {
        return Error(fmt::format("damaged result part {}: {}", part(run_id, kind).string(), what));
    };
    const CsvTable row = parse_csv(parts.row);
    if (row.size() != 2 || row[0].size() != row[1].size()) throw damaged("row", "expected a header and one row of as many fields");
    parts.trace = read_file(part(run_id, "trace"));
    parts.stats = read_file(part(run_id, "stats"));
    if (fs::exists(part(run_id, "provenance"))) parts.provenance = read_file(part(run_id, "provenance"));
    // Parts of builds before hold-out metrics along the run have none.
    if (fs::exists(part(run_id, "holdout"))) parts.holdout = read_file(part(run_id, "holdout"));
    if (fs::exists(part(run_id, "sums"))) {
        const CsvTable sums = read_csv(part(run_id, "sums"));
        if (sums.empty() || sums[0] != checksum_columns()) throw damaged("sums", "expected the header part,lines,bytes,fnv1a64");
        for (std::size_t i = 1; i < sums.size(); ++i) {
            if (sums[i].size() != checksum_columns().size()) throw damaged("sums", fmt::format("line {} is cut short", i + 1));
            const std::string& kind = sums[i][0];
            const std::string* text = kind == "row" ? &parts.row : kind == "trace" ? &parts.trace
                                    : kind == "stats" ? &parts.stats : kind == "provenance" ? &parts.provenance
                                    : kind == "holdout" ? &parts.holdout : nullptr;
            if (!text) throw damaged("sums", fmt::format("unknown part '{}'", kind));
            const std::string found = fmt::format("{} lines, {} bytes", line_count(*text), text->size());
            const std::string recorded = fmt::format("{} lines, {} bytes", sums[i][1], sums[i][2]);
            if (found != recorded) throw damaged(kind.c_str(), fmt::format("{}, but {} were written", found, recorded));
            if (content_hash(*text) != sums[i][3]) throw damaged(kind.c_str(), "its content changed after it was written");
        }
        return parts;
    }
    // Parts of an older build have no checksums: each line must at least be whole.
    for (const auto& [kind, text, columns] : {std::tuple{"trace", &parts.trace, trace_columns().size()},
                                              std::tuple{"stats", &parts.stats, stats_columns().size()}}) {
        if (text->empty() || text->back() != '\n') throw damaged(kind, "its last line is cut short");
        const CsvTable table = parse_csv(*text);
        for (std::size_t i = 0; i < table.size(); ++i)
            if (table[i].size() != columns)
                throw damaged(kind, fmt::format("line {} has {} fields, expected {}", i + 1, table[i].size(), columns));
    }
    if (!parts.holdout.empty()) {
        const CsvTable table = parse_csv(parts.holdout);
        if (parts.holdout.back() != '\n' || table.empty() || table[0] != holdout_columns())
            throw damaged("holdout", "expected the header run_id,evals,cost,key,value and whole lines");
        for (std::size_t i = 1; i < table.size(); ++i)
            if (table[i].size() != holdout_columns().size())
                throw damaged("holdout", fmt::format("line {} has {} fields, expected {}", i + 1, table[i].size(),
                                                     holdout_columns().size()));
    }
    if (!parts.provenance.empty()) {
        const CsvTable table = parse_csv(parts.provenance);
        if (parts.provenance.back() != '\n' || table.size() != 2)
            throw damaged("provenance", "expected a header and one row");
        try {
            provenance_fields(table[0]);
            provenance_fields(table[1]);
        } catch (const Error& e) {
            throw damaged("provenance", e.what());
        }
    }
    return parts;
}

void ResultStore::write_parts(std::size_t run_id, const RunParts& parts) const {
    std::error_code ec;
    // A save cut short, or an earlier attempt of the run, may have left them.
    fs::remove(part(run_id, "provenance"), ec);
    fs::remove(part(run_id, "holdout"), ec);
    // The row part's folder sync makes these renames durable too; a crash before it leaves a
    // run without its row (unfinished), or one whose parts the checksums find missing.
    constexpr bool sync_folder_later = false;
    write_file_atomically(part(run_id, "trace"), parts.trace, sync_folder_later);
    write_file_atomically(part(run_id, "stats"), parts.stats, sync_folder_later);
    if (!parts.provenance.empty())
        write_file_atomically(part(run_id, "provenance"), parts.provenance, sync_folder_later);
    if (!parts.holdout.empty()) write_file_atomically(part(run_id, "holdout"), parts.holdout, sync_folder_later);
    std::string sums = csv_line(checksum_columns());
    for (const auto& [kind, text] : {std::pair{"trace", &parts.trace}, std::pair{"stats", &parts.stats},
                                     std::pair{"provenance", &parts.provenance}, std::pair{"holdout", &parts.holdout},
                                     std::pair{"row", &parts.row}}) {
        const bool optional = std::string_view(kind) == "provenance" || std::string_view(kind) == "holdout";
        if (!text->empty() || !optional)
            sums += csv_line({kind, std::to_string(line_count(*text)), std::to_string(text->size()), content_hash(*text)});
    }
    write_file_atomically(part(run_id, "sums"), sums, sync_folder_later);
    // Last: the row file marks the run complete.
    write_file_atomically(part(run_id, "row"), parts.row);
}

void ResultStore::save(const RunRow& r, const RunProvenance& provenance,
                       const std::vector<std::pair<std::string, std::string>>& artifacts) const {
    for (const auto& [name, text] : artifacts)
        add_artifact(fs::path(portable_name(r.spec.problem.text())) / name, text);
    std::vector<std::string> metric_names;
    for (const auto& [name, value] : r.metrics) metric_names.push_back(name);
    write_parts(r.spec.run_id,
                {csv_line(trace_columns()) + trace_lines(r.spec.run_id, r.trace),
                 csv_line(stats_columns()) + stats_lines(r.spec.run_id, r.stats),
                 csv_line(provenance_columns()) + provenance_line(r.spec.run_id, provenance),
                 csv_line(run_header(metric_names)) + csv_line(run_fields(r, metric_names)),
                 r.holdout.empty() ? "" : csv_line(holdout_columns()) + holdout_lines(r.spec.run_id, r.holdout)});
}

std::vector<std::size_t> ResultStore::assemble(const std::vector<RunSpec>& runs) const {
    std::vector<std::size_t> missing;
    std::vector<std::map<std::string, std::string>> rows;
    std::set<std::string> metric_names;
    std::string trace = csv_line(trace_columns());
    std::string stats = csv_line(stats_columns());
    std::string provenance = csv_line(provenance_columns());
    std::string attempts = csv_line(attempt_columns());
    std::string holdout = csv_line(holdout_columns());
    std::error_code ignored;
    std::vector<RunSpec> sorted = runs;
    std::sort(sorted.begin(), sorted.end(),
              [](const RunSpec& a, const RunSpec& b) { return a.run_id < b.run_id; });
    const auto body = [](const std::string& text) {
        const std::size_t end_of_header = text.find('\n');
        return end_of_header == std::string::npos ? std::string() : text.substr(end_of_header + 1);
    };
    for (const RunSpec& run : sorted) {
        if (fs::exists(part(run.run_id, "attempts"))) attempts += body(read_file(part(run.run_id, "attempts")));
        if (!finished(run.run_id)) {
            missing.push_back(run.run_id);
            continue;
        }
        const RunParts parts = read_parts(run.run_id);
        const CsvTable table = parse_csv(parts.row);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < table[0].size(); ++i) {
            row[table[0][i]] = table[1][i];
            if (!is_run_column(table[0][i])) metric_names.insert(table[0][i]);
        }
        rows.push_back(std::move(row));
        trace += body(parts.trace);
        stats += body(parts.stats);
        holdout += body(parts.holdout);
        std::vector<std::string> recorded(provenance_columns().size());
        recorded[0] = std::to_string(run.run_id);
        if (!parts.provenance.empty()) recorded = provenance_fields(parse_csv(parts.provenance).at(1));
        provenance += csv_line(recorded);
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
    // Only a folder where some attempt failed has one, so that published folders stay as they were.
    if (line_count(attempts) > 1) write_file_atomically(dir_ / "attempts.csv", attempts);
    else fs::remove(dir_ / "attempts.csv", ignored);
    // Likewise only runs of problems with hold-out metrics have rows.
    if (line_count(holdout) > 1) write_file_atomically(dir_ / "holdout.csv", holdout);
    else fs::remove(dir_ / "holdout.csv", ignored);
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

void ResultStore::adopt_grown(const std::string& campaign_key, const std::vector<RunSpec>& plan) const {
    // The plan first: cut short after it, the folder keeps the old key and a plan in which its
    // runs have their ids, which the grown campaign adopts again and the old one still matches.
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
    auto holdout = fs::exists(dir_ / "holdout.csv") ? lines_by_run(dir_ / "holdout.csv")
                                                    : std::map<std::string, std::string>{};
    if (!holdout.empty() && holdout[""] != csv_line(holdout_columns()))
        throw Error(fmt::format("{}: expected the header {}", (dir_ / "holdout.csv").string(),
                                fmt::join(holdout_columns(), ",")));
    const bool has_provenance = fs::exists(dir_ / "provenance.csv");
    std::map<std::string, std::vector<std::string>> provenance;
    if (has_provenance) {
        const CsvTable table = read_csv(dir_ / "provenance.csv");
        if (table.empty() || (table[0] != provenance_columns() && !is_older_provenance_header(table[0])))
            throw Error(fmt::format("{}: expected the header {}", (dir_ / "provenance.csv").string(),
                                    fmt::join(provenance_columns(), ",")));
        for (std::size_t i = 1; i < table.size(); ++i)
            if (table[i].size() == table[0].size()) provenance[table[i][0]] = provenance_fields(table[i]);
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
    for (const auto& [id, lines] : holdout)
        if (!id.empty() && std::none_of(runs.begin() + 1, runs.end(), [&](const auto& row) { return row[id_at] == id; }))
            throw Error(fmt::format("{}: run_id {} is not in runs.csv: the files do not belong together",
                                    (dir_ / "holdout.csv").string(), id));
    for (std::size_t i : to_recover) {
        const std::string& id = runs[i][id_at];
        write_parts(std::stoul(id), {traces[""] + traces[id], stats[""] + stats[id],
                                     has_provenance && !provenance[id][1].empty()
                                         ? csv_line(provenance_columns()) + csv_line(provenance[id])
                                         : "",
                                     csv_line(header) + csv_line(runs[i]),
                                     holdout.count(id) ? holdout[""] + holdout[id] : ""});
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

void ResultStore::copy_run(const ResultStore& from, std::size_t run_id) const {
    write_parts(run_id, from.read_parts(run_id));
}

}  // namespace optbench::host
