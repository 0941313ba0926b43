#!/usr/bin/env bash
# rule_pack_tests.sh SCALEWATCH_BINARY - the shipped rule pack (config/rules) as CI checks it:
#   1. `promtool check rules` and `SCALEWATCH check rules` on each config/rules/*.yml;
#   2. config/rules/tests/*.test.yml must pass and config/rules/tests/must-fail/*.test.yml
#      must fail, under both `promtool test rules` and `SCALEWATCH test rules`
#      (scripts/rule_tests.sh with RULES_DIR);
#   3. scripts/rule_pack_lint.py: every alert's labels, annotations, runbook, row in
#      docs/alerting.md, and a firing and a not-firing test case;
#   4. the agent run with the shipped config/agent.yml evaluates the pack: its Watchdog
#      fires (ALERTS in its store).
# Exit 0 when all four hold.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:?usage: rule_pack_tests.sh SCALEWATCH_BINARY}")
command -v promtool >/dev/null || { echo "$0: promtool not found (Debian package prometheus)" >&2; exit 2; }
status=0

for rules in config/rules/*.yml; do
    for tool in promtool "$BIN"; do
        if out=$("$tool" check rules "$rules" 2>&1); then
            echo "ok    $(basename "$tool") check rules $rules"
        else
            echo "FAIL  $(basename "$tool") check rules $rules"
            echo "$out" | sed 's/^/      | /'
            status=1
        fi
    done
done

RULES_DIR=config/rules/tests bash scripts/rule_tests.sh "$BIN" || status=1
python3 scripts/rule_pack_lint.py || status=1

work=$(mktemp -d /tmp/scalewatch-rule-pack.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" agent --config config/agent.yml --data-dir "$work/data" --listen-address "127.0.0.1:$port" >"$work/agent.log" 2>&1 &
agent=$!
watchdog=""
for _ in $(seq 60); do
    sleep 1
    watchdog=$("$BIN" query 'ALERTS{alertname="Watchdog",alertstate="firing"}' --data-dir "$work/data" 2>/dev/null | grep -c Watchdog)
    [ "$watchdog" = 1 ] && break
done
kill "$agent"; wait "$agent"
if [ "$watchdog" = 1 ]; then
    echo "ok    the agent with config/agent.yml fires the pack's Watchdog"
else
    echo "FAIL  the agent with config/agent.yml did not fire the pack's Watchdog within 60 s"
    tail -n 20 "$work/agent.log" | sed 's/^/      | /'
    status=1
fi
rm -rf "$work"
exit $status
