#!/usr/bin/env bash
# bench_query.sh BIN_DIR [DATASET.om.zst] - PromQL evaluation speed on the shared dataset:
# the issue's range queries over the whole span at a 15 s step, evaluated in process by
# `query-benchmark` on a store imported with `scalewatch import`, and the cost of 30 alerting
# rules; beside them, for orientation only, Prometheus' /api/v1/query_range on the same data
# (promtool blocks), timed by the shared query_timer.py. With SCALE=N the dataset is
# replicated to N hosts first. A benchmark, not a test.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN_DIR=$(readlink -f "${1:?usage: bench_query.sh BIN_DIR [DATASET.om.zst]}")
SHARED=$HERE/../../shared/bench
DATASET=${2:-$SHARED/data/node-pg-1s.om.zst}
WORK=$(mktemp -d /tmp/scalewatch-query-bench.XXXXXX)
PROM_PORT=${PROM_PORT:-19390}
RUNS=${RUNS:-5}
PROM_PID=
cleanup() { [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

zstd -d -q -f "$DATASET" -o "$WORK/ds.om"
if [ -n "${SCALE:-}" ]; then
    python3 "$SHARED/replicate.py" "$SCALE" "$WORK/ds.om" "$WORK/scaled.om"
    mv "$WORK/scaled.om" "$WORK/ds.om"
fi
# The library call `scalewatch import` makes, without building the whole agent.
"$BIN_DIR/store-benchmark" import "$WORK/ds.om" "$WORK/ours" >/dev/null
"$BIN_DIR/query-benchmark" "$WORK/ours" "$RUNS"

[ -n "${SKIP_PROMETHEUS:-}" ] && exit 0
promtool tsdb create-blocks-from openmetrics --max-block-duration=24h "$WORK/ds.om" "$WORK/prom" >/dev/null
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' > "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" --storage.tsdb.retention.time=100y \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null && break; sleep 0.1; done
read -r START END < <(python3 "$HERE/testlib.py" om-span "$WORK/ds.om")
echo "Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}'), /api/v1/query_range over HTTP (orientation only):"
python3 "$SHARED/query_timer.py" --url "http://127.0.0.1:$PROM_PORT" --start "$START" --end "$END" --step 15 \
    --runs "$RUNS" --warmup 1 --label prometheus \
    --query 'rate(node_cpu_seconds_total[1m])' \
    --query 'sum by (mode) (rate(node_cpu_seconds_total[5m]))' \
    --query 'max_over_time(node_memory_MemAvailable_bytes[5m])' \
    --query 'sum by (datname) (rate(pg_stat_database_xact_commit[1m]))' \
    --query 'count by (job) ({__name__=~".+"})' \
    --query 'topk(5, {__name__=~".+"})'
