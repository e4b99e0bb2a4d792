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

#include "optbench/host/report_data.hpp"

namespace optbench::host::report {

struct Plot {
    std::string name;   // file stem
    std::string title;  // what it shows, for the report's text
};

struct PlotOptions {
    std::uint64_t seed = 1;                 // simulated restarts of the ECDFs
    std::optional<std::size_t> mdp_run;     // default: the first mdp run with L1-ratio stats
};

// COCO's bbob ECDF targets: 10^2, 10^1.8, ..., 10^-8 (51 values, on the error).
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
// per dimension with known optima, and the MDP figure when there is an mdp run (or
// options.mdp_run; an unknown run id is an Error). Does not run gnuplot.
std::vector<Plot> write_plots(const ResultSet& results, const std::filesystem::path& folder,
                              const PlotOptions& options);

bool gnuplot_available();
// Runs gnuplot on the plots' scripts inside `folder`; throws Error with gnuplot's message.
void render_plots(const std::filesystem::path& folder, const std::vector<Plot>& plots);

}  // namespace optbench::host::report
