#!/usr/bin/env python3
"""The rankings of `optbench report` against scipy.stats on generated results.

Writes a results folder (three optimizers in dimension 2, five in 5 with tied and equal scores,
ten in 10 with more than 50 problems, one problem without a dimension), runs
`optbench report --alpha A` on it for two alphas and recomputes from the generated values, with
scipy, every number of tables/ranking*.csv: the per-problem medians and ranks
(scipy.stats.rankdata), the Friedman test (friedmanchisquare), the Iman-Davenport F (f.sf), the
Nemenyi critical difference (studentized_range.ppf with df = inf), the Wilcoxon signed-rank
tests (wilcoxon, zero_method='wilcox'), their Holm adjustment, and the wins, ties and losses
(mannwhitneyu on the runs).

Usage: check_ranking_scipy.py OPTBENCH_EXECUTABLE. Exit 0 when everything agrees, 1 with the
differences listed, 77 (skipped) when /usr/bin/python3 has no scipy.
"""
import csv
import math
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import numpy as np
    from scipy import stats
except ImportError:
    print("SKIP: this python3 has no numpy/scipy (Debian: python3-scipy)")
    sys.exit(77)

RUNS_HEADER = ["run_id", "optimizer", "optimizer_params", "problem", "problem_params", "instance", "dim", "rep",
               "seed", "budget", "evals", "grad_evals", "cost", "best_f", "f_opt", "error", "nonfinite_evals",
               "status", "stop_reason", "message", "wall_s"]
# Five runs per problem and optimizer around the median: the fewest that let a Mann-Whitney
# test of two optimizers' runs reach p < 0.025 (1/252), so that W/T/L has wins and losses.
RUN_FACTORS = (0.8, 0.9, 1.0, 1.1, 1.2)

failures = []
checks = 0


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)


def close(actual, expected, rel=1e-9, what=""):
    if math.isinf(expected) or math.isinf(actual):
        check(actual == expected, f"{what}: {actual} != {expected}")
    else:
        check(math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-300), f"{what}: {actual!r} != {expected!r}")


def generate():
    """(problem key, dim text or None) -> {optimizer: median error}."""
    rng = np.random.default_rng(20240525)
    medians = {}

    def draw(count):
        return 10.0 ** rng.uniform(-8, 3, size=count)

    for j in range(12):  # dimension 2: continuous scores, exact Wilcoxon
        medians[(f"fn{j}:dim=2", "2")] = dict(zip(["o1", "o2", "o3"], draw(3)))
    for j in range(20):  # dimension 5: equal scores (zero differences, tied ranks) and tied |differences|
        values = dict(zip(["o1", "o2", "o3", "o4", "o5"], draw(5)))
        if j < 4:
            values["o2"] = values["o1"]
        if j in (4, 5):
            values = {o: 0.5 for o in values}
        if 6 <= j < 10:
            values["o3"] = float(values["o4"] + 1.0)
        medians[(f"fn{j}:dim=5", "5")] = values
    optimizers10 = [f"o{i}" for i in range(1, 11)]
    for j in range(55):  # dimension 10: more than 50 problems, normal approximation
        medians[(f"fn{j}:dim=10", "10")] = dict(zip(optimizers10, draw(10)))
    medians[("flat", None)] = dict(zip(optimizers10, draw(10)))
    return medians


def write_results(folder, medians):
    run_id = 0
    with open(folder / "runs.csv", "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(RUNS_HEADER)
        for (problem, dim), values in medians.items():
            name, _, params = problem.partition(":")
            for optimizer, median in values.items():
                for rep, factor in enumerate(RUN_FACTORS, 1):
                    error = median * factor
                    writer.writerow([run_id, optimizer, "", name, params, 1, dim or 3, rep, run_id, 100, 100, 0, 100,
                                     repr(error), 0, repr(error), 0, "ok", "budget", "", 0.001])
                    run_id += 1
    (folder / "trace.csv").write_text("run_id,evals,cost,f,best_f,wall_s\n")
    (folder / "stats.csv").write_text("run_id,evals,key,value\n")


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    return float("nan") if text == "" else float(text)


def holm(p_values):
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted, running = [0.0] * len(p_values), 0.0
    for position, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - position) * p_values[i]))
        adjusted[i] = running
    return adjusted


def expected_sets(medians):
    """Set name -> (optimizers, ranked problems), as the report documents them."""
    sets = {"all problems": [p for p, _ in medians]}
    for dim in ("2", "5", "10"):
        sets[f"dim={dim}"] = [p for p, d in medians if d == dim]
    by_problem = {p: values for (p, _), values in medians.items()}
    result = {}
    for name, problems in sets.items():
        optimizers = sorted({o for p in problems for o in by_problem[p]}, key=lambda o: int(o[1:]))
        result[name] = (optimizers, [p for p in problems if all(o in by_problem[p] for o in optimizers)])
    return result


def runs_of(median):
    return [median * factor for factor in RUN_FACTORS]


def mann_whitney_less_p(x, y):
    """The report's test: exact without ties (n1 n2 <= 2500), else asymptotic with continuity."""
    method = "exact" if len(set(x) | set(y)) == len(x) + len(y) else "asymptotic"
    return stats.mannwhitneyu(x, y, alternative="less", method=method).pvalue


