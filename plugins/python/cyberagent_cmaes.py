"""CyberAgent's `cmaes` (Debian: python3-cmaes) CMA and SepCMA as optbench optimizers, through
the ask-tell helper: the peers of optbench's own cmaes plugin. Started as optbench's cmaes
starts (the problem's start point, or a uniform point of the box; sigma0 = 0.3 x the mean box
width), with the library's defaults otherwise; a run ends when the library's should_stop() says
so, or with the budget."""

from importlib.metadata import version

import numpy as np

import optbench


def _start(objective, seed, sigma0_given):
    """(mean, sigma0, seed for the library) as optbench's cmaes plugin chooses them."""
    lower, upper = objective.bounds
    finite = np.isfinite(lower) & np.isfinite(upper)
    width = float(np.mean(upper[finite] - lower[finite])) if finite.any() else 0.0
    sigma0 = sigma0_given if sigma0_given > 0 else 0.3 * width if width > 0 else 1.0
    rng = np.random.default_rng(seed)
    mean = optbench.start_point(objective, rng, box=sigma0 / 0.3 / 2)
    # The library seeds numpy's legacy RandomState, which takes 32 bits.
    return mean, sigma0, int(np.random.SeedSequence(seed).generate_state(1)[0])


class _CyberAgent(optbench.Optimizer):
    strategy = None  # the name of the library's class

    params = [
        optbench.real("sigma0", 0.0, "initial step size; 0: 0.3 x the mean box width (1 without finite bounds)",
                      min=0),
        optbench.integer("popsize", 0, "population size; 0: the library's 4 + floor(3 ln D)", min=0, max=1e9),
        optbench.integer("max_resamples", 100,
                         "a candidate outside the bounds is redrawn up to this many times, then clipped (the "
                         "library's n_max_resampling)", min=0, max=1e6),
    ]

    def __init__(self, params):
        super().__init__(params)
        if params["popsize"] == 1:
            raise optbench.ParamError("parameter 'popsize' expects 0 (default) or at least 2, got 1")

    def run(self, objective, seed):
        if objective.dimension < 2:
            raise optbench.NotApplicable(f"CyberAgent's cmaes needs a dimension of at least 2, got "
                                         f"{objective.dimension}")
        mean, sigma0, library_seed = _start(objective, seed, self.params["sigma0"])
        lower, upper = objective.bounds
        bounds = None
        if np.isfinite(lower).any() or np.isfinite(upper).any():
            bounds = np.column_stack([lower, upper])
        import cmaes  # here, not at the top (README: "Writing an optimizer in Python")

        optimizer = getattr(cmaes, self.strategy)(mean=mean, sigma=sigma0, bounds=bounds,
                                                  n_max_resampling=self.params["max_resamples"],
                                                  seed=library_seed, population_size=self.params["popsize"] or None)
        objective.report("popsize", optimizer.population_size)
        optbench.ask_tell(objective,
                          ask=lambda: [optimizer.ask() for _ in range(optimizer.population_size)],
                          tell=lambda points, values: optimizer.tell(list(zip(points, values))),
                          done=optimizer.should_stop)
        objective.set_stop_reason("should_stop")


class CMA(_CyberAgent):
    name = "cyberagent_cma"
    description = "CyberAgent's cmaes.CMA (full covariance), ask-tell through the bridge"
    stats = [optbench.stat("popsize", "population size")]
    strategy = "CMA"


class SepCMA(_CyberAgent):
    name = "cyberagent_sepcma"
    description = "CyberAgent's cmaes.SepCMA (diagonal covariance), ask-tell through the bridge"
    stats = [optbench.stat("popsize", "population size")]
    strategy = "SepCMA"


optbench.plugin("cyberagent_cmaes", f"1.0.0+cmaes.{version('cmaes')}", CMA, SepCMA)
