#!/usr/bin/env python3
"""The host's layering, checked from the sources: no include cycle between framework files, no
layer including one above it (the report never sees the loader or Boost.DLL), and no plugin or
suite named anywhere in framework/."""
import re
import sys
from pathlib import Path

framework = Path(sys.argv[1])
# Each layer and the layers it may include.
allowed = {
    "base": set(),
    "results": {"base"},
    "core": {"base", "results"},
    "campaign": {"base", "results", "core"},
    "report": {"base", "results"},
    "cli": {"base", "results", "core", "campaign", "report"},
}
# SDK headers that load plugins; layers that never load one must not include them.
loading_headers = {"optbench/sdk/export.hpp", "optbench/sdk/sdk.hpp"}
never_loading = {"base", "results", "report"}
plugin_words = re.compile(r"mdp|bbob|l1_ratio|accuracy", re.IGNORECASE)
include = re.compile(r'^\s*#\s*include\s+[<"]([^>"]+)[>"]', re.MULTILINE)

problems = []
graph = {}
for layer in allowed:
    for source in sorted((framework / layer).glob("*.[ch]pp")):
        name = f"{layer}/{source.name}"
        graph[name] = []
        for target in include.findall(source.read_text()):
            target_layer = target.split("/")[0]
            if target_layer in allowed:
                graph[name].append(target)
                if target_layer != layer and target_layer not in allowed[layer]:
                    problems.append(f"{name} includes {target}: layer {layer} may include only "
                                    f"{sorted(allowed[layer]) or 'nothing above the SDK'}")
            if layer in never_loading and (target in loading_headers or target.startswith("boost/dll")):
                problems.append(f"{name} includes {target}: layer {layer} never loads a plugin")

# Cycles between files, by depth-first search.
state = {}
def visit(node, path):
    state[node] = "open"
    for target in graph.get(node, []):
        if state.get(target) == "open":
            cycle = path[path.index(target):] + [target] if target in path else [node, target]
            problems.append("include cycle: " + " -> ".join(cycle))
        elif target not in state:
            visit(target, path + [target])
    state[node] = "done"
for node in graph:
    if node not in state:
        visit(node, [node])

for source in sorted(p for p in framework.rglob("*") if p.is_file()):
    for number, line in enumerate(source.read_text(errors="replace").splitlines(), 1):
        if plugin_words.search(line):
            problems.append(f"{source.relative_to(framework)}:{number} names a plugin or suite: {line.strip()}")

layers_seen = {name.split("/")[0] for name in graph}
if layers_seen != set(allowed):
    problems.append(f"expected the layers {sorted(allowed)}, found sources in {sorted(layers_seen)}")
for problem in problems:
    print("FAIL:", problem)
if problems:
    sys.exit(1)
print(f"{len(graph)} host files in {len(allowed)} layers: no include cycle, no upward include, no plugin named")
