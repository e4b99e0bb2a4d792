// The optimizer's window on the problem, as Python sees it: optbench.Objective, a thin layer
// over the host's abi::ObjectiveView. Points go to the host without a copy when they are
// C-contiguous float64 arrays; when the host answers "exhausted" or "stopped", the call raises
// optbench.Stop.
#pragma once

#include <cstdint>
#include <string>

#include <pthread.h>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "optbench/sdk/abi.hpp"

namespace optbench::python {

namespace py = pybind11;

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

// The module's exception types: Stop (a BaseException, so that `except Exception` in a
// library passes it on), ObjectiveError and NotApplicable (Exceptions).
struct ExceptionTypes {
    py::object stop, objective_error, not_applicable;
};
const ExceptionTypes& exception_types();

using Indices = py::array_t<std::size_t, py::array::c_style | py::array::forcecast>;

class Objective {
public:
    explicit Objective(const abi::ObjectiveView& view);

    // After the run: any later call raises an error instead of reaching a finished run. Calls
    // from another process (forked during the run) or thread raise an error too.
    void close() { view_ = nullptr; }

    std::size_t dimension() const { return live().problem.dimension; }
    double budget() const { return live().budget; }
    double remaining() const;
    double used() const;
    bool should_stop() const;
    bool has(std::uint32_t capability) const { return (live().problem.capabilities & capability) != 0; }
    double optimum_value() const;
    std::size_t num_samples() const;

    // Read-only arrays, made once per run.
    const py::array& lower() const { return lower_; }
    const py::array& upper() const { return upper_; }
    bool bounded() const { return bounded_; }
    const py::object& initial_point() const { return initial_point_; }  // None without one
    const py::object& decay_mask() const { return decay_mask_; }        // None without one

    double evaluate(const Array& x);
    double evaluate_span(abi::Span x);  // x of the problem's dimension, already checked
    py::array evaluate_batch(const Array& xs);
    py::tuple evaluate_with_gradient(const Array& x, py::object gradient);
    py::object evaluate_subset(const Array& x, const Indices& samples, bool gradient);
    double set_base(const Array& x);
    double try_move(const Indices& indices, const Array& values);
    void accept();
    void recommend(const Array& x);
    void report(const std::string& key, double value);
    void set_stop_reason(const std::string& reason);

private:
    const abi::ObjectiveView& live() const;
    void check(abi::Status status) const;
    abi::Span point(const Array& x, const char* what) const;

    const abi::ObjectiveView* view_;
    // The run's process and thread: the host's objective is neither shared between processes
    // nor thread-safe, and calls from elsewhere could overrun the budget.
    unsigned fork_generation_;
    pthread_t thread_;
    py::array lower_, upper_;
    bool bounded_ = true;
    py::object initial_point_, decay_mask_;
};

// Adds Objective and the exception types to the module.
void bind_objective(py::module_& module);

}  // namespace optbench::python
