// Rankings across problems: the distributions and tests against values worked by hand, printed
// in Demšar (2006) or computed with scipy 1.10 (quoted beside each), and the report's ranking
// tables and critical-difference diagrams on hand-made results.
// tests/stats/check_ranking_scipy.py compares the report's numbers with scipy on generated data.
#include <cmath>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "base/error.hpp"
#include "report/rank_statistics.hpp"
#include "report/ranking.hpp"
#include "report/report.hpp"
#include "results/csv.hpp"
#include "testing.hpp"

namespace fs = std::filesystem;
using namespace optbench;
using namespace optbench::host;
using namespace optbench::host::report;
using doctest::Approx;

namespace {

// Demšar (2006), Table 6: AUC of C4.5, C4.5+m, C4.5+cf and C4.5+m+cf on 14 data sets.
const std::vector<std::vector<double>> demsar_auc = {
    {0.763, 0.768, 0.771, 0.798}, {0.599, 0.591, 0.590, 0.569}, {0.954, 0.971, 0.968, 0.967},
    {0.628, 0.661, 0.654, 0.657}, {0.882, 0.888, 0.886, 0.898}, {0.936, 0.931, 0.916, 0.931},
    {0.661, 0.668, 0.609, 0.685}, {0.583, 0.583, 0.563, 0.625}, {0.775, 0.838, 0.866, 0.875},
    {1.000, 1.000, 1.000, 1.000}, {0.940, 0.962, 0.965, 0.962}, {0.619, 0.666, 0.614, 0.669},
    {0.972, 0.981, 0.975, 0.975}, {0.957, 0.978, 0.946, 0.970}};

// Higher AUC is better: rank the negated values.
std::vector<std::vector<double>> demsar_ranks() {
    std::vector<std::vector<double>> ranks;
    for (const auto& row : demsar_auc) {
        std::vector<double> negated;
        for (double v : row) negated.push_back(-v);
        ranks.push_back(midranks(negated));
    }
    return ranks;
}

std::vector<double> column(const std::vector<std::vector<double>>& rows, std::size_t j) {
    std::vector<double> out;
    for (const auto& row : rows) out.push_back(row[j]);
    return out;
}

// A run of `optimizer` on the problem `name` (with `params`), ok with the final error `error`
// (f_opt = 0) and a trace of (cost, best f) rows.
RunRow run(const std::string& optimizer, const std::string& name, const std::string& params, double error,
           std::vector<std::pair<double, double>> trace = {}, RunStatus status = RunStatus::ok) {
    static std::size_t next_id = 0;
    RunRow r;
    r.spec.run_id = next_id++;
    r.spec.optimizer = make_spec(optimizer, "");
    r.spec.problem = make_spec(name, params);
    r.spec.dim = 2;
    r.budget = 100;
    r.best_f = error;
    r.f_opt = 0;
    r.status = status;
    if (trace.empty()) trace = {{100, error}};
    for (const auto& [cost, best_f] : trace) r.trace.push_back({cost, cost, best_f, best_f, 0});
    r.evals = r.cost = r.trace.back().cost;
    return r;
}

// Three optimizers on six problems (see the ranks worked out in the first test that uses it):
// two dimensions, one problem without a dim parameter, two problems of a suite S, and a
// problem where c only failed.
RunTable hand_made_runs() {
    RunTable table;
    auto& rows = table.rows;
    for (double e : {1.0, 2.0, 3.0, 4.0}) rows.push_back(run("a", "sphere", "dim=2", e));
    for (double e : {5.0, 6.0, 7.0, 8.0}) rows.push_back(run("b", "sphere", "dim=2", e));
    for (double e : {1.5, 2.5, 3.5, 4.5}) rows.push_back(run("c", "sphere", "dim=2", e));
    rows.push_back(run("a", "rastrigin", "dim=2", 10));
    rows.push_back(run("b", "rastrigin", "dim=2", 10));
    rows.push_back(run("c", "rastrigin", "dim=2", 20));
    rows.push_back(run("a", "sphere", "dim=5", 3));
    rows.push_back(run("b", "sphere", "dim=5", 1));
    rows.push_back(run("c", "sphere", "dim=5", 2));
    rows.push_back(run("a", "rastrigin", "dim=5", 1));
    rows.push_back(run("b", "rastrigin", "dim=5", 2));
    rows.push_back(run("c", "rastrigin", "dim=5", 3));
    rows.push_back(run("a", "ellipsoid", "", 5));
    rows.push_back(run("b", "ellipsoid", "", 4));
    rows.push_back(run("c", "ellipsoid", "", 6));
    rows.push_back(run("a", "fail", "dim=5", 1));
    rows.push_back(run("b", "fail", "dim=5", 2));
    rows.push_back(run("c", "fail", "dim=5", 0.5, {}, RunStatus::error));
    return table;
}

Declarations suite_s() {
    Declarations declarations;
    declarations.problems["rastrigin"].suite = "S";
    return declarations;
}

const Ranking& ranking_named(const std::vector<Ranking>& rankings, const std::string& set) {
    for (const Ranking& r : rankings)
        if (r.set == set) return r;
    FAIL("no ranking of " << set);
    throw;
}

// Writes runs.csv, trace.csv and stats.csv of `table` into `folder`.
void write_results(const RunTable& table, const fs::path& folder) {
    std::string runs = csv_line(run_header({})), trace = csv_line(trace_columns());
    for (const RunRow& r : table.rows) {
        runs += csv_line(run_fields(r, {}));
        trace += trace_lines(r.spec.run_id, r.trace);
    }
    write_file_atomically(folder / "runs.csv", runs);
    write_file_atomically(folder / "trace.csv", trace);
    write_file_atomically(folder / "stats.csv", csv_line(stats_columns()));
}

}  // namespace

