#!/usr/bin/env python3
"""doctor_test.py BINARY - `scalewatch doctor` against a real PostgreSQL.

Starts one PostgreSQL server (postgres_test.py's Cluster: initdb, pg_ctl, a temporary
directory, a free loopback port) and runs `BINARY doctor --config …` twice:

  1. broken: the agent connects as a superuser, pg_stat_statements is not loaded, archive_mode
     is on with archive_command 'false' and a segment switched out (pg_switch_wal), and one
     https receiver accepts TCP but never shakes hands: WARN for the role and for
     pg_stat_statements, FAIL for archiving and for that receiver (within its 1 s timeout,
     the whole command well under its 10 s deadline), exit status 1;
     Then, with the postmaster stopped (SIGSTOP), the doctor reports the hung server as one
     FAIL at its --timeout of 2 s instead of hanging;
  2. fixed: a pg_monitor role with a password file, pg_stat_statements preloaded and created,
     archive_command 'cp %p DIR/%f' archiving the switched segment, a webhook receiver
     listening and the agent running: no FAIL, exit status 0. The receiver must get no
     request (the doctor connects, it never notifies). WARNs allowed here depend on the host
     or the version: postgres.reserved_slot (PostgreSQL 15 reserves slots for superusers only),
     postgres.memory and postgres.oom_score (this host's RAM and processes), agent.unit.*.

Needs root (initdb runs as the postgres user), PostgreSQL's binaries and python3-psycopg2, as
scripts/postgres_test.sh installs them; run it with the Python that has psycopg2.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from postgres_test import Cluster, sql  # noqa: E402
from webhook_receiver import WebhookReceiver  # noqa: E402

PASSWORD = "pw-" + os.urandom(12).hex()


def silent_listener():
    """A TCP listener that accepts and never answers: a TLS handshake with it cannot finish."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    return server


