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
// and optionally `static constexpr std::uint32_t capabilities` (abi::OptimizerCapability).
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
#include <span>
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

inline constexpr abi::ProblemOps problem_ops{
    [](void* self, abi::ProblemInfo* out, abi::Message error) noexcept {
        return firewall(error, [&] {
            const Problem& p = as_problem(self);
            std::uint32_t caps = 0;
            if (p.has_gradient()) caps |= abi::has_gradient;
            if (p.num_samples() > 0) caps |= abi::has_finite_sum;
            if (p.has_incremental()) caps |= abi::has_incremental;
            if (p.has_optimum_value()) caps |= abi::has_optimum_value;
            if (p.has_optimum_point()) caps |= abi::has_optimum_point;
            if (p.has_initial_point()) caps |= abi::has_initial_point;
            if (p.has_holdout_metrics()) caps |= abi::has_holdout_metrics;
            if (p.has_decay_mask()) caps |= abi::has_decay_mask;
            *out = {p.dimension(),
                    {p.lower().data(), p.lower().size()},
                    {p.upper().data(), p.upper().size()},
                    caps,
                    p.optimum_value(),
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
        return firewall(error, [&] { as_problem(self).optimum_point(view(out)); });
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
abi::Entry entry() {
    static_assert(std::is_base_of_v<Problem, T> != std::is_base_of_v<Optimizer, T>,
                  "a plugin entry derives from exactly one of sdk::Problem and sdk::Optimizer");
    std::uint32_t capabilities = 0;
    if constexpr (requires { T::capabilities; }) capabilities = T::capabilities;
    constexpr bool is_problem = std::is_base_of_v<Problem, T>;
    return {is_problem ? abi::EntryKind::problem : abi::EntryKind::optimizer,
            T::name,
            T::description,
            std::data(T::params),
            std::size(T::params),
            capabilities,
            &create<T>,
            &destroy<T>,
            is_problem ? &problem_ops : nullptr,
            is_problem ? nullptr : &optimizer_ops};
}

template <class... T>
std::array<abi::Entry, sizeof...(T)> make_entries() {
    return {entry<T>()...};
}

}  // namespace optbench::sdk::detail

#define OPTBENCH_PLUGIN(plugin_name, plugin_version, ...)                                   \
    namespace {                                                                             \
    const ::optbench::abi::Descriptor* optbench_plugin_descriptor() {                       \
        static const auto entries = ::optbench::sdk::detail::make_entries<__VA_ARGS__>();   \
        static const ::optbench::abi::Descriptor descriptor{                                \
            ::optbench::abi::major_version, ::optbench::abi::minor_version,                 \
            ::optbench::sdk::build_fingerprint, plugin_name, plugin_version,                \
            entries.data(), entries.size()};                                                \
        return &descriptor;                                                                 \
    }                                                                                       \
    }                                                                                       \
    BOOST_DLL_ALIAS(optbench_plugin_descriptor, optbench_descriptor)
