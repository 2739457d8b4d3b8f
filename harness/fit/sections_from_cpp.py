#!/usr/bin/env python3
"""Converts the fitted parameters that older unspin compiled in as C++ into
the bundle's section files (docs/LM.md, "The model bundle"), bit for bit.

    harness/fit/sections_from_cpp.py [--rev REV] [--repo DIR] --out data/fitted

Reads, at git revision REV of the repository (default: the working tree),
  src/detect/word_model_data.cpp       -> word_model.json      (trees word_model)
  src/decode/site_learner_trees.cpp    -> site_learner.json    (trees site_prior)
  src/decode/site_learner.h            -> learned_edit.json, site_generic_edit.json
  src/detect/params.cpp                -> detector.json        (values detector.*)
  src/decode/spinner_model.h           -> decoder.json         (values decoder.*)
  src/listed/unlisted.cpp              -> unlisted.json        (values unlisted.weights)
A file the revision no longer has is skipped with a note (its section file is
kept as it is). Used once to move the parameters out of the C++, and again
after a rebase onto a main on which someone refitted them in C++:
`harness/fit/sections_from_cpp.py --rev main --out data/fitted`, then rebuild.

Floats (the word model's `0.1f` literals) are rounded from their decimal text
to the nearest float exactly as a C++ compiler does, then written as the
shortest decimal of that float's double value; doubles as Python's repr (the
shortest text that reads back to the same double).
"""

import argparse
import json
import os
import re
import struct
import subprocess
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sections import section, write_section  # noqa: E402

NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def nearest_float32(text):
    """The float nearest to the decimal `text` (ties to even), as a double."""
    exact = Fraction(text)
    guess = struct.unpack("<f", struct.pack("<f", float(text)))[0]
    bits = struct.unpack("<I", struct.pack("<f", guess))[0]

    def from_bits(b):
        return struct.unpack("<f", struct.pack("<I", b & 0xFFFFFFFF))[0]

    candidates = [guess]
    if guess != 0:
        candidates += [from_bits(bits - 1), from_bits(bits + 1)]
    else:
        candidates += [from_bits(1), -from_bits(1)]
    best = min(candidates, key=lambda c: (abs(Fraction(c) - exact), struct.unpack("<I", struct.pack("<f", c))[0] & 1))
    return float(best)


