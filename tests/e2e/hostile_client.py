#!/usr/bin/env python3
"""Hostile clients for `unspin serve` (issue 22), on loopback only.

    hostile_client.py PORT CASE [READ_TIMEOUT]

Each case is one row of issue 22's table; it prints what it observed and
exits 1 on the first expectation that fails. Raw sockets throughout, so
that the bytes on the wire are exactly the ones described.
"""
import json
import socket
import sys
import time
import urllib.parse

HOST = "127.0.0.1"


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def connect(port, timeout=10):
    s = socket.create_connection((HOST, port), timeout=timeout)
    return s


def read_answer(s, timeout=10):
    """Reads until the server closes, or a whole answer with Content-Length
    (or a chunked one's last chunk) has arrived. Returns (status, headers, body)."""
    s.settimeout(timeout)
    data = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            headers = head.decode("latin-1").lower()
            if "content-length:" in headers:
                n = int(headers.split("content-length:")[1].split("\r\n")[0])
                if len(body) >= n:
                    break
            elif "chunked" in headers and body.endswith(b"0\r\n\r\n"):
                break
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines or not lines[0].startswith("HTTP/1.1 "):
        return None, {}, data
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if headers.get("transfer-encoding") == "chunked":
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line, 16)
            if size == 0:
                break
            out += rest[:size]
            rest = rest[size + 2:]
        body = out
    return status, headers, body


def request(port, raw, timeout=10, half_close=False):
    s = connect(port, timeout)
    s.sendall(raw)
    if half_close:
        s.shutdown(socket.SHUT_WR)
    t0 = time.monotonic()
    answer = read_answer(s, timeout)
    took = time.monotonic() - t0
    s.close()
    return answer + (took,)


def post(path, body, ctype="application/json", extra=b""):
    return (b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: " + ctype.encode() +
            b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n" + extra + b"\r\n" + body)


def error_code(body):
    return json.loads(body)["error"]["code"]


def healthz(port, timeout=1.0):
    t0 = time.monotonic()
    try:
        status, _, _, _ = request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout)
    except OSError:
        status = None
    return status, time.monotonic() - t0


def nested(depth, inside=b""):
    return b"[" * depth + inside + b"]" * depth


def case_deep_json(port, _):
    deep = nested(100000)
    deep_obj = b'{"a":' * 70000 + b"1" + b"}" * 70000
    cases = [
        ("/v1/check id", post("/v1/check", b'{"text":"hi there","id":' + deep + b"}")),
        ("/v1/check url", post("/v1/check", b'{"text":"hi there","url":' + deep_obj + b"}")),
        ("/v1/restore id", post("/v1/restore", b'{"text":"hi there","id":' + deep + b"}")),
        ("/v1/check top level", post("/v1/check", deep)),
    ]
    for name, raw in cases:
        status, _, body, _ = request(port, raw)
        if status != 400 or error_code(body) != "malformed_json":
            fail(f"{name}: {status} {body[:200]!r}")
        print(f"{name}: 400 malformed_json: {json.loads(body)['error']['message'][:90]}")
        if healthz(port)[0] != 200:
            fail(f"the server is gone after {name}")
    data = b'{"annotation":[{"text":"hi there"},{"markup":"<b>","interpretAs":' + nested(100000) + b"}]}"
    form = b"language=en-US&data=" + urllib.parse.quote_from_bytes(data).encode()
    status, _, body, _ = request(port, post("/v2/check", form, "application/x-www-form-urlencoded"))
    if status != 400 or b"nested more than 512" not in body:
        fail(f"/v2/check data: {status} {body[:200]!r}")
    print(f"/v2/check data: 400 {body[:100]!r}")
    lines = (b'{"id":' + deep + b',"text":"The firm said hello."}\n' +
             json.dumps({"id": "ok", "text": "The firm said hello."}).encode() + b"\n")
    status, _, body, _ = request(port, post("/v1/batch", lines, "application/x-ndjson"))
    got = [json.loads(l) for l in body.decode().splitlines()]
    if status != 200 or len(got) != 2 or got[0]["error"]["code"] != "malformed_json" or "error" in got[1] \
            or got[1]["id"] != "ok":
        fail(f"/v1/batch: {status} {body[:300]!r}")
    print("/v1/batch: line 1 malformed_json, line 2 answered")
    if healthz(port)[0] != 200:
        fail("the server is gone")


