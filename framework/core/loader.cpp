#include "core/loader.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <set>

#include <boost/dll/import.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/elf_check.hpp"
#include "optbench/sdk/fingerprint.hpp"
#include "results/csv.hpp"
#include "results/run_row.hpp"
#include "optbench/sdk/rng.hpp"
#include "optbench/sdk/params.hpp"

namespace optbench::host {

namespace fs = std::filesystem;

const char* abi_fingerprint(std::uint32_t minor) {
    static_assert(abi::minor_version == 2, "add the new minor version's fingerprint below");
    static constexpr auto minor_0 = abi::layout::text(0), minor_1 = abi::layout::text(1),
                          minor_2 = abi::layout::text(2);
    return minor == 0 ? minor_0.data() : minor == 1 ? minor_1.data() : minor == 2 ? minor_2.data() : nullptr;
}

std::string_view kind_name(abi::EntryKind kind) {
    return kind == abi::EntryKind::optimizer ? "optimizer" : "problem";
}

namespace {

// lib/optbench/<folder> in the build or install tree of this executable (and under the install
// libdir where it differs), then in the configured install prefix.
std::vector<fs::path> installed_folders(std::string_view folder) {
    std::vector<fs::path> path;
    const fs::path prefix = boost::dll::program_location().parent_path().parent_path();
    path.push_back(prefix / "lib" / "optbench" / folder);
    if (fs::path(OPTBENCH_INSTALL_LIBDIR) != "lib") path.push_back(prefix / OPTBENCH_INSTALL_LIBDIR / "optbench" / folder);
    path.push_back(fs::path(OPTBENCH_INSTALL_PLUGIN_DIR).parent_path() / folder);
    return path;
}

}  // namespace

std::vector<fs::path> default_plugin_search_path() {
    std::vector<fs::path> path = installed_folders("plugins");
    for (const fs::path& place : plugin_path_from_environment()) path.push_back(place);
    return path;
}

std::vector<fs::path> check_plugin_search_path() { return installed_folders("check-plugins"); }

std::vector<fs::path> plugin_path_from_environment() {
    std::vector<fs::path> path;
    if (const char* extra = std::getenv("OPTBENCH_PLUGIN_PATH")) {
        std::string_view rest = extra;
        while (!rest.empty()) {
            const std::size_t colon = rest.find(':');
            if (colon != 0) path.emplace_back(std::string(rest.substr(0, colon)));
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    return path;
}

Registry Registry::discover(const std::vector<fs::path>& search_path) {
    Registry registry;
    registry.search_path_ = search_path;
    const std::vector<fs::path> user_path = plugin_path_from_environment();
    const auto try_load = [&registry](const auto& load) {
        try {
            load();
        } catch (const Error& e) {
            registry.load_errors_.push_back(e.what());
        }
    };
    // The files of a folder whose names end with `extension`, sorted.
    const auto files_in = [](const fs::path& folder, std::string_view extension) {
        std::error_code ec;
        std::vector<fs::path> files;
        for (const auto& item : fs::directory_iterator(folder, ec))
            if (item.path().extension() == extension) files.push_back(item.path());
        std::sort(files.begin(), files.end());
        return files;
    };
    const auto is_script = [&registry](const fs::path& file) {
        return std::any_of(registry.script_runtimes_.begin(), registry.script_runtimes_.end(),
                           [&](const ScriptRuntime& r) { return file.extension() == r.extension(); });
    };
    // Libraries first, so that scripts are taken whichever place their loader came from; the
    // files named in the search path after the folders' libraries, as one of them may be a
    // script whose loader is in a folder.
    std::vector<fs::path> named_files;
    for (const fs::path& place : search_path) {
        std::error_code ec;
        if (fs::is_directory(place, ec)) {
            for (const fs::path& file : files_in(place, ".so")) try_load([&] { registry.load_library(file); });
        } else if (fs::is_regular_file(place, ec)) {
            named_files.push_back(place);
        } else if (std::find(user_path.begin(), user_path.end(), place) != user_path.end()) {
            registry.load_errors_.push_back(
                fmt::format("{}: named in OPTBENCH_PLUGIN_PATH, but no such folder or file", place.string()));
        }
    }
    for (const fs::path& file : named_files)
        if (!is_script(file)) try_load([&] { registry.load_library(file); });
    for (const fs::path& place : search_path) {
        std::error_code ec;
        if (!fs::is_directory(place, ec)) continue;
        for (const ScriptRuntime& runtime : registry.script_runtimes_)
            for (const fs::path& file : files_in(place, runtime.extension()))
                try_load([&] { registry.load_script(runtime, file); });
    }
    for (const fs::path& file : named_files)
        if (is_script(file)) try_load([&] { registry.load(file); });
    return registry;
}

namespace {

void check_entry(const fs::path& file, const abi::Entry& entry) {
    const auto fail = [&](const std::string& what) {
        throw Error(fmt::format("plugin {}: entry '{}': {}", file.string(),
                                entry.name ? entry.name : "(null)", what));
    };
    if (!entry.name || !is_portable_name(entry.name))
        fail("expected a name of letters, digits, '_', '-', '.' that starts and ends with a letter or digit");
    if (!entry.description) fail("has no description");
    if (entry.kind != abi::EntryKind::optimizer && entry.kind != abi::EntryKind::problem)
        fail("unknown kind");
    if (!entry.create || !entry.destroy) fail("has no create/destroy functions");
    if (entry.kind == abi::EntryKind::problem && !entry.problem_ops) fail("has no problem functions");
    if (entry.kind == abi::EntryKind::optimizer && !entry.optimizer_ops)
        fail("has no optimizer functions");
    if (entry.num_params > 0 && !entry.params) fail("declares parameters but gives none");
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < entry.num_params; ++i) {
        const abi::ParamSpec& spec = entry.params[i];
        if (!spec.name || !spec.type || !spec.default_value || !spec.doc || !spec.choices)
            fail("parameter " + std::to_string(i) + " has a null field");
        if (!names.insert(spec.name).second)
            fail(fmt::format("declares parameter '{}' twice", spec.name));
        try {
            sdk::Params::check(spec, spec.default_value);
        } catch (const sdk::ParamError& e) {
            fail(fmt::format("invalid default: {}", e.what()));
        }
    }
}

// Entry i's selection metric; plugins before minor 2 select no checkpoint.
const char* selection_metric(const abi::Descriptor& descriptor, std::size_t i) {
    return descriptor.abi_minor >= 2 ? descriptor.selection_metrics[i] : "";
}

// What the host relies on in an entry's declarations: names it can use as columns and keys,
// parameters that exist, directions that are one of the two.
void check_declarations(const fs::path& file, const abi::Entry& entry, const abi::Declarations& d,
                        const char* selection_metric) {
    const auto fail = [&](const std::string& what) {
        throw Error(fmt::format("plugin {}: entry '{}': {}", file.string(), entry.name, what));
    };
    if (!d.suite || !d.function_parameter || !d.instance_parameter) fail("its declarations have a null field");
    if (*d.suite && !is_portable_name(d.suite))
        fail(fmt::format("suite '{}': expected a portable name (letters, digits, '_', '-', '.')", d.suite));
    for (const char* parameter : {d.function_parameter, d.instance_parameter}) {
        if (!*parameter) continue;
        const abi::ParamSpec* param = nullptr;
        for (std::size_t i = 0; i < entry.num_params; ++i)
            if (std::string_view(entry.params[i].name) == parameter) param = &entry.params[i];
        if (!param || std::string_view(param->type) != "int")
            fail(fmt::format("declares '{}' as its function or instance parameter, but has no int parameter of "
                             "that name",
                             parameter));
    }
    if ((d.num_metrics > 0 && !d.metrics) || (d.num_stats > 0 && !d.stats)) fail("declares metrics or stats but gives none");
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < d.num_metrics; ++i) {
        const abi::MetricSpec& m = d.metrics[i];
        if (!m.name || !m.doc || !*m.name || is_run_column(m.name) || !names.insert(m.name).second)
            fail(fmt::format("hold-out metric '{}': expected a non-empty name, once, that is no column of runs.csv",
                             m.name ? m.name : "(null)"));
        if (std::string_view(m.name).starts_with(selected_prefix))
            fail(fmt::format("hold-out metric '{}': names starting with '{}' are kept for the validation-selected "
                             "values of the metrics",
                             m.name, selected_prefix));
        if (m.direction != abi::higher_is_better && m.direction != abi::lower_is_better)
            fail(fmt::format("hold-out metric '{}': direction {}, expected 1 (higher is better) or -1", m.name,
                             m.direction));
    }
    if (!selection_metric) fail("its selection metric is null");
    if (*selection_metric && !names.count(selection_metric))
        fail(fmt::format("selection metric '{}': expected one of its hold-out metrics ({})", selection_metric,
                         names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
    names.clear();
    for (std::size_t i = 0; i < d.num_stats; ++i) {
        const abi::StatSpec& stat = d.stats[i];
        if (!stat.name || !stat.doc || !*stat.name || !names.insert(stat.name).second)
            fail(fmt::format("stat '{}': expected a non-empty name, once", stat.name ? stat.name : "(null)"));
    }
}

}  // namespace

ProblemDeclaration problem_declaration(const PluginEntry& entry) {
    ProblemDeclaration out;
    if (!entry.declarations) return out;
    const abi::Declarations& d = *entry.declarations;
    out.suite = d.suite;
    out.function_parameter = d.function_parameter;
    out.instance_parameter = d.instance_parameter;
    out.coco_format = (d.suite_formats & abi::coco_format) != 0;
    out.cec_format = (d.suite_formats & abi::cec_format) != 0;
    for (std::size_t i = 0; i < d.num_metrics; ++i)
        out.metrics.push_back({d.metrics[i].name, d.metrics[i].doc, d.metrics[i].direction == abi::higher_is_better});
    out.selection_metric = entry.selection_metric;
    return out;
}

OptimizerDeclaration optimizer_declaration(const PluginEntry& entry) {
    OptimizerDeclaration out;
    if (!entry.declarations) return out;
    for (std::size_t i = 0; i < entry.declarations->num_stats; ++i) {
        const abi::StatSpec& s = entry.declarations->stats[i];
        out.stats.push_back({s.name, s.doc, (s.flags & abi::in_figure) != 0});
    }
    return out;
}

void Registry::load(const fs::path& file) {
    for (const ScriptRuntime& runtime : script_runtimes_)
        if (file.extension() == runtime.extension()) return load_script(runtime, file);
    load_library(file);
}

void Registry::load_library(const fs::path& file) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(file, ec);
    if (std::find(loaded_files_.begin(), loaded_files_.end(), canonical) != loaded_files_.end())
        return;

    check_elf_shared_library(file);
    std::shared_ptr<boost::dll::shared_library> library;
    try {
        library = std::make_shared<boost::dll::shared_library>(file);
    } catch (const std::exception& e) {
        throw Error(fmt::format("plugin {}: cannot be loaded: {}", file.string(), e.what()));
    }
    if (!library->has(abi::descriptor_alias))
        throw Error(fmt::format("plugin {}: not an optbench plugin (it exports no '{}')",
                                file.string(), abi::descriptor_alias));
    const abi::Descriptor* descriptor = nullptr;
    try {
        auto get_descriptor =
            boost::dll::import_alias<abi::DescriptorFunction>(*library, abi::descriptor_alias);
        descriptor = get_descriptor();
    } catch (const std::exception& e) {
        throw Error(fmt::format("plugin {}: cannot read its descriptor: {}", file.string(),
                                e.what()));
    }
    check(file, descriptor);
    std::string library_build;
    if (library->has(abi::build_alias)) {
        const char* build = boost::dll::import_alias<abi::BuildFunction>(*library, abi::build_alias)();
        library_build = build ? build : "";
    }
    add(file, library, descriptor, library_build);
    loaded_files_.push_back(canonical);
    if (descriptor->abi_minor >= 2 && library->has(abi::script_loader_alias)) {
        const abi::ScriptLoader* loader =
            boost::dll::import_alias<abi::ScriptLoaderFunction>(*library, abi::script_loader_alias)();
        if (!loader || !loader->extension || std::string_view(loader->extension).size() < 2 ||
            loader->extension[0] != '.' || !loader->runtime || !loader->load)
            throw Error(fmt::format("plugin {}: its script loader is incomplete (expected an extension such as "
                                    "'.py', a runtime and a load function)",
                                    file.string()));
        for (const ScriptRuntime& other : script_runtimes_)
            if (other.extension() == loader->extension)
                throw Error(fmt::format("plugin {}: loads {} scripts, as {} does already", file.string(),
                                        loader->extension, other.file.string()));
        script_runtimes_.push_back({library, loader, descriptor->plugin_name, library_build, file});
    }
}

void Registry::load_script(const ScriptRuntime& runtime, const fs::path& file) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(file, ec);
    if (std::find(loaded_files_.begin(), loaded_files_.end(), canonical) != loaded_files_.end())
        return;
    std::array<char, 4096> message{};
    const abi::Descriptor* descriptor = runtime.loader->load(file.c_str(), {message.data(), message.size()});
    if (!descriptor)
        throw Error(fmt::format("plugin {}: {}", file.string(),
                                message[0] ? message.data() : fmt::format("{} refused it", runtime.library_name)));
    check(file, descriptor);
    add(file, runtime.library, descriptor, runtime.library_build);
    loaded_files_.push_back(canonical);
}

void Registry::check(const fs::path& file, const abi::Descriptor* descriptor) const {
    if (!descriptor) throw Error(fmt::format("plugin {}: its descriptor is null", file.string()));
    if (descriptor->abi_major != abi::major_version || descriptor->abi_minor > abi::minor_version)
        throw Error(fmt::format(
            "plugin {}: built for plugin ABI {}.{}, this host supports {}.0 to {}.{}; rebuild it "
            "against this optbench",
            file.string(), descriptor->abi_major, descriptor->abi_minor, abi::major_version,
            abi::major_version, abi::minor_version));
    const char* expected = abi_fingerprint(descriptor->abi_minor);
    if (!descriptor->fingerprint || std::strcmp(descriptor->fingerprint, expected) != 0)
        throw Error(fmt::format(
            "plugin {}: build fingerprint mismatch (plugin: '{}', host expects '{}' for ABI {}.{}): its ABI "
            "structs or its C++ library ABI differ from this host's; rebuild it against this optbench's SDK",
            file.string(), descriptor->fingerprint ? descriptor->fingerprint : "(none)", expected,
            descriptor->abi_major, descriptor->abi_minor));
    if (!descriptor->plugin_name || !is_portable_name(descriptor->plugin_name))
        throw Error(fmt::format("plugin {}: library name '{}': expected letters, digits, '_', '-', '.', "
                                "starting and ending with a letter or digit",
                                file.string(), descriptor->plugin_name ? descriptor->plugin_name : "(null)"));
    if (descriptor->num_entries > 0 && !descriptor->entries)
        throw Error(fmt::format("plugin {}: declares entries but gives none", file.string()));

    // Plugins of minor 0 declare nothing: they are taken as declaring no suite, metric or stat.
    const abi::Declarations* declarations = descriptor->abi_minor >= 1 ? descriptor->declarations : nullptr;
    if (descriptor->abi_minor >= 1 && descriptor->num_entries > 0 && !declarations)
        throw Error(fmt::format("plugin {}: ABI {}.{} but no declarations for its entries", file.string(),
                                descriptor->abi_major, descriptor->abi_minor));
    if (descriptor->abi_minor >= 2 && descriptor->num_entries > 0 && !descriptor->selection_metrics)
        throw Error(fmt::format("plugin {}: ABI {}.{} but no selection metrics for its entries", file.string(),
                                descriptor->abi_major, descriptor->abi_minor));
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < descriptor->num_entries; ++i) {
        const abi::Entry& entry = descriptor->entries[i];
        check_entry(file, entry);
        if (declarations) check_declarations(file, entry, declarations[i], selection_metric(*descriptor, i));
        if (!names.insert(entry.name).second)
            throw Error(fmt::format("plugin {}: two entries are named '{}'", file.string(),
                                    entry.name));
    }
    const auto same_name = [&](const auto& other) { return other.library_name == descriptor->plugin_name; };
    const auto entry = std::find_if(entries_.begin(), entries_.end(), same_name);
    const auto runtime = std::find_if(script_runtimes_.begin(), script_runtimes_.end(), same_name);
    if (entry != entries_.end() || runtime != script_runtimes_.end())
        throw Error(fmt::format("plugin {}: a library named '{}' is already loaded from {}", file.string(),
                                descriptor->plugin_name,
                                (entry != entries_.end() ? entry->file : runtime->file).string()));
}

