"""Tests of the Python module (run by ctest as python.api, see python/CMakeLists.txt).

The environment names the models (UNSPIN_MODELS), the CLI binary (UNSPIN_CLI)
and the source tree (UNSPIN_SOURCE_DIR): results are compared with the CLI's
own JSON on the same inputs.
"""

import gc
import json
import os
import pathlib
import subprocess
import threading

import pytest

import unspin

MODELS = os.environ.get("UNSPIN_MODELS", "")
CLI = os.environ.get("UNSPIN_CLI", "")
SOURCE = pathlib.Path(os.environ.get("UNSPIN_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
EXAMPLES = SOURCE / "examples"

have_models = pytest.mark.skipif(not (pathlib.Path(MODELS) / "en-us.ulm").is_file(),
                                 reason="no compiled models (run ./setup.sh)")

ORIG = ("The company's chief executive, Maria Lopez, told reporters in Chicago on Tuesday that prices had "
        "risen by 12 percent during the past six months, including a sharp increase in the cost of fuel. "
        "Lopez said the board of Norland Freight would meet again in March to decide whether to raise fares "
        "on the routes to Denver and Omaha, which carried 40,000 passengers last year.\n")
SPUN = ("The firm's chief govt, Maria Lopez, instructed reporters in Chicago on Tuesday that costs had risen "
        "by 12 percent throughout the previous six months, together with a pointy enhance in the price of "
        "gasoline. Lopez stated the panel of Norland Freight would meet once more in March to determine "
        "whether or not to lift fares on the routes to Denver and Omaha, which carried 40,000 passengers "
        "final year.\n")
OTHER = ("Rain fell over the hills of Wales for three days, and the farmers of Powys counted 300 sheep lost to "
         "the floods near Builth Wells while the River Wye rose to its highest level since 1998.\n")


def texts():
    """The inputs compared with the CLI: the examples, a spun text, non-ASCII and short texts."""
    out = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*-news.txt"))]
    out.append(("spun.txt", SPUN))
    # Non-ASCII before the edits: code-point offsets differ from bytes and UTF-16 here.
    out.append(("accents.txt", "Café naïve 😀 résumé. " + SPUN))
    out.append(("short.txt", "A few words only."))
    return out


def cli_check(path, *extra):
    r = subprocess.run([CLI, "check", "--json", "--models", MODELS, *extra, str(path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    out.pop("file")
    return out


TABLE = EXAMPLES / "spinner-table.txt"


@pytest.fixture(scope="module")
def engine():
    return unspin.Engine(models=MODELS)


@pytest.fixture(scope="module")
def table_engine():
    """With the example spinner's table: edits do not depend on the default model's tuning."""
    return unspin.Engine(models=MODELS, lexicons=[TABLE])


@have_models
def test_check_equals_cli(engine, tmp_path):
    for name, text in texts():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        got = engine.check(text)
        assert got == cli_check(path), name
        assert engine.check(text.encode("utf-8")) == got  # bytes: the same document


@have_models
def test_offsets_are_python_indices(table_engine):
    text = "Café naïve 😀 résumé. " + (EXAMPLES / "spun-news.txt").read_text(encoding="utf-8")
    result = table_engine.check(text)
    assert result["matches"], "the spun text should have edits"
    assert result["matches"][0]["byteOffset"] > result["matches"][0]["offset"]  # the test means something
    for m in result["matches"]:
        assert text[m["offset"]:m["offset"] + m["length"]] == m["spun"], m
        assert text.encode("utf-8")[m["byteOffset"]:m["byteOffset"] + m["byteLength"]] == m["spun"].encode("utf-8")


@have_models
def test_lexicon_and_threshold_equal_cli(table_engine, tmp_path):
    table = TABLE
    spun = (EXAMPLES / "spun-news.txt").read_text(encoding="utf-8")
    assert table_engine.restore(spun) != spun
    eng = unspin.Engine(models=MODELS, lexicons=[table], threshold=0.3, min_confidence=0.7)
    for name, text in texts()[:2]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert eng.check(text) == cli_check(path, "--lexicon", str(table), "--threshold", "0.3",
                                            "--min-confidence", "0.7"), name
    assert eng.provenance["options"]["threshold"] == 0.3


@have_models
def test_table_engine_equals_cli(tmp_path):
    """table_engine="rewriter" is --table-engine rewriter; anything else is refused."""
    spun = (EXAMPLES / "spun-news.txt").read_text(encoding="utf-8")
    path = tmp_path / "spun.txt"
    path.write_text(spun, encoding="utf-8")
    eng = unspin.Engine(models=MODELS, lexicons=[TABLE], table_engine="rewriter")
    got = eng.check(spun)
    assert got == cli_check(path, "--lexicon", str(TABLE), "--table-engine", "rewriter")
    assert "user_lexicon_symmetric" in {m["role"] for m in eng.provenance["models"]}
    with pytest.raises(unspin.Error) as e:
        unspin.Engine(models=MODELS, lexicons=[TABLE], table_engine="sideways")
    assert e.value.code == "usage"


@have_models
def test_restore_equals_cli(engine, tmp_path):
    for name, text in texts():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        r = subprocess.run([CLI, "restore", "--models", MODELS, str(path)], capture_output=True, timeout=300)
        assert r.returncode == 0, r.stderr
        assert engine.restore(text) == r.stdout.decode("utf-8"), name


@have_models
def test_check_many_equals_check(engine):
    batch = [t for _, t in texts()] * 3
    one_by_one = [engine.check(t) for t in batch]
    assert engine.check_many(batch, threads=1) == one_by_one
    assert engine.check_many(batch, threads=2) == one_by_one
    assert engine.check_many(batch) == one_by_one
    assert engine.check_many(iter(batch[:3]), threads=8) == one_by_one[:3]
    assert engine.check_many([]) == []


@have_models
def test_check_many_releases_the_gil(engine):
    # A Python thread keeps running while check_many works in C++.
    batch = [SPUN] * 3000  # about a second of work
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    before = len(ticks)
    engine.check_many(batch, threads=2)
    during = len(ticks) - before
    stop.set()
    t.join()
    assert during > 20


@have_models
def test_check_many_error_names_the_text(engine):
    with pytest.raises(unspin.Error) as e:
        engine.check_many([SPUN, "", SPUN])
    assert e.value.code == "empty" and e.value.exit_code == 7 and e.value.index == 1
    assert e.value.message.startswith("texts[1]: ")


@have_models
def test_input_errors(engine):
    cases = [
        (b"caf\xe9 au lait and more words", "invalid_utf8", 4),
        ("", "empty", 7),
        ("   \n\t ", "empty", 7),
        (b"abc\x00\x01\x02def", "binary", 5),
        ("bad \udc80 surrogate", "invalid_utf8", 4),
    ]
    for text, code, exit_code in cases:
        for method in (engine.check, engine.restore):
            with pytest.raises(unspin.Error) as e:
                method(text)
            assert (e.value.code, e.value.exit_code) == (code, exit_code), (text, method)
            assert str(e.value) == e.value.message and e.value.message
    with pytest.raises(TypeError):
        engine.check(42)


@have_models
def test_error_messages_are_the_clis(engine, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"caf\xe9 au lait")
    r = subprocess.run([CLI, "check", "--json", "--models", MODELS, str(path)], capture_output=True, text=True)
    assert r.returncode == 4
    with pytest.raises(unspin.Error) as e:
        engine.check(b"caf\xe9 au lait")
    assert r.stderr.strip() == f"unspin: error: {path}: {e.value.message}"


def test_too_large():
    if not (pathlib.Path(MODELS) / "en-us.ulm").is_file():
        pytest.skip("no models")
    eng = unspin.Engine(models=MODELS, max_input_bytes=100)
    with pytest.raises(unspin.Error) as e:
        eng.check("word " * 50)
    assert e.value.code == "too_large" and e.value.exit_code == 6


def test_missing_model_folder(tmp_path):
    with pytest.raises(unspin.Error) as e:
        unspin.Engine(models=tmp_path / "no-such-folder")
    assert e.value.code == "bad_model" and e.value.exit_code == 8
    assert "no-such-folder" in e.value.message


def test_damaged_model(tmp_path):
    (tmp_path / "en-us.ulm").write_bytes(b"not a model at all" * 100)
    (tmp_path / "default.ulex").write_bytes(b"nor this" * 100)
    with pytest.raises(unspin.Error) as e:
        unspin.Engine(models=tmp_path)
    assert e.value.code == "bad_model"


@have_models
def test_bad_options(tmp_path):
    for kwargs in ({"threshold": 1.5}, {"min_confidence": -0.1}, {"base_rate": 0.0}, {"base_rate": 1.0}):
        with pytest.raises(unspin.Error) as e:
            unspin.Engine(models=MODELS, **kwargs)
        assert e.value.code == "usage" and e.value.exit_code == 2
    with pytest.raises(unspin.Error) as e:
        unspin.Engine(models=MODELS, lexicons=[tmp_path / "missing.tsv"])
    assert e.value.code in ("io", "bad_data")
    with pytest.raises(unspin.Error) as e:
        unspin.Engine(models=MODELS, archive=tmp_path / "missing.db")
    assert e.value.code == "io"


@have_models
def test_trace_needs_an_archive(engine):
    with pytest.raises(unspin.Error) as e:
        engine.trace(SPUN)
    assert e.value.code == "usage"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    d = tmp_path_factory.mktemp("archive")
    (d / "orig.txt").write_text(ORIG, encoding="utf-8")
    (d / "other.txt").write_text(OTHER, encoding="utf-8")
    (d / "spun.txt").write_text(SPUN, encoding="utf-8")
    r = subprocess.run([CLI, "archive", "add", "--archive", "a.db", "orig.txt", "other.txt"], cwd=d,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return d


@have_models
def test_trace_equals_cli(archive):
    eng = unspin.Engine(models=MODELS, archive=archive / "a.db")
    r = subprocess.run([CLI, "trace", "--archive", "a.db", "--json", "spun.txt"], cwd=archive,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    sources = eng.trace(SPUN)
    assert sources == json.loads(r.stdout)["sources"]
    assert sources[0]["id"] == "orig.txt"
    # check/restore use the source, as the CLI's --archive
    assert eng.restore(SPUN) == ORIG
    got = eng.check(SPUN)
    assert got["source"]["id"] == "orig.txt"
    r = subprocess.run([CLI, "check", "--archive", "a.db", "--models", MODELS, "--json", "spun.txt"],
                       cwd=archive, capture_output=True, text=True)
    want = json.loads(r.stdout)
    want.pop("file")
    # The CLI loads the models lazily and never does when a source is found:
    # its provenance is then empty, the module's names the loaded models.
    assert got.pop("provenance") == eng.provenance
    want.pop("provenance")
    assert got == want
    assert eng.check_many([SPUN, OTHER, SPUN], threads=2) == [eng.check(t) for t in (SPUN, OTHER, SPUN)]
    with pytest.raises(unspin.Error) as e:
        eng.trace("")
    assert e.value.code == "empty"


@have_models
def test_aligned_counts_merge_into_the_cli_table(archive):
    """Aligned counts of partitions, merged, give `unspin learn --archive`'s table."""
    eng = unspin.Engine(models=MODELS, archive=archive / "a.db")
    parts = [eng.aligned_counts([SPUN]), eng.aligned_counts([OTHER, SPUN])]
    assert parts[0].startswith('{"format":"unspin aligned-counts","version":1,"pages":1}\n')
    assert '{"source":"orig.txt","pages":2}' in eng.aligned_counts([SPUN, SPUN])
    r = subprocess.run([CLI, "learn", "--archive", "a.db", "--site", "ex.com", "spun.txt", "other.txt", "spun.txt"],
                       cwd=archive, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    table = eng.aligned_table(parts, site="ex.com")
    assert table == r.stdout
    assert "\nincluding\ttogether with\t" in table
    with pytest.raises(unspin.Error) as e:
        eng.aligned_table(['{"format":"unspin aligned-counts","version":1,"pages":1}\n{"source":"x","pages":2}\n'])
    assert e.value.code == "bad_data" and "2 pages traced" in e.value.message
    with pytest.raises(unspin.Error) as e:  # a source the archive does not hold
        eng.aligned_table(['{"format":"unspin aligned-counts","version":1,"pages":1}\n{"source":"gone","pages":1}\n'])
    assert '"gone" is no longer in the archive' in e.value.message
    with pytest.raises(unspin.Error) as e:
        unspin.Engine(models=MODELS).aligned_counts([SPUN])
    assert e.value.code == "usage"


def read_learned(path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        original, spun, prior, count = line.split("\t")
        rows.append((original, spun, round(float(prior), 3)))
    return rows


@have_models
def test_learn_equals_cli(table_engine, tmp_path):
    engine = table_engine
    docs = [SPUN, (EXAMPLES / "spun-news.txt").read_text(encoding="utf-8")]
    files = []
    for i, d in enumerate(docs):
        files.append(tmp_path / f"d{i}.txt")
        files[-1].write_text(d, encoding="utf-8")
    for same in (False, True):
        out = tmp_path / f"t{same}.tsv"
        r = subprocess.run([CLI, "learn", "--models", MODELS, "--lexicon", str(TABLE),
                            *(["--same-source"] if same else []),
                            "-o", str(out), *map(str, files)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        got = engine.learn(docs, same_source=same)
        assert got, "the spun texts should yield pairs"
        assert all(isinstance(o, str) and isinstance(s, str) and 0.5 <= p <= 1 for o, s, p in got)
        assert [(o, s, round(p, 3)) for o, s, p in got] == read_learned(out)
        assert out.read_text(encoding="utf-8").startswith("# unspin learned-table v1 pages=2\n")
    with pytest.raises(unspin.Error) as e:
        engine.learn([SPUN, b"\xff"])
    assert e.value.code == "invalid_utf8" and e.value.index == 1


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@have_models
def test_no_leak_over_10000_calls(table_engine):
    engine = table_engine  # with edits, reasons and paragraphs to build and free
    text = (EXAMPLES / "spun-news.txt").read_text(encoding="utf-8")
    assert engine.check(text)["matches"]
    for _ in range(300):  # warm up allocator pools
        engine.check(text)
    gc.collect()
    before = rss_bytes()
    for i in range(10_000):
        engine.check(text)
        if i % 10 == 0:
            engine.restore(text)
            try:
                engine.check(b"\xff bad")
            except unspin.Error:
                pass
    gc.collect()
    growth = rss_bytes() - before
    # A leak of even 1 KB per call would be 10 MB.
    assert growth < 8 << 20, f"resident memory grew by {growth / 1e6:.1f} MB over 10,000 calls"


@have_models
def test_lexicon_warnings_are_the_clis(tmp_path):
    table = tmp_path / "t.tsv"
    table.write_text("happy\tglad\t0.9\nthis line is malformed\n\tempty\n", encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        eng = unspin.Engine(models=MODELS, lexicons=[table])
    r = subprocess.run([CLI, "check", "--models", MODELS, "--lexicon", str(table), str(EXAMPLES / "clean-news.txt")],
                       capture_output=True, text=True)
    cli = [line.removeprefix("unspin: warning: ") for line in r.stderr.splitlines() if "warning" in line]
    assert eng.warnings == cli and len(cli) == 2
    assert [str(w.message) for w in caught] == [f"unspin: {w}" for w in cli]


def test_error_is_picklable():
    import pickle
    e = pickle.loads(pickle.dumps(unspin.Error("m", "io", 3, 2)))
    assert (str(e), e.code, e.exit_code, e.index) == ("m", "io", 3, 2)


@have_models
def test_answer_jsonl_equals_cli(engine, tmp_path):
    """Engine.answer_jsonl prints what `unspin check|restore --jsonl` prints, line for line,
    error objects included (unspin.dask writes its files with it)."""
    lines = [json.dumps({"id": n, "text": t, "url": f"https://example.org/{n}"}).encode() for n, t in texts()]
    lines += [b"", b"{not json", b'{"id": "e", "text": ""}', b'{"id": "u", "text": "caf\xe9"}']  # invalid UTF-8
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(l + b"\n" for l in lines))
    raw = path.read_bytes().split(b"\n")[:-1]
    for command in ("check", "restore"):
        r = subprocess.run([CLI, command, "--jsonl", "--models", MODELS, str(path)], capture_output=True,
                           timeout=300)
        assert r.returncode == 2  # the blank line's code, the first error
        got = engine.answer_jsonl(raw, restore=command == "restore")
        assert [a for a, _ in got] == r.stdout.decode("utf-8").splitlines()
        assert [s for _, s in got][-4:] == ["error"] * 4
        assert all(s in ("spun", "clean", "too short", "not English") for _, s in got[:-4])


@have_models
def test_answer_jsonl_deep_nesting_is_an_error_line(engine, tmp_path):
    """Issue 22: a 100,000-deep id crashed `check --jsonl` (exit 139) and would have crashed
    Python in the same function; now it is a malformed_json error object for that line, equal
    to the CLI's, and the other lines are answered (same_source too)."""
    deep = b"[" * 100000 + b"]" * 100000
    lines = [b'{"id":' + deep + b',"text":"The firm said hello."}',
             b'{"id":' + b"[" * 65 + b"]" * 65 + b',"text":"The firm said hello."}',
             b'{"url":' + b'{"a":' * 70000 + b'1' + b'}' * 70000 + b',"text":"x"}',
             b'{"id": 4, "text": "The firm said hello."}']
    path = tmp_path / "deep.jsonl"
    path.write_bytes(b"".join(l + b"\n" for l in lines))
    r = subprocess.run([CLI, "check", "--jsonl", "--models", MODELS, str(path)], capture_output=True, timeout=300)
    assert r.returncode == 2
    for same_source in (False, True):
        got = engine.answer_jsonl(lines, same_source=same_source)
        assert [s for _, s in got][:3] == ["error"] * 3 and got[3][1] != "error"
        for answer, _ in got[:3]:
            assert json.loads(answer)["error"]["code"] == "malformed_json"
        assert json.loads(got[3][0])["id"] == 4
        if not same_source:
            assert [a for a, _ in got] == r.stdout.decode("utf-8").splitlines()


PAPER = ("In this study we train a profound neural organization on a large corpus of medical images. The results show "
         "that the proposed method improves the accuracy of the diagnosis in most of the cases we examined, and the "
         "errors it makes are easy to explain to the doctors who use it every day.")


@have_models
def test_papers_equals_cli(engine, tmp_path):
    # Paper screening: unlisted suspects also in a document the screen calls clean.
    eng = unspin.Engine(models=MODELS, papers=True)
    screened = eng.check(PAPER)
    assert screened["stage"] == "screen"
    assert "profound neural organization" in {r["spun"] for r in screened["review"]}
    assert engine.check(PAPER)["review"] == []
    path = tmp_path / "paper.txt"
    path.write_text(PAPER, encoding="utf-8")
    assert cli_check(path, "--papers") == screened


@have_models
def test_base_rate_equals_cli(tmp_path):
    eng = unspin.Engine(models=MODELS, base_rate=0.5)
    path = tmp_path / "spun.txt"
    path.write_text(SPUN, encoding="utf-8")
    got = eng.check(SPUN)
    assert got == cli_check(path, "--base-rate", "0.5")
    assert got["base_rate"] == 0.5


def _mismatched_models(tmp_path):
    """A models folder whose bundle is stamped for another LM (its header's LM
    checksum changed; the body checksum does not cover the header)."""
    folder = tmp_path / "models"
    folder.mkdir()
    for name in ("en-us.ulm", "default.ulex"):
        (folder / name).symlink_to(os.path.join(MODELS, name))
    bundle = bytearray(open(os.path.join(MODELS, "fitted.ubundle"), "rb").read())
    bundle[32:36] = b"\x01\x02\x03\x04"
    (folder / "fitted.ubundle").write_bytes(bytes(bundle))
    return folder


@have_models
def test_mismatched_bundle_is_refused_or_flagged(tmp_path):
    folder = _mismatched_models(tmp_path)
    with pytest.raises(unspin.Error) as e:
        unspin.Engine(models=folder)
    assert e.value.code == "model_mismatch" and e.value.exit_code == 10
    assert "uncalibrated" in e.value.message
    engine = unspin.Engine(models=folder, uncalibrated=True)
    assert engine.check("The company said on Tuesday that prices had risen.")["calibrated"] is False
    # The default bundle's results carry no such field: absent means calibrated.
    assert "calibrated" not in unspin.Engine(models=MODELS).check("The company said on Tuesday.")