TEST_CASE("midranks: ties share the mean of their ranks, infinities tie last") {
    CHECK(midranks({3, 1, 2, 2}) == std::vector<double>{4, 1, 2.5, 2.5});
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(midranks({inf, 5, inf, 7}) == std::vector<double>{3.5, 1, 3.5, 2});
    CHECK(midranks({}).empty());
}

TEST_CASE("incomplete gamma and beta functions, chi-square and F tails: scipy's values") {
    // scipy.special.gammaincc / gammainc
    CHECK(regularized_gamma_q(0.5, 0.1) == Approx(0.6547208460185768).epsilon(1e-12));
    CHECK(regularized_gamma_q(1.5, 2.0) == Approx(0.26146412994911117).epsilon(1e-12));
    CHECK(regularized_gamma_q(3, 10) == Approx(0.0027693957155115775).epsilon(1e-12));
    CHECK(regularized_gamma_q(10, 3) == Approx(0.9988975118698845).epsilon(1e-12));
    CHECK(regularized_gamma_q(50, 80) == Approx(0.0001307839765914092).epsilon(1e-10));
    CHECK(regularized_gamma_q(0.5, 30) == Approx(9.485737571073857e-15).epsilon(1e-10));
    CHECK(regularized_gamma_p(0.5, 0.1) == Approx(0.34527915398142317).epsilon(1e-12));
    CHECK(regularized_gamma_p(10, 3) == Approx(0.0011024881301154815).epsilon(1e-10));
    // scipy.special.betainc(a, b, x)
    CHECK(regularized_beta(0.3, 0.5, 0.5) == Approx(0.3690101195655454).epsilon(1e-12));
    CHECK(regularized_beta(0.4, 2, 3) == Approx(0.5248).epsilon(1e-12));  // 1 - (1-x)^4 - 4x(1-x)^3 by hand
    CHECK(regularized_beta(0.9, 20, 1.5) == Approx(0.23412711029493305).epsilon(1e-10));
    CHECK(regularized_beta(0.99, 100, 2) == Approx(0.7320646825464587).epsilon(1e-10));
    CHECK(regularized_beta(0.01, 1.5, 39) == Approx(0.14788476907529144).epsilon(1e-10));
    // scipy.stats.chi2.sf / f.sf
    CHECK(chi_square_sf(9.28, 3) == Approx(0.025790724198756772).epsilon(1e-12));
    CHECK(chi_square_sf(0.5, 1) == Approx(0.47950012218695337).epsilon(1e-12));
    CHECK(chi_square_sf(60, 10) == Approx(3.6243009520614924e-09).epsilon(1e-10));
    CHECK(chi_square_sf(200, 3) == Approx(4.218541107192018e-43).epsilon(1e-9));
    CHECK(chi_square_sf(2.8421052631578947, 2) == Approx(std::exp(-2.8421052631578947 / 2)).epsilon(1e-13));
    CHECK(f_sf(3.69, 3, 39) == Approx(0.019744099689488835).epsilon(1e-10));
    CHECK(f_sf(1, 1, 1) == Approx(0.5).epsilon(1e-12));
    CHECK(f_sf(25, 5, 100) == Approx(2.877620874793022e-16).epsilon(1e-9));
    CHECK(f_sf(0.2, 9, 171) == Approx(0.993916982446089).epsilon(1e-12));
    CHECK(chi_square_sf(0, 3) == 1);
    CHECK(f_sf(std::numeric_limits<double>::infinity(), 3, 39) == 0);
    CHECK(std::isnan(regularized_beta(1.5, 1, 1)));
}

