// `optbench list`: every optimizer and problem found, one line each, and what runs the plugins
// written in other languages (e.g. which Python).
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace optbench::host {

namespace po = boost::program_options;

int command_list(const std::vector<std::string>& args) {
    po::options_description options("optbench list");
    options.add_options()("help,h", "show this help");
    if (parse_arguments(args, options).count("help")) {
        std::cout << options;
        return 0;
    }
    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    for (abi::EntryKind kind : {abi::EntryKind::optimizer, abi::EntryKind::problem}) {
        fmt::print("{}s:\n", kind_name(kind));
        for (const PluginEntry* e : registry.entries(kind))
            fmt::print("  {:<18} {:<14} {}\n", e->name(), "(" + e->library_name + ")",
                       e->entry->description);
    }
    for (const ScriptRuntime& r : registry.script_runtimes())
        fmt::print("{} plugins ({}): {}\n", r.library_name, r.extension(), r.runtime());
    return 0;
}

}  // namespace optbench::host
