// Broken on purpose: a descriptor the loader must refuse (minor mismatch).
#include <boost/dll/alias.hpp>

#include "optbench/sdk/abi.hpp"
#include "optbench/sdk/fingerprint.hpp"

namespace {
const ::optbench::abi::Descriptor* descriptor() {
    static constexpr auto fingerprint = ::optbench::abi::layout::text(::optbench::abi::minor_version);
    static const ::optbench::abi::Descriptor d{::optbench::abi::major_version, ::optbench::abi::minor_version + 1, fingerprint.data(), "bad_minor", "0", nullptr, 0, nullptr, nullptr};
    return &d;
}
}  // namespace

BOOST_DLL_ALIAS(descriptor, optbench_descriptor)
