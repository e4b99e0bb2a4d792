#!/usr/bin/python3
"""Cross-check of `optbench report`'s fixed-budget view and Moré & Wild profiles, computed again
here from runs.csv and trace.csv with numpy, independently of the C++ code.

Usage: check_fixed_budget_profiles.py OPTBENCH [RESULTS_FOLDER ...]

Writes a synthetic results folder (seeded random traces with repetitions, instances, ties, a
run that ended in error, a crashed one, a not_applicable one, a problem without f_opt, one
where no run improves, budgets that differ), runs a small real campaign (CMA-ES's first
evaluation is a sample around the start point, the others evaluate the start point first),
reports these and every given folder, and compares
tables/fixed_budget.csv, tables/profile_runs.csv, tables/profile_curves.csv, tables/profiles.csv
and the fixed-budget ECDF data with what this script computes. Exit 0: all agree; 1: a
difference (listed); 77: numpy is missing (ctest then skips).
"""
import csv
import json
import math
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

try:
    import numpy as np
except ImportError:
    print("numpy is missing: skipped")
    sys.exit(77)

FRACTIONS = [0.01, 0.1, 0.5, 1.0]
TOLERANCES = [1e-1, 1e-3, 1e-5, 1e-7]
ERROR_FLOOR = 1e-8
INF = math.inf


def number(text):
    return math.nan if text == "" else float(text)


# --- the synthetic campaign -------------------------------------------------------------------

RUN_HEADER = ["run_id", "optimizer", "optimizer_params", "problem", "problem_params", "instance", "dim", "rep",
              "seed", "budget", "evals", "grad_evals", "cost", "best_f", "f_opt", "error", "nonfinite_evals",
              "status", "stop_reason", "message", "wall_s"]


