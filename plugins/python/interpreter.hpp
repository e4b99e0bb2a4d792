// The CPython interpreter the bridge embeds: one per process, started on first use and never
// finalised (CPython cannot finalise and start again once numpy is loaded, and the host may
// load scripts at any time). Every call into Python holds the GIL through a Gil object.
#pragma once

#include <string>

#include <pybind11/pybind11.h>

namespace optbench::python {

namespace py = pybind11;

// Starts the interpreter unless it runs already; throws std::runtime_error when it cannot.
// Returns with the GIL released.
void start_interpreter();

// What runs the scripts: the Python the bridge was built against, and the library loaded.
const char* runtime_description();

// Holds the GIL for its lifetime; nests.
using Gil = py::gil_scoped_acquire;

// The embedded module `optbench` (bridge.cpp), imported.
py::module_ sdk_module();

// For an exception raised by Python code run for `owner` (e.g. "optimizer 'es'"): writes its
// traceback to stderr and returns its last line ("ValueError: ..."), the run's message.
std::string report_exception(const py::error_already_set& error, const std::string& owner);

// Counts the forks this process descends from since the bridge was loaded (a fork made by
// Python code during a run, e.g. by multiprocessing, too): an objective used in a process
// other than its run's would count evaluations the run never sees.
unsigned fork_generation();

// Writes what Python's sys.stdout and sys.stderr hold: the interpreter is never finalised,
// so nothing else would before the process ends.
void flush_output();

}  // namespace optbench::python