def check_report(report, medians, alpha):
    tables = report / "tables"
    ranking = read_csv(tables / "ranking.csv")
    pairs = read_csv(tables / "ranking_pairs.csv")
    scores = read_csv(tables / "ranking_scores.csv")
    sets = expected_sets(medians)
    check(sorted({r["set"] for r in ranking}) == sorted(sets), f"sets: {sorted({r['set'] for r in ranking})}")
    by_problem = {p: values for (p, _), values in medians.items()}
    for name, (optimizers, problems) in sets.items():
        rows = [r for r in ranking if r["set"] == name]
        check([r["optimizer"] for r in rows] == optimizers, f"{name}: optimizers {[r['optimizer'] for r in rows]}")
        if not rows:
            continue
        n, k = len(problems), len(optimizers)
        check(int(rows[0]["problems"]) == n, f"{name}: {rows[0]['problems']} problems ranked, expected {n}")
        matrix = np.array([[by_problem[p][o] for o in optimizers] for p in problems])
        ranks = np.array([stats.rankdata(row) for row in matrix])
        score_rows = {(r["problem"], r["optimizer"]): r for r in scores if r["set"] == name}
        check(len(score_rows) == n * k, f"{name}: {len(score_rows)} score rows, expected {n * k}")
        for i, p in enumerate(problems):
            for j, o in enumerate(optimizers):
                row = score_rows.get((p, o))
                if row is None:
                    failures.append(f"{name}: no score of {o} on {p}")
                    continue
                close(number(row["score"]), matrix[i, j], 0, f"{name} {p} {o} score")
                close(number(row["rank"]), ranks[i, j], 0, f"{name} {p} {o} rank")
        for j, row in enumerate(rows):
            close(number(row["average_rank"]), ranks[:, j].mean(), 1e-12, f"{name} {row['optimizer']} average rank")
        chi2, p = stats.friedmanchisquare(*matrix.T) if k >= 3 else (None, None)
        if chi2 is not None:
            close(number(rows[0]["friedman_chi2"]), chi2, 1e-10, f"{name} Friedman chi2")
            close(number(rows[0]["friedman_p"]), p, 1e-8, f"{name} Friedman p")
            f_f = (n - 1) * chi2 / (n * (k - 1) - chi2)
            close(number(rows[0]["iman_davenport_f"]), f_f, 1e-10, f"{name} Iman-Davenport F")
            close(number(rows[0]["iman_davenport_p"]), stats.f.sf(f_f, k - 1, (k - 1) * (n - 1)), 1e-8,
                  f"{name} Iman-Davenport p")
        q_alpha = stats.studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2)
        cd = q_alpha * math.sqrt(k * (k + 1) / (6 * n))
        close(number(rows[0]["critical_difference"]), cd, 1e-7, f"{name} critical difference (k={k}, N={n})")

        set_pairs = [r for r in pairs if r["set"] == name]
        check(len(set_pairs) == k * (k - 1) // 2, f"{name}: {len(set_pairs)} pairs")
        raw = []
        for row in set_pairs:
            a, b = optimizers.index(row["optimizer_a"]), optimizers.index(row["optimizer_b"])
            d = matrix[:, a] - matrix[:, b]
            nonzero = np.abs(d[d != 0])
            exact = len(nonzero) == len(d) and len(np.unique(nonzero)) == len(nonzero) and len(d) <= 50
            what = f"{name} {row['optimizer_a']}-{row['optimizer_b']}"
            check(int(row["wilcoxon_n"]) == len(nonzero), f"{what}: n {row['wilcoxon_n']} != {len(nonzero)}")
            check(row["wilcoxon_exact"] == ("1" if exact else "0"), f"{what}: exact flag {row['wilcoxon_exact']}")
            if len(nonzero):
                test = stats.wilcoxon(matrix[:, a], matrix[:, b], zero_method="wilcox",
                                      method="exact" if exact else "approx")
                close(number(row["wilcoxon_statistic"]), test.statistic, 1e-12, f"{what} Wilcoxon T")
                close(number(row["p_value"]), test.pvalue, 1e-9, f"{what} Wilcoxon p")
                raw.append(test.pvalue)
            else:
                close(number(row["p_value"]), 1.0, 0, f"{what} Wilcoxon p without differences")
                raw.append(1.0)
            close(number(row["rank_difference"]), ranks[:, a].mean() - ranks[:, b].mean(), 1e-12,
                  f"{what} rank difference")
            check(row["nemenyi_differ"] == ("1" if abs(ranks[:, a].mean() - ranks[:, b].mean()) >= cd else "0"),
                  f"{what} Nemenyi")
            wins = ties = losses = 0
            for p in problems:
                x, y = runs_of(by_problem[p][optimizers[a]]), runs_of(by_problem[p][optimizers[b]])
                if mann_whitney_less_p(x, y) < alpha / 2:
                    wins += 1
                elif mann_whitney_less_p(y, x) < alpha / 2:
                    losses += 1
                else:
                    ties += 1
            check((int(row["wins"]), int(row["ties"]), int(row["losses"])) == (wins, ties, losses),
                  f"{what} W/T/L {row['wins']}/{row['ties']}/{row['losses']} != {wins}/{ties}/{losses}")
        for row, adjusted in zip(set_pairs, holm(raw)):
            close(number(row["p_holm"]), adjusted, 1e-9, f"{name} {row['optimizer_a']}-{row['optimizer_b']} Holm")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    optbench = sys.argv[1]
    medians = generate()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_results(folder, medians)
        for alpha in (0.05, 0.1):
            report = folder / f"report_{alpha}"
            # No gnuplot on PATH: the plots are not needed here, only the tables.
            done = subprocess.run([optbench, "report", str(folder), "--out", str(report), "--alpha", str(alpha)],
                                  capture_output=True, text=True, env={"PATH": "/nonexistent"})
            if done.returncode != 0:
                print(done.stdout, done.stderr)
                sys.exit(f"optbench report failed with exit code {done.returncode}")
            check_report(report, medians, alpha)
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        sys.exit(1)
    print(f"{checks} numbers agree with scipy {__import__('scipy').__version__} ({len(medians)} problems, "
          "alpha 0.05 and 0.1)")


if __name__ == "__main__":
    main()
