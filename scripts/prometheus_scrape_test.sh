#!/usr/bin/env bash
# prometheus_scrape_test.sh BINARY - a real Prometheus (Debian's 2.42) scrapes the agent.
#
# Starts, on free loopback ports: the agent (every collector enabled), a node_exporter (only to
# know which metric names node_exporter itself uses, for the lint below), an Accept-rewriting
# proxy in front of the agent (testlib.py accept-proxy), and Prometheus scraping every 1 s:
#   job "scalewatch"       the agent directly: Prometheus 2.42 asks for OpenMetrics first, so
#                          the agent answers OpenMetrics (checked by fetching /metrics with
#                          Prometheus' exact Accept header);
#   job "scalewatch_text"  the same agent through the proxy, which replaces the Accept header
#                          with text/plain;version=0.0.4 (2.42 has no setting for that).
# Checks:
#   - up{job="scalewatch"} == 1 within 30 s (and the same for scalewatch_text);
#   - node_cpu_seconds_total, node_memory_MemAvailable_bytes, node_load1,
#     node_filesystem_avail_bytes and scalewatch_collector_success are stored, for both jobs;
#   - the stored series names are the same for both formats (a counter like node_vmstat_oom_kill
#     must not become node_vmstat_oom_kill_total under OpenMetrics);
#   - `promtool check metrics` accepts the agent's text output; a lint finding fails unless
#     node_exporter's own output gets the same one (e.g. node_memory_MemTotal_bytes' camelCase).
# Needs: prometheus (Debian, with promtool), prometheus-node-exporter, curl, python3.
# Ends with "N passed, N failed"; exit 1 on any failure. Everything started is stopped by PID,
# and the temp dir removed, on any exit.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
BIN=$(readlink -f "$1" || true)
if [ -z "$BIN" ] || [ ! -f "$BIN" ] || [ ! -x "$BIN" ]; then
    echo "$0: $1 is not an executable file" >&2
    exit 2
fi
for tool in prometheus promtool prometheus-node-exporter curl python3; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found" >&2; exit 2; }
done
# The interpreter itself, not a wrapper (a pyenv shim forks: $! would be the shim, not the proxy).
PY=$(python3 -c 'import sys; print(sys.executable)')

TMP=$(mktemp -d /tmp/scalewatch-prom.XXXXXX)
PIDS=()
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        stop_pid "${PIDS[$i]}"
    done
    PIDS=()
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
finish() {
    if [ "$failed" -ne 0 ] && [ -s "$TMP/agent.log" ]; then
        echo "--- agent log (tail):"
        tail -n 30 "$TMP/agent.log"
    fi
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
    exit $?
}

# wait_http URL PID SECONDS: until URL answers 2xx; fails early if PID has exited.
wait_http() {
    local url=$1 pid=$2 deadline=$((SECONDS + $3))
    while [ $SECONDS -lt $deadline ]; do
        kill -0 "$pid" 2>/dev/null || return 1
        curl -sf -o /dev/null --max-time 2 "$url" && return 0
        sleep 0.2
    done
    return 1
}

