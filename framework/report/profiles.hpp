// Data profiles and performance profiles (Moré & Wild, "Benchmarking derivative-free
// optimization algorithms", SIAM J. Optim. 20(1), 2009; performance profiles after Dolan & Moré,
// Math. Program. 91, 2002).
//
// Convergence test with tolerance tau: a run has converged at the first evaluation where
//     f(x0) - f(x) >= (1 - tau) (f(x0) - f_L),
// i.e. at the cost (budget cost units) of its first trace row whose best-so-far f passes it;
// t_{p,s} = +inf when no row does. Moré & Wild run each solver once per problem; here a problem
// of the profiles is one (problem, instance, repetition), holding each optimizer's run with that
// instance and repetition. f_L and f(x0) belong to the instance (every optimizer faces the same
// function and start point, whatever the repetition): f_L is the lowest value any run of the
// instance logged, over all optimizers and repetitions. The trace records no points, and an
// optimizer need not evaluate the start point first (an evolution strategy samples around it),
// so f(x0) is the median of the first finite values those runs logged: f(x0) itself when more
// than half of them evaluate the given start point first. When f(x0) = f_L the test reads
// f <= f_L. A missing run, a not_applicable one and one that logged no finite value never
// converge; instances where no run logged a finite value have no f_L and are left out.
//
// Data profile: d_s(alpha) = fraction of problems with t_{p,s} / (n_p + 1) <= alpha (simplex
// gradients, n_p the dimension). Performance profile: r_{p,s} = t_{p,s} / min_s t_{p,s},
// rho_s(alpha) = fraction of problems with r_{p,s} <= alpha (+inf when the optimizer, or every
// optimizer, never converged).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "report/data.hpp"
#include "report/tables.hpp"

namespace optbench::host::report {

struct ProfileProblem {
    std::string problem;  // spec text without the instance parameter
    std::int64_t instance = 1;
    int rep = 1;
    std::size_t dim = 0;
    double f_start = 0;  // f(x0)
    double f_low = 0;    // f_L
    std::vector<const RunRecord*> runs;  // one per optimizer of the results, in their order; nullptr: no run
};

struct ProfileProblems {
    std::vector<ProfileProblem> problems;  // by problem, instance, repetition in order of first appearance
    std::size_t instances_without_value = 0;  // (problem, instance) pairs left out: no f_L
};
ProfileProblems profile_problems(const ResultSet& results);

// t_{p,s} of one run: the cost of its first trace row passing the convergence test; +inf when none does.
double convergence_cost(const RunRecord& run, double f_start, double f_low, double tolerance);

struct Profile {
    std::string optimizer;
    std::vector<double> x;  // one value per problem of the profiles, ascending; +inf where never converged
    // The fraction of problems with x <= alpha (+inf never counts, whatever alpha).
    double at(double alpha) const;
    // (x, fraction) at each distinct finite x: where the step function rises.
    std::vector<std::pair<double, double>> steps() const;
};

struct Profiles {
    double tolerance = 0;
    std::vector<std::vector<double>> costs;  // [problem][optimizer]: t_{p,s}
    std::vector<Profile> data;               // x: t_{p,s} / (n_p + 1), simplex gradients
    std::vector<Profile> performance;        // x: r_{p,s} = t_{p,s} / min_s t_{p,s}
};
Profiles profiles(const ResultSet& results, const ProfileProblems& problems, double tolerance);

// Per tolerance and optimizer: the share of problems it solved, the share where it was fastest
// (rho(1), ties counting for each), and the simplex gradients by which it had solved half of them.
Table profile_table(const std::vector<Profiles>& all, std::size_t problems);
std::string profile_csv(const std::vector<Profiles>& all, std::size_t problems);
// The steps of every curve: kind (data or performance), tolerance, optimizer, alpha, fraction.
std::string profile_curves_csv(const std::vector<Profiles>& all);
// Every problem's f(x0), f_L and each optimizer's t, simplex gradients and ratio per tolerance.
std::string profile_runs_csv(const ResultSet& results, const ProfileProblems& problems, const std::vector<Profiles>& all);

// The method paragraph of report.md.
std::string profiles_method(const std::vector<double>& tolerances);

}  // namespace optbench::host::report
