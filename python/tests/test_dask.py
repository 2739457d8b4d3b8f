"""Tests of `python3 -m unspin.dask` (run by ctest as python.dask, see python/CMakeLists.txt).

The input is a synthetic crawl made by bench/make_crawl.py from the evaluation
corpora (clean pages and pages spun by per-site spinners, plus malformed lines);
every result is compared with the CLI's own `--jsonl` output on the same files.
Environment: UNSPIN_MODELS, UNSPIN_CLI, UNSPIN_SOURCE_DIR (as python.api),
UNSPIN_EVAL_CLI (unspin-eval, the evaluation harness's program, which
make_crawl.py runs for the corpora and the spinners), and UNSPIN_DASK_TEST_MB,
the size of the main comparison's input (default 20).
"""

import importlib.util
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

import pytest

MODELS = os.environ.get("UNSPIN_MODELS", "")
CLI = os.environ.get("UNSPIN_CLI", "")
EVAL_CLI = os.environ.get("UNSPIN_EVAL_CLI", "")
SOURCE = pathlib.Path(os.environ.get("UNSPIN_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
MB = float(os.environ.get("UNSPIN_DASK_TEST_MB", "20"))

pytestmark = pytest.mark.skipif(not (pathlib.Path(MODELS) / "en-us.ulm").is_file() or not os.access(CLI, os.X_OK)
                                or not os.access(EVAL_CLI, os.X_OK),
                                reason="no compiled models, CLI or unspin-eval (run ./setup.sh)")

_spec = importlib.util.spec_from_file_location("make_crawl", SOURCE / "bench" / "make_crawl.py")
make_crawl = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_crawl)


def crawl(path, mb, partitions, bad_lines):
    try:
        return make_crawl.make(EVAL_CLI, str(path), mb, partitions, bad_lines)
    except FileNotFoundError as e:
        pytest.skip(f"the evaluation corpora are missing (./setup.sh installs them): {e}")


def unspin_dask(*args, timeout=600):
    """Runs `python3 -m unspin.dask ARGS`; the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "unspin.dask", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def by_id(objects):
    """Answers keyed by id (lines without one, by their line number)."""
    out = {}
    for o in objects:
        key = o["id"] if "id" in o else ("line", o["line"])
        assert key not in out, f"{key} answered twice"
        out[key] = o
    return out


def cli_jsonl(command, files, extra=()):
    """`unspin COMMAND --jsonl` on each file, two at a time (2 cores): {file: (answers, exit status)}."""
    results, pending = {}, list(files)
    running = []
    while pending or running:
        while pending and len(running) < 2:
            f = pending.pop(0)
            out = open(f"{f}.cli.{command}", "w+b")
            running.append((f, out, subprocess.Popen([CLI, command, "--jsonl", "--models", MODELS, *extra, str(f)],
                                                     stdout=out, stderr=subprocess.DEVNULL)))
        f, out, p = running.pop(0)
        rc = p.wait(timeout=900)
        out.seek(0)
        results[f] = ([json.loads(line) for line in out], rc)
        out.close()
        os.unlink(out.name)
    return results


@pytest.fixture(scope="module")
def big_crawl(tmp_path_factory):
    d = tmp_path_factory.mktemp("crawl")
    info = crawl(d, MB, 8, bad_lines=True)
    assert info["bytes"] >= MB * 1e6 * 0.99 and len(info["files"]) == 8
    return info


def test_check_equals_cli_on_a_local_cluster(big_crawl, tmp_path):
    out = tmp_path / "out"
    t = time.monotonic()
    # A threshold of the user's (the calibrated one flags no document of this
    # crawl without the spinner's table), so that the summary's count of
    # "spun" verdicts is exercised; the CLI gets the same.
    r = unspin_dask("check", "--input", str(pathlib.Path(big_crawl["files"][0]).parent / "*.jsonl"), "--out", out,
                    "--workers", 2, "--models", MODELS, "--dashboard-address", ":0", "--threshold", 0.6)
    dask_seconds = time.monotonic() - t
    assert "dashboard: http://" in r.stderr, r.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["workers"] == 2

    t = time.monotonic()
    cli = cli_jsonl("check", big_crawl["files"], ("--threshold", "0.6"))
    cli_seconds = time.monotonic() - t
    print(f"{big_crawl['bytes'] / 1e6:.1f} MB: unspin.dask on 2 workers {dask_seconds:.1f} s, "
          f"the CLI two files at a time {cli_seconds:.1f} s")

    total_lines = spun = errors = 0
    first_exit = 0
    for p in summary["inputs"]:
        got = read_jsonl(out / p["output"])
        want, rc = cli[p["input"]]
        assert len(got) == len(want), p["input"]
        assert [o["line"] for o in got] == list(range(1, len(got) + 1))
        g, w = by_id(got), by_id(want)
        assert sorted(g, key=str) == sorted(w, key=str)
        for key in sorted(w, key=str):
            assert g[key] == w[key], (p["input"], key)
        total_lines += len(got)
        spun += sum(o.get("verdict") == "spun" for o in got)
        errors += sum("error" in o for o in got)
        if first_exit == 0:
            first_exit = rc
        assert (p["documents"], p["errors"], p["bytes"]) == (len(got), sum("error" in o for o in got),
                                                              os.path.getsize(p["input"]))

    # Every document answered once; the malformed lines as error objects, as the CLI does.
    assert total_lines == big_crawl["documents"]
    assert errors == 5 and summary["errors"] == 5
    assert summary["documents"] == total_lines and summary["spun"] == spun and spun > 0
    assert summary["bytes"] == big_crawl["bytes"]
    assert r.returncode == first_exit == 2, r.stderr  # the first bad line's code (usage), as the CLI
    assert f"{summary['documents']} documents" in r.stdout


@pytest.fixture(scope="module")
def small_crawl(tmp_path_factory):
    d = tmp_path_factory.mktemp("small")
    return crawl(d, 1.5, 3, bad_lines=True)


def test_restore_equals_cli(small_crawl, tmp_path):
    out = tmp_path / "out"
    r = unspin_dask("restore", "--input", *small_crawl["files"], "--out", out, "--workers", 2, "--models", MODELS,
                    "--dashboard-address", ":0")
    assert r.returncode == 2, r.stderr
    cli = cli_jsonl("restore", small_crawl["files"])
    summary = json.loads((out / "summary.json").read_text())
    for p in summary["inputs"]:
        got, (want, _) = read_jsonl(out / p["output"]), cli[p["input"]]
        assert got == want
        assert all("restored" in o or "error" in o for o in got)


def test_same_source_equals_cli_same_source_per_site(small_crawl, tmp_path):
    """--same-source decodes a site's documents together: each result equals
    `unspin check --json --same-source` over that site's documents."""
    out = tmp_path / "out"
    r = unspin_dask("check", "--same-source", "--input", *small_crawl["files"], "--out", out, "--workers", 2,
                    "--models", MODELS, "--dashboard-address", ":0")
    assert r.returncode == 2, r.stderr
    summary = json.loads((out / "summary.json").read_text())
    got, sites = {}, {}
    for p in summary["inputs"]:
        answers = read_jsonl(out / p["output"])
        with open(p["input"], "rb") as f:
            lines = f.read().split(b"\n")[:-1]
        assert len(answers) == len(lines)
        for line, o in zip(lines, answers):
            got[o.get("id", ("line", p["input"], o["line"]))] = o
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if isinstance(doc, dict) and isinstance(doc.get("text"), str) and doc["text"] and "url" in doc:
                host = doc["url"].split("/")[2]
                sites.setdefault(host, []).append(doc)
    assert len(sites) == 12

    for host, docs in sorted(sites.items()):
        folder = tmp_path / host
        folder.mkdir()
        paths = []
        for d in docs:
            path = folder / f"{d['id']}.txt"
            path.write_text(d["text"], encoding="utf-8")
            paths.append(str(path))
        cli = subprocess.run([CLI, "check", "--json", "--same-source", "--models", MODELS, *paths],
                             capture_output=True, text=True, timeout=600)
        assert cli.returncode == 0, cli.stderr
        want = json.loads(cli.stdout)
        want = want if isinstance(want, list) else [want]
        assert len(want) == len(docs)
        for d, w in zip(docs, want):
            w.pop("file")
            g = dict(got[d["id"]])
            for k in ("line", "id", "url"):
                g.pop(k)
            assert g == w, (host, d["id"])
            assert g["provenance"]["options"].get("same_source") is True
        # A site's documents are learned from together (the site learner);
        # when nothing is learned (a few short pages) they are restored as each
        # alone, so here the results may equal checking each alone.


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_killed_worker_loses_no_document(tmp_path):
    """A worker process killed while it runs a partition: the scheduler reruns
    the partition elsewhere and every input document is answered exactly once."""
    from distributed import Client

    info = crawl(tmp_path / "in", 3, 6, bad_lines=False)
    port = free_port()
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--dashboard-address", ":0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    address = f"tcp://127.0.0.1:{port}"
    try:
        for _ in range(2):  # with a nanny, as deployed: it restarts a dead worker
            procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                                           "--nthreads", "1", "--nworkers", "1"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        out = tmp_path / "out"
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
            job = subprocess.Popen([sys.executable, "-m", "unspin.dask", "check", "--input", *info["files"],
                                    "--out", str(out), "--scheduler", address, "--models", MODELS],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # Kill a worker while it runs a partition, after the first partition is written.
            killed = None
            deadline = time.monotonic() + 120
            while killed is None and time.monotonic() < deadline and job.poll() is None:
                done = list(out.glob("part-*.jsonl")) if out.is_dir() else []
                busy = [w for w, keys in client.processing().items() if keys]
                if done and busy and len(done) < len(info["files"]) - 1:
                    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed = (busy[0], pid, len(done))
                time.sleep(0.05)
            assert killed is not None, "the job ended before a worker could be killed mid-run"
            stdout, stderr = job.communicate(timeout=600)
        assert job.returncode == 0, stderr
        assert killed[2] < len(info["files"])  # the job was mid-run when the worker died

        ids = []
        for path in info["files"]:
            with open(path, encoding="utf-8") as f:
                ids += [json.loads(line)["id"] for line in f]
        assert len(ids) == len(set(ids)) == info["documents"]
        summary = json.loads((out / "summary.json").read_text())
        answered = []
        for p in summary["inputs"]:
            answers = read_jsonl(out / p["output"])
            with open(p["input"], encoding="utf-8") as f:
                assert [o["id"] for o in answers] == [json.loads(line)["id"] for line in f]
            assert all("verdict" in o for o in answers)
            answered += [o["id"] for o in answers]
        assert sorted(answered) == sorted(ids)  # each exactly once
        assert summary["documents"] == len(ids) and summary["errors"] == 0
        assert not list(out.glob(".*.tmp")), "a temporary file of the killed task was left behind"
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def test_missing_input(tmp_path):
    r = unspin_dask("check", "--input", tmp_path / "nothing" / "*.jsonl", "--out", tmp_path / "out")
    assert r.returncode == 3
    assert "no input file matches" in r.stderr and "nothing" in r.stderr


def test_unreadable_models(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": 1, "text": "Some words."}\n')
    r = unspin_dask("check", "--input", f, "--out", tmp_path / "out", "--workers", 1,
                    "--models", tmp_path / "no-models", "--dashboard-address", ":0")
    assert r.returncode == 8, r.stderr
    assert "no-models" in r.stderr and "Traceback" not in r.stderr


def test_bad_scheduler_address(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": 1, "text": "Some words."}\n')
    r = unspin_dask("check", "--input", f, "--out", tmp_path / "out1", "--scheduler", f"tcp://127.0.0.1:{free_port()}",
                    "--connect-timeout", 2, "--models", MODELS)
    assert r.returncode == 3, r.stderr
    assert "cannot reach the scheduler" in r.stderr and "Traceback" not in r.stderr
    r = unspin_dask("check", "--input", f, "--out", tmp_path / "out2", "--scheduler", "nonsense://x:y",
                    "--connect-timeout", 2, "--models", MODELS)
    assert r.returncode in (2, 3), r.stderr
    assert "scheduler" in r.stderr and "Traceback" not in r.stderr


def test_out_must_be_empty(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": 1, "text": "Some words."}\n')
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "part-00000.jsonl").write_text("old\n")
    r = unspin_dask("check", "--input", f, "--out", tmp_path / "out")
    assert r.returncode == 2 and "not empty" in r.stderr


def test_learn_equals_cli_learn_jsonl(small_crawl, tmp_path):
    """`learn`: per-site counts from every partition, merged per site, give the
    same tables as `unspin learn --jsonl -o DIR` over all the files."""
    out = tmp_path / "out"
    r = unspin_dask("learn", "--input", *small_crawl["files"], "--out", out, "--workers", 2, "--models", MODELS,
                    "--dashboard-address", ":0")
    assert r.returncode == 2, r.stderr  # the crawl's malformed lines, as the CLI
    cli_out = tmp_path / "cli"
    c = subprocess.run([CLI, "learn", "--jsonl", "--models", MODELS, "-o", str(cli_out), *small_crawl["files"]],
                       capture_output=True, text=True, timeout=600)
    assert c.returncode == 2, c.stderr
    want = sorted(p.name for p in cli_out.glob("*.tsv"))
    assert want, "the crawl's sites should each get a table"
    assert sorted(p.name for p in out.glob("*.tsv")) == want
    for name in want:
        text = (out / name).read_text(encoding="utf-8")
        assert text.startswith("# unspin learned-table v1 pages=")
        assert text == (cli_out / name).read_text(encoding="utf-8"), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sites"] == len(want)


def test_learn_archive_equals_cli_learn_archive_jsonl(tmp_path):
    """`learn --archive`: per-site aligned counts from every partition, merged
    per site, give the same tables as `unspin learn --archive DB --jsonl -o DIR`
    over all the files, byte for byte; and with --min-prior, too."""
    originals = tmp_path / "originals.jsonl"
    try:
        info = make_crawl.make(EVAL_CLI, str(tmp_path / "crawl"), 1.5, 3, True, originals=str(originals))
    except FileNotFoundError as e:
        pytest.skip(f"the evaluation corpora are missing (./setup.sh installs them): {e}")
    db = tmp_path / "originals.db"
    a = subprocess.run([CLI, "archive", "add", "--archive", str(db), "--id-from", "jsonl", str(originals)],
                       capture_output=True, text=True, timeout=300)
    assert a.returncode == 0, a.stderr
    for extra in ([], ["--min-prior", "0.3"]):
        out, cli_out = tmp_path / f"out{len(extra)}", tmp_path / f"cli{len(extra)}"
        r = unspin_dask("learn", "--archive", db, "--input", *info["files"], "--out", out, "--workers", 2,
                        "--models", MODELS, "--dashboard-address", ":0", *extra)
        assert r.returncode == 2, r.stderr  # the crawl's malformed lines, as the CLI
        c = subprocess.run([CLI, "learn", "--archive", str(db), "--jsonl", "-o", str(cli_out), *extra, *info["files"]],
                           capture_output=True, text=True, timeout=600)
        assert c.returncode == 2, c.stderr
        want = sorted(p.name for p in cli_out.glob("*.tsv"))
        assert len(want) >= 6, "the crawl's sites should each get a table"
        assert sorted(p.name for p in out.glob("*.tsv")) == want
        pairs = 0
        for name in want:
            text = (out / name).read_text(encoding="utf-8")
            assert text.startswith("# unspin learned-table v1 pages=") and "method=aligned" in text.splitlines()[0]
            assert text == (cli_out / name).read_text(encoding="utf-8"), name
            pairs += sum(1 for line in text.splitlines() if line and not line.startswith("#"))
        assert pairs > 100, "the spun sites' tables should hold the pairs their alignments prove"
        summary = json.loads((out / "summary.json").read_text())
        assert summary["sites"] == len(want) and summary["pairs"] == pairs


def test_archive_is_for_learn_only(tmp_path):
    r = unspin_dask("check", "--archive", tmp_path / "a.db", "--input", tmp_path / "x.jsonl", "--out", tmp_path / "o")
    assert r.returncode == 2 and "--archive: for learn only" in r.stderr, r.stderr
