// The Python bridge: a plugin library with no entries of its own that loads Python plugin
// files (abi::ScriptLoader), each of which becomes a library of its own in the host's registry.
// The interpreter starts when the first file is loaded.
#include <pybind11/embed.h>

#include "interpreter.hpp"
#include "objective.hpp"
#include "optbench/sdk/export.hpp"
#include "scripts.hpp"

// The Python half of the module, optbench.py, compiled in (sdk_source.cpp, generated).
extern const char* const optbench_python_sdk_source;

PYBIND11_EMBEDDED_MODULE(optbench, module) {
    optbench::python::bind_objective(module);
    pybind11::exec(optbench_python_sdk_source, module.attr("__dict__"));
}

namespace {

namespace abi = optbench::abi;  // <cxxabi.h>, which pybind11 includes, declares a global `abi`
namespace python = optbench::python;

const abi::Descriptor* load_python_script(const char* path, abi::Message error) noexcept {
    try {
        python::start_interpreter();
        python::Gil gil;
        return python::load_script(path);
    } catch (const std::exception& e) {
        optbench::sdk::detail::write_message(error, e.what());
    } catch (...) {
        optbench::sdk::detail::write_message(error, "unknown exception");
    }
    return nullptr;
}

const abi::ScriptLoader* python_script_loader() {
    static const abi::ScriptLoader loader{".py", python::runtime_description(), load_python_script};
    return &loader;
}

}  // namespace

OPTBENCH_PLUGIN("python", "1.0.0")
BOOST_DLL_ALIAS(python_script_loader, optbench_script_loader)
