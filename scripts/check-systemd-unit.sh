#!/usr/bin/env bash
# check-systemd-unit.sh BINARY - checks config/scalewatch.service without a running systemd.
#
#   1. `systemd-analyze verify` accepts the unit and prints no warning about it. verify exits 0
#      on unknown keys and unparsable values (it only warns), so its output is read, not just
#      its exit code. ExecStart must name an existing executable: the unit is copied to a temp
#      dir with ExecStart's program replaced by BINARY (arguments kept). verify does not look
#      up User=/Group= (checked here: a unit naming a user this host lacks passes), and the unit
#      uses DynamicUser=, so the scalewatch user need not exist.
#   2. The directives the agent relies on are present (Type=notify, WatchdogSec=, ...), and none
#      of the options that would falsify the metrics is (ProtectProc=invisible, ProcSubset=pid,
#      PrivateNetwork=yes, PrivateUsers=yes, ProtectHome=yes|tmpfs, ProtectClock=yes).
#   3. `systemd-analyze security --offline=yes` exposure is at most EXPOSURE_MAX (default 2.5):
#      a guard against hardening being dropped by accident.
#
# Needs: systemd (systemd-analyze). Ends with "N passed, N failed"; exit 1 on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
UNIT=${UNIT:-$HERE/../config/scalewatch.service}
EXPOSURE_MAX=${EXPOSURE_MAX:-2.5}

if [ $# -ne 1 ]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
BIN=$(readlink -f "$1" || true)
if [ -z "$BIN" ] || [ ! -f "$BIN" ] || [ ! -x "$BIN" ]; then
    echo "$0: $1 is not an executable file" >&2
    exit 2
fi
if ! command -v systemd-analyze >/dev/null; then
    echo "$0: systemd-analyze not found (apt-get install systemd)" >&2
    exit 2
fi

TMP=$(mktemp -d /tmp/scalewatch-unit.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# The copy keeps the unit's name: verify derives the unit name from the file name.
NAME=$(basename "$UNIT")
COPY=$TMP/$NAME
# Replace only the program of ExecStart (its first word), keep the arguments.
awk -v bin="$BIN" '
    /^ExecStart=/ { sub(/^ExecStart=[^ ]+/, "ExecStart=" bin); n++ }
    { print }
    END { if (n != 1) exit 3 }' "$UNIT" >"$COPY"
if [ $? -ne 0 ]; then
    fail "unit has exactly one ExecStart= line"
else
    pass "unit has exactly one ExecStart= line"
fi

# 1. systemd-analyze verify
out=$(cd "$TMP" && systemd-analyze verify --man=no "$COPY" 2>&1)
rc=$?
# Lines about our unit (by file path or unit name); anything else is the host's own units.
about_unit=$(printf '%s\n' "$out" | grep -F -e "$COPY" -e "$NAME" || true)
other=$(printf '%s\n' "$out" | grep -v -F -e "$COPY" -e "$NAME" | grep -v '^$' || true)
if [ $rc -eq 0 ] && [ -z "$about_unit" ]; then
    pass "systemd-analyze verify: no error, no warning about $NAME"
else
    fail "systemd-analyze verify (exit $rc):"
    printf '%s\n' "$about_unit" | sed 's/^/    /'
fi
if [ -n "$other" ]; then
    echo "info: systemd-analyze verify also said (not about $NAME):"
    printf '%s\n' "$other" | sed 's/^/    /'
fi

# 2. The directives the agent relies on, and the ones that would falsify its metrics.
# Effective value of a key: the last assignment wins (except list-valued keys, not checked here).
value() { grep -E "^$1=" "$UNIT" | tail -n1 | cut -d= -f2-; }
require() {
    local key=$1 want=$2 got
    got=$(value "$key")
    if [ -n "$got" ] && [[ $got =~ ^($want)$ ]]; then
        pass "$key=$got"
    else
        fail "$key= should match '$want', is '${got:-<unset>}'"
    fi
}
require Type 'notify'
require WatchdogSec '[0-9]+(s|min)?'
require ExecStart '/usr/local/bin/scalewatch agent --config /etc/scalewatch/agent\.yml'
require ExecReload '/bin/kill -HUP \$MAINPID'
require Restart 'on-failure'
require SupplementaryGroups 'systemd-journal adm|adm systemd-journal'
require StateDirectory 'scalewatch'
# An empty CapabilityBoundingSet= (no capabilities at all) must be written out, not left unset.
if grep -qE '^CapabilityBoundingSet=$' "$UNIT" && [ -z "$(value CapabilityBoundingSet)" ]; then
    pass "CapabilityBoundingSet= (empty: no capabilities)"
else
    fail "CapabilityBoundingSet= should be set to empty, is '$(value CapabilityBoundingSet)'"
fi
require NoNewPrivileges 'yes|true'
require ProtectSystem 'strict'
require ProtectHome 'read-only'
require PrivateTmp 'yes|true'
require ProtectKernelTunables 'yes|true'
require ProtectControlGroups 'yes|true'
require RestrictAddressFamilies 'AF_UNIX AF_INET AF_INET6 AF_NETLINK'
require LockPersonality 'yes|true'
require MemoryDenyWriteExecute 'yes|true'
require RestrictNamespaces 'yes|true'
require SystemCallArchitectures 'native'
require OOMScoreAdjust '-[0-9]+'
require MemoryMax '[0-9]+[KMG]'
require MemoryHigh '[0-9]+[KMG]'
require CPUWeight '[0-9]+'
require IOSchedulingClass 'idle'
# An unprivileged user: DynamicUser=yes, or User= naming someone other than root.
user=$(value User)
if [[ $(value DynamicUser) =~ ^(yes|true)$ ]] || { [ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ]; }; then
    pass "unprivileged user (DynamicUser=$(value DynamicUser) User=${user:-<unset>})"
else
    fail "no unprivileged user: set DynamicUser=yes or User="
fi
# The collectors read /proc, /sys, every mount (statvfs) and the host's network namespace.
forbid() {
    local key=$1 bad=$2 why=$3 got
    got=$(value "$key")
    if [ -n "$got" ] && [[ $got =~ ^($bad)$ ]]; then
        fail "$key=$got must not be set: $why"
    else
        pass "$key is not ${bad//|/ or } ($why)"
    fi
}
forbid ProtectProc 'invisible|noaccess|ptraceable' "the processes collector counts every process"
forbid ProcSubset 'pid' "/proc/stat, /proc/meminfo, ... are read"
forbid ProtectHome 'yes|true|tmpfs' "statvfs of a /home file system would see the placeholder"
forbid PrivateNetwork 'yes|true' "/proc/net is per network namespace"
forbid PrivateUsers 'yes|true' "the adm and systemd-journal groups would not be mapped"
forbid ProtectClock 'yes|true' "the timex collector needs adjtimex"

# 3. Exposure score (offline security review of the copy).
sec=$(cd "$TMP" && systemd-analyze security --offline=yes "$COPY" 2>&1)
score=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p' | tail -n1)
if [ -z "$score" ]; then
    fail "systemd-analyze security --offline=yes printed no exposure level:"
    printf '%s\n' "$sec" | tail -n5 | sed 's/^/    /'
elif awk -v s="$score" -v m="$EXPOSURE_MAX" 'BEGIN { exit !(s <= m) }'; then
    pass "systemd-analyze security exposure $score <= $EXPOSURE_MAX"
else
    fail "systemd-analyze security exposure $score > $EXPOSURE_MAX:"
    printf '%s\n' "$sec" | grep '✗' | sed 's/^/    /'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