TEST_CASE("the studentized range with infinite degrees of freedom: Demšar's q_alpha table and scipy") {
    // Demšar (2006), Table 5(a): q_alpha = studentized range quantile / sqrt(2), k = 2..10.
    const double q_005[] = {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164};
    const double q_010[] = {1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920};
    for (std::size_t k = 2; k <= 10; ++k) {
        CAPTURE(k);
        CHECK(studentized_range_quantile(0.95, k) / std::sqrt(2.0) == Approx(q_005[k - 2]).epsilon(6e-4));
        CHECK(studentized_range_quantile(0.90, k) / std::sqrt(2.0) == Approx(q_010[k - 2]).epsilon(6e-4));
    }
    // scipy.stats.studentized_range.cdf / ppf with df = inf
    CHECK(studentized_range_cdf(3.0, 5) == Approx(0.789123495036462).epsilon(1e-9));
    CHECK(studentized_range_cdf(1.0, 2) == Approx(0.5204998778130465).epsilon(1e-9));
    CHECK(studentized_range_cdf(4.5, 20) == Approx(0.8533913941553593).epsilon(1e-9));
    CHECK(studentized_range_cdf(6.0, 50) == Approx(0.9805933474642937).epsilon(1e-9));
    CHECK(studentized_range_quantile(0.95, 4) == Approx(2.569031772546482 * std::sqrt(2.0)).epsilon(1e-9));
    CHECK(studentized_range_quantile(0.95, 30) == Approx(5.30128957403117).epsilon(1e-9));
    CHECK(studentized_range_quantile(0.99, 3) == Approx(4.12030320646012).epsilon(1e-9));
    // k = 2: the range of two normals is |N(0, 2)|, so q / sqrt(2) is the normal quantile 1.2816.
    CHECK(studentized_range_quantile(0.9, 2) == Approx(2.3261743073533476).epsilon(1e-9));
    // Demšar's example: 4 classifiers on 14 data sets, CD = 2.569 * sqrt(4 * 5 / (6 * 14)) = 1.25.
    CHECK(nemenyi_critical_difference(4, 14, 0.05) == Approx(2.569031772546482 * std::sqrt(20.0 / 84)).epsilon(1e-9));
    CHECK(nemenyi_critical_difference(4, 14, 0.05) == Approx(1.25).epsilon(3e-3));
}

