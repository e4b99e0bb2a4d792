#include "report/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "base/error.hpp"
#include "optbench/sdk/params.hpp"
#include "optbench/sdk/rng.hpp"
#include "report/comparison.hpp"
#include "report/plots.hpp"
#include "results/csv.hpp"

namespace optbench::host::report {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct ProblemSet {
    std::string name;
    std::vector<std::string> problems;
};

// All problems; each value of the `dim` parameter (numerically ascending); each declared suite.
std::vector<ProblemSet> problem_sets(const ResultSet& results) {
    std::map<std::pair<double, std::string>, std::vector<std::string>> by_dim;
    std::vector<ProblemSet> by_suite;
    for (const std::string& problem : results.problems) {
        const auto runs = results.runs_of(problem);
        const Spec& spec = runs.front()->spec.problem;  // every problem has a run
        for (const auto& [key, value] : spec.params)
            if (key == "dim") by_dim[{std::strtod(value.c_str(), nullptr), value}].push_back(problem);
        const std::string& suite = results.declarations.problem(spec.name).suite;
        if (suite.empty()) continue;
        const std::string name = "suite " + suite;
        auto set = std::find_if(by_suite.begin(), by_suite.end(), [&](const ProblemSet& s) { return s.name == name; });
        if (set == by_suite.end()) set = by_suite.insert(by_suite.end(), {name, {}});
        set->problems.push_back(problem);
    }
    std::vector<ProblemSet> candidates = {{"all problems", results.problems}};
    for (auto& [dim, problems] : by_dim) candidates.push_back({"dim=" + dim.second, std::move(problems)});
    candidates.insert(candidates.end(), by_suite.begin(), by_suite.end());
    std::vector<ProblemSet> sets;
    for (ProblemSet& candidate : candidates) {
        const auto same = std::find_if(sets.begin(), sets.end(),
                                       [&](const ProblemSet& s) { return s.problems == candidate.problems; });
        if (same != sets.end()) same->name += " = " + candidate.name;
        else sets.push_back(std::move(candidate));
    }
    return sets;
}

bool higher_is_better(const RankBy& by) { return by.score == RankScore::ecdf_area; }

// Why an optimizer that ran on a problem has no score there: the final value needs an ok run;
// runtimes count every run that started, so only runs that were all not applicable leave none.
std::string missing_score(const RankBy& by) {
    return by.score == RankScore::final_value ? "no ok run of" : "only not_applicable runs of";
}

// score[problem][optimizer], NaN where the optimizer has none.
using Scores = std::map<std::string, std::map<std::string, double>>;

Scores all_scores(const ResultSet& results, const RankOptions& options) {
    Scores scores;
    switch (options.by.score) {
    case RankScore::final_value:
        for (const std::string& problem : results.problems)
            for (const std::string& optimizer : results.optimizers)
                scores[problem][optimizer] = quantile(ok_values(results, problem, optimizer, results.measure(problem)), 0.5);
        break;
    case RankScore::target_runtime:
        for (const TargetStats& s : target_statistics(results, {options.by.target}))
            scores[s.problem][s.optimizer] = s.art;
        break;
    case RankScore::ecdf_area:
        for (const std::string& problem : results.problems)
            if (results.measure(problem) == Measure::error)
                for (const std::string& optimizer : results.optimizers)
                    scores[problem][optimizer] = ecdf_area(results, problem, optimizer, options.seed);
        break;
    }
    return scores;
}

double score_of(const Scores& scores, const std::string& problem, const std::string& optimizer) {
    const auto row = scores.find(problem);
    if (row == scores.end()) return nan;
    const auto cell = row->second.find(optimizer);
    return cell == row->second.end() ? nan : cell->second;
}

// +1: first better on the problem, -1: second better, 0: a tie (see ranking_method_text).
int outcome_on(const ResultSet& results, const RankOptions& options, const std::string& problem,
               const std::string& first, const std::string& second, double first_score, double second_score) {
    if (options.by.score == RankScore::final_value) {
        const Measure measure = results.measure(problem);
        const auto x = ok_values(results, problem, first, measure), y = ok_values(results, problem, second, measure);
        if (mann_whitney_less(x, y).p_value < options.alpha / 2) return 1;
        if (mann_whitney_less(y, x).p_value < options.alpha / 2) return -1;
        return 0;
    }
    if (first_score == second_score) return 0;
    return (first_score < second_score) != higher_is_better(options.by) ? 1 : -1;
}

Ranking rank_set(const ResultSet& results, const RankOptions& options, const Scores& scores, const ProblemSet& set) {
    Ranking ranking;
    ranking.set = set.name;
    for (const std::string& optimizer : results.optimizers)
        if (std::any_of(set.problems.begin(), set.problems.end(),
                        [&](const std::string& p) { return results.pairings.count({p, optimizer}) > 0; }))
            ranking.optimizers.push_back(optimizer);
    const std::size_t k = ranking.optimizers.size();
    for (const std::string& problem : set.problems) {
        if (options.by.score == RankScore::ecdf_area && results.measure(problem) != Measure::error) {
            ranking.dropped.push_back({problem, "f_opt unknown: no ECDF"});
            continue;
        }
        std::vector<double> row;
        std::vector<std::string> not_run, without;
        for (const std::string& optimizer : ranking.optimizers) {
            row.push_back(score_of(scores, problem, optimizer));
            if (!results.pairings.count({problem, optimizer})) not_run.push_back(optimizer);
            else if (std::isnan(row.back())) without.push_back(optimizer);
        }
        if (!not_run.empty() || !without.empty()) {
            std::vector<std::string> reasons;
            if (!not_run.empty()) reasons.push_back(fmt::format("not run by {}", fmt::join(not_run, ", ")));
            if (!without.empty()) reasons.push_back(fmt::format("{} {}", missing_score(options.by), fmt::join(without, ", ")));
            ranking.dropped.push_back({problem, fmt::format("{}", fmt::join(reasons, "; "))});
            continue;
        }
        std::vector<double> oriented = row;
        if (higher_is_better(options.by))
            for (double& v : oriented) v = -v;
        ranking.problems.push_back(problem);
        ranking.ranks.push_back(midranks(oriented));
        ranking.scores.push_back(std::move(row));
    }
    const std::size_t n = ranking.problems.size();
    ranking.average_ranks.assign(k, nan);
    for (std::size_t j = 0; j < k && n > 0; ++j) {
        double sum = 0;
        for (const auto& ranks : ranking.ranks) sum += ranks[j];
        ranking.average_ranks[j] = sum / static_cast<double>(n);
    }
    ranking.friedman = friedman_test(ranking.ranks);
    if (n < 2) return ranking;
    ranking.critical_difference = nemenyi_critical_difference(k, n, options.alpha);
    std::vector<double> p_values;
    for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = a + 1; b < k; ++b) {
            PairComparison pair;
            pair.first = a;
            pair.second = b;
            std::vector<double> x, y;
            for (std::size_t i = 0; i < n; ++i) {
                x.push_back(ranking.scores[i][a]);
                y.push_back(ranking.scores[i][b]);
                const int outcome = outcome_on(results, options, ranking.problems[i], ranking.optimizers[a],
                                               ranking.optimizers[b], x.back(), y.back());
                (outcome > 0 ? pair.wins : outcome < 0 ? pair.losses : pair.ties) += 1;
            }
            pair.wilcoxon = wilcoxon_signed_rank(x, y);
            p_values.push_back(pair.wilcoxon.p_value);
            ranking.pairs.push_back(pair);
        }
    const std::vector<double> adjusted = holm_adjust(p_values);
    for (std::size_t i = 0; i < ranking.pairs.size(); ++i) ranking.pairs[i].p_holm = adjusted[i];
    return ranking;
}

