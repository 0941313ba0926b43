#!/usr/bin/env python3
"""bench_rule_isolation.py BINARY DATASET.om [REQUESTS] - does a slow rule group delay /metrics?

Imports the dataset (one host, 25 minutes of 1 s samples) into a fresh data directory, then runs
the agent twice on copies of it with `scrape_max_age: 0s` (every scrape collects):
  - without rules;
  - with one rule group, evaluated every second, that takes a large part of that second: one
    `quantile_over_time(0.9, NAME[30m] @ END)` per metric family of the dataset (the `@` pins the
    window on the dataset, whatever the clock says).
Prints /metrics latency (median, p99, max over REQUESTS sequential scrapes) for both, the rule
group's last evaluation time, and the ratio of the p99s. Loopback only; every process stops.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402


def scrape_latencies(base, requests):
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _, _ = testlib.http_get(base + "/metrics")
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"/metrics answered {status}")
    latencies.sort()
    return latencies


def rule_duration(base):
    _, _, body = testlib.http_get(base + "/metrics")
    m = re.search(rb'scalewatch_rule_group_last_duration_seconds\{[^}]*\} (\S+)', body)
    return float(m.group(1)) if m else None


def main():
    binary, dataset = sys.argv[1], sys.argv[2]
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    procs = testlib.Processes()
    try:
        work = procs.tempdir("scalewatch-rule-isolation.")
        imported = os.path.join(work, "imported")
        subprocess.run([binary, "import", "openmetrics", dataset, "--data-dir", imported], check=True,
                       stdout=subprocess.DEVNULL)
        names, end = set(), 0
        with open(dataset) as f:
            for line in f:
                if line.startswith("# TYPE "):
                    names.add(line.split()[2])
                elif not line.startswith("#") and line.strip():
                    end = max(end, float(line.rsplit(" ", 1)[1]))
        # Counters, summaries and histograms are stored under their sample names.
        with open(dataset) as f:
            sample_names = sorted({re.match(r"[^{ ]+", l).group(0) for l in f if l and not l.startswith("#")})
        rules = os.path.join(work, "slow.rules.yml")
        with open(rules, "w") as f:
            f.write("groups:\n  - name: slow\n    interval: 1s\n    rules:\n")
            for i, name in enumerate(sample_names):
                f.write(f"      - record: slow:q90_{i}\n        expr: quantile_over_time(0.9, {name}[30m] @ {end:.3f})\n")

        results = {}
        for case in ("no rules", "slow rule group"):
            directory = os.path.join(work, case.replace(" ", "-"))
            os.makedirs(directory)
            shutil.copytree(imported, os.path.join(directory, "data"))
            port = testlib.free_port()
            config = testlib.write_agent_config(directory, port, scrape_max_age="0s", interval="1s")
            if case == "slow rule group":
                with open(config, "a") as f:
                    f.write(f"rule_files: [{rules}]\nevaluation_interval: 1s\n")
            agent = procs.start("scalewatch", [binary, "agent", "--config", config],
                                os.path.join(directory, "agent.log"))
            base = f"http://127.0.0.1:{port}"
            testlib.wait_http(base + "/metrics", agent)
            time.sleep(3)  # rules evaluating, collections on their schedule
            latencies = scrape_latencies(base, requests)
            results[case] = (latencies, rule_duration(base))
            procs.stop(agent)

        print(f"/metrics latency over {requests} sequential scrapes, scrape_max_age 0s, "
              f"{len(sample_names)} rules in the slow group")
        print(f"{'':18}{'median ms':>10}{'p99 ms':>9}{'max ms':>9}{'rule group s':>14}")
        for case, (lat, duration) in results.items():
            p99 = lat[int(len(lat) * 0.99) - 1]
            shown = f"{duration:.3f}" if duration is not None else "-"
            print(f"{case:18}{statistics.median(lat):>10.2f}{p99:>9.2f}{lat[-1]:>9.2f}{shown:>14}")
        base_p99 = results["no rules"][0][int(requests * 0.99) - 1]
        slow_p99 = results["slow rule group"][0][int(requests * 0.99) - 1]
        print(f"p99 with the slow group / without: {slow_p99 / base_p99:.2f}x")
    finally:
        procs.close()


if __name__ == "__main__":
    main()
