#!/usr/bin/env python3
"""advise_test.py BINARY - `scalewatch advise` against real agents and a real PostgreSQL.

Starts a PostgreSQL server (scripts/postgres_test.py's Cluster, max_connections 20, 3 reserved
for superusers), an agent watching it with the shipped rule pack (the database host) and a
second agent watching nothing but this host (a quiet application host), both collecting every
second. Then:
  - the quiet agent alone: "Nothing is breaking." with its headroom, exit status 0;
  - the database's connections filled until PostgreSQL refuses one: advise names stage 4
    (`4-load-balanced`, signature pg_pool_full) on the database agent, with the numbers
    (connections of the 17 ordinary roles may open, max_connections 20), exit status 1, in text
    and in JSON; with both agents, the finding names the database host and the quiet host's
    headroom is listed; over the database agent's data directory, the same finding;
  - an unreachable --url beside the quiet agent: the URL named, exit status 2, the quiet agent
    still read.
Needs root (initdb runs as postgres through runuser) and /usr/bin/python3 with psycopg2.
"""
import glob
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import postgres_test as pg  # noqa: E402
import testlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = sorted(glob.glob(os.path.join(ROOT, "config/rules/*.yml")))


def setup_postgres(tmp, server):
    """A primary with a small pool: 20 connections, 3 of them for superusers."""
    server.initdb()
    server.configure("fsync = off", "max_connections = 20", "superuser_reserved_connections = 3")
    server.hba_first("host all scalewatch 127.0.0.1/32 scram-sha-256")
    server.start()
    admin = server.connect(dbname="postgres")
    pg.sql(admin, "CREATE ROLE scalewatch LOGIN PASSWORD %s", pg.PASSWORD)
    pg.sql(admin, "GRANT pg_monitor TO scalewatch")
    pg.sql(admin, "CREATE ROLE app LOGIN")
    pg.sql(admin, "CREATE DATABASE app OWNER app")
    admin.close()


def start_agent(procs, binary, directory, postgres=None):
    """An agent with the rule pack, collecting and evaluating every second; returns its URL."""
    os.makedirs(directory, exist_ok=True)
    port = testlib.free_port()
    lines = [f'listen_address: "127.0.0.1:{port}"', f'data_dir: "{os.path.join(directory, "data")}"',
             "collection_interval: 1s", "evaluation_interval: 1s", f"rule_files: [{', '.join(RULES)}]"]
    if postgres:
        password_file = os.path.join(directory, "pg.password")
        with open(password_file, "w") as f:
            f.write(pg.PASSWORD + "\n")
        os.chmod(password_file, 0o600)
        lines += ["collectors:", "  postgres:", "    targets:", "    - host: 127.0.0.1", f"      port: {postgres.port}",
                  "      user: scalewatch", "      database: app", f"      password_file: {password_file}",
                  "      min_interval: 0s", "      slow_interval: 2s"]
    config = os.path.join(directory, "agent.yml")
    with open(config, "w") as f:
        f.write("\n".join(lines) + "\n")
    proc = procs.start("scalewatch", [binary, "agent", "--config", config], os.path.join(directory, "agent.log"))
    testlib.wait_port(port, proc)
    return f"http://127.0.0.1:{port}", proc


def advise(binary, *args):
    """(exit status, stdout, stderr) of `scalewatch advise ARGS`."""
    out = subprocess.run([binary, "advise", *args], capture_output=True, text=True, timeout=60)
    return out.returncode, out.stdout, out.stderr


def advise_json(binary, *args):
    status, stdout, stderr = advise(binary, *args, "--output", "json")
    try:
        return status, json.loads(stdout), stderr
    except json.JSONDecodeError:
        return status, None, stdout + stderr


def pool_finding(report):
    return next((f for f in (report or {}).get("findings", []) if f["signature"] == "pg_pool_full"), None)


