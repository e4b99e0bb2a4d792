#include "scripts.hpp"

#include <array>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>

#include "interpreter.hpp"
#include "objective.hpp"
#include "optbench/sdk/export.hpp"
#include "optbench/sdk/fingerprint.hpp"

namespace optbench::python {

namespace {

// One class a plugin file registered.
struct ScriptEntry {
    py::object cls;
    std::string name;
    std::string owner;  // "optimizer 'name' (file)", for messages
    std::vector<abi::ParamSpec> params;
    std::vector<abi::MetricSpec> metrics;
    std::vector<abi::StatSpec> stats;
    bool is_problem = false;
    std::uint32_t capabilities = 0;  // a problem's from its overrides; optimum ones per instance
    bool overrides_optimum_point = false;
};

struct Script {
    std::deque<std::string> texts;  // every string the descriptor points to
    std::deque<ScriptEntry> entries;
    std::vector<abi::Entry> abi_entries;
    std::vector<abi::Declarations> declarations;
    std::vector<const char*> selection_metrics;
    abi::Descriptor descriptor{};

    const char* keep(std::string text) { return texts.emplace_back(std::move(text)).c_str(); }
};

// Every Python object of the bridge lives as long as the process: the interpreter is never
// finalised, and releasing an object at exit, after the host stopped holding the GIL, would
// crash. So what the descriptors point to is allocated once and never freed.
std::vector<std::unique_ptr<Script>>& scripts() {
    static auto* all = new std::vector<std::unique_ptr<Script>>;
    return *all;
}

// abi::Entry::create has no context argument, so each entry gets a create function of its
// own: the one for its slot in this table.
constexpr std::size_t max_entries = 1024;
std::vector<const ScriptEntry*>& slots() {
    static auto* all = new std::vector<const ScriptEntry*>;
    return *all;
}

// Runs body with the GIL held and turns every exception into a status and a message; a Python
// exception's message is its last line, and its traceback goes to stderr. Stop and
// NotApplicable end an optimizer's run (allow_run_endings); from anything else they are errors.
template <class Body>
abi::Status guarded(abi::Message message, const std::string& owner, bool allow_run_endings, Body&& body) noexcept {
    try {
        Gil gil;
        try {
            body();
            return abi::Status::ok;
        } catch (py::error_already_set& e) {
            if (allow_run_endings && e.matches(exception_types().stop)) return abi::Status::ok;
            if (allow_run_endings && e.matches(exception_types().not_applicable)) {
                sdk::detail::write_message(message, py::str(e.value()).cast<std::string>());
                return abi::Status::not_applicable;
            }
            // The problem failed, and the host has its message already: no traceback of the
            // optimizer's code that let the failure pass.
            if (allow_run_endings && e.matches(exception_types().objective_error)) {
                sdk::detail::write_message(message, py::str(e.value()).cast<std::string>());
                return abi::Status::error;
            }
            sdk::detail::write_message(message, report_exception(e, owner));
            return abi::Status::error;
        }
    } catch (const std::exception& e) {
        sdk::detail::write_message(message, e.what());
    } catch (...) {
        sdk::detail::write_message(message, "unknown exception");
    }
    return abi::Status::error;
}

// A view of host memory for the duration of one call: no copy (and no base: numpy frees no data
// it does not own), read-only unless writable. Made through numpy's C API directly: this is on
// the path of every evaluation of a Python problem.
py::object host_view(void* data, std::size_t size, int type, bool writable) {
    auto& api = py::detail::npy_api::get();
    PyObject* descriptor = api.PyArray_DescrFromType_(type);  // a new reference, which numpy steals
    const Py_intptr_t dims[1] = {static_cast<Py_intptr_t>(size)};
    const int flags = py::detail::npy_api::NPY_ARRAY_C_CONTIGUOUS_ | py::detail::npy_api::NPY_ARRAY_ALIGNED_ |
                      (writable ? py::detail::npy_api::NPY_ARRAY_WRITEABLE_ : 0);
    PyObject* view = api.PyArray_NewFromDescr_(api.PyArray_Type_, descriptor, 1, dims, nullptr, data, flags, nullptr);
    if (!view) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(view);
}
py::object host_view(abi::Span x) {
    return host_view(const_cast<double*>(x.data), x.size, py::detail::npy_api::NPY_DOUBLE_, false);
}
py::object host_view(abi::MutableSpan x) { return host_view(x.data, x.size, py::detail::npy_api::NPY_DOUBLE_, true); }
py::object host_view(abi::IndexSpan x) {
    static const int type = py::dtype::of<std::size_t>().num();
    return host_view(const_cast<std::size_t*>(x.data), x.size, type, false);
}

// An argument of a problem's method; a view of host memory is checked after the call.
struct Argument {
    const char* name;
    py::object value;
    bool is_view = true;
};

// Calls a problem's method (vectorcall: no argument tuple) and checks that it kept none of the
// views it was given: the host's memory behind them is gone after the call, so a kept view (or
// an array made from it) would later read freed memory.
py::object call(const py::handle& method, const char* method_name, std::initializer_list<Argument> arguments) {
    std::array<PyObject*, 3> args{};
    std::size_t count = 0;
    for (const Argument& argument : arguments) args.at(count++) = argument.value.ptr();
    auto result = py::reinterpret_steal<py::object>(PyObject_Vectorcall(method.ptr(), args.data(), count, nullptr));
    if (!result) throw py::error_already_set();
    for (const Argument& argument : arguments)
        if (argument.is_view && argument.value.ref_count() > 1)
            throw std::runtime_error(std::string(method_name) + "() kept a reference to its argument '" +
                                     argument.name + "', a view of the host's memory valid during the call only; "
                                     "keep a copy (" + argument.name + ".copy())");
    return result;
}

double as_double(const py::handle& value, const char* method) {
    const double f = PyFloat_AsDouble(value.ptr());
    if (f == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        throw std::runtime_error(std::string(method) + "() returned " + py::repr(value).cast<std::string>() +
                                 ", expected a number");
    }
    return f;
}

std::vector<double> as_doubles(const py::handle& value, const char* what) {
    try {
        const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
        if (!array || array.ndim() > 1) throw std::runtime_error("");
        return std::vector<double>(array.data(), array.data() + array.size());
    } catch (const std::runtime_error&) {
        throw std::runtime_error(std::string(what) + " is " + py::repr(value).cast<std::string>() +
                                 ", expected a number or a 1-D sequence of numbers");
    }
}

struct PythonOptimizer {
    py::object instance;
    const ScriptEntry* entry;
};

struct PythonProblem {
    py::object instance;
    const ScriptEntry* entry;
    std::size_t dimension = 0;
    std::vector<double> lower, upper;
    std::uint32_t capabilities = 0;
    double optimum_value = 0;
    std::size_t num_samples = 0;
    py::object value, value_and_gradient;  // bound methods, looked up once
};

PythonProblem& as_problem(void* self) { return *static_cast<PythonProblem*>(self); }

// A problem's instance-level facts, read once after it is made.
void describe(PythonProblem& p) {
    const py::object& o = p.instance;
    if (!py::hasattr(o, "dimension") || !py::hasattr(o, "lower") || !py::hasattr(o, "upper"))
        throw std::runtime_error("the problem sets no dimension, lower and upper (in __init__ or as class attributes)");
    const py::object dimension = o.attr("dimension");
    if (!py::isinstance<py::int_>(dimension) || dimension.cast<long long>() < 1)
        throw std::runtime_error("dimension is " + py::repr(dimension).cast<std::string>() +
                                 ", expected an integer >= 1");
    p.dimension = dimension.cast<std::size_t>();
    p.lower = as_doubles(o.attr("lower"), "lower");
    p.upper = as_doubles(o.attr("upper"), "upper");
    p.capabilities = p.entry->capabilities;
    const py::object optimum = o.attr("optimum_value")();
    if (!optimum.is_none()) {
        p.optimum_value = as_double(optimum, "optimum_value");
        p.capabilities |= abi::has_optimum_value;
        if (p.entry->overrides_optimum_point) p.capabilities |= abi::has_optimum_point;
    }
    if (p.capabilities & abi::has_finite_sum) {
        const py::object samples = o.attr("num_samples")();
        if (!py::isinstance<py::int_>(samples) || samples.cast<long long>() < 1)
            throw std::runtime_error("num_samples() returned " + py::repr(samples).cast<std::string>() +
                                     ", expected an integer >= 1");
        p.num_samples = samples.cast<std::size_t>();
    }
    p.value = o.attr("value");
    if (p.capabilities & abi::has_gradient) p.value_and_gradient = o.attr("value_and_gradient");
}

void* create(std::size_t slot, const abi::KeyValue* given, std::size_t count, abi::Message error) noexcept {
    const ScriptEntry& entry = *slots()[slot];
    void* made = nullptr;
    guarded(error, entry.owner, false, [&] {
        sdk::Params::Given pairs;
        for (std::size_t i = 0; i < count; ++i) pairs.emplace_back(given[i].key, given[i].value);
        const sdk::Params params(entry.name, entry.params, pairs);
        py::dict values;
        for (const abi::ParamSpec& spec : entry.params) {
            const std::string_view type = spec.type;
            if (type == "real") values[spec.name] = params.real(spec.name);
            else if (type == "int") values[spec.name] = params.integer(spec.name);
            else if (type == "bool") values[spec.name] = params.boolean(spec.name);
            else values[spec.name] = params.text(spec.name);
        }
        py::object instance;
        try {
            instance = entry.cls(values);
        } catch (const py::error_already_set& e) {
            if (!e.matches(sdk_module().attr("ParamError"))) throw;
            throw sdk::ParamError(py::str(e.value()).cast<std::string>());
        }
        if (entry.is_problem) {
            auto problem = std::make_unique<PythonProblem>();
            problem->instance = std::move(instance);
            problem->entry = &entry;
            describe(*problem);
            made = problem.release();
        } else {
            made = new PythonOptimizer{std::move(instance), &entry};
        }
        flush_output();
    });
    return made;
}

template <std::size_t Slot>
void* create_in_slot(const abi::KeyValue* given, std::size_t count, abi::Message error) noexcept {
    return create(Slot, given, count, error);
}

template <std::size_t... Slot>
constexpr std::array<decltype(abi::Entry::create), sizeof...(Slot)> make_creators(std::index_sequence<Slot...>) {
    return {&create_in_slot<Slot>...};
}
constexpr auto creators = make_creators(std::make_index_sequence<max_entries>{});

void destroy_problem(void* self) noexcept {
    Gil gil;
    delete static_cast<PythonProblem*>(self);
    flush_output();
}

void destroy_optimizer(void* self) noexcept {
    Gil gil;
    delete static_cast<PythonOptimizer*>(self);
    flush_output();
}

const abi::ProblemOps problem_ops{
    [](void* self, abi::ProblemInfo* out, abi::Message) noexcept {
        const PythonProblem& p = as_problem(self);
        *out = {p.dimension,    {p.lower.data(), p.lower.size()}, {p.upper.data(), p.upper.size()},
                p.capabilities, p.optimum_value,                  p.num_samples};
        return abi::Status::ok;
    },
    [](void* self, abi::Span x, double* f, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            *f = as_double(call(p.value, "value", {{"x", host_view(x)}}), "value");
        });
    },
    [](void* self, abi::Span x, double* f, abi::MutableSpan g, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            *f = as_double(call(p.value_and_gradient, "value_and_gradient",
                                {{"x", host_view(x)}, {"gradient", host_view(g)}}),
                           "value_and_gradient");
        });
    },
    [](void* self, abi::Span x, abi::IndexSpan samples, double* f, abi::MutableSpan g, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            *f = as_double(call(p.instance.attr("subset_value"), "subset_value",
                                {{"x", host_view(x)},
                                 {"samples", host_view(samples)},
                                 g.size ? Argument{"gradient", host_view(g)}
                                        : Argument{"gradient", py::none(), false}}),
                           "subset_value");
        });
    },
    [](void* self, abi::MutableSpan out, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        bool known = false;
        const abi::Status status = guarded(error, p.entry->owner, false, [&] {
            known = call(p.instance.attr("optimum_point"), "optimum_point", {{"out", host_view(out)}}).cast<bool>();
        });
        if (status == abi::Status::ok && !known) {
            sdk::detail::write_message(error, "this instance's optimum point is unknown");
            return abi::Status::unsupported;
        }
        return status;
    },
    [](void* self, abi::MutableSpan out, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            call(p.instance.attr("initial_point"), "initial_point", {{"out", host_view(out)}});
        });
    },
    [](void* self, abi::Span x, double* f, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            *f = as_double(call(p.instance.attr("set_base"), "set_base", {{"x", host_view(x)}}), "set_base");
        });
    },
    [](void* self, abi::IndexSpan indices, abi::Span values, double* f, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            *f = as_double(call(p.instance.attr("try_move"), "try_move",
                                {{"indices", host_view(indices)}, {"values", host_view(values)}}),
                           "try_move");
        });
    },
    [](void* self, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] { p.instance.attr("accept")(); });
    },
    [](void* self, abi::Span x, abi::MetricSink sink, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            const py::object metrics =
                call(p.instance.attr("holdout_metrics"), "holdout_metrics", {{"x", host_view(x)}});
            if (!py::isinstance<py::dict>(metrics))
                throw std::runtime_error("holdout_metrics() returned " + py::repr(metrics).cast<std::string>() +
                                         ", expected a dict {metric name: value}");
            for (const auto& [name, value] : py::reinterpret_borrow<py::dict>(metrics))
                sink.put(sink.context, py::str(name).cast<std::string>().c_str(), as_double(value, "holdout_metrics"));
        });
    },
    [](void* self, abi::ArtifactSink sink, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            const py::object files = p.instance.attr("artifacts")();
            if (!py::isinstance<py::dict>(files))
                throw std::runtime_error("artifacts() returned " + py::repr(files).cast<std::string>() +
                                         ", expected a dict {file name: text}");
            for (const auto& [name, text] : py::reinterpret_borrow<py::dict>(files)) {
                const std::string content = py::str(text).cast<std::string>();
                sink.put(sink.context, py::str(name).cast<std::string>().c_str(), content.data(), content.size());
            }
        });
    },
    [](void* self, abi::MutableSpan out, abi::Message error) noexcept {
        PythonProblem& p = as_problem(self);
        return guarded(error, p.entry->owner, false, [&] {
            call(p.instance.attr("decay_mask"), "decay_mask", {{"out", host_view(out)}});
        });
    },
    // No value_batch: Python problems evaluate point by point (has_value_batch is never set), since
    // a vectorised numpy batch rarely equals value() bit for bit, as the ABI requires.
    nullptr,
};