def case_slow_clients(port, read_timeout):
    """300 clients send a request head one byte every 2 s (a per-read
    timeout of read_timeout never fires); a normal client's /healthz must
    be answered within 1 s throughout and each slow client dropped within
    read_timeout + 1 s of connecting."""
    head = b"POST /v1/check HTTP/1.1\r\nHost: x\r\nX-a: "
    slow = []
    for _ in range(300):
        s = socket.create_connection((HOST, port), timeout=5)
        s.setblocking(False)
        slow.append({"sock": s, "opened": time.monotonic(), "sent": 0, "dropped": None})
    worst, checks = 0.0, 0
    next_byte = time.monotonic()
    end = time.monotonic() + read_timeout + 2.5
    while time.monotonic() < end:
        now = time.monotonic()
        send_now = now >= next_byte
        if send_now:
            next_byte = now + 2.0
        for c in slow:
            if c["dropped"] is not None:
                continue
            try:
                if c["sock"].recv(1) == b"":
                    c["dropped"] = time.monotonic() - c["opened"]
                    continue
            except BlockingIOError:
                pass
            except OSError:
                c["dropped"] = time.monotonic() - c["opened"]
                continue
            if send_now:
                try:
                    c["sock"].send(head[c["sent"] % len(head):][:1])
                    c["sent"] += 1
                except BlockingIOError:
                    pass
                except OSError:
                    c["dropped"] = time.monotonic() - c["opened"]
        status, took = healthz(port, 2.0)
        checks += 1
        worst = max(worst, took)
        if status != 200 or took > 1.0:
            fail(f"/healthz with 300 slow clients: status {status} after {took:.2f} s")
        time.sleep(0.1)
    dropped = [c["dropped"] for c in slow if c["dropped"] is not None]
    print(f"/healthz answered {checks} times, slowest {worst * 1000:.0f} ms; "
          f"{len(dropped)}/300 slow clients dropped, after {min(dropped or [0]):.2f}..{max(dropped or [0]):.2f} s")
    if len(dropped) != 300:
        fail(f"{300 - len(dropped)} slow clients still open after {read_timeout + 2.5} s")
    if max(dropped) > read_timeout + 1.0 or min(dropped) < read_timeout - 0.5:
        fail(f"dropped after {min(dropped):.2f}..{max(dropped):.2f} s, not at --read-timeout {read_timeout}")
    for c in slow:
        c["sock"].close()


def case_batch_per_line(port, _):
    lines, bad = [], set()
    for i in range(1, 10001):
        if i % 7 == 0:
            lines.append(b'{"id":%d,"text":"caf\xe9 number %d."}' % (i, i))
            bad.add(i)
        else:
            lines.append(json.dumps({"id": i, "text": f"A short clean line, number {i}."}).encode())
    status, _, body, took = request(port, post("/v1/batch", b"\n".join(lines) + b"\n", "application/x-ndjson"),
                                     timeout=100)
    if status != 200:
        fail(f"/v1/batch: {status} {body[:200]!r}")
    got = [json.loads(l) for l in body.decode().splitlines()]
    if len(got) != 10000:
        fail(f"{len(got)} answers for 10000 lines")
    for i, o in enumerate(got, 1):
        # A line that is not UTF-8 is not parsed, so its id is not known.
        if o["line"] != i or o.get("id") != (None if i in bad else i):
            fail(f"answer {i}: {o}")
        if (i in bad) != ("error" in o) or (i in bad and o["error"]["code"] != "invalid_utf8"):
            fail(f"line {i}: {o}")
    print(f"/v1/batch: 10000 answers in {took:.1f} s, {len(bad)} invalid_utf8 error objects on exactly the bad lines")


def case_content_length(port, _):
    for extra in (b"", b"Expect: 100-continue\r\n"):
        s = connect(port)
        s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 2000000000\r\n" + extra + b"\r\n{\"text\":")
        t0 = time.monotonic()
        status, headers, body = read_answer(s, 5)
        took = time.monotonic() - t0
        s.close()
        if status != 413 or error_code(body) != "too_large" or took > 1.0:
            fail(f"Content-Length 2000000000 {extra!r}: {status} after {took:.2f} s: {body[:200]!r}")
        print(f"Content-Length: 2000000000 {extra.strip()!r}: 413 after {took * 1000:.0f} ms: "
              f"{json.loads(body)['error']['message']}")


def case_long_url(port, _):
    for path in ("/v2/check?language=en-US&text=", "/v1/check?x="):
        raw = b"GET " + path.encode() + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        status, _, body, took = request(port, raw)
        text = body.decode("utf-8", "replace")
        if status != 414 or "8192" not in text or "request line" not in text or "--max-body" in text:
            fail(f"100 KB URL {path}: {status} {text[:200]}")
        print(f"100 KB URL {path}: 414 after {took * 1000:.0f} ms: {text.strip()[:120]}")


def case_methods(port, _):
    for method, expected in (("FOO", 501), ("TRACE", 405), ("CONNECT", 405), ("PUT", 405)):
        target = "127.0.0.1:443" if method == "CONNECT" else "/v1/check"
        raw = f"{method} {target} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".encode()
        status, headers, body, took = request(port, raw, 5)
        if status != expected or took > 1.0:
            fail(f"{method}: {status} after {took:.2f} s: {body[:200]!r}")
        code = error_code(body)
        if expected == 405 and (code != "method_not_allowed" or headers.get("allow") != "GET, HEAD, POST"):
            fail(f"{method}: {headers} {body!r}")
        print(f"{method}: {status} {code} after {took * 1000:.0f} ms")


def case_half_close(port, _):
    body = json.dumps({"text": "The firm's chief govt instructed reporters on Tuesday."}).encode()
    status, _, answer, took = request(port, post("/v1/check", body), 20, half_close=True)
    if status != 200 or "verdict" not in json.loads(answer):
        fail(f"half-closed client: {status} {answer[:200]!r}")
    print(f"half-closed client (shutdown(SHUT_WR) after sending): 200 with the result after {took * 1000:.0f} ms")


if __name__ == "__main__":
    port, case = int(sys.argv[1]), sys.argv[2]
    read_timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 10
    globals()["case_" + case](port, read_timeout)
