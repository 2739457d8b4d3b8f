#!/usr/bin/env python3
"""Fails when a product target depends, directly or transitively, on a target
defined under harness/ (the evaluation harness must stay out of the product).

    link_boundary.py SOURCE_DIR SCRATCH_DIR PRODUCT_TARGET... [-- CMAKE_ARGS...]

Configures SOURCE_DIR afresh in SCRATCH_DIR with `cmake --graphviz` (a scratch
tree, so the build under test is never reconfigured while it is in use), then
reads the dependency graph and harness-targets.txt, the list of harness targets
harness/CMakeLists.txt writes at configure time. A product target missing from
the graph is an error (the check would pass vacuously), and so is a graph in
which unspin-eval reaches no harness library (the list would be stale).
Exit 0: the boundary holds; 1: it does not; 2: the check could not run.
"""
import os
import re
import shutil
import subprocess
import sys

NODE = re.compile(r'^\s*"(node\d+)"\s*\[\s*label\s*=\s*"([^"]*)"')
EDGE = re.compile(r'^\s*"(node\d+)"\s*->\s*"(node\d+)"')


def read_graph(dot_path):
    """(label of each node, dependencies of each label) from CMake's graphviz
    file, where an edge "a" -> "b" means a depends on b."""
    names, edges = {}, []
    with open(dot_path, encoding="utf-8") as f:
        for line in f:
            if m := NODE.match(line):
                names[m.group(1)] = m.group(2)
            elif m := EDGE.match(line):
                edges.append((m.group(1), m.group(2)))
    deps = {name: set() for name in names.values()}
    for a, b in edges:
        deps[names[a]].add(names[b])
    return deps


def closure(deps, start):
    """Every target `start` depends on, transitively (itself excluded)."""
    seen, todo = set(), [start]
    while todo:
        for d in deps.get(todo.pop(), ()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def main(argv):
    if "--" in argv:
        split = argv.index("--")
        args, cmake_args = argv[1:split], argv[split + 1:]
    else:
        args, cmake_args = argv[1:], []
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    source_dir, scratch, products = args[0], args[1], args[2:]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    dot = os.path.join(scratch, "deps.dot")
    configure = ["cmake", "-S", source_dir, "-B", scratch, f"--graphviz={dot}", *cmake_args]
    run = subprocess.run(configure, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode != 0:
        print(f"link_boundary: configuring failed:\n{run.stdout}", file=sys.stderr)
        return 2
    with open(os.path.join(scratch, "harness-targets.txt"), encoding="utf-8") as f:
        harness = {line.strip() for line in f if line.strip()}
    deps = read_graph(dot)

    reached = closure(deps, "unspin-eval") & harness
    if "unspin_eval" not in reached:
        print(f"link_boundary: unspin-eval reaches no harness library ({sorted(reached)}): "
              "the graph or harness-targets.txt is not what this check expects", file=sys.stderr)
        return 2
    failed = False
    for product in products:
        if product not in deps:
            print(f"link_boundary: FAIL: product target {product} is not in the dependency graph", file=sys.stderr)
            failed = True
            continue
        crossing = sorted(closure(deps, product) & harness)
        if crossing:
            print(f"link_boundary: FAIL: {product} depends on harness targets: {' '.join(crossing)}", file=sys.stderr)
            failed = True
        else:
            print(f"ok: {product} depends on {len(closure(deps, product))} targets, none of the "
                  f"{len(harness)} defined in harness/")
    shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
