#!/usr/bin/env python3
"""collectors_cpu.py BINARY [SECONDS] - steady-state CPU of the database, log and cgroup collectors.

A benchmark, not part of the test suite (it takes minutes). Starts a PostgreSQL primary and a
streaming standby as postgres_test.py does, fills pg_stat_statements with ~2,000 distinct
statements and keeps a light workload running that PostgreSQL logs line by line
(log_min_duration_statement = 0, ~40 lines/s), and appends to a journal directory through
systemd-journal-remote (20 entries/s, an OOM incident among them now and then). Then runs
`BINARY agent` at the default collection interval, fresh each time, for SECONDS (default 120):

  host      node_exporter's collectors only (journal, cgroups and top_processes off)
  postgres  host + the postgres collector watching both servers
  all       host + postgres + journal (the appended directory) + postgres_logs (the primary's
            log file) + cgroups (50 service groups made under a test slice in every cgroup
            hierarchy) + top_processes: everything the agent adds to node_exporter

and reports the agent's CPU (utime + stime from /proc, per second of wall time) as a share of
one core, each configuration's share above `host`, and what the agent's sessions cost the
servers. The peer, in the same run: Debian's prometheus-postgres-exporter watching the same two
servers, scraped every 10 s (Prometheus' part in it not counted), once with its default queries
and once with Debian's example queries.yaml added (pg_stat_statements and the user tables: the
coverage closest to ours). Needs root, PostgreSQL 15,
python3-psycopg2, prometheus-postgres-exporter and systemd-journal-remote.
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from cgroup_cost import make_groups  # noqa: E402
from journal_agent_test import Journal, entry, incident, kernel  # noqa: E402
from postgres_test import Cluster, DEBIAN_QUERIES, PASSWORD, log_files, setup, sql, standby_cluster  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
SLICE = "scalewatch-cpu.slice"
SERVICES = 50


def cpu_seconds(pid):
    """CPU time of all PID's threads, in nanoseconds from the scheduler where the kernel keeps
    it (/proc/PID/schedstat): /proc/PID/stat's 10 ms ticks made a collector's share over two
    minutes a count of a dozen ticks, too coarse to tell 0.5x from 0.6x."""
    try:
        total = 0
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        return total / 1e9
    except FileNotFoundError:
        pass
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def backend_cpu(clusters):
    return backend_cpu_of(clusters, "scalewatch")


def backend_cpu_of(clusters, application):
    """CPU of the servers' backends whose application_name is APPLICATION."""
    total = 0.0
    for c in clusters:
        conn = c.connect(dbname="postgres")
        for (pid,) in sql(conn, "SELECT pid FROM pg_stat_activity WHERE application_name = %s", application):
            try:
                total += cpu_seconds(pid)
            except OSError:
                pass
        conn.close()
    return total


