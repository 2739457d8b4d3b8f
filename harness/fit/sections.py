"""The model bundle's section files (docs/LM.md, "The model bundle"): what the
fit scripts write and `unspin-eval bundle build` assembles into fitted.ubundle.

A section file is JSON:
    {"unspin_fitted_section": 1,
     "fit_command": "the command that made it", "corpora": "what it was fitted on",
     "comment": "free text",
     "trees": {NAME: {"feature_count": N, "baseline": B, "roots": [...],
                      "nodes": [[feature, threshold, left, right, value], ...]}},
     "values": {NAME: [numbers...]}}
A node with feature -1 is a leaf holding `value`; an inner node sends x left
when x[feature] <= threshold. Numbers are written so that they read back to
the same double (Python's repr); thresholds are compared in float by unspin,
each as the largest float at or below the written value (fitted/trees.h).
"""

import json
import os


def dump_section(data):
    """JSON with one tree node, and one list of values, per line (readable diffs)."""
    items = []
    for key, value in data.items():
        if key == "trees":
            trees = []
            for name, t in value.items():
                nodes = ",\n".join("    " + json.dumps(n) for n in t["nodes"])
                head = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in t.items() if k != "nodes")
                trees.append(f'  {json.dumps(name)}: {{{head}, "nodes": [\n{nodes}\n  ]}}')
            items.append(' "trees": {\n' + ",\n".join(trees) + "\n }")
        elif key == "values":
            vals = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in value.items())
            items.append(' "values": {\n' + vals + "\n }")
        else:
            items.append(f" {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(items) + "\n}\n"


def section(fit_command, corpora, comment, trees=None, values=None):
    out = {"unspin_fitted_section": 1, "fit_command": fit_command, "corpora": corpora, "comment": comment}
    if trees:
        out["trees"] = trees
    if values:
        out["values"] = values
    return out


def write_section(path, data):
    """Writes a section file (creating its folder)."""
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(dump_section(data))
