#!/usr/bin/env python3
"""Runs the API examples of the docs against a live daemon, so they cannot
drift from what the code returns.

A runnable example is an HTML comment `<!-- doc-example -->` followed by a
```sh block (the commands, run by bash in a scratch folder, with the
daemon's API at 127.0.0.1:4048) and then a ```json block: the JSON values
the commands print, in order. Each printed value must contain the expected
one: objects may hold more keys (timings, ids), arrays must have the same
length, numbers agree to 1e-9 relative, everything else exactly. Every
```sh block that calls the vgpu API (127.0.0.1:4048/1/vgpu/) must be
marked, so no vgpu example escapes the test.

The daemon is `synthminerd --demo --config` with examples/demo.json, as the
README tells a user to start it, with the ports moved to free ones (the
commands' 127.0.0.1:4048 is rewritten to the port the daemon took).

usage: run_doc_examples.py SYNTHMINERD SOURCE_DIR DOC.md...
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from demo_daemon import start_daemon, stop_daemon

MARKER = "<!-- doc-example -->"
API = "127.0.0.1:4048"


def blocks(text):
    """(start line, language, body, marked) of each fenced block."""
    found = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        lang, start = m.group(1), i
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        k = start - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        marked = k >= 0 and lines[k].strip() == MARKER
        found.append((start + 1, lang, "\n".join(lines[i + 1 : j]), marked))
        i = j + 1
    return found


def examples(path):
    """(line, commands, expected JSON text) of each marked example in `path`."""
    with open(path, encoding="utf-8") as f:
        found = blocks(f.read())
    out = []
    for n, (line, lang, body, marked) in enumerate(found):
        calls_api = lang in ("sh", "bash") and API + "/1/vgpu/" in body
        if calls_api and not marked:
            sys.exit(f"{path}:{line}: an API example without {MARKER} (mark it, so it is tested)")
        if not marked:
            continue
        if lang not in ("sh", "bash"):
            sys.exit(f"{path}:{line}: {MARKER} must precede a ```sh block")
        if n + 1 >= len(found) or found[n + 1][1] != "json":
            sys.exit(f"{path}:{line}: a marked example must be followed by a ```json block")
        out.append((line, body, found[n + 1][2]))
    return out


def json_values(text):
    """The JSON values in `text`, one after the other (blank space between)."""
    decoder, values, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return values
        value, i = decoder.raw_decode(text, i)
        values.append(value)


def contains(actual, expected, where="$"):
    """None when `actual` contains `expected`, else where and why not."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected an object, got {json.dumps(actual)[:200]}"
        for key, value in expected.items():
            if key not in actual:
                return f"{where}: no key {key!r} (keys: {sorted(actual)})"
            why = contains(actual[key], value, f"{where}.{key}")
            if why:
                return why
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where}: expected {json.dumps(expected)[:200]}, got {json.dumps(actual)[:200]}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            why = contains(a, e, f"{where}[{i}]")
            if why:
                return why
        return None
    numeric = (int, float)
    if isinstance(expected, numeric) and not isinstance(expected, bool):
        if isinstance(actual, numeric) and not isinstance(actual, bool):
            if abs(actual - expected) <= 1e-9 * max(1.0, abs(expected)):
                return None
        return f"{where}: expected {expected!r}, got {json.dumps(actual)[:200]}"
    if actual != expected:
        return f"{where}: expected {json.dumps(expected)}, got {json.dumps(actual)[:200]}"
    return None


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    synthminerd, source_dir, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
    found = [(doc, line, body, expected) for doc in docs for line, body, expected in examples(doc)]
    for doc in docs:
        if not any(d == doc for d, *_ in found):
            sys.exit(f"{doc}: no {MARKER} examples found (the test expects some)")
    with tempfile.TemporaryDirectory() as work:
        daemon, port, log = start_daemon(synthminerd, source_dir, work)
        failures = 0
        try:
            for doc, line, body, expected_text in found:
                name = f"{os.path.relpath(doc, source_dir)}:{line}"
                script = body.replace(API, f"127.0.0.1:{port}")
                run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work,
                                     capture_output=True, text=True, timeout=120)
                why = None
                if run.returncode != 0:
                    why = f"exit {run.returncode}: {run.stderr[-2000:]}"
                else:
                    try:
                        got, want = json_values(run.stdout), json_values(expected_text)
                    except ValueError as e:
                        got, want, why = None, None, f"not JSON ({e}): {run.stdout[:2000]}"
                    if not why and len(got) != len(want):
                        why = f"printed {len(got)} JSON values, the doc shows {len(want)}"
                    for i, (g, w) in enumerate(zip(got or [], want or [])):
                        why = why or contains(g, w, f"value {i + 1}")
                print(("FAIL " if why else "ok   ") + name + (f": {why}" if why else ""))
                failures += bool(why)
        finally:
            stop_daemon(daemon)
        print(f"{len(found)} doc examples, {failures} failed")
        if failures:
            log.seek(0)
            print("daemon log (tail):\n" + log.read()[-3000:])
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
