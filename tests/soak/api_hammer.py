#!/usr/bin/env python3
"""Hostile API traffic for scripts/soak, until SIGTERM.

    api_hammer.py PORT            (the good token is read from SOAK_API_TOKEN)

About 8 requests a second from 127.0.0.1 (under the daemon's default limit
of 20 a second, so most reach the handlers; every 30 s a burst of 60 meets
the limit), each kind once first, then at random: bad tokens, bad and
oversized bodies, JSON nested 100,000 deep, vgpu submits with bad payloads,
malformed requests, and a GET /1/summary now and then that must answer 200.
Beside it, up to 3 connections at a time that send nothing, or half a
header, and are held for 15 s. Never sends a good token with a request that
would change the miner's state (pause, switch).

At exit prints one JSON line: requests by answer (HTTP status, or "closed"
when the daemon hung up without one, "error" for a socket error), in all and
by attack, summaries that answered 200, and idle connections the daemon
dropped.
"""
import json
import os
import random
import signal
import socket
import sys
import threading
import time

HOST = "127.0.0.1"
stop = threading.Event()


def request(port, method, path, body=b"", headers=None, raw=None, timeout=10):
    """Sends one request; returns the status as a string, "closed" or "error"."""
    if raw is None:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
            lines.append("Content-Type: application/json")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            try:
                s.sendall(raw)
            except OSError:
                pass  # the daemon may answer (413) and close before reading it all
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        if not data:
            return "closed"
        parts = data.split(b" ", 2)
        return parts[1].decode() if len(parts) > 1 else "garbled"
    except OSError:
        return "error"


def attacks(token):
    """(name, method, path, body, headers) of every hostile request."""
    good = {"Authorization": f"Bearer {token}"}
    deep = b"[" * 100000 + b"]" * 100000
    deep_obj = b'{"pool":' + b"[" * 30000 + b"]" * 30000 + b"}"
    vgpu_bad = [
        {"kind": "fft", "signature": "x", "payload": {}},
        {"kind": "linalg", "signature": "x", "payload": {"operation": "matmul",
                                                       "matrix": [[1, 2], [3]], "vector": [1, 2]}},
        {"kind": "linalg", "signature": "x", "payload": {"operation": "matmul",
                                                       "matrix": [[1, "NaN"]], "vector": [1, 2]}},
        {"kind": "linalg", "signature": "x", "payload": {"operation": "solve",
                                                       "matrix": [[0, 0], [0, 0]], "vector": [1, 1]}},
        {"kind": "linalg", "signature": "x", "payload": {"operation": "svd",
                                                       "matrix": [[1, 2, 3]] * 3000}},
        {"kind": "quantum", "signature": "x", "payload": {"qubits": 64, "gates": []}},
        {"kind": "generic", "signature": "x", "payload": {"operation": "histogram",
                                                        "values": [1, 2], "bins": -5}},
        {"kind": "hashing", "signature": "x", "payload": {"data": "zz-not-hex"}},
        {"kind": "linalg", "payload": "not an object"},
        {"kind": 7, "signature": "x", "payload": {}},
        {"kind": "linalg", "signature": "x", "payload": {}, "extra": 1},
        # issue 13 item 1: a 4100x1 by 1x4100 product (16.8 M numbers, just
        # over the limit; 134 MB of result), refused from the shapes with 413
        {"kind": "linalg", "signature": "x", "payload": {"operation": "matmul",
                                                       "matrix": [[1.5]] * 4100,
                                                       "other": [[2.5] * 4100]}},
    ]
    out = [
        ("no_token_pause", "POST", "/1/pause", b"", {}),
        ("bad_token_pause", "POST", "/1/pause", b"", {"Authorization": "Bearer wrong-token-0123456789"}),
        ("basic_auth", "POST", "/1/resume", b"", {"Authorization": "Basic dXNlcjpwYXNz"}),
        ("bad_token_switch", "POST", "/1/pools/switch", b'{"pool":0}',
         {"Authorization": "Bearer " + "A" * 300}),
        ("switch_bad_pool", "POST", "/1/pools/switch", b'{"pool": 99}', good),
        ("switch_bad_name", "POST", "/1/pools/switch", b'{"pool": "nowhere"}', good),
        ("switch_not_json", "POST", "/1/pools/switch", b"{pool: ", good),
        ("switch_nested", "POST", "/1/pools/switch", deep_obj, good),
        ("switch_oversized", "POST", "/1/pools/switch", b'{"pool":"' + b"a" * 70000 + b'"}', good),
        ("vgpu_nested", "POST", "/1/vgpu/submit", deep, good),
        ("vgpu_not_json", "POST", "/1/vgpu/submit", b"\x00\xff garbage", good),
        ("unknown_path", "GET", "/1/nothing-here", b"", {}),
        ("wrong_method", "DELETE", "/1/summary", b"", {}),
        ("huge_header", "GET", "/1/summary", b"", {"X-Pad": "p" * 20000}),
    ]
    for i, body in enumerate(vgpu_bad):
        out.append((f"vgpu_bad_{i}", "POST", "/1/vgpu/submit", json.dumps(body).encode(), good))
    return out


