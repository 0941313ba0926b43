#!/usr/bin/env bash
# make install-files with PREFIX and DESTDIR lands the binary, the unit (pointing at the
# installed binary) and the config, and never overwrites an existing config.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make --no-print-directory -s install-files BIN="$BIN" PREFIX=/opt/sw DESTDIR="$dest" >/dev/null
test -x "$dest/opt/sw/bin/scalewatch"
grep -q '^ExecStart=/opt/sw/bin/scalewatch agent' "$dest/lib/systemd/system/scalewatch.service"
cmp config/agent.yml "$dest/etc/scalewatch/agent.yml"
echo "# edited" > "$dest/etc/scalewatch/agent.yml"
make --no-print-directory -s install-files BIN="$BIN" PREFIX=/opt/sw DESTDIR="$dest" >/dev/null
grep -q '^# edited' "$dest/etc/scalewatch/agent.yml"
"$dest/opt/sw/bin/scalewatch" --version
echo "install layout ok"
