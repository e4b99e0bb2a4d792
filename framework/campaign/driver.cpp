#include "campaign/driver.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/text.hpp"
#include "results/csv.hpp"
#include "results/manifest.hpp"

namespace optbench::host {

ExecutionSummary run_campaign(const Registry& registry, const Campaign& campaign,
                              const std::string& out_dir, const ExecutionOptions& options,
                              const ResumeOptions& resume) {
    const Shard& shard = resume.shard;
    const bool keep_published = resume.keep_published;
    const std::vector<RunSpec> plan = plan_runs(registry, campaign);
    if (shard.count == 0 || shard.index >= shard.count)
        throw Error(fmt::format("--shard must be K/N with 0 <= K < N, got {}/{}", shard.index, shard.count));
    const std::vector<RunSpec> runs = shard_of(plan, shard.index, shard.count);
    for (std::size_t id : resume.rerun)
        if (std::none_of(runs.begin(), runs.end(), [&](const RunSpec& r) { return r.run_id == id; }))
            throw Error(fmt::format("--rerun {}: no such run in {} (run_id 0 to {}{})", id,
                                    shard.count == 1 ? "this campaign" : "this shard", plan.size() - 1,
                                    shard.count == 1 ? "" : fmt::format(", those with run_id % {} == {}", shard.count, shard.index)));
    const ResultStore store(out_dir, ResultStore::Access::write, resume.wait_for_lock);
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
    const bool unclaimed = store.campaign_key().empty();
    store.claim(campaign.canonical(), plan);
    if (keep_published)
        fmt::print(stderr, "kept {} published runs of {} that had no parts/ (rebuilt from its CSVs)\n", kept, out_dir);
    else if (unclaimed && has_csvs &&
             std::none_of(plan.begin(), plan.end(), [&](const RunSpec& r) { return store.finished(r.run_id); }))
        fmt::print(stderr, "note: {} holds published runs of this campaign but no parts/: every run runs again "
                           "(--keep-published keeps them)\n", out_dir);
    std::size_t again = store.forget_damaged(runs);
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
