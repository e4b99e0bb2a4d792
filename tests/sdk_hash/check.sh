#!/usr/bin/env bash
# framework/cmake/sdk_hash.cmake in a scratch project: the hash a build writes follows every
# edit, addition and removal of an SDK header at the next build, with no manual re-configure.
set -euo pipefail
module=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
hash_now() { sed -n 's/#define OPTBENCH_SDK_HASH "\(.*\)"/\1/p' "$work/build/generated/optbench/sdk/sdk_hash.hpp"; }
build() { cmake --build "$work/build" >"$work/log" 2>&1 || { cat "$work/log"; fail "build failed"; }; }

mkdir -p "$work/src/sdk"
cat > "$work/src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.22)
project(sdk_hash_check NONE)
include($module)
optbench_write_sdk_hash(\${CMAKE_SOURCE_DIR}/sdk \${CMAKE_BINARY_DIR}/generated)
add_custom_target(everything ALL)
CMAKE
echo 'struct A {};' > "$work/src/sdk/a.hpp"
cmake -S "$work/src" -B "$work/build" >/dev/null
first=$(hash_now)
[[ $first =~ ^[0-9a-f]{16}$ ]] || fail "expected 16 hex digits, got '$first'"

build
[[ $(hash_now) == "$first" ]] || fail "a build without an edit changed the hash"
echo 'struct A { int added; };' > "$work/src/sdk/a.hpp"
build
edited=$(hash_now)
[[ $edited != "$first" ]] || fail "an edited header kept the old hash"
echo 'struct B {};' > "$work/src/sdk/b.hpp"
build
added=$(hash_now)
[[ $added != "$edited" ]] || fail "an added header kept the old hash"
rm "$work/src/sdk/b.hpp"
build
[[ $(hash_now) == "$edited" ]] || fail "removing the added header did not give back the hash before it"
echo "SDK hash follows edits ($first -> $edited), additions ($added) and removals"
