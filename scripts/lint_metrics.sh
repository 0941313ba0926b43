#!/usr/bin/env bash
# promtool check metrics on a text-format file. Fails on any finding except those that come from
# keeping node_exporter's names unchanged (so existing dashboards keep working), each of which
# promtool also reports on node_exporter's own output: camelCase in
# node_memory_*/node_netstat_*/node_sockstat_* names and the entropy collector's sizes in bits.
set -uo pipefail
file=${1:?usage: lint_metrics.sh FILE}
out=$(promtool check metrics < "$file" 2>&1)
status=$?
problems=$(printf '%s\n' "$out" | grep -v -E \
    -e "^node_(memory|netstat|sockstat)_[A-Za-z0-9_]+ metric names should be written in 'snake_case' not 'camelCase'$" \
    -e '^node_entropy_(available|pool_size)_bits use base unit "bytes" instead of "bits"$' \
    -e '^$')
if [ -n "$problems" ]; then
    printf 'promtool check metrics found problems in %s:\n%s\n' "$file" "$problems"
    exit 1
fi
if [ $status -ne 0 ] && [ -z "$out" ]; then
    echo "promtool check metrics failed on $file"
    exit 1
fi
echo "promtool check metrics: $file ok (only node_exporter's own naming findings)"