read -r AGENT_PORT NE_PORT PROXY_PORT PROM_PORT < <("$PY" "$HERE/testlib.py" free-port 4 | tr '\n' ' ')
AGENT=http://127.0.0.1:$AGENT_PORT
PROM=http://127.0.0.1:$PROM_PORT
CFG=$("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import testlib
print(testlib.write_agent_config(sys.argv[2], int(sys.argv[3])))' "$HERE" "$TMP" "$AGENT_PORT")

"$BIN" agent --config "$CFG" >"$TMP/agent.log" 2>&1 &
AGENT_PID=$!
PIDS+=("$AGENT_PID")
prometheus-node-exporter --web.listen-address="127.0.0.1:$NE_PORT" --collector.processes >"$TMP/ne.log" 2>&1 &
NE_PID=$!
PIDS+=("$NE_PID")
"$PY" "$HERE/testlib.py" accept-proxy --listen "127.0.0.1:$PROXY_PORT" --target "$AGENT" \
    --accept 'text/plain;version=0.0.4' >"$TMP/proxy.log" 2>&1 &
PROXY_PID=$!
PIDS+=("$PROXY_PID")

if wait_http "$AGENT/metrics" "$AGENT_PID" 30; then
    pass "agent serves /metrics on 127.0.0.1:$AGENT_PORT"
else
    fail "agent serves /metrics on 127.0.0.1:$AGENT_PORT within 30 s"
    finish
fi

cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: scalewatch
    static_configs: [{targets: ["127.0.0.1:$AGENT_PORT"]}]
  - job_name: scalewatch_text
    static_configs: [{targets: ["127.0.0.1:$PROXY_PORT"]}]
EOF
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom-data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
PROM_PID=$!
PIDS+=("$PROM_PID")
if ! wait_http "$PROM/-/ready" "$PROM_PID" 30; then
    fail "Prometheus ready within 30 s"
    tail -n 20 "$TMP/prometheus.log"
    finish
fi

# query EXPR: prints "<number of series> <value of the first>" from /api/v1/query.
query() {
    curl -sf --max-time 5 -G --data-urlencode "query=$1" "$PROM/api/v1/query" |
        "$PY" -c 'import json, sys
d = json.load(sys.stdin)["data"]["result"]
print(len(d), d[0]["value"][1] if d else "-")' 2>/dev/null || echo "0 -"
}
# names JOB: stored metric names of that job, one a line, sorted.
names() {
    curl -sf --max-time 5 -G --data-urlencode "match[]={job=\"$1\"}" "$PROM/api/v1/label/__name__/values" |
        "$PY" -c 'import json, sys
print("\n".join(sorted(json.load(sys.stdin)["data"])))'
}

for job in scalewatch scalewatch_text; do
    deadline=$((SECONDS + 30))
    up="0 -"
    while [ $SECONDS -lt $deadline ]; do
        up=$(query "up{job=\"$job\"}")
        [ "$up" = "1 1" ] && break
        sleep 0.5
    done
    if [ "$up" = "1 1" ]; then
        pass "up{job=\"$job\"} == 1"
    else
        fail "up{job=\"$job\"} == 1 within 30 s (series, value: $up)"
        curl -sf "$PROM/api/v1/targets" | "$PY" -c 'import json, sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    print("   ", t["labels"]["job"], t["health"], t.get("lastError", ""))' || true
    fi
done
# Both jobs have had their first scrape; one more so every family of a slower first collection is in.
sleep 2

# The format each job gets.
ACCEPT='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
ct=$(curl -s -o /dev/null --max-time 5 -w '%{content_type}' -H "Accept: $ACCEPT" "$AGENT/metrics")
want='application/openmetrics-text; version=1.0.0; charset=utf-8'
if [ "$ct" = "$want" ]; then
    pass "with Prometheus' Accept header the agent answers '$ct' (job scalewatch gets OpenMetrics)"
else
    fail "with Prometheus' Accept header the agent answers '$ct', want '$want'"
fi
if grep -q 'Content-Type: text/plain; version=0.0.4; charset=utf-8' "$TMP/proxy.log" &&
    ! grep -q 'Content-Type: application/openmetrics' "$TMP/proxy.log"; then
    pass "job scalewatch_text gets text/plain; version=0.0.4 ($(grep -c '^proxy' "$TMP/proxy.log") scrapes through the proxy)"
else
    fail "job scalewatch_text gets the text format: proxy saw $(sort -u "$TMP/proxy.log" | head -3 | tr '\n' ' ')"
fi

for job in scalewatch scalewatch_text; do
    for metric in node_cpu_seconds_total node_memory_MemAvailable_bytes node_load1 \
        node_filesystem_avail_bytes scalewatch_collector_success; do
        r=$(query "$metric{job=\"$job\"}")
        n=${r%% *}
        if [ "$n" -gt 0 ]; then
            pass "$metric{job=\"$job\"}: $n series"
        else
            fail "$metric{job=\"$job\"}: no series"
        fi
    done
done
failing=$(curl -sf --max-time 5 -G --data-urlencode 'query=scalewatch_collector_success{job="scalewatch"} == 0' \
    "$PROM/api/v1/query" | "$PY" -c 'import json, sys
print(" ".join(r["metric"].get("collector", "?") for r in json.load(sys.stdin)["data"]["result"]))' 2>/dev/null)
[ -n "$failing" ] && echo "info: collectors reporting failure: $failing"

# The same stored series names whichever format Prometheus negotiated.
names scalewatch >"$TMP/names.om"
names scalewatch_text >"$TMP/names.text"
n_om=$(wc -l <"$TMP/names.om")
n_text=$(wc -l <"$TMP/names.text")
if [ "$n_om" -gt 10 ] && cmp -s "$TMP/names.om" "$TMP/names.text"; then
    pass "same stored metric names for OpenMetrics and text scrapes ($n_om names)"
else
    fail "stored metric names differ (OpenMetrics $n_om, text $n_text); only OpenMetrics / only text:"
    comm -23 "$TMP/names.om" "$TMP/names.text" | head -20 | sed 's/^/    om:   /'
    comm -13 "$TMP/names.om" "$TMP/names.text" | head -20 | sed 's/^/    text: /'
fi
if grep -qx 'node_vmstat_oom_kill' "$TMP/names.om"; then
    if grep -qx 'node_vmstat_oom_kill_total' "$TMP/names.om"; then
        fail "node_vmstat_oom_kill_total stored under OpenMetrics"
    else
        pass "node_vmstat_oom_kill stored under its own name with OpenMetrics (no _total added)"
    fi
else
    fail "node_vmstat_oom_kill not stored from the OpenMetrics scrape"
fi

# promtool lint of the text output; warnings only about names node_exporter itself uses.
curl -sf --max-time 5 "$AGENT/metrics" >"$TMP/agent.prom"
curl -sf --max-time 10 "http://127.0.0.1:$NE_PORT/metrics" >"$TMP/ne.prom"
awk '$1 == "#" && $2 == "TYPE" { print $3 }' "$TMP/ne.prom" | sort -u >"$TMP/ne.names"
if [ ! -s "$TMP/ne.names" ]; then
    fail "node_exporter's metric names for the lint allowance (node_exporter did not answer)"
fi
promtool check metrics <"$TMP/ne.prom" >"$TMP/ne.lint" 2>&1
promtool check metrics <"$TMP/agent.prom" >"$TMP/lint.out" 2>&1
lint_rc=$?
# Allowed: a finding node_exporter's own output gets word for word (camelCase node_memory_*,
# "bits" units). node_vmstat_* keep node_exporter's names without _total and its untyped
# declaration, so they get no finding.
allowed=0
problems=()
while IFS= read -r line; do
    [ -z "$line" ] && continue
    if grep -qxF -- "$line" "$TMP/ne.lint"; then
        allowed=$((allowed + 1))
    else
        problems+=("$line")
    fi
done <"$TMP/lint.out"
# promtool exits 3 for lint findings only, 1 for errors (unparsable input).
if [ ${#problems[@]} -eq 0 ] && { [ $lint_rc -eq 0 ] || [ $lint_rc -eq 3 ]; } && [ -s "$TMP/agent.prom" ]; then
    pass "promtool check metrics: no findings except $allowed about node_exporter's own names (exit $lint_rc)"
else
    fail "promtool check metrics (exit $lint_rc), findings not about node_exporter's names:"
    printf '    %s\n' "${problems[@]}" | head -40
fi

kill -0 "$AGENT_PID" 2>/dev/null && pass "agent still running" || fail "agent exited during the test"
finish