TEST_CASE("Friedman and Iman-Davenport on Demšar's Table 6") {
    const FriedmanTest test = friedman_test(demsar_ranks());
    CHECK(test.problems == 14);
    CHECK(test.optimizers == 4);
    // Rank sums from the AUC values: 44, 28, 41 and 27 (Demšar prints 2.893 and 1.964 for the last
    // two: he ranks cmc's 0.654 and 0.657 as a tie, see below).
    const auto ranks = demsar_ranks();
    const double sums[] = {44, 28, 41, 27};
    for (std::size_t j = 0; j < 4; ++j) {
        double sum = 0;
        for (double r : column(ranks, j)) sum += r;
        CHECK(sum == sums[j]);
    }
    // Uncorrected: 8.4 * ((44^2 + 28^2 + 41^2 + 27^2) / 196 - 25) = 9.857142857; ties: the iris,
    // lung cancer, primary tumor and voting rows have a pair each (t^3 - t = 6), mushroom four
    // (60): correction 1 - 84 / (14 * 4 * 15) = 0.9. scipy.stats.friedmanchisquare: 10.952380952380956,
    // p = 0.011986176325417788.
    CHECK(test.tie_correction == Approx(0.9));
    CHECK(test.chi_square * test.tie_correction == Approx(9.857142857142857).epsilon(1e-12));
    CHECK(test.chi_square == Approx(10.952380952380956).epsilon(1e-12));
    CHECK(test.p_value == Approx(0.011986176325417788).epsilon(1e-10));
    // F_F = 13 * chi2 / (42 - chi2), F(3, 39)
    CHECK(test.iman_davenport == Approx(13 * 10.952380952380956 / (42 - 10.952380952380956)).epsilon(1e-12));
    CHECK(test.iman_davenport_p == Approx(f_sf(test.iman_davenport, 3, 39)).epsilon(1e-12));

    // The ranks as the paper prints them (cmc: C4.5+cf and C4.5+m+cf tied at 2.5): rank sums 44,
    // 28, 40.5, 27.5 give the paper's chi2_F = 9.28 and F_F = 3.69.
    auto printed = ranks;
    printed[3] = {4, 1, 2.5, 2.5};
    const FriedmanTest paper = friedman_test(printed);
    const double chi2_f = paper.chi_square * paper.tie_correction;
    CHECK(chi2_f == Approx(9.28).epsilon(5e-4));
    CHECK(iman_davenport_statistic(chi2_f, 14, 4) == Approx(3.69).epsilon(1e-3));

    // Perfect agreement: F is infinite; all tied everywhere: nothing to test.
    const FriedmanTest agreed = friedman_test({{1, 2, 3}, {1, 2, 3}});
    CHECK(agreed.chi_square == Approx(4));
    CHECK(std::isinf(agreed.iman_davenport));
    CHECK(agreed.iman_davenport_p == 0);
    const FriedmanTest tied = friedman_test({{1.5, 1.5}, {1.5, 1.5}});
    CHECK(tied.chi_square == 0);
    CHECK(tied.p_value == 1);
    CHECK(std::isnan(friedman_test({{1, 2}}).p_value));
}

TEST_CASE("Wilcoxon signed-rank: exact small samples by hand, the normal approximation as scipy") {
    // n = 5, every difference positive: P(R+ = 15) = 1/32, two-sided 2/32 = 0.0625.
    SignedRankTest t = wilcoxon_signed_rank({1, 2, 3, 4, 5}, {0, 0, 0, 0, 0});
    CHECK(t.exact);
    CHECK(t.r_plus == 15);
    CHECK(t.statistic == 0);
    CHECK(t.p_value == Approx(0.0625));
    // Differences 1, -2, 3, 4, 5: R- = 2; R+ <= 2 for the subsets {}, {1}, {2}: 2 * 3/32 = 0.1875.
    t = wilcoxon_signed_rank({1, -2, 3, 4, 5}, {0, 0, 0, 0, 0});
    CHECK(t.statistic == 2);
    CHECK(t.p_value == Approx(0.1875));
    // scipy.stats.wilcoxon on 12 differences without ties: T = 12, p = 0.0341796875 (= 140/4096).
    t = wilcoxon_signed_rank({0.5, -1.25, 2, 3.5, -0.1, 4, 5.5, -6, 7, 8.25, 9, 10.5}, std::vector<double>(12, 0.0));
    CHECK(t.exact);
    CHECK(t.statistic == 12);
    CHECK(t.p_value == Approx(0.0341796875).epsilon(1e-12));
    // Zeros dropped, ties among the rest: approximation. scipy: T = 8.5, p = 0.052479499559246585.
    t = wilcoxon_signed_rank({1, 1, -2, 3, 0, 4, -4, 5, 6, 7, 0, 8}, std::vector<double>(12, 0.0));
    CHECK_FALSE(t.exact);
    CHECK(t.n == 10);
    CHECK(t.statistic == 8.5);
    CHECK(t.p_value == Approx(0.052479499559246585).epsilon(1e-12));
    // Demšar's C4.5 vs C4.5+m (two zero differences dropped). scipy: T = 6.5, p = 0.01075713311978963.
    t = wilcoxon_signed_rank(column(demsar_auc, 0), column(demsar_auc, 1));
    CHECK(t.n == 12);  // lung cancer and mushroom tie
    CHECK(t.statistic == 6.5);
    CHECK(t.p_value == Approx(0.01075713311978963).epsilon(1e-12));
    // Nothing differs (two infinite aRTs included): no evidence, p = 1.
    const double inf = std::numeric_limits<double>::infinity();
    t = wilcoxon_signed_rank({1, inf}, {1, inf});
    CHECK(t.n == 0);
    CHECK(t.p_value == 1);
}

