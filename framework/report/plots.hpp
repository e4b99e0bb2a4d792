// Report plots: gnuplot scripts and their data files, rendered to PNG and SVG.
//
// Every plot NAME is four files in the plots folder: NAME.gp (the script), NAME.dat (its
// data, blocks separated by two blank lines: gnuplot's `index`), NAME.png and NAME.svg.
// Re-render (e.g. after editing a title) with `gnuplot NAME.gp` inside that folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/data.hpp"

namespace optbench::host::report {

enum class PlotKind { convergence, ecdf, figure, holdout };

struct Plot {
    std::string name;   // file stem
    std::string title;  // what it shows, for the report's text
    PlotKind kind;
};

struct PlotOptions {
    std::uint64_t seed = 1;                 // simulated restarts of the ECDFs
    // Runs whose figure of declared stats to draw, at most one per optimizer; an optimizer not
    // named gets its first run that has the stats.
    std::vector<std::size_t> figure_runs;
};

// COCO's ECDF targets: 10^2, 10^1.8, ..., 10^-8 (51 values, on the error).
std::vector<double> ecdf_targets();

// One optimizer's runtime ECDF over (problem, target) pairs of one dimension.
struct EcdfCurve {
    std::string optimizer;
    std::vector<std::pair<double, double>> steps;  // (log10(evaluations / dim), fraction), rising
    double budget_x = 0;  // log10(median evaluations per run / dim): COCO's budget cross
    double budget_fraction = 0;
};
// Problems with a known optimum and dimension `dim`; every pair weighs the same, unsolved
// pairs count as failures; runtimes are completed by simulated restarts seeded by
// (seed, optimizer, problem). Runtimes beyond max_x are left out of `steps`.
std::vector<EcdfCurve> runtime_ecdf(const ResultSet& results, std::size_t dim, std::uint64_t seed,
                                    double max_x);

// Writes the scripts and data of every plot into `folder`: convergence per problem, one ECDF
// per dimension with known optima, for each optimizer that declares stats for a figure, the
// figure of one run (<optimizer>_run<ID>: best-so-far value, then a panel per stat), and for
// each problem whose runs have hold-out rows (holdout.csv), its hold-out metrics against
// evaluations (holdout_<problem>: a panel per metric). A bad
// options.figure_runs entry is an Error. Does not run gnuplot.
std::vector<Plot> write_plots(const ResultSet& results, const std::filesystem::path& folder,
                              const PlotOptions& options);

bool gnuplot_available();
// Runs gnuplot on the plots' scripts inside `folder`; throws Error with gnuplot's message.
void render_plots(const std::filesystem::path& folder, const std::vector<Plot>& plots);

}  // namespace optbench::host::report
