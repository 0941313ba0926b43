#!/usr/bin/env python3
"""postgres_test.py BINARY - the postgres collector against real servers.

Starts a PostgreSQL primary and a streaming standby (initdb, pg_basebackup -R with a slot) under
a temporary directory on free loopback ports, runs `BINARY agent` against both, creates the
conditions the collector exists for and checks each in the exposed metrics:

  - a least-privilege role (pg_monitor, password from a file) runs every query;
  - lock waits between two sessions (pg_locks_waiting, blocked backends, oldest wait) and a
    deadlock (pg_stat_database_deadlocks);
  - a prepared transaction left open (pg_prepared_xacts_*);
  - a hot statement run in a tight loop ranks first in pg_stat_statements' top K;
  - replication lag: replay paused on the standby while the primary writes, then resumed;
  - connections up to max_connections: the agent's long-lived session keeps reporting, a
    reconnect gets in only through a superuser-reserved slot;
  - a backend that stops answering (SIGSTOP): scrapes stay fast, the data is marked stale, the
    connection is dropped after the hard limit and a new one made;
  - the primary stopped mid-run: pg_up 0, the standby's WAL receiver disconnected and its lag
    never 0, the agent keeps serving and recovers when the primary returns;
  - TLS: verify-full against the test CA gets in over an encrypted session, sslmode require
    encrypts to an IP address, a wrong CA and a cleartext attempt at a TLS-only role are
    refused with pg_up 0 and an error that says why;
  - the primary logs in all three of its file formats (stderr, csvlog, jsonlog) and the agent's
    postgres_logs collector counts the full pool's refusals and the deadlock in each;
  - the password appears in no log line and no metric;
  - side by side with Debian's prometheus-postgres-exporter on the same server: the families
    both expose have the same names and label names.

Needs root (initdb runs as the postgres user via runuser), PostgreSQL 15's binaries,
python3-psycopg2 and prometheus-postgres-exporter; scripts/postgres_test.sh installs them.
"""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

try:
    import psycopg2  # noqa: E402
    import psycopg2.extensions  # noqa: E402
except ImportError:
    # Cluster still makes, starts and stops servers without it (grafana_dashboard_test.py runs
    # under a Python that lacks it); connect() says what is missing.
    psycopg2 = None

PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
PASSWORD = "pw-" + os.urandom(12).hex()   # must never show up in a log or a metric
DEBIAN_QUERIES = "/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml"


def as_postgres(*cmd, **kw):
    """Runs cmd as the postgres user; RuntimeError with its stderr when it fails."""
    done = subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True, **kw)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {done.returncode}: {done.stderr.strip()}")
    return done


class Cluster:
    """One PostgreSQL server under DIR, started with pg_ctl and stopped by it."""

    def __init__(self, name, directory, port, options=""):
        self.name, self.port, self.options = name, port, options
        self.data = os.path.join(directory, name)
        self.sockets = directory
        self.log = os.path.join(directory, name + ".log")

    def initdb(self):
        """A new cluster in self.data: superuser postgres, local and loopback connections
        trusted (hba_first narrows that), UTF-8, nothing synced to disk (thrown away after)."""
        as_postgres(f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync")

    def configure(self, *settings):
        """Appends SETTINGS ('name = value') to postgresql.conf: they win over earlier lines at
        the next start."""
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write("\n".join(settings) + "\n")

    def hba_first(self, *lines):
        """Puts LINES before pg_hba.conf's own: the first line matching a connection decides."""
        hba = os.path.join(self.data, "pg_hba.conf")
        with open(hba) as f:
            rest = f.read()
        with open(hba, "w") as f:
            f.write("".join(line + "\n" for line in lines) + rest)

    def base_backup(self, primary, slot="standby1"):
        """self.data as a streaming standby of primary: pg_basebackup -R, through a replication
        slot made for it."""
        as_postgres(f"{PG_BIN}/pg_basebackup", "-D", self.data, "-R", "-X", "stream", "-C", "-S", slot, "-c", "fast",
                    "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres")

    def start(self):
        as_postgres(f"{PG_BIN}/pg_ctl", "-w", "-t", "30", "-D", self.data, "-l", self.log, "-o",
                    f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} {self.options}", "start")

    def stop(self, mode="fast"):
        subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-w", "-D", self.data, "-m", mode,
                        "stop"], capture_output=True)

    def connect(self, user="postgres", dbname="app", autocommit=True):
        if psycopg2 is None:
            raise RuntimeError("psycopg2 is not installed: run with a Python that has it "
                               "(/usr/bin/python3 with Debian's python3-psycopg2)")
        c = psycopg2.connect(host="127.0.0.1", port=self.port, user=user, dbname=dbname,
                             application_name="scalewatch-test")
        c.autocommit = autocommit
        return c


