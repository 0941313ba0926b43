#!/usr/bin/env python3
"""api_test.py BIN - the agent's Prometheus HTTP API against a real Prometheus 2.42 on the same data.

A slice of the shared benchmark dataset (a few node_exporter and postgres_exporter families,
25 minutes at 1 s) plus a synthetic histogram is imported into the agent's store
(`scalewatch import openmetrics`) and into Prometheus' (`promtool tsdb create-blocks-from
openmetrics`). Then, over HTTP:

- the same instant and range queries (selectors, rate, aggregations, histogram_quantile, topk,
  binary operators, regex matchers, @, offsets, subqueries) give the same result types, label
  sets and values (relative tolerance 1e-9) and timestamps;
- the same bad inputs give the same status codes and error types;
- series, labels and label values agree;
- `promtool query instant|range|series|labels` against the agent succeed and print the series;
- Prometheus federates the agent's /federate (its own live series) and stores them.

Runs in about a minute. Standard library only (testlib.py beside it).
"""
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATASET = os.environ.get("DATASET", os.path.join(HERE, "../../shared/bench/data/node-pg-1s.om.zst"))
FAMILIES = {"node_cpu_seconds", "node_memory_MemAvailable_bytes", "node_load1", "node_load5",
            "pg_stat_database_xact_commit", "pg_stat_activity_count", "node_network_receive_bytes",
            "go_gc_duration_seconds", "node_filesystem_avail_bytes"}
TOLERANCE = 1e-9


def slice_dataset(source, target):
    """The chosen families of the dataset and a synthetic histogram, as one OpenMetrics file;
    returns (first, last) sample time in seconds."""
    raw = subprocess.run(["zstd", "-dc", source], check=True, capture_output=True).stdout.decode()
    keep, out = False, []
    lo, hi = math.inf, -math.inf
    for line in raw.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE ") or line.startswith("# UNIT "):
            keep = line.split(" ", 3)[2] in FAMILIES
            if keep:
                out.append(line)
            continue
        if line.startswith("#") or not keep:
            continue
        out.append(line)
        t = float(line.rsplit(" ", 1)[1])
        lo, hi = min(lo, t), max(hi, t)
    # A histogram the dataset lacks: two instances, a request every few ms, counts growing.
    out.append("# HELP http_request_duration_seconds Request latency.")
    out.append("# TYPE http_request_duration_seconds histogram")
    bounds = ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"]
    series = []
    for inst, scale in (("a:1", 1.0), ("b:1", 2.5)):
        for i, le in enumerate(bounds):
            series.append((f'http_request_duration_seconds_bucket{{instance="{inst}",le="{le}"}}',
                           lambda n, i=i, s=scale: math.floor(n * (i + 1) * s)))
        series.append((f'http_request_duration_seconds_count{{instance="{inst}"}}',
                       lambda n, s=scale: math.floor(n * len(bounds) * s)))
        series.append((f'http_request_duration_seconds_sum{{instance="{inst}"}}', lambda n, s=scale: n * 0.3 * s))
    t0 = math.floor(lo)
    for name, value in series:
        for n in range(0, int(hi - t0), 5):
            out.append(f"{name} {value(n)} {t0 + n}")
    out.append("# EOF")
    with open(target, "w") as f:
        f.write("\n".join(out) + "\n")
    return lo, hi


def api(base, path, params=None, method="GET"):
    """(status, decoded JSON or None) of an API call; params as a list of pairs."""
    data = urllib.parse.urlencode(params or [])
    url = base + path + ("?" + data if data and method == "GET" else "")
    req = urllib.request.Request(url, data=data.encode() if method == "POST" else None, method=method)
    if method == "POST":
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        body = e.read()
        try:
            return e.code, json.loads(body)
        except ValueError:
            return e.code, None


def close(a, b):
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= TOLERANCE * max(1.0, abs(x), abs(y))


def key(metric):
    return tuple(sorted(metric.items()))


def compare_data(ours, theirs):
    """None when the two `data` members agree, else what differs."""
    if ours["resultType"] != theirs["resultType"]:
        return f"resultType {ours['resultType']} != {theirs['resultType']}"
    kind = ours["resultType"]
    if kind in ("scalar", "string"):
        a, b = ours["result"], theirs["result"]
        ok = a[0] == b[0] and (a[1] == b[1] if kind == "string" else close(a[1], b[1]))
        return None if ok else f"{a} != {b}"
    mine = {key(s["metric"]): s for s in ours["result"]}
    other = {key(s["metric"]): s for s in theirs["result"]}
    if set(mine) != set(other):
        only_ours = sorted(set(mine) - set(other))[:3]
        only_theirs = sorted(set(other) - set(mine))[:3]
        return f"series differ: {len(mine)} vs {len(other)}; only ours {only_ours}; only Prometheus' {only_theirs}"
    for k, s in mine.items():
        t = other[k]
        if kind == "vector":
            pairs = [(s["value"], t["value"])]
        else:
            if len(s["values"]) != len(t["values"]):
                return f"{dict(k)}: {len(s['values'])} points vs {len(t['values'])}"
            pairs = zip(s["values"], t["values"])
        for p, q in pairs:
            if p[0] != q[0] or not close(p[1], q[1]):
                return f"{dict(k)}: {p} != {q}"
    if kind == "vector" and len(mine) != len(ours["result"]):
        return "duplicate series in our vector"
    return None


