#!/usr/bin/env python3
"""kill -9 at random moments, many times over: after every restart the store opens without
repair and holds every scheduled collection taken before the last WAL flush interval
(collections every 1 s, fsync every 1 s)."""
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = sys.argv[1]
ROUNDS = int(os.environ.get("KILL9_ROUNDS", "6"))
results = {"passed": 0, "failed": 0}
random.seed(20261129)


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, agent, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if agent.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def stored_timestamps(data):
    out = subprocess.run([BIN, "export", "--data-dir", data, "--match", "scalewatch_build_info"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return sorted(float(line.split()[-1]) for line in out.stdout.splitlines() if line.startswith("scalewatch_build_info"))


with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "data")
    config = os.path.join(tmp, "agent.yml")
    runs = []
    for round_number in range(ROUNDS):
        port = free_port()
        with open(config, "w") as f:
            f.write(f'listen_address: "127.0.0.1:{port}"\ndata_dir: {data}\ncollection_interval: 1s\n'
                    "storage:\n  wal_flush_interval: 1s\n")
        log = open(os.path.join(tmp, f"agent-{round_number}.log"), "w")
        started = time.time()
        agent = subprocess.Popen([BIN, "agent", "--config", config], stderr=log)
        ready = wait_ready(port, agent)
        check(f"round {round_number}: the store opens without repair and the agent is ready", ready,
              open(log.name).read()[-400:])
        if not ready:
            agent.kill()
            agent.wait()
            break
        time.sleep(random.uniform(4.0, 6.5))
        killed = time.time()
        agent.send_signal(signal.SIGKILL)
        agent.wait()
        runs.append((started, killed))

    stamps = stored_timestamps(data)
    for number, (started, killed) in enumerate(runs):
        # Collections of this run that are older than the flush interval (1 s) plus one
        # collection interval of slack must all be there: no gap longer than 1.5 s.
        window = [t for t in stamps if started <= t <= killed - 2.0]
        # The first collection comes at start-up (well under 0.6 s here), then one a second.
        expected = max(1, int(killed - 2.0 - started - 0.6))
        gaps = [b - a for a, b in zip(window, window[1:])]
        check(f"run {number}: collections up to 2 s before kill -9 are stored "
              f"({len(window)} found, at least {expected} expected, largest gap {max(gaps, default=0):.2f} s)",
              len(window) >= expected and all(g < 1.5 for g in gaps), window)
    check("no sample is stored twice", len(stamps) == len(set(stamps)))

print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
