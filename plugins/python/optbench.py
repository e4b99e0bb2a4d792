"""optbench's plugin SDK for Python: the module `optbench` every Python plugin imports.

The bridge (bridge.cpp) builds this module inside the host's embedded interpreter: Objective,
Stop, ObjectiveError and NotApplicable come from C++; this file adds the rest and is compiled
into the bridge. A Python plugin is one .py file on the plugin search path that defines classes
derived from Optimizer or Problem and registers them, as OPTBENCH_PLUGIN does for C++:

    optbench.plugin("my_library", "1.0.0", MyOptimizer, MyProblem)

Parameters are declared once with real/integer/boolean/text/choice; the host validates given
values against the declaration (the same one-line errors as for C++ plugins) and hands them to
the class's constructor as a dict of typed values.
"""

import math

import numpy as np

# The largest integer a double holds exactly: the default range of integer parameters.
_INTEGER_LIMIT = 9007199254740992.0

# Problem.suite_formats flags (abi::SuiteFormat).
COCO_FORMAT = 1
CEC_FORMAT = 2


class ParamError(ValueError):
    """A parameter value the declaration cannot rule out but the class refuses (raised in
    __init__); the message is one line naming the parameter, as for C++ plugins."""


class Param:
    """A parameter declaration; made by real(), integer(), boolean(), text() and choice()."""

    __slots__ = ("name", "type", "default", "doc", "choices", "min", "max")

    def __init__(self, name, type, default, doc, choices="", min=0.0, max=0.0):
        self.name, self.type, self.default, self.doc = name, type, _as_text(default), doc
        self.choices, self.min, self.max = choices, float(min), float(max)

    def __repr__(self):
        return f"optbench.Param({self.name!r}, {self.type!r}, default {self.default!r})"


