// The one macro a plugin library uses:
//
//     OPTBENCH_PLUGIN("my_library", "1.0.0", MyOptimizer, MyProblem, ...)
//
// at global scope, once per library (whose name follows the rule for entry names below). Each
// listed class derives from sdk::Optimizer or sdk::Problem, is constructible from
// `const sdk::Params&`, and declares
//     static constexpr const char* name;          // unique within the library; letters, digits,
//                                                 // '_', '-', '.', first and last a letter or digit
//     static constexpr const char* description;   // one line
//     static constexpr abi::ParamSpec params[] / std::array<abi::ParamSpec, N> params;
// and optionally `static constexpr std::uint32_t capabilities` (abi::OptimizerCapability),
// for optimizers `static constexpr abi::StatSpec stats[]` (every stat it reports), and for
// problems the declarations problem.hpp lists.
//
// The macro builds the library's descriptor and exports it through Boost.DLL. Every call the
// host makes into the plugin goes through the firewall below: exceptions never cross the
// library boundary, they come back as a status and a message.
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/dll/alias.hpp>

#include "optbench/sdk/abi.hpp"
#include "optbench/sdk/fingerprint.hpp"
#include "optbench/sdk/objective.hpp"
#include "optbench/sdk/optimizer.hpp"
#include "optbench/sdk/params.hpp"
#include "optbench/sdk/problem.hpp"

