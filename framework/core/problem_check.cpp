#include "core/problem_check.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "core/instances.hpp"
#include "optbench/sdk/rng.hpp"

namespace optbench::host {

namespace {

// |a - b| relative to the larger magnitude (absolute below 1).
double relative_difference(double a, double b) {
    if (a == b) return 0;
    return std::fabs(a - b) / std::max({1.0, std::fabs(a), std::fabs(b)});
}

// Coordinates drawn in the box; in [-1, 1] around 0 where it is unbounded.
class PointSampler {
public:
    PointSampler(const ProblemInstance& problem, std::uint64_t seed) : problem_(problem), rng_(seed) {}

    double coordinate(std::size_t i) {
        const double low = problem_.lower(i), high = problem_.upper(i);
        const double a = std::isfinite(low) ? low : std::min(-1.0, high - 2.0);
        const double b = std::isfinite(high) ? high : std::max(1.0, low + 2.0);
        // Now and then exactly a bound: moves there must be right too.
        const double u = rng_.uniform(0, 1);
        if (u < 0.05 && std::isfinite(low)) return low;
        if (u > 0.95 && std::isfinite(high)) return high;
        return rng_.uniform(a, b);
    }
    std::vector<double> point() {
        std::vector<double> x(problem_.dimension());
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = coordinate(i);
        return x;
    }
    std::size_t index(std::size_t n) { return static_cast<std::size_t>(rng_.uniform(0, 1) * static_cast<double>(n)) % n; }

private:
    const ProblemInstance& problem_;
    sdk::Rng rng_;
};

CheckOutcome start_point_in_box(ProblemInstance& problem) {
    const std::vector<double> x = problem.initial_point();
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!(x[i] >= problem.lower(i) && x[i] <= problem.upper(i)))
            return {"start point inside the box", false,
                    fmt::format("coordinate {} is {}, outside [{}, {}]", i, x[i], problem.lower(i), problem.upper(i))};
    return {"start point inside the box", true, fmt::format("{} coordinates", x.size())};
}

CheckOutcome optimum(ProblemInstance& problem, const std::vector<double>& x) {
    const double f_opt = problem.info().optimum_value;
    const double f = problem.value(x);
    const double error = relative_difference(f, f_opt);
    return {"f at the optimum point equals the optimum value", error <= 1e-12,
            fmt::format("f(x*) = {:.17g}, f_opt = {:.17g}, relative difference {:.2g}", f, f_opt, error)};
}

CheckOutcome gradient(ProblemInstance& problem, PointSampler& sampler, bool quick) {
    const std::size_t n = problem.dimension();
    double worst = 0;
    std::string where;
    for (int p = 0; p < (quick ? 2 : 5); ++p) {
        std::vector<double> x = sampler.point();
        std::vector<double> g(n);
        problem.value_and_gradient(x, g);
        double scale = 1;
        for (double v : g) scale = std::max(scale, std::fabs(v));
        for (std::size_t k = 0; k < std::min<std::size_t>(n, quick ? 10 : 40); ++k) {
            const std::size_t i = n <= 40 ? k : sampler.index(n);
            const double h = 1e-6 * std::max(1.0, std::fabs(x[i]));
            const double keep = x[i];
            // Central differences where the box allows them, one-sided at a bound.
            const double up = std::min(keep + h, problem.upper(i)), down = std::max(keep - h, problem.lower(i));
            x[i] = up;
            const double f_up = problem.value(x);
            x[i] = down;
            const double f_down = problem.value(x);
            x[i] = keep;
            if (!(up > down)) continue;
            const double difference = std::fabs((f_up - f_down) / (up - down) - g[i]) / scale;
            if (difference > worst) {
                worst = difference;
                where = fmt::format(" (point {}, coordinate {}: gradient {:.6g}, differences {:.6g})", p + 1, i, g[i],
                                    (f_up - f_down) / (up - down));
            }
        }
    }
    return {"gradient matches central differences", worst <= 1e-4,
            fmt::format("largest difference {:.2g} of the gradient's largest entry{}", worst, where)};
}

CheckOutcome sparse_moves(ProblemInstance& problem, PointSampler& sampler, bool quick) {
    const std::size_t n = problem.dimension();
    std::vector<double> base = sampler.point();
    const double base_value = problem.set_base(base);
    const double full = problem.value(base);
    if (relative_difference(base_value, full) > 1e-12)
        return {"sparse moves equal full evaluations", false,
                fmt::format("set_base gave {:.17g}, a full evaluation {:.17g}", base_value, full)};
    double worst = 0;
    const int moves = quick ? 40 : 300;
    int accepted = 0;
    for (int m = 0; m < moves; ++m) {
        const std::size_t k = std::min<std::size_t>(n, m % 3 == 0 ? 1 : m % 3 == 1 ? 2 : 5);
        std::vector<std::size_t> indices;
        while (indices.size() < k) {
            const std::size_t i = sampler.index(n);
            if (std::find(indices.begin(), indices.end(), i) == indices.end()) indices.push_back(i);
        }
        std::vector<double> values(k);
        std::vector<double> moved = base;
        for (std::size_t j = 0; j < k; ++j) moved[indices[j]] = values[j] = sampler.coordinate(indices[j]);
        const double tried = problem.try_move(indices, values);
        const double evaluated = problem.value(moved);
        const double error = relative_difference(tried, evaluated);
        if (error > 1e-12)
            return {"sparse moves equal full evaluations", false,
                    fmt::format("move {} of {} coordinate(s) {} after {} accepted: try_move gave {:.17g}, a full "
                                "evaluation {:.17g} (relative difference {:.2g})",
                                m + 1, k, fmt::join(indices, ","), accepted, tried, evaluated, error)};
        worst = std::max(worst, error);
        if (m % 2 == 0) {
            problem.accept();
            base = moved;
            ++accepted;
        }
    }
    return {"sparse moves equal full evaluations", true,
            fmt::format("{} moves of 1, 2 and 5 coordinates, {} accepted, largest relative difference {:.2g}", moves,
                        accepted, worst)};
}

CheckOutcome batches(ProblemInstance& problem, PointSampler& sampler, bool quick) {
    const std::size_t n = problem.dimension();
    std::vector<std::size_t> sizes = {1, 2, 7};
    if (!quick) sizes.push_back(32);
    for (const std::size_t size : sizes) {
        std::vector<double> xs;
        for (std::size_t k = 0; k < size; ++k) {
            const std::vector<double> x = sampler.point();
            xs.insert(xs.end(), x.begin(), x.end());
        }
        const std::vector<double> values = problem.value_batch(xs);
        for (std::size_t k = 0; k < size; ++k) {
            const double single = problem.value(std::span(xs).subspan(k * n, n));
            if (std::bit_cast<std::uint64_t>(single) != std::bit_cast<std::uint64_t>(values[k]))
                return {"batch values equal single values", false,
                        fmt::format("point {} of a batch of {}: value_batch gave {:.17g}, value {:.17g}", k + 1, size,
                                    values[k], single)};
        }
    }
    return {"batch values equal single values", true,
            fmt::format("batches of {} points, each value equal to a single evaluation bit for bit",
                        fmt::join(sizes, ", "))};
}

CheckOutcome finite_sum(ProblemInstance& problem, PointSampler& sampler) {
    const std::size_t samples = problem.info().num_samples;
    const std::vector<double> x = sampler.point();
    const double full = problem.value(x);
    // Disjoint subsets of growing sizes that cover every sample: their size-weighted mean is f.
    double weighted = 0;
    std::size_t start = 0;
    for (std::size_t size = 1; start < samples; size *= 2) {
        const std::size_t end = std::min(samples, start + size);
        std::vector<std::size_t> subset(end - start);
        std::iota(subset.begin(), subset.end(), start);
        weighted += problem.subset_value(x, subset) * static_cast<double>(subset.size());
        start = end;
    }
    const double mean = weighted / static_cast<double>(samples);
    const double error = relative_difference(mean, full);
    return {"finite-sum subsets average to the full value", error <= 1e-12,
            fmt::format("{} samples: weighted mean of subsets {:.17g}, full value {:.17g}, relative difference {:.2g}",
                        samples, mean, full, error)};
}

CheckOutcome instances(const PluginEntry& entry, const Spec& spec, const std::string& parameter,
                       PointSampler& sampler) {
    ProblemInstance same(entry, spec.params);
    const std::vector<double> x = sampler.point();
    const double a = same.value(x);
    ProblemInstance again(entry, spec.params);
    const double b = again.value(x);
    if (a != b)
        return {"same instance, same values; other instances differ", false,
                fmt::format("two objects of {} give {:.17g} and {:.17g} at one point", spec.text(), a, b)};
    Spec other = spec;
    const auto given = std::find_if(other.params.begin(), other.params.end(),
                                    [&](const auto& kv) { return kv.first == parameter; });
    const std::string next = given == other.params.end() ? "2" : std::to_string(std::stoll(given->second) + 1);
    if (given == other.params.end()) other.params.emplace_back(parameter, next);
    else given->second = next;
    ProblemInstance different(entry, other.params);
    const double c = different.value(x);
    const bool start_differs = same.initial_point() != different.initial_point();
    return {"same instance, same values; other instances differ", c != a || start_differs,
            fmt::format("f = {:.17g} twice; {} gives {:.17g}{}", a, other.text(), c,
                        start_differs ? " and another start point" : "")};
}

CheckOutcome holdout(ProblemInstance& problem, PointSampler& sampler) {
    const auto metrics = problem.holdout_metrics(sampler.point());
    for (const auto& [name, value] : metrics)
        if (!std::isfinite(value))
            return {"hold-out metrics are finite", false, fmt::format("{} = {}", name, value)};
    return {"hold-out metrics are finite", !metrics.empty(), fmt::format("{} metrics", metrics.size())};
}

}  // namespace