def _as_text(value):
    """A default as a user would type it on the command line."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same double
    return str(value)


def real(name, default, doc, min=-math.inf, max=math.inf):
    return Param(name, "real", default, doc, "", min, max)


def integer(name, default, doc, min=-_INTEGER_LIMIT, max=_INTEGER_LIMIT):
    return Param(name, "int", default, doc, "", min, max)


def boolean(name, default, doc):
    return Param(name, "bool", default, doc, "", 0, 1)


def text(name, default, doc):
    return Param(name, "string", default, doc)


def choice(name, default, choices, doc):
    """choices: the allowed values, a list or one text separated by '|' ("auto|full|sep")."""
    return Param(name, "choice", default, doc, choices if isinstance(choices, str) else "|".join(choices))


class Metric:
    """A hold-out metric a problem reports (a column of runs.csv)."""

    __slots__ = ("name", "doc", "higher_is_better")

    def __init__(self, name, doc, higher_is_better):
        self.name, self.doc, self.higher_is_better = name, doc, bool(higher_is_better)


class Stat:
    """A stat an optimizer reports with objective.report(name, value) (stats.csv)."""

    __slots__ = ("name", "doc", "in_figure")

    def __init__(self, name, doc, in_figure=False):
        self.name, self.doc, self.in_figure = name, doc, bool(in_figure)


metric = Metric
stat = Stat


class Optimizer:
    """Derive from it, declare the class attributes below, and implement run(objective, seed).

    run minimizes until the objective raises Stop (the budget is spent or the host wants the run
    to end: let it pass) or until it decides it is done (then it may say why with
    objective.set_stop_reason). seed is the only source of randomness it may use.
    """

    name = None         # unique within the plugin: letters, digits, '_', '-', '.'
    description = None  # one line
    params = ()         # Param declarations
    stats = ()          # Stat declarations: every stat it reports
    needs_gradient = False  # its default settings use gradients
    deterministic = False   # with its default settings the seed changes nothing

    def __init__(self, params):
        self.params = params  # {name: value}, every declared parameter, validated and typed

    def run(self, objective, seed):
        raise NotImplementedError(f"{type(self).__name__}.run")


class Problem:
    """Derive from it, declare the class attributes below, and set in __init__ (or as class
    attributes) `dimension` (>= 1), `lower` and `upper` (one number for every coordinate, or one
    per coordinate; -inf/inf for none), then implement value(x).

    The other methods are optional capabilities: a problem has one when its class overrides the
    method (the pairs and the triple below together). Arrays the host passes (x, gradient, out)
    are views of its memory, valid during the call only: copy what you keep (x.copy()).
    """

    name = None
    description = None
    params = ()
    metrics = ()  # Metric declarations: every hold-out metric, with holdout_metrics
    selection_metric = ""  # one of metrics (a validation loss, say): its best checkpoint gives selected_<metric>
    suite = ""               # the benchmark suite it belongs to, if any
    function_parameter = ""  # the int parameter that picks the suite's function
    instance_parameter = ""  # the int parameter that picks an instance
    suite_formats = 0        # COCO_FORMAT | CEC_FORMAT

    def __init__(self, params):
        self.params = params

    def value(self, x):
        raise NotImplementedError(f"{type(self).__name__}.value")

    def value_and_gradient(self, x, gradient):
        """Writes the gradient into `gradient` and returns the value."""
        raise NotImplementedError

    def num_samples(self):
        """Finite sums f = mean of num_samples() terms: override with subset_value."""
        raise NotImplementedError

    def subset_value(self, x, samples, gradient):
        """The mean over `samples` (indices); with a gradient array (not None), its gradient too."""
        raise NotImplementedError

    def optimum_value(self):
        """The known optimum value, or None."""
        return None

    def optimum_point(self, out):
        """Writes the optimum point into `out` and returns True, or returns False when unknown."""
        return False

    def initial_point(self, out):
        """Writes the start point every optimizer is given into `out`."""
        raise NotImplementedError

    def set_base(self, x):
        """Sparse moves (with try_move and accept): evaluates x and keeps it as the base."""
        raise NotImplementedError

    def try_move(self, indices, values):
        """f of the base with x[indices] = values; the base stays."""
        raise NotImplementedError

    def accept(self):
        """The last tried move becomes the base."""
        raise NotImplementedError

    def holdout_metrics(self, x):
        """{metric name: value} of a point, for exactly the declared metrics: of the best-so-far
        point at the host's checkpoints along the run and of the final point. Leave the state of
        incremental evaluation (set_base, try_move) as it was."""
        raise NotImplementedError

    def decay_mask(self, out):
        """Writes 1 for coordinates L2 weight decay applies to, 0 for the others."""
        raise NotImplementedError

    def artifacts(self):
        """{file name: text} documenting the instance."""
        return {}


_declared = []


def plugin(name, version, *classes):
    """Registers the plugin's classes; called once, at the end of the plugin's file."""
    _declared.append((name, version, classes))


def ask_tell(objective, ask, tell, done=None):
    """Runs an ask-tell optimizer: ask() gives points (a 2-D array, one point per row),
    tell(points, values) takes their values, evaluated as one batch. Returns when done() (if
    given) is true; when the budget ends, the evaluation raises Stop, which ends the run."""
    while done is None or not done():
        points = np.asarray(ask(), dtype=np.float64)
        tell(points, objective.evaluate_batch(points.reshape(-1, objective.dimension)))


def function(objective, gradient=False):
    """A plain callable for libraries that want one: fun(x) -> f, or with gradient=True
    fun(x) -> (f, gradient) (scipy's jac=True)."""
    if gradient:
        return objective.evaluate_with_gradient
    return objective.evaluate


def search_box(objective, box=5.0):
    """(low, high): the bounds where they are finite; a side without a bound lies 2*box from the
    other side, and a coordinate without any bound spans [-box, box] (random_search's rule)."""
    low, high = np.array(objective.lower), np.array(objective.upper)
    only_low, only_high = np.isfinite(low) & ~np.isfinite(high), ~np.isfinite(low) & np.isfinite(high)
    neither = ~np.isfinite(low) & ~np.isfinite(high)
    high[only_low] = low[only_low] + 2 * box
    low[only_high] = high[only_high] - 2 * box
    low[neither], high[neither] = -box, box
    return low, high


def start_point(objective, rng, box=5.0):
    """The problem's start point (the same for every optimizer) when it has one, else a uniform
    point of search_box(objective, box) drawn with rng (a numpy Generator)."""
    if objective.initial_point is not None:
        return np.array(objective.initial_point)
    low, high = search_box(objective, box)
    return rng.uniform(low, high)


def _exception_report(error, trace, owner):
    """Writes the traceback of `error` (raised along `trace`) to stderr; returns its last line
    (the run's message)."""
    import sys
    import traceback

    lines = traceback.format_exception(type(error), error, trace)
    sys.stderr.write(f"{owner} raised:\n{''.join(lines)}")
    sys.stderr.flush()
    return traceback.format_exception_only(type(error), error)[-1].strip()


class _ScriptError(Exception):
    """A plugin file that cannot be loaded; the message is one line."""


def _where(error, path):
    """One line for an error raised while running the plugin file: its line in the file, and the
    exception's last line."""
    import traceback

    if isinstance(error, SyntaxError) and error.filename == path:
        return f"line {error.lineno}: SyntaxError: {error.msg}"
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == path:
            line = frame.lineno
    last = traceback.format_exception_only(type(error), error)[-1].strip()
    return f"line {line}: {last}" if line else last


def _load_script(path):
    """Runs a plugin file as a module of its own; returns what it gave plugin(): (name,
    version, classes). Its folder joins the end of sys.path, so it may import a package beside
    it (a name already importable from elsewhere keeps meaning what it meant)."""
    import importlib.util
    import os
    import sys

    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.append(folder)
    stem = os.path.splitext(os.path.basename(path))[0]
    module_name, n = f"_optbench_plugin_{stem}", 1
    while module_name in sys.modules:
        n += 1
        module_name = f"_optbench_plugin_{stem}_{n}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    del _declared[:]
    try:
        spec.loader.exec_module(module)
    except BaseException as error:  # SystemExit too: a plugin file must not end the host
        del sys.modules[module_name]
        raise _ScriptError(_where(error, path)) from None
    declared = list(_declared)
    del _declared[:]
    if len(declared) != 1:
        del sys.modules[module_name]
        raise _ScriptError(f"calls optbench.plugin(name, version, classes...) {len(declared)} times, expected once")
    return declared[0]
