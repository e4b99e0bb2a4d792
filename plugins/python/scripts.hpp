// Python plugin files as plugin libraries: each file's classes become abi::Entry tables whose
// functions call into the interpreter.
#pragma once

#include "optbench/sdk/abi.hpp"

namespace optbench::python {

// Runs the plugin file at `path` and builds its descriptor from what it registered with
// optbench.plugin(name, version, classes...). The descriptor lives as long as the process.
// Throws std::runtime_error with one line saying what is wrong (with the file's line for an
// error raised in it); call with the interpreter started and the GIL held.
const abi::Descriptor* load_script(const char* path);

}  // namespace optbench::python
