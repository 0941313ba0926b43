#!/usr/bin/env bash
# rule_pack_tests.sh SCALEWATCH_BINARY - the shipped rule pack (config/rules) as CI checks it:
#   1. `promtool check rules` and `SCALEWATCH check rules` on each config/rules/*.yml;
#   2. config/rules/tests/*.test.yml must pass and config/rules/tests/must-fail/*.test.yml
#      must fail, under both `promtool test rules` and `SCALEWATCH test rules`
#      (scripts/rule_tests.sh with RULES_DIR);
#   3. scripts/rule_pack_lint.py: every alert's labels, annotations, runbook, row in
#      docs/alerting.md, and a firing and a not-firing test case.
# Exit 0 when all three hold.
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
exit $status
