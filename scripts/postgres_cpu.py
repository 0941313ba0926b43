#!/usr/bin/env python3
"""postgres_cpu.py BINARY [SECONDS] - steady-state CPU cost of the postgres collector.

Not part of the test suite (it takes minutes). Starts a primary and a streaming standby as
postgres_test.py does, fills pg_stat_statements with ~2,000 distinct statements and keeps a
light workload running, then runs `BINARY agent` at the default collection interval twice for
SECONDS each (default 120): once with the host collectors only, once with the postgres
collector watching both servers. Reports the agent's CPU (utime + stime from /proc) per
second of wall time as a share of one core, and what the agent's sessions cost the servers.
"""
import os
import shutil
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from postgres_test import Cluster, setup, sql, PASSWORD  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def backend_cpu(cluster):
    """CPU of the servers' backends whose application_name is scalewatch."""
    total = 0.0
    for c in cluster:
        conn = c.connect(dbname="postgres")
        for (pid,) in sql(conn, "SELECT pid FROM pg_stat_activity WHERE application_name = 'scalewatch'"):
            try:
                total += cpu_seconds(pid)
            except OSError:
                pass
        conn.close()
    return total


def write_config(tmp, port, targets):
    password_file = os.path.join(tmp, "pg.password")
    with open(password_file, "w") as f:
        f.write(PASSWORD + "\n")
    os.chmod(password_file, 0o600)
    lines = [f'listen_address: "127.0.0.1:{port}"', "collection_interval: 10s"]
    if targets:
        lines += ["collectors:", "  postgres:", "    targets:"]
        for cluster in targets:
            lines += [f"    - host: 127.0.0.1", f"      port: {cluster.port}", "      user: scalewatch",
                      "      database: app", f"      password_file: {password_file}"]
    path = os.path.join(tmp, f"agent-{len(targets)}.yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def measure(binary, procs, tmp, targets, seconds, clusters):
    port = testlib.free_port()
    data = os.path.join(tmp, f"data-{len(targets)}")
    os.makedirs(data, exist_ok=True)
    p = procs.start("scalewatch", [binary, "agent", "--config", write_config(tmp, port, targets), "--data-dir", data,
                                   "--listen-address", f"127.0.0.1:{port}"], os.path.join(tmp, f"agent-{len(targets)}.log"))
    testlib.wait_http(f"http://127.0.0.1:{port}/metrics", p)
    time.sleep(12)  # past the first collections and connections
    agent0, server0, t0 = cpu_seconds(p.pid), backend_cpu(clusters) if targets else 0, time.monotonic()
    time.sleep(seconds)
    agent1, server1, t1 = cpu_seconds(p.pid), backend_cpu(clusters) if targets else 0, time.monotonic()
    _, _, body = testlib.http_get(f"http://127.0.0.1:{port}/metrics")
    families = testlib.parse_text(body.decode())
    procs.stop(p)
    return (agent1 - agent0) / (t1 - t0), (server1 - server0) / (t1 - t0), families


def main():
    binary = os.path.abspath(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 120
    procs = testlib.Processes()
    tmp = procs.tempdir("scalewatch-pgcpu.")
    shutil.chown(tmp, "postgres")
    os.chmod(tmp, 0o755)
    primary, standby = Cluster("primary", tmp, testlib.free_port()), Cluster("standby", tmp, testlib.free_port())
    stop = threading.Event()
    try:
        setup(tmp, primary, standby)
        app = primary.connect(user="app")
        for i in range(2000):  # distinct statements: the IN list's length and the select list differ
            columns = ", ".join(["v"] * (i // 200 + 1))
            sql(app, f"SELECT {columns} FROM accounts WHERE id = 1 AND v IN (" + ", ".join(["%s"] * (i % 200 + 1)) + ")",
                *range(i % 200 + 1))

        def workload():
            while not stop.is_set():
                sql(app, "SELECT v FROM accounts WHERE id = %s", 7)
                sql(app, "UPDATE accounts SET v = v + 1 WHERE id = %s", 8)
                time.sleep(0.05)

        threading.Thread(target=workload, daemon=True).start()
        base, _, _ = measure(binary, procs, tmp, [], seconds, [])
        with_pg, server, families = measure(binary, procs, tmp, [primary, standby], seconds, [primary, standby])
        entries = [v for _, ls, v in families.get("pg_stat_statements_entries").samples] \
            if "pg_stat_statements_entries" in families else []
        print(f"agent, host collectors only:          {base * 100:.3f}% of one core")
        print(f"agent, plus postgres (2 targets):     {with_pg * 100:.3f}% of one core")
        print(f"postgres collector's share:           {(with_pg - base) * 100:.3f}% of one core")
        print(f"the agent's two sessions on the servers: {server * 100:.3f}% of one core")
        print(f"pg_stat_statements entries tracked: {entries}")
    finally:
        stop.set()
        time.sleep(0.2)
        standby.stop("immediate")
        primary.stop("immediate")
        procs.close()


if __name__ == "__main__":
    main()
