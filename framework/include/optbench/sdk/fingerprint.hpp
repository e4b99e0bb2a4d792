// The build fingerprint: what a plugin and the host must share beyond the ABI version for the
// plain structs of abi.hpp to mean the same on both sides. It names the C++ ABI family and the
// standard library's ABI, and hashes the layout of every ABI struct (each field's name, offset
// and size, and each struct's size) for the ABI minor version the plugin was built for. A
// comment or a compiler upgrade leaves it as it is; a changed layout does not. The host
// compares it before using anything else of a plugin. OPTBENCH_PLUGIN writes
// layout::text(abi::minor_version) into the descriptor.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "optbench/sdk/abi.hpp"

#if defined(__GXX_ABI_VERSION)
#define OPTBENCH_CXX_ABI "itanium"
#elif defined(_MSC_VER)
#define OPTBENCH_CXX_ABI "msvc"
#else
#define OPTBENCH_CXX_ABI "unknown-c++abi"
#endif

#define OPTBENCH_STRINGIFY_(x) #x
#define OPTBENCH_STRINGIFY(x) OPTBENCH_STRINGIFY_(x)
#if defined(_LIBCPP_VERSION)
#define OPTBENCH_STDLIB "libc++ abi " OPTBENCH_STRINGIFY(_LIBCPP_ABI_VERSION)
#elif defined(_GLIBCXX_USE_CXX11_ABI)
#define OPTBENCH_STDLIB "libstdc++ cxx11abi=" OPTBENCH_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#else
#define OPTBENCH_STDLIB "unknown-stdlib"
#endif

