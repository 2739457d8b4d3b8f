"""Check, restore or learn from a crawl of JSON-lines files on a Dask cluster.

    python3 -m unspin.dask check|restore|learn --input 'crawl/*.jsonl' --out DIR
        [--scheduler ADDRESS] [--workers N] [--threads-per-worker T] [--same-source]
        [--models DIR] [--lexicon FILE ...] [--archive DB (learn)]

Each input file is one partition and gets one output file, ``DIR/part-NNNNN.jsonl``,
whose line N answers the file's line N exactly as ``unspin check --jsonl FILE``
(``restore --jsonl``) would print it (docs/SCHEMA.md §6): the same objects, the
same error object for a blank or malformed line, so no document is ever lost.
``learn`` writes one learned table per site instead (``DIR/<site>.tsv``, the site
being a line's "site" field or its URL's host): each partition's pages become
per-site counts, the counts of a site are merged across partitions and its
table written, the same file ``unspin learn --jsonl -o DIR`` writes. With
``--archive DB`` the counts are aligned counts (each page traced to its source)
and the tables those of ``unspin learn --archive DB --jsonl -o DIR``.
``DIR/summary.json`` gives the totals (documents, spun share, errors, MB,
seconds, MB/s) and which input became which output; one line of it is printed.

Without ``--scheduler`` a ``distributed.LocalCluster`` of ``--workers`` processes
(1 thread each) runs on this machine; with it, the job joins a running
``dask-scheduler`` whose workers see the same paths (docs/SCALE.md).

Every worker process loads one :class:`unspin.Engine` (models memory-mapped)
the first time it needs it and keeps it for the rest of the job; the Engine is
not picklable and never travels. Outputs are written to a temporary name and
renamed, so a task re-run after its worker died replaces, never duplicates,
a partition.

Exit status: 0 when every line was answered without error; else the CLI's
code (README "Exit codes") of the first failing line, in input order, as
``unspin check --jsonl`` does; 3 (I/O) for a missing input or unreadable file,
8 for a model the workers cannot load, 2 for bad options or scheduler address,
70 when the cluster fails the job.
"""

# This module is unspin.dask: every import below is absolute, so `dask` and
# `distributed` are the top-level packages, never this file.
from __future__ import annotations

import argparse
import glob
import itertools
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
import zlib
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import unspin

PROG = "python3 -m unspin.dask"

# Exit codes shared with the CLI (README "Exit codes").
EXIT_USAGE, EXIT_IO, EXIT_MODEL, EXIT_INTERNAL = 2, 3, 8, 70

# Lines handed to the Engine at once: bounds a task's memory on huge
# partitions while keeping the per-call overhead negligible.
_BATCH_LINES = 256


class JobError(Exception):
    """A failure that ends the job with a message and an exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


# ---------------------------------------------------------------------------
# Worker side. Everything here runs in worker processes; it is referenced by
# module path (unspin.dask.<name>), so workers import this module themselves.

# (models, lexicons, threshold, min_confidence, max_input_bytes, base_rate, papers, archive): what an Engine is
# built from (archive: `learn --archive` only).
EngineSpec = Tuple[Optional[str], Tuple[str, ...], Optional[float], float, int, float, bool, Optional[str]]

_engines: Dict[EngineSpec, unspin.Engine] = {}
_engines_lock = threading.Lock()


def _engine(spec: EngineSpec) -> unspin.Engine:
    """The process's Engine for `spec`, loaded once per worker process (the
    models are memory-mapped, so the page cache is shared between processes)."""
    with _engines_lock:
        engine = _engines.get(spec)
        if engine is None:
            models, lexicons, threshold, min_confidence, max_input_bytes, base_rate, papers, archive = spec
            engine = unspin.Engine(models=models, lexicons=list(lexicons), archive=archive, threshold=threshold,
                                   min_confidence=min_confidence, max_input_bytes=max_input_bytes,
                                   base_rate=base_rate, papers=papers)
            _engines[spec] = engine
        return engine


def warm_engine(spec: EngineSpec) -> Optional[dict]:
    """Loads the Engine on this worker (run on every worker before the job);
    returns None, or the load error as {code, exit_code, message}."""
    try:
        _engine(spec)
        return None
    except unspin.Error as e:
        return {"code": e.code, "exit_code": e.exit_code, "message": e.message}
    except Exception as e:  # the worker's view of a broken install, reported, not raised
        return {"code": "internal", "exit_code": EXIT_INTERNAL, "message": f"{type(e).__name__}: {e}"}


def _read_lines(path: str) -> Tuple[List[bytes], int]:
    """The file's lines as `unspin check --jsonl` splits them: on '\\n' only
    (a '\\r' stays in its line), no line after a final '\\n'. Raises OSError."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines, len(data)


