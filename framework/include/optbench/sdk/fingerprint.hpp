// The build fingerprint: plugins and host must agree on compiler, C++ standard library ABI
// and the exact SDK headers, because C++ types (spans of doubles aside) are only compatible
// between identical builds. The host compares this string before using a plugin.
#pragma once

#include "optbench/sdk/sdk_hash.hpp"

#define OPTBENCH_STRINGIFY_(x) #x
#define OPTBENCH_STRINGIFY(x) OPTBENCH_STRINGIFY_(x)

#if defined(_LIBCPP_VERSION)
#define OPTBENCH_STDLIB "libc++ " OPTBENCH_STRINGIFY(_LIBCPP_VERSION)
#elif defined(_GLIBCXX_USE_CXX11_ABI)
#define OPTBENCH_STDLIB "libstdc++ cxx11abi=" OPTBENCH_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#else
#define OPTBENCH_STDLIB "unknown-stdlib"
#endif

#if defined(__clang__)
#define OPTBENCH_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define OPTBENCH_COMPILER "gcc " __VERSION__
#else
#define OPTBENCH_COMPILER "unknown-compiler"
#endif

namespace optbench::sdk {

inline constexpr const char* build_fingerprint =
    OPTBENCH_COMPILER "; " OPTBENCH_STDLIB "; sdk " OPTBENCH_SDK_HASH;

}  // namespace optbench::sdk
