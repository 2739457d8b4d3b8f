#!/usr/bin/env python3
"""Fits the site calibration of generic edits (site_generic_edit_confidence, src/decode/site_learner.h).
With --out FILE.json, also writes the weights (to 5 significant digits, as shipped) as the model
bundle's section file of values "site.generic_edit_weights" (data/fitted/site_generic_edit.json; harness/fit/sections.py), which
`unspin-eval bundle build --sections data/fitted` assembles into the bundle.

    UNSPIN_SITES_GENERIC=generic.tsv unspin-eval eval sites --part build --seeds 18 19 20
    python3 harness/fit/fit_site_generic_edit.py generic.tsv [A0,A1,A2]  # weights, left-one-site-out figures
                                                                     # (with A: those weights' figures too)

A generic edit is one the page's own evidence makes (a lexicon pair the learned table does not
hold; rule UNSPIN_SUBSTITUTION). With a site's learned table loaded, the chance it is right is

    P(right) = sigmoid(a0 + a1 logit(c) + a2 log10 pages),

c its confidence off a site (the decoder's edit curve), pages those the table was learned from.
Fitted by logistic regression on the generic decisions at c >= 0.5 (below it none is applied, on a
site or off it) of the cross-fitted learning pages of every site size (each page decoded with its
fold's table: pages = the other folds' pages), labelled by whether each is right. Needs
python3-numpy and python3-sklearn.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sections import section, write_section  # noqa: E402

from fit_learned_edit import fit, prob  # the same logistic fit, beside this script


def load(path):
    rows = []
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        col = {n: i for i, n in enumerate(head)}
        for line in f:
            p = line.rstrip("\n").split("\t")
            rows.append((int(p[col["seed"]]), float(p[col["table_pages"]]), float(p[col["generic"]]),
                         int(p[col["correct"]]), int(p[col["pages"]])))
    return np.array(rows, dtype=float)


def design(r):
    c = np.clip(r[:, 2], 1e-4, 1 - 1e-4)
    return np.column_stack([np.log(c / (1 - c)), np.log10(r[:, 1])])


def report(name, p, r, y):
    for n in np.unique(r[:, 4]):
        m = r[:, 4] == n
        a = m & (p >= 0.9)
        print("  %s site of %4.0f pages: %5d generic decisions at c >= 0.5 (right %.3f), %4d at >= 0.9 (right %.3f)" %
              (name, n, m.sum(), y[m].mean(), a.sum(), y[a].mean() if a.any() else 0))


def main():
    out = None
    if "--out" in sys.argv:
        i = sys.argv.index("--out")
        out = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    r = load(sys.argv[1])
    x, y = design(r), r[:, 3]
    w = fit(x, y)
    print("weights: {%s}" % ", ".join("%.5g" % v for v in w))
    if out:
        write_section(out, section("UNSPIN_SITES_GENERIC=FILE unspin-eval eval sites --part build --seeds 18 19 20; "
                                   "python3 harness/fit/fit_site_generic_edit.py FILE --out " + out, "simulated build-part sites 18-20 (generic decisions)",
                                   "weights of decode/site_learner.h",
                                   values={"site.generic_edit_weights": [float("%.5g" % v) for v in w]}))
    print("generic edits: %d (%d right), sites %d" % (len(y), y.sum(), len(np.unique(r[:, 0]))))
    p = np.zeros(len(y))
    for s in np.unique(r[:, 0]):
        m = r[:, 0] == s
        p[m] = prob(fit(x[~m], y[~m]), x[m])
    report("LOSO", p, r, y)
    if len(sys.argv) > 2:
        report("given", prob(np.array([float(v) for v in sys.argv[2].split(",")]), x), r, y)


if __name__ == "__main__":
    main()
