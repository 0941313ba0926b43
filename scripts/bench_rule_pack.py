#!/usr/bin/env python3
"""bench_rule_pack.py BINARY [SECONDS] - what evaluating the shipped rule pack costs the agent.

Starts a PostgreSQL primary and streaming standby (scripts/postgres_test.py's setup), then runs
the agent twice for SECONDS each (default 300) on fresh data directories, with every collector
on (`processes` too, both servers as postgres targets, the primary's log files) at the default
intervals (collections every 10 s, rules every 15 s): once with the pack (config/rules/*.yml),
once without rules. Every 15 s it reads the agent's /metrics. Prints, per run, the agent's CPU
(process_cpu_seconds_total over the run, as a share of one core) and, with the pack, the time
of one evaluation of all its groups (the sum of scalewatch_rule_group_last_duration_seconds:
mean, max) and that time as a share of one core at a 15 s interval. Then, side by side, a third
run: the agent without rules scraped every 10 s by Prometheus (Debian's, 2.42) evaluating the
same rule files every 15 s over what it scraped, and Prometheus' own
prometheus_rule_group_last_duration_seconds.

Needs root (initdb runs as postgres through runuser) and Python with psycopg2
(/usr/bin/python3 with Debian's python3-psycopg2). Loopback only; every process stops.
"""
import glob
import os
import re
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import postgres_test as pg  # noqa: E402
import testlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def config(tmp, name, port, primary, standby, rules):
    password_file = os.path.join(tmp, "pg.password")
    with open(password_file, "w") as f:
        f.write(pg.PASSWORD + "\n")
    os.chmod(password_file, 0o600)
    target = ["      user: scalewatch", "      database: app", f"      password_file: {password_file}"]
    lines = [
        f'listen_address: "127.0.0.1:{port}"', f'data_dir: "{os.path.join(tmp, name)}"',
        f"rule_files: [{', '.join(rules)}]",
        "collectors:", "  processes: true", "  postgres:", "    targets:",
        "    - host: 127.0.0.1", f"      port: {primary.port}", *target,
        "    - host: 127.0.0.1", f"      port: {standby.port}", *target,
        "  postgres_logs:", f"    files: [{', '.join(pg.log_files(tmp))}]",
    ]
    path = os.path.join(tmp, name + ".yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def metric(body, name):
    """The values of NAME's samples in an exposition body."""
    return [float(v) for v in re.findall(rb"^" + name.encode() + rb"(?:\{[^}]*\})? (\S+)$", body, re.M)]


def run(binary, procs, tmp, name, port, primary, standby, rules, seconds):
    path = config(tmp, name, port, primary, standby, rules)
    proc = procs.start(name, [binary, "agent", "--config", path], os.path.join(tmp, name + ".log"))
    base = f"http://127.0.0.1:{port}"
    testlib.wait_port(port, proc)
    testlib.wait_http(base + "/metrics", proc)
    time.sleep(20)   # the first collections and evaluations, connections made
    durations, cpu = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _, _, body = testlib.http_get(base + "/metrics")
        cpu.append((time.monotonic(), metric(body, "process_cpu_seconds_total")[0]))
        groups = metric(body, "scalewatch_rule_group_last_duration_seconds")
        if groups:
            durations.append(sum(groups))
        time.sleep(15)
    _, _, body = testlib.http_get(base + "/metrics")
    rules_total = sum(metric(body, "scalewatch_rule_group_rules"))
    failures = sum(metric(body, "scalewatch_rule_evaluation_failures_total"))
    procs.stop(proc)
    (t0, c0), (t1, c1) = cpu[0], cpu[-1]
    share = (c1 - c0) / (t1 - t0)
    print(f"{name}: agent CPU {share * 100:.3f}% of one core over {t1 - t0:.0f} s")
    if durations:
        mean = statistics.mean(durations)
        print(f"{name}: {rules_total:.0f} rules, {failures:.0f} failed evaluations; one evaluation of the pack "
              f"{mean * 1000:.2f} ms mean, {max(durations) * 1000:.2f} ms max over {len(durations)} readings "
              f"= {mean / 15 * 100:.3f}% of one core at 15 s")
    return share


def run_prometheus(binary, procs, tmp, agent_port, primary, standby, rules, seconds):
    """The agent without rules, scraped by Prometheus, which evaluates RULES."""
    path = config(tmp, "prometheus-agent", agent_port, primary, standby, [])
    agent = procs.start("prometheus-agent", [binary, "agent", "--config", path], os.path.join(tmp, "prometheus-agent.log"))
    testlib.wait_port(agent_port, agent)
    port = testlib.free_port()
    prom_config = os.path.join(tmp, "prometheus.yml")
    with open(prom_config, "w") as f:
        f.write("global: {scrape_interval: 10s, evaluation_interval: 15s}\n"
                f"rule_files: [{', '.join(rules)}]\n"
                "scrape_configs:\n  - job_name: scalewatch\n"
                f"    static_configs: [{{targets: ['127.0.0.1:{agent_port}']}}]\n")
    prom = procs.start("prometheus", ["prometheus", f"--config.file={prom_config}",
                                      f"--storage.tsdb.path={os.path.join(tmp, 'prometheus-data')}",
                                      f"--web.listen-address=127.0.0.1:{port}"], os.path.join(tmp, "prometheus.log"))
    base = f"http://127.0.0.1:{port}"
    testlib.wait_http(base + "/-/ready", prom, timeout=60)
    time.sleep(20)
    durations = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _, _, body = testlib.http_get(base + "/metrics")
        groups = metric(body, "prometheus_rule_group_last_duration_seconds")
        if groups:
            durations.append(sum(groups))
        time.sleep(15)
    _, _, body = testlib.http_get(base + "/metrics")
    failures = sum(metric(body, "prometheus_rule_evaluation_failures_total"))
    procs.stop(prom)
    procs.stop(agent)
    mean = statistics.mean(durations)
    print(f"prometheus: {failures:.0f} failed evaluations; one evaluation of the pack {mean * 1000:.2f} ms mean, "
          f"{max(durations) * 1000:.2f} ms max over {len(durations)} readings = {mean / 15 * 100:.3f}% of one core at 15 s")


def main():
    binary = os.path.abspath(sys.argv[1])
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    procs = testlib.Processes()
    tmp = testlib.postgres_workdir(None, procs, "scalewatch-rule-pack.")
    primary = pg.Cluster("primary", tmp, testlib.free_port())
    standby = pg.standby_cluster(tmp, testlib.free_port())
    try:
        pg.setup(tmp, primary, standby)
        pack = sorted(glob.glob(os.path.join(ROOT, "config/rules/*.yml")))
        with_pack = run(binary, procs, tmp, "with-pack", testlib.free_port(), primary, standby, pack, seconds)
        without = run(binary, procs, tmp, "without-rules", testlib.free_port(), primary, standby, [], seconds)
        print(f"the pack adds {(with_pack - without) * 100:.3f}% of one core to the agent "
              f"(CPU counted in 10 ms ticks: {1 / seconds * 100 * 0.01:.4f}% per tick)")
        if shutil.which("prometheus"):
            run_prometheus(binary, procs, tmp, testlib.free_port(), primary, standby, pack, seconds)
    finally:
        standby.stop("immediate")
        primary.stop("immediate")
        procs.close()


if __name__ == "__main__":
    main()
