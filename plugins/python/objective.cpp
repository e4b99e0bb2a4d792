#include "objective.hpp"

#include "interpreter.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace optbench::python {

namespace {

[[noreturn]] void raise(const py::object& type, const std::string& message) {
    PyErr_SetString(type.ptr(), message.c_str());
    throw py::error_already_set();
}

// A read-only float64 array holding a copy of `size` values (or of one value repeated).
py::array read_only(const double* data, std::size_t data_size, std::size_t size) {
    py::array_t<double> array(static_cast<py::ssize_t>(size));
    double* out = array.mutable_data();
    for (std::size_t i = 0; i < size; ++i) out[i] = data[data_size == 1 ? 0 : i];
    array.attr("setflags")(py::arg("write") = false);
    return array;
}

std::string shape_of(const py::array& a) {
    std::string text = "(";
    for (py::ssize_t i = 0; i < a.ndim(); ++i) text += (i ? ", " : "") + std::to_string(a.shape(i));
    return text + (a.ndim() == 1 ? ",)" : ")");
}

}  // namespace

const ExceptionTypes& exception_types() {
    // Made with the module, while the GIL is held; like every Python object of the bridge, kept
    // for the life of the process.
    static const ExceptionTypes* types = [] {
        const auto make = [](const char* name, PyObject* base, const char* doc) {
            return py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(name, doc, base, nullptr));
        };
        return new ExceptionTypes{
            make("optbench.Stop", PyExc_BaseException,
                 "The run ends: the budget is spent or the host asked to stop. Not an error: let it pass."),
            make("optbench.ObjectiveError", PyExc_Exception, "The problem failed while evaluating a point."),
            make("optbench.NotApplicable", PyExc_Exception,
                 "Raised by an optimizer that cannot work on the problem it is given; the run's row says why."),
        };
    }();
    return *types;
}

Objective::Objective(const abi::ObjectiveView& view)
    : view_(&view), fork_generation_(python::fork_generation()), thread_(::pthread_self()) {
    const std::size_t n = view.problem.dimension;
    lower_ = read_only(view.problem.lower.data, view.problem.lower.size, n);
    upper_ = read_only(view.problem.upper.data, view.problem.upper.size, n);
    for (const abi::Span& side : {view.problem.lower, view.problem.upper})
        for (std::size_t i = 0; i < side.size; ++i) bounded_ = bounded_ && std::isfinite(side.data[i]);
    initial_point_ = view.initial_point.size ? py::object(read_only(view.initial_point.data, n, n)) : py::none();
    decay_mask_ = view.decay_mask.size ? py::object(read_only(view.decay_mask.data, n, n)) : py::none();
}

const abi::ObjectiveView& Objective::live() const {
    if (!view_) throw std::runtime_error("this Objective belongs to a run that has ended");
    if (python::fork_generation() != fork_generation_ || !::pthread_equal(::pthread_self(), thread_))
        throw std::runtime_error("the objective serves the process and thread that run the optimizer only: "
                                 "evaluations elsewhere would escape the host's count");
    return *view_;
}

void Objective::check(abi::Status status) const {
    switch (status) {
        case abi::Status::ok:
            return;
        case abi::Status::exhausted:
            raise(exception_types().stop, "budget exhausted");
        case abi::Status::stopped:
            raise(exception_types().stop, "stopped by the host");
        case abi::Status::unsupported:
            raise(exception_types().not_applicable, view_->ops->last_error(view_->context));
        default:
            raise(exception_types().objective_error, view_->ops->last_error(view_->context));
    }
}

abi::Span Objective::point(const Array& x, const char* what) const {
    if (x.ndim() != 1 || static_cast<std::size_t>(x.shape(0)) != live().problem.dimension)
        throw py::value_error(std::string(what) + " has shape " + shape_of(x) + ", expected (" +
                              std::to_string(live().problem.dimension) + ",)");
    return {x.data(), static_cast<std::size_t>(x.shape(0))};
}

double Objective::remaining() const { return live().ops->remaining(view_->context); }
double Objective::used() const { return live().ops->used(view_->context); }
bool Objective::should_stop() const { return live().ops->should_stop(view_->context) != 0; }

double Objective::optimum_value() const {
    return has(abi::has_optimum_value) ? view_->problem.optimum_value : std::numeric_limits<double>::quiet_NaN();
}

std::size_t Objective::num_samples() const { return has(abi::has_finite_sum) ? view_->problem.num_samples : 0; }

double Objective::evaluate(const Array& x) {
    const abi::Span span = point(x, "x");
    double f = 0;
    check(view_->ops->evaluate(view_->context, span, &f));
    return f;
}

