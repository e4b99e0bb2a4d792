// Checks a plugin file before dlopen maps it. The dynamic loader trusts the ELF headers: a
// library cut short by an interrupted copy has segments that end past the end of the file, and
// touching their pages kills the process with SIGBUS inside dlopen, before any error can name
// the file.
#pragma once

#include <filesystem>

namespace optbench::host {

// Throws Error "<file>: ..." saying what is wrong unless the file is a 64-bit little-endian
// ELF shared library whose header tables, segments and sections all lie within the file.
void check_elf_shared_library(const std::filesystem::path& file);

}  // namespace optbench::host
