// Broken on purpose: a descriptor the loader must refuse (fingerprint mismatch).
#include <boost/dll/alias.hpp>

#include "optbench/sdk/abi.hpp"
#include "optbench/sdk/fingerprint.hpp"

namespace {
const ::optbench::abi::Descriptor* descriptor() {
    static const ::optbench::abi::Descriptor d{::optbench::abi::major_version, ::optbench::abi::minor_version, "some other compiler; sdk 0000", "bad_fingerprint", "0", nullptr, 0, nullptr, nullptr};
    return &d;
}
}  // namespace

BOOST_DLL_ALIAS(descriptor, optbench_descriptor)
