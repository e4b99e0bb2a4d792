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
#include "report/ranking.hpp"

namespace optbench::host::report {

enum class PlotKind { convergence, ecdf, figure, critical_difference, fixed_budget, profile, holdout };

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

// A critical-difference diagram (Demšar 2006) for each ranking with 2 or more ranked problems,
// cd_<set>: the optimizers at their average ranks on a rank axis (1, the best, on the left), the
// Nemenyi critical difference as a scale bar, and a thick bar under each group whose average ranks
// differ by less than it (cliques_within).
std::vector<Plot> write_critical_difference_plots(const ResultSet& results, const std::vector<Ranking>& rankings,
                                                  const std::filesystem::path& folder);
// The dimensions of runs that started on problems with a known optimum (one ECDF each).
std::vector<std::size_t> error_dimensions(const ResultSet& results);

// Fixed-budget ECDFs over error values (fixed_budget.hpp), one per dimension with known optima
// (fixed_budget_ecdf_dim<D>), a panel per budget fraction.
std::vector<Plot> write_fixed_budget_plots(const ResultSet& results, const std::filesystem::path& folder,
                                           const std::vector<double>& fractions);
struct Profiles;
// Moré & Wild's data_profiles and performance_profiles (profiles.hpp), a panel per tolerance;
// `problems`: how many problems the profiles have.
std::vector<Plot> write_profile_plots(const ResultSet& results, const std::vector<Profiles>& profiles,
                                      std::size_t problems, const std::filesystem::path& folder);

bool gnuplot_available();
// Runs gnuplot on the plots' scripts inside `folder`; throws Error with gnuplot's message.
void render_plots(const std::filesystem::path& folder, const std::vector<Plot>& plots);

}  // namespace optbench::host::report