const abi::OptimizerOps optimizer_ops{
    [](void* self, const abi::ObjectiveView* view, std::uint64_t seed, abi::Message error) noexcept {
        const PythonOptimizer& o = *static_cast<PythonOptimizer*>(self);
        return guarded(error, o.entry->owner, true, [&] {
            py::object objective = py::cast(Objective(*view));
            const auto finish = [&] {
                objective.cast<Objective&>().close();
                flush_output();
            };
            try {
                o.instance.attr("run")(objective, seed);
            } catch (...) {
                finish();
                throw;
            }
            finish();
        });
    },
};

// --- Reading a plugin file's declarations ----------------------------------------------------

[[noreturn]] void refuse(const ScriptEntry& entry, const std::string& what) {
    throw std::runtime_error("class " + py::str(entry.cls.attr("__qualname__")).cast<std::string>() + ": " + what);
}

std::string text_attribute(const ScriptEntry& entry, const py::handle& object, const char* name, bool required) {
    const py::object value = py::getattr(object, name, py::none());
    if (value.is_none() && !required) return "";
    if (!py::isinstance<py::str>(value))
        refuse(entry, std::string(name) + " is " + py::repr(value).cast<std::string>() + ", expected a string");
    return value.cast<std::string>();
}

// The items of a class attribute holding declarations of the given optbench type.
std::vector<py::object> declarations_of(const ScriptEntry& entry, const char* attribute, const char* type) {
    const py::object items = entry.cls.attr(attribute), expected = sdk_module().attr(type);
    std::vector<py::object> result;
    if (!py::isinstance<py::iterable>(items) || py::isinstance<py::str>(items))
        refuse(entry, std::string(attribute) + " is " + py::repr(items).cast<std::string>() +
                          ", expected a list of optbench." + type);
    for (const py::handle item : items) {
        if (!py::isinstance(item, expected))
            refuse(entry, std::string(attribute) + " holds " + py::repr(item).cast<std::string>() +
                              ", expected optbench." + type + " items");
        result.push_back(py::reinterpret_borrow<py::object>(item));
    }
    return result;
}

