#!/usr/bin/env python3
"""Writes a synthetic crawl: JSON-lines partitions of {"id", "text", "url"} documents,
for the Dask test (python/tests/test_dask.py) and bench/dask_scale.sh.

    bench/make_crawl.py --unspin-eval build/bin/unspin-eval --out DIR --mb 20 --partitions 8 [--bad-lines]

The texts are the corpora the evaluation uses (`unspin-eval eval corpus`, both parts,
Brown press + State of the Union + nlp-corpus; $UNSPIN_CORPORA or the folder
setup.sh fills), one document each, on 12 sites (url host site-N.example). Sites
0, 2, 4, ... are content farms: each spins all its pages with its own spinner
(`unspin-eval spin --style table --rate 1 --seed N`), so about half of the documents
are spun and a site's pages share one table (what --same-source exploits).
Documents are shuffled (fixed seed) and cut into partitions of about equal size;
when the corpora run out before --mb, they are used again under new sites (and
new spinners). --originals FILE also writes the archive of the spun documents' originals,
{"id", "text"} lines (`unspin archive add --id-from jsonl`), for `learn --archive`.
--bad-lines adds, to the first partitions, a blank line, a line
that is not JSON, an object without "text", an empty text and a line with
invalid UTF-8: the answers must be error objects, never lost lines.

Prints one JSON line: {"files", "documents", "bytes", "spun_documents"}.
Exit 2 when the corpora are missing (the caller skips).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

SITES = 12
MARK = "\n\n@@@@@@@@@@\n\n"  # survives the spinner (no word in it), splits its output back


def corpus_docs(unspin_eval, tmp):
    docs = []
    for part in ("build", "eval"):
        out = os.path.join(tmp, part)
        r = subprocess.run([unspin_eval, "eval", "corpus", "--part", part, "--sources", "brown-press", "sotu",
                            "nlp-corpus", "--out", out], capture_output=True, text=True)
        if r.returncode != 0:
            raise FileNotFoundError(r.stderr.strip())
        for name in sorted(os.listdir(out)):
            if name.endswith(".txt"):
                with open(os.path.join(out, name), encoding="utf-8") as f:
                    text = f.read().strip()
                if text:
                    docs.append((f"{part}/{name[:-4]}", text))
    return docs


def spin_site(unspin_eval, tmp, texts, seed):
    """The texts as site `seed`'s spinner rewrites them: one `unspin-eval spin` run."""
    src = os.path.join(tmp, f"site{seed}.txt")
    with open(src, "w", encoding="utf-8") as f:
        f.write(MARK.join(texts))
    r = subprocess.run([unspin_eval, "spin", "--style", "table", "--rate", "1", "--seed", str(seed), src],
                       capture_output=True, text=True, check=True)
    spun = r.stdout.split(MARK)
    if len(spun) != len(texts):
        raise RuntimeError(f"spin of site {seed}: {len(spun)} pieces for {len(texts)} texts")
    return [s.strip() for s in spun]


def make(unspin_eval, out_dir, mb, partitions, bad_lines, seed=1, originals=None):
    target = int(mb * 1e6)
    with tempfile.TemporaryDirectory() as tmp:
        base = corpus_docs(unspin_eval, tmp)
        lines, spun_docs, total, taken = [], 0, 0, 0
        sources = {}  # a spun document's original, by corpus name (each once)
        while total < target:
            # The next documents, about the missing size, in corpus order (so that
            # a small crawl has every site too); pass r over the corpus puts
            # document k on site r * SITES + k % SITES, each site with its spinner.
            want, picked = target - total, []
            while want > 0:
                r, k = divmod(taken, len(base))
                name, text = base[k]
                picked.append((r * SITES + k % SITES, name, text))
                want -= len(text.encode("utf-8")) + 80
                taken += 1
            by_site = {}
            for doc in picked:
                by_site.setdefault(doc[0], []).append(doc)
            for site, docs in sorted(by_site.items()):
                texts = [t for _, _, t in docs]
                if site % 2 == 0:
                    for _, name, text in docs:
                        sources.setdefault(name, text)
                    texts = spin_site(unspin_eval, tmp, texts, site + 1)
                    spun_docs += len(texts)
                for (_, name, _), text in zip(docs, texts):
                    line = json.dumps({"id": f"d{len(lines) + 1:07d}", "text": text,
                                       "url": f"https://site-{site}.example/{name}"}, ensure_ascii=False)
                    lines.append(line.encode("utf-8"))
                    total += len(lines[-1]) + 1
    random.Random(seed).shuffle(lines)
    if bad_lines:
        bad = [b"", b"{not json", b'{"id": "bad-notext", "url": "https://site-0.example/x"}',
               b'{"id": "bad-empty", "text": ""}', b'{"id": "bad-utf8", "text": "caf\xe9 au lait"}']
        for k, b in enumerate(bad):  # spread over the partitions, not at a file's end
            lines.insert(k * (len(lines) // partitions) + 3, b)
    os.makedirs(out_dir, exist_ok=True)
    if originals:
        with open(originals, "w", encoding="utf-8") as f:
            for name, text in sorted(sources.items()):
                f.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
    per = sum(len(l) + 1 for l in lines) / partitions
    files, start, size = [], 0, 0
    for i, line in enumerate(lines):
        size += len(line) + 1
        if size >= per * (len(files) + 1) or i == len(lines) - 1:
            path = os.path.join(out_dir, f"crawl-{len(files):03d}.jsonl")
            with open(path, "wb") as f:
                f.write(b"".join(l + b"\n" for l in lines[start:i + 1]))
            files.append(path)
            start = i + 1
    return {"files": files, "documents": len(lines), "bytes": sum(os.path.getsize(f) for f in files),
            "spun_documents": spun_docs}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--unspin-eval", required=True, help="unspin-eval, the evaluation harness's CLI")
    p.add_argument("--out", required=True)
    p.add_argument("--mb", type=float, default=20)
    p.add_argument("--partitions", type=int, default=8)
    p.add_argument("--bad-lines", action="store_true")
    p.add_argument("--originals", metavar="FILE", help="also write the spun documents' originals as {id, text} lines")
    a = p.parse_args()
    try:
        info = make(a.unspin_eval, a.out, a.mb, a.partitions, a.bad_lines, originals=a.originals)
    except FileNotFoundError as e:
        print(f"make_crawl.py: the corpora are missing: {e}", file=sys.stderr)
        return 2
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
