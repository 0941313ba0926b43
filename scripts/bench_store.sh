#!/usr/bin/env bash
# bench_store.sh BINARY [DATASET.om.zst] - on-disk bytes per sample and import time of the
# shared dataset, scalewatch side by side with promtool's TSDB in the same run (and
# VictoriaMetrics when the `victoria-metrics` package is installed, via the shared
# storage_baseline.sh). A benchmark, not a test.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(readlink -f "${1:?usage: bench_store.sh BINARY [DATASET.om.zst]}")
DATASET=${2:-$HERE/../../shared/bench/data/node-pg-1s.om.zst}
WORK=$(mktemp -d /tmp/scalewatch-store-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RUNS=${RUNS:-3}

zstd -d -q -f "$DATASET" -o "$WORK/ds.om"
SAMPLES=$(grep -vc '^#' "$WORK/ds.om")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # prints wall seconds and max RSS KiB of one command
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > /dev/null 2> "$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
    cat "$WORK/time"
}

prom_wall=(); ours_wall=(); ours_rss=()
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/prom" "$WORK/ours"
    read -r wall _ < <(timed promtool tsdb create-blocks-from openmetrics "$WORK/ds.om" "$WORK/prom")
    prom_wall+=("$wall")
    read -r wall rss < <(timed "$BIN" import openmetrics "$WORK/ds.om" --data-dir "$WORK/ours")
    ours_wall+=("$wall"); ours_rss+=("$rss")
done
prom_bytes=$(du -sb "$WORK/prom" | cut -f1)
ours_bytes=$(du -sb --exclude=lock "$WORK/ours" | cut -f1)
pw=$(printf '%s\n' "${prom_wall[@]}" | median)
ow=$(printf '%s\n' "${ours_wall[@]}" | median)
orss=$(printf '%s\n' "${ours_rss[@]}" | median)
python3 - "$SAMPLES" "$prom_bytes" "$ours_bytes" "$pw" "$ow" "$orss" <<'PY'
import sys
samples, prom_bytes, ours_bytes = map(int, sys.argv[1:4])
pw, ow, orss = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
print(f"samples: {samples:,}")
print(f"{'':32}{'promtool TSDB':>15}{'scalewatch':>15}{'ratio':>9}")
print(f"{'bytes on disk (all files)':32}{prom_bytes:>15,}{ours_bytes:>15,}{ours_bytes/prom_bytes:>8.3f}x")
print(f"{'bytes per sample':32}{prom_bytes/samples:>15.3f}{ours_bytes/samples:>15.3f}{(ours_bytes/samples)/(prom_bytes/samples):>8.3f}x")
print(f"{'import wall seconds (median)':32}{pw:>15.2f}{ow:>15.2f}{ow/pw:>8.3f}x")
print(f"{'import peak RSS MiB':32}{'':>15}{orss/1024:>15.1f}")
PY