def _partition_name(index: int) -> str:
    return f"part-{index:05d}.jsonl"


def _write_atomically(out_dir: str, name: str, answers: Iterable[str]) -> None:
    """Writes the answers, one per line, as out_dir/name: via a temporary file
    unique to this process, then a rename, so a reader (or a rerun after a
    worker died) never sees half a file."""
    tmp = os.path.join(out_dir, f".{name}.{socket.gethostname()}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            for a in answers:
                f.write(a)
                f.write("\n")
        os.replace(tmp, os.path.join(out_dir, name))
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class _Stats:
    """A partition's counts, fed answers in line order."""

    def __init__(self, index: int, path: str):
        self.d = {"partition": index, "input": path, "output": _partition_name(index), "bytes": 0,
                  "documents": 0, "errors": 0, "spun": 0, "first_error": None, "read_error": None,
                  "cpu_seconds": 0.0}

    def add(self, line_number: int, answer: str, status: str) -> str:
        d = self.d
        d["documents"] += 1
        if status == "error":
            d["errors"] += 1
            if d["first_error"] is None:
                err = json.loads(answer)["error"]
                d["first_error"] = {"line": line_number, "code": err["code"], "exit_code": err["exit_code"],
                                    "message": err["message"]}
        elif status == "spun":
            d["spun"] += 1
        return answer


def _read_failed(index: int, path: str, error: OSError) -> dict:
    d = _Stats(index, path).d
    d["output"] = None
    d["read_error"] = f"{path}: {error.strerror or error}"
    return d


def run_partition(item: Tuple[int, str], spec: EngineSpec, out_dir: str, restore: bool) -> dict:
    """One partition, each document alone: answers every line, writes the
    output file, returns the partition's stats. Streams: memory holds one
    batch of lines and answers, whatever the partition's size."""
    index, path = item
    stats = _Stats(index, path)
    try:
        f = open(path, "rb")
    except OSError as e:
        return _read_failed(index, path, e)

    def answers() -> Iterator[str]:
        # Lines as `unspin check --jsonl` splits them: on '\n' only (a '\r'
        # stays in its line), no line after a final '\n'.
        engine = _engine(spec)
        batch: List[bytes] = []
        line_number = 0
        for raw in itertools.chain(f, [None]):
            if raw is not None:
                stats.d["bytes"] += len(raw)
                batch.append(raw[:-1] if raw.endswith(b"\n") else raw)
            if batch and (raw is None or len(batch) == _BATCH_LINES):
                numbers = list(range(line_number + 1, line_number + len(batch) + 1))
                for n, (a, st) in zip(numbers, engine.answer_jsonl(batch, numbers, restore=restore)):
                    yield stats.add(n, a, st)
                line_number += len(batch)
                batch = []

    cpu = time.thread_time()  # the decoder runs in this thread (the GIL released)
    with f:
        _write_atomically(out_dir, _partition_name(index), answers())
    stats.d["cpu_seconds"] = time.thread_time() - cpu
    return stats.d


def site_of(line: bytes) -> Optional[str]:
    """The site a JSON-lines document comes from: the lower-cased host of its
    "url" field; None when the line is not an object with such a URL (the
    document is then checked alone). Only routes the line: its answer always
    comes from the Engine, so a line Python parses and the CLI would not
    still gets the CLI's error object."""
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    url = obj.get("url") if isinstance(obj, dict) else None
    if not isinstance(url, str):
        return None
    try:
        host = urllib.parse.urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host or None


def _bucket_of(site: str, buckets: int) -> int:
    return zlib.crc32(site.encode("utf-8")) % buckets  # the same in every process (unlike hash())


# A routed document: (site, partition, line number, line).
Routed = Tuple[str, int, int, bytes]


def route_partition(item: Tuple[int, str], spec: EngineSpec, restore: bool, buckets: int) -> tuple:
    """--same-source, step 1 for one partition: the documents without a site
    are answered here, alone; the others go to the bucket of their site.
    Returns (head, bucket 0, ..., bucket B-1) with head = {partition, path,
    bytes, lines, local: [(line, answer, status)], read_error}."""
    index, path = item
    head = {"partition": index, "path": path, "bytes": 0, "lines": 0, "local": [], "read_error": None}
    routed: List[List[Routed]] = [[] for _ in range(buckets)]
    try:
        lines, head["bytes"] = _read_lines(path)
    except OSError as e:
        head["read_error"] = e
        return (head, *routed)
    head["lines"] = len(lines)
    alone_lines, alone_numbers = [], []
    for n, line in enumerate(lines, 1):
        site = site_of(line)
        if site is None:
            alone_lines.append(line)
            alone_numbers.append(n)
        else:
            routed[_bucket_of(site, buckets)].append((site, index, n, line))
    if alone_lines:
        answers = _engine(spec).answer_jsonl(alone_lines, alone_numbers, restore=restore)
        head["local"] = [(n, a, s) for n, (a, s) in zip(alone_numbers, answers)]
    return (head, *routed)


def run_sites(spec: EngineSpec, restore: bool, partitions: int, max_site_docs: int,
              *pieces: List[Routed]) -> tuple:
    """--same-source, step 2 for one bucket: each site's documents (from every
    partition) are decoded together, as `unspin check --same-source` decodes
    its files, in chunks of at most max_site_docs documents in input order
    (a site's joint decode holds all its documents in memory). Returns one
    list of (line, answer, status) per partition."""
    by_site: Dict[str, List[Routed]] = {}
    for piece in pieces:
        for doc in piece:
            by_site.setdefault(doc[0], []).append(doc)
    engine = _engine(spec)
    out: List[List[Tuple[int, str, str]]] = [[] for _ in range(partitions)]
    for site in sorted(by_site):
        docs = sorted(by_site[site], key=lambda d: (d[1], d[2]))
        for start in range(0, len(docs), max_site_docs):
            chunk = docs[start:start + max_site_docs]
            answers = engine.answer_jsonl([d[3] for d in chunk], [d[2] for d in chunk], restore=restore,
                                          same_source=True)
            for d, (a, s) in zip(chunk, answers):
                out[d[1]].append((d[2], a, s))
    return tuple(out)


def write_partition(head: dict, out_dir: str, *pieces: List[Tuple[int, str, str]]) -> dict:
    """--same-source, step 3 for one partition: its answers from every bucket,
    in line order, written as one file; every line must be answered once."""
    index, path = head["partition"], head["path"]
    if head["read_error"] is not None:
        return _read_failed(index, path, head["read_error"])
    answered = list(head["local"])
    for piece in pieces:
        answered += piece
    answered.sort(key=lambda a: a[0])
    numbers = [n for n, _, _ in answered]
    if numbers != list(range(1, head["lines"] + 1)):  # a bug, never a silently short file
        raise RuntimeError(f"{path}: {len(numbers)} answers for {head['lines']} lines")
    stats = _Stats(index, path)
    stats.d["bytes"] = head["bytes"]
    _write_atomically(out_dir, _partition_name(index), (stats.add(n, a, st) for n, a, st in answered))
    return stats.d


def site_file_name(site: str) -> str:
    """A site as a file name, as ``unspin learn --jsonl`` names its tables."""
    name = "".join(c if (c.isascii() and c.isalnum()) or c in ".-_" else "_" for c in site)
    return "_" + name if not name or name.startswith(".") else name


def _learn_site_of(obj) -> Optional[str]:
    """`unspin learn --jsonl`'s site of a line: its "site" field, else its URL's host."""
    if not isinstance(obj, dict):
        return None
    site = obj.get("site")
    if isinstance(site, str) and site:
        return site
    url = obj.get("url")
    if isinstance(url, str):
        return unspin.site_of_url(url) or None
    return None


def learn_partition(item: Tuple[int, str], spec: EngineSpec, buckets: int) -> tuple:
    """`learn`, step 1 for one partition: each site's pages here become that
    site's counts (Engine.learn_counts, in batches of _BATCH_LINES pages; with
    an archive in `spec`, Engine.aligned_counts), sent to the bucket of the site. Returns (head, bucket 0, ..., bucket B-1),
    head = {partition, path, bytes, lines, pages, skipped, errors, read_error}."""
    index, path = item
    head = {"partition": index, "path": path, "bytes": 0, "lines": 0, "pages": 0, "skipped": 0, "errors": 0,
            "read_error": None}
    routed: List[List[Tuple[str, str]]] = [[] for _ in range(buckets)]
    try:
        lines, head["bytes"] = _read_lines(path)
    except OSError as e:
        head["read_error"] = f"{path}: {e.strerror}"
        return (head, *routed)
    head["lines"] = len(lines)
    by_site: Dict[str, Tuple[List[str], List[str]]] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            head["errors"] += 1
            continue
        site = _learn_site_of(obj)
        text = obj.get("text") if isinstance(obj, dict) else None
        if not isinstance(text, str):
            head["errors"] += 1
            continue
        if site is None:
            head["skipped"] += 1
            continue
        key = obj.get("id") if isinstance(obj.get("id"), str) else obj.get("url") if isinstance(obj.get("url"), str) else ""
        texts, keys = by_site.setdefault(site, ([], []))
        texts.append(text)
        keys.append(key)
    engine = _engine(spec)
    if spec[7] is not None:  # `learn --archive`: each page traced to its source; keys play no part
        def count(texts, keys):
            return engine.aligned_counts(texts)
    else:
        count = engine.learn_counts
    for site in sorted(by_site):
        texts, keys = by_site[site]
        for start in range(0, len(texts), _BATCH_LINES):
            batch = texts[start:start + _BATCH_LINES]
            try:
                counts = count(batch, keys[start:start + _BATCH_LINES])
            except unspin.Error:
                # One bad page fails its batch: learn from the batch's pages one by one.
                counts_list = []
                for t, k in zip(batch, keys[start:start + _BATCH_LINES]):
                    try:
                        counts_list.append(count([t], [k]))
                    except unspin.Error:
                        head["errors"] += 1
                for c in counts_list:
                    routed[_bucket_of(site, buckets)].append((site, c))
                head["pages"] += len(counts_list)
                continue
            routed[_bucket_of(site, buckets)].append((site, counts))
            head["pages"] += len(batch)
    return (head, *routed)


def learn_sites(spec: EngineSpec, out_dir: str, min_prior: float, *pieces: List[Tuple[str, str]]) -> dict:
    """`learn`, step 2 for one bucket of sites: every partition's counts of a
    site merged, and the site's table written as out_dir/<site>.tsv (via a
    temporary name, then renamed), the same file `unspin learn --jsonl -o
    out_dir` writes for it (with an archive in `spec`: the aligned table,
    Engine.aligned_table, as `unspin learn --archive --jsonl -o out_dir`)."""
    by_site: Dict[str, List[str]] = {}
    for piece in pieces:
        for site, counts in piece:
            by_site.setdefault(site, []).append(counts)
    engine = _engine(spec)
    pairs = 0
    for site in sorted(by_site):
        if spec[7] is not None:
            table = engine.aligned_table(by_site[site], site, min_prior)
        else:
            table = engine.learned_table(by_site[site], site, min_prior)
        pairs += sum(1 for l in table.splitlines() if l and not l.startswith("#"))
        name = site_file_name(site) + ".tsv"
        tmp = os.path.join(out_dir, f".{name}.{socket.gethostname()}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(table)
        os.replace(tmp, os.path.join(out_dir, name))
    return {"sites": len(by_site), "pairs": pairs}


def run_learn(args: argparse.Namespace) -> int:
    """`learn`: one learned table per site of the crawl (see learn_partition, learn_sites)."""
    import dask

    archive = os.path.abspath(args.archive) if args.archive else None
    if archive is not None and not os.path.isfile(archive):
        raise JobError(f"--archive {args.archive}: no such file", EXIT_IO)
    spec: EngineSpec = (os.path.abspath(args.models) if args.models else None,
                        tuple(os.path.abspath(l) for l in args.lexicon), args.threshold, args.min_confidence,
                        args.max_input_bytes, args.base_rate, args.papers, archive)
    # As the CLI: 0.5, and with --archive every pair the alignments prove, unless --min-prior is given.
    min_prior = args.min_prior if args.min_prior is not None else 0.0 if archive else 0.5
    if not 0 <= min_prior <= 1:
        raise JobError("--min-prior must be between 0 and 1", EXIT_USAGE)
    files = _expand_inputs(args.input)
    out = _prepare_out(args.out)
    t0 = time.monotonic()
    client, cluster = _connect(args)
    try:
        _warm_workers(client, spec)
        startup = time.monotonic() - t0
        t1 = time.monotonic()
        buckets = max(1, min(len(files), 64))
        routed = [dask.delayed(learn_partition, nout=buckets + 1, pure=False)(item, spec, buckets)
                  for item in enumerate(files)]
        per_bucket = [dask.delayed(learn_sites, pure=False)(spec, out, min_prior, *[r[b + 1] for r in routed])
                      for b in range(buckets)]
        heads = [r[0] for r in routed]
        try:
            results = dask.compute(heads, per_bucket, scheduler=client.get)
        except unspin.Error as e:
            raise JobError(e.message, e.exit_code) from e
        except Exception as e:
            raise JobError(f"the cluster failed the job: {type(e).__name__}: {e}", EXIT_INTERNAL) from e
        seconds = time.monotonic() - t1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    heads, sites = results
    nbytes = sum(h["bytes"] for h in heads)
    summary = {
        "command": "learn", "partitions": len(files), "pages": sum(h["pages"] for h in heads),
        "skipped": sum(h["skipped"] for h in heads), "errors": sum(h["errors"] for h in heads),
        "sites": sum(s["sites"] for s in sites), "pairs": sum(s["pairs"] for s in sites),
        "bytes": nbytes, "mb": nbytes / 1e6, "seconds": round(seconds, 3),
        "mb_per_s": nbytes / 1e6 / seconds if seconds > 0 else None, "startup_seconds": round(startup, 3),
        "unspin_version": unspin.__version__,
        "read_errors": [h["read_error"] for h in heads if h["read_error"]],
    }
    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(f"{PROG}: learn: {summary['pages']} pages of {summary['sites']} sites -> {summary['pairs']} pairs in "
          f"{summary['seconds']:.1f} s; {out}")
    for e in summary["read_errors"]:
        print(f"{PROG}: error: {e}", file=sys.stderr)
    if summary["read_errors"]:
        return EXIT_IO
    return 0 if summary["errors"] == 0 else EXIT_USAGE  # a malformed line, as `unspin learn --jsonl`


# ---------------------------------------------------------------------------
# Client side.

def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=(
        "Check or restore JSON-lines files ({\"id\", \"text\", \"url\"} per line) on a Dask cluster: "
        "one output file per input file, line N answering line N as `unspin check --jsonl` / "
        "`restore --jsonl` does, plus DIR/summary.json."))
    p.add_argument("command", choices=["check", "restore", "learn"],
                   help="check, restore, or learn: one learned table per site (DIR/<site>.tsv, "
                        "as `unspin learn --jsonl -o DIR`)")
    p.add_argument("--input", nargs="+", required=True, metavar="GLOB",
                   help="input files or glob patterns (quote them; ** matches folders); each file is one partition")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created; must be empty)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="join a running dask-scheduler (tcp://host:8786); default: a LocalCluster on this machine")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="LocalCluster worker processes (default: one per core)")
    p.add_argument("--threads-per-worker", type=int, default=1, metavar="T",
                   help="LocalCluster threads per worker (default 1; the Engine releases the GIL)")
    p.add_argument("--same-source", action="store_true",
                   help="documents of one site (host of \"url\") share a spinner: decode each site's documents "
                        "together, as `unspin check --same-source`; documents without a url are checked alone")
    p.add_argument("--max-site-docs", type=int, default=1000, metavar="N",
                   help="--same-source: decode at most N documents of a site together (default 1000)")
    p.add_argument("--models", metavar="DIR", help="model folder, as seen by the workers (default: as the CLI)")
    p.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                   help="extra lexicon stacked on the default, as seen by the workers; repeat for several")
    p.add_argument("--threshold", type=float, default=None, help="verdict threshold (0..1; default calibrated)")
    p.add_argument("--min-confidence", type=float, default=0.5, help="apply only edits this likely (0..1)")
    p.add_argument("--base-rate", type=float, default=0.1,
                   help="share of spun documents the score assumes (strictly between 0 and 1; default 0.1)")
    p.add_argument("--papers", action="store_true",
                   help="paper screening: unlisted tortured-phrase suspects also in documents the screen calls clean")
    p.add_argument("--max-input-bytes", type=int, default=64 << 20, metavar="BYTES",
                   help="refuse longer documents (default 64 MiB), as the CLI")
    p.add_argument("--connect-timeout", type=float, default=15, metavar="SECONDS",
                   help="how long to wait for the scheduler and a first worker (default 15)")
    p.add_argument("--dashboard-address", default=":8787",
                   help="LocalCluster dashboard address (default :8787; :0 picks a free port)")
    p.add_argument("--min-prior", type=float, default=None,
                   help="learn: keep pairs at least this probable (default 0.5; with --archive, every proven pair)")
    p.add_argument("--archive", metavar="DB",
                   help="learn: tables from each page's aligned source in this archive of originals, as "
                        "`unspin learn --archive DB --jsonl -o DIR` (the file as seen by the workers)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    args = p.parse_args(argv)
    for name in ("workers", "threads_per_worker", "max_site_docs"):
        v = getattr(args, name)
        if v is not None and v < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def _expand_inputs(patterns: Sequence[str]) -> List[str]:
    files: List[str] = []
    for pattern in patterns:
        matched = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
        matched = [m for m in matched if os.path.isfile(m)]
        if not matched:
            raise JobError(f"no input file matches {pattern!r}", EXIT_IO)
        files += matched
    seen = set()
    unique = []
    for f in files:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(os.path.abspath(f))
    return unique


def _prepare_out(out: str) -> str:
    out = os.path.abspath(out)
    if os.path.exists(out) and not os.path.isdir(out):
        raise JobError(f"--out {out}: exists and is not a folder", EXIT_IO)
    if os.path.isdir(out) and os.listdir(out):
        raise JobError(f"--out {out}: folder is not empty (results of another run?); choose a new one", EXIT_USAGE)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise JobError(f"--out {out}: {e.strerror}", EXIT_IO) from e
    return out


def _connect(args: argparse.Namespace):
    """(client, cluster or None). Raises JobError on a bad or unreachable address."""
    from distributed import Client, LocalCluster  # the top-level package (see the imports note)

    if args.scheduler:
        try:
            client = Client(args.scheduler, timeout=args.connect_timeout)
        except (OSError, TimeoutError) as e:
            raise JobError(f"cannot reach the scheduler at {args.scheduler} "
                           f"within {args.connect_timeout:g} s: {e}", EXIT_IO) from e
        except (ValueError, TypeError) as e:
            raise JobError(f"bad scheduler address {args.scheduler!r}: {e}", EXIT_USAGE) from e
        try:
            client.wait_for_workers(1, timeout=args.connect_timeout)
        except (TimeoutError, OSError) as e:
            client.close()
            raise JobError(f"the scheduler at {args.scheduler} has no workers "
                           f"(none joined within {args.connect_timeout:g} s)", EXIT_IO) from e
        return client, None
    workers = args.workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=workers, threads_per_worker=args.threads_per_worker, processes=True,
                           dashboard_address=args.dashboard_address)
    return Client(cluster), cluster