def run(binary, results, procs, tmp):
    server = pg.Cluster("primary", tmp, testlib.free_port())
    setup_postgres(tmp, server)
    try:
        db_url, db_proc = start_agent(procs, binary, os.path.join(tmp, "db"), postgres=server)
        app_url, _ = start_agent(procs, binary, os.path.join(tmp, "app"))
        db_name, app_name = db_url.removeprefix("http://"), app_url.removeprefix("http://")
        time.sleep(4)

        # A quiet host: nothing breaking, its headroom, exit 0.
        status, stdout, stderr = advise(binary, "--url", app_url, "--since", "2m")
        results.check("a quiet agent: 'Nothing is breaking.' and exit status 0",
                      status == 0 and "Nothing is breaking." in stdout, f"exit {status}\n{stdout}{stderr}")
        results.check("a quiet agent: its headroom with the CPU peak and memory available",
                      f"{app_name}: CPU peak" in stdout and "memory available never below" in stdout, stdout)

        # Stage 4: fill the pool until PostgreSQL refuses an ordinary role.
        sessions, refusal = pg.fill_pool(server)
        results.check("PostgreSQL refuses a connection once the pool is full", refusal is not None, f"{len(sessions)} opened")
        finding, report, deadline = None, None, time.monotonic() + 30
        while finding is None and time.monotonic() < deadline:
            time.sleep(1)
            status, report, _ = advise_json(binary, "--url", db_url, "--since", "2m")
            finding = pool_finding(report)
        results.check("the full pool: advise names stage 4 (pg_pool_full) on the database agent",
                      finding is not None and finding["stage"] == "4-load-balanced" and finding["hosts"] == [db_name],
                      json.dumps(report)[:2000] + procs.log_tail(db_proc))
        if finding:
            numbers = finding["evidence"]["numbers"]
            results.check("the full pool: the numbers (17 of 17 ordinary connections, max_connections 20)",
                          numbers.get("max_connections") == 20 and numbers.get("connections_limit") == 17
                          and numbers.get("connections_peak", 0) >= 16, json.dumps(numbers))
            results.check("the full pool: the story says it in words",
                          "of the 17 ordinary roles may open (max_connections 20)" in finding["evidence"]["text"],
                          finding["evidence"]["text"])
            results.check("the full pool: the next step is the runbook's (a pooler)", "PgBouncer" in finding["next_step"],
                          finding["next_step"])
            results.check("the full pool: exit status 1 and status breaking",
                          status == 1 and report["status"] == "breaking" and report["stage"] == "4-load-balanced",
                          f"exit {status}, {report['status']}, {report['stage']}")
        status, stdout, _ = advise(binary, "--url", db_url, "--since", "2m")
        results.check("the full pool in text: the verdict names stage 4",
                      status == 1 and "The system has reached Stage 4" in stdout and "max_connections 20" in stdout, stdout)

        testlib.Results.info("advise over the database agent says:\n" + stdout)

        # Both hosts: the finding names the database host; the quiet host's headroom is listed.
        status, report, _ = advise_json(binary, "--url", app_url, "--url", db_url, "--since", "2m")
        finding = pool_finding(report)
        results.check("two agents: the pool finding names the database host only",
                      finding is not None and finding["hosts"] == [db_name] and "application hosts" in finding["evidence"]["text"],
                      json.dumps(finding))
        testlib.Results.info("advise over both agents (text):\n" + advise(binary, "--url", app_url, "--url", db_url, "--since", "2m")[1])
        results.check("two agents: both hosts' headroom",
                      report is not None and [h["host"] for h in report["headroom"]] == [app_name, db_name],
                      json.dumps(report)[:1000])

        # The same over the database agent's data directory, read while it runs.
        status, report, stderr = advise_json(binary, "--data-dir", os.path.join(tmp, "db", "data"), "--since", "2m")
        results.check("--data-dir: the same stage 4 finding from the store",
                      pool_finding(report) is not None and status == 1, f"exit {status} {stderr}")
        for s in sessions:
            s.close()

        # An unreachable agent beside a readable one.
        dead = f"http://127.0.0.1:{testlib.free_port()}"
        status, stdout, stderr = advise(binary, "--url", app_url, "--url", dead, "--since", "2m")
        results.check("an unreachable --url: named, exit status 2",
                      status == 2 and f"Could not read {dead}: cannot reach the agent" in stdout, f"exit {status}\n{stdout}{stderr}")
        results.check("an unreachable --url: the other agent is still read", f"{app_name}: CPU peak" in stdout, stdout)
    finally:
        server.stop("immediate")


def main():
    binary = os.path.abspath(sys.argv[1])
    results = testlib.Results()
    procs = testlib.Processes()
    tmp = testlib.postgres_workdir(results, procs, "scalewatch-advise.")
    if tmp is None:
        return results.finish()
    started = time.monotonic()
    try:
        run(binary, results, procs, tmp)
    finally:
        procs.close()
    testlib.Results.info(f"took {time.monotonic() - started:.1f} s")
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
