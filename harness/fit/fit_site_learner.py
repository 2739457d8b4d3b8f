#!/usr/bin/env python3
"""Fits the site learner's pair prior and writes it as a section file of the
model bundle (trees "site_prior"; harness/fit/sections.py, docs/LM.md).

    unspin-eval eval sites --part build --seeds 11 12 13 14 15 16 17 --samples pairs.tsv
    python3 harness/fit/fit_site_learner.py pairs.tsv data/fitted/site_learner.json
    unspin-eval bundle build --sections data/fitted     # then the bundle holds it

The model (docs/ARCHITECTURE.md, "The site learner", item 3): the probability
that a candidate pair o -> s is in the site's spinner table is

    P = sigmoid(F(x)),  F = baseline + sum of the leaves of boosted regression trees,

x the pair's features of decode::pair_features (x[1..9]: fold agreement, the
original's deficit, the form's surplus, mean posterior, restored share, share
of pages without the original, share of the form's restorations, log10 pages
with the pair, log10 pages of the site; x[10..13]: LM fill-in's margin and
ratio per context, fill-in only, the balance of the form's excess and the
original's missing occurrences; x[14]: the form's words after the first). The trees are scikit-learn's
GradientBoostingClassifier (log loss, so sigmoid(F) is a probability) fitted
on every scored pair of simulated build-part sites (spun by half 0 of the
table style's groups) against the simulator's true table; a fixed number of
trees, a fixed seed, so a fit is reproducible. The features are counts and
shares, never a word, so the trees cannot memorise the fitting table.

Why trees and not the logistic of before: the same features, left out one
build site at a time, gave log loss 0.291 (logistic) and 0.233 (trees), and
at 1,000 pages the pairs at prior >= 0.9 held 43% (logistic) against 76%
(trees) of the true pairs' restorations, at 0.95 and 0.985 precision: the
features interact (agreement means more at many pages than at few).

With `--loso`, prints those left-one-site-out figures instead of writing.
Needs python3-numpy and python3-sklearn (not needed to build or run unspin).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sections import section, write_section  # noqa: E402

TREES = 200
DEPTH = 5
LEARNING_RATE = 0.05
SUBSAMPLE = 0.8
FEATURES = 14  # x[1..14] of decode::pair_features; x[0] is the constant 1


def load(path):
    seed, pages, y, x, restored = [], [], [], [], []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            # seed, site pages, original, spun, in table, x[0..14], then the pair's raw sums
            seed.append(int(p[0]))
            pages.append(int(p[1]))
            y.append(int(p[4]))
            x.append([float(v) for v in p[6:6 + FEATURES]])
            restored.append(float(p[5 + 1 + FEATURES + 4]))
    return np.array(seed), np.array(pages), np.array(y), np.array(x), np.array(restored)


def fit(x, y):
    from sklearn.ensemble import GradientBoostingClassifier
    return GradientBoostingClassifier(n_estimators=TREES, max_depth=DEPTH, learning_rate=LEARNING_RATE,
                                      subsample=SUBSAMPLE, random_state=0).fit(x, y)


def export(model):
    """The trees as one node list (feature, threshold, left, right, leaf value x learning rate) and the roots."""
    nodes, roots = [], []
    for est in model.estimators_[:, 0]:
        t = est.tree_
        base = len(nodes)
        roots.append(base)
        for i in range(t.node_count):
            if t.children_left[i] < 0:
                nodes.append((-1, 0.0, 0, 0, float(t.value[i][0][0]) * model.learning_rate))
            else:
                # x[0] is the constant: the trees' feature f is x[f + 1].
                nodes.append((int(t.feature[i]) + 1, float(t.threshold[i]), base + int(t.children_left[i]),
                              base + int(t.children_right[i]), 0.0))
    return nodes, roots


def evaluate(nodes, roots, baseline, row):
    """What decode/site_learner.cpp computes: x goes left when float32(x) <= threshold."""
    total = baseline
    for at in roots:
        while nodes[at][0] >= 0:
            f, t, l, r, _ = nodes[at]
            at = l if float(np.float32(row[f - 1])) <= t else r
        total += nodes[at][4]
    return total


def section_data(nodes, roots, baseline, n_rows, n_true, sites, command):
    # Doubles as fitted; unspin compares float32(x) with them (fitted/trees.h).
    rows = [[f, float(t), l, r, 0.0] if f >= 0 else [-1, 0.0, 0, 0, float(v)] for (f, t, l, r, v) in nodes]
    comment = ("The pair prior's boosted trees (docs/ARCHITECTURE.md, \"The site learner\"): %d trees of depth <= %d, "
               "%d nodes, fitted on %d scored pairs (%d in the table) of %d build-part sites." %
               (len(roots), DEPTH, len(nodes), n_rows, n_true, sites))
    return section(command, "simulated build-part sites (brown-press sotu nlp-corpus)", comment,
                   trees={"site_prior": {"feature_count": 15, "baseline": float(baseline), "roots": roots,
                                         "nodes": rows}})


def loso(seed, pages, y, x, restored):
    p = np.zeros(len(y))
    for s in np.unique(seed):
        p[seed == s] = fit(x[seed != s], y[seed != s]).predict_proba(x[seed == s])[:, 1]
    ll = -np.mean(y * np.log(np.clip(p, 1e-9, 1)) + (1 - y) * np.log(np.clip(1 - p, 1e-9, 1)))
    print("left one site out: log loss %.4f over %d pairs" % (ll, len(y)))
    for n in np.unique(pages):
        m = pages == n
        cells = []
        for t in (0.5, 0.9):
            k = m & (p >= t)
            cover = restored[k & (y == 1)].sum() / max(1.0, restored[m & (y == 1)].sum())
            cells.append("prior >= %.1f: %d pairs, %.3f in the table, %.3f of the true pairs' restorations" %
                         (t, k.sum(), y[k].mean() if k.any() else 0, cover))
            print("  %4d pages: %s" % (n, "; ".join(cells)) if t == 0.9 else "", end="")
        print()
    print("| bin | pairs | mean prior | share in the table |\n|---|---|---|---|")
    b = np.minimum((p * 10).astype(int), 9)
    for i in range(10):
        if (b == i).any():
            print("| %.1f-%.1f | %d | %.3f | %.3f |" % (i / 10, (i + 1) / 10, (b == i).sum(), p[b == i].mean(),
                                                     y[b == i].mean()))


def main():
    args = [a for a in sys.argv[1:] if a != "--loso"]
    if "--loso" in sys.argv and len(args) == 1:
        loso(*load(args[0]))
        return
    if len(args) != 2:
        sys.exit("usage: fit_site_learner.py PAIRS.tsv OUT.json | fit_site_learner.py --loso PAIRS.tsv")
    seed, pages, y, x, restored = load(args[0])
    model = fit(x, y)
    nodes, roots = export(model)
    probe = x[:: max(1, len(x) // 2000)]
    baseline = float(model.decision_function(probe[:1])[0]) - sum(
        model.learning_rate * float(e.predict(probe[:1].astype(np.float32))[0]) for e in model.estimators_[:, 0])
    exported = np.array([evaluate(nodes, roots, baseline, row) for row in probe])
    assert np.allclose(model.decision_function(probe), exported, atol=1e-6), "the export does not reproduce the model"
    write_section(args[1], section_data(nodes, roots, baseline, len(y), int(y.sum()), len(np.unique(seed)),
                                        "python3 harness/fit/fit_site_learner.py " + " ".join(sys.argv[1:])))
    print("fit_site_learner: %d pairs, %d in the table, %d sites, %d trees, %d nodes" %
          (len(y), int(y.sum()), len(np.unique(seed)), len(roots), len(nodes)), file=sys.stderr)


if __name__ == "__main__":
    main()
