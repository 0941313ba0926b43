#!/usr/bin/env bash
# bench_store.sh BIN_DIR [DATASET.om.zst] - the store side by side with Prometheus' TSDB
# (promtool) and VictoriaMetrics, all measured in this run on the shared dataset:
#   1. import: wall time, peak RSS and bytes per sample on disk (all files) for the three;
#   2. the same bytes for the series whose value changes (make_dataset.py varying);
#   3. the live path: the dataset appended round by round through the agent's append API;
#   4. reading back: every sample decoded from the imported blocks, per core;
#   5. with SCALE=N (e.g. 20): the dataset replicated to N hosts, imported by us (and by
#      promtool and VictoriaMetrics too with SCALE_PEERS=1).
# BIN_DIR holds release builds of `store-benchmark` (and `scalewatch` with VIA_CLI=1). A
# benchmark, not a test.
# env: RUNS=3  VM_PORT=18428  SCALE=  SCALE_PEERS=  KEEP=1 (keep the scratch directory)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN_DIR=$(readlink -f "${1:?usage: bench_store.sh BIN_DIR [DATASET.om.zst]}")
BIN=$BIN_DIR/scalewatch
STORE_BENCH=$BIN_DIR/store-benchmark
SHARED=$HERE/../../shared/bench
DATASET=${2:-$SHARED/data/node-pg-1s.om.zst}
WORK=$(mktemp -d /tmp/scalewatch-store-bench.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
RUNS=${RUNS:-3}
VM_PORT=${VM_PORT:-18428}

for tool in promtool victoria-metrics zstd curl python3; do
    command -v "$tool" >/dev/null || { echo "bench_store.sh: $tool is missing (make bench-deps)" >&2; exit 1; }
done

zstd -d -q -f "$DATASET" -o "$WORK/ds.om"
python3 "$SHARED/make_dataset.py" om2prom --om "$WORK/ds.om" --out "$WORK/ds.prom"
python3 "$SHARED/make_dataset.py" varying --om "$WORK/ds.om" --out "$WORK/varying.om" >/dev/null
python3 "$SHARED/make_dataset.py" om2prom --om "$WORK/varying.om" --out "$WORK/varying.prom"

samples_of() { grep -vc '^#' "$1"; }
series_of() { grep -v '^#' "$1" | sed 's/ [^ ]* [^ ]*$//' | sort -u | wc -l; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Wall seconds and peak RSS (KiB) of one command.
timed() {
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; exit 1; }
    cat "$WORK/time"
}

# VictoriaMetrics: import over HTTP, then force a flush (the import time, as the shared
# baseline takes it), then a merge, waiting until no merge runs and the size on disk has
# settled; bytes exclude its rebuildable cache. Prints "seconds bytes peakRSS_KiB".
vm_import() {
    local file=$1 dir=$2 pid t0 t1 previous=-1 stable=0 size
    rm -rf "$dir"
    victoria-metrics -storageDataPath="$dir" -httpListenAddr="127.0.0.1:$VM_PORT" -retentionPeriod=100y \
        -loggerLevel=ERROR >"$WORK/vm.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$VM_PORT/health" >/dev/null && break; sleep 0.1; done
    t0=$(date +%s.%N)
    curl -sf --data-binary "@$file" "http://127.0.0.1:$VM_PORT/api/v1/import/prometheus"
    curl -sf "http://127.0.0.1:$VM_PORT/internal/force_flush"
    t1=$(date +%s.%N)
    local partition
    partition=$(python3 -c "import sys,time; print(time.strftime('%Y_%m', time.gmtime(int(float(sys.argv[1])))))" \
        "$(grep -m1 -v '^#' "$WORK/ds.om" | awk '{print $NF}')")
    curl -sf "http://127.0.0.1:$VM_PORT/internal/force_merge?partition_prefix=$partition"
    for _ in $(seq 300); do
        size=$(du -sb --exclude=cache "$dir" | cut -f1)
        merges=$(curl -s "http://127.0.0.1:$VM_PORT/metrics" | awk '/^vm_active_merges/ {s+=$2} END {print s+0}')
        if [ "$merges" = 0 ] && [ "$size" = "$previous" ]; then stable=$((stable + 1)); else stable=0; fi
        [ "$stable" -ge 4 ] && break
        previous=$size; sleep 0.5
    done
    local rss
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill -INT "$pid"; wait "$pid" || true
    echo "$(python3 -c "print(f'{$t1-$t0:.3f}')") $(du -sb --exclude=cache "$dir" | cut -f1) $rss"
}

ours_import() { # FILE DIR -> "seconds bytes peakRSS_KiB"
    rm -rf "$2"
    # store-benchmark's import is the library call `scalewatch import` makes, in a binary
    # that builds without the agent's dependencies; set VIA_CLI=1 to time the CLI itself.
    if [ -n "${VIA_CLI:-}" ]; then
        read -r wall rss < <(timed "$BIN" import openmetrics "$1" --data-dir "$2")
    else
        read -r wall rss < <(timed "$STORE_BENCH" import "$1" "$2")
    fi
    echo "$wall $(du -sb --exclude=lock "$2" | cut -f1) $rss"
}

prom_import() { # FILE DIR -> "seconds bytes peakRSS_KiB"
    rm -rf "$2"
    read -r wall rss < <(timed promtool tsdb create-blocks-from openmetrics "$1" "$2")
    echo "$wall $(du -sb "$2" | cut -f1) $rss"
}

SAMPLES=$(samples_of "$WORK/ds.om")
VARYING_SAMPLES=$(samples_of "$WORK/varying.om")
VARYING_SERIES=$(series_of "$WORK/varying.om")
echo "dataset: $SAMPLES samples; varying subset: $VARYING_SERIES series, $VARYING_SAMPLES samples; $RUNS runs each"

# Interleaved per run so that machine noise hits all three alike.
prom_walls=(); vm_walls=(); ours_walls=(); prom_rss=(); vm_rss=(); ours_rss=()
for _ in $(seq "$RUNS"); do
    read -r w prom_bytes r < <(prom_import "$WORK/ds.om" "$WORK/prom"); prom_walls+=("$w"); prom_rss+=("$r")
    read -r w vm_bytes r < <(vm_import "$WORK/ds.prom" "$WORK/vm"); vm_walls+=("$w"); vm_rss+=("$r")
    read -r w ours_bytes r < <(ours_import "$WORK/ds.om" "$WORK/ours"); ours_walls+=("$w"); ours_rss+=("$r")
done
read -r _ prom_varying _ < <(prom_import "$WORK/varying.om" "$WORK/prom-varying")
read -r _ vm_varying _ < <(vm_import "$WORK/varying.prom" "$WORK/vm-varying")
read -r _ ours_varying _ < <(ours_import "$WORK/varying.om" "$WORK/ours-varying")

python3 - "$SAMPLES" "$VARYING_SAMPLES" <<PY
import statistics, sys
samples, varying = int(sys.argv[1]), int(sys.argv[2])
med = lambda xs: statistics.median(float(x) for x in xs.split())
rows = [
    ("bytes per sample, all files", $prom_bytes / samples, $vm_bytes / samples, $ours_bytes / samples, 3),
    ("  varying series only", $prom_varying / varying, $vm_varying / varying, $ours_varying / varying, 3),
    ("import wall seconds (median)", med("${prom_walls[*]}"), med("${vm_walls[*]}"), med("${ours_walls[*]}"), 2),
    ("import peak RSS MiB (median)", med("${prom_rss[*]}") / 1024, med("${vm_rss[*]}") / 1024, med("${ours_rss[*]}") / 1024, 1),
]
print(f"{'':32}{'promtool':>10}{'VictoriaM':>10}{'scalewatch':>11}{'vs prom':>9}{'vs VM':>8}")
for name, p, v, o, digits in rows:
    print(f"{name:32}{p:>10.{digits}f}{v:>10.{digits}f}{o:>11.{digits}f}{o / p:>8.2f}x{o / v:>7.2f}x")
print("import walls: promtool ${prom_walls[*]} | VictoriaMetrics ${vm_walls[*]} | scalewatch ${ours_walls[*]}")
PY

echo
"$STORE_BENCH" live "$WORK/ds.om" "$WORK/live" 5
echo
"$STORE_BENCH" decode "$WORK/ours" 5

if [ -n "${SCALE:-}" ]; then
    echo
    echo "== scale: the dataset replicated to $SCALE hosts"
    python3 "$SHARED/replicate.py" "$SCALE" "$WORK/ds.om" "$WORK/scale.om"
    rm -f "$WORK/ds.prom" "$WORK/varying.prom"
    scale_samples=$(samples_of "$WORK/scale.om")
    read -r ow ob orss < <(ours_import "$WORK/scale.om" "$WORK/ours-scale")
    "$STORE_BENCH" decode "$WORK/ours-scale" 3
    rm -rf "$WORK/ours-scale"
    line="$SCALE hosts, $scale_samples samples: scalewatch ${ow}s ${ob}B $((orss / 1024))MiB"
    if [ -n "${SCALE_PEERS:-}" ]; then
        read -r pw pb pr < <(prom_import "$WORK/scale.om" "$WORK/prom-scale"); rm -rf "$WORK/prom-scale"
        line="$line; promtool ${pw}s ${pb}B $((pr / 1024))MiB"
        python3 "$SHARED/make_dataset.py" om2prom --om "$WORK/scale.om" --out "$WORK/scale.prom"
        read -r vw vb vr < <(vm_import "$WORK/scale.prom" "$WORK/vm-scale"); rm -rf "$WORK/vm-scale" "$WORK/scale.prom"
        line="$line; VictoriaMetrics ${vw}s ${vb}B $((vr / 1024))MiB"
    fi
    echo "$line"
    python3 -c "
s=$scale_samples; base=$SAMPLES
print(f'scalewatch: {$ob/s:.3f} bytes/sample; import {$ow:.2f} s = {$ow/(s/base):.2f} s per dataset copy; peak RSS {$orss/1024:.0f} MiB')"
fi
