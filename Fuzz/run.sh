#!/usr/bin/env bash
# Builds scalewatch-fuzz and runs every fuzz target (or those in FUZZ_TARGETS) for FUZZ_SECONDS
# each, FUZZ_JOBS at a time: what `make fuzz` does. Each target's growing corpus and crash
# artifacts live under $FUZZ_BUILD_PATH/fuzz/<target>/; the committed seeds in
# Fuzz/<target>/corpus are read, never written. Exits 1 if any target found a crash, a
# timeout (an input running longer than FUZZ_TIMEOUT seconds) or an out-of-memory.
# See docs/fuzzing.md.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
timeout=${FUZZ_TIMEOUT:-10}
build_path=${FUZZ_BUILD_PATH:-.build}
work=$build_path/fuzz
binary=$build_path/debug/scalewatch-fuzz

started=$(date +%s)
# ld.gold warns once per ASan helper symbol; the warnings say nothing.
SCALEWATCH_FUZZ=1 swift build --product scalewatch-fuzz --scratch-path "$build_path" 2>&1 \
    | { grep -v "Cannot export local symbol" || true; }
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "fuzz: the build failed" >&2
    exit 1
fi
echo "fuzz: built in $(( $(date +%s) - started )) s"

targets=${FUZZ_TARGETS:-$("$binary" list)}

run_target() {
    local target=$1 dir=$work/$1
    mkdir -p "$dir/corpus" "$dir/artifacts"
    # Swift's backtracer would spend seconds on each trap; libFuzzer reports the crash itself.
    # Leak checking is off: the Swift runtime's caches look like leaks to LeakSanitizer.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
        "$binary" "$target" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
        -artifact_prefix="$dir/artifacts/" -print_final_stats=1 "$dir/corpus" "Fuzz/$target/corpus" \
        >"$dir/log" 2>&1
    local status=$?
    local runs coverage
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    coverage=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1)
    if [ $status -eq 0 ]; then
        echo "fuzz: $target: ok, ${runs:-?} inputs, $coverage"
    else
        echo "fuzz: $target: FAILED (exit $status) after ${runs:-?} inputs; log $dir/log"
        grep -E "^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*Fatal error:|artifact_prefix|Test unit written|Base64)" "$dir/log" | head -12 | sed 's/^/    /'
        echo "    reproduce: SCALEWATCH_FUZZ=1 swift build --product scalewatch-fuzz && $binary $target <artifact>"
    fi
    return $status
}

failed=0
running=0
for target in $targets; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
    run_target "$target" &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
echo "fuzz: $(echo $targets | wc -w) targets, $seconds s each, $jobs at a time: $(( $(date +%s) - started )) s in all"
if [ $failed -ne 0 ]; then
    echo "fuzz: a target failed: make each finding a regression test (docs/fuzzing.md)" >&2
    exit 1
fi