std::vector<CheckOutcome> check_problem(const Registry& registry, const Spec& spec, const ProblemCheckOptions& options) {
    const PluginEntry& entry = registry.find(abi::EntryKind::problem, spec.name);
    ProblemInstance problem(entry, spec.params);
    PointSampler sampler(problem, sdk::derive_seed({"optbench check", spec.text()}, options.seed));
    std::vector<CheckOutcome> outcomes;
    const auto run = [&](const char* check, auto&& body) {
        try {
            outcomes.push_back(body());
        } catch (const std::exception& e) {
            outcomes.push_back({check, false, fmt::format("failed: {}", e.what())});
        }
    };
    if (problem.has(abi::has_initial_point)) run("start point inside the box", [&] { return start_point_in_box(problem); });
    if (problem.has(abi::has_optimum_value))
        if (const std::vector<double> x = problem.optimum_point(); !x.empty())
            run("f at the optimum point equals the optimum value", [&] { return optimum(problem, x); });
    if (problem.has(abi::has_gradient))
        run("gradient matches central differences", [&] { return gradient(problem, sampler, options.quick); });
    if (problem.has(abi::has_value_batch))
        run("batch values equal single values", [&] { return batches(problem, sampler, options.quick); });
    if (problem.has(abi::has_incremental))
        run("sparse moves equal full evaluations", [&] { return sparse_moves(problem, sampler, options.quick); });
    if (problem.has(abi::has_finite_sum))
        run("finite-sum subsets average to the full value", [&] { return finite_sum(problem, sampler); });
    const ProblemDeclaration declaration = problem_declaration(entry);
    if (!declaration.instance_parameter.empty())
        run("same instance, same values; other instances differ",
            [&] { return instances(entry, spec, declaration.instance_parameter, sampler); });
    if (problem.has(abi::has_holdout_metrics)) run("hold-out metrics are finite", [&] { return holdout(problem, sampler); });
    return outcomes;
}

}  // namespace optbench::host
