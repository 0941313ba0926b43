#!/usr/bin/env python3
"""The daemon's lifecycle against a stand-in for systemd: READY=1 after the first collection,
WATCHDOG=1 pings when WATCHDOG_USEC is set, RELOADING=1 + READY=1 around a SIGHUP reload, a bad
config on reload keeps the old one running, a good one (new port) is applied, STOPPING=1 and
exit 0 on SIGTERM, promptly also with a keep-alive connection open. The lifecycle endpoints:
403 by default; with --web.enable-lifecycle, POST /-/reload reloads (500 with the reason for a
bad config) and POST /-/quit stops the agent."""
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BIN = sys.argv[1]
results = testlib.Results()


def get(port, path="/metrics"):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        return r.status, r.read().decode()


def request(port, method, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def wait_for(notify, wanted, timeout):
    """Collects datagrams until one contains `wanted`; returns all seen."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        notify.settimeout(max(0.05, deadline - time.time()))
        try:
            message = notify.recv(4096).decode()
        except socket.timeout:
            break
        seen.append(message)
        if wanted in message:
            return True, seen
    return False, seen


def write_config(path, port, data, extra=""):
    with open(path, "w") as f:
        f.write(f'listen_address: "127.0.0.1:{port}"\ndata_dir: {data}\ncollection_interval: 1s\n{extra}')


@contextlib.contextmanager
def running_agent(flags=(), env=None):
    """The agent on a free port, its config, data and log in a temporary directory, and a
    stand-in for systemd's notify socket; killed at the end if it is still running."""
    with tempfile.TemporaryDirectory() as tmp:
        notify_path = os.path.join(tmp, "notify.sock")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        port = testlib.free_port()
        config = os.path.join(tmp, "agent.yml")
        data = os.path.join(tmp, "data")
        write_config(config, port, data)
        log = open(os.path.join(tmp, "agent.log"), "w+")
        agent = subprocess.Popen([BIN, "agent", "--config", config, *flags], stderr=log,
                                 env=dict(os.environ, NOTIFY_SOCKET=notify_path, **(env or {})))
        try:
            yield agent, notify, port, config, data, log
        finally:
            if agent.poll() is None:
                agent.kill()
                agent.wait()
            notify.close()


with running_agent(env={"WATCHDOG_USEC": "1000000"}) as (agent, notify, port, config, data, log):
    ok, seen = wait_for(notify, "READY=1", 20)
    results.check("READY=1 is sent once serving", ok, seen)
    status, body = get(port)
    results.check("/metrics serves host metrics", status == 200 and "node_load1" in body, body[:200])
    results.check("data directory was created", os.path.isdir(data))
    ok, seen = wait_for(notify, "WATCHDOG=1", 3)
    results.check("WATCHDOG=1 pings with WATCHDOG_USEC set", ok, seen)

    with open(config, "w") as f:
        f.write("listen_address: 127.0.0.1:1\nbogus_key: 1\n")
    agent.send_signal(signal.SIGHUP)
    ok, seen = wait_for(notify, "RELOADING=1", 5)
    results.check("RELOADING=1 on SIGHUP", ok, seen)
    ok, seen = wait_for(notify, "READY=1", 5)
    results.check("READY=1 after the reload", ok, seen)
    time.sleep(1.5)  # let a collection pick up the reload status
    status, body = get(port)
    results.check("a bad config on reload keeps the old one serving", status == 200)
    results.check("scalewatch_config_last_reload_successful is 0 after a failed reload",
                  "scalewatch_config_last_reload_successful 0" in body)
    log.flush()
    log.seek(0)
    logged = log.read()
    results.check("the failed reload is logged with file:line:column",
                  "config reload failed" in logged and f"{config}:2:1: unknown key \"bogus_key\"" in logged, logged[-500:])

    new_port = testlib.free_port()
    write_config(config, new_port, data)
    agent.send_signal(signal.SIGHUP)
    ok, seen = wait_for(notify, "READY=1", 5)
    time.sleep(1.5)
    try:
        status, body = get(new_port)
        moved = status == 200 and "scalewatch_config_last_reload_successful 1" in body
    except OSError as error:
        moved, body = False, str(error)
    results.check("a good config on reload is applied (new listen address)", moved, body[:300])
    try:
        get(port)
        closed = False
    except OSError:
        closed = True
    results.check("the old listen address is closed", closed)

    status, body = request(new_port, "POST", "/-/reload")
    results.check("POST /-/reload is 403 unless the lifecycle API is enabled",
                  status == 403 and body == "Lifecycle API is not enabled.\n", (status, body))

    # A scraper's keep-alive connection, idle when SIGTERM comes: the agent does not wait for it.
    keep_alive = http.client.HTTPConnection("127.0.0.1", new_port, timeout=5)
    keep_alive.request("GET", "/metrics")
    keep_alive.getresponse().read()
    agent.send_signal(signal.SIGTERM)
    stop_asked = time.time()
    ok, seen = wait_for(notify, "STOPPING=1", 5)
    results.check("STOPPING=1 on SIGTERM", ok, seen)
    code = agent.wait(timeout=10)
    results.check("exits 0 after SIGTERM", code == 0, code)
    results.check("stops within 3 s with a keep-alive connection open", time.time() - stop_asked < 3,
                  f"{time.time() - stop_asked:.1f} s")
    keep_alive.close()

    # Scheduled collections went into the store; it reopens read-only after the stop.
    exported = subprocess.run([BIN, "export", "--data-dir", data, "--match", "node_load1"],
                              capture_output=True, text=True, timeout=30)
    points = [line for line in exported.stdout.splitlines() if line.startswith("node_load1")]
    results.check("the agent stored its scheduled collections (export shows node_load1 samples)",
                  exported.returncode == 0 and len(points) >= 3, exported.stderr or exported.stdout[:300])
    stats = subprocess.run([BIN, "tsdb", "stats", "--data-dir", data], capture_output=True, text=True, timeout=30)
    results.check("tsdb stats reads the agent's store", stats.returncode == 0 and "series" in stats.stdout, stats)

# The lifecycle endpoints, turned on by the flag.
with running_agent(flags=["--web.enable-lifecycle"]) as (agent, notify, port, config, data, _):
    ok, seen = wait_for(notify, "READY=1", 20)
    results.check("READY=1 with --web.enable-lifecycle", ok, seen)
    write_config(config, port, data, "scrape_max_age: 0s\n")
    status, body = request(port, "POST", "/-/reload")
    results.check("POST /-/reload applies a good config", status == 200, (status, body))
    ok, seen = wait_for(notify, "READY=1", 5)
    results.check("RELOADING=1 and READY=1 around it", ok and any("RELOADING=1" in m for m in seen), seen)
    with open(config, "w") as f:
        f.write("bogus_key: 1\n")
    status, body = request(port, "PUT", "/-/reload")
    results.check("PUT /-/reload of a bad config is 500 with file:line:column",
                  status == 500 and f"failed to reload config: {config}:1:1: unknown key \"bogus_key\"" in body,
                  (status, body))
    status, _ = request(port, "GET", "/-/reload")
    results.check("GET /-/reload is 405", status == 405, status)
    status, body = request(port, "POST", "/-/quit")
    results.check("POST /-/quit answers", status == 200 and "Goodbye" in body, (status, body))
    ok, seen = wait_for(notify, "STOPPING=1", 5)
    results.check("STOPPING=1 after /-/quit", ok, seen)
    code = agent.wait(timeout=10)
    results.check("exits 0 after /-/quit", code == 0, code)

sys.exit(results.finish())
