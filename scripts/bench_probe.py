#!/usr/bin/env python3
"""bench_probe.py - the shared agent_probe.py, plus anonymous memory (RssAnon).

agent_probe.py (../shared/bench/, read-only) reports VmRSS but not RssAnon, the figure the issue's
memory target is about (most of a Swift server's RSS is file-backed library text). This wrapper
loads agent_probe.py unchanged and runs its main() with one addition: every time the probe reads
VmRSS of the process (idle, after the 100 scrapes, after wrk), RssAnon, RssFile and RssShmem are
read right after it. Each repetition then has rssanon_idle_kb, rssanon_after_scrapes_kb,
rssanon_after_wrk_kb (and rssfile_*, rssshmem_*), and their medians are added to the JSON's
"median".

Usage: the same arguments as agent_probe.py; the probe's path comes from AGENT_PROBE
(default: ../../shared/bench/agent_probe.py from this file).
"""
import importlib.util
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.environ.get("AGENT_PROBE", os.path.join(HERE, "..", "..", "shared", "bench", "agent_probe.py"))
EXTRA = ("RssAnon", "RssFile", "RssShmem")
# The order in which exporter_rep reads VmRSS.
MOMENTS = ("idle", "after_scrapes", "after_wrk")


def load_probe():
    spec = importlib.util.spec_from_file_location("agent_probe", PROBE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    probe = load_probe()
    samples = []
    read_status = probe.proc_status

    def proc_status(pid, key):
        value = read_status(pid, key)
        if key == "VmRSS":
            samples.append({k: read_status(pid, k) for k in EXTRA})
        return value

    run_rep = probe.exporter_rep

    def exporter_rep(a):
        samples.clear()
        r = run_rep(a)
        if len(samples) != len(MOMENTS):
            print(f"bench_probe: expected {len(MOMENTS)} VmRSS reads per repetition, saw {len(samples)}: "
                  "agent_probe.py changed; RssAnon moments may be mislabelled", file=sys.stderr)
        for moment, values in zip(MOMENTS, samples):
            for k, v in values.items():
                r[f"{k.lower()}_{moment}_kb"] = v
        return r

    probe.proc_status = proc_status
    probe.exporter_rep = exporter_rep
    probe.main()

    # agent_probe.main wrote the JSON with its own medians; add ours.
    argv = sys.argv[1:]
    if "--" in argv:
        argv = argv[:argv.index("--")]
    if "--json" in argv:
        path = argv[argv.index("--json") + 1]
        with open(path) as f:
            d = json.load(f)
        for moment in MOMENTS:
            for k in EXTRA:
                key = f"{k.lower()}_{moment}_kb"
                vals = [r[key] for r in d["reps"] if isinstance(r.get(key), (int, float))]
                d["median"][key] = statistics.median(vals) if vals else None
        with open(path, "w") as f:
            json.dump(d, f, indent=1)
        print(f"[{d['name']} RssAnon after scrapes, median] {d['median'].get('rssanon_after_scrapes_kb')} kB",
              flush=True)


if __name__ == "__main__":
    main()
