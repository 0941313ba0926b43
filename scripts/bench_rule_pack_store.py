#!/usr/bin/env python3
"""bench_rule_pack_store.py BINARY [--scale N] [--runs R] - the shipped pack's expressions over
a store of N hosts, the agent against Prometheus 2.42 on the same data.

scripts/bench_rule_pack.py measures the pack as the agent runs it, over the minutes of history
a fresh agent has of one host. This measures what one evaluation of the pack costs over a store
that holds many hosts and hours of history: the shared benchmark dataset
(../shared/bench/data/node-pg-1s.om.zst, node_exporter and postgres_exporter names, 1 s
samples), replicated to N hosts (../shared/bench/replicate.py), imported into the agent's store
(`scalewatch import openmetrics`) and into Prometheus' (`promtool tsdb create-blocks-from
openmetrics`). Every alerting rule's expression of config/rules/*.yml is then evaluated as an
instant query at the dataset's last timestamp through each server's /api/v1/query, R times,
alternating servers; per expression the median wall time (client side, one kept-alive
connection each, the answer read whole) is taken, and their sum is one evaluation of the pack.
Rules over series the dataset does not have (the agent's own scalewatch_* metrics) return
empty results on both and are cheap on both. An expression that fails on a store of many hosts
(the pack is written for the agent's own store, one host) is timed as it fails, and listed. Prints the per-expression medians of the slowest
and the sums, their ratio, and each sum as a share of one core at a 15 s evaluation interval.

A benchmark, not a test: never part of the suite. Needs prometheus, promtool and zstd.
"""
import argparse
import glob
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench")
sys.path.insert(0, HERE)
import testlib  # noqa: E402


def pack_expressions():
    expressions = []
    for path in sorted(glob.glob(os.path.join(ROOT, "config/rules/*.yml"))):
        with open(path) as f:
            for group in yaml.safe_load(f)["groups"]:
                for rule in group["rules"]:
                    if "alert" in rule:
                        expressions.append((rule["alert"], rule["expr"]))
    return expressions


def time_range(path):
    lo, hi = float("inf"), float("-inf")
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            t = float(line.rsplit(" ", 1)[1])
            lo, hi = min(lo, t), max(hi, t)
    return lo, hi


class Client:
    """One kept-alive HTTP connection to a Prometheus-compatible API."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def query(self, expr, at):
        path = "/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": f"{at:.3f}"})
        started = time.perf_counter()
        self.connection.request("GET", path)
        body = self.connection.getresponse().read()
        elapsed = time.perf_counter() - started
        answer = json.loads(body)
        if answer.get("status") != "success":
            return elapsed, f"error: {answer.get('error')}"
        return elapsed, len(answer["data"]["result"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    procs = testlib.Processes()
    work = procs.tempdir("scalewatch-pack-store.")
    try:
        raw = os.path.join(work, "ds.om")
        subprocess.run(["zstd", "-d", "-q", "-f", os.path.join(SHARED, "data/node-pg-1s.om.zst"), "-o", raw], check=True)
        if args.scale > 1:
            scaled = os.path.join(work, "scaled.om")
            subprocess.run([sys.executable, os.path.join(SHARED, "replicate.py"), str(args.scale), raw, scaled], check=True)
            os.replace(scaled, raw)
        start, end = time_range(raw)
        data = os.path.join(work, "agent")
        subprocess.run([binary, "import", "openmetrics", raw, "--data-dir", data], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h", raw,
                        os.path.join(work, "prom")], check=True, stdout=subprocess.DEVNULL)
        os.remove(raw)

        agent_port, prom_port = testlib.free_port(), testlib.free_port()
        with open(os.path.join(work, "agent.yml"), "w") as f:
            f.write(f'listen_address: "127.0.0.1:{agent_port}"\ndata_dir: "{data}"\n'
                    "storage:\n  retention_time: 100y\n")
        agent = procs.start("scalewatch", [binary, "agent", "--config", os.path.join(work, "agent.yml")],
                            os.path.join(work, "agent.log"))
        with open(os.path.join(work, "prometheus.yml"), "w") as f:
            f.write("global:\n  scrape_interval: 15s\nscrape_configs: []\n")
        prometheus = procs.start("prometheus", [
            "prometheus", f"--config.file={work}/prometheus.yml", f"--storage.tsdb.path={work}/prom",
            "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{prom_port}"],
            os.path.join(work, "prometheus.log"))
        testlib.wait_http(f"http://127.0.0.1:{agent_port}/-/ready", agent, timeout=120)
        testlib.wait_http(f"http://127.0.0.1:{prom_port}/-/ready", prometheus, timeout=120)
        time.sleep(3)

        clients = {"scalewatch": Client(agent_port), "prometheus": Client(prom_port)}
        expressions = pack_expressions()
        medians = {name: [] for name in clients}
        rows = []
        for alert, expr in expressions:
            times = {name: [] for name in clients}
            results = {}
            for _ in range(args.runs + 1):  # the first run of each warms caches and is dropped
                for name, client in clients.items():
                    elapsed, count = client.query(expr, end)
                    times[name].append(elapsed)
                    results[name] = count
            row = {name: statistics.median(values[1:]) * 1000 for name, values in times.items()}
            for name in clients:
                medians[name].append(row[name])
            rows.append((alert, row, results))
        print(f"{len(expressions)} alert expressions, {args.scale} host(s), "
              f"{(end - start) / 60:.0f} min of 1 s samples, instant queries at the last sample, median of {args.runs}")
        print(f"{'alert':38} {'ours ms':>8} {'prom ms':>8} {'ratio':>6}  series (ours/prom)")
        for alert, row, results in sorted(rows, key=lambda r: -r[1]["prometheus"])[:12]:
            print(f"{alert:38} {row['scalewatch']:8.2f} {row['prometheus']:8.2f} "
                  f"{row['scalewatch'] / row['prometheus']:6.2f}  {results['scalewatch']}/{results['prometheus']}")
        ours, theirs = sum(medians["scalewatch"]), sum(medians["prometheus"])
        print(f"one evaluation of the pack: scalewatch {ours:.1f} ms, Prometheus {theirs:.1f} ms, ratio {ours / theirs:.2f}")
        print(f"as a share of one core at a 15 s interval: scalewatch {ours / 150:.3f}%, Prometheus {theirs / 150:.3f}% "
              "(wall time of the HTTP answers, an upper bound of the CPU)")
        differing = [alert for alert, _, results in rows if results["scalewatch"] != results["prometheus"]]
        print(f"alerts whose results differ: {differing or 'none'}")
        failing = sorted({f"{alert} ({results['scalewatch']})" for alert, _, results in rows
                          if isinstance(results["scalewatch"], str)})
        print(f"expressions that fail on this store: {failing or 'none'}")
    finally:
        procs.close()


if __name__ == "__main__":
    main()
