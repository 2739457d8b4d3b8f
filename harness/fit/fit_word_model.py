#!/usr/bin/env python3
"""Fits the detector's per-word likelihood ratio and writes it as a section
file of the model bundle (harness/fit/sections.py; docs/LM.md).

    unspin-eval eval detect --part build --no-decoder --lengths 100 300 1000 --docs 10 \
        --dump-words words.tsv
    python3 harness/fit/fit_word_model.py words.tsv data/fitted/word_model.json
    unspin-eval bundle build --sections data/fitted     # then the bundle holds it

The model (docs/ARCHITECTURE.md, "The document detector"): a spun document is
a mixture in which a share r of the words was written by a substitution. Each
scored word has facts x the LM and the lexicon give about it and its
neighbours (detect/word_model.h lists them), and

    log LR(x) = log P(x | substituted) - log P(x | clean text)

is estimated as the log odds of a classifier of substituted words (words of
spun build-part excerpts inside a gold substitution) against every word of
clean build-part excerpts, weighted to 1:1, so that its log odds are the log
likelihood ratio. The classifier is gradient-boosted regression trees
(scikit-learn's HistGradientBoostingClassifier, Debian's python3-sklearn),
a fixed number of trees and no early stopping, so that a fit is reproducible.

Facts are quantized before the trees see them (log10 values to 0.25, the
candidate count to halves of log(1 + n)): the trees see how common a word is
and how its context treats it, not which word it is, so they cannot memorise
the spinner tables of the fitting data. The C++ side (detect/word_model.cpp)
quantizes the same way, with round-half-to-even as numpy does.

Needs python3-numpy and python3-sklearn (not needed to build or run unspin:
the fitted trees are committed as the section file data/fitted/word_model.json,
trees "word_model", thresholds and leaf values rounded to float32 as the
model was always evaluated).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sections import section, write_section  # noqa: E402

TREES = 40
LEAVES = 255
DEPTH = 12  # the screen walks every tree to this depth (detect/word_model.cpp)
LEARNING_RATE = 0.3
QUANTUM = 0.25
NO_SYNONYM = -99.0

# In this order: detect/word_model.h WordFeature.
FEATURES = ["log10_p", "unigram", "gain", "matched", "name", "lexicon", "synonym_gain", "candidates",
            "sentence_start", "next_gain", "next_matched", "next_log10_p", "next_synonym_gain",
            "previous_unigram", "previous_synonym_gain", "next_unigram"]
QUANTIZED = {"log10_p", "unigram", "gain", "synonym_gain", "next_gain", "next_log10_p", "next_synonym_gain",
             "previous_unigram", "previous_synonym_gain", "next_unigram"}


def load(path):
    cols = {k: [] for k in ["sample", "spec", "log10_p", "unigram", "matched", "name", "gold", "lexicon",
                            "sentence_start", "synonym_gain", "candidates"]}
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        at = {name: i for i, name in enumerate(header)}
        for line in f:
            p = line.rstrip("\n").split("\t")
            cols["sample"].append(int(p[at["sample"]]))
            cols["spec"].append(p[at["spec"]] == "clean")
            for k in ("log10_p", "unigram", "synonym_gain"):
                cols[k].append(float(p[at[k if k != "synonym_gain" else "syn_gain"]]))
            for k in ("matched", "name", "gold", "lexicon", "sentence_start", "candidates"):
                cols[k].append(int(p[at[k]]))
    out = {k: np.array(v) for k, v in cols.items()}
    out["clean"] = out.pop("spec")
    return out


def features(d):
    """The rows of detect/word_model.h: a word, the scored word after it and the one before it."""
    s = d["sample"]
    same_next = np.r_[(s[1:] == s[:-1]) & (d["sentence_start"][1:] == 0), False]
    has_previous = np.r_[False, same_next[:-1]]

    def after(v, fill):
        return np.where(same_next, np.r_[v[1:], fill], fill)

    def before(v, fill):
        return np.where(has_previous, np.r_[fill, v[:-1]], fill)

    gain = d["log10_p"] - d["unigram"]
    x = {
        "log10_p": d["log10_p"], "unigram": d["unigram"], "gain": gain, "matched": d["matched"],
        "name": d["name"], "lexicon": d["lexicon"], "synonym_gain": d["synonym_gain"],
        "candidates": np.log1p(d["candidates"]), "sentence_start": d["sentence_start"],
        "next_gain": after(gain, 0.0), "next_matched": after(d["matched"], 3), "next_log10_p": after(d["log10_p"], 0.0),
        "next_synonym_gain": after(d["synonym_gain"], NO_SYNONYM), "previous_unigram": before(d["unigram"], 0.0),
        "previous_synonym_gain": before(d["synonym_gain"], NO_SYNONYM), "next_unigram": after(d["unigram"], 0.0),
    }
    for k in QUANTIZED:
        x[k] = np.rint(x[k] / QUANTUM) * QUANTUM
    x["candidates"] = np.rint(x["candidates"] * 2) / 2
    return np.column_stack([x[k].astype(np.float64) for k in FEATURES])


def fit(d):
    from sklearn.ensemble import HistGradientBoostingClassifier
    x = features(d)
    substituted = d["gold"] == 1
    rows = d["clean"] | substituted
    y = substituted[rows].astype(int)
    weight = np.where(y == 1, (y == 0).sum() / max(1, (y == 1).sum()), 1.0)
    model = HistGradientBoostingClassifier(max_iter=TREES, max_leaf_nodes=LEAVES, learning_rate=LEARNING_RATE,
                                           max_depth=DEPTH, max_bins=255, early_stopping=False, random_state=0)
    model.fit(x[rows], y, sample_weight=weight)
    return model, x[rows], y


def export(model):
    """The trees as one node list (feature, threshold, left, right, leaf value) and the roots."""
    nodes = []
    roots = []
    for predictors in model._predictors:
        tree = predictors[0].nodes
        base = len(nodes)
        roots.append(base)
        for n in tree:
            if n["is_leaf"]:
                nodes.append((-1, 0.0, 0, 0, float(n["value"])))
            else:
                nodes.append((int(n["feature_idx"]), float(n["num_threshold"]), base + int(n["left"]),
                              base + int(n["right"]), 0.0))
    return nodes, roots


def evaluate(nodes, roots, baseline, row):
    """What detect/word_model.cpp computes: x goes left when x <= threshold (float32, as in C++)."""
    total = baseline
    for at in roots:
        while nodes[at][0] >= 0:
            f, t, l, r, _ = nodes[at]
            at = l if np.float32(row[f]) <= np.float32(t) else r
        total += nodes[at][4]
    return total


def section_data(model, n_rows, n_substituted, command):
    nodes, roots = export(model)
    baseline = float("%.9g" % float(np.ravel(model._baseline_prediction)[0]))
    f32 = lambda v: float(np.float32(v))  # noqa: E731 -- the trees are float32 (detect/word_model.h)
    rows = [[f, f32(t), l, r, 0.0] if f >= 0 else [-1, 0.0, 0, 0, f32(v)] for (f, t, l, r, v) in nodes]
    comment = ("The per-word log likelihood ratio's boosted trees (docs/ARCHITECTURE.md, \"The document detector\"): "
               "%d trees, %d nodes, fitted on %d build-part words (%d substituted)." %
               (len(roots), len(nodes), n_rows, n_substituted))
    return section(command, "build part of kFitSources (harness/eval/corpus.h)", comment,
                   trees={"word_model": {"feature_count": 16, "baseline": baseline, "roots": roots, "nodes": rows}})


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fit_word_model.py WORDS.tsv OUT.json")
    d = load(sys.argv[1])
    model, x, y = fit(d)
    # The trees as written must give the classifier's own log odds.
    nodes, roots = export(model)
    baseline = float(np.ravel(model._baseline_prediction)[0])
    probe = x[:: max(1, len(x) // 2000)]
    exported = np.array([evaluate(nodes, roots, baseline, row) for row in probe])
    assert np.allclose(model.decision_function(probe), exported, atol=1e-4), "the export does not reproduce the model"
    write_section(sys.argv[2], section_data(model, len(y), int(y.sum()),
                                            "python3 harness/fit/fit_word_model.py " + " ".join(sys.argv[1:])))
    print("fit_word_model: %d rows, %d substituted, %d trees" % (len(y), int(y.sum()), len(model._predictors)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
