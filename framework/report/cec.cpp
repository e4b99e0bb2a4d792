#include "report/cec.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/text.hpp"
#include "results/csv.hpp"

namespace optbench::host::report {

namespace fs = std::filesystem;

namespace {

using Key = std::tuple<std::string, int, std::size_t>;  // suite, function, dim

// The CEC row a run belongs to; function 0 for a run of another suite.
Key cec_key(const ResultSet& results, const RunRecord& run) {
    const ProblemDeclaration& declared = results.declarations.problem(run.spec.problem.name);
    if (!declared.cec_format) return {"", 0, 0};
    return {declared.suite, results.function_of(run), run.spec.dim};
}

// key -> optimizer -> ok runs, in repetition order.
std::map<Key, std::map<std::string, std::vector<const RunRecord*>>> cec_runs(const ResultSet& results) {
    std::map<Key, std::map<std::string, std::vector<const RunRecord*>>> groups;
    for (const RunRecord& r : results.runs) {
        const Key key = cec_key(results, r);
        if (std::get<1>(key) > 0 && r.ok() && !r.trace.empty()) groups[key][r.optimizer].push_back(&r);
    }
    for (auto& [key, by_optimizer] : groups)
        for (auto& [optimizer, runs] : by_optimizer)
            std::stable_sort(runs.begin(), runs.end(),
                             [](const RunRecord* a, const RunRecord* b) { return a->spec.rep < b->spec.rep; });
    return groups;
}

double floored(double error) { return error < cec_zero_error ? 0 : error; }

}  // namespace

double cec_error_at(const RunRecord& run, double fraction) {
    double error = best_at(Measure::error, run, fraction * run.budget);
    if (std::isnan(error) && !run.trace.empty()) error = measured(Measure::error, run, run.trace.front().best_f);
    return floored(error);
}

CecComparison cec_comparison(const ResultSet& results, const std::string& reference, double alpha) {
    CecComparison out;
    out.alpha = alpha;
    // Checked also when no run is in the CEC format: a misspelt name is not silently ignored.
    if (!reference.empty() &&
        std::find(results.optimizers.begin(), results.optimizers.end(), reference) == results.optimizers.end())
        throw Error(fmt::format("--reference '{}': no optimizer of that name in runs.csv; expected one of {}",
                                reference, fmt::join(results.optimizers, ", ")));
    const auto groups = cec_runs(results);
    if (groups.empty()) return out;
    out.reference = reference.empty() ? results.optimizers.front() : reference;
    for (const auto& [key, by_optimizer] : groups) {
        CecRow row{std::get<0>(key), std::get<1>(key), std::get<2>(key), {}};
        std::map<std::string, std::vector<double>> finals;
        for (const auto& [optimizer, runs] : by_optimizer)
            for (const RunRecord* r : runs) finals[optimizer].push_back(cec_error_at(*r, 1.0));
        const auto reference_finals = finals.find(out.reference);
        for (const std::string& optimizer : results.optimizers) {
            const auto it = finals.find(optimizer);
            if (it == finals.end()) continue;
            const std::vector<double>& values = it->second;
            const Summary s = summarize(values);
            CecCell cell{optimizer, values.size(), *std::min_element(values.begin(), values.end()),
                         *std::max_element(values.begin(), values.end()), s.median, s.mean, s.std, ' '};
            if (optimizer != out.reference && reference_finals != finals.end()) {
                // Two-sided at alpha: each direction at alpha / 2.
                if (mann_whitney_less(values, reference_finals->second).p_value < alpha / 2) cell.versus = '+';
                else if (mann_whitney_less(reference_finals->second, values).p_value < alpha / 2) cell.versus = '-';
                else cell.versus = '=';
                auto& counts = out.wins_ties_losses[optimizer];
                ++counts[cell.versus == '+' ? 0 : cell.versus == '=' ? 1 : 2];
            }
            row.cells.push_back(cell);
        }
        out.rows.push_back(std::move(row));
    }
    return out;
}

std::vector<fs::path> write_cec_result_files(const ResultSet& results, const fs::path& folder) {
    std::vector<fs::path> files;
    const auto groups = cec_runs(results);
    if (groups.empty()) return files;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw Error(fmt::format("cannot create {}: {}", folder.string(), ec.message()));
    std::set<std::string> taken;
    std::map<std::string, std::string> file_stem;  // optimizer -> distinct portable name
    for (const std::string& optimizer : results.optimizers) file_stem[optimizer] = distinct_portable_name(optimizer, taken);
    for (const auto& [key, by_optimizer] : groups)
        for (const auto& [optimizer, runs] : by_optimizer) {
            std::string text;
            for (const double fraction : cec_checkpoint_fractions()) {
                std::vector<std::string> errors;
                for (const RunRecord* r : runs) errors.push_back(csv_number(cec_error_at(*r, fraction)));
                text += fmt::format("{}\n", fmt::join(errors, " "));
            }
            const fs::path file = folder / fmt::format("{}_{}_F{}_D{}.txt", file_stem[optimizer],
                                                       portable_name(std::get<0>(key)), std::get<1>(key),
                                                       std::get<2>(key));
            write_file_atomically(file, text);
            files.push_back(file);
        }
    return files;
}

}  // namespace optbench::host::report