def write_config(tmp, port, name, targets, journal_dir, log_file):
    password_file = os.path.join(tmp, "pg.password")
    with open(password_file, "w") as f:
        f.write(PASSWORD + "\n")
    os.chmod(password_file, 0o600)
    # No collection_interval: the agent's default is what is measured.
    lines = [f'listen_address: "127.0.0.1:{port}"', "collectors:"]
    if name == "all":
        lines += ["  journal:", f"    directories: [{journal_dir}]", "  postgres_logs:", f"    files: [{log_file}]",
                  "  cgroups:", f"    slices: [system.slice, {SLICE}]"]
    else:
        lines += ["  journal: false", "  cgroups: false", "  top_processes: false"]
    if targets:
        lines += ["  postgres:", "    targets:"]
        for cluster in targets:
            # Plain connections, as postgres_exporter's below: the servers offer TLS (for
            # postgres_test.py), and encryption would be measured instead of the collector.
            lines += ["    - host: 127.0.0.1", f"      port: {cluster.port}", "      user: scalewatch",
                      "      database: app", f"      password_file: {password_file}", "      sslmode: disable"]
    path = os.path.join(tmp, f"agent-{name}.yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def measure(binary, procs, tmp, name, targets, seconds, journal_dir, log_file):
    port = testlib.free_port()
    data = os.path.join(tmp, f"data-{name}")
    os.makedirs(data, exist_ok=True)
    config = write_config(tmp, port, name, targets, journal_dir, log_file)
    p = procs.start("scalewatch", [binary, "agent", "--config", config, "--data-dir", data], os.path.join(tmp, f"agent-{name}.log"))
    testlib.wait_http(f"http://127.0.0.1:{port}/metrics", p)
    time.sleep(12)  # past the first collections, connections and opened logs
    agent0, server0, t0 = cpu_seconds(p.pid), backend_cpu(targets), time.monotonic()
    time.sleep(seconds)
    agent1, server1, t1 = cpu_seconds(p.pid), backend_cpu(targets), time.monotonic()
    _, _, body = testlib.http_get(f"http://127.0.0.1:{port}/metrics")
    families = testlib.parse_text(body.decode())
    procs.stop(p)
    return (agent1 - agent0) / (t1 - t0), (server1 - server0) / (t1 - t0), families


def measure_postgres_exporter(procs, tmp, targets, seconds, extra_args=()):
    """postgres_exporter's CPU while scraped every 10 s, the agent's default interval."""
    port = testlib.free_port()
    dsn = ",".join(f"postgresql://postgres@127.0.0.1:{c.port}/app?sslmode=disable&application_name=postgres_exporter" for c in targets)
    p = procs.start("postgres_exporter", ["prometheus-postgres-exporter", f"--web.listen-address=127.0.0.1:{port}", *extra_args],
                    os.path.join(tmp, "postgres_exporter.log"), env=dict(os.environ, DATA_SOURCE_NAME=dsn))
    url = f"http://127.0.0.1:{port}/metrics"
    # 500: its default queries include pg_current_wal_lsn(), which a standby refuses; it still
    # runs every other query, which is the work measured here.
    testlib.wait_http(url, p, ok=(200, 500))
    testlib.http_get(url)
    time.sleep(10)
    exporter0, server0, t0 = cpu_seconds(p.pid), backend_cpu_of(targets, "postgres_exporter"), time.monotonic()
    deadline = t0 + seconds
    while time.monotonic() < deadline:
        testlib.http_get(url)
        time.sleep(max(0, min(10, deadline - time.monotonic())))
    exporter1, server1, t1 = cpu_seconds(p.pid), backend_cpu_of(targets, "postgres_exporter"), time.monotonic()
    procs.stop(p)
    return (exporter1 - exporter0) / (t1 - t0), (server1 - server0) / (t1 - t0)


def total(families, name):
    family = families.get(name)
    return sum(v for _, _, v in family.samples) if family else 0


def main():
    binary = os.path.abspath(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 120
    procs = testlib.Processes()
    tmp = testlib.postgres_workdir(None, procs, "scalewatch-cpu.")
    primary, standby = Cluster("primary", tmp, testlib.free_port()), standby_cluster(tmp, testlib.free_port())
    journal_dir = os.path.join(tmp, "journal")
    os.makedirs(journal_dir)
    journal = Journal(journal_dir)
    stop = threading.Event()
    groups = []
    try:
        groups = make_groups(SLICE, SERVICES)
        setup(tmp, primary, standby)
        app = primary.connect(user="app")
        for i in range(2000):  # distinct statements: the IN list's length and the select list differ
            columns = ", ".join(["v"] * (i // 200 + 1))
            sql(app, f"SELECT {columns} FROM accounts WHERE id = 1 AND v IN (" + ", ".join(["%s"] * (i % 200 + 1)) + ")",
                *range(i % 200 + 1))
        admin = primary.connect(dbname="postgres")
        sql(admin, "ALTER SYSTEM SET log_min_duration_statement = 0")
        sql(admin, "SELECT pg_reload_conf()")
        admin.close()

        def workload():
            while not stop.is_set():
                sql(app, "SELECT v FROM accounts WHERE id = %s", 7)
                sql(app, "UPDATE accounts SET v = v + 1 WHERE id = %s", 8)
                time.sleep(0.05)

        def journal_traffic():
            batch = 0
            while not stop.is_set():
                entries = [entry(f"GET /item/{batch}/{i} 200", unit="nginx.service") for i in range(95)]
                entries += incident(10_000 + batch, "worker") if batch % 12 == 0 else [kernel("eth0: link up", 6)] * 5
                journal.append(entries[:100])
                batch += 1
                stop.wait(5)

        threading.Thread(target=workload, daemon=True).start()
        threading.Thread(target=journal_traffic, daemon=True).start()
        results = {}
        configurations = [("host", []), ("postgres", [primary, standby]), ("all", [primary, standby])]
        if os.environ.get("POSTGRES_ONLY"):  # the postgres collector's figures, two minutes sooner
            configurations.pop()
        for name, targets in configurations:
            results[name] = measure(binary, procs, tmp, name, targets, seconds, journal_dir, log_files(tmp)[0])
        peers = {
            "default queries": measure_postgres_exporter(procs, tmp, [primary, standby], seconds),
            "with queries.yaml": measure_postgres_exporter(procs, tmp, [primary, standby], seconds,
                                                           [f"--extend.query-path={DEBIAN_QUERIES}"]),
        }
        host = results["host"][0]
        print(f"measured {seconds:.0f} s per configuration at the default collection interval")
        print(f"agent, host collectors only:                 {host * 100:.3f}% of one core")
        for name in [n for n in results if n != "host"]:
            share, server, _ = results[name]
            print(f"agent, {name:<9} total {share * 100:.3f}%, above host {(share - host) * 100:.3f}% of one core; "
                  f"its sessions on the servers {server * 100:.3f}%")
        ours = results["postgres"][0] - host
        for label, (exporter, exporter_server) in peers.items():
            print(f"peer: postgres_exporter ({label}), same 2 servers, scraped every 10 s: {exporter * 100:.3f}% of one core; "
                  f"its sessions on the servers {exporter_server * 100:.3f}%")
            if exporter > 0 and exporter_server > 0:
                print(f"  ratio, our postgres collector / postgres_exporter ({label}): {ours / exporter:.2f}x (agent), "
                      f"{results['postgres'][1] / exporter_server:.2f}x (server side)")
        families = results["all"][2] if "all" in results else None
        if families is not None:
            print(f"seen in 'all': {total(families, 'scalewatch_journal_entries_total'):.0f} journal entries, "
                  f"{total(families, 'scalewatch_postgres_log_lines_total'):.0f} PostgreSQL log lines, "
                  f"{total(families, 'scalewatch_oom_kills_total'):.0f} OOM kills, "
                  f"{len(families['scalewatch_service_memory_bytes'].samples) if 'scalewatch_service_memory_bytes' in families else 0} "
                  f"service memory series, "
                  f"{len(families['scalewatch_process_group_resident_memory_bytes'].samples) if 'scalewatch_process_group_resident_memory_bytes' in families else 0} "
                  f"top process groups")
    finally:
        stop.set()
        time.sleep(0.2)
        standby.stop("immediate")
        primary.stop("immediate")
        procs.close()
        for group in reversed(groups):
            os.rmdir(group)


if __name__ == "__main__":
    main()
