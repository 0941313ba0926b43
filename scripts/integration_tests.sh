#!/usr/bin/env bash
# Runs every test that needs the built binary and real peers (node_exporter, Prometheus,
# promtool, systemd-analyze). Usage: scripts/integration_tests.sh BINARY
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:?usage: integration_tests.sh BINARY}")
passed=0
failed=0
failures=()

# A failing test's FAIL lines (and a traceback's last lines) are printed again in the summary:
# CI shows only the head and tail of a long run, and the middle is where they would be. The
# output goes through a file, not a pipe to tee, which a daemon a test leaves behind would hold
# open and so hang the suite.
failure_details=()

run() {
    local name=$1 log status
    shift
    log=$(mktemp)
    echo "=== $name"
    "$@" >"$log" 2>&1
    status=$?
    cat "$log"
    if [ "$status" -eq 0 ]; then
        passed=$((passed + 1))
        echo "--- PASS $name"
    else
        failed=$((failed + 1))
        failures+=("$name")
        failure_details+=("$(grep -E '^(FAIL|[A-Za-z.]*(Error|Exception)\b)' "$log" | tail -n 12 | cut -c 1-400)")
        echo "--- FAIL $name"
    fi
    rm -f "$log"
}

# Tests that mostly wait on a clock they do not control (cron's minute) run beside the others,
# on their own ports and files; their output and verdict come at the end.
background=()
run_in_background() {
    local name=$1 log
    shift
    log=$(mktemp)
    "$@" >"$log" 2>&1 &
    background+=("$!|$log|$name")
    echo "=== $name (in the background)"
}
run_in_background "check-ins: Debian's cron pings every minute, a failed run and a disabled job alert (CheckInFailed, CheckInMissed)" \
    python3 scripts/checkin_cron_test.py "$BIN"

run "cli: check config" python3 scripts/cli_test.py "$BIN"
run "cli: scalewatch top in tmux draws, refreshes, resizes and quits leaving the shell usable" bash scripts/top_tmux_test.sh "$BIN"
run "golden file passes promtool check metrics" \
    bash scripts/lint_metrics.sh Tests/ScaleAgentTests/Fixtures/golden/metrics.prom
run "systemd unit verifies" bash scripts/check-systemd-unit.sh "$BIN"
run "make install honours PREFIX and DESTDIR" bash scripts/install_test.sh "$BIN"
run "lifecycle: sd_notify, SIGHUP reload, SIGTERM" python3 scripts/lifecycle_test.py "$BIN"
run "http: slowloris cut, 2,000 idle connections against a limit of 100, descriptor reserve" \
    python3 scripts/http_limits_test.py "$BIN"
run "store: a real full disk (16 MiB tmpfs) for 8 s, no hole, recovery logged once" \
    python3 scripts/disk_full_test.py "$BIN"
run "store: kill -9 at random moments loses nothing older than the flush interval" python3 scripts/kill9_test.py "$BIN"
run "peer: node_exporter families and values" python3 scripts/peer_node_exporter_test.py "$BIN"
run "peer: Prometheus scrapes the agent" bash scripts/prometheus_scrape_test.sh "$BIN"
run "api: query, query_range, series, labels agree with Prometheus 2.42 on the same data; promtool; federation" \
    python3 scripts/api_test.py "$BIN"
run "web config: TLS, client certificates, basic auth, headers with curl, Prometheus and promtool; renewal without restart" \
    python3 scripts/web_config_test.py "$BIN"
run "OpenMetrics output parses" python3 scripts/openmetrics_parse_test.py "$BIN"
run "postgres: primary and standby, locks, lag, full pool, outages; postgres_exporter side by side" bash scripts/postgres_test.sh "$BIN"
run "doctor: a broken PostgreSQL setup gives its WARN/FAIL lines and exit 1, the fixed one exit 0; receivers probed, never notified" /usr/bin/python3 scripts/doctor_test.py "$BIN"
run "rules: promtool and scalewatch agree on the rule-test suite" bash scripts/rule_tests.sh "$BIN"
run "rules: evaluation in the agent, restart keeps for" python3 scripts/rules_agent_test.py "$BIN"
run "notifications: webhook payload, resolution, retries, SIGKILL with a queued notification" \
    python3 scripts/notify_agent_test.py "$BIN"
run "notifications: a receiver down 30 s (SIGKILL and restart inside), then 503/429 with Retry-After: every notification once, in order per group, backlog drained" python3 scripts/receiver_outage_test.py "$BIN" --minutes 0.5
run "rule pack: promtool check rules, both tools pass its tests, every alert has runbook and cases" \
    bash scripts/rule_pack_tests.sh "$BIN"
run "rule pack drills: full pool, refusals, lock waits, deadlock, replay paused, standby down on a real primary and standby" \
    /usr/bin/python3 scripts/rule_pack_drill.py "$BIN"
run "advise: a quiet agent says nothing is breaking; a full PostgreSQL pool is stage 4 with its numbers, over one agent, two and the data directory; an unreachable --url is named" /usr/bin/python3 scripts/advise_test.py "$BIN"
run "journal and PostgreSQL log files: counts, victims, restart without loss or double count, copy-truncate" \
    python3 scripts/journal_agent_test.py "$BIN"
run "sockets: nginx's listener, backlog and owning unit, connections piling up on a slow upstream, a port moved by a reload (unit running) and a stopped nginx's port gone (unit stopped); stub_status" \
    python3 scripts/sockets_test.py "$BIN"
run "cgroups: a real OOM kill in a 64 MiB memory cgroup moves the agent's counters" python3 scripts/cgroup_oom_test.py "$BIN"
run "host drills with the shipped pack: a real OOM kill notified as ProcessOOMKilled only, CPU load and a throttled service pending, the Watchdog at its dead man's switch" python3 scripts/host_drill.py "$BIN"
run "pictures: the status page and /graph in headless Chromium, no console errors, screenshots saved" \
    python3 scripts/status_page_test.py "$BIN"
run "grafana: every panel query of config/grafana/scalewatch.json parses and returns data from the agent" \
    python3 scripts/grafana_dashboard_test.py "$BIN"
run "access logs: a real nginx and HAProxy; counts by status, p95 within a bucket, 504s, rename and copy-truncate rotation in flight, restart, garbage" \
    python3 scripts/access_log_test.py "$BIN"
run "request alerts: the shipped requests and network rules against a real nginx: latency, 5xx, upstream timeouts (webhook), likely cause names the upstream, port down" python3 scripts/request_alerts_test.py "$BIN"
run "probe: issue 10's findings replayed against the agent (input → expected → outcome)" \
    python3 scripts/probe_agent.py "$BIN"

for entry in "${background[@]}"; do
    IFS='|' read -r pid log name <<<"$entry"
    wait "$pid"
    status=$?
    run "$name" bash -c 'cat "$0"; exit "$1"' "$log" "$status"
    rm -f "$log"
done

echo
for i in "${!failures[@]}"; do
    echo "failed: ${failures[$i]}"
    [ -n "${failure_details[$i]}" ] && sed 's/^/    /' <<<"${failure_details[$i]}"
done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