namespace optbench::sdk::detail {

inline void write_message(abi::Message message, std::string_view text) noexcept {
    if (message.data == nullptr || message.capacity == 0) return;
    const std::size_t n = std::min(text.size(), message.capacity - 1);
    std::memcpy(message.data, text.data(), n);
    message.data[n] = '\0';
}

// Runs body, turning every exception into a status and a message.
template <class Body>
abi::Status firewall(abi::Message message, Body&& body) noexcept {
    try {
        body();
        return abi::Status::ok;
    } catch (const Stop&) {
        return abi::Status::ok;  // the host knows why the run ended
    } catch (const NotApplicable& e) {
        write_message(message, e.what());
        return abi::Status::not_applicable;
    } catch (const Unsupported& e) {
        write_message(message, e.what());
        return abi::Status::unsupported;
    } catch (const std::exception& e) {
        write_message(message, e.what());
        return abi::Status::error;
    } catch (...) {
        write_message(message, "unknown exception");
        return abi::Status::error;
    }
}

inline Problem& as_problem(void* self) { return *static_cast<Problem*>(self); }

inline std::span<const double> view(abi::Span s) { return {s.data, s.size}; }
inline std::span<double> view(abi::MutableSpan s) { return {s.data, s.size}; }
inline std::span<const std::size_t> view(abi::IndexSpan s) { return {s.data, s.size}; }

// A problem class has a capability when it overrides the capability's function: &T::f then has
// T's type rather than Problem's.
#define OPTBENCH_OVERRIDES(T, f) (!std::is_same_v<decltype(&T::f), decltype(&Problem::f)>)

template <class T>
constexpr std::uint32_t static_capabilities() {
    constexpr bool incremental = OPTBENCH_OVERRIDES(T, set_base);
    static_assert(incremental == OPTBENCH_OVERRIDES(T, try_move) && incremental == OPTBENCH_OVERRIDES(T, accept),
                  "a problem with sparse moves overrides set_base, try_move and accept");
    constexpr bool finite_sum = OPTBENCH_OVERRIDES(T, subset_value);
    static_assert(finite_sum == OPTBENCH_OVERRIDES(T, num_samples),
                  "a finite-sum problem overrides num_samples and subset_value");
    constexpr bool holdout = OPTBENCH_OVERRIDES(T, holdout_metrics);
    static_assert(holdout == requires { T::metrics; },
                  "a problem with hold-out metrics overrides holdout_metrics and declares them (metrics[])");
    std::uint32_t caps = 0;
    if (OPTBENCH_OVERRIDES(T, value_and_gradient)) caps |= abi::has_gradient;
    if (finite_sum) caps |= abi::has_finite_sum;
    if (incremental) caps |= abi::has_incremental;
    if (OPTBENCH_OVERRIDES(T, initial_point)) caps |= abi::has_initial_point;
    if (holdout) caps |= abi::has_holdout_metrics;
    if (OPTBENCH_OVERRIDES(T, decay_mask)) caps |= abi::has_decay_mask;
    if (OPTBENCH_OVERRIDES(T, value_batch)) caps |= abi::has_value_batch;
    return caps;
}

template <class T>
inline constexpr abi::ProblemOps problem_ops{
    [](void* self, abi::ProblemInfo* out, abi::Message error) noexcept {
        return firewall(error, [&] {
            const Problem& p = as_problem(self);
            const std::optional<double> optimum = p.optimum_value();
            std::uint32_t caps = static_capabilities<T>();
            if (optimum) caps |= abi::has_optimum_value;
            if (optimum && OPTBENCH_OVERRIDES(T, optimum_point)) caps |= abi::has_optimum_point;
            *out = {p.dimension(),
                    {p.lower().data(), p.lower().size()},
                    {p.upper().data(), p.upper().size()},
                    caps,
                    optimum.value_or(std::numeric_limits<double>::quiet_NaN()),
                    p.num_samples()};
        });
    },
    [](void* self, abi::Span x, double* f, abi::Message error) noexcept {
        return firewall(error, [&] { *f = as_problem(self).value(view(x)); });
    },
    [](void* self, abi::Span x, double* f, abi::MutableSpan g, abi::Message error) noexcept {
        return firewall(error, [&] { *f = as_problem(self).value_and_gradient(view(x), view(g)); });
    },
    [](void* self, abi::Span x, abi::IndexSpan samples, double* f, abi::MutableSpan g,
       abi::Message error) noexcept {
        return firewall(error, [&] {
            *f = as_problem(self).subset_value(view(x), view(samples), view(g));
        });
    },
    [](void* self, abi::MutableSpan out, abi::Message error) noexcept {
        return firewall(error, [&] {
            if (!as_problem(self).optimum_point(view(out))) throw Unsupported("this instance's optimum point is unknown");
        });
    },
    [](void* self, abi::MutableSpan out, abi::Message error) noexcept {
        return firewall(error, [&] { as_problem(self).initial_point(view(out)); });
    },
    [](void* self, abi::Span x, double* f, abi::Message error) noexcept {
        return firewall(error, [&] { *f = as_problem(self).set_base(view(x)); });
    },
    [](void* self, abi::IndexSpan indices, abi::Span values, double* f,
       abi::Message error) noexcept {
        return firewall(error,
                        [&] { *f = as_problem(self).try_move(view(indices), view(values)); });
    },
    [](void* self, abi::Message error) noexcept {
        return firewall(error, [&] { as_problem(self).accept(); });
    },
    [](void* self, abi::Span x, abi::MetricSink sink, abi::Message error) noexcept {
        return firewall(error, [&] {
            MetricWriter writer(sink);
            as_problem(self).holdout_metrics(view(x), writer);
        });
    },
    [](void* self, abi::ArtifactSink sink, abi::Message error) noexcept {
        return firewall(error, [&] {
            ArtifactWriter writer(sink);
            as_problem(self).artifacts(writer);
        });
    },
    [](void* self, abi::MutableSpan out, abi::Message error) noexcept {
        return firewall(error, [&] { as_problem(self).decay_mask(view(out)); });
    },
    [](void* self, abi::Span xs, abi::MutableSpan fs, abi::Message error) noexcept {
        return firewall(error, [&] {
            Problem& p = as_problem(self);
            if (xs.size != fs.size * p.dimension())
                throw std::invalid_argument("value_batch: " + std::to_string(xs.size) + " values for " +
                                            std::to_string(fs.size) + " points of dimension " +
                                            std::to_string(p.dimension()));
            p.value_batch(view(xs), view(fs));
        });
    },
};

inline constexpr abi::OptimizerOps optimizer_ops{
    [](void* self, const abi::ObjectiveView* view, std::uint64_t seed,
       abi::Message error) noexcept {
        return firewall(error, [&] {
            Objective objective(*view);
            static_cast<Optimizer*>(self)->run(objective, seed);
        });
    },
};

template <class T>
void* create(const abi::KeyValue* given, std::size_t count, abi::Message error) noexcept {
    void* object = nullptr;
    const abi::Status status = firewall(error, [&] {
        Params::Given pairs;
        for (std::size_t i = 0; i < count; ++i) pairs.emplace_back(given[i].key, given[i].value);
        const Params params(T::name, std::span<const abi::ParamSpec>(std::data(T::params),
                                                                     std::size(T::params)),
                            pairs);
        if constexpr (std::is_base_of_v<Problem, T>)
            object = static_cast<Problem*>(new T(params));
        else
            object = static_cast<Optimizer*>(new T(params));
    });
    return status == abi::Status::ok ? object : nullptr;
}

template <class T>
void destroy(void* self) noexcept {
    if constexpr (std::is_base_of_v<Problem, T>)
        delete static_cast<Problem*>(self);
    else
        delete static_cast<Optimizer*>(self);
}

template <class T>
abi::Declarations declarations() {
    abi::Declarations d{"", "", "", 0, nullptr, 0, nullptr, 0};
    if constexpr (requires { T::suite; }) d.suite = T::suite;
    if constexpr (requires { T::function_parameter; }) d.function_parameter = T::function_parameter;
    if constexpr (requires { T::instance_parameter; }) d.instance_parameter = T::instance_parameter;
    if constexpr (requires { T::suite_formats; }) d.suite_formats = T::suite_formats;
    if constexpr (requires { T::metrics; }) {
        d.metrics = std::data(T::metrics);
        d.num_metrics = std::size(T::metrics);
    }
    if constexpr (requires { T::stats; }) {
        d.stats = std::data(T::stats);
        d.num_stats = std::size(T::stats);
    }
    return d;
}

// A problem's selection metric must be one of its hold-out metrics.
template <class T>
constexpr bool selects_a_declared_metric() {
    if constexpr (requires { T::selection_metric; }) {
        if constexpr (requires { T::metrics; })
            for (const abi::MetricSpec& m : T::metrics)
                if (std::string_view(m.name) == T::selection_metric) return true;
        return false;
    }
    return true;
}

template <class T>
const char* selection_metric() {
    static_assert(selects_a_declared_metric<T>(), "selection_metric names none of the class's metrics[]");
    if constexpr (requires { T::selection_metric; }) return T::selection_metric;
    return "";
}

template <class T>
abi::Entry entry() {
    static_assert(std::is_base_of_v<Problem, T> != std::is_base_of_v<Optimizer, T>,
                  "a plugin entry derives from exactly one of sdk::Problem and sdk::Optimizer");
    std::uint32_t capabilities = 0;
    if constexpr (requires { T::capabilities; }) capabilities = T::capabilities;
    abi::Entry entry{abi::EntryKind::optimizer, T::name, T::description, std::data(T::params),
                     std::size(T::params), capabilities, &create<T>, &destroy<T>, nullptr, &optimizer_ops};
    if constexpr (std::is_base_of_v<Problem, T>) {
        entry.kind = abi::EntryKind::problem;
        entry.problem_ops = &problem_ops<T>;
        entry.optimizer_ops = nullptr;
    }
    return entry;
}

template <class... T>
std::array<abi::Entry, sizeof...(T)> make_entries() {
    return {entry<T>()...};
}

template <class... T>
std::array<abi::Declarations, sizeof...(T)> make_declarations() {
    return {declarations<T>()...};
}

template <class... T>
std::array<const char*, sizeof...(T)> make_selection_metrics() {
    return {selection_metric<T>()...};
}

}  // namespace optbench::sdk::detail

