#include "report/profiles.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "results/csv.hpp"

namespace optbench::host::report {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

std::vector<std::string> csv_numbers(std::vector<std::string> fields, std::initializer_list<double> numbers) {
    for (double v : numbers) fields.push_back(csv_number(v));
    return fields;
}

// The simplex gradients by which the optimizer had solved half of the problems (+inf: never).
double half_solved(const Profile& data) {
    if (data.x.empty()) return inf;
    return data.x[(data.x.size() + 1) / 2 - 1];
}

double solved(const Profile& data) { return data.at(inf); }

// The run's first finite logged value; NaN when it logged none.
double first_value(const RunRecord& run) {
    for (const TraceRow& t : run.trace)
        if (std::isfinite(t.best_f)) return t.best_f;
    return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

ProfileProblems profile_problems(const ResultSet& results) {
    using Instance = std::pair<std::string, std::int64_t>;
    struct Values {
        std::vector<double> first;
        double f_low = inf;
    };
    std::map<Instance, Values> values;
    std::map<std::tuple<std::string, std::int64_t, int>, std::size_t> index;
    ProfileProblems out;
    for (const RunRecord& r : results.runs) {
        const auto [it, added] = index.try_emplace({r.problem, r.spec.instance, r.spec.rep}, out.problems.size());
        if (added)
            out.problems.push_back({r.problem, r.spec.instance, r.spec.rep, r.spec.dim, 0, 0,
                                    std::vector<const RunRecord*>(results.optimizers.size(), nullptr)});
        const auto optimizer = std::find(results.optimizers.begin(), results.optimizers.end(), r.optimizer);
        const RunRecord*& slot = out.problems[it->second].runs[static_cast<std::size_t>(optimizer - results.optimizers.begin())];
        if (!slot) slot = &r;
        Values& v = values[{r.problem, r.spec.instance}];
        const double first = first_value(r);
        if (std::isnan(first)) continue;
        v.first.push_back(first);
        for (const TraceRow& t : r.trace) v.f_low = std::min(v.f_low, t.best_f);
    }
    std::erase_if(out.problems, [&](ProfileProblem& p) {
        const Values& v = values[{p.problem, p.instance}];
        p.f_start = quantile(v.first, 0.5);
        p.f_low = v.f_low;
        return !std::isfinite(v.f_low);
    });
    for (const auto& [instance, v] : values) out.instances_without_value += !std::isfinite(v.f_low);
    const auto position = [&](const std::string& problem) {
        return std::find(results.problems.begin(), results.problems.end(), problem) - results.problems.begin();
    };
    std::stable_sort(out.problems.begin(), out.problems.end(), [&](const ProfileProblem& a, const ProfileProblem& b) {
        return std::tuple(position(a.problem), a.instance, a.rep) < std::tuple(position(b.problem), b.instance, b.rep);
    });
    return out;
}

double convergence_cost(const RunRecord& run, double f_start, double f_low, double tolerance) {
    for (const TraceRow& t : run.trace)
        if (std::isfinite(t.best_f) && f_start - t.best_f >= (1 - tolerance) * (f_start - f_low)) return t.cost;
    return inf;
}

double Profile::at(double alpha) const {
    if (x.empty()) return 0;
    const auto finite_end = std::lower_bound(x.begin(), x.end(), inf);
    return static_cast<double>(std::upper_bound(x.begin(), finite_end, alpha) - x.begin()) /
           static_cast<double>(x.size());
}

std::vector<std::pair<double, double>> Profile::steps() const {
    std::vector<std::pair<double, double>> out;
    for (std::size_t i = 0; i < x.size() && std::isfinite(x[i]); ++i)
        if (i + 1 == x.size() || x[i + 1] != x[i])
            out.emplace_back(x[i], static_cast<double>(i + 1) / static_cast<double>(x.size()));
    return out;
}

Profiles profiles(const ResultSet& results, const ProfileProblems& problems, double tolerance) {
    Profiles out;
    out.tolerance = tolerance;
    for (const std::string& optimizer : results.optimizers) {
        out.data.push_back({optimizer, {}});
        out.performance.push_back({optimizer, {}});
    }
    for (const ProfileProblem& p : problems.problems) {
        std::vector<double> costs;
        for (const RunRecord* run : p.runs)
            costs.push_back(run ? convergence_cost(*run, p.f_start, p.f_low, tolerance) : inf);
        const double fastest = *std::min_element(costs.begin(), costs.end());
        for (std::size_t s = 0; s < costs.size(); ++s) {
            out.data[s].x.push_back(costs[s] / static_cast<double>(p.dim + 1));
            out.performance[s].x.push_back(std::isfinite(costs[s]) ? costs[s] / fastest : inf);
        }
        out.costs.push_back(std::move(costs));
    }
    for (auto* curves : {&out.data, &out.performance})
        for (Profile& profile : *curves) std::sort(profile.x.begin(), profile.x.end());
    return out;
}

Table profile_table(const std::vector<Profiles>& all, std::size_t problems) {
    Table t;
    t.title = "Data and performance profiles (Moré & Wild): problems solved per convergence tolerance tau";
    t.note = fmt::format(
        "Over {} problems: each (problem, instance, repetition) with every optimizer's run of it. A run solves a "
        "problem when f(x0) - f >= (1 - tau) (f(x0) - f_L), f_L the lowest value any run of the instance found. "
        "solved: the share of problems solved within the budget (the data profile's end); fastest: the share "
        "where it needed the fewest evaluations (the performance profile at 1; ties count for each); simplex "
        "gradients to solve half: the evaluations / (dimension + 1) by which it had solved half of the problems "
        "(∞: never). **Bold**: the best per tolerance.",
        problems);
    t.header = {"tau", "optimizer", "solved", "fastest", "simplex gradients to solve half"};
    t.align = "llrrr";
    for (const Profiles& p : all) {
        t.group_starts.push_back(t.rows.size());
        double most_solved = 0, most_fastest = 0, least_half = inf;
        for (std::size_t s = 0; s < p.data.size(); ++s) {
            most_solved = std::max(most_solved, solved(p.data[s]));
            most_fastest = std::max(most_fastest, p.performance[s].at(1));
            least_half = std::min(least_half, half_solved(p.data[s]));
        }
        for (std::size_t s = 0; s < p.data.size(); ++s) {
            const double half = half_solved(p.data[s]);
            t.rows.push_back({{format_number(p.tolerance)},
                              {p.data[s].optimizer},
                              {format_number(solved(p.data[s])), most_solved > 0 && solved(p.data[s]) == most_solved},
                              {format_number(p.performance[s].at(1)),
                               most_fastest > 0 && p.performance[s].at(1) == most_fastest},
                              {format_number(half), std::isfinite(half) && half == least_half}});
        }
    }
    return t;
}

std::string profile_csv(const std::vector<Profiles>& all, std::size_t problems) {
    std::string out = csv_line({"tolerance", "optimizer", "problems", "solved", "fastest", "half_solved_simplex_gradients"});
    for (const Profiles& p : all)
        for (std::size_t s = 0; s < p.data.size(); ++s)
            out += csv_line(csv_numbers({csv_number(p.tolerance), p.data[s].optimizer, std::to_string(problems)},
                                        {solved(p.data[s]), p.performance[s].at(1), half_solved(p.data[s])}));
    return out;
}

std::string profile_curves_csv(const std::vector<Profiles>& all) {
    std::string out = csv_line({"kind", "tolerance", "optimizer", "alpha", "fraction"});
    for (const Profiles& p : all)
        for (const auto& [kind, curves] : {std::pair{"data", &p.data}, std::pair{"performance", &p.performance}})
            for (const Profile& profile : *curves)
                for (const auto& [alpha, fraction] : profile.steps())
                    out += csv_line(csv_numbers({kind, csv_number(p.tolerance), profile.optimizer}, {alpha, fraction}));
    return out;
}

std::string profile_runs_csv(const ResultSet& results, const ProfileProblems& problems, const std::vector<Profiles>& all) {
    std::string out = csv_line({"problem", "instance", "rep", "dim", "f_start", "f_low", "tolerance", "optimizer",
                                "run_id", "first_f", "evaluations", "simplex_gradients", "ratio"});
    for (std::size_t p = 0; p < problems.problems.size(); ++p) {
        const ProfileProblem& problem = problems.problems[p];
        for (const Profiles& profile : all) {
            const std::vector<double>& costs = profile.costs[p];
            const double fastest = *std::min_element(costs.begin(), costs.end());
            for (std::size_t s = 0; s < costs.size(); ++s) {
                const RunRecord* run = problem.runs[s];
                out += csv_line(csv_numbers(
                    {problem.problem, std::to_string(problem.instance), std::to_string(problem.rep),
                     std::to_string(problem.dim), csv_number(problem.f_start), csv_number(problem.f_low),
                     csv_number(profile.tolerance), results.optimizers[s], run ? std::to_string(run->spec.run_id) : "",
                     csv_number(run ? first_value(*run) : Summary::unknown)},
                    {costs[s], costs[s] / static_cast<double>(problem.dim + 1),
                     std::isfinite(costs[s]) ? costs[s] / fastest : inf}));
            }
        }
    }
    return out;
}

std::string profiles_method(const std::vector<double>& tolerances) {
    std::vector<std::string> shown;
    for (double tau : tolerances) shown.push_back(format_number(tau));
    return fmt::format(
        "- **Data and performance profiles** (Moré & Wild 2009, `--profile-tolerances`, here tau = {}). A run "
        "converges at the first evaluation (budget cost units, from its trace) where f(x0) - f >= (1 - tau) "
        "(f(x0) - f_L); t = ∞ when it never does within its budget. t is exact where the trace logs every "
        "improvement (`--trace improvements`, the default); with `--trace levels` it is the cost of the first "
        "logged row that passes, which can be later than the evaluation that did (rows are logged per 10^(1/20) "
        "level of f - f_opt and at log-spaced counts). Moré & Wild run each solver once per "
        "problem; here a problem of the profiles is one (problem, instance, repetition) with each optimizer's run "
        "of that instance and repetition (repetitions of different optimizers are paired by number). f_L is the "
        "lowest value any run of the instance (every optimizer, every repetition) logged. The trace holds no "
        "points and an optimizer need not evaluate the given start point first (an evolution strategy samples "
        "around it), so f(x0) is the median of the first finite values the instance's runs logged: f(x0) itself when more than "
        "half of them evaluate the start point first (profile_runs.csv gives each run's first value to check). "
        "Where f(x0) = f_L the test reads f <= f_L. A missing or not_applicable run, and one that logged no finite value, never converges; "
        "instances where no run logged a finite value are left out (no f_L). Runs that ended in error count "
        "with what they logged. Data profile: d_s(alpha) = share of problems with t / (n + 1) <= alpha "
        "(simplex gradients, n the dimension; the x axis is logarithmic when it spans a decade). Performance "
        "profile: rho_s(alpha) = share of problems with t / (fewest evaluations of any optimizer on that "
        "problem) <= alpha, on a log2 axis; problems no optimizer solved never count. tables/profile_runs.csv "
        "lists f(x0), f_L and every t; tables/profile_curves.csv the curves.\n",
        fmt::join(shown, ", "));
}

}  // namespace optbench::host::report
