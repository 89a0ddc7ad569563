"""The demo daemon for the tests that drive its API: started as the README
tells a user to (synthminerd --demo --config examples/demo.json), with its
ports moved to free ones."""
import json
import os
import re
import subprocess
import sys
import time


def start_daemon(synthminerd, source_dir, work):
    with open(os.path.join(source_dir, "examples", "demo.json"), encoding="utf-8") as f:
        config = json.load(f)
    config["api"]["listen"] = "127.0.0.1:0"
    config["metrics"]["listen"] = "127.0.0.1:0"
    config_path = os.path.join(work, "demo.json")
    with open(config_path, "w", encoding="utf-8") as f:
        json.dump(config, f)
    log = open(os.path.join(work, "daemon.log"), "w+", encoding="utf-8")
    daemon = subprocess.Popen(
        [synthminerd, "--demo", "--config", config_path, "--jobs", "1", "--duration", "600",
         "--threads", "1"],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        log.seek(0)
        m = re.search(r"api: listening on 127\.0\.0\.1:(\d+)", log.read())
        if m:
            return daemon, int(m.group(1)), log
        if daemon.poll() is not None:
            break
        time.sleep(0.1)
    log.seek(0)
    daemon.kill()
    sys.exit("the daemon did not start its API:\n" + log.read()[-4000:])


def stop_daemon(daemon):
    daemon.terminate()
    try:
        daemon.wait(20)
    except subprocess.TimeoutExpired:
        daemon.kill()
