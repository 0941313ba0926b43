#!/usr/bin/env python3
"""The shipped Grafana dashboard (config/grafana/scalewatch.json) against a running agent:
the file is what scripts/generate_grafana_dashboard.py writes, in the shape Grafana imports
(schemaVersion, __inputs, a `datasource` variable of type prometheus used by every panel, an
`instance` variable); every panel query, its variables substituted as Grafana would
("All" instances, $__rate_interval), parses and runs on the agent's /api/v1/query_range, and
returns data after a short run, unless it is listed in DATA_DEPENDENT with the reason (the
PostgreSQL panels need a PostgreSQL to watch; OOM kills and cgroup services need the events or
the units). When run as root with PostgreSQL 15's binaries ($PG_BIN), a real primary and a
streaming standby (with a prepared transaction left open) are started for the agent to watch,
and the PostgreSQL panels must return data too. Usage: grafana_dashboard_test.py BINARY"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from postgres_test import PG_BIN, Cluster, as_postgres  # noqa: E402

BIN = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DASHBOARD = os.path.join(ROOT, "config", "grafana", "scalewatch.json")

# Metric-name prefixes whose panels may rightly be empty here, and why.
DATA_DEPENDENT = {
    "pg_": "PostgreSQL panels: need a PostgreSQL target (scripts/postgres_test.sh runs one)",
    "scalewatch_postgres_": "PostgreSQL log panels: need a PostgreSQL log to follow",
    "scalewatch_oom_kills_total": "OOM kills by victim: a series exists only after a kill",
    "scalewatch_service_": "per-service panels: need the cgroups collector and systemd units",
    'ALERTS{alertstate="pending"': "pending alerts: none may be pending at that moment",
}

# With a PostgreSQL to watch, these PostgreSQL panels may still rightly be empty.
PG_DATA_DEPENDENT = {
    "scalewatch_postgres_": "PostgreSQL log panels: the test does not follow PostgreSQL's log",
}

VARIABLES = [("$__rate_interval", "1m"), ("${instance}", ".*"), ("$instance", ".*")]


def substitute(expr):
    for name, value in VARIABLES:
        expr = expr.replace(name, value)
    return expr


def targets(panels):
    for panel in panels:
        yield from ((panel, t) for t in panel.get("targets", []))
        yield from targets(panel.get("panels", []))


def start_postgres(directory):
    """A primary and its streaming standby on free loopback ports, trust authentication, a
    prepared transaction left open on the primary; returns (targets for the agent, stop)."""
    shutil.chown(directory, "postgres")
    primary = Cluster("primary", directory, testlib.free_port())
    standby = Cluster("standby", directory, testlib.free_port())

    def stop():
        standby.stop("immediate")
        primary.stop("immediate")

    primary.initdb()
    primary.configure("fsync = off", "max_prepared_transactions = 5", "max_wal_senders = 5")
    primary.start()
    standby.base_backup(primary)
    standby.start()
    as_postgres(f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                "-f", "-", input="CREATE TABLE t (i int);\nBEGIN;\nINSERT INTO t VALUES (1);\n"
                                 "PREPARE TRANSACTION 'grafana_test';\n")
    targets = [{"host": "127.0.0.1", "port": cluster.port, "user": "postgres", "database": "postgres",
                "labels": {"role": role}, "min_interval": "0s"} for cluster, role in ((primary, "primary"), (standby, "standby"))]
    return targets, stop


def main():
    results = testlib.Results()
    with open(DASHBOARD) as f:
        text = f.read()
    dashboard = json.loads(text)
    with tempfile.NamedTemporaryFile("r", suffix=".json") as generated:
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "generate_grafana_dashboard.py"), generated.name], check=True)
        results.check("the committed dashboard is the generator's output", generated.read() == text,
                      "run scripts/generate_grafana_dashboard.py")

    results.check("schemaVersion 39", dashboard.get("schemaVersion") == 39, str(dashboard.get("schemaVersion")))
    inputs = dashboard.get("__inputs", [])
    results.check("__inputs asks for a Prometheus data source",
                  any(i.get("type") == "datasource" and i.get("pluginId") == "prometheus" for i in inputs), str(inputs))
    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    results.check("a `datasource` variable of type prometheus",
                  variables.get("datasource", {}).get("type") == "datasource"
                  and variables["datasource"].get("query") == "prometheus", str(variables.get("datasource")))
    results.check("an `instance` variable with All as .*", variables.get("instance", {}).get("allValue") == ".*")
    pairs = list(targets(dashboard["panels"]))
    results.check("every panel and target reads ${datasource}",
                  all(p.get("datasource", {}).get("uid") == "${datasource}" and t.get("datasource", {}).get("uid") == "${datasource}"
                      for p, t in pairs))
    results.check("every selector is filtered by instance",
                  all("$instance" in t["expr"] for _, t in pairs), [t["expr"] for _, t in pairs if "$instance" not in t["expr"]])
    rows = [p["title"] for p in dashboard["panels"] if p["type"] == "row"]
    results.check("one row per stage", all(any(r.startswith(f"Stage {n} ") for r in rows) for n in range(1, 8)), str(rows))

    procs = testlib.Processes()
    stop_postgres = None
    pg_directory = None
    dependent = dict(DATA_DEPENDENT)
    try:
        work = procs.tempdir()
        options = {}
        if os.geteuid() == 0 and os.path.exists(f"{PG_BIN}/initdb"):
            # Its own directory: the test's is not open to the postgres user.
            pg_directory = tempfile.mkdtemp(prefix="scalewatch-grafana-pg.")
            pg_targets, stop_postgres = start_postgres(pg_directory)
            options = {"postgres": {"targets": pg_targets}}
            del dependent["pg_"]
            dependent.update(PG_DATA_DEPENDENT)
            testlib.Results.info(f"PostgreSQL primary and standby running on ports {[t['port'] for t in pg_targets]}")
        else:
            testlib.Results.info("no PostgreSQL (needs root and $PG_BIN): its panels are data-dependent")
        agent, base = testlib.start_agent(procs, BIN, work, interval="1s",
                                          collectors=testlib.COLLECTORS + (["postgres"] if options else []),
                                          collector_options=options,
                                          rule_files=[f"{ROOT}/config/rules/*.yml"], evaluation_interval="1s")
        testlib.wait_http(base + "/-/ready", agent)
        time.sleep(20)  # a rate over $__rate_interval needs two samples in the window

        end = time.time()
        empty = []
        for panel, target in pairs:
            expr = substitute(target["expr"])
            name = f'{panel["title"]} [{target["refId"]}]'
            query = urllib.parse.urlencode({"query": expr, "start": f"{end - 300:.3f}", "end": f"{end:.3f}", "step": "5"})
            status, _, body = testlib.http_get(f"{base}/api/v1/query_range?{query}")
            try:
                answer = json.loads(body)
            except ValueError:
                answer = {}
            if not results.check(f"{name}: parses and runs", status == 200 and answer.get("status") == "success",
                                 f"{status} {body[:300]!r} for {expr}"):
                continue
            reason = next((why for prefix, why in dependent.items() if prefix in expr), None)
            has_data = any(series.get("values") for series in answer["data"]["result"])
            if reason:
                testlib.Results.info(f"{name}: {'has data' if has_data else 'no data'} (data-dependent: {reason})")
                if not has_data:
                    empty.append(name)
            else:
                results.check(f"{name}: returns data", has_data, expr)
        testlib.Results.info(f"{len(pairs)} queries; data-dependent and empty here: {len(empty)}")
    finally:
        procs.close()
        if stop_postgres:
            stop_postgres()
            shutil.rmtree(pg_directory, ignore_errors=True)
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