bool overrides(const py::object& cls, const py::object& base, const char* method) {
    return !cls.attr(method).is(base.attr(method));
}

// A problem's capabilities, as the C++ SDK derives them: a capability is a method overridden.
std::uint32_t problem_capabilities(const ScriptEntry& entry) {
    const py::object base = sdk_module().attr("Problem");
    const auto has = [&](const char* method) { return overrides(entry.cls, base, method); };
    const bool incremental = has("set_base");
    if (incremental != has("try_move") || incremental != has("accept"))
        refuse(entry, "a problem with sparse moves overrides set_base, try_move and accept");
    const bool finite_sum = has("subset_value");
    if (finite_sum != has("num_samples")) refuse(entry, "a finite-sum problem overrides num_samples and subset_value");
    const bool holdout = has("holdout_metrics");
    if (holdout != !entry.metrics.empty())
        refuse(entry, "a problem with hold-out metrics overrides holdout_metrics and declares them (metrics = [...])");
    std::uint32_t caps = 0;
    if (has("value_and_gradient")) caps |= abi::has_gradient;
    if (finite_sum) caps |= abi::has_finite_sum;
    if (incremental) caps |= abi::has_incremental;
    if (has("initial_point")) caps |= abi::has_initial_point;
    if (holdout) caps |= abi::has_holdout_metrics;
    if (has("decay_mask")) caps |= abi::has_decay_mask;
    return caps;
}

