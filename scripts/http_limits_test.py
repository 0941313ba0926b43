#!/usr/bin/env python3
"""The HTTP layer's limits against the built agent: a client trickling a request (slowloris) is
cut after the read timeout while an idle keep-alive connection stays; 2,000 idle connections
against web.max_connections: 100 leave /metrics fast, the collections without a hole, the log
with one warning (not one line per connection) and RSS bounded; with a low file descriptor limit
HTTP takes at most the limit less the reserve. Usage: http_limits_test.py BINARY"""
import os
import resource
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BIN = os.path.realpath(sys.argv[1])
READ_TIMEOUT = 15      # HTTPLayer.readTimeout
IDLE_CONNECTIONS = 2000
LIMIT = 100


def start(procs, directory, web="", rlimit=None):
    port = testlib.free_port()
    data = os.path.join(directory, "data")
    config = os.path.join(directory, "agent.yml")
    with open(config, "w") as f:
        f.write(f'listen_address: "127.0.0.1:{port}"\ndata_dir: "{data}"\ncollection_interval: 1s\n'
                f"scrape_max_age: 0s\n{web}")
    env = None
    if rlimit:
        # Through prlimit(1) rather than preexec_fn, which is unsafe with threads.
        cmd = ["prlimit", f"--nofile={rlimit}:{rlimit}", BIN, "agent", "--config", config]
    else:
        cmd = [BIN, "agent", "--config", config]
    agent = procs.start("scalewatch", cmd, os.path.join(directory, "agent.log"), env=env)
    testlib.wait_http(f"http://127.0.0.1:{port}/metrics", agent)
    return agent, port, data, os.path.join(directory, "agent.log")


def metric(text, name, labels=""):
    for line in text.splitlines():
        if line.startswith(name + labels + " ") or (not labels and line.startswith(name + " ")):
            return float(line.split()[-1])
    return None


def scrape(port, timeout=10):
    started = time.monotonic()
    status, _, body = testlib.http_get(f"http://127.0.0.1:{port}/metrics", timeout=timeout)
    return status, time.monotonic() - started, body.decode()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def closed_by_peer(sock, within):
    """Seconds until the agent closed `sock` (recv returns b"" or an error), or None."""
    started = time.monotonic()
    sock.settimeout(0.5)
    while time.monotonic() - started < within:
        if testlib.peer_closed(sock, 4096):
            return time.monotonic() - started
    return None


def slowloris(r, port):
    """One byte of a request head every 2 s: cut after the read timeout. A connection that sends
    nothing is idle, not slow: it outlives the read timeout and then serves a request."""
    idle = socket.create_connection(("127.0.0.1", port))
    slow = socket.create_connection(("127.0.0.1", port))
    head = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
    cut_after = testlib.trickle(slow, head, every=2, poll=0.1, give_up=READ_TIMEOUT + 15)
    r.check(f"a request head trickled a byte every 2 s is cut after the read timeout ({READ_TIMEOUT} s)",
            cut_after is not None and READ_TIMEOUT - 1 <= cut_after <= READ_TIMEOUT + 5, f"cut after {cut_after}")
    idle.sendall(b"GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n")
    idle.settimeout(5)
    try:
        answer = idle.recv(4096)
    except OSError as e:
        answer = repr(e).encode()
    r.check("an idle connection outlives the read timeout and then serves a request",
            answer.startswith(b"HTTP/1.1 200"), answer[:100])
    idle.close()
    slow.close()


