#!/usr/bin/env bash
# bench_agent.sh BINARY [--out DIR] [--reps N] - scalewatch vs node_exporter, side by side, one run.
#
# A benchmark, not a test: never part of the test suite. Uses the shared probe
# (../shared/bench/agent_probe.py, through bench_probe.py, which adds RssAnon) in exporter mode
# for each of, in this order and with fresh processes per repetition:
#   node_exporter          prometheus-node-exporter with its default collectors (as in BASELINE.md)
#   scalewatch             `BINARY agent`, its default collectors (node_exporter's defaults:
#                          `processes` off in both), default freshness
#                          (scrape_max_age 1s): what Prometheus and wrk see
#   scalewatch-collect     the same with scrape_max_age 0s: every scrape runs one collection and
#                          one render, the honest "CPU per collection cycle + render" figure
#                          (skipped if `BINARY check config` refuses 0s)
# and prints a table with ratios ours/node_exporter against the targets of issue 2:
#   RssAnon after 100 scrapes <= 1.0x, VmRSS after 100 scrapes <= 1.5x,
#   CPU per scrape <= 0.5x (scalewatch-collect when measured), req/s under wrk -t2 -c8 >= 20x
#   (with no non-2xx responses and no socket errors).
# Writes DIR/node_exporter.json, DIR/scalewatch*.json (the probe's) and DIR/summary.json.
#
#   env: REPS=3  WRK_DURATION=10s  OUT=/tmp/scalewatch-bench  NE_ARGS= (extra node_exporter flags)
#        AGENT_PROBE=<path of agent_probe.py>  COLLECT_RUN=1 (0 skips scalewatch-collect)
# Needs: prometheus-node-exporter, wrk, python3. Takes about 3 x REPS x 25 s.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
usage() { echo "usage: $0 BINARY [--out DIR] [--reps N]" >&2; exit 2; }
[ $# -ge 1 ] || usage
BIN=$(readlink -f "$1" || true)
shift
OUT=${OUT:-/tmp/scalewatch-bench}
REPS=${REPS:-3}
while [ $# -gt 0 ]; do
    case $1 in
    --out) OUT=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    *) usage ;;
    esac
done
if [ -z "$BIN" ] || [ ! -f "$BIN" ] || [ ! -x "$BIN" ]; then
    echo "$0: not an executable file" >&2
    exit 2
fi
WRK_DURATION=${WRK_DURATION:-10s}
COLLECT_RUN=${COLLECT_RUN:-1}
export AGENT_PROBE=${AGENT_PROBE:-$(cd "$HERE/../.." && pwd)/shared/bench/agent_probe.py}
for tool in prometheus-node-exporter wrk python3; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found" >&2; exit 2; }
done
[ -r "$AGENT_PROBE" ] || { echo "$0: $AGENT_PROBE not found (set AGENT_PROBE)" >&2; exit 2; }
PY=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/scalewatch-bench-work.XXXXXX)
# The probe stops every process it starts (SIGTERM in a finally, also on Ctrl-C); this only
# removes the work dir.
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

probe() {  # probe NAME PORT COMMAND...
    local name=$1 port=$2
    shift 2
    echo "== $name"
    "$PY" "$HERE/bench_probe.py" exporter --name "$name" --url "http://127.0.0.1:$port/metrics" \
        --reps "$REPS" --wrk-threads 2 --wrk-conns 8 --wrk-duration "$WRK_DURATION" \
        --log "$WORK/$name.log" --json "$OUT/$name.json" -- "$@"
}
# agent_config NAME MAX_AGE: writes WORK/NAME/agent.yml on a free port; prints "PORT PATH".
agent_config() {
    local port
    port=$("$PY" "$HERE/testlib.py" free-port)
    mkdir -p "$WORK/$1"
    echo "$port $("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import testlib
print(testlib.write_agent_config(sys.argv[2], int(sys.argv[3]), scrape_max_age=sys.argv[4],
                                 collectors=testlib.DEFAULT_COLLECTORS))' \
        "$HERE" "$WORK/$1" "$port" "$2")"
}
# The agent starts from an empty data dir in every repetition: sh wipes it, then execs the agent
# (same PID, so the probe measures the agent itself). Sets the array AGENT_CMD.
agent_cmd() {  # agent_cmd CONFIG
    AGENT_CMD=(/bin/sh -c 'rm -rf "$0" && mkdir -p "$0" && exec "$1" agent --config "$2"'
        "$(dirname "$1")/data" "$BIN" "$1")
}

rm -f "$OUT"/node_exporter.json "$OUT"/scalewatch.json "$OUT"/scalewatch-collect.json "$OUT"/summary.json
NE_PORT=$("$PY" "$HERE/testlib.py" free-port)
# shellcheck disable=SC2086
probe node_exporter "$NE_PORT" prometheus-node-exporter --web.listen-address="127.0.0.1:$NE_PORT" ${NE_ARGS:-} ||
    { echo "$0: node_exporter run failed" >&2; exit 1; }

read -r PORT CFG < <(agent_config scalewatch 1s)
agent_cmd "$CFG"
probe scalewatch "$PORT" "${AGENT_CMD[@]}" ||
    { echo "$0: scalewatch run failed; log:" >&2; tail -n 30 "$WORK/scalewatch.log" >&2; exit 1; }