TEST_CASE("critical-difference cliques: maximal groups within CD, none inside another") {
    using Cliques = std::vector<std::pair<std::size_t, std::size_t>>;
    CHECK(cliques_within({1.0, 1.5, 2.9, 3.0, 4.0}, 1.25) == Cliques{{0, 1}, {2, 4}});
    CHECK(cliques_within({1, 2, 3}, 0.5).empty());
    CHECK(cliques_within({1, 2, 3}, 5) == Cliques{{0, 2}});
    CHECK(cliques_within({1, 2, 3, 4}, 1.5) == Cliques{{0, 1}, {1, 2}, {2, 3}});
    // A difference of exactly CD is significant.
    CHECK(cliques_within({1, 2}, 1).empty());
}

TEST_CASE("rankings: problem sets, average ranks, a problem left out, Friedman, pairs by hand") {
    const ResultSet results = results_from_runs(hand_made_runs(), suite_s());
    const RankOptions options;
    const std::vector<Ranking> rankings = rank_optimizers(results, options);
    REQUIRE(rankings.size() == 4);
    CHECK(rankings[0].set == "all problems");
    CHECK(rankings[1].set == "dim=2");
    CHECK(rankings[2].set == "dim=5");
    CHECK(rankings[3].set == "suite S");

    // Medians (lower is better) and ranks of a, b, c:
    //   sphere:dim=2      2.5  6.5  3     1    3    2
    //   rastrigin:dim=2   10   10   20    1.5  1.5  3
    //   sphere:dim=5      3    1    2     3    1    2
    //   rastrigin:dim=5   1    2    3     1    2    3
    //   ellipsoid         5    4    6     2    1    3
    //   fail:dim=5        c has no ok run: left out
    const Ranking& all = rankings[0];
    CHECK(all.optimizers == std::vector<std::string>{"a", "b", "c"});
    CHECK(all.problems.size() == 5);
    REQUIRE(all.dropped.size() == 1);
    CHECK(all.dropped[0].problem == "fail:dim=5");
    CHECK(all.dropped[0].reason == "no ok run of c");
    CHECK(all.scores[0] == std::vector<double>{2.5, 6.5, 3});
    CHECK(all.ranks[1] == std::vector<double>{1.5, 1.5, 3});
    CHECK(all.average_ranks[0] == Approx(1.7));
    CHECK(all.average_ranks[1] == Approx(1.7));
    CHECK(all.average_ranks[2] == Approx(2.6));
    // 5 * (1.7^2 + 1.7^2 + 2.6^2 - 12) = 2.7; one tied pair: correction 1 - 6 / (5 * 3 * 8) = 0.95.
    CHECK(all.friedman.chi_square == Approx(2.7 / 0.95));
    CHECK(all.friedman.p_value == Approx(std::exp(-2.7 / 0.95 / 2)));  // chi-square, 2 df
    CHECK(all.friedman.iman_davenport == Approx(4 * (2.7 / 0.95) / (10 - 2.7 / 0.95)));
    CHECK(all.critical_difference == Approx(2.343701 * std::sqrt(12.0 / 30)).epsilon(1e-6));
    REQUIRE(all.pairs.size() == 3);
    // a - b: -4, 0, 2, -1, 1 -> the zero dropped, |d| 1 and 1 tie: R+ = 3 + 1.5, R- = 4 + 1.5.
    const PairComparison& ab = all.pairs[0];
    CHECK(ab.wilcoxon.n == 4);
    CHECK(ab.wilcoxon.r_plus == 4.5);
    CHECK(ab.wilcoxon.r_minus == 5.5);
    CHECK_FALSE(ab.wilcoxon.exact);
    // W/T/L by the Mann-Whitney test at 0.05: on sphere:dim=2 all 16 pairs favour a (p = 1/70 <
    // 0.025); with one run each nothing is significant.
    CHECK(ab.wins == 1);
    CHECK(ab.ties == 4);
    CHECK(ab.losses == 0);
    const PairComparison& bc = all.pairs[2];
    CHECK(bc.losses == 1);  // c's runs on sphere:dim=2 are all below b's
    CHECK(bc.wins + bc.ties == 4);
    // Holm over the three pairs: the adjusted p are at least the raw ones and keep their order.
    for (const PairComparison& pair : all.pairs) CHECK(pair.p_holm >= pair.wilcoxon.p_value);

    const Ranking& dim2 = rankings[1];
    CHECK(dim2.problems == std::vector<std::string>{"sphere:dim=2", "rastrigin:dim=2"});
    CHECK(dim2.average_ranks == std::vector<double>{1.25, 2.25, 2.5});
    CHECK(ranking_named(rankings, "dim=5").dropped.size() == 1);
    CHECK(ranking_named(rankings, "suite S").problems ==
          std::vector<std::string>{"rastrigin:dim=2", "rastrigin:dim=5"});

    const Table table = ranking_table(rankings, options);
    CHECK(table.header[2] == "a");
    CHECK(table.rows[0][1].text == "5 (1 left out)");
    CHECK(table.rows[0][2].best);   // a and b share the best average rank
    CHECK(table.rows[0][3].best);
    CHECK_FALSE(table.rows[0][4].best);
    CHECK(table.note.find("all problems (no ok run of c): fail:dim=5; dim=5 (no ok run of c): fail:dim=5.") !=
          std::string::npos);
    const std::vector<Table> pairs = pair_tables(rankings, options);
    CHECK(pairs.size() == 4);
    CHECK(pairs[0].rows[0][2].text == "1/4/0");
    CHECK(to_markdown(pairs[0]).find("| a | b | 1/4/0 | 0 |") != std::string::npos);
    const std::string csv = ranking_csv(rankings, options);
    CHECK(csv.find("all problems,5,1,c,2.6,") != std::string::npos);
}