def hammer(port, token, counts, lock, rng):
    table = attacks(token)
    oversized = b'{"kind":"linalg","signature":"x","payload":{"v":"' + b"b" * (9 << 20) + b'"}}'
    garbage = [b"GARBAGE\r\n\r\n", bytes(rng.randrange(256) for _ in range(512)),
               b"GET /1/summary HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
               b"POST /1/pause HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzzzz\r\n"]
    # First every attack once, in order, so the daemon's one-time allocations
    # (buffers sized by the largest body so far) come before the soak's RSS
    # baseline and a leak is what grows after it.
    warm_up = [(name, method, path, body, headers, None) for name, method, path, body, headers in table]
    warm_up.append(("vgpu_oversized", "POST", "/1/vgpu/submit", oversized,
                    {"Authorization": f"Bearer {token}"}, None))
    warm_up += [("garbage_request", None, None, b"", None, raw) for raw in garbage]
    n = 0
    while not stop.is_set():
        n += 1
        if warm_up:
            name, method, path, body, headers, raw = warm_up.pop(0)
            answers = [request(port, method, path, body, headers, raw=raw)]
            if not warm_up and os.environ.get("SOAK_WARM_FILE"):
                open(os.environ["SOAK_WARM_FILE"], "w").close()  # the soak's clock may start
        elif n % 240 == 0:  # every ~30 s: a burst past the rate limit
            name = "burst"
            answers = [request(port, "GET", "/1/summary") for _ in range(60)]
        elif n % 120 == 60:  # every ~15 s: a body over the 8 MiB vgpu limit
            name = "vgpu_oversized"
            answers = [request(port, "POST", "/1/vgpu/submit", oversized,
                               {"Authorization": f"Bearer {token}"})]
        elif n % 16 == 0:
            name = "summary"
            answers = [request(port, "GET", "/1/summary")]
        elif n % 16 == 8:
            name = "garbage_request"
            answers = [request(port, None, None, raw=rng.choice(garbage))]
        else:
            name, method, path, body, headers = rng.choice(table)
            answers = [request(port, method, path, body, headers)]
        with lock:
            mine = counts["by_attack"].setdefault(name, {})
            for a in answers:
                counts["answers"][a] = counts["answers"].get(a, 0) + 1
                mine[a] = mine.get(a, 0) + 1
                counts["requests"] += 1
                if a.startswith("5") and a != "503":
                    counts["server_errors"].append(name + ":" + a)
            if name == "summary" and answers == ["200"]:
                counts["summary_ok"] += 1
        stop.wait(0.125)


def idle(port, counts, lock, slot):
    """Holds one silent (or half-header) connection for 15 s at a time."""
    while not stop.is_set():
        try:
            s = socket.create_connection((HOST, port), timeout=5)
        except OSError:
            stop.wait(1)
            continue
        if slot == 2:
            s.sendall(b"GET /1/summary HTTP/1.1\r\nHost: x\r\n")  # never finished
        s.settimeout(1)
        dropped = False
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not stop.is_set():
            try:
                if s.recv(4096) == b"":
                    dropped = True
                    break
            except socket.timeout:
                continue
            except OSError:
                dropped = True
                break
        s.close()
        with lock:
            counts["idle_held"] += 1
            counts["idle_dropped_by_daemon"] += dropped


def main():
    port = int(sys.argv[1])
    token = os.environ["SOAK_API_TOKEN"]
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    counts = {"requests": 0, "answers": {}, "by_attack": {}, "server_errors": [], "summary_ok": 0,
              "idle_held": 0, "idle_dropped_by_daemon": 0}
    lock = threading.Lock()
    threads = [threading.Thread(target=hammer, args=(port, token, counts, lock, random.Random(13)))]
    threads += [threading.Thread(target=idle, args=(port, counts, lock, i)) for i in range(3)]
    for t in threads:
        t.start()
    while not stop.is_set():
        stop.wait(0.5)
    for t in threads:
        t.join()
    counts["server_errors"] = counts["server_errors"][:20]
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    main()
