#include "report/coco.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "results/csv.hpp"
#include "base/error.hpp"
#include "base/text.hpp"

namespace optbench::host::report {

namespace fs = std::filesystem;

namespace {

// COCO's target-trigger level of best f - f_opt: 20 levels per decade, with everything below
// the final precision 1e-8 on one level and an exact hit one below it.
int target_level(double delta) {
    if (delta <= 0) delta = 1e-9;
    else if (delta < 1e-8) delta = 1e-8;
    return static_cast<int>(std::ceil(20 * std::log10(delta)));
}

std::string without_quotes(std::string text) {
    std::replace(text.begin(), text.end(), '\'', '"');
    return text;
}

long long whole_evals(double cost) { return std::llround(cost); }

// COCO logs finite best-so-far values (-inf is at the optimum): before a run's first one, nothing.
bool is_logged(const TraceRow& t) { return std::isfinite(t.best_f) || t.best_f < 0; }

struct Row {
    double cost, f, best_f;
};

std::string data_line(const RunRecord& run, const Row& row) {
    const double best = std::max(row.best_f, run.f_opt);
    const double measured = std::isnan(row.f) ? row.best_f : row.f;
    return fmt::format("{} 0 {:+.9e} {:+.9e} {:+.9e}\n", whole_evals(row.cost), best - run.f_opt,
                       std::isinf(measured) ? 3e21 : measured, row.best_f);
}

std::string run_header(const RunRecord& run) {
    return fmt::format(
        "% f evaluations | g evaluations | best noise-free fitness - Fopt ({:13.12e}) + sum g_i+ | "
        "measured fitness | best measured fitness or single-digit g-values\n",
        run.f_opt);
}

std::string target_triggered(const RunRecord& run) {
    std::string out = run_header(run);
    int last_level = 0;
    const TraceRow* last_written = nullptr;
    for (const TraceRow& t : run.trace) {
        if (!is_logged(t)) continue;
        const int level = target_level(std::max(t.best_f, run.f_opt) - run.f_opt);
        if (last_written && level >= last_level) continue;
        out += data_line(run, {t.cost, t.f, t.best_f});
        last_level = level;
        last_written = &t;
    }
    if (!run.trace.empty() && is_logged(run.trace.back()) && last_written != &run.trace.back())
        out += data_line(run, {run.trace.back().cost, run.trace.back().f, run.trace.back().best_f});
    return out;
}

std::string budget_triggered(const RunRecord& run) {
    std::string out = run_header(run);
    if (run.trace.empty()) return out;
    const double last = run.trace.back().cost;
    std::vector<double> counts;
    for (int k = 0;; ++k) {
        const double c = std::floor(std::pow(10.0, k / 20.0));
        if (c > last) break;
        counts.push_back(c);
    }
    const double d = static_cast<double>(run.spec.dim);
    for (double decade = 1; d * decade <= last; decade *= 10)
        for (double factor : {1.0, 2.0, 5.0})
            if (d * factor * decade <= last) counts.push_back(d * factor * decade);
    counts.push_back(last);
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    for (double c : counts) {
        const auto after = std::upper_bound(run.trace.begin(), run.trace.end(), c,
                                            [](double count, const TraceRow& t) { return count < t.cost; });
        if (after == run.trace.begin()) continue;
        const TraceRow& t = *std::prev(after);
        if (!is_logged(t)) continue;
        out += data_line(run, {c, t.cost == c ? t.f : t.best_f, t.best_f});
    }
    return out;
}

}  // namespace

CocoFunction coco_function(const ResultSet& results, const RunRecord& run) {
    const ProblemDeclaration& declared = results.declarations.problem(run.spec.problem.name);
    if (!declared.coco_format || declared.suite.empty()) return {};
    return {declared.suite, results.function_of(run)};
}

std::vector<fs::path> write_coco_export(const ResultSet& results, const fs::path& folder) {
    // optimizer -> (suite, function) -> dim -> runs
    std::map<std::string, std::map<CocoFunction, std::map<std::size_t, std::vector<const RunRecord*>>>> blocks;
    for (const RunRecord& r : results.runs) {
        const CocoFunction function = coco_function(results, r);
        // Runs that ended in error too (a timeout's trace is as good as any): the report's
        // runtimes count them, and cocopp's should agree. A crashed process logged nothing.
        if (function.number > 0 && r.ran() && std::isfinite(r.f_opt) &&
            std::any_of(r.trace.begin(), r.trace.end(), is_logged))
            blocks[r.optimizer][function][r.spec.dim].push_back(&r);
    }
    std::vector<fs::path> written;
    std::set<std::string> folder_names;
    for (const std::string& optimizer : results.optimizers) {
        const auto by_function = blocks.find(optimizer);
        if (by_function == blocks.end()) continue;
        const fs::path root = folder / distinct_portable_name(optimizer, folder_names);
        for (const auto& [function, by_dim] : by_function->second) {
            const auto& [suite, number] = function;
            std::error_code ec;
            fs::create_directories(root / fmt::format("data_f{}", number), ec);
            if (ec) throw Error(fmt::format("cannot create {}: {}", root.string(), ec.message()));
            std::string info;
            for (auto [dim, runs] : by_dim) {
                std::stable_sort(runs.begin(), runs.end(), [](const RunRecord* a, const RunRecord* b) {
                    return std::tie(a->spec.instance, a->spec.rep) < std::tie(b->spec.instance, b->spec.rep);
                });
                const std::string data_file = fmt::format("data_f{0}/{1}exp_f{0}_DIM{2}", number, suite, dim);
                if (!info.empty()) info += "\n";
                // COCO names the logger and its data format after the suite.
                info += fmt::format(
                    "suite = '{0}', funcId = {1}, DIM = {2}, Precision = 1.000e-08, algId = '{3}', "
                    "coco_version = '', logger = '{0}', data_format = '{0}-new2'\n"
                    "% exported by optbench report from {4}; evaluations in budget cost units\n{5}.dat",
                    suite, number, dim, without_quotes(optimizer), without_quotes(results.dir.string()), data_file);
                std::string dat, tdat;
                for (const RunRecord* r : runs) {
                    const TraceRow& final = *std::find_if(r->trace.rbegin(), r->trace.rend(), is_logged);
                    info += fmt::format(", {}:{}|{:.1e}", r->spec.instance, whole_evals(final.cost),
                                        std::max(final.best_f, r->f_opt) - r->f_opt);
                    dat += target_triggered(*r);
                    tdat += budget_triggered(*r);
                }
                info += "\n";
                write_file_atomically(root / (data_file + ".dat"), dat);
                write_file_atomically(root / (data_file + ".tdat"), tdat);
            }
            write_file_atomically(root / fmt::format("{}exp_f{}.info", suite, number), info);
        }
        written.push_back(root);
    }
    return written;
}

}  // namespace optbench::host::report