void Registry::add(const fs::path& file, const std::shared_ptr<boost::dll::shared_library>& library,
                   const abi::Descriptor* descriptor, const std::string& build) {
    const abi::Declarations* declarations = descriptor->abi_minor >= 1 ? descriptor->declarations : nullptr;
    const std::string hash = fmt::format("{:016x}", sdk::fnv1a(read_file(file, "plugin file")));
    for (std::size_t i = 0; i < descriptor->num_entries; ++i)
        entries_.push_back({library, &descriptor->entries[i], declarations ? &declarations[i] : nullptr,
                            selection_metric(*descriptor, i), descriptor->abi_minor,
                            descriptor->plugin_name, descriptor->plugin_version ? descriptor->plugin_version : "",
                            hash, build, file});
}

const PluginEntry& Registry::find(abi::EntryKind kind, std::string_view name) const {
    std::vector<const PluginEntry*> matches;
    for (const PluginEntry& e : entries_)
        if (e.kind() == kind && (e.name() == name || e.qualified_name() == name))
            matches.push_back(&e);
    if (matches.size() == 1) return *matches.front();
    if (matches.empty()) {
        std::string known;
        for (const PluginEntry* e : entries(kind)) known += (known.empty() ? "" : ", ") + std::string(e->name());
        const abi::EntryKind other = kind == abi::EntryKind::optimizer ? abi::EntryKind::problem : abi::EntryKind::optimizer;
        std::string hint;
        for (const PluginEntry& e : entries_)
            if (e.kind() == other && (e.name() == name || e.qualified_name() == name))
                hint = fmt::format(" ('{}' is a {}, not an {})", name, kind_name(other), kind_name(kind));
        std::vector<std::string> folders;
        for (const fs::path& place : search_path_) folders.push_back(place.string());
        throw Error(fmt::format("unknown {} '{}'{}; known: {}; searched {} (add folders with OPTBENCH_PLUGIN_PATH)",
                                kind_name(kind), name, hint, known.empty() ? "(none found)" : known,
                                folders.empty() ? "no folder" : fmt::format("{}", fmt::join(folders, ", "))));
    }
    std::string candidates;
    for (const PluginEntry* e : matches)
        candidates += (candidates.empty() ? "" : ", ") + e->qualified_name();
    throw Error(fmt::format("{} name '{}' is ambiguous; use one of: {}", kind_name(kind), name,
                            candidates));
}

std::vector<const PluginEntry*> Registry::entries(abi::EntryKind kind) const {
    std::vector<const PluginEntry*> result;
    for (const PluginEntry& e : entries_)
        if (e.kind() == kind) result.push_back(&e);
    std::stable_sort(result.begin(), result.end(), [](const PluginEntry* a, const PluginEntry* b) {
        return a->name() < b->name();
    });
    return result;
}

std::vector<std::pair<std::string, std::string>> Registry::libraries() const {
    std::vector<std::pair<std::string, std::string>> result;
    for (const PluginEntry& e : entries_)
        if (result.empty() || result.back().first != e.library_name)
            result.emplace_back(e.library_name, e.library_version);
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
}

}  // namespace optbench::host
