#!/usr/bin/env python3
"""Runs examples/vgpu_client.py against a live demo daemon: the client's own
checks (every answer against numpy) decide; its output is shown.

usage: run_vgpu_client.py SYNTHMINERD SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

from demo_daemon import start_daemon, stop_daemon


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    synthminerd, source_dir = sys.argv[1], sys.argv[2]
    for module in ("numpy", "requests"):
        try:
            __import__(module)
        except ImportError:
            print(f"SKIPPED: python3-{module} is not installed (scripts/setup installs it)")
            return 77
    with tempfile.TemporaryDirectory() as work:
        daemon, port, log = start_daemon(synthminerd, source_dir, work)
        try:
            run = subprocess.run(
                [sys.executable, os.path.join(source_dir, "examples", "vgpu_client.py"),
                 "--url", f"http://127.0.0.1:{port}"],
                capture_output=True, text=True, timeout=240)
        finally:
            stop_daemon(daemon)
        print(run.stdout + run.stderr)
        if run.returncode != 0:
            log.seek(0)
            print("daemon log (tail):\n" + log.read()[-3000:])
        return run.returncode


if __name__ == "__main__":
    sys.exit(main())
