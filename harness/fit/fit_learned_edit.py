#!/usr/bin/env python3
"""Fits the learned-edit calibration of src/decode/site_learner.h (learned_edit_confidence).
With --out FILE.json, also writes the weights (to 5 significant digits, as shipped) as the model
bundle's section file of values "site.learned_edit_weights" (data/fitted/learned_edit.json; harness/fit/sections.py), which
`unspin-eval bundle build --sections data/fitted` assembles into the bundle.

    UNSPIN_SITES_DECISIONS=dec.tsv unspin-eval eval sites --part build --seeds 18 19 20
    python3 harness/fit/fit_learned_edit.py dec.tsv [B0,..,B5]  # weights and left-one-site-out figures
                                                            # (with B: the figures of those weights too)

P(right) = sigmoid(b0 + b1 logit(prior) + b2 logit(raw) + b3 clamp(mean_delta, +-3) + b4 [o written]
+ b5 log10 pages), fitted by logistic regression on every decision on a learned pair in the
held-out pages (column `learned` = 1), labelled by `correct`. The dump has no seed column: a site
starts where the pages column falls back (sizes run 10, 50, 200, 1,000 within a site).
Needs python3-numpy and python3-sklearn.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sections import section, write_section  # noqa: E402


def load(path):
    rows = []
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        col = {n: i for i, n in enumerate(head)}
        site, last = 0, 0
        for line in f:
            p = line.rstrip("\n").split("\t")
            pages = int(p[col["pages"]])
            if pages < last:
                site += 1
            last = pages
            # Decisions on learned pairs in the held-out pages (the dump also
            # holds the learning pages', column `learning` = 1).
            if p[col["learned"]] != "1" or ("learning" in col and p[col["learning"]] == "1"):
                continue
            rows.append((site, pages, float(p[col["prior"]]), float(p[col["raw"]]), float(p[col["mean_delta"]]),
                         float(p[col["unspun"]]) > 0, int(p[col["correct"]])))
    return np.array(rows, dtype=float)


def design(r):
    lg = lambda p: np.log(np.clip(p, 1e-4, 1 - 1e-4) / (1 - np.clip(p, 1e-4, 1 - 1e-4)))
    return np.column_stack([lg(r[:, 2]), lg(r[:, 3]), np.clip(r[:, 4], -3, 3), r[:, 5], np.log10(r[:, 1])])


def fit(x, y):
    from sklearn.linear_model import LogisticRegression
    m = LogisticRegression(C=1e6, max_iter=5000).fit(x, y)
    return np.concatenate([m.intercept_, m.coef_[0]])


def prob(w, x):
    return 1 / (1 + np.exp(-(w[0] + x @ w[1:])))


def main():
    out = None
    if "--out" in sys.argv:
        i = sys.argv.index("--out")
        out = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    r = load(sys.argv[1])
    x, y = design(r), r[:, 6]
    w = fit(x, y)
    print("weights: {%s}" % ", ".join("%.5g" % v for v in w))
    if out:
        write_section(out, section("UNSPIN_SITES_DECISIONS=FILE unspin-eval eval sites --part build --seeds 18 19 20; "
                                   "python3 harness/fit/fit_learned_edit.py FILE --out " + out, "simulated build-part sites 18-20 (learned-pair decisions)",
                                   "weights of decode/site_learner.h",
                                   values={"site.learned_edit_weights": [float("%.5g" % v) for v in w]}))
    print("decisions: %d (%d right), sites %d" % (len(y), y.sum(), len(np.unique(r[:, 0]))))
    p = np.zeros(len(y))
    for s in np.unique(r[:, 0]):
        m = r[:, 0] == s
        p[m] = prob(fit(x[~m], y[~m]), x[m])
    for n in np.unique(r[:, 1]):
        m = (r[:, 1] == n) & (p >= 0.9)
        print("  LOSO %4d pages: %d decisions at >= 0.9, right %.3f" % (n, m.sum(), y[m].mean() if m.any() else 0))
    if len(sys.argv) > 2:
        cur = np.array([float(v) for v in sys.argv[2].split(",")])
        q = prob(cur, x)
        for n in np.unique(r[:, 1]):
            m = (r[:, 1] == n) & (q >= 0.9)
            print("  current %4d pages: %d decisions at >= 0.9, right %.3f" % (n, m.sum(), y[m].mean() if m.any() else 0))


if __name__ == "__main__":
    main()