TEST_CASE("rankings on a target's aRT: unsuccessful optimizers tie last; a set that repeats another is merged") {
    RunTable table;
    // q1: a reaches 0.1 after 10 evaluations, b after 20, c never; q2: only c reaches it.
    table.rows.push_back(run("a", "q1", "dim=2", 0.01, {{1, 5}, {10, 0.05}, {100, 0.01}}));
    table.rows.push_back(run("b", "q1", "dim=2", 0.01, {{1, 5}, {20, 0.05}, {100, 0.01}}));
    table.rows.push_back(run("c", "q1", "dim=2", 3, {{1, 5}, {100, 3}}));
    table.rows.push_back(run("a", "q2", "dim=2", 3, {{100, 3}}));
    table.rows.push_back(run("b", "q2", "dim=2", 4, {{100, 4}}));
    table.rows.push_back(run("c", "q2", "dim=2", 0.01, {{5, 0.01}}));
    const ResultSet results = results_from_runs(table, {});
    RankOptions options;
    options.by = parse_rank_by("target:0.1");
    const std::vector<Ranking> rankings = rank_optimizers(results, options);
    REQUIRE(rankings.size() == 1);
    CHECK(rankings[0].set == "all problems = dim=2");
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(rankings[0].scores[0] == std::vector<double>{10, 20, inf});
    CHECK(rankings[0].scores[1] == std::vector<double>{inf, inf, 5});
    CHECK(rankings[0].ranks[1] == std::vector<double>{2.5, 2.5, 1});
    CHECK(rankings[0].average_ranks == std::vector<double>{1.75, 2.25, 2});
    // W/T/L on equal scores: a and b tie on q2, where neither reached the target.
    CHECK(rankings[0].pairs[0].wins == 1);
    CHECK(rankings[0].pairs[0].ties == 1);
    CHECK(ranking_method_text(options).find("two ∞ aRTs tie") != std::string::npos);

    // On final values c is first on q2 as well, then a (3), then b (4).
    options.by = parse_rank_by("final");
    CHECK(rank_optimizers(results, options)[0].ranks[1] == std::vector<double>{2, 3, 1});
}

TEST_CASE("rankings on the ECDF area: 1 for every target at the first evaluation, higher is better") {
    RunTable table;
    table.rows.push_back(run("a", "p", "dim=2", 0, {{1, 0}, {100, 0}}));       // every target at once
    table.rows.push_back(run("b", "p", "dim=2", 0, {{1, 1e4}, {10, 0}, {100, 0}}));  // all at 10 of 100
    table.rows.push_back(run("c", "p", "dim=2", 1e3, {{100, 1e3}}));           // above the easiest target
    RunRow unknown_optimum = run("a", "unknown", "dim=2", 1);
    unknown_optimum.f_opt = RunRow::unknown;
    table.rows.push_back(unknown_optimum);
    RunRow unknown_b = run("b", "unknown", "dim=2", 2);
    unknown_b.f_opt = RunRow::unknown;
    table.rows.push_back(unknown_b);
    const ResultSet results = results_from_runs(table, {});
    CHECK(ecdf_area(results, "p:dim=2", "a", 1) == Approx(1));
    CHECK(ecdf_area(results, "p:dim=2", "b", 1) == Approx(0.5));  // 1 - log10(10) / log10(100)
    CHECK(ecdf_area(results, "p:dim=2", "c", 1) == 0);
    RankOptions options;
    options.by = parse_rank_by("ecdf-area");
    const std::vector<Ranking> rankings = rank_optimizers(results, options);
    REQUIRE(rankings.size() == 1);
    CHECK(rankings[0].ranks[0] == std::vector<double>{1, 2, 3});
    REQUIRE(rankings[0].dropped.size() == 1);
    CHECK(rankings[0].dropped[0].reason == "f_opt unknown: no ECDF");
    CHECK(rankings[0].pairs.empty());  // a single ranked problem
    CHECK(std::isnan(rankings[0].friedman.p_value));
}

