// Rankings of the optimizers across problems, as papers summarize a comparison (Demšar 2006):
// per problem set (all problems, each value of the problems' `dim` parameter, each declared
// suite) the average rank of each optimizer, the Friedman and Iman-Davenport tests, the Nemenyi
// critical difference, and per pair of optimizers the Holm-corrected Wilcoxon signed-rank test
// and wins, ties and losses. Statistics and tables; plots.hpp draws the diagrams.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/data.hpp"
#include "report/rank_statistics.hpp"
#include "report/tables.hpp"

namespace optbench::host::report {

// What an optimizer's score on a problem is.
enum class RankScore {
    final_value,     // median final value (error, or best f) over its ok runs; lower is better
    target_runtime,  // aRT to RankBy::target over its runs that started; lower, +inf last
    ecdf_area,       // area under its runtime ECDF on the problem (see ecdf_area); higher is better
};

struct RankBy {
    RankScore score = RankScore::final_value;
    double target = 0;  // on the problem's measure, for target_runtime
};
// "final", "target:VALUE" (a finite number) or "ecdf-area"; throws Error naming the text.
RankBy parse_rank_by(const std::string& text);
// As --rank-by spells it: "final", "target:1e-08", "ecdf-area".
std::string rank_by_option(const RankBy& by);
// The score in words, e.g. "aRT to the target 1e-8 on the error (...)".
std::string describe(const RankBy& by);

struct RankOptions {
    RankBy by;
    double alpha = 0.05;     // of the Nemenyi difference, the Holm-corrected pairs and the W/T/L tests
    std::uint64_t seed = 1;  // of the ECDFs' simulated restarts (as the ECDF plots draw them)
};

// The normalized area under one optimizer's runtime ECDF on a problem with a known optimum: over
// the 51 targets of ecdf_targets() and the simulated-restart runtimes the ECDF plots draw (same
// seeds), the mean of max(0, 1 - log10(max(runtime, 1)) / L), L = log10 of the largest budget of
// the problem's runs (at least 1): 1 when every target is reached at the first evaluation, 0 when
// none is within that budget. NaN when the optimizer has no run that started on it.
double ecdf_area(const ResultSet& results, const std::string& problem, const std::string& optimizer,
                 std::uint64_t seed);

struct DroppedProblem {
    std::string problem;
    std::string reason;  // e.g. "no ok run of delta, gamma"
};

struct PairComparison {
    std::size_t first = 0, second = 0;  // positions in Ranking::optimizers
    // Of `first` against `second`, over the ranked problems (see ranking_method_text).
    std::size_t wins = 0, ties = 0, losses = 0;
    SignedRankTest wilcoxon;  // on the scores of first minus second
    double p_holm = 1;        // over the pairs of the set
};

struct Ranking {
    std::string set;                      // "all problems", "dim=10", "suite S"; merged names joined by " = "
    std::vector<std::string> optimizers;  // those with a run on some problem of the set, in results order
    std::vector<std::string> problems;    // ranked: every optimizer has a score
    std::vector<DroppedProblem> dropped;
    std::vector<std::vector<double>> scores, ranks;  // [problem][optimizer]; rank 1 is the best
    std::vector<double> average_ranks;               // [optimizer]
    FriedmanTest friedman;
    double critical_difference = FriedmanTest::unknown;  // Nemenyi's at alpha; NaN below 2 problems
    std::vector<PairComparison> pairs;                   // every pair, with 2 or more ranked problems
};

// One ranking per problem set with at least 2 optimizers: all problems, then each value of the
// `dim` parameter (ascending; problems without one are only in the first), then each declared
// suite. A set with the same problems as an earlier one is not repeated: its name joins the
// earlier one's.
std::vector<Ranking> rank_optimizers(const ResultSet& results, const RankOptions& options);

// The average ranks of every set (best bold) with the Friedman, Iman-Davenport and Nemenyi
// columns, and what was left out.
Table ranking_table(const std::vector<Ranking>& rankings, const RankOptions& options);
// One table per set with 2 or more ranked problems: each pair's W/T/L, rank difference against
// the critical difference, Wilcoxon statistic and p-values.
std::vector<Table> pair_tables(const std::vector<Ranking>& rankings, const RankOptions& options);
std::string ranking_csv(const std::vector<Ranking>& rankings, const RankOptions& options);
std::string pairs_csv(const std::vector<Ranking>& rankings, const RankOptions& options);
// Every ranked (set, problem, optimizer): score and rank.
std::string scores_csv(const std::vector<Ranking>& rankings, const RankOptions& options);
// A paragraph for the report's method section (Markdown list item).
std::string ranking_method_text(const RankOptions& options);

}  // namespace optbench::host::report