def run(binary, work, procs, results):
    om = os.path.join(work, "ds.om")
    lo, hi = slice_dataset(DATASET, om)
    lo_s, hi_s = math.ceil(lo), math.floor(hi)
    agent_dir = os.path.join(work, "agent")
    os.makedirs(os.path.join(agent_dir, "data"))
    t = time.monotonic()
    subprocess.run([binary, "import", "openmetrics", om, "--data-dir", os.path.join(agent_dir, "data")],
                   check=True, capture_output=True)
    subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h", om,
                    os.path.join(work, "prom")], check=True, capture_output=True)
    print(f"imported {os.path.getsize(om) >> 20} MiB into both stores in {time.monotonic() - t:.1f} s")

    agent, base = testlib.start_agent(procs, binary, agent_dir, collectors=["loadavg", "meminfo"], interval="1s")
    prom_port = testlib.free_port()
    agent_hostport = base.split("//")[1]
    with open(os.path.join(work, "prometheus.yml"), "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1m
scrape_configs:
  - job_name: federate
    honor_labels: true
    metrics_path: /federate
    params:
      'match[]': ['{{__name__=~"node_load1|scalewatch_build_info"}}']
    static_configs:
      - targets: ['{agent_hostport}']
""")
    prom = procs.start("prometheus", [
        "prometheus", f"--config.file={work}/prometheus.yml", f"--storage.tsdb.path={work}/prom",
        "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{prom_port}"],
        os.path.join(work, "prometheus.log"))
    pbase = f"http://127.0.0.1:{prom_port}"
    testlib.wait_http(pbase + "/-/ready", prom, timeout=60)

    mid, late = lo_s + 700, hi_s - 30
    instant_queries = [
        "node_load1", 'node_cpu_seconds_total{mode="idle"}', "rate(node_cpu_seconds_total[1m])",
        "sum by (mode) (rate(node_cpu_seconds_total[5m]))", "max_over_time(node_memory_MemAvailable_bytes[5m])",
        "sum by (datname) (rate(pg_stat_database_xact_commit[1m]))",
        "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))",
        "histogram_quantile(0.5, rate(http_request_duration_seconds_bucket[2m]))",
        "topk(3, rate(node_cpu_seconds_total[1m]))", "bottomk(2, node_filesystem_avail_bytes)",
        "node_memory_MemAvailable_bytes / 1024 / 1024",
        'rate(node_cpu_seconds_total{mode=~"user|system"}[1m]) * 100',
        'node_cpu_seconds_total{mode!~"idle|iowait"}', 'count by (job) ({__name__=~"node_.*"})',
        "node_load1 offset 5m", f"node_load1 @ {lo_s + 100}", "node_load5 > 0.1", "node_load5 > bool 0.1",
        'max_over_time(rate(node_cpu_seconds_total{mode="user"}[1m])[5m:30s])',
        "avg_over_time(node_load1[5m:])",
        "sum without (state) (pg_stat_activity_count)", "avg by (device) (rate(node_network_receive_bytes_total[1m]))",
        "rate(node_cpu_seconds_total[1m]) / on (instance, cpu) group_left sum by (instance, cpu) (rate(node_cpu_seconds_total[1m]))",
        'go_gc_duration_seconds{quantile="0.5"}', "scalar(sum(node_load1))", "vector(1)", "time()",
        'label_replace(node_load1, "host", "$1", "instance", "(.*):.*")', "absent(nonexistent_metric)",
        "quantile_over_time(0.9, node_load1[5m])", "deriv(node_memory_MemAvailable_bytes[5m])",
        "increase(pg_stat_database_xact_commit[5m])", "node_load1[30s]", "count(count by (cpu) (node_cpu_seconds_total))",
        'sum(rate(http_request_duration_seconds_sum[1m])) / sum(rate(http_request_duration_seconds_count[1m]))',
    ]
    range_queries = [q for q in instant_queries if q != "node_load1[30s]"]

    for q in instant_queries:
        for at in (mid, late):
            params = [("query", q), ("time", str(at))]
            (s1, ours), (s2, theirs) = api(base, "/api/v1/query", params), api(pbase, "/api/v1/query", params)
            if s1 != 200 or s2 != 200:
                results.check(f"instant {q} @{at}", False, f"status ours {s1} {ours}, Prometheus {s2} {theirs}")
                continue
            diff = compare_data(ours["data"], theirs["data"])
            results.check(f"instant {q} @{at}", diff is None, diff or "")
    for q in range_queries:
        for step, method in (("15", "GET"), ("60s", "POST")):
            params = [("query", q), ("start", str(lo_s + 300)), ("end", str(hi_s)), ("step", step)]
            (s1, ours), (s2, theirs) = (api(base, "/api/v1/query_range", params, method),
                                        api(pbase, "/api/v1/query_range", params, method))
            if s1 != 200 or s2 != 200:
                results.check(f"range {q} step {step}", False, f"status ours {s1} {ours}, Prometheus {s2} {theirs}")
                continue
            diff = compare_data(ours["data"], theirs["data"])
            results.check(f"range {q} step {step} ({method})", diff is None, diff or "")

    bad = [
        ("/api/v1/query", [("query", "up[")]), ("/api/v1/query", [("query", "rate(node_load1)")]),
        ("/api/v1/query", [("query", "sum(")]), ("/api/v1/query", [("query", "node_load1"), ("time", "soon")]),
        ("/api/v1/query", [("query", "node_load1"), ("timeout", "x")]),
        ("/api/v1/query", [("query", 'node_load1{instance=~"("}')]),
        ("/api/v1/query", [("query", "node_cpu_seconds_total + on () node_cpu_seconds_total"), ("time", str(mid))]),
        ("/api/v1/query_range", [("query", "node_load1"), ("start", "2"), ("end", "1"), ("step", "1")]),
        ("/api/v1/query_range", [("query", "node_load1"), ("start", "1"), ("end", "2"), ("step", "0")]),
        ("/api/v1/query_range", [("query", "node_load1"), ("start", "1"), ("end", "2")]),
        ("/api/v1/query_range", [("query", "node_load1"), ("start", "0"), ("end", "100000"), ("step", "1")]),
        ("/api/v1/query_range", [("query", "node_load1[5m]"), ("start", "1"), ("end", "2"), ("step", "1")]),
        ("/api/v1/series", []), ("/api/v1/series", [("match[]", "{")]),
        ("/api/v1/series", [("match[]", '{job=~".*"}')]),
        ("/api/v1/series", [("match[]", "node_load1"), ("start", "x")]),
        ("/api/v1/labels", [("match[]", "{")]), ("/api/v1/label/1x/values", []),
    ]
    for path, params in bad:
        (s1, ours), (s2, theirs) = api(base, path, params), api(pbase, path, params)
        same = s1 == s2 and ours and theirs and ours.get("status") == theirs.get("status") == "error" \
            and ours.get("errorType") == theirs.get("errorType")
        results.check(f"error {path} {params}", same,
                      f"ours {s1} {ours and ours.get('errorType')}: {ours and ours.get('error')!r:.120}; "
                      f"Prometheus {s2} {theirs and theirs.get('errorType')}: {theirs and theirs.get('error')!r:.120}")

    window = [("start", str(lo_s)), ("end", str(hi_s))]
    lookups = [
        ("/api/v1/series", [("match[]", "node_cpu_seconds_total")] + window),
        ("/api/v1/series", [("match[]", 'node_cpu_seconds_total{mode=~"user|idle"}'), ("match[]", "node_load1")] + window),
        ("/api/v1/labels", window), ("/api/v1/labels", [("match[]", "pg_stat_activity_count")] + window),
        ("/api/v1/label/mode/values", window), ("/api/v1/label/__name__/values", window),
        ("/api/v1/label/datname/values", [("match[]", "pg_stat_database_xact_commit")] + window),
    ]
    for path, params in lookups:
        (s1, ours), (s2, theirs) = api(base, path, params), api(pbase, path, params)
        if s1 != 200 or s2 != 200:
            results.check(f"lookup {path} {params[0]}", False, f"status ours {s1} {ours}, Prometheus {s2} {theirs}")
            continue
        a, b = ours["data"], theirs["data"]
        if path == "/api/v1/series":
            a, b = sorted(key(m) for m in a), sorted(key(m) for m in b)
        results.check(f"lookup {path} {params[0]} ({len(b)} items)", a == b and len(b) > 0,
                      f"ours {str(a)[:200]} vs Prometheus {str(b)[:200]}")

    def promtool(*args):
        r = subprocess.run(["promtool", "query", *args], capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout + r.stderr
    code, out = promtool("instant", "--time", str(mid), base, "node_load1")
    results.check("promtool query instant", code == 0 and "node_load1{" in out and "=>" in out, out[:300])
    code, out = promtool("range", "--start", str(lo_s + 600), "--end", str(lo_s + 660), "--step", "15s", base,
                         "rate(node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}[1m])")
    results.check("promtool query range", code == 0 and "@[" in out and 'mode="idle"' in out, out[:300])
    code, out = promtool("series", "--match", "node_load1", "--start", str(lo_s), "--end", str(hi_s), base)
    results.check("promtool query series", code == 0 and "node_load1" in out, out[:300])
    code, out = promtool("labels", "--start", str(lo_s), "--end", str(hi_s), base, "mode")
    results.check("promtool query labels", code == 0 and "idle" in out and "user" in out, out[:300])

    deadline = time.monotonic() + 30
    federated = None
    while time.monotonic() < deadline:
        status, d = api(pbase, "/api/v1/query", [("query", 'node_load1{job="federate"}')])
        if status == 200 and d["data"]["result"]:
            federated = d["data"]["result"]
            break
        time.sleep(1)
    _, up = api(pbase, "/api/v1/query", [("query", 'up{job="federate"}')])
    results.check("Prometheus federates /federate", federated is not None and up["data"]["result"][0]["value"][1] == "1",
                  f"federated {federated}, up {up}")
    check_limits(base, agent, agent_dir, procs, results, lo_s, hi_s)
    results.check("agent alive at the end", agent.poll() is None, procs.log_tail(agent))


def check_limits(base, agent, agent_dir, procs, results, lo_s, hi_s):
    """query: limits after a SIGHUP reload: too many samples is Prometheus' 422, a burst beyond
    max_concurrency + max_queued is refused at once with 503 while collections stay on their
    1 s schedule, slow queries are logged, a pathological regex answers at once."""
    with open(os.path.join(agent_dir, "agent.yml"), "a") as f:
        f.write("query:\n  max_samples: 20000\n  max_concurrency: 1\n  max_queued: 2\n  log_slow_queries_over: 0s\n")
    os.kill(agent.pid, signal.SIGHUP)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        _, flags = api(base, "/api/v1/status/flags")
        if flags and flags["data"].get("query.max-samples") == "20000":
            break
        time.sleep(0.2)
    else:
        results.fail("reload applies query:", procs.log_tail(agent))
        return

    status, d = api(base, "/api/v1/query", [("query", "count_over_time(node_cpu_seconds_total[25m])"), ("time", str(hi_s))])
    results.check("over query.max_samples: 422 execution with Prometheus' message",
                  status == 422 and d["errorType"] == "execution"
                  and d["error"] == "query processing would load too many samples into memory in query execution", f"{status} {d}")

    heavy = [("query", 'rate(node_cpu_seconds_total{mode="user"}[1m])'), ("start", str(lo_s)), ("end", str(hi_s)), ("step", "1")]
    outcomes = []
    started = time.time()
    threads = [threading.Thread(target=lambda: outcomes.append(api(base, "/api/v1/query_range", heavy))) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = sum(1 for s, _ in outcomes if s == 200)
    refused = [d for s, d in outcomes if s == 503]
    results.check(f"burst of 30: {ok} answered, {len(refused)} refused at once (503 unavailable)",
                  ok >= 1 and refused and all(d["errorType"] == "unavailable" for d in refused) and ok + len(refused) == 30,
                  str([s for s, _ in outcomes]))
    time.sleep(max(0.0, started + 11 - time.time()))
    _, d = api(base, "/api/v1/query", [("query", 'count_over_time(node_load1{job=""}[10s])')])
    collected = int(float(d["data"]["result"][0]["value"][1])) if d and d["data"]["result"] else 0
    results.check(f"collections on schedule through the burst ({collected} of 10 in 10 s at 1 s)", collected >= 9, str(d))
    metrics = testlib.parse_text(testlib.http_get(base + "/metrics").body.decode())
    family = metrics.get("scalewatch_collector_duration_seconds")
    durations = [v for (_, _, v) in family.samples] if family else []
    results.check(f"collector durations stay short (max {max(durations or [0]):.3f} s)",
                  durations and max(durations) < 0.5, str(durations))

    t = time.monotonic()
    status, d = api(base, "/api/v1/query", [("query", 'count({__name__=~"(.*a){25}", instance=~"((a|a)*)*b"})'), ("time", str(hi_s))])
    elapsed = time.monotonic() - t
    results.check(f"pathological regex answered in {elapsed * 1000:.0f} ms", status == 200 and elapsed < 2, f"{status} {d}")
    with open(os.path.join(agent_dir, "agent.log"), errors="replace") as f:
        log = f.read()
    results.check("slow queries logged", "slow query" in log and "samples=" in log, log[-500:])


if __name__ == "__main__":
    sys.exit(testlib.run_test(run, "scalewatch-api-test."))
