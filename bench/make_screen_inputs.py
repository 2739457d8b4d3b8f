#!/usr/bin/env python3
"""Writes the inputs of bench/screen_speed.sh: news-length documents as JSON lines.

    bench/make_screen_inputs.py --unspin-eval build/bin/unspin-eval --out DIR [--mb 9] [--corpora DIR]

The texts are the corpora the evaluation uses (`unspin-eval eval corpus`, both
parts, Brown press + State of the Union + nlp-corpus), each cut into documents
of about 400 words: paragraphs are gathered until a document holds 400 words,
and a text's last piece is a document of its own whatever its length (a crawl
has short pages too, and the screen's cost on them is part of the figure).
The documents are taken in corpus order, again from the start when the
corpora run out, until --mb megabytes of text.

Writes DIR/clean.jsonl (every document clean) and DIR/crawl.jsonl (the same
documents, every tenth spun by `unspin-eval spin --style table --rate 1 --seed 1`:
90% clean, 10% spun), each line {"id", "text"}, and prints one JSON line
{"clean": {"documents", "text_bytes"}, "crawl": {...,"spun_documents"}}.
Text bytes are the UTF-8 bytes of the documents' texts (what MB/s divides).
Exit 2 when the corpora are missing (the caller skips).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

WORDS = 400
MARK = "\n\n@@@@@@@@@@\n\n"  # survives the spinner (no word in it), splits its output back


def corpus_texts(unspin_eval, tmp, corpora):
    texts = []
    for part in ("build", "eval"):
        out = os.path.join(tmp, part)
        cmd = [unspin_eval, "eval", "corpus", "--part", part, "--sources", "brown-press", "sotu", "nlp-corpus",
               "--out", out]
        if corpora:
            cmd += ["--corpora", corpora]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise FileNotFoundError(r.stderr.strip())
        for name in sorted(os.listdir(out)):
            if name.endswith(".txt"):
                with open(os.path.join(out, name), encoding="utf-8") as f:
                    text = f.read().strip()
                if text:
                    texts.append(text)
    return texts


def cut(text):
    """The text as documents of about WORDS words, at paragraph breaks."""
    docs, cur, words = [], [], 0
    for para in text.split("\n\n"):
        para = para.strip()
        if not para:
            continue
        cur.append(para)
        words += len(para.split())
        if words >= WORDS:
            docs.append("\n\n".join(cur))
            cur, words = [], 0
    if cur:
        docs.append("\n\n".join(cur))
    return docs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--unspin-eval", required=True, help="unspin-eval, the evaluation harness's CLI")
    p.add_argument("--out", required=True)
    p.add_argument("--mb", type=float, default=9)
    p.add_argument("--corpora", default="", help="npm corpora folder (default: unspin-eval's)")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            pieces = [d for t in corpus_texts(a.unspin_eval, tmp, a.corpora) for d in cut(t)]
        except FileNotFoundError as e:
            print(f"make_screen_inputs.py: the corpora are missing: {e}", file=sys.stderr)
            return 2
        target = int(a.mb * 1e6)
        clean, size = [], 0
        while size < target:
            d = pieces[len(clean) % len(pieces)]
            clean.append(d)
            size += len(d.encode("utf-8"))
        # Every tenth document spun, all in one `unspin-eval spin` run.
        chosen = list(range(9, len(clean), 10))
        src = os.path.join(tmp, "to_spin.txt")
        with open(src, "w", encoding="utf-8") as f:
            f.write(MARK.join(clean[i] for i in chosen))
        r = subprocess.run([a.unspin_eval, "spin", "--style", "table", "--rate", "1", "--seed", "1", src],
                           capture_output=True, text=True, check=True)
        spun = [s.strip() for s in r.stdout.split(MARK)]
        if len(spun) != len(chosen):
            raise RuntimeError(f"spin: {len(spun)} pieces for {len(chosen)} documents")
        crawl = list(clean)
        for i, s in zip(chosen, spun):
            crawl[i] = s
    os.makedirs(a.out, exist_ok=True)
    info = {}
    for name, docs in (("clean", clean), ("crawl", crawl)):
        with open(os.path.join(a.out, name + ".jsonl"), "w", encoding="utf-8") as f:
            for i, d in enumerate(docs):
                f.write(json.dumps({"id": f"{name}-{i:06d}", "text": d}, ensure_ascii=False) + "\n")
        info[name] = {"documents": len(docs), "text_bytes": sum(len(d.encode("utf-8")) for d in docs)}
    info["crawl"]["spun_documents"] = len(chosen)
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
