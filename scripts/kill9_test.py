#!/usr/bin/env python3
"""kill -9 at random moments, many times over: after every restart the store opens without
repair and holds every scheduled collection taken before the last WAL flush interval
(collections every 1 s, fsync every 1 s). Meanwhile the agent follows a PostgreSQL log file
that grows all along and is scraped often, so that it saves its log positions (an AtomicFile)
at random moments too: after every kill the positions file is whole, and the agent resumes
from it without complaint."""
import glob
import threading
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BIN = sys.argv[1]
ROUNDS = int(os.environ.get("KILL9_ROUNDS", "6"))
results = testlib.Results()
random.seed(20261129)


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


POSITIONS_HEADER = "scalewatch-log-positions 1"


def positions_problem(data):
    """None if every positions file is whole (a header, then KEY<TAB>VALUE lines), else what is wrong."""
    files = glob.glob(os.path.join(data, "logs", "*.positions"))
    if not files:
        return "no positions file was written"
    for path in files:
        with open(path) as f:
            lines = f.read().split("\n")
        if lines[-1] == "":
            lines.pop()
        if not lines or lines[0] != POSITIONS_HEADER:
            return f"{path}: first line {lines[:1]}"
        bad = [line for line in lines[1:] if "\t" not in line]
        if bad:
            return f"{path}: lines without a tab: {bad[:3]}"
    return None


def grow(path, stop):
    """Appends PostgreSQL log lines, some of them errors the collector counts, until stopped."""
    n = 0
    while not stop.is_set():
        with open(path, "a") as f:
            for _ in range(20):
                n += 1
                kind = "FATAL:  sorry, too many clients already" if n % 7 == 0 else "LOG:  statement: SELECT 1"
                f.write(f"2026-12-06 10:00:00.000 UTC [{n}] {kind}\n")
        time.sleep(0.01)


def scrape_often(port, stop):
    while not stop.is_set():
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1).read()
        except OSError:
            pass
        time.sleep(0.05)


with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "data")
    config = os.path.join(tmp, "agent.yml")
    postgres_log = os.path.join(tmp, "postgresql-15-main.log")
    open(postgres_log, "w").close()
    growing = threading.Event()
    threading.Thread(target=grow, args=(postgres_log, growing), daemon=True).start()
    runs = []
    for round_number in range(ROUNDS):
        port = testlib.free_port()
        with open(config, "w") as f:
            f.write(f'listen_address: "127.0.0.1:{port}"\ndata_dir: {data}\ncollection_interval: 1s\n'
                    "storage:\n  wal_flush_interval: 1s\n"
                    f"collectors:\n  postgres_logs:\n    files: ['{postgres_log}']\n")
        log = open(os.path.join(tmp, f"agent-{round_number}.log"), "w")
        started = time.time()
        agent = subprocess.Popen([BIN, "agent", "--config", config], stderr=log)
        ready = wait_ready(port, agent)
        results.check(f"round {round_number}: the store opens without repair and the agent is ready", ready,
                      open(log.name).read()[-400:])
        if not ready:
            agent.kill()
            agent.wait()
            break
        scraping = threading.Event()
        scraper = threading.Thread(target=scrape_often, args=(port, scraping), daemon=True)
        scraper.start()
        time.sleep(random.uniform(4.0, 6.5))
        killed = time.time()
        agent.send_signal(signal.SIGKILL)
        agent.wait()
        scraping.set()
        scraper.join()
        runs.append((started, killed))
        problem = positions_problem(data)
        results.check(f"round {round_number}: the log positions file is whole after kill -9", problem is None, problem)
        if round_number > 0:
            complaints = [line for line in open(log.name) if "position" in line.lower()
                          and ("corrupt" in line.lower() or "error" in line.lower() or "expected" in line.lower())]
            results.check(f"round {round_number}: the agent resumed from the saved positions without complaint",
                          not complaints, complaints[:3])
    growing.set()

    stamps = stored_timestamps(data)
    for number, (started, killed) in enumerate(runs):
        # Collections of this run that are older than the flush interval (1 s) plus one
        # collection interval of slack must all be there: no gap longer than 1.5 s.
        window = [t for t in stamps if started <= t <= killed - 2.0]
        # The first collection comes at start-up (well under 0.6 s here), then one a second.
        expected = max(1, int(killed - 2.0 - started - 0.6))
        gaps = [b - a for a, b in zip(window, window[1:])]
        results.check(f"run {number}: collections up to 2 s before kill -9 are stored "
                      f"({len(window)} found, at least {expected} expected, largest gap {max(gaps, default=0):.2f} s)",
                      len(window) >= expected and all(g < 1.5 for g in gaps), window)
    results.check("no sample is stored twice", len(stamps) == len(set(stamps)))

sys.exit(results.finish())