if [ "$COLLECT_RUN" = 1 ]; then
    read -r PORT CFG < <(agent_config scalewatch-collect 0s)
    if "$BIN" check config "$CFG" >"$WORK/check.out" 2>&1; then
        agent_cmd "$CFG"
        probe scalewatch-collect "$PORT" "${AGENT_CMD[@]}" ||
            echo "scalewatch-collect run failed; log: $(tail -n 5 "$WORK/scalewatch-collect.log")" >&2
    else
        echo "skipping scalewatch-collect: the agent refuses scrape_max_age: 0s: $(head -n 3 "$WORK/check.out")"
    fi
fi

"$PY" - "$OUT" <<'EOF'
import json, os, sys
out = sys.argv[1]

def load(name):
    p = os.path.join(out, name + ".json")
    return json.load(open(p)) if os.path.exists(p) else None

ne, sw, swc = load("node_exporter"), load("scalewatch"), load("scalewatch-collect")

def med(d, key):
    return d["median"].get(key) if d else None

def wrk_values(d, key):
    return [r.get("wrk", {}).get(key) for r in d["reps"]] if d else []

rows = []   # (label, ne, ours, unit, target op, target ratio or None)
def row(label, key, unit, div=1.0, op=None, target=None, ours=sw):
    a, b = med(ne, key), med(ours, key)
    a = a / div if a is not None else None
    b = b / div if b is not None else None
    rows.append({"metric": label, "key": key, "node_exporter": a, "scalewatch": b, "unit": unit,
                 "ratio": (b / a) if a and b is not None else None, "op": op, "target": target})

MiB = 1024.0
row("RssAnon after 100 scrapes", "rssanon_after_scrapes_kb", "MiB", MiB, "<=", 1.0)
row("VmRSS after 100 scrapes", "rss_after_scrapes_kb", "MiB", MiB, "<=", 1.5)
cpu_src = swc if swc else sw
row("CPU per scrape" + (" (collect + render each scrape)" if swc else " (default freshness!)"),
    "cpu_ms_per_scrape", "ms", 1.0, "<=", 0.5, ours=cpu_src)
row("req/s, wrk -t2 -c8", "wrk.req_per_s", "req/s", 1.0, ">=", 20.0)
if swc:
    row("CPU per scrape (default freshness 1 s)", "cpu_ms_per_scrape", "ms")
    row("CPU per scrape, gzip (collect + render)", "cpu_ms_per_scrape_gzip", "ms", ours=swc)
row("CPU per scrape, gzip (default freshness)", "cpu_ms_per_scrape_gzip", "ms")
row("RssAnon idle", "rssanon_idle_kb", "MiB", MiB)
row("VmRSS idle", "idle_rss_kb", "MiB", MiB)
row("VmRSS after wrk", "rss_after_wrk_kb", "MiB", MiB)
row("RssAnon after wrk", "rssanon_after_wrk_kb", "MiB", MiB)
row("wrk latency p99", "wrk.lat_p99_ms", "ms")
row("sequential scrape latency, median", "seq_latency_ms.median", "ms")
row("/metrics body", "body_bytes", "bytes")
row("series", "series", "")
row("families", "families", "")

def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"

met = 0
total = 0
print()
print(f"{'metric':44} {'node_exporter':>14} {'scalewatch':>12} {'ratio':>8}  target")
for r in rows:
    verdict = ""
    if r["op"]:
        total += 1
        ok = r["ratio"] is not None and (r["ratio"] <= r["target"] if r["op"] == "<=" else r["ratio"] >= r["target"])
        r["met"] = ok
        met += ok
        verdict = f"{r['op']} {r['target']}x  {'met' if ok else 'NOT MET'}"
    print(f"{r['metric']:44} {fmt(r['node_exporter']):>14} {fmt(r['scalewatch']):>12} "
          f"{(fmt(r['ratio']) + 'x') if r['ratio'] is not None else '-':>8}  {verdict}  {r['unit']}")

errors = {}
for name, d in (("node_exporter", ne), ("scalewatch", sw)):
    if d:
        errors[name] = {"non2xx": sum(x or 0 for x in wrk_values(d, "non2xx")),
                        "socket_errors": [x for x in wrk_values(d, "socket_errors") if x]}
print("wrk errors over all repetitions: " + "; ".join(
    f"{k}: {v['non2xx']} non-2xx, socket errors: {'; '.join(v['socket_errors']) or 'none'}"
    for k, v in errors.items()))
ours = errors.get("scalewatch", {})
if ours.get("non2xx") or ours.get("socket_errors"):
    print("req/s target NOT MET: the agent had errors under wrk")
    for r in rows:
        if r["key"] == "wrk.req_per_s":
            r["met"] = False
met = sum(1 for r in rows if r.get("met"))
print(f"targets met: {met} of {total}  (repetitions: {len(ne['reps']) if ne else 0}; medians; "
      f"JSON in {out})")
json.dump({"rows": rows, "wrk_errors": errors, "targets_met": met, "targets": total,
           "cpu_figure_from": "scalewatch-collect" if swc else "scalewatch"},
          open(os.path.join(out, "summary.json"), "w"), indent=1)
EOF
