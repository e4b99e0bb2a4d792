// `optbench describe NAME`: an optimizer's or problem's parameters and declarations.
#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace optbench::host {

namespace po = boost::program_options;

int command_describe(const std::vector<std::string>& args) {
    po::options_description options("optbench describe NAME");
    options.add_options()("help,h", "show this help")("name", po::value<std::string>(), "name");
    po::positional_options_description positional;
    positional.add("name", 1);
    const auto vm = parse_arguments(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("name")) throw Error("describe needs a NAME (see optbench list)");
    const std::string name = vm["name"].as<std::string>();
    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    const PluginEntry* entry = nullptr;
    for (abi::EntryKind kind : {abi::EntryKind::optimizer, abi::EntryKind::problem}) {
        try {
            entry = &registry.find(kind, name);
            break;
        } catch (const Error&) {
        }
    }
    if (!entry) registry.find(abi::EntryKind::optimizer, name);  // throws, listing known names
    fmt::print("{} {} ({} {}, {})\n  {}\n", kind_name(entry->kind()), entry->name(),
               entry->library_name, entry->library_version, entry->file.string(),
               entry->entry->description);
    if (entry->entry->num_params == 0) fmt::print("  no parameters\n");
    else fmt::print("parameters:\n");
    for (std::size_t i = 0; i < entry->entry->num_params; ++i) {
        const abi::ParamSpec& p = entry->entry->params[i];
        std::string range;
        if (std::string_view(p.type) == "choice") range = fmt::format(" one of {}", p.choices);
        else if (std::string_view(p.type) == "real" || std::string_view(p.type) == "int") {
            const bool low = std::isfinite(p.min) && p.min > -9e15, high = std::isfinite(p.max) && p.max < 9e15;
            if (low && high) range = fmt::format(" in [{}, {}]", p.min, p.max);
            else if (low) range = fmt::format(" >= {}", p.min);
            else if (high) range = fmt::format(" <= {}", p.max);
        }
        fmt::print("  {:<16} {:<7} default {:<12} {}{}\n", p.name, p.type,
                   *p.default_value ? p.default_value : "\"\"", p.doc, range);
    }
    return 0;
}

}  // namespace optbench::host