def read_source(repo, rev, path):
    if rev is None:
        full = os.path.join(repo, path)
        return open(full, encoding="utf-8").read() if os.path.exists(full) else None
    result = subprocess.run(["git", "-C", repo, "show", f"{rev}:{path}"], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def parse_trees(text, baseline_pattern, floats):
    body = re.search(r"kNodes\[\] = \{(.*?)\n\};", text, re.S).group(1)
    nodes = []
    for m in re.finditer(r"\{(-?\d+), (" + NUMBER + r")f?, (\d+), (\d+), (" + NUMBER + r")f?\}", body):
        feature, threshold, left, right, value = m.groups()
        conv = nearest_float32 if floats else float
        nodes.append([int(feature), conv(threshold), int(left), int(right), conv(value)])
    roots = [int(r) for r in re.search(r"kRoots\[\] = \{([^}]*)\}", text).group(1).split(",") if r.strip()]
    baseline = float(re.search(baseline_pattern, text).group(1))
    return nodes, roots, baseline


def header_comment(text):
    lines = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


def array_of(text, name):
    m = re.search(name + r"\s*=\s*\{([^}]*)\}", text, re.S)
    return [float(x) for x in re.findall(NUMBER, m.group(1))]


def scalar_of(text, name):
    return float(re.search(r"\b" + name + r"\s*=\s*(" + NUMBER + ")", text).group(1))


def detection_values(text, field):
    m = re.search(r"DetectionCalibration " + field + r"\{(.*?)\};", text, re.S)
    numbers = [float(x) for x in re.findall(NUMBER, m.group(1))]
    # scale, bias, log_words, 4 median knots (x, y), 4 spread knots (x, y), threshold
    scale, bias, log_words = numbers[0:3]
    median, spread, threshold = numbers[3:11], numbers[11:19], numbers[19]
    return {
        f"decoder.{field}": [scale, bias, log_words, threshold],
        f"decoder.{field}.null_median": median,
        f"decoder.{field}.null_spread": spread,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap.add_argument("--rev", default=None, help="git revision to read (default: the working tree)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    written = []

    def write(name, data):
        path = os.path.join(args.out, name)
        write_section(path, data)
        written.append(name)

    def source(path):
        text = read_source(args.repo, args.rev, path)
        if text is None:
            print(f"sections_from_cpp: {path} not found at {args.rev or 'the working tree'}; skipped", file=sys.stderr)
        return text

    text = source("src/detect/word_model_data.cpp")
    if text:
        nodes, roots, baseline = parse_trees(text, r"static const WordModel model\((" + NUMBER + ")", floats=True)
        write("word_model.json", section(
            "python3 harness/fit/fit_word_model.py (see its docstring)", "build part of kFitSources (harness/eval/corpus.h)",
            header_comment(text),
            trees={"word_model": {"feature_count": 16, "baseline": baseline, "roots": roots, "nodes": nodes}}))

    text = source("src/decode/site_learner_trees.cpp")
    if text:
        nodes, roots, baseline = parse_trees(text, r"static const SiteTrees trees\((" + NUMBER + ")", floats=False)
        write("site_learner.json", section(
            "python3 harness/fit/fit_site_learner.py (see its docstring)", "simulated build-part sites (brown-press sotu nlp-corpus)",
            header_comment(text),
            trees={"site_prior": {"feature_count": 15, "baseline": baseline, "roots": roots, "nodes": nodes}}))

    text = source("src/decode/site_learner.h")
    if text:
        write("learned_edit.json", section(
            "UNSPIN_SITES_DECISIONS=FILE unspin-eval eval sites --part build --seeds 18 19 20; python3 harness/fit/fit_learned_edit.py FILE",
            "simulated build-part sites 18-20", "learned_edit_confidence (decode/site_learner.h)",
            values={"site.learned_edit_weights": array_of(text, "kLearnedEditWeights")}))
        write("site_generic_edit.json", section(
            "UNSPIN_SITES_GENERIC=FILE unspin-eval eval sites --part build --seeds 18 19 20; python3 harness/fit/fit_site_generic_edit.py FILE",
            "simulated build-part sites 18-20", "site_generic_edit_confidence (decode/site_learner.h)",
            values={"site.generic_edit_weights": array_of(text, "kSiteGenericEditWeights")}))

    text = source("src/detect/params.cpp")
    if text:
        write("detector.json", section(
            "unspin-eval eval detect --part build --fit --docs 10 --skip 20 --lengths 100 300 1000 --table-quarter 1",
            "build part of kFitSources (harness/eval/corpus.h)", header_comment(text),
            values={
                "detector.screen": array_of(text, r"p\.screen"),
                "detector.full": array_of(text, r"p\.full"),
                "detector.clean_unseen_rate": array_of(text, r"p\.clean_unseen_rate"),
                "detector.missing": [scalar_of(text, r"p\.missing_a"), scalar_of(text, r"p\.missing_b")],
                "detector.screen_pass": [scalar_of(text, r"p\.screen_pass")],
            }))

    text = source("src/decode/spinner_model.h")
    if text and "edit_scale = " in text:
        values = {
            "decoder.edit": [scalar_of(text, "edit_scale"), scalar_of(text, "edit_bias")],
            "decoder.user_edit": [scalar_of(text, "user_edit_scale"), scalar_of(text, "user_edit_bias")],
            # Isotonic knots (x, y) flattened; empty: the Platt form above (spinner_model.h).
            "decoder.edit_curve": [],
            "decoder.user_edit_curve": [],
        }
        values.update(detection_values(text, "detection"))
        values.update(detection_values(text, "user_detection"))
        write("decoder.json", section(
            "unspin-eval fit --docs 12 --calibrate-only (edits); unspin-eval fit --docs 12 --clean-docs 1000 --calibrate-only (documents)",
            "build part: brown-press sotu nlp-corpus (edits); every genre of kFitSources (documents)",
            "the spinner model's calibrations (decode/params.h)", values=values))

    text = source("src/listed/unlisted.cpp")
    if text and "struct Weights" in text:
        body = re.search(r"struct Weights \{(.*?)\};", text, re.S).group(1)
        pairs = re.findall(r"double (\w+) = (" + NUMBER + ");", body)
        write("unlisted.json", section(
            "unspin-eval eval tortured --fit-part --dump-candidates; logistic regression (docs/LEXICON.md)",
            "the list's fitting part, build-part Brown J", "the unlisted finder's weights in the order: " + " ".join(n for n, _ in pairs),
            values={"unlisted.weights": [float(v) for _, v in pairs]}))

    print(json.dumps({"written": written}))


if __name__ == "__main__":
    main()