def flood(r, procs, agent, port, data, log_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = IDLE_CONNECTIONS + 200
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    baseline_rss = rss_kib(agent.pid)
    with open(log_path) as f:
        log_lines_before = len(f.readlines())
    flood_started = time.time()
    sockets, refused = [], 0
    for _ in range(IDLE_CONNECTIONS):
        try:
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            refused += 1
    r.info(f"{len(sockets)} idle connections opened, {refused} failed to connect")
    latencies, statuses, body = [], [], ""
    for _ in range(5):
        status, seconds, body = scrape(port)
        statuses.append(status)
        latencies.append(seconds)
        time.sleep(0.5)
    r.info("/metrics latencies during the flood: " + ", ".join(f"{s * 1000:.0f} ms" for s in latencies))
    r.check(f"/metrics answers 200 within 1 s with {IDLE_CONNECTIONS} idle connections against a limit of {LIMIT}",
            statuses == [200] * 5 and max(latencies) < 1, (statuses, latencies))
    open_now = metric(body, "scalewatch_http_connections")
    r.check(f"the agent holds at most {LIMIT} connections", open_now is not None and open_now <= LIMIT, open_now)
    evicted = metric(body, "scalewatch_http_connections_closed_total", '{reason="evicted"}') or 0
    r.check("the excess is counted (scalewatch_http_connections_closed_total{reason=\"evicted\"})",
            evicted >= IDLE_CONNECTIONS - LIMIT, evicted)
    failing = [line for line in body.splitlines()
               if line.startswith("scalewatch_collector_success") and line.endswith(" 0")]
    r.check("every collector succeeds during the flood", not failing, failing[:5])
    rss_during = rss_kib(agent.pid)
    for s in sockets:
        s.close()
    time.sleep(2)
    rss_after = rss_kib(agent.pid)
    r.info(f"RSS: {baseline_rss} KiB before, {rss_during} KiB during, {rss_after} KiB after the flood")
    r.check("RSS stays bounded (less than 64 MiB above the baseline)", rss_during - baseline_rss < 64 << 10,
            (baseline_rss, rss_during, rss_after))
    with open(log_path) as f:
        new_lines = f.readlines()[log_lines_before:]
    warnings = [line for line in new_lines if "connection limit reached" in line]
    r.check("the limit is logged once, nothing per connection",
            len(warnings) == 1 and len(new_lines) < 10, "".join(new_lines[:10]))
    flood_ended = time.time()
    time.sleep(2)
    code = procs.stop(agent)
    r.check("the agent stops with 0 after the flood", code == 0, code)
    out = subprocess.run([BIN, "export", "--data-dir", data, "--match", "scalewatch_build_info"],
                         capture_output=True, text=True, timeout=60)
    stamps = sorted(float(line.split()[-1]) / (1000 if float(line.split()[-1]) > 1e11 else 1)
                    for line in out.stdout.splitlines() if line.startswith("scalewatch_build_info"))
    window = [t for t in stamps if flood_started - 2 <= t <= flood_ended + 1]
    gaps = [b - a for a, b in zip(window, window[1:])]
    r.check("the collections every second have no hole during the flood",
            len(window) >= 3 and max(gaps, default=99) < 2.5, (len(window), max(gaps, default=None)))


def reserve(r, procs):
    """Under a soft and hard limit of 400 descriptors, max_connections: 1000 is lowered to 400 less
    the reserve (half the limit here: 200)."""
    directory = procs.tempdir()
    agent, port, _, log_path = start(procs, directory, web="web:\n  max_connections: 1000\n", rlimit=400)
    _, _, body = scrape(port)
    limit = metric(body, "scalewatch_http_connections_limit")
    r.check("with 400 file descriptors, HTTP may hold 200 connections", limit == 200, limit)
    with open(log_path) as f:
        text = f.read()
    r.check("lowering max_connections is logged", "web.max_connections lowered" in text, text[-500:])
    procs.stop(agent)


def main():
    r = testlib.Results()
    procs = testlib.Processes()
    try:
        directory = procs.tempdir()
        agent, port, data, log_path = start(procs, directory, web=f"web:\n  max_connections: {LIMIT}\n")
        slowloris(r, port)
        flood(r, procs, agent, port, data, log_path)
        reserve(r, procs)
    except Exception as e:  # a broken setup is a failure, not a traceback without a verdict
        r.fail("setup", repr(e))
    finally:
        procs.close()
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
