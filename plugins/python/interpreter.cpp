#include "interpreter.hpp"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <dlfcn.h>
#include <pthread.h>

#include <pybind11/embed.h>

namespace optbench::python {

namespace {

// The file of the loaded libpython (empty when it cannot be told).
std::string libpython_file() {
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void*>(&Py_IsInitialized), &info) == 0 || !info.dli_fname) return "";
    return info.dli_fname;
}

// Campaign workers are forked from the host after the scripts were loaded. os.fork's protocol
// keeps the interpreter's locks (the GIL, the import lock) consistent in the child; a fork that
// Python itself makes (os.fork, subprocess) runs it already, with the GIL held.
PyGILState_STATE gil_state_at_fork;
bool fork_handled_here = false;
std::atomic<unsigned> forks{0};

void before_fork() {
    fork_handled_here = PyGILState_Check() == 0;
    if (!fork_handled_here) return;
    gil_state_at_fork = PyGILState_Ensure();
    PyOS_BeforeFork();
}

void after_fork_in_parent() {
    if (!fork_handled_here) return;
    PyOS_AfterFork_Parent();
    PyGILState_Release(gil_state_at_fork);
}

void after_fork_in_child() {
    forks.fetch_add(1, std::memory_order_relaxed);
    if (!fork_handled_here) return;
    PyOS_AfterFork_Child();
    PyGILState_Release(gil_state_at_fork);
}

}  // namespace

void start_interpreter() {
    if (Py_IsInitialized()) return;
    // The host opens plugins with RTLD_LOCAL, so libpython's symbols, which the bridge brought
    // in, are not visible to the C extension modules Python loads later (numpy's resolve them
    // globally): make them global.
    const std::string libpython = libpython_file();
    if (libpython.empty() || !::dlopen(libpython.c_str(), RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD))
        throw std::runtime_error("cannot make libpython's symbols global (" + libpython + "): " +
                                 (::dlerror() ? ::dlerror() : "not found"));
    // Runs are single-threaded, as the C++ plugins are: BLAS threads would compete with the
    // campaign's other workers (and would have to be restarted after each fork). A user who
    // sets these variables keeps their values.
    for (const char* variable : {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"})
        ::setenv(variable, "1", 0);
    // No signal handlers: SIGINT and SIGTERM stay the host's.
    py::initialize_interpreter(false, 0, nullptr, false);
    {
        // A virtualenv of this Python, when one is active, as `python` inside it would see it.
        py::exec(R"(
import os, site, sys
venv = os.environ.get("VIRTUAL_ENV")
if venv:
    site.addsitedir(os.path.join(venv, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "site-packages"))
)");
    }
    ::pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
    PyEval_SaveThread();
}

unsigned fork_generation() { return forks.load(std::memory_order_relaxed); }

const char* runtime_description() {
    static const std::string text = [] {
        const std::string file = libpython_file();
        return "CPython " PY_VERSION + (file.empty() ? std::string() : " (" + file + ")");
    }();
    return text.c_str();
}

py::module_ sdk_module() { return py::module_::import("optbench"); }

std::string report_exception(const py::error_already_set& error, const std::string& owner) {
    try {
        return sdk_module().attr("_exception_report")(error.value(), error.trace(), owner).cast<std::string>();
    } catch (const py::error_already_set& inner) {
        return error.what();  // the report itself failed: pybind11's summary, one line or more
    }
}

void flush_output() {
    for (const char* stream : {"stdout", "stderr"}) {
        try {
            py::module_::import("sys").attr(stream).attr("flush")();
        } catch (const py::error_already_set&) {
            // sys.stdout may be None or replaced by a plugin: nothing to flush then.
        }
    }
}

}  // namespace optbench::python