def fill_pool(cluster, user="app", most=25):
    """Opens sessions to cluster as USER until PostgreSQL refuses one, at most MOST; returns
    (the sessions, the refusal's message or None)."""
    sessions = []
    while len(sessions) < most:
        try:
            sessions.append(cluster.connect(user=user))
        except psycopg2.OperationalError as e:
            return sessions, str(e).strip()
    return sessions, None


def sql(conn, statement, *args):
    with conn.cursor() as cur:
        cur.execute(statement, args or None)
        return cur.fetchall() if cur.description else None


class Agent:
    def __init__(self, base):
        self.base = base
        self.last_body = ""

    def scrape(self):
        started = time.monotonic()
        status, _, body = testlib.http_get(self.base + "/metrics", timeout=20)
        elapsed = time.monotonic() - started
        if status != 200:
            raise RuntimeError(f"/metrics answered {status}")
        self.last_body = body.decode()
        return testlib.parse_text(self.last_body), elapsed

    @staticmethod
    def values(families, name, **labels):
        """Values of NAME's samples whose labels include LABELS."""
        f = families.get(name)
        if f is None:
            return []
        return [v for _, ls, v in f.samples if all(ls.get(k) == str(val) for k, val in labels.items())]

    def value(self, families, name, **labels):
        vs = self.values(families, name, **labels)
        return vs[0] if len(vs) == 1 else None

    def wait_for(self, predicate, timeout=15, interval=0.3):
        """Scrapes until predicate(families) is true; returns (ok, last families)."""
        deadline = time.monotonic() + timeout
        families = {}
        while True:
            families, _ = self.scrape()
            try:
                if predicate(families):
                    return True, families
            except (TypeError, KeyError):
                pass
            if time.monotonic() > deadline:
                return False, families
            time.sleep(interval)


def main():
    binary = os.path.abspath(sys.argv[1])
    results = testlib.Results()
    procs = testlib.Processes()
    tmp = testlib.postgres_workdir(results, procs, "scalewatch-pg.")
    if tmp is None:
        return results.finish()
    p1, p2 = testlib.free_port(), testlib.free_port()
    while p2 == p1:
        p2 = testlib.free_port()
    primary, standby = Cluster("primary", tmp, p1), standby_cluster(tmp, p2)
    started = time.monotonic()
    try:
        run(binary, results, procs, tmp, primary, standby)
    except Exception:
        # The processes' logs go with the temporary directory: show why before they do.
        for name, p, _ in procs.procs:
            print(f"---- {name} (exit {p.poll()}), last lines:\n{procs.log_tail(p, 400)}", file=sys.stderr)
        raise
    finally:
        standby.stop("immediate")
        primary.stop("immediate")
        procs.close()
        testlib.Results.info(f"postgres test took {time.monotonic() - started:.1f}s")
    return results.finish()


def log_files(tmp):
    """The primary's log files: stderr, csvlog and jsonlog, written by its logging collector."""
    directory = os.path.join(tmp, "primary-logs")
    return [os.path.join(directory, name) for name in ("postgresql.log", "postgresql.csv", "postgresql.json")]


def standby_cluster(tmp, port):
    # pg_basebackup copies the primary's settings: the standby must not write the same files.
    return Cluster("standby", tmp, port, options="-c logging_collector=off")


def make_certificates(tmp):
    """A test CA, a server certificate it signs (localhost and 127.0.0.1) and an unrelated CA."""
    directory = os.path.join(tmp, "tls")
    os.makedirs(directory)

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)

    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{ca}.key", "-out", f"{ca}.crt",
                "-days", "2", "-subj", f"/CN=scalewatch test {ca}")
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("subjectAltName = DNS:localhost, IP:127.0.0.1\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.crt", "-days", "2", "-extfile", "server.ext")
    for name in ("server.key", "server.crt"):
        shutil.chown(os.path.join(directory, name), "postgres")
    os.chmod(os.path.join(directory, "server.key"), 0o600)
    return directory


