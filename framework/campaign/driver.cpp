#include "campaign/driver.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/text.hpp"
#include "results/csv.hpp"
#include "results/manifest.hpp"

namespace optbench::host {

namespace {

struct ChangedPlugins {
    std::vector<std::size_t> runs;       // run_ids
    std::set<std::string> libraries;     // "name 0.1.0 -> 0.2.0", "name (library file changed)"
};

// The finished runs of `runs` whose recorded plugin libraries (name, version, file hash) differ
// from the loaded ones. Runs of builds that recorded no hash are not counted: nothing is known.
ChangedPlugins runs_of_changed_plugins(const Registry& registry, const ResultStore& store,
                                       const std::vector<RunSpec>& runs) {
    ChangedPlugins changed;
    for (const RunSpec& run : runs) {
        if (!store.finished(run.run_id)) continue;
        const std::optional<RunProvenance> then = store.recorded_provenance(run.run_id);
        // A build that recorded no library hashes still recorded its libraries and versions.
        if (!then) continue;
        const RunProvenance now = provenance_of(registry, run);
        bool differs = false;
        for (const auto& [library, version, hash, then_library, then_version, then_hash] :
             {std::tie(now.optimizer_library, now.optimizer_version, now.optimizer_library_hash,
                       then->optimizer_library, then->optimizer_version, then->optimizer_library_hash),
              std::tie(now.problem_library, now.problem_version, now.problem_library_hash, then->problem_library,
                       then->problem_version, then->problem_library_hash)}) {
            if (library != then_library) {
                changed.libraries.insert(fmt::format("{} -> {}", then_library, library));
            } else if (version != then_version) {
                changed.libraries.insert(fmt::format("{} {} -> {}", library, then_version, version));
            } else if (!then_hash.empty() && hash != then_hash) {
                changed.libraries.insert(fmt::format("{} {}: library file changed", library, version));
            } else {
                continue;
            }
            differs = true;
        }
        if (differs) changed.runs.push_back(run.run_id);
    }
    return changed;
}

}  // namespace

ExecutionSummary run_campaign(const Registry& registry, const Campaign& campaign,
                              const std::string& out_dir, const ExecutionOptions& options,
                              const ResumeOptions& resume) {
    const Shard& shard = resume.shard;
    const bool keep_published = resume.keep_published;
    const std::vector<RunSpec> positional_plan = plan_runs(registry, campaign);
    if (shard.count == 0 || shard.index >= shard.count)
        throw Error(fmt::format("--shard must be K/N with 0 <= K < N, got {}/{}", shard.index, shard.count));
    const auto check_rerun = [&](const std::vector<RunSpec>& runs, const std::vector<RunSpec>& plan) {
        for (std::size_t id : resume.rerun)
            if (std::none_of(runs.begin(), runs.end(), [&](const RunSpec& r) { return r.run_id == id; })) {
                std::size_t last = 0;
                for (const RunSpec& r : plan) last = std::max(last, r.run_id);
                throw Error(fmt::format("--rerun {}: no such run in {} (run_id 0 to {}{})", id,
                                        shard.count == 1 ? "this campaign" : "this shard", last,
                                        shard.count == 1 ? "" : fmt::format(", those with run_id % {} == {}", shard.count, shard.index)));
            }
    };
    // A new folder numbers runs by position: a bad --rerun is refused before anything is written.
    if (!std::filesystem::exists(std::filesystem::path(out_dir) / "parts" / "plan.csv"))
        check_rerun(shard_of(positional_plan, shard.index, shard.count), positional_plan);
    std::set<std::string> unoptimized;
    for (const RunSpec& run : positional_plan)
        for (const auto& [kind, spec] : {std::pair{abi::EntryKind::optimizer, &run.optimizer},
                                         std::pair{abi::EntryKind::problem, &run.problem}})
            if (const PluginEntry& entry = registry.find(kind, spec->name); entry.library_build == "unoptimized")
                unoptimized.insert(entry.file.string());
    for (const std::string& file : unoptimized)
        fmt::print(stderr, "warning: plugin {} was compiled without optimisation: its runs' wall times will not "
                           "compare with others' (build it with CMAKE_BUILD_TYPE=Release)\n", file);
    const ResultStore store(out_dir, ResultStore::Access::write, resume.wait_for_lock);
    // A folder that holds this campaign, or one it grew from, keeps its run_ids.
    std::vector<RunSpec> plan = positional_plan;
    const std::string folder_key = store.campaign_key();
    const bool grows = !folder_key.empty() && folder_key != campaign.canonical();
    if (grows) check_growth(folder_key, campaign, out_dir);
    const std::vector<RunSpec> folder_plan = folder_key.empty() ? std::vector<RunSpec>{} : store.plan();
    if (!folder_key.empty())
        plan = with_folder_run_ids(positional_plan, folder_plan,
                                   [&](std::size_t run_id) { return store.finished(run_id); }, out_dir);
    const std::vector<RunSpec> runs = shard_of(plan, shard.index, shard.count);
    check_rerun(runs, plan);
    const bool has_csvs = std::filesystem::exists(store.dir() / "runs.csv");
    std::size_t kept = 0;
    if (keep_published) {
        if (!has_csvs) throw Error(fmt::format("--keep-published: {} has no runs.csv to keep runs from", out_dir));
        store.check_campaign(campaign.canonical());
        const std::string published = manifest_campaign_key(store.dir());
        if (published.empty())
            throw Error(fmt::format("--keep-published: {}/manifest.json is missing or names no campaign", out_dir));
        if (published != campaign.canonical())
            throw Error(fmt::format("--keep-published: {}/manifest.json names another campaign than its parts/ do: "
                                    "its CSVs are not this campaign's", out_dir));
        kept = store.recover_parts(plan);  // before claiming: a refused folder stays as it was
    }
    const bool unclaimed = folder_key.empty();
    // A plan that differs from the folder's without a new key: a grown folder resumed with the
    // campaign it grew from (its unfinished new runs are dropped).
    if (grows || (!folder_key.empty() && plan_csv(plan) != plan_csv(folder_plan)))
        store.adopt_grown(campaign.canonical(), plan);
    else
        store.claim(campaign.canonical(), plan);
    if (grows) {
        const auto finished = static_cast<std::size_t>(
            std::count_if(plan.begin(), plan.end(), [&](const RunSpec& r) { return store.finished(r.run_id); }));
        fmt::print(stderr, "{} grows to this campaign of {}: its {} kept; new runs are numbered after its last\n",
                   out_dir, counted(plan.size(), "run"), counted(finished, "finished run"));
    }
    if (keep_published)
        fmt::print(stderr, "kept {} published runs of {} that had no parts/ (rebuilt from its CSVs)\n", kept, out_dir);
    else if (unclaimed && has_csvs &&
             std::none_of(plan.begin(), plan.end(), [&](const RunSpec& r) { return store.finished(r.run_id); }))
        fmt::print(stderr, "note: {} holds published runs of this campaign but no parts/: every run runs again "
                           "(--keep-published keeps them)\n", out_dir);
    std::size_t again = store.forget_damaged(runs);
    const ChangedPlugins changed = runs_of_changed_plugins(registry, store, runs);
    if (!changed.runs.empty()) {
        const std::string what = fmt::format("{} in {} {} made by plugins that changed since ({})",
                                             counted(changed.runs.size(), "finished run"), out_dir,
                                             changed.runs.size() == 1 ? "was" : "were", fmt::join(changed.libraries, "; "));
        if (resume.rerun_changed) {
            for (std::size_t run_id : changed.runs) store.forget(run_id);
            again += changed.runs.size();
            fmt::print(stderr, "{}: run again (--rerun-changed)\n", what);
        } else if (resume.keep_changed) {
            fmt::print(stderr, "{}: kept (--keep-changed); provenance.csv names each run's build\n", what);
        } else {
            throw Error(what + "; add --rerun-changed to run them again, or --keep-changed to keep them");
        }
    }
    for (const RunSpec& run : runs) {
        const bool asked = std::find(resume.rerun.begin(), resume.rerun.end(), run.run_id) != resume.rerun.end();
        if (store.finished(run.run_id) && (asked || (resume.retry_failed && store.failed(run.run_id)))) {
            store.forget(run.run_id);
            ++again;
        }
    }
    if (resume.retry_failed || !resume.rerun.empty())
        fmt::print(stderr, "running {} again in {}\n", counted(again, "finished run"), out_dir);
    const std::string started = utc_now();
    const std::string shard_text =
        shard.count == 1 ? "all" : fmt::format("{}/{}", shard.index, shard.count);
    Manifest manifest = manifest_of(campaign, registry, plan.size(), shard_text);
    manifest.started = started;
    write_file_atomically(store.dir() / "manifest.json", manifest_json(manifest));
    const ExecutionSummary summary = execute_runs(registry, store, runs, campaign.settings, options);
    // Every finished run of the campaign in this folder, so that shards run one after another
    // into the same folder add up.
    const std::vector<std::size_t> unfinished = store.assemble(plan);  // sorted run_ids
    if (const std::string differences = build_differences(read_csv(store.dir() / "provenance.csv"));
        !differences.empty())
        fmt::print(stderr, "note: {} mixes builds ({}); provenance.csv names each run's\n", out_dir, differences);
    if (summary.interrupted_by != 0) return summary;  // the manifest keeps "ended": null
    const auto missing = std::count_if(runs.begin(), runs.end(), [&](const RunSpec& r) {
        return std::binary_search(unfinished.begin(), unfinished.end(), r.run_id);
    });
    if (missing > 0) throw Error(fmt::format("{} runs have no result in {}", missing, out_dir));
    manifest.ended = utc_now();
    write_file_atomically(store.dir() / "manifest.json", manifest_json(manifest));
    return summary;
}

}  // namespace optbench::host