def _dashboard(client) -> str:
    """The dashboard link. Its graphical pages need bokeh, which Debian 12 does
    not package; the scheduler's plain HTML pages are served without it."""
    import importlib.util

    link = client.dashboard_link
    if importlib.util.find_spec("bokeh") is None and link.endswith("/status"):
        return (f"{link[:-len('/status')]}/info/main/workers.html "
                f"(no bokeh here, so {link} only says to install bokeh >= 2.4.2, < 3)")
    return link


def _warm_workers(client, spec: EngineSpec) -> None:
    """Loads the Engine on every worker now, so a model the workers cannot
    read is one clear error before any task runs."""
    errors = client.run(warm_engine, spec)
    for address, err in sorted(errors.items()):
        if err is not None:
            raise JobError(f"worker {address}: {err['message']}", err["exit_code"])


def _graph(args: argparse.Namespace, files: List[str], spec: EngineSpec, out: str) -> list:
    """Delayed per-partition stats for the job."""
    import dask
    import dask.bag

    restore = args.command == "restore"
    items = list(enumerate(files))
    if not args.same_source:
        bag = dask.bag.from_sequence(items, npartitions=len(items))  # one file per partition
        return bag.map(run_partition, spec, out, restore).to_delayed()
    # A shuffle by site: route (per partition) -> decode sites (per bucket of
    # sites) -> write (per partition). Buckets are capped so that the
    # partitions x buckets edges stay small for the scheduler.
    buckets = max(1, min(len(files), 64))
    routed = [dask.delayed(route_partition, nout=buckets + 1, pure=False)(item, spec, restore, buckets)
              for item in items]
    per_bucket = [dask.delayed(run_sites, nout=len(files), pure=False)(
        spec, restore, len(files), args.max_site_docs, *[r[b + 1] for r in routed]) for b in range(buckets)]
    return [dask.delayed(write_partition, pure=False)(routed[i][0], out, *[pb[i] for pb in per_bucket])
            for i in range(len(files))]