def setup(tmp, primary, standby):
    tls = make_certificates(tmp)
    primary.initdb()
    primary.configure(
        "fsync = off", "max_connections = 20", "superuser_reserved_connections = 3",
        "max_prepared_transactions = 5", "shared_preload_libraries = 'pg_stat_statements'",
        "deadlock_timeout = 200ms", "archive_mode = on", "archive_command = '/bin/true'",
        "max_wal_senders = 5", "wal_keep_size = 64MB", "ssl = on",
        f"ssl_cert_file = '{tls}/server.crt'", f"ssl_key_file = '{tls}/server.key'",
        "logging_collector = on", "log_destination = 'stderr,csvlog,jsonlog'",
        f"log_directory = '{os.path.dirname(log_files(tmp)[0])}'", "log_filename = 'postgresql.log'",
        "log_rotation_age = 0", "log_rotation_size = 0")
    # The monitoring roles must authenticate with their password over TCP, scalewatch_tls only
    # over TLS; everyone else is trusted.
    primary.hba_first("host all scalewatch 127.0.0.1/32 scram-sha-256",
                      "hostssl all scalewatch_tls 127.0.0.1/32 scram-sha-256",
                      "hostnossl all scalewatch_tls 127.0.0.1/32 reject")
    primary.start()
    admin = primary.connect(dbname="postgres")
    sql(admin, "CREATE ROLE scalewatch LOGIN PASSWORD %s", PASSWORD)
    sql(admin, "GRANT pg_monitor TO scalewatch")
    sql(admin, "CREATE ROLE scalewatch_tls LOGIN PASSWORD %s IN ROLE pg_monitor", PASSWORD)
    sql(admin, "CREATE ROLE app LOGIN")
    sql(admin, "CREATE DATABASE app OWNER app")
    admin.close()
    app = primary.connect(dbname="app")
    sql(app, "CREATE EXTENSION pg_stat_statements")
    # Autovacuum off for this table only: its dead tuples stay countable.
    sql(app, "CREATE TABLE accounts (id int PRIMARY KEY, v int NOT NULL, pad text) WITH (autovacuum_enabled = false)")
    sql(app, "INSERT INTO accounts SELECT g, 0, repeat('x', 200) FROM generate_series(1, 5000) g")
    sql(app, "DELETE FROM accounts WHERE id > 4000")   # 1000 dead tuples until vacuumed
    sql(app, "GRANT SELECT, UPDATE, INSERT ON accounts TO app")
    app.close()
    standby.base_backup(primary)
    standby.start()