namespace {

// The data of x when it is an aligned, C-contiguous, native float64 array of `size` values:
// then the host reads it in place. nullptr otherwise.
const double* contiguous_data(PyObject* x, std::size_t size) {
    using py::detail::npy_api;
    if (!npy_api::get().PyArray_Check_(x)) return nullptr;
    const auto* array = py::detail::array_proxy(x);
    const auto* type = py::detail::array_descriptor_proxy(array->descr);
    const int needed = npy_api::NPY_ARRAY_C_CONTIGUOUS_ | npy_api::NPY_ARRAY_ALIGNED_;
    if (type->type_num != npy_api::NPY_DOUBLE_ || type->byteorder == '>' || (array->flags & needed) != needed ||
        array->nd != 1 || static_cast<std::size_t>(array->dimensions[0]) != size)
        return nullptr;
    return reinterpret_cast<const double*>(array->data);
}

// Objective.evaluate without pybind11's dispatcher, whose argument conversion costs more than
// the host's whole bookkeeping: a METH_O method (vectorcall) reading a float64 array in place.
// Anything else goes the general way (conversion, shape check, the same errors).
PyObject* evaluate_fast(PyObject* self, PyObject* x) {
    try {
        auto& objective =
            *reinterpret_cast<py::detail::instance*>(self)->get_value_and_holder().value_ptr<Objective>();
        if (const double* data = contiguous_data(x, objective.dimension()))
            return PyFloat_FromDouble(objective.evaluate_span({data, objective.dimension()}));
        return PyFloat_FromDouble(objective.evaluate(Array::ensure(x)));
    } catch (py::error_already_set& e) {
        e.restore();
    } catch (const py::builtin_exception& e) {
        e.set_error();
    } catch (const std::exception& e) {
        PyErr_SetString(PyExc_RuntimeError, e.what());
    }
    return nullptr;
}

PyMethodDef evaluate_method{"evaluate", evaluate_fast, METH_O, "evaluate(x): f(x); costs 1 evaluation"};

}  // namespace

double Objective::evaluate_span(abi::Span x) {
    double f = 0;
    check(view_->ops->evaluate(view_->context, x, &f));
    return f;
}

py::array Objective::evaluate_batch(const Array& xs) {
    const std::size_t n = live().problem.dimension;
    if (xs.ndim() != 2 || static_cast<std::size_t>(xs.shape(1)) != n)
        throw py::value_error("points have shape " + shape_of(xs) + ", expected (count, " + std::to_string(n) +
                              "): one point per row");
    const auto count = static_cast<std::size_t>(xs.shape(0));
    py::array_t<double> fs(static_cast<py::ssize_t>(count));
    check(view_->ops->evaluate_batch(view_->context, {xs.data(), count * n}, count, {fs.mutable_data(), count}));
    return fs;
}

py::tuple Objective::evaluate_with_gradient(const Array& x, py::object gradient) {
    const abi::Span span = point(x, "x");
    if (gradient.is_none()) gradient = py::array_t<double>(static_cast<py::ssize_t>(span.size));
    auto g = py::cast<py::array_t<double, py::array::c_style>>(gradient);
    if (!g.writeable() || g.ndim() != 1 || static_cast<std::size_t>(g.shape(0)) != span.size || !g.is(gradient))
        throw py::value_error("gradient: expected a writable float64 array of shape (" + std::to_string(span.size) +
                              ",)");
    double f = 0;
    check(view_->ops->evaluate_with_gradient(view_->context, span, &f, {g.mutable_data(), span.size}));
    return py::make_tuple(f, g);
}

py::object Objective::evaluate_subset(const Array& x, const Indices& samples, bool gradient) {
    const abi::Span span = point(x, "x");
    if (samples.ndim() != 1) throw py::value_error("samples: expected a 1-D array of sample indices");
    py::array_t<double> g(gradient ? static_cast<py::ssize_t>(span.size) : 0);
    double f = 0;
    check(view_->ops->evaluate_subset(view_->context, span, {samples.data(), static_cast<std::size_t>(samples.size())},
                                      &f, {g.mutable_data(), gradient ? span.size : 0}));
    if (gradient) return py::make_tuple(f, g);
    return py::float_(f);
}

double Objective::set_base(const Array& x) {
    const abi::Span span = point(x, "x");
    double f = 0;
    check(view_->ops->set_base(view_->context, span, &f));
    return f;
}

double Objective::try_move(const Indices& indices, const Array& values) {
    live();
    if (indices.ndim() != 1 || values.ndim() != 1 || indices.size() != values.size())
        throw py::value_error("try_move: expected indices and values of the same length");
    double f = 0;
    check(view_->ops->try_move(view_->context, {indices.data(), static_cast<std::size_t>(indices.size())},
                               {values.data(), static_cast<std::size_t>(values.size())}, &f));
    return f;
}

