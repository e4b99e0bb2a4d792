// `optbench report DIR`: tables (Markdown, LaTeX, CSV), plots (PNG, SVG via gnuplot) and a
// COCO export from a campaign's results folder.
//
// Layout of the output folder (default DIR/report):
//   report.md                    everything below in one page, with the method explained
//   index.html                   report.md as one self-contained web page, plots inline (html.hpp)
//   tables/final.{md,tex,csv}    final error / best f per problem x optimizer, rank-sum tests
//   tables/targets.{md,tex,csv}  success rates, evaluations to targets, aRT
//   tables/metrics.{md,tex,csv}  hold-out metrics (when runs.csv has any)
//   tables/status.{md,tex,csv}   runs with status error or not_applicable (when there are any)
//   tables/ranking.{md,tex,csv}  average ranks across problems, Friedman, Iman-Davenport, Nemenyi CD
//   tables/ranking_pairs.{md,tex,csv}  per pair: W/T/L, Holm-corrected Wilcoxon signed-rank tests
//   tables/ranking_scores.csv    the per-problem scores and ranks behind them
//   tables/fixed_budget.{md,tex,csv}  best-so-far value at fractions of the budget (fixed_budget.hpp)
//   tables/profiles.{md,tex,csv}  Moré & Wild data and performance profiles per tolerance (profiles.hpp),
//   tables/profile_curves.csv, tables/profile_runs.csv  their curves, and f(x0), f_L, t of every run
//   plots/NAME.{gp,dat,png,svg}  convergence_*, ecdf_dim*, <optimizer>_run<ID>, fixed_budget_ecdf_dim*,
//                                data_profiles, performance_profiles, cd_<set> (see plots.hpp)
//   coco/<optimizer>/            data for cocopp (when runs of a COCO suite are there)
//   tables/cec.{md,tex,csv}      CEC-style final errors with rank-sum tests (CEC-format runs)
//   cec/<optimizer>_<suite>_F<f>_D<d>.txt  errors at the CEC checkpoints, one column per run
//   tables/published.{md,tex,csv}  values others published beside these runs (--published)
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/plots.hpp"
#include "report/ranking.hpp"
#include "report/tables.hpp"

namespace optbench::host {

struct ReportOptions {
    std::filesystem::path results;  // the folder `optbench run --out` wrote
    std::filesystem::path out;      // empty: results / "report"
    std::vector<double> targets;    // empty: report::targets_for's defaults
    double alpha = 0.05;            // significance level after Holm's correction
    std::string reference;          // CEC tables: the optimizer the others are tested against ("": the first)
    std::filesystem::path published;  // a published-values file (report/published.hpp); empty: none
    report::PlotOptions plots;
    report::RankBy rank_by;           // the score the rankings across problems rank on
    std::vector<double> budget_fractions = {0.01, 0.1, 1};           // fixed-budget view, ascending
    std::vector<double> profile_tolerances = {1e-1, 1e-3, 1e-5, 1e-7};  // data and performance profiles
    bool render = true;             // run gnuplot (when installed)
};

struct ReportOutput {
    std::filesystem::path folder;
    std::string final_markdown;  // the final-value table, as printed by the command
    std::vector<std::filesystem::path> files;  // tables, report.md and index.html
    std::vector<report::Plot> plots;
    bool rendered = false;  // PNG and SVG exist (gnuplot ran)
    std::vector<std::filesystem::path> coco_folders;
    std::vector<std::filesystem::path> cec_files;  // result files of CEC-format runs
    std::size_t runs = 0, errors = 0, not_applicable = 0;
};

// Writes the report; throws Error for a bad results folder or option.
ReportOutput write_report(const ReportOptions& options);

// "1e-1,1e-3" -> {0.1, 0.001}; throws Error naming the bad token.
std::vector<double> parse_targets(const std::string& text);
// "0.01,0.1,1" -> ascending fractions in (0, 1]; throws Error naming the bad token.
std::vector<double> parse_budget_fractions(const std::string& text);
// "1e-1,1e-3" -> descending tolerances in (0, 1); throws Error naming the bad token.
std::vector<double> parse_profile_tolerances(const std::string& text);

}  // namespace optbench::host
