#!/usr/bin/env bash
# make install-files with PREFIX and DESTDIR lands the binary, the unit (pointing at the
# installed binary), the config and the rule pack, never overwrites an existing config, and
# replaces the rule pack. The installed config loads the installed pack.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make --no-print-directory -s install-files BIN="$BIN" PREFIX=/opt/sw DESTDIR="$dest" >/dev/null
test -x "$dest/opt/sw/bin/scalewatch"
grep -q '^ExecStart=/opt/sw/bin/scalewatch agent' "$dest/lib/systemd/system/scalewatch.service"
cmp config/agent.yml "$dest/etc/scalewatch/agent.yml"
for rules in config/rules/*.yml; do
    cmp "$rules" "$dest/etc/scalewatch/rules/$(basename "$rules")"
done
# rule_files is relative to the config file: the installed config finds the installed pack.
checked=$("$dest/opt/sw/bin/scalewatch" check config "$dest/etc/scalewatch/agent.yml")
echo "$checked"
pack_rules=$(cat config/rules/*.yml | grep -c '^      - alert:')
echo "$checked" | grep -q " $pack_rules rules)" || { echo "the installed config does not load the $pack_rules rules of the pack" >&2; exit 1; }
echo "# edited" > "$dest/etc/scalewatch/agent.yml"
make --no-print-directory -s install-files BIN="$BIN" PREFIX=/opt/sw DESTDIR="$dest" >/dev/null
grep -q '^# edited' "$dest/etc/scalewatch/agent.yml"
echo "# edited" > "$dest/etc/scalewatch/rules/memory.yml"
make --no-print-directory -s install-files BIN="$BIN" PREFIX=/opt/sw DESTDIR="$dest" >/dev/null
cmp config/rules/memory.yml "$dest/etc/scalewatch/rules/memory.yml"
"$dest/opt/sw/bin/scalewatch" --version
echo "install layout ok"
