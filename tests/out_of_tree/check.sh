#!/usr/bin/env bash
# Installs this build into a temporary prefix, builds the README's out-of-tree examples (its
# code blocks, exactly as printed) against it with find_package(optbench), and runs them through
# the installed optbench. Then the fingerprint's promises: the optimizer still loads when built
# against SDK headers whose comments were edited, or by clang against the same libstdc++; it is
# refused when an ABI struct's layout changed.
set -euo pipefail
build=$1 readme=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# extract FILE: the README's code block below the line "`FILE`:", into $work/src/FILE.
extract() {
  mkdir -p "$work/src/$(dirname "$1")"
  awk -v label="\`$1\`:" '
    inside && /^```/ { exit }
    inside { print; next }
    found && /^```/ { inside = 1; next }
    $0 == label { found = 1 }' "$readme" > "$work/src/$1"
  [[ -s $work/src/$1 ]] || fail "$readme has no code block below \`$1\`:"
}
for file in hill_climber/CMakeLists.txt hill_climber/hill_climber.cpp least_squares/CMakeLists.txt \
            least_squares/least_squares.cpp es/es_one_plus_one.py; do
  extract "$file"
done
cmake --install "$build" --prefix "$work/prefix" >/dev/null
# build_plugin NAME PREFIX [cmake options]: the example optimizer (or, with SOURCE set in the
# environment, the example in that folder) into $work/NAME.
build_plugin() {
  local name=$1 prefix=$2
  shift 2
  cmake -S "${SOURCE:-$work/src/hill_climber}" -B "$work/$name" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$work/$name" >"$work/$name.log" 2>&1 || { cat "$work/$name.log"; fail "building $name"; }
}
listing() { OPTBENCH_PLUGIN_PATH="$work/$1" "$work/prefix/bin/optbench" list 2>&1; }

build_plugin gcc "$work/prefix"
OPTBENCH_PLUGIN_PATH="$work/gcc" "$work/prefix/bin/optbench" run --optimizers hill_climber \
  --problems sphere:dim=5 --budget 300 --seeds 2 --out "$work/out" >/dev/null
ok_rows=$(grep -c ',ok,budget,' "$work/out/runs.csv")
[[ $ok_rows == 2 ]] || { echo "expected 2 ok rows, got $ok_rows"; cat "$work/out/runs.csv"; exit 1; }
echo "out-of-tree plugin built and ran: $ok_rows ok rows"
OPTBENCH_PLUGIN_PATH="$work/gcc" "$work/prefix/bin/optbench" check hill_climber > "$work/check-optimizer.txt" ||
  { cat "$work/check-optimizer.txt"; fail "optbench check hill_climber"; }
grep -q '^hill_climber: 9 of 9 checks passed$' "$work/check-optimizer.txt" ||
  fail "unexpected check output: $(cat "$work/check-optimizer.txt")"
echo "out-of-tree optimizer passes optbench check (the installed check library): $(tail -1 "$work/check-optimizer.txt")"

# The README's Python optimizer, as printed, through the installed bridge (and the installed
# shipped Python plugins beside it).
listed=$("$work/prefix/bin/optbench" list 2>&1)
[[ $listed == *"scipy_nelder_mead"*"python plugins (.py): CPython 3."* && $listed != *warning* ]] ||
  fail "the installed optbench lists no Python plugins or no interpreter: $listed"
OPTBENCH_PLUGIN_PATH="$work/src/es" "$work/prefix/bin/optbench" run --optimizers es_one_plus_one,cmaes \
  --problems sphere:dim=10,rosenbrock:dim=5 --budget 5000 --seeds 3 --out "$work/es" >/dev/null
ok_rows=$(grep -c ',es_one_plus_one,.*,ok,budget,' "$work/es/runs.csv")
[[ $ok_rows == 6 ]] || { echo "expected the 6 runs of es_one_plus_one to end ok with the budget"; cat "$work/es/runs.csv"; exit 1; }
grep -q ",es_example,1.0.0,.*,$work/src/es/es_one_plus_one.py," "$work/es/provenance.csv" ||
  fail "provenance.csv does not name the Python plugin file: $(cat "$work/es/provenance.csv")"
echo "the README's Python optimizer ran through the installed bridge: $ok_rows ok rows"
"$work/prefix/bin/optbench" check "$work/src/es/es_one_plus_one.py" > "$work/check-python.txt" ||
  { cat "$work/check-python.txt"; fail "optbench check es_one_plus_one.py"; }
grep -q '^es_example/es_one_plus_one: 9 of 9 checks passed$' "$work/check-python.txt" ||
  fail "unexpected check output: $(cat "$work/check-python.txt")"
echo "the README's Python optimizer passes optbench check given its file: $(tail -1 "$work/check-python.txt")"