def _flatten_stats(results) -> List[dict]:
    stats = []
    for r in results:  # a bag partition computes to a list of one stats dict
        stats += r if isinstance(r, list) else [r]
    return sorted(stats, key=lambda s: s["partition"])


def run(args: argparse.Namespace) -> int:
    spec: EngineSpec = (os.path.abspath(args.models) if args.models else None,
                        tuple(os.path.abspath(l) for l in args.lexicon), args.threshold, args.min_confidence,
                        args.max_input_bytes, args.base_rate, args.papers, None)
    if args.archive:
        raise JobError("--archive: for learn only (check and restore read the archive through the CLI)", EXIT_USAGE)
    for name, v in (("--threshold", args.threshold), ("--min-confidence", args.min_confidence)):
        if v is not None and not 0 <= v <= 1:
            raise JobError(f"{name} must be between 0 and 1", EXIT_USAGE)
    if not 0 < args.base_rate < 1:
        raise JobError("--base-rate must be strictly between 0 and 1", EXIT_USAGE)
    files = _expand_inputs(args.input)
    out = _prepare_out(args.out)
    if args.scheduler and args.workers:
        print(f"{PROG}: note: --workers applies to a LocalCluster; the scheduler's workers are used", file=sys.stderr)

    t0 = time.monotonic()
    client, cluster = _connect(args)
    try:
        from distributed import as_completed

        info = client.scheduler_info()
        workers = info["workers"]
        nthreads = sum(w.get("nthreads", 1) for w in workers.values())
        print(f"{PROG}: {len(workers)} workers ({nthreads} threads) at {client.scheduler.address}; "
              f"dashboard: {_dashboard(client)}", file=sys.stderr)
        _warm_workers(client, spec)
        startup = time.monotonic() - t0

        t1 = time.monotonic()
        futures = client.compute(_graph(args, files, spec, out))
        results = []
        try:
            for done, future in enumerate(as_completed(futures), 1):
                results.append(future.result())
                if not args.quiet:
                    print(f"{PROG}: {done}/{len(futures)} partitions done", file=sys.stderr)
        except unspin.Error as e:
            raise JobError(e.message, e.exit_code) from e
        except Exception as e:  # KilledWorker after repeated deaths, a worker-side bug
            raise JobError(f"the cluster failed the job: {type(e).__name__}: {e}", EXIT_INTERNAL) from e
        seconds = time.monotonic() - t1
        # A task killed while writing (SIGKILL, a lost host) leaves its temporary
        # file; its partition was rerun and renamed into place, so every task is
        # done and these are garbage.
        for leftover in glob.glob(os.path.join(glob.escape(out), ".part-*.jsonl.*.tmp")):
            os.unlink(leftover)
        summary = _summary(args, files, _flatten_stats(results), seconds, startup, len(workers), nthreads,
                           client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    s = summary
    share = "n/a" if s["spun_share"] is None else f"{100 * s['spun_share']:.1f}%"
    print(f"{PROG}: {s['command']}: {s['documents']} documents ({share} spun, {s['errors']} errors) in "
          f"{s['partitions']} partitions, {s['mb']:.2f} MB in {s['seconds']:.1f} s = {s['mb_per_s']:.3f} MB/s "
          f"on {s['workers']} workers; {os.path.join(out, 'summary.json')}")
    for p in s["inputs"]:
        if p["read_error"]:
            print(f"{PROG}: error: {p['read_error']}", file=sys.stderr)
    if s["first_error"]:
        e = s["first_error"]
        print(f"{PROG}: error: {e['input']}:{e['line']}: {e['message']} "
              f"({s['errors']} lines answered with an error object)", file=sys.stderr)
    return s["exit_code"]


def _summary(args, files, stats, seconds, startup, workers, nthreads, client) -> dict:
    documents = sum(s["documents"] for s in stats)
    errors = sum(s["errors"] for s in stats)
    spun = sum(s["spun"] for s in stats)
    nbytes = sum(s["bytes"] for s in stats)
    cpu = sum(s.get("cpu_seconds", 0.0) for s in stats)
    checked = documents - errors
    first_error = None
    exit_code = 0
    for s in stats:
        if s["read_error"] and exit_code == 0:
            exit_code = EXIT_IO
        if s["first_error"] and first_error is None:
            first_error = dict(s["first_error"], input=s["input"])
            if exit_code == 0:
                exit_code = s["first_error"]["exit_code"]
    return {
        "command": args.command, "same_source": args.same_source,
        "documents": documents, "checked": checked, "spun": spun,
        "spun_share": spun / checked if checked else None, "errors": errors,
        "partitions": len(files), "unreadable_partitions": sum(1 for s in stats if s["read_error"]),
        "bytes": nbytes, "mb": nbytes / 1e6, "seconds": round(seconds, 3),
        "mb_per_s": nbytes / 1e6 / seconds if seconds > 0 else None,
        "cpu_seconds": round(cpu, 3), "startup_seconds": round(startup, 3), "workers": workers, "threads": nthreads,
        "scheduler": args.scheduler or "LocalCluster", "dashboard": client.dashboard_link,
        "unspin_version": unspin.__version__,
        "first_error": first_error, "exit_code": exit_code,
        "inputs": [{k: s[k] for k in ("input", "output", "documents", "errors", "spun", "bytes", "read_error")}
                   for s in stats],
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parse_args(argv)
    try:
        return run_learn(args) if args.command == "learn" else run(args)
    except JobError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    # Run as `python3 -m unspin.dask`: call the functions of the module
    # imported under its real name, so tasks pickle them as
    # unspin.dask.<name> (a reference workers import), not by value from __main__.
    from unspin.dask import main as _main

    sys.exit(_main())
