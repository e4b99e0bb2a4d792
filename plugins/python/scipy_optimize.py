"""scipy.optimize's Nelder-Mead, Powell, L-BFGS-B and differential evolution as optbench
optimizers, with scipy's defaults. The budget is the host's: scipy's own evaluation and
iteration limits are lifted, so a run ends when scipy converges (the stop reason says how) or
when the budget is spent (optbench.Stop passes through scipy)."""

import numpy as np
import scipy  # light; scipy.optimize is imported where it is used (README: "Writing an optimizer in Python")

import optbench

# Local methods start from the problem's start point, or without one from a uniform point of the
# bounds (see optbench.search_box for coordinates without finite bounds).
_BOX = optbench.real("box", 5.0, "half-width of the start box on coordinates without finite bounds", min=0)


def _bounds(objective):
    """scipy's Bounds, or None when no coordinate is bounded (some methods work faster then)."""
    import scipy.optimize

    lower, upper = objective.bounds
    if not (np.isfinite(lower).any() or np.isfinite(upper).any()):
        return None
    return scipy.optimize.Bounds(lower, upper)


def _check_box(params):
    if not (0 < params["box"] < np.inf):
        raise optbench.ParamError(f"parameter 'box' must be finite and greater than 0, got {params['box']}")


def _finish(objective, result):
    objective.set_stop_reason(str(result.message).rstrip(".").lower())


class _Minimize(optbench.Optimizer):
    """scipy.optimize.minimize with one method; subclasses name it and its options."""

    method = None
    deterministic = True  # with a start point the seed changes nothing; without, it draws the start

    def __init__(self, params):
        super().__init__(params)
        _check_box(params)

    def options(self, budget):
        raise NotImplementedError

    def run(self, objective, seed):
        import scipy.optimize

        x0 = optbench.start_point(objective, np.random.default_rng(seed), self.params["box"])
        budget = int(min(objective.budget, 2**31 - 1)) + 1
        result = scipy.optimize.minimize(optbench.function(objective), x0, method=self.method,
                                         bounds=_bounds(objective), options=self.options(budget))
        _finish(objective, result)


class NelderMead(_Minimize):
    name = "scipy_nelder_mead"
    description = "scipy.optimize.minimize(method='Nelder-Mead'), clipped to the bounds"
    method = "Nelder-Mead"
    params = [
        optbench.real("xatol", 1e-4, "stop when the simplex's vertices lie within this of the best", min=0),
        optbench.real("fatol", 1e-4, "... and their values within this of the best", min=0),
        optbench.boolean("adaptive", False, "adapt the parameters to the dimension (Gao and Han 2012)"),
        _BOX,
    ]

    def options(self, budget):
        return dict(maxiter=budget, maxfev=budget, xatol=self.params["xatol"], fatol=self.params["fatol"],
                    adaptive=self.params["adaptive"])


class Powell(_Minimize):
    name = "scipy_powell"
    description = "scipy.optimize.minimize(method='Powell'): conjugate directions, line searches in the bounds"
    method = "Powell"
    params = [
        optbench.real("xtol", 1e-4, "line-search tolerance on x", min=0),
        optbench.real("ftol", 1e-4, "stop when an iteration improves f by less than this, relatively", min=0),
        _BOX,
    ]

    def options(self, budget):
        return dict(maxiter=budget, maxfev=budget, xtol=self.params["xtol"], ftol=self.params["ftol"])


class LBFGSB(_Minimize):
    name = "scipy_lbfgsb"
    description = "scipy.optimize.minimize(method='L-BFGS-B') with the problem's analytic gradient"
    method = "L-BFGS-B"
    needs_gradient = True
    params = [
        optbench.integer("memory", 10, "number of correction pairs kept (maxcor)", min=1, max=1000),
        optbench.real("ftol", 2.220446049250313e-09, "stop when f changes by less than this, relatively", min=0),
        optbench.real("gtol", 1e-5, "stop when the largest projected gradient entry is below this", min=0),
        _BOX,
    ]

    def options(self, budget):
        return dict(maxiter=budget, maxfun=budget, maxcor=self.params["memory"], ftol=self.params["ftol"],
                    gtol=self.params["gtol"])

    def run(self, objective, seed):
        import scipy.optimize

        if not objective.has_gradient:
            raise optbench.NotApplicable("L-BFGS-B needs the problem's gradient, and this problem has none")
        x0 = optbench.start_point(objective, np.random.default_rng(seed), self.params["box"])
        budget = int(min(objective.budget, 2**31 - 1)) + 1
        result = scipy.optimize.minimize(optbench.function(objective, gradient=True), x0, jac=True,
                                         method=self.method, bounds=_bounds(objective),
                                         options=self.options(budget))
        _finish(objective, result)


class DifferentialEvolution(optbench.Optimizer):
    name = "scipy_differential_evolution"
    description = "scipy.optimize.differential_evolution with scipy's defaults (best1bin, Latin hypercube start)"
    params = [
        optbench.choice("strategy", "best1bin",
                        "best1bin|best1exp|rand1exp|randtobest1exp|currenttobest1exp|best2exp|rand2exp|"
                        "randtobest1bin|currenttobest1bin|best2bin|rand2bin|rand1bin",
                        "scipy's mutation and crossover strategy"),
        optbench.integer("popsize", 15, "population size, as a multiple of the dimension", min=1, max=1e6),
        optbench.real("tol", 0.01, "stop when the values' standard deviation is below tol x |their mean|", min=0),
        optbench.real("mutation_low", 0.5, "mutation factor, dithered between this ...", min=0, max=2),
        optbench.real("mutation_high", 1.0, "... and this (equal: no dithering)", min=0, max=2),
        optbench.real("recombination", 0.7, "crossover probability", min=0, max=1),
        optbench.boolean("polish", True, "polish the best point with L-BFGS-B (finite differences) at the end"),
        optbench.boolean("vectorized", False,
                         "evaluate each generation as one batch (scipy then updates the population once "
                         "per generation: updating='deferred')"),
        optbench.real("box", 5.0, "half-width of the search box on coordinates without finite bounds", min=0),
    ]

    def __init__(self, params):
        super().__init__(params)
        _check_box(params)
        if params["mutation_low"] > params["mutation_high"]:
            raise optbench.ParamError("parameter 'mutation_low' must not exceed 'mutation_high', got "
                                      f"{params['mutation_low']} > {params['mutation_high']}")

    def run(self, objective, seed):
        import scipy.optimize

        p = self.params
        low, high = optbench.search_box(objective, p["box"])
        budget = int(min(objective.budget, 2**31 - 1)) + 1
        mutation = p["mutation_low"] if p["mutation_low"] == p["mutation_high"] else (p["mutation_low"],
                                                                                      p["mutation_high"])
        if p["vectorized"]:
            fun, updating = lambda points: objective.evaluate_batch(np.ascontiguousarray(points.T)), "deferred"
        else:
            fun, updating = optbench.function(objective), "immediate"
        result = scipy.optimize.differential_evolution(
            fun, list(zip(low, high)), strategy=p["strategy"], maxiter=budget, popsize=p["popsize"], tol=p["tol"],
            mutation=mutation, recombination=p["recombination"], seed=np.random.default_rng(seed),
            polish=p["polish"], updating=updating, vectorized=p["vectorized"])
        _finish(objective, result)


optbench.plugin("scipy", f"1.0.0+scipy.{scipy.__version__}", NelderMead, Powell, LBFGSB, DifferentialEvolution)