#ifdef __OPTIMIZE__
#define OPTBENCH_DETAIL_BUILD "optimized"
#else
#define OPTBENCH_DETAIL_BUILD "unoptimized"
#endif

#define OPTBENCH_PLUGIN(plugin_name, plugin_version, ...)                                   \
    namespace {                                                                             \
    const ::optbench::abi::Descriptor* optbench_plugin_descriptor() {                       \
        static const auto entries = ::optbench::sdk::detail::make_entries<__VA_ARGS__>();   \
        static const auto declarations =                                                    \
            ::optbench::sdk::detail::make_declarations<__VA_ARGS__>();                      \
        static const auto selection_metrics =                                               \
            ::optbench::sdk::detail::make_selection_metrics<__VA_ARGS__>();                 \
        static constexpr auto fingerprint =                                                 \
            ::optbench::abi::layout::text(::optbench::abi::minor_version);                  \
        static const ::optbench::abi::Descriptor descriptor{                                \
            ::optbench::abi::major_version, ::optbench::abi::minor_version,                 \
            fingerprint.data(), plugin_name, plugin_version,                                \
            entries.data(), entries.size(), declarations.data(),                            \
            selection_metrics.data()};                                                      \
        return &descriptor;                                                                 \
    }                                                                                       \
    const char* optbench_plugin_build() { return OPTBENCH_DETAIL_BUILD; }                   \
    }                                                                                       \
    BOOST_DLL_ALIAS(optbench_plugin_descriptor, optbench_descriptor)                        \
    BOOST_DLL_ALIAS(optbench_plugin_build, optbench_build)
