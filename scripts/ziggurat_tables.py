#!/usr/bin/python3
"""Prints the tables of framework/include/optbench/sdk/normals.hpp: the boundaries x[0..512] of
the 512 layers of equal area v under f(x) = exp(-x^2/2) and f at each boundary, each rounded
once to the nearest double from 60-digit decimal arithmetic (Python's decimal module only, so
anyone can rerun it). Layer 0 is the box [0, r] x [0, f(r)] together with the tail beyond
r = x[1], and x[0] = v / f(r); layer i >= 1 is the box [0, x[i]] x [f(x[i]), f(x[i+1])]; r is
found by bisection so that the top layer ends at x[512] = 0, f = 1. Also the margins around
each layer's chord within which the curve lies (wedge_below, wedge_above; see wedge_margins).

    scripts/ziggurat_tables.py > tables.txt
"""
from decimal import Decimal, getcontext

getcontext().prec = 60
LAYERS = 512


def pi():
    # The decimal module's documented recipe.
    getcontext().prec += 2
    lasts, t, s, n, na, d, da = 0, Decimal(3), 3, 1, 0, 0, 24
    while s != lasts:
        lasts = s
        n, na = n + na, na + 8
        d, da = d + da, da + 32
        t = (t * n) / d
        s += t
    getcontext().prec -= 2
    return +s


PI = pi()


def f(x):
    return (-x * x / 2).exp()


def erfc(z):
    # erf's Taylor series, with 20 guard digits for the cancellation in 1 - erf.
    getcontext().prec += 20
    term = total = z
    n = 0
    while True:
        n += 1
        term = -term * z * z / n
        addend = term / (2 * n + 1)
        total += addend
        if abs(addend) < Decimal(10) ** -getcontext().prec:
            break
    result = 1 - 2 / PI.sqrt() * total
    getcontext().prec -= 20
    return +result


def layers(r):
    """v, the boundaries x[0..k] up to where the layers reach f = 1, and f there."""
    v = r * f(r) + (PI / 2).sqrt() * erfc(r / Decimal(2).sqrt())
    xs = [v / f(r), r]
    while len(xs) < LAYERS:
        top = f(xs[-1]) + v / xs[-1]
        if top >= 1:
            return v, xs, top
        xs.append((-2 * top.ln()).sqrt())
    return v, xs, f(xs[-1]) + v / xs[-1]


def wedge_margins(xs, fs, points=512):
    """For each layer's wedge, in the unit square (p from the layer's outer edge x[i] to
    x[i+1], q from f[i] to f[i+1]) where the curve's chord is q = p: how far the curve falls
    below the chord and rises above it, at most. Taken over a grid of `points` intervals and
    widened by 1e-5, more than the curve can stray between grid points (h^2 / 8 times its
    second derivative, at most 2 here) and than rounding in the sampler's p; layer 0 has no
    wedge (0, 0)."""
    getcontext().prec = 30
    below, above = [Decimal(0)], [Decimal(0)]
    for i in range(1, LAYERS):
        low = high = Decimal(0)
        for k in range(points + 1):
            p = Decimal(k) / points
            q = (f(xs[i] - p * (xs[i] - xs[i + 1])) - fs[i]) / (fs[i + 1] - fs[i])
            low, high = max(low, p - q), max(high, q - p)
        below.append(low + Decimal("1e-5"))
        above.append(high + Decimal("1e-5"))
    getcontext().prec = 60
    return below, above


def main():
    low, high = Decimal(3), Decimal(4)  # r between them: too few layers at 3, too many at 4
    for _ in range(200):
        middle = (low + high) / 2
        _, xs, top = layers(middle)
        if len(xs) < LAYERS or top > 1:
            low = middle
        else:
            high = middle
    r = (low + high) / 2
    v, xs, top = layers(r)
    assert len(xs) == LAYERS and abs(top - 1) < Decimal(10) ** -50
    xs.append(Decimal(0))
    fs = [f(x) for x in xs]
    below, above = wedge_margins(xs, fs)
    print(f"// r = {r:.30f}, v = {v:.30f}")
    for name, values in (("x", xs), ("f", fs), ("wedge_below", below), ("wedge_above", above)):
        print(f"{name}:")
        for k in range(0, len(values), 4):
            row = values[k:k + 4]
            print("    " + " ".join(float(value).hex() + "," for value in row))


if __name__ == "__main__":
    main()
