"""The three front ends answer alike: `unspin check --jsonl`, the service's
/v1/check and the Python Engine are adapters of one library engine
(include/unspin/engine.h), so on the same inputs they return the same result
objects (docs/SCHEMA.md §2), provenance included. Run by ctest as python.api.
"""

import json
import os
import pathlib
import re
import subprocess
import urllib.request

import pytest

import unspin

MODELS = os.environ.get("UNSPIN_MODELS", "")
CLI = os.environ.get("UNSPIN_CLI", "")
SOURCE = pathlib.Path(os.environ.get("UNSPIN_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))

pytestmark = pytest.mark.skipif(not (pathlib.Path(MODELS) / "en-us.ulm").is_file() or not CLI,
                                reason="no compiled models or CLI (run ./setup.sh)")

# Members a front end adds around the result object: the JSON-lines answer's
# line number and echoed id.
ENVELOPE = ("line", "id", "url")


def inputs():
    """The end-to-end tests' inputs: the bundled examples, a text with non-ASCII
    before its edits, a short one and a long one of several paragraphs."""
    examples = SOURCE / "examples"
    out = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt")) if p.name != "spinner-table.txt"]
    spun = (examples / "spun-news.txt").read_text(encoding="utf-8")
    out.append("Café naïve 😀 résumé. " + spun)
    out.append("A few words only.")
    out.append("\n\n".join([spun, (examples / "clean-news.txt").read_text(encoding="utf-8"), spun]))
    return out


def strip(result):
    return {k: v for k, v in result.items() if k not in ENVELOPE}


@pytest.fixture(scope="module")
def service():
    proc = subprocess.Popen([CLI, "serve", "--models", MODELS, "--port", "0", "--quiet", "--threads", "2"],
                            stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for line in proc.stderr:
            m = re.search(r"listening on http://[^:]+:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        assert port, "unspin serve did not say where it listens"
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def v1_check(base, text):
    req = urllib.request.Request(base + "/v1/check", data=json.dumps({"text": text}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.loads(r.read())


def jsonl_check(texts, tmp_path):
    stream = tmp_path / "in.jsonl"
    stream.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)),
                      encoding="utf-8")
    r = subprocess.run([CLI, "check", "--jsonl", "--models", MODELS, str(stream)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def test_the_service_python_and_check_jsonl_return_the_same_result_objects(service, tmp_path):
    texts = inputs()
    engine = unspin.Engine(models=MODELS)
    from_cli = jsonl_check(texts, tmp_path)
    assert len(from_cli) == len(texts)
    for i, text in enumerate(texts):
        cli = strip(from_cli[i])
        served = strip(v1_check(service, text))
        python = strip(engine.check(text))
        assert cli["verdict"] in ("clean", "spun", "too short", "not English")
        assert served == cli, f"input {i}: /v1/check differs from check --jsonl"
        assert python == cli, f"input {i}: the Python Engine differs from check --jsonl"