def write_config(tmp, agent_port, cluster, user, receivers, password_file=None):
    lines = [f'listen_address: "127.0.0.1:{agent_port}"', f'data_dir: "{os.path.join(tmp, "data")}"',
             "collection_interval: 1h",
             "collectors:", "  postgres:", "    targets:",
             "    - host: 127.0.0.1", f"      port: {cluster.port}", f"      user: {user}", "      database: postgres",
             "      connect_timeout: 2s"]
    if password_file:
        lines.append(f"      password_file: {password_file}")
    if receivers:
        lines += ["alerting:", "  route: {receiver: ops}", "  receivers:", "    - name: ops", "      webhook_configs:"]
        lines += [f"        - {{url: '{url}', timeout: 1s}}" for url in receivers]
    path = os.path.join(tmp, "agent.yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def doctor(binary, config, *extra):
    """Runs the doctor twice (text and JSON); returns (exit status, text, checks by name, seconds)."""
    started = time.monotonic()
    text = subprocess.run([binary, "doctor", "--config", config, *extra], capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    js = subprocess.run([binary, "doctor", "--config", config, "--output", "json", *extra], capture_output=True, text=True,
                        timeout=60)
    print(text.stdout + text.stderr, flush=True)
    checks = {}
    try:
        for check in json.loads(js.stdout)["checks"]:
            checks.setdefault(check["name"], []).append(check)
    except (ValueError, KeyError) as e:
        print(f"unreadable JSON ({e}): {js.stdout[:500]} {js.stderr[:500]}", file=sys.stderr)
    if js.returncode != text.returncode:
        print(f"text exited {text.returncode}, JSON {js.returncode}", file=sys.stderr)
    return text.returncode, text.stdout, checks, elapsed


def statuses(checks, name):
    return [c["status"] for c in checks.get(name, [])]


def wait_archiver(admin, predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = sql(admin, "SELECT archived_count, failed_count, last_archived_time > coalesce(last_failed_time, 'epoch') "
                         "FROM pg_stat_archiver")[0]
        if predicate(*row):
            return True
        time.sleep(0.3)
    return False


def main():
    binary = os.path.abspath(sys.argv[1])
    results = testlib.Results()
    procs = testlib.Processes()
    tmp = testlib.postgres_workdir(results, procs, "scalewatch-doctor.")
    if tmp is None:
        return results.finish()
    cluster = Cluster("pg", tmp, testlib.free_port())
    started = time.monotonic()
    try:
        run(binary, results, procs, tmp, cluster)
    finally:
        cluster.stop("immediate")
        procs.close()
        testlib.Results.info(f"doctor test took {time.monotonic() - started:.1f}s")
    return results.finish()


def run(binary, results, procs, tmp, cluster):
    archive = os.path.join(tmp, "archive")
    os.makedirs(archive)
    shutil.chown(archive, "postgres")
    cluster.initdb()
    cluster.configure("fsync = off", "max_connections = 20", "superuser_reserved_connections = 3",
                      "archive_mode = on", "archive_command = 'false'")
    cluster.hba_first("host all scalewatch 127.0.0.1/32 scram-sha-256")
    cluster.start()
    admin = cluster.connect(dbname="postgres")
    sql(admin, "CREATE TABLE filler AS SELECT g FROM generate_series(1, 1000) g")
    sql(admin, "SELECT pg_switch_wal()")
    results.check("archive_command 'false' fails on the switched segment",
                  wait_archiver(admin, lambda archived, failed, newer: failed > 0))

    # --- 1: the broken setup
    silent = silent_listener()
    agent_port = testlib.free_port()
    config = write_config(tmp, agent_port, cluster, "postgres", [f"https://127.0.0.1:{silent.getsockname()[1]}/hook"])
    status, text, checks, elapsed = doctor(binary, config)
    results.check("broken: exit status 1", status == 1, f"exit {status}")
    results.check("broken: superuser role is a WARN with the CREATE ROLE line",
                  statuses(checks, "postgres.role") == ["warn"] and "IN ROLE pg_monitor" in checks["postgres.role"][0].get("fix", ""),
                  str(checks.get("postgres.role")))
    results.check("broken: the superuser has a reserved slot", statuses(checks, "postgres.reserved_slot") == ["pass"],
                  str(checks.get("postgres.reserved_slot")))
    results.check("broken: pg_stat_statements not loaded is a WARN naming shared_preload_libraries",
                  statuses(checks, "postgres.pg_stat_statements") == ["warn"]
                  and "shared_preload_libraries" in checks["postgres.pg_stat_statements"][0].get("fix", ""),
                  str(checks.get("postgres.pg_stat_statements")))
    results.check("broken: the failing archiver is a FAIL with its failure count",
                  statuses(checks, "postgres.archiving") == ["fail"] and "archiver failing" in checks["postgres.archiving"][0]["evidence"],
                  str(checks.get("postgres.archiving")))
    results.check("broken: a receiver that never finishes the TLS handshake is a FAIL within its timeout",
                  statuses(checks, "alerting.receiver") == ["fail"] and "did not finish" in checks["alerting.receiver"][0]["evidence"],
                  str(checks.get("alerting.receiver")))
    results.check("broken: the text lines say FAIL postgres.archiving", "FAIL  postgres.archiving" in text, text[-300:])
    results.check("broken: the agent not running is a WARN", statuses(checks, "agent.healthy") == ["warn"],
                  str(checks.get("agent.healthy")))
    results.check("broken: the command took under 5 s (hung receiver cut at 1 s)", elapsed < 5, f"{elapsed:.1f}s")
    silent.close()

    # A server that accepts connections and never answers them (its postmaster stopped): the
    # doctor reports it at --timeout instead of hanging.
    with open(os.path.join(cluster.data, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    os.kill(postmaster, signal.SIGSTOP)
    try:
        status, _, checks, elapsed = doctor(binary, config, "--timeout", "2")
    finally:
        os.kill(postmaster, signal.SIGCONT)
    results.check("hung server: one FAIL saying it did not finish, exit 1, within the timeout",
                  status == 1 and [c["evidence"] for c in checks.get("postgres", [])] == ["did not finish within 2.0 s"]
                  and elapsed < 4, f"exit {status}, {elapsed:.1f}s, {checks.get('postgres')}")

    # --- 2: the fixed setup
    admin.close()
    cluster.stop()
    cluster.configure("shared_preload_libraries = 'pg_stat_statements'", f"archive_command = 'cp %p {archive}/%f'")
    cluster.start()
    admin = cluster.connect(dbname="postgres")
    sql(admin, "CREATE ROLE scalewatch LOGIN PASSWORD %s IN ROLE pg_monitor", PASSWORD)
    sql(admin, "CREATE EXTENSION pg_stat_statements")
    sql(admin, "INSERT INTO filler SELECT g FROM generate_series(1, 1000) g")
    sql(admin, "SELECT pg_switch_wal()")
    results.check("archiving with cp succeeds after the failures",
                  wait_archiver(admin, lambda archived, failed, newer: archived > 0 and newer))
    password_file = os.path.join(tmp, "pg.password")
    with open(password_file, "w") as f:
        f.write(PASSWORD + "\n")
    os.chmod(password_file, 0o600)
    receiver = WebhookReceiver(0)  # records every request: the doctor must send none
    config = write_config(tmp, agent_port, cluster, "scalewatch", [f"http://127.0.0.1:{receiver.port}/hook"],
                          password_file)
    agent = procs.start("scalewatch", [binary, "agent", "--config", config], os.path.join(tmp, "agent.log"))
    testlib.wait_http(f"http://127.0.0.1:{agent_port}/-/healthy", agent)
    status, text, checks, _ = doctor(binary, config)
    receiver.close()
    results.check("fixed: exit status 0 and no FAIL", status == 0 and "FAIL" not in text.split("\n")[-2] and
                  not any(c["status"] == "fail" for cs in checks.values() for c in cs), f"exit {status}")
    for name in ("postgres.role", "postgres.pg_stat_statements", "postgres.archiving", "postgres.listen",
                 "alerting.receiver", "agent.healthy", "store.space"):
        results.check(f"fixed: {name} passes", statuses(checks, name) == ["pass"], str(checks.get(name)))
    results.check("fixed: the receiver got no request (connect only, no test notification)", receiver.all() == [],
                  str(receiver.all()))
    results.check("fixed: the password appears in no output", PASSWORD not in text)
    for name, cs in sorted(checks.items()):
        for c in cs:
            if c["status"] == "warn":
                testlib.Results.info(f"host-dependent WARN {name}: {c['evidence']}")


if __name__ == "__main__":
    sys.exit(main())