namespace optbench::abi::layout {

struct Fact {
    std::string_view name;
    std::uint64_t value;
    std::uint32_t since_minor;  // the ABI minor version that added it
};

#define OPTBENCH_ABI_STRUCT(S, since) Fact{#S, sizeof(S), since}
#define OPTBENCH_ABI_FIELD(S, f, since) Fact{#S "." #f, offsetof(S, f) * 1000 + sizeof(S::f), since}

// The structs that grew keep the size they had first (Descriptor's is left out, ProblemOps' is
// its size before minor 2), so that earlier minors keep their fingerprints: the host reads only
// the fields of a plugin's minor version.
inline constexpr Fact facts[] = {
    OPTBENCH_ABI_STRUCT(Message, 0), OPTBENCH_ABI_FIELD(Message, data, 0), OPTBENCH_ABI_FIELD(Message, capacity, 0),
    OPTBENCH_ABI_STRUCT(Span, 0), OPTBENCH_ABI_FIELD(Span, data, 0), OPTBENCH_ABI_FIELD(Span, size, 0),
    OPTBENCH_ABI_STRUCT(MutableSpan, 0), OPTBENCH_ABI_FIELD(MutableSpan, data, 0),
    OPTBENCH_ABI_FIELD(MutableSpan, size, 0),
    OPTBENCH_ABI_STRUCT(IndexSpan, 0), OPTBENCH_ABI_FIELD(IndexSpan, data, 0), OPTBENCH_ABI_FIELD(IndexSpan, size, 0),
    OPTBENCH_ABI_STRUCT(KeyValue, 0), OPTBENCH_ABI_FIELD(KeyValue, key, 0), OPTBENCH_ABI_FIELD(KeyValue, value, 0),
    OPTBENCH_ABI_STRUCT(ParamSpec, 0), OPTBENCH_ABI_FIELD(ParamSpec, name, 0), OPTBENCH_ABI_FIELD(ParamSpec, type, 0),
    OPTBENCH_ABI_FIELD(ParamSpec, default_value, 0), OPTBENCH_ABI_FIELD(ParamSpec, doc, 0),
    OPTBENCH_ABI_FIELD(ParamSpec, choices, 0), OPTBENCH_ABI_FIELD(ParamSpec, min, 0),
    OPTBENCH_ABI_FIELD(ParamSpec, max, 0),
    OPTBENCH_ABI_STRUCT(ProblemInfo, 0), OPTBENCH_ABI_FIELD(ProblemInfo, dimension, 0),
    OPTBENCH_ABI_FIELD(ProblemInfo, lower, 0), OPTBENCH_ABI_FIELD(ProblemInfo, upper, 0),
    OPTBENCH_ABI_FIELD(ProblemInfo, capabilities, 0), OPTBENCH_ABI_FIELD(ProblemInfo, optimum_value, 0),
    OPTBENCH_ABI_FIELD(ProblemInfo, num_samples, 0),
    OPTBENCH_ABI_STRUCT(MetricSink, 0), OPTBENCH_ABI_FIELD(MetricSink, context, 0),
    OPTBENCH_ABI_FIELD(MetricSink, put, 0),
    OPTBENCH_ABI_STRUCT(ArtifactSink, 0), OPTBENCH_ABI_FIELD(ArtifactSink, context, 0),
    OPTBENCH_ABI_FIELD(ArtifactSink, put, 0),
    Fact{"ProblemOps", offsetof(ProblemOps, value_batch), 0}, OPTBENCH_ABI_FIELD(ProblemOps, info, 0), OPTBENCH_ABI_FIELD(ProblemOps, value, 0),
    OPTBENCH_ABI_FIELD(ProblemOps, value_and_gradient, 0), OPTBENCH_ABI_FIELD(ProblemOps, subset_value, 0),
    OPTBENCH_ABI_FIELD(ProblemOps, optimum_point, 0), OPTBENCH_ABI_FIELD(ProblemOps, initial_point, 0),
    OPTBENCH_ABI_FIELD(ProblemOps, set_base, 0), OPTBENCH_ABI_FIELD(ProblemOps, try_move, 0),
    OPTBENCH_ABI_FIELD(ProblemOps, accept, 0), OPTBENCH_ABI_FIELD(ProblemOps, holdout_metrics, 0),
    OPTBENCH_ABI_FIELD(ProblemOps, artifacts, 0), OPTBENCH_ABI_FIELD(ProblemOps, decay_mask, 0),
    OPTBENCH_ABI_STRUCT(ObjectiveOps, 0), OPTBENCH_ABI_FIELD(ObjectiveOps, evaluate, 0),
    OPTBENCH_ABI_FIELD(ObjectiveOps, evaluate_with_gradient, 0), OPTBENCH_ABI_FIELD(ObjectiveOps, evaluate_batch, 0),
    OPTBENCH_ABI_FIELD(ObjectiveOps, evaluate_subset, 0), OPTBENCH_ABI_FIELD(ObjectiveOps, set_base, 0),
    OPTBENCH_ABI_FIELD(ObjectiveOps, try_move, 0), OPTBENCH_ABI_FIELD(ObjectiveOps, accept, 0),
    OPTBENCH_ABI_FIELD(ObjectiveOps, recommend, 0), OPTBENCH_ABI_FIELD(ObjectiveOps, remaining, 0),
    OPTBENCH_ABI_FIELD(ObjectiveOps, used, 0), OPTBENCH_ABI_FIELD(ObjectiveOps, should_stop, 0),
    OPTBENCH_ABI_FIELD(ObjectiveOps, report, 0), OPTBENCH_ABI_FIELD(ObjectiveOps, set_stop_reason, 0),
    OPTBENCH_ABI_FIELD(ObjectiveOps, last_error, 0),
    OPTBENCH_ABI_STRUCT(ObjectiveView, 0), OPTBENCH_ABI_FIELD(ObjectiveView, ops, 0),
    OPTBENCH_ABI_FIELD(ObjectiveView, context, 0), OPTBENCH_ABI_FIELD(ObjectiveView, problem, 0),
    OPTBENCH_ABI_FIELD(ObjectiveView, initial_point, 0), OPTBENCH_ABI_FIELD(ObjectiveView, decay_mask, 0),
    OPTBENCH_ABI_FIELD(ObjectiveView, budget, 0),
    OPTBENCH_ABI_STRUCT(OptimizerOps, 0), OPTBENCH_ABI_FIELD(OptimizerOps, run, 0),
    OPTBENCH_ABI_STRUCT(Entry, 0), OPTBENCH_ABI_FIELD(Entry, kind, 0), OPTBENCH_ABI_FIELD(Entry, name, 0),
    OPTBENCH_ABI_FIELD(Entry, description, 0), OPTBENCH_ABI_FIELD(Entry, params, 0),
    OPTBENCH_ABI_FIELD(Entry, num_params, 0), OPTBENCH_ABI_FIELD(Entry, capabilities, 0),
    OPTBENCH_ABI_FIELD(Entry, create, 0), OPTBENCH_ABI_FIELD(Entry, destroy, 0),
    OPTBENCH_ABI_FIELD(Entry, problem_ops, 0), OPTBENCH_ABI_FIELD(Entry, optimizer_ops, 0),
    OPTBENCH_ABI_FIELD(Descriptor, abi_major, 0), OPTBENCH_ABI_FIELD(Descriptor, abi_minor, 0),
    OPTBENCH_ABI_FIELD(Descriptor, fingerprint, 0), OPTBENCH_ABI_FIELD(Descriptor, plugin_name, 0),
    OPTBENCH_ABI_FIELD(Descriptor, plugin_version, 0), OPTBENCH_ABI_FIELD(Descriptor, entries, 0),
    OPTBENCH_ABI_FIELD(Descriptor, num_entries, 0),
    OPTBENCH_ABI_STRUCT(MetricSpec, 1), OPTBENCH_ABI_FIELD(MetricSpec, name, 1), OPTBENCH_ABI_FIELD(MetricSpec, doc, 1),
    OPTBENCH_ABI_FIELD(MetricSpec, direction, 1),
    OPTBENCH_ABI_STRUCT(StatSpec, 1), OPTBENCH_ABI_FIELD(StatSpec, name, 1), OPTBENCH_ABI_FIELD(StatSpec, doc, 1),
    OPTBENCH_ABI_FIELD(StatSpec, flags, 1),
    OPTBENCH_ABI_STRUCT(Declarations, 1), OPTBENCH_ABI_FIELD(Declarations, suite, 1),
    OPTBENCH_ABI_FIELD(Declarations, function_parameter, 1), OPTBENCH_ABI_FIELD(Declarations, instance_parameter, 1),
    OPTBENCH_ABI_FIELD(Declarations, suite_formats, 1), OPTBENCH_ABI_FIELD(Declarations, metrics, 1),
    OPTBENCH_ABI_FIELD(Declarations, num_metrics, 1), OPTBENCH_ABI_FIELD(Declarations, stats, 1),
    OPTBENCH_ABI_FIELD(Declarations, num_stats, 1),
    OPTBENCH_ABI_FIELD(Descriptor, declarations, 1),
    OPTBENCH_ABI_FIELD(Descriptor, selection_metrics, 2),
    OPTBENCH_ABI_FIELD(ProblemOps, value_batch, 2),
    OPTBENCH_ABI_STRUCT(ScriptLoader, 2), OPTBENCH_ABI_FIELD(ScriptLoader, extension, 2),
    OPTBENCH_ABI_FIELD(ScriptLoader, runtime, 2), OPTBENCH_ABI_FIELD(ScriptLoader, load, 2),
};

#undef OPTBENCH_ABI_STRUCT
#undef OPTBENCH_ABI_FIELD

// FNV-1a, 64 bits.
constexpr std::uint64_t mix(std::uint64_t hash, std::string_view text) {
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return hash;
}
constexpr std::uint64_t mix(std::uint64_t hash, std::uint64_t value) {
    for (int byte = 0; byte < 8; ++byte) hash = (hash ^ ((value >> (8 * byte)) & 0xffu)) * 0x100000001b3ull;
    return hash;
}

constexpr std::uint64_t hash(std::uint32_t minor) {
    std::uint64_t h = mix(0xcbf29ce484222325ull, std::uint64_t{major_version});
    h = mix(h, std::uint64_t{minor});
    for (const Fact& fact : facts)
        if (fact.since_minor <= minor) h = mix(mix(h, fact.name), fact.value);
    return h;
}

inline constexpr std::string_view prefix = OPTBENCH_CXX_ABI "; " OPTBENCH_STDLIB "; abi layout ";

// "<C++ ABI>; <standard library ABI>; abi layout <16 hex digits>", NUL-terminated. A function,
// not an inline variable: GCC makes inline variables process-wide unique symbols, so a plugin's
// copy would be bound to the host's when it loads, and every fingerprint would match.
constexpr std::array<char, prefix.size() + 17> text(std::uint32_t minor) {
    std::array<char, prefix.size() + 17> out{};
    std::size_t i = 0;
    for (char c : prefix) out[i++] = c;
    const std::uint64_t h = hash(minor);
    for (int digit = 15; digit >= 0; --digit) out[i++] = "0123456789abcdef"[(h >> (4 * digit)) & 0xfu];
    return out;
}

}  // namespace optbench::abi::layout
