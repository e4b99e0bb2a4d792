// A library that loads ".optscript" files (abi::ScriptLoader), for the host's side of plugins
// written in other languages without any interpreter: a script is one line, either
// "LIBRARY VERSION ENTRY" (a library with one optimizer that evaluates the box's point nearest
// the origin until the budget is spent) or "refuse MESSAGE".
#include <deque>
#include <fstream>
#include <sstream>
#include <string>

#include "nearest_origin.hpp"
#include "optbench/sdk/export.hpp"

namespace {

using namespace optbench;

abi::Status run(void*, const abi::ObjectiveView* view, std::uint64_t, abi::Message) noexcept {
    return test_plugins::evaluate_nearest_origin(view, [](double) {});
}

const abi::OptimizerOps ops{&run};

struct Script {
    std::string library, version, entry;
    abi::Entry entries[1];
    abi::Declarations declarations[1];
    const char* selection_metrics[1] = {""};
    abi::Descriptor descriptor;
};

const abi::Descriptor* load(const char* path, abi::Message error) noexcept {
    static std::deque<Script> scripts;
    static constexpr auto fingerprint = abi::layout::text(abi::minor_version);
    std::ifstream in(path);
    std::string first;
    in >> first;
    if (first == "refuse") {
        std::string message;
        std::getline(in, message);
        sdk::detail::write_message(error, message.substr(message.find_first_not_of(' ')));
        return nullptr;
    }
    Script& s = scripts.emplace_back();
    s.library = first;
    in >> s.version >> s.entry;
    s.entries[0] = {abi::EntryKind::optimizer, s.entry.c_str(), "test: a script's optimizer", nullptr, 0,
                    abi::deterministic, &test_plugins::create_stateless, &test_plugins::destroy_stateless, nullptr, &ops};
    s.declarations[0] = {"", "", "", 0, nullptr, 0, nullptr, 0};
    s.descriptor = {abi::major_version, abi::minor_version, fingerprint.data(), s.library.c_str(),
                    s.version.c_str(), s.entries, 1, s.declarations, s.selection_metrics};
    return &s.descriptor;
}

const abi::ScriptLoader* script_loader() {
    static const abi::ScriptLoader loader{".optscript", "test scripts, one line each", &load};
    return &loader;
}

}  // namespace

OPTBENCH_PLUGIN("script_loader", "1.0.0")
BOOST_DLL_ALIAS(script_loader, optbench_script_loader)
