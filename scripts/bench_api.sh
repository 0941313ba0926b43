#!/usr/bin/env bash
# bench_api.sh BIN [DATASET.om.zst] - the agent's /api/v1/query_range against Prometheus' on the
# same data, over HTTP, side by side: the shared dataset imported into the agent's store
# (`scalewatch import openmetrics`) and into Prometheus' (`promtool tsdb create-blocks-from
# openmetrics`); the queries of scripts/bench_query.sh timed by the shared query_timer.py
# (median of RUNS, new connection each); then wrk on a dashboard panel's query (rate over one
# metric, 1 h at 15 s) against each for DURATION while the agent collects every second, with
# both RSS and the agent's collector durations. With SCALE=N the dataset is replicated to N
# hosts first. A benchmark, not a test.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(readlink -f "${1:?usage: bench_api.sh BIN [DATASET.om.zst]}")
SHARED=$HERE/../../shared/bench
DATASET=${2:-$SHARED/data/node-pg-1s.om.zst}
RUNS=${RUNS:-5}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
WORK=$(mktemp -d /tmp/scalewatch-api-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
port() { python3 "$HERE/testlib.py" free-port; }
wait_http() { for _ in $(seq 600); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$1/status"; }

zstd -d -q -f "$DATASET" -o "$WORK/ds.om"
if [ -n "${SCALE:-}" ]; then
    python3 "$SHARED/replicate.py" "$SCALE" "$WORK/ds.om" "$WORK/scaled.om"
    mv "$WORK/scaled.om" "$WORK/ds.om"
fi
mkdir -p "$WORK/agent"
"$BIN" import openmetrics "$WORK/ds.om" --data-dir "$WORK/agent" >/dev/null
promtool tsdb create-blocks-from openmetrics --max-block-duration=24h "$WORK/ds.om" "$WORK/prom" >/dev/null
read -r START END < <(python3 "$HERE/testlib.py" om-span "$WORK/ds.om")
rm "$WORK/ds.om"

AGENT_PORT=$(port)
PROM_PORT=$(port)
cat > "$WORK/agent.yml" <<EOF
listen_address: "127.0.0.1:$AGENT_PORT"
data_dir: "$WORK/agent"
collection_interval: 1s
storage:
  retention_time: 100y
# Prometheus' default (--query.max-samples): the 20-host replica's whole-store selectors load
# more than the agent's default of 5 M.
query:
  max_samples: 50000000
EOF
"$BIN" agent --config "$WORK/agent.yml" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
PIDS+=("$AGENT_PID")
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' > "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" --storage.tsdb.retention.time=100y \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
PIDS+=("$PROM_PID")
wait_http "http://127.0.0.1:$AGENT_PORT/-/ready"
wait_http "http://127.0.0.1:$PROM_PORT/-/ready"
sleep 3

QUERIES=(
    --query 'rate(node_cpu_seconds_total[1m])'
    --query 'sum by (mode) (rate(node_cpu_seconds_total[5m]))'
    --query 'max_over_time(node_memory_MemAvailable_bytes[5m])'
    --query 'sum by (datname) (rate(pg_stat_database_xact_commit[1m]))'
    --query 'count by (job) ({__name__=~".+"})'
    --query 'topk(5, {__name__=~".+"})'
)
for target in "agent $AGENT_PORT" "prometheus $PROM_PORT"; do
    set -- $target
    echo "== $1: /api/v1/query_range, $START .. $END, step 15 s, median of $RUNS"
    python3 "$SHARED/query_timer.py" --url "http://127.0.0.1:$2" --start "$START" --end "$END" --step 15 \
        --runs "$RUNS" --warmup 1 --label "$1" --json "$WORK/q_$1.json" "${QUERIES[@]}"
done
python3 - "$WORK/q_agent.json" "$WORK/q_prometheus.json" <<'PY'
import json, sys
a, p = (json.load(open(f)) for f in sys.argv[1:3])
def rows(d):
    rs = d.get("results", d) if isinstance(d, dict) else d
    return {r["query"]: r for r in rs}
ra, rp = rows(a), rows(p)
print(f"{'query':58} {'agent ms':>9} {'prom ms':>9} {'ratio':>6}  same shape")
for q, r in ra.items():
    o = rp.get(q, {})
    ma, mp = r.get("median_ms"), o.get("median_ms")
    same = (r.get("series"), r.get("points")) == (o.get("series"), o.get("points"))
    print(f"{q:58} {ma:9.1f} {mp:9.1f} {ma / mp:6.2f}  {same} ({r.get('series')} series, {r.get('points')} points)")
PY

PANEL="query=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("rate(node_cpu_seconds_total[1m])"))')&start=$(python3 -c "print($END-3600)")&end=$END&step=15"
for target in "agent $AGENT_PORT $AGENT_PID" "prometheus $PROM_PORT $PROM_PID"; do
    set -- $target
    before=$(curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | grep -c '^scalewatch_collector_success' || true)
    echo "== wrk -t2 -c$CONNECTIONS -d$DURATION: $1 dashboard panel (rate over one metric, 1 h at 15 s)"
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$2/api/v1/query_range?$PANEL" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
    echo "$1 RSS after the load: $(rss "$3")"
    if [ "$1" = agent ]; then
        # Right after the agent's own load: Prometheus' load, next, starves every process on
        # a small machine, the agent's collections included.
        echo "== agent collections during its load (1 s interval, $DURATION):"
        curl -s "http://127.0.0.1:$AGENT_PORT/api/v1/query" --data-urlencode "query=count_over_time(node_load1{job=\"\"}[$DURATION])" |
            python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]["result"]; print("node_load1 samples stored:", d[0]["value"][1] if d else 0)'
        curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | grep -E '^scalewatch_collector_duration_seconds' | sort -t' ' -k2 -g | tail -3
    fi
done
