#!/usr/bin/env bash
# rule_tests.sh [--promtool-only | SCALEWATCH_BINARY] - the rule-unit-test suite in Tests/rules
# (or in the directory RULES_DIR names: scripts/rule_pack_tests.sh runs the shipped pack's).
#
# Runs every Tests/rules/*.test.yml, which must pass, and every
# Tests/rules/must-fail/*.test.yml, a deliberately wrong twin of a correct case, which must
# fail, through each tool, one process per file:
#   promtool    `promtool test rules FILE` (Debian's prometheus package);
#   scalewatch  `SCALEWATCH test rules FILE`, with SCALEWATCH the binary given as $1 or in
#               the SCALEWATCH environment variable.
# Until `scalewatch test rules` exists, run it with --promtool-only. Without a binary and
# without --promtool-only it refuses to run (exit 2), so a CI that forgot the binary is not
# mistaken for one that tested it.
#
# A file "fails" when the tool exits 1..125. Exit 126 and above (not executable, killed by a
# signal, a crash) and the 120 s per-file timeout are errors, never an expected failure. For
# promtool a must-fail file must also fail on a comparison (its output shows "exp:" and
# "got:"), not on a file that does not load, and no file may name a missing rule file
# (promtool only warns about that).
#
# Prints one line per file and tool, the output of every run that broke an expectation, a
# summary per tool, and ends with "N passed, N failed" (N = expectations met / broken).
# Exit 0 when every expectation holds, 1 when one does not, 2 on a usage error.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RULES_DIR=$(cd "${RULES_DIR:-$ROOT/Tests/rules}" && pwd)
TIMEOUT_S=120

usage() {
    echo "usage: $0 [--promtool-only | SCALEWATCH_BINARY]   (or SCALEWATCH=BINARY $0)" >&2
    exit 2
}

promtool_only=0
sw="${SCALEWATCH:-}"
case $# in
    0) ;;
    1)
        case "$1" in
            --promtool-only) promtool_only=1 ;;
            -h | --help) usage ;;
            -*) echo "$0: unknown option $1" >&2; usage ;;
            *) sw="$1" ;;
        esac
        ;;
    *) usage ;;
esac

if [ "$promtool_only" -eq 1 ]; then
    sw=""
elif [ -z "$sw" ]; then
    echo "$0: no scalewatch binary given (pass it as \$1 or SCALEWATCH=...), or use --promtool-only" >&2
    usage
else
    sw=$(readlink -f "$sw" || true)
    if [ -z "$sw" ] || [ ! -f "$sw" ] || [ ! -x "$sw" ]; then
        echo "$0: ${1:-$SCALEWATCH} is not an executable file" >&2
        exit 2
    fi
fi
command -v promtool >/dev/null || { echo "$0: promtool not found (Debian package prometheus)" >&2; exit 2; }
command -v timeout >/dev/null || { echo "$0: timeout (coreutils) not found" >&2; exit 2; }

shopt -s nullglob
must_pass=("$RULES_DIR"/*.test.yml)
must_fail=("$RULES_DIR"/must-fail/*.test.yml)
shopt -u nullglob
if [ ${#must_pass[@]} -eq 0 ] || [ ${#must_fail[@]} -eq 0 ]; then
    echo "$0: no test files in $RULES_DIR (*.test.yml) or $RULES_DIR/must-fail" >&2
    exit 2
fi

echo "promtool: $(promtool --version 2>&1 | head -n 1)"
[ -n "$sw" ] && echo "scalewatch: $sw"
echo "files: ${#must_pass[@]} must pass, ${#must_fail[@]} must fail"

OUT=$(mktemp /tmp/scalewatch-rule-tests.XXXXXX)
trap 'rm -f "$OUT"' EXIT

declare -A tool_passed=() tool_failed=()
passed=0
failed=0

# run TOOL EXPECT FILE: runs one file through one tool and records whether EXPECT (pass|fail)
# held.
run() {
    local tool=$1 expect=$2 file=$3 rc verdict why=""
    local rel=${file#"$ROOT"/}
    case "$tool" in
        promtool) (cd "$RULES_DIR" && timeout -k 10 "$TIMEOUT_S" promtool test rules "$file") >"$OUT" 2>&1 ;;
        scalewatch) (cd "$RULES_DIR" && timeout -k 10 "$TIMEOUT_S" "$sw" test rules "$file") >"$OUT" 2>&1 ;;
    esac
    rc=$?
    if [ "$tool" = promtool ] && grep -q 'no file match pattern' "$OUT"; then
        # promtool only warns about a missing rule file, and then passes every test that
        # expects no alerts.
        verdict=error why="a rule file is missing"
    elif [ "$rc" -eq 0 ]; then
        verdict=pass
    elif [ "$rc" -eq 124 ]; then
        verdict=error why="timed out after ${TIMEOUT_S}s"
    elif [ "$rc" -ge 126 ]; then
        verdict=error why="exit $rc"
    else
        verdict=fail
        if [ "$tool" = promtool ] && { ! grep -q 'exp:' "$OUT" || ! grep -q 'got:' "$OUT"; }; then
            verdict=error why="failed without a comparison (did the file load?)"
        fi
    fi

    if [ "$verdict" = "$expect" ]; then
        passed=$((passed + 1))
        tool_passed[$tool]=$((${tool_passed[$tool]:-0} + 1))
        if [ "$expect" = pass ]; then
            echo "ok    $tool  $rel  passes"
        else
            echo "ok    $tool  $rel  fails as it must"
        fi
    else
        failed=$((failed + 1))
        tool_failed[$tool]=$((${tool_failed[$tool]:-0} + 1))
        echo "FAIL  $tool  $rel  must $expect, but it ${verdict}ed${why:+ ($why)}"
        sed 's/^/      | /' "$OUT" | head -n 60
    fi
}

tools=(promtool)
[ -n "$sw" ] && tools+=(scalewatch)
for tool in "${tools[@]}"; do
    for f in "${must_pass[@]}"; do run "$tool" pass "$f"; done
    for f in "${must_fail[@]}"; do run "$tool" fail "$f"; done
done

echo
for tool in "${tools[@]}"; do
    echo "$tool: ${tool_passed[$tool]:-0} passed, ${tool_failed[$tool]:-0} failed"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