void Objective::accept() { check(live().ops->accept(view_->context)); }

void Objective::recommend(const Array& x) {
    const abi::Span span = point(x, "x");
    check(view_->ops->recommend(view_->context, span));
}

void Objective::report(const std::string& key, double value) { live().ops->report(view_->context, key.c_str(), value); }

void Objective::set_stop_reason(const std::string& reason) {
    live().ops->set_stop_reason(view_->context, reason.c_str());
}

void bind_objective(py::module_& m) {
    const ExceptionTypes& types = exception_types();
    m.attr("Stop") = types.stop;
    m.attr("ObjectiveError") = types.objective_error;
    m.attr("NotApplicable") = types.not_applicable;

    using py::arg;
    py::class_<Objective>(m, "Objective",
                          "The optimizer's only window on the problem. The host counts every call, enforces the "
                          "budget, screens NaN/Inf (handed back as inf) and keeps the best-so-far point. When the "
                          "budget is spent, the evaluating calls raise optbench.Stop.")
        .def_property_readonly("dimension", &Objective::dimension)
        .def_property_readonly("budget", &Objective::budget, "the budget in cost units")
        .def_property_readonly("lower", &Objective::lower, "lower bounds, one per coordinate (-inf: none)")
        .def_property_readonly("upper", &Objective::upper, "upper bounds, one per coordinate (inf: none)")
        .def_property_readonly("bounds", [](const Objective& o) { return py::make_tuple(o.lower(), o.upper()); },
                               "(lower, upper)")
        .def_property_readonly("bounded", &Objective::bounded, "every coordinate has finite bounds")
        .def_property_readonly("initial_point", &Objective::initial_point,
                               "the problem's start point, the same for every optimizer; None without one")
        .def_property_readonly("decay_mask", &Objective::decay_mask,
                               "1 where L2 weight decay applies, 0 elsewhere; None when the problem does not say")
        .def_property_readonly("has_gradient", [](const Objective& o) { return o.has(abi::has_gradient); })
        .def_property_readonly("is_finite_sum", [](const Objective& o) { return o.has(abi::has_finite_sum); })
        .def_property_readonly("num_samples", &Objective::num_samples, "samples of a finite sum; 0 otherwise")
        .def_property_readonly("has_incremental", [](const Objective& o) { return o.has(abi::has_incremental); })
        .def_property_readonly("optimum_value", &Objective::optimum_value, "the known optimum value; nan if unknown")
        .def("remaining", &Objective::remaining, "budget left, in cost units")
        .def("used", &Objective::used, "budget spent, in cost units")
        .def("should_stop", &Objective::should_stop, "the host wants the run to end (target reached, timeout)")
        .def("evaluate_batch", &Objective::evaluate_batch, arg("points"),
             "f of each row of a 2-D array; each costs 1 evaluation")
        .def("evaluate_with_gradient", &Objective::evaluate_with_gradient, arg("x"), arg("gradient") = py::none(),
             "(f, gradient); costs 1 evaluation and 1 gradient evaluation. The gradient goes into the given "
             "array, or a new one")
        .def("evaluate_subset", &Objective::evaluate_subset, arg("x"), arg("samples"), arg("gradient") = false,
             "the mean over the given samples of a finite sum (and with gradient=True, (f, gradient)); costs "
             "len(samples)/num_samples")
        .def("set_base", &Objective::set_base, arg("x"), "sparse moves: evaluates x and keeps it; costs 1")
        .def("try_move", &Objective::try_move, arg("indices"), arg("values"),
             "f of the base with x[indices] = values; costs 1")
        .def("accept", &Objective::accept, "the last tried move becomes the base")
        .def("recommend", &Objective::recommend, arg("x"),
             "names the current answer when it is no evaluated point; scored for free, never shown")
        .def("report", &Objective::report, arg("key"), arg("value"), "a declared stat, for stats.csv")
        .def("set_stop_reason", &Objective::set_stop_reason, arg("reason"),
             "why the optimizer ended on its own (e.g. 'tolfun')");
    const py::object type = m.attr("Objective");
    PyObject* evaluate = PyDescr_NewMethod(reinterpret_cast<PyTypeObject*>(type.ptr()), &evaluate_method);
    if (!evaluate || PyObject_SetAttrString(type.ptr(), "evaluate", evaluate) != 0)
        throw py::error_already_set();
    Py_DECREF(evaluate);
}

}  // namespace optbench::python