# A project that sets no build type still gets an optimised plugin.
cmake -S "$work/src/hill_climber" -B "$work/no-build-type" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
grep -q -- '-O2' "$work/no-build-type/compile_commands.json" ||
  fail "without CMAKE_BUILD_TYPE the plugin compiles without -O2: $(cat "$work/no-build-type/compile_commands.json")"
echo "without a build type: compiled with -O2"

# A plugin built for debugging says so: a warning, provenance.csv, and the report's wall times.
cmake -S "$work/src/hill_climber" -B "$work/debug" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$work/debug" >"$work/debug.log" 2>&1 || { cat "$work/debug.log"; fail "building the Debug plugin"; }
warning=$(OPTBENCH_PLUGIN_PATH="$work/debug" "$work/prefix/bin/optbench" run --optimizers hill_climber \
  --problems sphere:dim=5 --budget 300 --out "$work/debug-out" 2>&1 >/dev/null)
[[ $warning == "warning: plugin $work/debug/hill_climber.so was compiled without optimisation"* ]] ||
  fail "no warning for a Debug plugin: $warning"
grep -q ",hill_climber,1.0.0,synthetic,[^,]*,[0-9a-f]*,[0-9a-f]*,unoptimized,optimized,$work/debug/hill_climber.so,[^,]*synthetic.so\$" "$work/debug-out/provenance.csv" ||
  fail "provenance.csv does not say the plugin was unoptimized: $(cat "$work/debug-out/provenance.csv")"
"$work/prefix/bin/optbench" report "$work/debug-out" >/dev/null 2>&1
grep -q '(unoptimized)' "$work/debug-out/report/tables/final.md" || fail "the report does not flag the wall time"
echo "a Debug plugin: warned, recorded in provenance.csv, flagged in the report"

# The problem: sparse moves (mdp), gradient (adam) and plain evaluations on three instances.
SOURCE=$work/src/least_squares build_plugin least_squares "$work/prefix"
OPTBENCH_PLUGIN_PATH="$work/least_squares" "$work/prefix/bin/optbench" describe least_squares >/dev/null
OPTBENCH_PLUGIN_PATH="$work/least_squares" "$work/prefix/bin/optbench" run --optimizers mdp,adam,random_search \
  --problems least_squares:dim=8,instance=1..3 --budget 4000 --seeds 2 --out "$work/problem" >/dev/null
ok_rows=$(grep -c ',ok,budget,' "$work/problem/runs.csv")
[[ $ok_rows == 18 ]] || { echo "expected 18 ok rows, got $ok_rows"; cat "$work/problem/runs.csv"; exit 1; }
echo "out-of-tree problem built and ran under mdp, adam and random_search: $ok_rows ok rows"
OPTBENCH_PLUGIN_PATH="$work/least_squares" "$work/prefix/bin/optbench" check least_squares:dim=8 > "$work/check.txt" ||
  { cat "$work/check.txt"; fail "optbench check least_squares:dim=8"; }
grep -q '^least_squares:dim=8: 5 of 5 checks passed$' "$work/check.txt" || fail "unexpected check output: $(cat "$work/check.txt")"
echo "out-of-tree problem passes optbench check: $(tail -1 "$work/check.txt")"

# A copy of the installed SDK with a comment added to every header, inside a struct too.
cp -r "$work/prefix" "$work/prefix-commented"
for header in "$work/prefix-commented/include/optbench/sdk/"*.hpp; do
  printf '// A comment added after installation.\n' | cat - "$header" > "$header.new" && mv "$header.new" "$header"
done
sed -i 's|^struct ParamSpec {|struct ParamSpec {\n    // One more comment, inside an ABI struct.|' "$work/prefix-commented/include/optbench/sdk/abi.hpp"
build_plugin commented "$work/prefix-commented"
out=$(listing commented)
[[ $out == *"(hill_climber)"* && $out != *warning* ]] || fail "a plugin built against commented SDK headers: $out"
echo "built against SDK headers with edited comments: loads"

command -v clang++ >/dev/null || fail "clang++ is missing (scripts/install-deps.sh installs it)"
build_plugin clang "$work/prefix" -DCMAKE_CXX_COMPILER=clang++
out=$(listing clang)
[[ $out == *"(hill_climber)"* && $out != *warning* ]] || fail "a plugin built by clang: $out"
echo "built by clang against the same libstdc++: loads"

cp -r "$work/prefix" "$work/prefix-changed"
sed -i 's|^    double max;|    double max;\n    double added_field;|' "$work/prefix-changed/include/optbench/sdk/abi.hpp"
grep -q added_field "$work/prefix-changed/include/optbench/sdk/abi.hpp" || fail "the layout change was not made"
build_plugin changed "$work/prefix-changed"
out=$(listing changed)
[[ $out != *"(hill_climber)"* && $out == *"build fingerprint mismatch"* ]] || fail "a plugin with another ParamSpec layout: $out"
echo "built against a changed ABI struct layout: refused (fingerprint mismatch)"