def synthetic(folder):
    rng = np.random.default_rng(20250125)
    runs, trace = [], []
    problems = [("quad", "dim=2", 2, [1, 2, 3], 2, 1.5), ("ridge", "dim=5", 5, [1], 3, 0.0),
                ("loss", "hidden=3", 3, [1, 2], 2, None), ("flat", "dim=1", 1, [1], 2, 0.0)]
    optimizers = [("A", ""), ("B", "step=2"), ("C", "")]
    for problem, params, dim, instances, reps, f_opt in problems:
        for instance in instances:
            start = 20.0 + 5 * instance  # every optimizer's start value on this instance
            shared = None  # B's repetitions copy A's trace on quad: ties
            for name, oparams in optimizers:
                for rep in range(1, reps + 1):
                    run_id = len(runs)
                    budget = 50 * dim * (2 if (name == "C" and problem == "ridge") else 1)
                    status, message, rows = "ok", "", []
                    if problem == "flat":
                        rows = [(1, 7.0), (budget, 7.0)]
                    elif name == "C" and problem == "loss" and rep == 2:
                        status, message = "not_applicable", "C cannot run on loss"
                    elif name == "C" and problem == "quad" and instance == 3 and rep == 1:
                        status, message = "error", "worker crashed"
                    else:
                        first = 1 if rng.random() < 0.7 else int(rng.integers(2, 5))
                        value = start * (1 + (0.5 * rng.random() if rng.random() < 0.3 else 0))
                        offset = f_opt if f_opt is not None else 0.0
                        cost, rows = first, [(first, value + offset)]
                        while True:
                            cost += int(rng.integers(1, max(2, budget // 8)))
                            if cost > budget:
                                break
                            value *= 10 ** (-rng.random() * 1.5)
                            rows.append((cost, value + offset))
                        rows.append((budget, rows[-1][1]))
                        if name == "A" and problem == "quad" and rep == 1:
                            shared = rows
                        if name == "B" and problem == "quad" and rep == 1 and shared:
                            rows = list(shared)
                        if name == "B" and problem == "ridge" and rep == 3:
                            status, message = "error", "optimizer threw"
                            rows = [r for r in rows if r[0] <= budget // 3]
                    best = rows[-1][1] if rows else math.nan
                    cost = rows[-1][0] if rows else 0
                    known = f_opt is not None and status != "not_applicable"
                    runs.append([run_id, name, oparams, problem, params, instance, dim, rep, 1000 + run_id, budget,
                                 cost, 0, cost, "" if math.isnan(best) else repr(best),
                                 repr(f_opt) if known else "", repr(best - f_opt) if known and rows else "", 0,
                                 status, "", message, 0.01])
                    for i, (c, b) in enumerate(rows):
                        closing = i == len(rows) - 1 and len(rows) > 1
                        trace.append([run_id, c, c, "" if closing else repr(b), repr(b), 0.001])
    with open(folder / "runs.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(RUN_HEADER)
        w.writerows(runs)
    with open(folder / "trace.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["run_id", "evals", "cost", "f", "best_f", "wall_s"])
        w.writerows(trace)
    (folder / "stats.csv").write_text("run_id,evals,key,value\n")


# --- reading a results folder -----------------------------------------------------------------

def spec_text(name, params):
    return name if params == "" else f"{name}:{params}"


def load(folder):
    """The runs with their traces; "pooled": the problem spec without the parameter its
    manifest declares as the instance (runs of all instances pool, as in the report)."""
    instance_parameter = {}
    if (folder / "manifest.json").exists():
        declared = json.loads((folder / "manifest.json").read_text())["declarations"]["problems"]
        instance_parameter = {name: d.get("instance_parameter", "") for name, d in declared.items()}
    runs = []
    with open(folder / "runs.csv", newline="") as f:
        for row in csv.DictReader(f):
            dropped = instance_parameter.get(row["problem"], "")
            kept = [p for p in row["problem_params"].split(",") if p and (not dropped or p.split("=")[0] != dropped)]
            runs.append({"id": int(row["run_id"]), "optimizer": spec_text(row["optimizer"], row["optimizer_params"]),
                         "pooled": spec_text(row["problem"], ",".join(kept)),
                         "instance": int(row["instance"]), "dim": int(row["dim"]), "rep": int(row["rep"]),
                         "budget": float(row["budget"]), "f_opt": number(row["f_opt"]), "status": row["status"],
                         "trace": []})
    by_id = {r["id"]: r for r in runs}
    with open(folder / "trace.csv", newline="") as f:
        for row in csv.DictReader(f):
            by_id[int(row["run_id"])]["trace"].append((float(row["cost"]), float(row["best_f"])))
    for r in runs:
        r["trace"].sort(key=lambda t: t[0])
    return runs


def pooled_problem(run):
    return run["pooled"]


def ordered_unique(values):
    return list(dict.fromkeys(values))


def measure_of(runs):
    """error when every ok run knows f_opt and some run that started does; else best f."""
    if any(r["status"] == "ok" and math.isnan(r["f_opt"]) for r in runs):
        return "best f"
    return "error" if any(r["status"] != "not_applicable" and not math.isnan(r["f_opt"]) for r in runs) else "best f"


def value_at(run, fraction, measure):
    limit = fraction * run["budget"] * (1 + 1e-12)
    before = [b for c, b in run["trace"] if c <= limit]
    if not before:
        return INF
    value = before[-1] - run["f_opt"] if measure == "error" else before[-1]
    return INF if math.isnan(value) else value


def order_statistic_quantile(values, p):
    """Type 7 with +inf allowed (numpy's lerp gives NaN between a finite value and +inf)."""
    v = sorted(values)
    if all(math.isfinite(x) for x in v):
        return float(np.quantile(np.array(v), p))
    pos = p * (len(v) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    frac = pos - lo
    return v[lo] if frac == 0 or v[lo] == v[hi] else v[lo] + frac * (v[hi] - v[lo])


# --- comparisons -------------------------------------------------------------------------------

class Checker:
    def __init__(self, label):
        self.label = label
        self.failures = []
        self.checked = 0

    def same(self, what, expected, got):
        self.checked += 1
        if isinstance(expected, float) or isinstance(got, float):
            if math.isnan(expected) and math.isnan(got):
                return
            if expected == got or (math.isfinite(expected) and math.isfinite(got)
                                   and abs(expected - got) <= 1e-12 * max(1.0, abs(expected))):
                return
        elif expected == got:
            return
        self.failures.append(f"{self.label}: {what}: expected {expected!r}, report has {got!r}")


def read_table(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def check_fixed_budget(runs, report, check):
    problems = ordered_unique(pooled_problem(r) for r in runs)
    optimizers = ordered_unique(r["optimizer"] for r in runs)
    rows = {(t["problem"], t["optimizer"], float(t["fraction"])): t for t in read_table(report / "tables" / "fixed_budget.csv")}
    expected_rows = 0
    for problem in problems:
        of_problem = [r for r in runs if pooled_problem(r) == problem]
        measure = measure_of(of_problem)
        medians = defaultdict(dict)
        for optimizer in optimizers:
            pairing = [r for r in of_problem if r["optimizer"] == optimizer]
            if not pairing:
                continue
            started = [r for r in pairing if r["status"] != "not_applicable"]
            for fraction in FRACTIONS:
                expected_rows += 1
                row = rows.get((problem, optimizer, fraction))
                if row is None:
                    check.failures.append(f"{check.label}: no fixed-budget row {problem} x {optimizer} at {fraction}")
                    continue
                values = [value_at(r, fraction, measure) for r in started]
                check.same(f"{problem} {optimizer} {fraction} runs", len(values), int(row["runs"]))
                check.same(f"{problem} {optimizer} {fraction} measure", measure, row["measure"])
                if not values:
                    continue
                q1, median, q3 = (order_statistic_quantile(values, p) for p in (0.25, 0.5, 0.75))
                check.same(f"{problem} {optimizer} {fraction} median", median, number(row["median"]))
                check.same(f"{problem} {optimizer} {fraction} q1", q1, number(row["q1"]))
                check.same(f"{problem} {optimizer} {fraction} q3", q3, number(row["q3"]))
                check.same(f"{problem} {optimizer} {fraction} budget_min", min(r["budget"] for r in started),
                           number(row["budget_min"]))
                check.same(f"{problem} {optimizer} {fraction} budget_max", max(r["budget"] for r in started),
                           number(row["budget_max"]))
                medians[fraction][optimizer] = (median, row)
        for fraction, by_optimizer in medians.items():
            lowest = min(m for m, _ in by_optimizer.values())
            for optimizer, (median, row) in by_optimizer.items():
                best = math.isfinite(lowest) and median == lowest
                check.same(f"{problem} {optimizer} {fraction} best", "1" if best else "0", row["best"])
    check.same("fixed_budget.csv rows", expected_rows, len(rows))


def check_fixed_budget_ecdf(runs, report, check):
    problems = ordered_unique(pooled_problem(r) for r in runs)
    optimizers = ordered_unique(r["optimizer"] for r in runs)
    known = [p for p in problems if measure_of([r for r in runs if pooled_problem(r) == p]) == "error"]
    dims = sorted({r["dim"] for r in runs if r["status"] != "not_applicable" and pooled_problem(r) in known
                   and not math.isnan(r["f_opt"])})
    for dim in dims:
        path = report / "plots" / f"fixed_budget_ecdf_dim{dim}.dat"
        blocks = [b for b in path.read_text().split("\n\n\n") if b.strip()]
        in_dim = [p for p in known if any(r["dim"] == dim and r["status"] != "not_applicable"
                                          for r in runs if pooled_problem(r) == p)]
        expected_blocks = []
        for fraction in FRACTIONS:
            for optimizer in optimizers:
                samples = []
                has_runs = False
                for problem in in_dim:
                    mine = [r for r in runs if pooled_problem(r) == problem and r["optimizer"] == optimizer
                            and r["dim"] == dim and r["status"] != "not_applicable"]
                    if not mine:
                        continue
                    has_runs = True
                    for r in mine:
                        e = value_at(r, fraction, "error")
                        if math.isfinite(e):
                            samples.append((math.log10(max(e, ERROR_FLOOR)), 1 / (len(in_dim) * len(mine))))
                if not has_runs:
                    continue
                xs = np.array(sorted(s[0] for s in samples))
                weights = np.array([w for _, w in sorted(samples)])
                steps = []
                cumulative = np.cumsum(weights)
                for i, x in enumerate(xs):
                    if i + 1 < len(xs) and xs[i + 1] == x:
                        continue
                    steps.append((float(x), float(cumulative[i])))
                expected_blocks.append((fraction, optimizer, steps))
        check.same(f"dim {dim} ECDF blocks", len(expected_blocks), len(blocks))
        for (fraction, optimizer, steps), block in zip(expected_blocks, blocks):
            lines = [line for line in block.strip().split("\n") if line and not line.startswith("#")]
            points = [tuple(float(v) for v in line.split()) for line in lines][1:-1]  # without the frame's ends
            check.same(f"dim {dim} {fraction} {optimizer} ECDF steps", len(steps), len(points))
            for (x, y), (px, py) in zip(steps, points):
                check.same(f"dim {dim} {fraction} {optimizer} ECDF x", x, px)
                check.same(f"dim {dim} {fraction} {optimizer} ECDF fraction", y, py)


def check_profiles(runs, report, check):
    problems = ordered_unique(pooled_problem(r) for r in runs)
    optimizers = ordered_unique(r["optimizer"] for r in runs)
    firsts, f_low = defaultdict(list), {}
    for r in runs:
        key = (pooled_problem(r), r["instance"])
        finite = [b for _, b in r["trace"] if math.isfinite(b)]
        if finite:
            firsts[key].append(finite[0])
            f_low[key] = min(f_low.get(key, INF), min(finite))
    f_start = {key: float(np.median(values)) for key, values in firsts.items()}
    triples = sorted({(pooled_problem(r), r["instance"], r["rep"]) for r in runs if (pooled_problem(r), r["instance"]) in f_low},
                     key=lambda t: (problems.index(t[0]), t[1], t[2]))
    run_of = {}
    for r in runs:
        run_of.setdefault((pooled_problem(r), r["instance"], r["rep"], r["optimizer"]), r)
    table = read_table(report / "tables" / "profile_runs.csv")
    check.same("profile_runs.csv rows", len(triples) * len(TOLERANCES) * len(optimizers), len(table))
    rows = iter(table)
    curves = defaultdict(list)  # (kind, tolerance, optimizer) -> x per problem
    for problem, instance, rep in triples:
        f0, fl = f_start[(problem, instance)], f_low[(problem, instance)]
        dim = next(r["dim"] for r in runs if (pooled_problem(r), r["instance"], r["rep"]) == (problem, instance, rep))
        traces = [run_of[key]["trace"] if (key := (problem, instance, rep, optimizer)) in run_of else []
                  for optimizer in optimizers]
        for tau in TOLERANCES:
            t = []
            for trace in traces:
                passed = [c for c, b in trace if math.isfinite(b) and f0 - b >= (1 - tau) * (f0 - fl)]
                t.append(passed[0] if passed else INF)
            fastest = min(t)
            for optimizer, trace, cost in zip(optimizers, traces, t):
                row = next(rows, None)
                if row is None:
                    return
                where = f"{problem} instance {instance} rep {rep} tau {tau} {optimizer}"
                check.same(where + " problem", (problem, str(instance), str(rep), optimizer),
                           (row["problem"], row["instance"], row["rep"], row["optimizer"]))
                check.same(where + " f_start", f0, number(row["f_start"]))
                check.same(where + " f_low", fl, number(row["f_low"]))
                finite = [b for _, b in trace if math.isfinite(b)]
                check.same(where + " first_f", finite[0] if finite else math.nan, number(row["first_f"]))
                check.same(where + " evaluations", cost, number(row["evaluations"]))
                ratio = cost / fastest if math.isfinite(cost) else INF
                check.same(where + " ratio", ratio, number(row["ratio"]))
                curves[("data", tau, optimizer)].append(cost / (dim + 1))
                curves[("performance", tau, optimizer)].append(ratio)
    # The curves: at each distinct finite x, the share of problems with x' <= x.
    expected = []
    for tau in TOLERANCES:
        for kind in ("data", "performance"):
            for optimizer in optimizers:
                xs = np.sort(np.array(curves[(kind, tau, optimizer)]))
                for x in np.unique(xs[np.isfinite(xs)]):
                    expected.append((kind, tau, optimizer, float(x), float(np.mean(xs <= x))))
    got = read_table(report / "tables" / "profile_curves.csv")
    check.same("profile_curves.csv rows", len(expected), len(got))
    for e, g in zip(expected, got):
        check.same(f"curve {e[:3]} kind", (e[0], e[2]), (g["kind"], g["optimizer"]))
        check.same(f"curve {e[:3]} tolerance", e[1], float(g["tolerance"]))
        check.same(f"curve {e[:3]} alpha", e[3], float(g["alpha"]))
        check.same(f"curve {e[:3]} fraction", e[4], float(g["fraction"]))
    summary = read_table(report / "tables" / "profiles.csv")
    check.same("profiles.csv rows", len(TOLERANCES) * len(optimizers), len(summary))
    for row in summary:
        tau, optimizer = float(row["tolerance"]), row["optimizer"]
        data = np.array(curves[("data", tau, optimizer)])
        ratios = np.array(curves[("performance", tau, optimizer)])
        check.same(f"summary {tau} {optimizer} solved", float(np.mean(np.isfinite(data))), float(row["solved"]))
        check.same(f"summary {tau} {optimizer} fastest", float(np.mean(ratios <= 1)), float(row["fastest"]))
        half = np.sort(data)[math.ceil(len(data) / 2) - 1]
        check.same(f"summary {tau} {optimizer} half", float(half), number(row["half_solved_simplex_gradients"]))


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    optbench = sys.argv[1]
    failures, checked = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "synthetic").mkdir()
        synthetic(tmp / "synthetic")
        campaign = [optbench, "run", "--optimizers", "random_search,cmaes,mdp", "--problems",
                    "bbob:function=1|8,instance=1|2,dim=2|3", "--seeds", "2", "--budget-per-dim", "200",
                    "--jobs", "2", "--out", str(tmp / "campaign")]
        done = subprocess.run(campaign, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{' '.join(campaign)} failed:\n{done.stdout}{done.stderr}")
            return 1
        folders = [tmp / "synthetic", tmp / "campaign"] + [Path(f) for f in sys.argv[2:]]
        for i, folder in enumerate(folders):
            report = tmp / f"report{i}"
            command = [optbench, "report", str(folder), "--out", str(report),
                       "--budget-fractions", ",".join(str(f) for f in FRACTIONS),
                       "--profile-tolerances", ",".join(str(t) for t in TOLERANCES)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
                return 1
            runs = load(folder)
            check = Checker(folder.name)
            check_fixed_budget(runs, report, check)
            check_fixed_budget_ecdf(runs, report, check)
            check_profiles(runs, report, check)
            failures += check.failures
            checked += check.checked
            print(f"{folder}: {check.checked} values compared, {len(check.failures)} differ")
    for failure in failures[:50]:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