std::string format_p(double p) { return format_number(p, 2); }

std::string problems_cell(const Ranking& r) {
    return r.dropped.empty() ? std::to_string(r.problems.size())
                             : fmt::format("{} ({} left out)", r.problems.size(), r.dropped.size());
}

}  // namespace

RankBy parse_rank_by(const std::string& text) {
    const std::string expected = "expected final, target:VALUE (a finite number, e.g. target:1e-8) or ecdf-area";
    if (text == "final") return {RankScore::final_value, 0};
    if (text == "ecdf-area") return {RankScore::ecdf_area, 0};
    if (text.rfind("target:", 0) == 0) {
        double target = 0;
        if (sdk::detail::parse_double(text.substr(7), target) && std::isfinite(target))
            return {RankScore::target_runtime, target};
    }
    throw Error(fmt::format("--rank-by '{}': {}", text, expected));
}

std::string rank_by_option(const RankBy& by) {
    switch (by.score) {
    case RankScore::final_value: return "final";
    case RankScore::target_runtime: return "target:" + csv_number(by.target);
    case RankScore::ecdf_area: return "ecdf-area";
    }
    return "";
}

std::string describe(const RankBy& by) {
    switch (by.score) {
    case RankScore::final_value: return "median final value (error, or best f without f_opt; lower is better)";
    case RankScore::target_runtime:
        return fmt::format("aRT to the target {} on the error (best f without f_opt; lower is better, ∞ last)",
                           format_number(by.target));
    case RankScore::ecdf_area: return "area under the runtime ECDF (higher is better)";
    }
    return "";
}