void add_entry(Script& script, const py::handle& cls, const std::string& path) {
    const py::module_ sdk = sdk_module();
    ScriptEntry& entry = script.entries.emplace_back();
    entry.cls = py::reinterpret_borrow<py::object>(cls);
    const bool is_class = PyType_Check(cls.ptr()) != 0;
    const bool is_problem = is_class && PyObject_IsSubclass(cls.ptr(), sdk.attr("Problem").ptr()) == 1;
    const bool is_optimizer = is_class && PyObject_IsSubclass(cls.ptr(), sdk.attr("Optimizer").ptr()) == 1;
    if (is_problem == is_optimizer)
        throw std::runtime_error("optbench.plugin was given " + py::repr(cls).cast<std::string>() +
                                 ", expected classes derived from exactly one of optbench.Optimizer and "
                                 "optbench.Problem");
    entry.is_problem = is_problem;
    entry.name = text_attribute(entry, cls, "name", true);
    entry.owner = std::string(is_problem ? "problem '" : "optimizer '") + entry.name + "' (" + path + ")";
    const char* description = script.keep(text_attribute(entry, cls, "description", true));
    for (const py::object& p : declarations_of(entry, "params", "Param")) {
        const auto field = [&](const char* name) { return script.keep(text_attribute(entry, p, name, true)); };
        entry.params.push_back({field("name"), field("type"), field("default"), field("doc"), field("choices"),
                                p.attr("min").cast<double>(), p.attr("max").cast<double>()});
    }
    abi::Declarations declarations{"", "", "", 0, nullptr, 0, nullptr, 0};
    const char* selection_metric = "";
    abi::Entry abi_entry{abi::EntryKind::optimizer, script.keep(entry.name), description, entry.params.data(),
                         entry.params.size(), 0, nullptr, nullptr, nullptr, &optimizer_ops};
    if (is_problem) {
        for (const py::object& m : declarations_of(entry, "metrics", "Metric"))
            entry.metrics.push_back({script.keep(text_attribute(entry, m, "name", true)),
                                     script.keep(text_attribute(entry, m, "doc", true)),
                                     m.attr("higher_is_better").cast<bool>() ? abi::higher_is_better
                                                                             : abi::lower_is_better});
        entry.capabilities = problem_capabilities(entry);
        entry.overrides_optimum_point = overrides(entry.cls, sdk.attr("Problem"), "optimum_point");
        declarations.suite = script.keep(text_attribute(entry, cls, "suite", false));
        declarations.function_parameter = script.keep(text_attribute(entry, cls, "function_parameter", false));
        declarations.instance_parameter = script.keep(text_attribute(entry, cls, "instance_parameter", false));
        declarations.suite_formats = entry.cls.attr("suite_formats").cast<std::uint32_t>();
        declarations.metrics = entry.metrics.data();
        declarations.num_metrics = entry.metrics.size();
        selection_metric = script.keep(text_attribute(entry, cls, "selection_metric", false));
        abi_entry.kind = abi::EntryKind::problem;
        abi_entry.destroy = destroy_problem;
        abi_entry.problem_ops = &problem_ops;
        abi_entry.optimizer_ops = nullptr;
    } else {
        for (const py::object& s : declarations_of(entry, "stats", "Stat"))
            entry.stats.push_back({script.keep(text_attribute(entry, s, "name", true)),
                                   script.keep(text_attribute(entry, s, "doc", true)),
                                   s.attr("in_figure").cast<bool>() ? std::uint32_t{abi::in_figure} : 0u});
        declarations.stats = entry.stats.data();
        declarations.num_stats = entry.stats.size();
        if (py::bool_(entry.cls.attr("needs_gradient"))) abi_entry.capabilities |= abi::needs_gradient;
        if (py::bool_(entry.cls.attr("deterministic"))) abi_entry.capabilities |= abi::deterministic;
        abi_entry.destroy = destroy_optimizer;
    }
    script.abi_entries.push_back(abi_entry);
    script.declarations.push_back(declarations);
    script.selection_metrics.push_back(selection_metric);
}

}  // namespace

