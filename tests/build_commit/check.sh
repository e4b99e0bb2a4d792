#!/usr/bin/env bash
# framework/cmake/git_commit.cmake names the commit a build comes from, in a scratch repository:
# the commit, "-dirty" for changed tracked sources but not for results/, no rewrite when nothing
# changed (so builds recompile nothing), "unknown" in a copy without its own repository.
set -euo pipefail
script=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
recorded() { cmake -DSOURCE_DIR="$1" -DOUTPUT="$work/out.cpp" -P "$script" &&
             sed -n 's/.*build_commit = "\(.*\)";/\1/p' "$work/out.cpp"; }

repo=$work/repo
mkdir -p "$repo/src" "$repo/results"
git -C "$repo" init -q
echo 'int main() {}' > "$repo/src/main.cpp"
echo 'run_id' > "$repo/results/runs.csv"
git -C "$repo" add .
git -C "$repo" -c user.name=t -c user.email=t@t commit -qm first
head=$(git -C "$repo" rev-parse --short=12 HEAD)

[[ $(recorded "$repo") == "$head" ]] || fail "clean checkout: expected $head, got $(recorded "$repo")"
touch -d '2000-01-01' "$work/out.cpp"
recorded "$repo" >/dev/null
[[ $(stat -c %Y "$work/out.cpp") == $(date -d 2000-01-01 +%s) ]] || fail "an unchanged commit rewrote the file"

echo 'run_id,x' > "$repo/results/runs.csv"
[[ $(recorded "$repo") == "$head" ]] || fail "a changed results/ file made the build dirty"
echo 'int main() { return 0; }' > "$repo/src/main.cpp"
[[ $(recorded "$repo") == "$head-dirty" ]] || fail "changed source: expected $head-dirty, got $(recorded "$repo")"
touch "$repo/src/new.cpp"
git -C "$repo" checkout -q -- src
[[ $(recorded "$repo") == "$head" ]] || fail "an untracked file made the build dirty"

cp -r "$repo/src" "$repo/copy"   # inside the scratch repository, but not its top level
[[ $(recorded "$repo/copy") == unknown ]] || fail "a copy inside another repository took its commit"
[[ $(recorded "$work") == unknown ]] || fail "a folder outside any repository: expected unknown"
echo "build commit recorded as $head, $head-dirty, unknown where expected"