double ecdf_area(const ResultSet& results, const std::string& problem, const std::string& optimizer,
                 std::uint64_t seed) {
    double budget = 10;
    for (const RunRecord* r : results.runs_of(problem))
        if (r->ran()) budget = std::max({budget, r->budget, r->cost});
    const double width = std::log10(budget);
    std::vector<const RunRecord*> runs;
    for (const RunRecord* r : results.runs_of(problem, optimizer))
        if (r->ran()) runs.push_back(r);
    if (runs.empty()) return nan;
    // The seeds and draws of runtime_ecdf: the area belongs to the curve the plots show.
    const std::size_t samples = restart_sample_size(runs.size());
    sdk::Rng rng(sdk::derive_seed({"report ecdf", optimizer, problem}, seed));
    double area = 0;
    const std::vector<double> targets = ecdf_targets();
    for (double target : targets) {
        std::vector<RunOutcome> outcomes;
        for (const RunRecord* r : runs) outcomes.push_back(outcome(Measure::error, *r, target));
        for (double runtime : simulated_restart_runtimes(outcomes, samples, rng))
            area += std::max(0.0, 1 - std::log10(std::max(runtime, 1.0)) / width);
    }
    return area / static_cast<double>(targets.size() * samples);
}

std::vector<Ranking> rank_optimizers(const ResultSet& results, const RankOptions& options) {
    const Scores scores = all_scores(results, options);
    std::vector<Ranking> rankings;
    for (const ProblemSet& set : problem_sets(results)) {
        Ranking ranking = rank_set(results, options, scores, set);
        if (ranking.optimizers.size() >= 2) rankings.push_back(std::move(ranking));
    }
    return rankings;
}

