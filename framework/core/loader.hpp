// Finds, checks and loads plugin libraries (Boost.DLL, import_alias only).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "base/error.hpp"
#include "results/declarations.hpp"
#include "optbench/sdk/abi.hpp"

namespace optbench::host {

// One optimizer or problem offered by a loaded library. Holding it keeps the library loaded.
struct PluginEntry {
    std::shared_ptr<boost::dll::shared_library> library;
    const abi::Entry* entry;
    const abi::Declarations* declarations;  // null for a plugin of ABI minor 0
    const char* selection_metric;           // "" for none (and for plugins before ABI minor 2)
    std::uint32_t abi_minor;                // the ABI minor version the plugin was built for
    std::string library_name;  // the descriptor's plugin name, e.g. "synthetic"
    std::string library_version;
    // FNV-1a of the library file (of the script, for a script plugin): a rebuild that changed
    // the plugin's code changes it, one that did not (builds are reproducible) does not.
    std::string library_hash;
    // "optimized", "unoptimized", or "" from plugins older than abi::build_alias; a script's
    // is its loading library's.
    std::string library_build;
    std::filesystem::path file;  // the library, or the script

    std::string_view name() const { return entry->name; }
    std::string qualified_name() const { return library_name + "/" + entry->name; }
    abi::EntryKind kind() const { return entry->kind; }
};

// A library that loads plugins written in another language (abi::ScriptLoader), e.g. Python.
struct ScriptRuntime {
    std::shared_ptr<boost::dll::shared_library> library;
    const abi::ScriptLoader* loader;
    std::string library_name;  // the loading library's, e.g. "python"
    std::string library_build;
    std::filesystem::path file;

    std::string_view extension() const { return loader->extension; }
    std::string_view runtime() const { return loader->runtime; }
};

// The folders searched, in order: the plugin folder next to the executable
// (<exe>/../lib/optbench/plugins, which is the build tree or the install tree; also
// <exe>/../<libdir>/optbench/plugins where the install libdir differs), the configured install
// prefix's plugin folder, then each folder or file in OPTBENCH_PLUGIN_PATH (':'-separated).
std::vector<std::filesystem::path> default_plugin_search_path();
// Where the check library (problems/conformance) is: the same places with check-plugins for
// plugins. Only `optbench check` and the test suite load it.
std::vector<std::filesystem::path> check_plugin_search_path();
// The folders and files of OPTBENCH_PLUGIN_PATH, in order.
std::vector<std::filesystem::path> plugin_path_from_environment();

class Registry {
public:
    // Loads every plugin library found on the search path, then every script a loaded
    // library's ScriptLoader takes (files of the search path ending with its extension). A
    // library or script that fails its checks is skipped and its error kept in load_errors(),
    // as is a place of OPTBENCH_PLUGIN_PATH that does not exist; the others stay usable.
    static Registry discover(const std::vector<std::filesystem::path>& search_path =
                                 default_plugin_search_path());

    // Loads one library, or one script when a loaded ScriptLoader takes its extension; throws
    // Error naming the file when it is not a valid plugin (not an intact ELF shared library, a
    // script its loader refuses, no descriptor, ABI or fingerprint mismatch, duplicate entry
    // names, bad defaults).
    void load(const std::filesystem::path& file);

    // Resolves "name" or "library/name"; throws Error listing the known names and the places
    // searched (and saying so when the name is one of the other kind).
    const PluginEntry& find(abi::EntryKind kind, std::string_view name) const;

    std::vector<const PluginEntry*> entries(abi::EntryKind kind) const;
    const std::vector<std::string>& load_errors() const { return load_errors_; }
    const std::vector<ScriptRuntime>& script_runtimes() const { return script_runtimes_; }
    // library name -> version of every loaded library
    std::vector<std::pair<std::string, std::string>> libraries() const;

private:
    void load_library(const std::filesystem::path& file);
    void load_script(const ScriptRuntime& runtime, const std::filesystem::path& file);
    // Checks a descriptor read from `file` (ABI, fingerprint, names, entries, declarations)
    // before anything else of the plugin is used; throws Error naming the file.
    void check(const std::filesystem::path& file, const abi::Descriptor* descriptor) const;
    // Adds the entries of a checked descriptor.
    void add(const std::filesystem::path& file, const std::shared_ptr<boost::dll::shared_library>& library,
             const abi::Descriptor* descriptor, const std::string& build);

    std::vector<PluginEntry> entries_;
    std::vector<ScriptRuntime> script_runtimes_;
    std::vector<std::string> load_errors_;
    std::vector<std::filesystem::path> loaded_files_;
    std::vector<std::filesystem::path> search_path_;
};

std::string_view kind_name(abi::EntryKind kind);

// The fingerprint a plugin built for ABI minor version `minor` carries; nullptr past this
// host's minor version.
const char* abi_fingerprint(std::uint32_t minor);

// What an entry declares, as results folders keep it (empty for a plugin of ABI minor 0).
ProblemDeclaration problem_declaration(const PluginEntry& entry);
OptimizerDeclaration optimizer_declaration(const PluginEntry& entry);

}  // namespace optbench::host