TEST_CASE("--rank-by: the three scores, and one error line naming a bad value") {
    CHECK(parse_rank_by("final").score == RankScore::final_value);
    CHECK(parse_rank_by("ecdf-area").score == RankScore::ecdf_area);
    const RankBy target = parse_rank_by("target:1e-8");
    CHECK(target.score == RankScore::target_runtime);
    CHECK(target.target == 1e-8);
    for (const char* bad : {"median", "target:", "target:abc", "target:inf", "Final", ""}) {
        const std::string expected = fmt::format("--rank-by '{}': expected final, target:VALUE", bad);
        CHECK_THROWS_WITH_AS(parse_rank_by(bad), doctest::Contains(expected.c_str()), Error);
    }
}

TEST_CASE("the report writes the ranking tables and a critical-difference diagram per set") {
    testing::TempDir dir;
    write_results(hand_made_runs(), dir.path());
    ReportOptions options;
    options.results = dir.path();
    options.out = dir.path() / "report";
    options.render = gnuplot_available();
    const ReportOutput output = write_report(options);
    const fs::path tables = options.out / "tables";
    for (const char* name : {"ranking.md", "ranking.tex", "ranking.csv", "ranking_pairs.md", "ranking_pairs.tex",
                             "ranking_pairs.csv", "ranking_scores.csv"})
        CHECK_MESSAGE(fs::exists(tables / name), name);
    // Without a manifest there is no suite: all problems, dim=2, dim=5.
    std::vector<std::string> diagrams;
    for (const Plot& p : output.plots)
        if (p.kind == PlotKind::critical_difference) diagrams.push_back(p.name);
    CHECK(diagrams == std::vector<std::string>{"cd_all_problems", "cd_dim_2", "cd_dim_5"});
    const std::string script = read_file(options.out / "plots" / "cd_all_problems.gp");
    CHECK(script.find("CD = 1.48") != std::string::npos);
    CHECK(script.find("\"a (1.7)\"") != std::string::npos);
    CHECK(script.find("\"c (2.6)\"") != std::string::npos);
    // Every average rank lies within CD of every other here: one clique of all three.
    const std::string data = read_file(options.out / "plots" / "cd_all_problems.dat");
    CHECK(data.find("# cliques") != std::string::npos);
    if (output.rendered)
        for (const std::string& name : diagrams) {
            CHECK(fs::file_size(options.out / "plots" / (name + ".png")) > 1000);
            CHECK(read_file(options.out / "plots" / (name + ".svg")).find("</svg>") != std::string::npos);
        }
    const std::string md = read_file(options.out / "report.md");
    CHECK(md.find("## Rankings across problems") != std::string::npos);
    CHECK(md.find("cd_dim_5") != std::string::npos);
    CHECK(md.find("**Rankings across problems** (`--rank-by final`: the median final value") != std::string::npos);
}

TEST_CASE("optbench report --rank-by on the command line") {
    testing::TempDir dir;
    write_results(hand_made_runs(), dir.path());
    const std::string exe = testing::optbench_exe();
    std::string output;
    REQUIRE(testing::shell(exe + " report " + dir.path().string() + " --rank-by target:2.5", &output) == 0);
    const std::string csv = read_file(dir.path() / "report" / "tables" / "ranking.csv");
    CHECK(csv.find("target:2.5,all problems,") != std::string::npos);
    CHECK(testing::shell(exe + " report " + dir.path().string() + " --rank-by fastest", &output) == 2);
    CHECK(output.find("--rank-by 'fastest': expected final, target:VALUE") != std::string::npos);
    CHECK(output.find('\n') == output.size() - 1);  // one line
}