Table ranking_table(const std::vector<Ranking>& rankings, const RankOptions& options) {
    std::vector<std::string> optimizers;
    for (const Ranking& r : rankings)
        for (const std::string& o : r.optimizers)
            if (std::find(optimizers.begin(), optimizers.end(), o) == optimizers.end()) optimizers.push_back(o);
    Table t;
    t.title = "Average rank of each optimizer across problems (1 = best)";
    // Grouped by set and reason: a campaign with optimizers that ran in one dimension only leaves
    // out many problems for one reason.
    std::vector<std::string> left_out;
    for (const Ranking& r : rankings) {
        std::vector<std::pair<std::string, std::vector<std::string>>> by_reason;
        for (const DroppedProblem& d : r.dropped) {
            auto group = std::find_if(by_reason.begin(), by_reason.end(), [&](const auto& g) { return g.first == d.reason; });
            if (group == by_reason.end()) group = by_reason.insert(by_reason.end(), {d.reason, {}});
            group->second.push_back(d.problem);
        }
        for (const auto& [reason, problems] : by_reason)
            left_out.push_back(fmt::format("{} ({}): {}", r.set, reason, fmt::join(problems, ", ")));
    }
    t.note = fmt::format(
        "Ranked per problem by the {}; tied scores share their mean rank. Friedman: chi-square test (tie-corrected) "
        "that every optimizer ranks alike; Iman-Davenport F: its F form. CD: Nemenyi's critical difference at alpha "
        "= {}: average ranks that differ by CD or more differ significantly. Pairs: tables/ranking_pairs.md. {}",
        describe(options.by), options.alpha,
        left_out.empty() ? "Every problem of every set was ranked."
                         : fmt::format("Left out of a set, as some optimizer of the set has no score on them: {}.",
                                       fmt::join(left_out, "; ")));
    t.header = {"problem set", "problems"};
    t.header.insert(t.header.end(), optimizers.begin(), optimizers.end());
    t.header.insert(t.header.end(), {"Friedman chi2", "p", "Iman-Davenport F", "p", "CD"});
    t.align = "lr" + std::string(optimizers.size() + 5, 'r');
    for (const Ranking& r : rankings) {
        std::vector<Cell> row = {{r.set}, {problems_cell(r)}};
        double lowest = std::numeric_limits<double>::infinity();
        for (double rank : r.average_ranks) lowest = std::min(lowest, rank);
        for (const std::string& o : optimizers) {
            const auto at = std::find(r.optimizers.begin(), r.optimizers.end(), o);
            const double rank = at == r.optimizers.end() ? nan : r.average_ranks[at - r.optimizers.begin()];
            row.push_back({format_number(rank, 3), rank == lowest});
        }
        row.push_back({format_number(r.friedman.chi_square)});
        row.push_back({format_p(r.friedman.p_value)});
        row.push_back({format_number(r.friedman.iman_davenport)});
        row.push_back({format_p(r.friedman.iman_davenport_p)});
        row.push_back({format_number(r.critical_difference, 3)});
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::vector<Table> pair_tables(const std::vector<Ranking>& rankings, const RankOptions& options) {
    std::vector<Table> tables;
    for (const Ranking& r : rankings) {
        if (r.pairs.empty()) continue;
        Table t;
        t.title = fmt::format("Pairs of optimizers on {} ({} problems)", r.set, r.problems.size());
        if (tables.empty())
            t.note = fmt::format(
                "W/T/L: problems where A is better / neither / B is better ({}). rank A - B: difference of the "
                "average ranks; Nemenyi: 'differ' when it is at least the critical difference {}. Wilcoxon: "
                "two-sided signed-rank test on the per-problem scores of A minus B over the problems with a nonzero "
                "difference (n), T = the smaller rank sum; p Holm: Holm-adjusted over the set's pairs, **bold** "
                "below alpha = {}.",
                options.by.score == RankScore::final_value
                    ? fmt::format("a two-sided Mann-Whitney test of their ok runs at alpha = {}", options.alpha)
                    : "equal scores tie",
                format_number(r.critical_difference, 3), options.alpha);
        t.header = {"A", "B", "W/T/L", "rank A - B", "Nemenyi", "Wilcoxon T", "n", "p", "p Holm"};
        t.align = "llrrlrrrr";
        for (const PairComparison& pair : r.pairs) {
            const double difference = r.average_ranks[pair.first] - r.average_ranks[pair.second];
            t.rows.push_back({{r.optimizers[pair.first]},
                              {r.optimizers[pair.second]},
                              {fmt::format("{}/{}/{}", pair.wins, pair.ties, pair.losses)},
                              {format_number(difference, 3)},
                              {std::abs(difference) >= r.critical_difference ? "differ" : "-"},
                              {format_number(pair.wilcoxon.statistic)},
                              {std::to_string(pair.wilcoxon.n)},
                              {format_p(pair.wilcoxon.p_value)},
                              {format_p(pair.p_holm), pair.p_holm < options.alpha}});
        }
        tables.push_back(std::move(t));
    }
    return tables;
}

std::string ranking_csv(const std::vector<Ranking>& rankings, const RankOptions& options) {
    std::string out = csv_line({"rank_by", "set", "problems", "left_out", "optimizer", "average_rank", "friedman_chi2",
                                "friedman_p", "tie_correction", "iman_davenport_f", "iman_davenport_p", "alpha",
                                "critical_difference"});
    for (const Ranking& r : rankings)
        for (std::size_t j = 0; j < r.optimizers.size(); ++j)
            out += csv_line({rank_by_option(options.by), r.set, std::to_string(r.problems.size()),
                             std::to_string(r.dropped.size()), r.optimizers[j], csv_number(r.average_ranks[j]),
                             csv_number(r.friedman.chi_square), csv_number(r.friedman.p_value),
                             csv_number(r.friedman.tie_correction), csv_number(r.friedman.iman_davenport),
                             csv_number(r.friedman.iman_davenport_p), csv_number(options.alpha),
                             csv_number(r.critical_difference)});
    return out;
}

std::string pairs_csv(const std::vector<Ranking>& rankings, const RankOptions& options) {
    std::string out = csv_line({"rank_by", "set", "optimizer_a", "optimizer_b", "problems", "wins", "ties", "losses",
                                "rank_difference", "nemenyi_differ", "wilcoxon_n", "wilcoxon_r_plus",
                                "wilcoxon_r_minus", "wilcoxon_statistic", "wilcoxon_exact", "p_value", "p_holm"});
    for (const Ranking& r : rankings)
        for (const PairComparison& pair : r.pairs) {
            const double difference = r.average_ranks[pair.first] - r.average_ranks[pair.second];
            out += csv_line({rank_by_option(options.by), r.set, r.optimizers[pair.first], r.optimizers[pair.second],
                             std::to_string(r.problems.size()), std::to_string(pair.wins), std::to_string(pair.ties),
                             std::to_string(pair.losses), csv_number(difference),
                             std::abs(difference) >= r.critical_difference ? "1" : "0",
                             std::to_string(pair.wilcoxon.n), csv_number(pair.wilcoxon.r_plus),
                             csv_number(pair.wilcoxon.r_minus), csv_number(pair.wilcoxon.statistic),
                             pair.wilcoxon.exact ? "1" : "0", csv_number(pair.wilcoxon.p_value),
                             csv_number(pair.p_holm)});
        }
    return out;
}

std::string scores_csv(const std::vector<Ranking>& rankings, const RankOptions& options) {
    std::string out = csv_line({"rank_by", "set", "problem", "optimizer", "score", "rank"});
    for (const Ranking& r : rankings)
        for (std::size_t i = 0; i < r.problems.size(); ++i)
            for (std::size_t j = 0; j < r.optimizers.size(); ++j)
                out += csv_line({rank_by_option(options.by), r.set, r.problems[i], r.optimizers[j],
                                 csv_number(r.scores[i][j]), csv_number(r.ranks[i][j])});
    return out;
}

std::string ranking_method_text(const RankOptions& options) {
    const std::string ties =
        options.by.score == RankScore::final_value
            ? fmt::format("A wins on a problem when a two-sided Mann-Whitney test finds its ok runs' values smaller "
                          "than B's at alpha = {} (one-sided p < alpha / 2, as the CEC table's +/=/-), loses in the "
                          "reverse case, and ties otherwise (always with a single run each)",
                          options.alpha)
            : "A wins on a problem when its score is better, and ties when the scores are equal (two ∞ aRTs tie)";
    return fmt::format(
        R"(- **Rankings across problems** (`--rank-by {option}`: the {by}). Each optimizer gets one score per
  problem: the median final value over its ok runs (`final`), the aRT to a target over its runs that
  started (`target:VALUE`, ∞ when none reached it), or the area under its runtime ECDF on the problem
  (`ecdf-area`: the ECDF plots' 51 targets and simulated restarts, x = log10(evaluations) from 0 to
  log10 of the largest budget, normalized to 0..1; only problems with f_opt). Within a problem the
  optimizers are ranked 1 (best) to k, tied scores sharing their mean rank. Problem sets: all
  problems, each value of the problems' `dim` parameter, each declared suite (a set with the same
  problems as an earlier one is named with it). A problem where an optimizer of the set has no score
  is left out of that set's ranking and named under the ranking table. **Friedman test** (Demšar
  2006): chi2 = 12 N / (k (k + 1)) (sum_j R_j^2 - k (k + 1)^2 / 4) over N problems and average ranks
  R_j, divided by the tie correction 1 - sum(t^3 - t) / (N k (k^2 - 1)) (as R and scipy), p from the
  chi-square distribution with k - 1 degrees of freedom; **Iman-Davenport** F = (N - 1) chi2 /
  (N (k - 1) - chi2) with k - 1 and (k - 1)(N - 1) degrees of freedom. **Nemenyi**: CD = q_alpha
  sqrt(k (k + 1) / (6 N)), q_alpha the 1 - alpha quantile of the studentized range of k normal
  values (infinite degrees of freedom) / sqrt(2); the critical-difference diagrams draw each
  optimizer at its average rank and join with a bar the groups whose ranks differ by less than CD.
  **Pairs**: two-sided Wilcoxon signed-rank test on the per-problem scores (zero differences dropped,
  Wilcoxon's convention and scipy's default; exact null distribution when no difference is zero, no
  two tie and n <= 50, otherwise the normal approximation with tie-corrected variance), p adjusted by
  Holm over the set's pairs. It compares raw score differences across problems, so problems with
  large scores weigh more (the ranks and `ecdf-area` do not). Wins/ties/losses: {ties}.
)",
        fmt::arg("option", rank_by_option(options.by)), fmt::arg("by", describe(options.by)), fmt::arg("ties", ties));
}

}  // namespace optbench::host::report
