#!/usr/bin/env python3
"""cgroup_cost.py BINARY [SERVICES] - what the cgroups and top_processes collectors cost per
collection, on real kernel cgroups (a measurement, not part of the tests).

Creates SERVICES (default 200) empty service groups under a test slice in every cgroup
hierarchy the host has (v2, or v1's memory, cpuacct, cpu, blkio and the hybrid unified tree), runs
the agent with one collector at a time (plus a baseline with neither), scrapes /metrics
ROUNDS times with scrape_max_age 0s so that every scrape collects, and reports per collection:
the collector's own duration (scalewatch_collector_duration_seconds, wall time) and the
agent's CPU time (user+system from /proc/PID/stat) minus the baseline's. Removes the groups
afterwards. Needs root.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

ROOT = "/sys/fs/cgroup"
ROUNDS = int(os.environ.get("ROUNDS", "200"))
TICKS = os.sysconf("SC_CLK_TCK")


def hierarchies():
    if os.path.exists(f"{ROOT}/cgroup.controllers"):
        return [ROOT]
    out = []
    for name in ("memory", "cpuacct", "cpu,cpuacct", "cpu", "blkio", "unified"):
        d = f"{ROOT}/{name}"
        if os.path.isdir(d) and not os.path.islink(d) and os.path.exists(f"{d}/cgroup.procs"):
            out.append(d)
    return out


def make_groups(slice_name, count):
    made = []
    for h in hierarchies():
        d = f"{h}/{slice_name}"
        os.mkdir(d)
        made.append(d)
        if h == ROOT:
            # Enable the controllers a service would have, so that its files exist.
            with open(f"{d}/cgroup.subtree_control", "w") as f:
                f.write(" ".join("+" + c for c in ("memory", "cpu", "io") if c in open(f"{h}/cgroup.subtree_control").read()))
        for i in range(count):
            s = f"{d}/svc-{i}.service"
            os.mkdir(s)
            made.append(s)
    return made


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def run(binary, procs, enabled, all_collectors, slice_name):
    directory = procs.tempdir("scalewatch-cgcost.")
    port = testlib.free_port()
    data = os.path.join(directory, "data")
    os.makedirs(data)
    lines = [f'listen_address: "127.0.0.1:{port}"', f'data_dir: "{data}"', "collection_interval: 1h",
             "scrape_max_age: 0s", "collectors:"]
    for name in all_collectors:
        if name == "cgroups" and name in enabled:
            lines += ["  cgroups:", f"    slices: [system.slice, {slice_name}]", "    max_units: 10000"]
        else:
            lines.append(f"  {name}: {'true' if name in enabled else 'false'}")
    config = os.path.join(directory, "agent.yml")
    open(config, "w").write("\n".join(lines) + "\n")
    agent = procs.start("scalewatch", [binary, "agent", "--config", config], os.path.join(directory, "agent.log"))
    base = f"http://127.0.0.1:{port}"
    try:
        testlib.wait_port(port, agent)
        testlib.wait_http(base + "/metrics", agent)
    except RuntimeError as e:
        raise RuntimeError(f"{e}\n--- agent log:\n{procs.log_tail(agent)}") from None
    for _ in range(10):
        testlib.http_get(base + "/metrics")
    start = cpu_seconds(agent.pid)
    durations = []
    series = 0
    for _ in range(ROUNDS):
        _, _, body = testlib.http_get(base + "/metrics")
        families = testlib.parse_text(body.decode())
        for _, labels, v in families["scalewatch_collector_duration_seconds"].samples:
            if labels.get("collector") in enabled:
                durations.append(v)
        series = sum(len(f.samples) for n, f in families.items()
                     if n.startswith("scalewatch_service_") or n.startswith("scalewatch_process_"))
    cpu = (cpu_seconds(agent.pid) - start) / ROUNDS
    procs.stop(agent)
    return cpu, (sum(durations) / len(durations) if durations else 0), series


def main():
    binary = testlib.executable(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    procs = testlib.Processes()
    slice_name = f"scalewatch-cgcost-{os.getpid()}.slice"
    made = []
    try:
        # Which collectors this agent has: those its config check lists for an unknown one.
        bogus = os.path.join(procs.tempdir("scalewatch-cgcost."), "bogus.yml")
        open(bogus, "w").write("collectors:\n  no_such_collector: true\n")
        check = subprocess.run([binary, "check", "config", bogus], capture_output=True, text=True)
        all_collectors = (check.stdout + check.stderr).split("expected one of: ", 1)[1].strip().split(", ")

        made = make_groups(slice_name, count)
        mode = "v2" if hierarchies() == [ROOT] else "v1: " + ", ".join(os.path.basename(h) for h in hierarchies())
        print(f"{count} service groups in each hierarchy ({mode}); {ROUNDS} collections each; "
              f"{len([p for p in os.listdir('/proc') if p.isdigit()])} processes")
        base_cpu, _, _ = run(binary, procs, {"loadavg"}, all_collectors, slice_name)
        print(f"baseline (loadavg only): {base_cpu * 1e3:.2f} ms agent CPU per scrape")
        for name in ("cgroups", "top_processes"):
            cpu, duration, series = run(binary, procs, {"loadavg", name}, all_collectors, slice_name)
            print(f"{name}: {duration * 1e3:.2f} ms per collection (wall), "
                  f"{(cpu - base_cpu) * 1e3:.2f} ms agent CPU per scrape above the baseline "
                  f"(collection, rendering and parsing {series} series)")
    finally:
        procs.close()
        for d in reversed(made):
            try:
                os.rmdir(d)
            except OSError as e:
                print(f"warning: {d}: {e}", file=sys.stderr)


if __name__ == "__main__":
    main()
