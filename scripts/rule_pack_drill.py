#!/usr/bin/env python3
"""rule_pack_drill.py BINARY - the shipped rule pack against a real PostgreSQL primary and standby.

Starts the primary and its streaming standby (scripts/postgres_test.py's setup) and the agent
with the pack (config/rules/*.yml) and nothing else, collecting and evaluating every second.
Then breaks things the way stages 4, 6 and 7 break them, and checks that the matching alert of
the pack becomes active (pending or firing; `for` durations of minutes are the unit tests'
business) with the labels that say where, and only then:
  - the connections fill up until PostgreSQL refuses one: PostgresConnectionPoolNearFull and
    PostgresConnectionsRefused (from the log);
  - a row lock held while six sessions wait on it: PostgresBlockedBackends, and after 30 s
    PostgresLockWaits;
  - a deadlock: PostgresDeadlocks;
  - replay paused on the standby: PostgresReplayPaused;
  - the standby stopped: PostgresDown for it, PostgresStandbyDisconnected for its slot.
Reads ALERTS from the agent's store with `scalewatch query`; after the full pool, the lock waits
and the paused replay, `scalewatch advise` against the agent must name that stage. Needs root
(initdb runs as postgres through runuser) and Python with psycopg2 (/usr/bin/python3 with
python3-psycopg2).
"""
import glob
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import postgres_test as pg  # noqa: E402
import psycopg2  # noqa: E402
import testlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Alerts:
    def __init__(self, binary, data):
        self.binary, self.data = binary, data

    def active(self, name):
        """Label sets of NAME's pending or firing alerts."""
        out = subprocess.run([self.binary, "query", f'ALERTS{{alertname="{name}"}}', "--data-dir", self.data,
                              "--output", "json"], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            return []
        return [r["metric"] for r in json.loads(out.stdout)["data"]["result"]]

    def wait(self, name, timeout=30, **labels):
        """The first active alert NAME whose labels include LABELS, or None after TIMEOUT."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for metric in self.active(name):
                if all(metric.get(k) == v for k, v in labels.items()):
                    return metric
            time.sleep(1)
        return None


def advise_stages(binary, port):
    """(stage, signature) of each finding `scalewatch advise` makes of the agent's last 10 minutes."""
    out = subprocess.run([binary, "advise", "--url", f"http://127.0.0.1:{port}", "--since", "10m", "--output", "json"],
                         capture_output=True, text=True, timeout=60)
    try:
        return [(f["stage"], f["signature"]) for f in json.loads(out.stdout)["findings"]]
    except (ValueError, KeyError, TypeError):
        return [("unreadable", out.stdout[-300:] + out.stderr[-300:])]


def check_advise(results, binary, port, stage, signature):
    found = advise_stages(binary, port)
    results.check(f"scalewatch advise names stage {stage} ({signature})", (stage, signature) in found, str(found))


def config(tmp, port, primary, standby):
    password_file = os.path.join(tmp, "pg.password")
    with open(password_file, "w") as f:
        f.write(pg.PASSWORD + "\n")
    os.chmod(password_file, 0o600)
    target = ["      user: scalewatch", "      database: app", f"      password_file: {password_file}",
              "      min_interval: 0s", "      slow_interval: 2s"]
    rules = sorted(glob.glob(os.path.join(ROOT, "config/rules/*.yml")))
    lines = [
        f'listen_address: "127.0.0.1:{port}"', f'data_dir: "{os.path.join(tmp, "data")}"',
        "collection_interval: 1s", "evaluation_interval: 1s", f"rule_files: [{', '.join(rules)}]",
        "collectors:", "  postgres:", "    targets:",
        "    - host: 127.0.0.1", f"      port: {primary.port}", "      labels: {role: primary}", *target,
        "    - host: 127.0.0.1", f"      port: {standby.port}", "      labels: {role: standby}", *target,
        "  postgres_logs:", f"    files: [{', '.join(pg.log_files(tmp))}]",
    ]
    path = os.path.join(tmp, "agent.yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def drill(binary, results, procs, tmp, primary, standby):
    pg.setup(tmp, primary, standby)
    port = testlib.free_port()
    proc = procs.start("scalewatch", [binary, "agent", "--config", config(tmp, port, primary, standby)],
                       os.path.join(tmp, "agent.log"))
    testlib.wait_port(port, proc)
    alerts = Alerts(binary, os.path.join(tmp, "data"))
    P, S = f"127.0.0.1:{primary.port}", f"127.0.0.1:{standby.port}"
    time.sleep(5)
    quiet = [n for n in ("PostgresConnectionPoolNearFull", "PostgresBlockedBackends", "PostgresLockWaits",
                         "PostgresReplayPaused", "PostgresDown", "PostgresStandbyDisconnected") if alerts.active(n)]
    results.check("nothing broken, no PostgreSQL alert", not quiet, str(quiet))

    # Stage 4: the pool fills until PostgreSQL refuses a connection.
    sessions, refusal = pg.fill_pool(primary)
    results.check("PostgreSQL refuses a connection once the pool is full", refusal is not None, f"{len(sessions)} opened")
    a = alerts.wait("PostgresConnectionPoolNearFull", server=P, role="primary", stage="4-load-balanced")
    results.check("PostgresConnectionPoolNearFull for the primary", a is not None, procs.log_tail(proc))
    # An ordinary role meets "remaining connection slots are reserved" (superuser_reserved_connections)
    # before "too many clients".
    a = alerts.wait("PostgresConnectionsRefused", stage="4-load-balanced")
    results.check("PostgresConnectionsRefused from the primary's log", a is not None)
    if a:
        testlib.Results.info(f"refusal counted as kind={a.get('kind')} from {a.get('source')}")
    check_advise(results, binary, port, "4-load-balanced", "pg_pool_full")
    for s in sessions:
        s.close()

    # Stage 6: one holder, six waiters.
    holder = primary.connect(user="app", autocommit=False)
    pg.sql(holder, "UPDATE accounts SET v = v + 1 WHERE id = 1")
    # Autocommit: each waiter's UPDATE commits as soon as it gets the row, so all six finish.
    waiters = [primary.connect(user="app") for _ in range(6)]
    threads = [threading.Thread(target=lambda c=c: pg.sql(c, "UPDATE accounts SET v = v + 1 WHERE id = 1"), daemon=True)
               for c in waiters]
    for t in threads:
        t.start()
    a = alerts.wait("PostgresBlockedBackends", server=P, stage="6-queue-workers")
    results.check("PostgresBlockedBackends with six sessions waiting", a is not None)
    results.check("no PostgresLockWaits before 30 s of waiting", not alerts.active("PostgresLockWaits"))
    a = alerts.wait("PostgresLockWaits", timeout=50, server=P, stage="6-queue-workers")
    results.check("PostgresLockWaits after 30 s of waiting", a is not None)
    check_advise(results, binary, port, "6-queue-workers", "pg_lock_waits")
    holder.rollback()
    holder.close()
    for t in threads:
        t.join(10)
    for c in waiters:
        c.close()

    # Stage 6: a deadlock.
    first, second = primary.connect(user="app", autocommit=False), primary.connect(user="app", autocommit=False)
    pg.sql(first, "UPDATE accounts SET v = v + 1 WHERE id = 10")
    pg.sql(second, "UPDATE accounts SET v = v + 1 WHERE id = 11")

    def cross(conn, row):
        try:
            pg.sql(conn, "UPDATE accounts SET v = v + 1 WHERE id = %s", row)
        except psycopg2.Error:
            pass
        conn.rollback()

    t = threading.Thread(target=cross, args=(first, 11), daemon=True)
    t.start()
    time.sleep(0.1)
    cross(second, 10)
    t.join(10)
    first.close()
    second.close()
    a = alerts.wait("PostgresDeadlocks", server=P, datname="app", stage="6-queue-workers")
    results.check("PostgresDeadlocks in app", a is not None)

    # Stage 7: replay paused, then the standby gone.
    paused = standby.connect(dbname="postgres")
    pg.sql(paused, "SELECT pg_wal_replay_pause()")
    a = alerts.wait("PostgresReplayPaused", server=S, role="standby", stage="7-replicas-shards")
    results.check("PostgresReplayPaused on the standby", a is not None)
    check_advise(results, binary, port, "7-replicas-shards", "pg_replay_paused")
    pg.sql(paused, "SELECT pg_wal_replay_resume()")
    paused.close()
    standby.stop("fast")
    a = alerts.wait("PostgresDown", server=S, role="standby", stage="2-database-split")
    results.check("PostgresDown for the stopped standby", a is not None)
    a = alerts.wait("PostgresStandbyDisconnected", server=P, slot_name="standby1", stage="7-replicas-shards")
    results.check("PostgresStandbyDisconnected for its slot on the primary", a is not None)
    results.check("no PostgresDown for the primary", alerts.wait("PostgresDown", timeout=1, server=P) is None)
    results.check("the agent is still running", proc.poll() is None)


def main():
    binary = os.path.abspath(sys.argv[1])
    results = testlib.Results()
    procs = testlib.Processes()
    tmp = testlib.postgres_workdir(results, procs, "scalewatch-drill.")
    if tmp is None:
        return results.finish()
    primary = pg.Cluster("primary", tmp, testlib.free_port())
    standby = pg.standby_cluster(tmp, testlib.free_port())
    try:
        drill(binary, results, procs, tmp, primary, standby)
    finally:
        standby.stop("immediate")
        primary.stop("immediate")
        procs.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