const abi::Descriptor* load_script(const char* path) {
    static constexpr auto fingerprint = abi::layout::text(abi::minor_version);
    py::tuple declared;
    try {
        declared = sdk_module().attr("_load_script")(path);
    } catch (const py::error_already_set& e) {
        const bool described = e.matches(sdk_module().attr("_ScriptError"));
        const std::string message = py::str(e.value()).cast<std::string>();
        flush_output();
        throw std::runtime_error(described ? message : report_exception(e, path));
    }
    flush_output();
    auto script = std::make_unique<Script>();
    const py::object name = declared[0], version = declared[1];
    if (!py::isinstance<py::str>(name) || !py::isinstance<py::str>(version))
        throw std::runtime_error(
            "optbench.plugin(name, version, classes...) needs a name and a version that are strings");
    for (const py::handle cls : py::reinterpret_borrow<py::tuple>(declared[2])) add_entry(*script, cls, path);
    if (slots().size() + script->entries.size() > max_entries)
        throw std::runtime_error("the Python bridge holds at most " + std::to_string(max_entries) +
                                 " optimizers and problems in all; this file would make " +
                                 std::to_string(slots().size() + script->entries.size()));
    for (std::size_t i = 0; i < script->entries.size(); ++i) {
        script->abi_entries[i].create = creators[slots().size()];
        slots().push_back(&script->entries[i]);
    }
    script->descriptor = {abi::major_version,
                          abi::minor_version,
                          fingerprint.data(),
                          script->keep(name.cast<std::string>()),
                          script->keep(version.cast<std::string>()),
                          script->abi_entries.data(),
                          script->abi_entries.size(),
                          script->declarations.data(),
                          script->selection_metrics.data()};
    return &scripts().emplace_back(std::move(script))->descriptor;
}

}  // namespace optbench::python