def agent_config(tmp, port, primary, standby):
    password_file = os.path.join(tmp, "pg.password")
    with open(password_file, "w") as f:
        f.write(PASSWORD + "\n")
    os.chmod(password_file, 0o600)
    common = ["      user: scalewatch", "      database: app", f"      password_file: {password_file}",
              "      collection_timeout: 1s", "      connect_timeout: 2s", "      statement_timeout: 2s",
              "      lock_timeout: 500ms", "      min_interval: 0s", "      slow_interval: 2s",
              "      statements_window: 6s", "      top_statements: 5"]
    lines = [
        f'listen_address: "127.0.0.1:{port}"', f'data_dir: "{os.path.join(tmp, "data")}"',
        # Collections happen when the test scrapes, so it decides what the agent sees when.
        "collection_interval: 1h", "scrape_max_age: 0s", "collector_timeout: 5s",
        "collectors:",
        "  postgres:",
        "    targets:",
        "    - host: 127.0.0.1", f"      port: {primary.port}", "      labels: {role: primary}", *common,
        "    - host: 127.0.0.1", f"      port: {standby.port}", "      labels: {role: standby}", *common,
        # A superuser over the Unix socket: the session that may use a reserved slot.
        f"    - socket_dir: {tmp}", f"      port: {primary.port}", "      user: postgres",
        "      database: postgres", "      labels: {role: superuser}", "      collection_timeout: 1s",
        "      connect_timeout: 2s", "      min_interval: 0s",
        "  postgres_logs:", f"    files: [{', '.join(log_files(tmp))}]",
    ]
    path = os.path.join(tmp, "agent.yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run(binary, results, procs, tmp, primary, standby):
    t0 = time.monotonic()
    setup(tmp, primary, standby)
    testlib.Results.info(f"primary on {primary.port}, standby on {standby.port} ready in {time.monotonic() - t0:.1f}s")
    port = testlib.free_port()
    config = agent_config(tmp, port, primary, standby)
    os.makedirs(os.path.join(tmp, "data"), exist_ok=True)
    agent_log = os.path.join(tmp, "agent.log")
    proc = procs.start("scalewatch", [binary, "agent", "--config", config, "--data-dir", os.path.join(tmp, "data"),
                                      "--listen-address", f"127.0.0.1:{port}"], agent_log)
    agent = Agent(f"http://127.0.0.1:{port}")
    try:
        testlib.wait_port(port, proc)
        testlib.wait_http(agent.base + "/metrics", proc)
    except RuntimeError as e:
        results.fail("agent starts", f"{e}\n{procs.log_tail(proc)}")
        return
    P = dict(role="primary")
    S = dict(role="standby")
    SU = dict(role="superuser")
    server1 = f"127.0.0.1:{primary.port}"
    v = agent.value

    # ---- all up, every query allowed to the pg_monitor role
    ok, f = agent.wait_for(lambda f: v(f, "pg_up", **P) == 1 and v(f, "pg_up", **S) == 1 and v(f, "pg_up", **SU) == 1
                           and v(f, "pg_stat_walreceiver_up", **S) == 1)
    results.check("all three targets up", ok, procs.log_tail(proc))
    failed = [ls.get("section") + "@" + ls.get("role") for _, ls, val in f["scalewatch_postgres_query_success"].samples
              if val != 1] if "scalewatch_postgres_query_success" in f else ["no query_success"]
    results.check("the pg_monitor role runs every query, on the primary and the standby", not failed, f"failed: {failed}")
    results.check("primary and standby tell their role",
                  v(f, "pg_replication_is_replica", **P) == 0 and v(f, "pg_replication_is_replica", **S) == 1)
    results.check("pg_up carries server and the target's labels",
                  v(f, "pg_up", server=server1, role="primary") == 1)
    results.check("primary sees the standby streaming through its slot",
                  v(f, "pg_stat_replication_replay_lag_bytes", slot_name="standby1", state="streaming", **P) is not None
                  and v(f, "pg_replication_slots_active", slot_name="standby1", **P) == 1,
                  str(agent.values(f, "pg_stat_replication_replay_lag_bytes")))
    results.check("settings: max_connections 20, 3 reserved for superusers",
                  v(f, "pg_settings_max_connections", **P) == 20 and v(f, "pg_settings_superuser_reserved_connections", **P) == 3)
    ok, f = agent.wait_for(lambda f: v(f, "pg_stat_user_tables_n_dead_tup", relname="accounts", datname="app", **P) == 1000
                           and v(f, "pg_stat_user_tables_last_autovacuum", relname="accounts", **P) == 0, timeout=10)
    results.check("largest tables: 1000 dead tuples in accounts, never autovacuumed", ok,
                  str(agent.values(f, "pg_stat_user_tables_n_dead_tup", **P)))
    results.check("database sizes", (v(f, "pg_database_size_bytes", datname="app", **P) or 0) > 1_000_000)
    results.check("xid age per database", v(f, "pg_database_frozen_xid_age", datname="app", **P) is not None)
    wal_before = v(f, "pg_wal_current_lsn_bytes", **P)

    admin = primary.connect(dbname="postgres")
    check_locks(results, agent, primary, P)
    check_deadlock(results, agent, primary, P)
    check_prepared(results, agent, primary, P)
    check_hot_query(results, agent, primary, P)
    f, _ = agent.scrape()
    results.check("WAL written shows as a growing LSN", (v(f, "pg_wal_current_lsn_bytes", **P) or 0) > (wal_before or 0))
    sql(admin, "SELECT pg_switch_wal()")
    ok, f = agent.wait_for(lambda f: v(f, "pg_stat_archiver_archived_count", **P) >= 1, timeout=10)
    results.check("archiver counts archived WAL", ok, str(agent.values(f, "pg_stat_archiver_archived_count", **P)))
    check_replication_lag(results, agent, primary, standby, P, S)
    check_full_pool(results, agent, primary, admin, P, SU)
    check_log_formats(results, agent, tmp)
    check_stopped_backend(results, agent, primary, admin, P, S)
    admin.close()
    check_primary_down(results, agent, primary, standby, P, S, SU, proc)
    check_side_by_side(results, agent, procs, tmp, primary, P)
    check_tls(results, binary, procs, tmp, primary)

    # ---- the password went nowhere
    f, _ = agent.scrape()
    with open(agent_log, errors="replace") as fh:
        log = fh.read()
    results.check("the password is in no log line and no metric", PASSWORD not in log and PASSWORD not in agent.last_body)
    results.check("the agent logged the outages it saw", "postgres target down" in log and "postgres target up" in log)
    results.check("the agent is still running", proc.poll() is None)


def check_locks(results, agent, primary, P):
    v = agent.value
    holder = primary.connect(user="app", autocommit=False)
    waiter = primary.connect(user="app", autocommit=False)
    sql(holder, "UPDATE accounts SET v = v + 1 WHERE id = 1")
    blocked = threading.Thread(target=lambda: sql(waiter, "UPDATE accounts SET v = v + 1 WHERE id = 1"), daemon=True)
    blocked.start()
    ok, f = agent.wait_for(lambda f: v(f, "pg_locks_waiting", datname="app", mode="sharelock", locktype="transactionid", **P) == 1
                           and v(f, "pg_locks_blocked_backends", **P) == 1 and v(f, "pg_locks_oldest_wait_seconds", **P) > 0.3)
    results.check("a row-lock wait shows in pg_locks_waiting{datname,mode,locktype}, blocked backends and the oldest wait",
                  ok, f"waiting={agent.values(f, 'pg_locks_waiting', **P)} blocked={agent.values(f, 'pg_locks_blocked_backends', **P)}")
    results.check("one backend holds the lock", v(f, "pg_locks_blocking_backends", **P) == 1)
    results.check("the waiter waits on a Lock", (v(f, "pg_stat_activity_wait_event_type_count", wait_event_type="Lock", **P) or 0) >= 1)
    results.check("the holder is idle in transaction",
                  v(f, "pg_stat_activity_count", datname="app", state="idle in transaction", **P) == 1
                  and v(f, "pg_stat_activity_oldest_idle_in_transaction_seconds", **P) > 0)
    results.check("lock counts by mode keep postgres_exporter's shape",
                  (v(f, "pg_locks_count", datname="app", mode="rowexclusivelock", **P) or 0) >= 1
                  and v(f, "pg_locks_count", datname="app", mode="sireadlock", **P) == 0)
    holder.rollback()
    blocked.join(10)
    waiter.rollback()
    ok, f = agent.wait_for(lambda f: not agent.values(f, "pg_locks_waiting", **P) and v(f, "pg_locks_blocked_backends", **P) == 0)
    results.check("the wait ends and the series go", ok)
    holder.close()
    waiter.close()


def check_deadlock(results, agent, primary, P):
    f, _ = agent.scrape()
    before = agent.value(f, "pg_stat_database_deadlocks", datname="app", **P)
    a = primary.connect(user="app", autocommit=False)
    b = primary.connect(user="app", autocommit=False)
    sql(a, "UPDATE accounts SET v = v + 1 WHERE id = 10")
    sql(b, "UPDATE accounts SET v = v + 1 WHERE id = 11")
    errors = []

    def second(conn, row):
        try:
            sql(conn, "UPDATE accounts SET v = v + 1 WHERE id = %s", row)
        except psycopg2.Error as e:
            errors.append(e.pgcode)
        conn.rollback()

    ta = threading.Thread(target=second, args=(a, 11), daemon=True)
    ta.start()
    time.sleep(0.1)
    second(b, 10)
    ta.join(10)
    a.close()
    b.close()
    ok, f = agent.wait_for(lambda f: agent.value(f, "pg_stat_database_deadlocks", datname="app", **P) >= (before or 0) + 1)
    results.check("a deadlock counts in pg_stat_database_deadlocks{datname}", ok and "40P01" in errors,
                  f"before={before} now={agent.values(f, 'pg_stat_database_deadlocks', datname='app', **P)} errors={errors}")


def check_prepared(results, agent, primary, P):
    c = primary.connect(user="postgres", autocommit=False)
    sql(c, "INSERT INTO accounts VALUES (100001, 0, 'prepared')")
    sql(c, "PREPARE TRANSACTION 'scalewatch_test'")
    c.close()   # the prepared transaction outlives its session
    ok, f = agent.wait_for(lambda f: agent.value(f, "pg_prepared_xacts_count", **P) == 1
                           and agent.value(f, "pg_prepared_xacts_oldest_age_seconds", **P) > 0.5)
    results.check("a prepared transaction left open shows with its age", ok,
                  f"{agent.values(f, 'pg_prepared_xacts_count', **P)} {agent.values(f, 'pg_prepared_xacts_oldest_age_seconds', **P)}")
    c = primary.connect(user="postgres")
    sql(c, "ROLLBACK PREPARED 'scalewatch_test'")
    c.close()
    ok, _ = agent.wait_for(lambda f: agent.value(f, "pg_prepared_xacts_count", **P) == 0)
    results.check("and goes when rolled back", ok)


def check_hot_query(results, agent, primary, P):
    app = primary.connect(user="app")
    # Some history first: a heavier statement, run before the window, must not outrank the hot one.
    for _ in range(300):
        sql(app, "SELECT count(*) FROM accounts WHERE pad LIKE %s", "%y%")
    agent.scrape()
    time.sleep(6.5)   # statements_window: the heavy statement's burst leaves the window
    agent.scrape()
    read = time.monotonic()
    deadline = read + 3
    n = 0
    while time.monotonic() < deadline:
        sql(app, "SELECT v FROM accounts WHERE id = %s", n % 1000 + 1)
        n += 1
    app.close()
    # pg_stat_statements is read once per window, against the read before: the next one is due
    # a window (6 s, within the 0.5 s tolerance) after the scrape above.
    time.sleep(max(0.0, read + 6.2 - time.monotonic()))
    f, _ = agent.scrape()
    fam = f.get("pg_stat_statements_top_calls_per_second")
    samples = [(val, ls) for _, ls, val in fam.samples if ls.get("role") == "primary"] if fam else []
    samples.sort(key=lambda s: -s[0])
    top = samples[0][1] if samples else {}
    results.check("a statement run in a tight loop ranks first by calls/s, with queryid and its text",
                  "FROM accounts WHERE id = $1" in top.get("query", "") and top.get("queryid") and top.get("datname") == "app"
                  and top.get("user") == "app", f"{n} calls; top: {samples[:3]}")
    results.check("its rate is about what was run", samples and samples[0][0] > n / 20, f"{samples[:1]} for {n} calls")
    results.check("bounded: at most 2 × top_statements statements", len(samples) <= 10, str(len(samples)))
    results.check("cumulative counters for the ranked statements",
                  bool(agent.values(f, "pg_stat_statements_calls_total", queryid=top.get("queryid"), **P)))


def check_replication_lag(results, agent, primary, standby, P, S):
    v = agent.value
    sb = standby.connect(dbname="postgres")
    sql(sb, "SELECT pg_wal_replay_pause()")
    writer = primary.connect(user="app")
    for i in range(20):
        sql(writer, "UPDATE accounts SET v = v + 1 WHERE id = %s", i + 1)
        time.sleep(0.05)
    ok, f = agent.wait_for(lambda f: v(f, "pg_replication_replay_paused", **S) == 1 and v(f, "pg_replication_lag", **S) > 0.5
                           and v(f, "pg_replication_replay_lag_bytes", **S) > 0
                           and v(f, "pg_stat_replication_replay_lag_bytes", slot_name="standby1", **P) > 0)
    results.check("paused replay while the primary writes: lag in seconds and bytes on both sides", ok,
                  f"lag={agent.values(f, 'pg_replication_lag', **S)} bytes={agent.values(f, 'pg_replication_replay_lag_bytes', **S)} "
                  f"primary={agent.values(f, 'pg_stat_replication_replay_lag_bytes', **P)}")
    results.check("raw LSNs: received ahead of replayed",
                  (v(f, "pg_replication_last_receive_lsn_bytes", **S) or 0) > (v(f, "pg_replication_last_replay_lsn_bytes", **S) or 0))
    sql(sb, "SELECT pg_wal_replay_resume()")
    sb.close()
    ok, f = agent.wait_for(lambda f: v(f, "pg_replication_lag", **S) == 0 and v(f, "pg_replication_replay_lag_bytes", **S) == 0)
    results.check("resumed and caught up: lag 0", ok, str(agent.values(f, "pg_replication_lag", **S)))
    writer.close()


def check_full_pool(results, agent, primary, admin, P, SU):
    v = agent.value
    f, _ = agent.scrape()
    sessions, refused = fill_pool(primary)
    results.check("ordinary roles are refused once the pool is full", refused is not None, f"{len(sessions)} opened")
    testlib.Results.info(f"pool full after {len(sessions)} sessions: {refused}")
    f, _ = agent.scrape()
    results.check("the agent's long-lived session keeps reporting while the pool is full",
                  v(f, "pg_up", **P) == 1 and v(f, "pg_connections_utilization_ratio", **P) >= 1,
                  f"up={v(f, 'pg_up', **P)} ratio={v(f, 'pg_connections_utilization_ratio', **P)}")
    # Both agent sessions die; the pool stays full.
    sql(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'scalewatch'")
    time.sleep(0.2)
    sessions += fill_pool(primary)[0]
    ok, f = agent.wait_for(lambda f: v(f, "pg_up", **SU) == 1 and v(f, "pg_up", **P) == 0, timeout=10)
    results.check("a reconnect into the full pool works through the superuser-reserved slot, and only there",
                  ok, f"superuser={v(f, 'pg_up', **SU)} monitoring role={v(f, 'pg_up', **P)}")
    for s in sessions:
        s.close()
    ok, f = agent.wait_for(lambda f: v(f, "pg_up", **P) == 1, timeout=20)
    results.check("the monitoring role gets back in when the pool drains", ok)


def check_log_formats(results, agent, tmp):
    """The deadlock and the full pool's refusals, counted from each of the primary's log formats."""
    def counted(f, kind, source):
        return (agent.value(f, "scalewatch_postgres_log_errors_total", kind=kind, source=source) or 0) >= 1

    files = log_files(tmp)
    ok, f = agent.wait_for(lambda f: all(counted(f, kind, source) for source in files
                                         for kind in ("deadlock", "reserved_connection_slots")), timeout=15)
    found = {os.path.basename(source): {kind: agent.value(f, "scalewatch_postgres_log_errors_total", kind=kind, source=source)
                                        for kind in ("deadlock", "reserved_connection_slots")} for source in files}
    results.check("PostgreSQL's stderr, csvlog and jsonlog files each count the deadlock and the full pool", ok, str(found))


def check_stopped_backend(results, agent, primary, admin, P, S):
    v = agent.value
    f, _ = agent.scrape()
    errors_before = v(f, "scalewatch_postgres_errors_total", kind="timeout", **P)
    pids = [r[0] for r in sql(admin, "SELECT pid FROM pg_stat_activity WHERE application_name = 'scalewatch' "
                                     "AND usename = 'scalewatch'")]
    if len(pids) != 1:
        results.fail("found the agent's backend", str(pids))
        return
    os.kill(pids[0], signal.SIGSTOP)
    try:
        slowest = 0
        saw_stale = False
        ok = False
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            f, elapsed = agent.scrape()
            slowest = max(slowest, elapsed)
            saw_stale = saw_stale or (v(f, "scalewatch_postgres_stale", **P) == 1 and v(f, "pg_up", **P) == 1)
            if v(f, "scalewatch_postgres_errors_total", kind="timeout", **P) > errors_before and v(f, "pg_up", **P) == 1:
                ok = True
                break
            if v(f, "pg_up", **S) != 1:
                results.fail("another target is not held up by a stopped one", "standby down")
            time.sleep(0.3)
        results.check("a backend that stops answering never holds a scrape beyond collection_timeout", slowest < 2.5,
                      f"slowest scrape {slowest:.2f}s")
        results.check("meanwhile the last complete result is served, marked stale", saw_stale)
        results.check("after the hard limit the connection is dropped and a new one made", ok,
                      f"timeouts={v(f, 'scalewatch_postgres_errors_total', kind='timeout', **P)} up={v(f, 'pg_up', **P)}")
    finally:
        os.kill(pids[0], signal.SIGCONT)


def check_primary_down(results, agent, primary, standby, P, S, SU, proc):
    v = agent.value
    f, _ = agent.scrape()
    connects_before = v(f, "scalewatch_postgres_errors_total", kind="connect", **P)
    primary.stop("fast")
    lags = []
    ok, f = agent.wait_for(lambda f: (lags.append((v(f, "pg_stat_walreceiver_up", **S), v(f, "pg_replication_lag", **S)))
                                      or True) and v(f, "pg_up", **P) == 0 and v(f, "pg_up", **SU) == 0
                           and v(f, "pg_stat_walreceiver_up", **S) == 0, timeout=15)
    results.check("primary stopped mid-run: pg_up 0, the standby's WAL receiver disconnected", ok,
                  f"up={v(f, 'pg_up', **P)} receiver={v(f, 'pg_stat_walreceiver_up', **S)}")
    time.sleep(1)
    f, _ = agent.scrape()
    lags.append((v(f, "pg_stat_walreceiver_up", **S), v(f, "pg_replication_lag", **S)))
    disconnected = [lag for up, lag in lags if up == 0]
    results.check("a disconnected WAL receiver never reads as no lag",
                  disconnected and all(lag is not None and lag > 0 for lag in disconnected), str(lags))
    results.check("the standby says why", v(f, "pg_stat_walreceiver_status", status="streaming", **S) is None
                  and v(f, "pg_up", **S) == 1)
    results.check("connection failures are counted", v(f, "scalewatch_postgres_errors_total", kind="connect", **P) > connects_before)
    results.check("the agent keeps serving with the database down", proc.poll() is None)
    primary.start()
    ok, f = agent.wait_for(lambda f: v(f, "pg_up", **P) == 1 and v(f, "pg_up", **SU) == 1
                           and v(f, "pg_stat_walreceiver_up", **S) == 1, timeout=40, interval=0.5)
    results.check("the agent recovers when the primary returns, and the standby streams again", ok,
                  f"up={v(f, 'pg_up', **P)} su={v(f, 'pg_up', **SU)} receiver={v(f, 'pg_stat_walreceiver_up', **S)}")


def check_side_by_side(results, agent, procs, tmp, primary, P):
    port = testlib.free_port()
    env = dict(os.environ, DATA_SOURCE_NAME=f"postgresql://postgres@127.0.0.1:{primary.port}/app?sslmode=disable")
    exporter = procs.start("postgres_exporter", ["prometheus-postgres-exporter", f"--web.listen-address=127.0.0.1:{port}",
                                                 f"--extend.query-path={DEBIAN_QUERIES}"],
                           os.path.join(tmp, "postgres_exporter.log"), env=env)
    try:
        testlib.wait_http(f"http://127.0.0.1:{port}/metrics", exporter)
    except RuntimeError as e:
        results.fail("prometheus-postgres-exporter starts", str(e))
        return
    time.sleep(0.5)
    _, _, body = testlib.http_get(f"http://127.0.0.1:{port}/metrics")
    theirs = testlib.parse_text(body.decode())
    ours, _ = agent.scrape()
    ours = {name: fam for name, fam in ours.items() if any(ls.get("role") == "primary" for _, ls, _ in fam.samples)}
    for fam in ours.values():
        fam.samples = [s for s in fam.samples if s[1].get("role") == "primary"]
    shared = sorted(n for n in ours if n in theirs and n.startswith("pg_") and not n.startswith(("pg_exporter_", "pg_scrape_")))
    # pg_up carries `server` here because one agent watches several servers (documented).
    allowed = {"pg_up": {"server"}}
    mismatched = []
    for name in shared:
        mine = ours[name].label_names - {"role"} - allowed.get(name, set())
        if mine != theirs[name].label_names:
            mismatched.append(f"{name}: ours {sorted(mine)} theirs {sorted(theirs[name].label_names)}")
    types = [f"{n}: {ours[n].type} vs {theirs[n].type}" for n in shared if ours[n].type != theirs[n].type]
    expected = {"pg_up", "pg_static", "pg_stat_activity_count", "pg_stat_activity_max_tx_duration", "pg_locks_count",
                "pg_settings_max_connections", "pg_settings_superuser_reserved_connections", "pg_stat_database_xact_commit",
                "pg_stat_database_deadlocks", "pg_stat_database_conflicts_confl_lock", "pg_stat_bgwriter_checkpoints_timed_total",
                "pg_stat_archiver_archived_count", "pg_database_size_bytes", "pg_stat_replication_pg_wal_lsn_diff",
                "pg_stat_replication_pg_current_wal_lsn_bytes", "pg_replication_slots_active",
                "pg_replication_slots_pg_wal_lsn_diff", "pg_replication_lag", "pg_postmaster_start_time_seconds",
                "pg_stat_user_tables_n_dead_tup", "pg_stat_user_tables_last_autovacuum"}
    testlib.Results.info(f"{len(shared)} families shared with postgres_exporter 0.11")
    results.check("postgres_exporter and the agent share the expected families", expected <= set(shared),
                  f"missing: {sorted(expected - set(shared))}")
    results.check("shared families have the same label names", not mismatched, "; ".join(mismatched))
    results.check("shared families have the same types", not types, "; ".join(types))
    procs.stop(exporter)


def check_tls(results, binary, procs, tmp, primary):
    """A second agent whose targets differ only in sslmode and CA."""
    tls = os.path.join(tmp, "tls")
    common = ["      user: scalewatch_tls", "      database: app", f"      password_file: {os.path.join(tmp, 'pg.password')}",
              f"      port: {primary.port}", "      collection_timeout: 2s", "      connect_timeout: 2s", "      min_interval: 0s"]
    port = testlib.free_port()
    lines = [
        f'listen_address: "127.0.0.1:{port}"', "collection_interval: 1h", "scrape_max_age: 0s",
        "collectors:", "  postgres:", "    targets:",
        "    - host: localhost", "      sslmode: verify-full", f"      sslrootcert: {tls}/ca.crt",
        "      labels: {tls: verify-full}", *common,
        "    - host: 127.0.0.1", "      sslmode: require", "      labels: {tls: require}", *common,
        "    - host: localhost", "      sslmode: verify-ca", f"      sslrootcert: {tls}/other-ca.crt",
        "      labels: {tls: wrong-ca}", *common,
        "    - host: 127.0.0.1", "      sslmode: disable", "      labels: {tls: disable}", *common,
    ]
    config = os.path.join(tmp, "agent-tls.yml")
    with open(config, "w") as f:
        f.write("\n".join(lines) + "\n")
    data = os.path.join(tmp, "data-tls")
    os.makedirs(data)
    log_path = os.path.join(tmp, "agent-tls.log")
    proc = procs.start("scalewatch-tls", [binary, "agent", "--config", config, "--data-dir", data], log_path)
    agent = Agent(f"http://127.0.0.1:{port}")
    try:
        testlib.wait_http(agent.base + "/metrics", proc)
    except RuntimeError as e:
        results.fail("the TLS agent starts", f"{e}\n{procs.log_tail(proc)}")
        return
    v = agent.value
    ok, f = agent.wait_for(lambda f: v(f, "pg_up", tls="verify-full") == 1 and v(f, "pg_up", tls="require") == 1
                           and v(f, "pg_up", tls="wrong-ca") == 0 and v(f, "pg_up", tls="disable") == 0, timeout=20)
    results.check("sslmode: verify-full and require get in, a wrong CA and cleartext are refused", ok,
                  str({mode: v(f, "pg_up", tls=mode) for mode in ("verify-full", "require", "wrong-ca", "disable")})
                  + "\n" + procs.log_tail(proc))
    admin = primary.connect(dbname="postgres")
    encrypted = sql(admin, "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                           "WHERE a.usename = 'scalewatch_tls' AND s.ssl")[0][0]
    admin.close()
    results.check("both sessions that got in are encrypted (pg_stat_ssl)", encrypted == 2, f"{encrypted} encrypted")
    results.check("the refusals are counted as connection errors",
                  (v(f, "scalewatch_postgres_errors_total", kind="connect", tls="wrong-ca") or 0) >= 1
                  and (v(f, "scalewatch_postgres_errors_total", kind="connect", tls="disable") or 0) >= 1)
    procs.stop(proc)
    with open(log_path, errors="replace") as fh:
        log = fh.read()
    # Only the refused targets go down: wrong-ca is the one on localhost, disable the one on 127.0.0.1.
    down = [line for line in log.splitlines() if "postgres target down" in line]
    testlib.Results.info("TLS refusals as logged:\n  " + "\n  ".join(down))
    results.check("the log says the certificate was not trusted", any("server=localhost:" in l and "certif" in l.lower() for l in down),
                  "\n".join(down))
    results.check("the log says the server wants TLS", any("server=127.0.0.1:" in l and ("SSL" in l or "encryption" in l) for l in down),
                  "\n".join(down))
    results.check("the password is not in the TLS agent's log", PASSWORD not in log)


if __name__ == "__main__":
    sys.exit(main())
