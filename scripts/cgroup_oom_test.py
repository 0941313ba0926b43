#!/usr/bin/env python3
"""cgroup_oom_test.py BINARY - a real OOM kill inside a memory-limited cgroup, seen by the agent.

Creates a test cgroup with a 64 MiB hard limit (cgroup v1's memory controller at
/sys/fs/cgroup/memory when the host has it, else a cgroup v2 child with memory.max), starts a
process in it that first holds ~40 MiB, then allocates past the limit until the kernel's
cgroup OOM killer kills it. The agent, configured to watch the test slice, must show:
  - the group's memory and the victim's process group (top_processes: its command in the
    group's unit, one process, the victim's pid as the group's largest) while the process holds
    its memory, and no pid label on any scalewatch_process_* series;
  - the group's swap (absent only where the host has no swap accounting);
  - the group's IO: a `dd oflag=direct` of IO_BYTES inside the group moves
    scalewatch_service_io_written_bytes_total{unit} by at least that much (v2 io controller or
    v1 blkio; on v1 from Linux 6.10 the test group gets a throttle limit far above any disk's
    speed, since the throttle layer counts nothing on a disk before one is set);
  - afterwards the group's OOM kill counter (scalewatch_service_oom_kills_total{unit}) up by 1,
    its limit hits and peak, and node_vmstat_oom_kill up by at least 1;
  - (hook) the kernel-log collector's scalewatch_oom_kills_total{process,cgroup} naming the
    victim, when that collector is in the agent.
Only the test group is ever short of memory: the limit is 64 MiB, the process gives up at
512 MiB even if the limit were not enforced, and the test refuses to run with under 1 GiB
available. The groups are removed afterwards, also on failure. Needs root.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testcgroups  # noqa: E402
import testlib  # noqa: E402
from testcgroups import TestGroups, mem_available  # noqa: E402

LIMIT = 64 << 20
HOLD = 40 << 20
GIVE_UP = 512 << 20
UNIT = "oomtest.service"
VICTIM = "sw-oomvictim"   # the process name the kernel log will show
IO_BYTES = 16 << 20


def value(families, name, **labels):
    """The one sample of name with labels including these; None if absent."""
    family = families.get(name)
    if family is None:
        return None
    for _, sample_labels, v in family.samples:
        if all(sample_labels.get(k) == want for k, want in labels.items()):
            return v
    return None


def block_backed_directory(candidates):
    """The first directory on a block device (O_DIRECT and IO accounting need one; tmpfs and
    overlay have major 0), or None."""
    for d in candidates:
        if os.path.isdir(d) and os.major(os.stat(d).st_dev) != 0:
            return d
    return None


def check_io(results, groups, base, directory):
    """dd IO_BYTES with O_DIRECT from inside the group; the agent's written bytes must move by
    at least that much (other IO of the group only adds)."""
    if groups.io_dir is None:
        testlib.Results.info("no io controller (v2) or blkio hierarchy (v1) for the test group: IO not checked")
        return
    target = block_backed_directory([directory, os.path.dirname(os.path.dirname(os.path.abspath(__file__)))])
    if target is None:
        testlib.Results.info("no block-backed directory to write to: IO not checked")
        return
    disk = groups.count_io_on(target)
    path = os.path.join(target, f"scalewatch-iotest-{os.getpid()}.bin")
    before = testlib.scrape_families(base)
    written_before = value(before, "scalewatch_service_io_written_bytes_total", unit=UNIT)
    join = groups.join_command()
    try:
        code = subprocess.call(["sh", "-c", f"{join}; exec dd if=/dev/zero of={path} bs=1M count={IO_BYTES >> 20} "
                                            "oflag=direct status=none"])
    finally:
        if os.path.exists(path):
            os.unlink(path)
    results.check(f"dd wrote {IO_BYTES >> 20} MiB with O_DIRECT inside the group (disk {disk})", code == 0, f"exit {code}")
    after = testlib.scrape_families(base)
    written = value(after, "scalewatch_service_io_written_bytes_total", unit=UNIT)
    writes = value(after, "scalewatch_service_io_writes_total", unit=UNIT)
    results.check(f"scalewatch_service_io_written_bytes_total moved by at least {IO_BYTES >> 20} MiB",
                  written is not None and written - (written_before or 0) >= IO_BYTES,
                  f"{written_before} -> {written}")
    results.check("and the group's write operations were counted", (writes or 0) >= 1, str(writes))
    read_bytes = value(after, "scalewatch_service_io_read_bytes_total", unit=UNIT)
    results.check("its read bytes are reported too", read_bytes is not None, str(read_bytes))


def write_config(directory, port, slice_name):
    data = os.path.join(directory, "data")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(directory, "agent.yml")
    with open(path, "w") as f:
        f.write(f"""listen_address: "127.0.0.1:{port}"
data_dir: "{data}"
collection_interval: 10s
scrape_max_age: 0s
collectors:
  cgroups:
    slices: [system.slice, {slice_name}]
  top_processes:
    count: 100
""")
    return path


def main():
    binary = testlib.executable(sys.argv[1])
    results = testlib.Results()
    if os.geteuid() != 0:
        results.fail("runs as root", "creating a memory cgroup needs root")
        return results.finish()
    if mem_available() < (1 << 30):
        results.fail("at least 1 GiB available", f"only {mem_available() >> 20} MiB: not provoking any OOM here")
        return results.finish()

    procs = testlib.Processes()
    groups = None
    victim = None
    try:
        groups = TestGroups(f"scalewatch-oomtest-{os.getpid()}.slice", UNIT, memory_limit=LIMIT).make()
        testlib.Results.info(f"cgroup {groups.mode}: {groups.memory_dir}, limit {LIMIT >> 20} MiB")
        directory = procs.tempdir("scalewatch-oomtest.")
        port = testlib.free_port()
        config = write_config(directory, port, groups.slice)
        agent = procs.start("scalewatch", [binary, "agent", "--config", config], os.path.join(directory, "agent.log"))
        base = f"http://127.0.0.1:{port}"
        testlib.wait_port(port, agent)
        testlib.wait_http(base + "/metrics", agent)

        before = testlib.scrape_families(base)
        vmstat_before = value(before, "node_vmstat_oom_kill")
        results.check("node_vmstat_oom_kill is exposed", vmstat_before is not None)
        results.check("the cgroups collector succeeds",
                      value(before, "scalewatch_collector_success", collector="cgroups") == 1)
        results.check("the top_processes collector succeeds",
                      value(before, "scalewatch_collector_success", collector="top_processes") == 1)
        results.check(f"the empty test group is reported with its {LIMIT >> 20} MiB limit",
                      value(before, "scalewatch_service_memory_limit_bytes", unit=UNIT) == LIMIT,
                      str(value(before, "scalewatch_service_memory_limit_bytes", unit=UNIT)))
        results.check("no OOM kill in the test group yet",
                      value(before, "scalewatch_service_oom_kills_total", unit=UNIT) == 0)
        kernel_log = "scalewatch_oom_kills_total" in before or any(
            labels.get("collector") in KERNEL_LOG_COLLECTORS
            for _, labels, _ in before.get("scalewatch_collector_success", testlib.Family("")).samples)

        victim = testcgroups.OOMVictim(VICTIM, groups, HOLD, GIVE_UP)
        if not results.check("the victim holds its memory inside the group", victim.ready,
                             f"exit {victim.process.poll()}"):
            return results.finish()

        holding = testlib.scrape_families(base)
        memory = value(holding, "scalewatch_service_memory_bytes", unit=UNIT) or 0
        results.check(f"the group's memory shows the {HOLD >> 20} MiB held", HOLD <= memory < LIMIT,
                      f"{memory / 2**20:.1f} MiB")
        rss = value(holding, "scalewatch_process_group_resident_memory_bytes", comm=VICTIM, unit=UNIT)
        results.check("the victim's process group (its name, the group's unit) is among the largest",
                      rss is not None and rss >= HOLD, f"rss {rss}, groups "
                      + str([s[1] for s in holding.get("scalewatch_process_group_resident_memory_bytes",
                                                       testlib.Family("")).samples if s[1].get("comm") == VICTIM]))
        results.check("with one process, the victim as its largest",
                      value(holding, "scalewatch_process_group_processes", comm=VICTIM, unit=UNIT) == 1
                      and value(holding, "scalewatch_process_group_largest_pid", comm=VICTIM, unit=UNIT) == victim.pid,
                      str(value(holding, "scalewatch_process_group_largest_pid", comm=VICTIM, unit=UNIT)))
        group_cpu = value(holding, "scalewatch_process_group_cpu_seconds_total", comm=VICTIM, unit=UNIT)
        results.check("the victim's group has its CPU time counter", group_cpu is not None and group_cpu >= 0, str(group_cpu))
        pid_labels = [n for n, f in holding.items() if n.startswith("scalewatch_process_")
                      and any("pid" in labels for _, labels, _ in f.samples)]
        results.check("no scalewatch_process_* series has a pid label", not pid_labels, str(pid_labels))
        swap = value(holding, "scalewatch_service_swap_bytes", unit=UNIT)
        accounted = os.path.exists(f"{groups.memory_dir}/memory.memsw.usage_in_bytes" if groups.mode == "v1"
                                   else f"{groups.memory_dir}/memory.swap.current")
        if accounted:
            results.check("the group's swap is reported (swappiness 0 or no swap: 0)", swap == 0, str(swap))
        else:
            results.check("no swap accounting: the group's swap is absent, not 0", swap is None, str(swap))
        cpu = value(holding, "scalewatch_service_cpu_seconds_total", unit=UNIT)
        if cpu is not None or groups.mode == "v2":
            results.check("the group's CPU time is counted", (cpu or 0) > 0, str(cpu))

        victim.go()
        code = victim.wait(timeout=60)
        results.check("the kernel killed the victim (SIGKILL)", code == -9,
                      "exit 3: the limit was not enforced" if code == 3 else f"exit {code}")
        kernel_kills = groups.oom_kills()
        testlib.Results.info(f"kernel's oom_kill count for the group: {kernel_kills}")

        # Counters may lag the kill by a moment; scrapes collect anew (scrape_max_age 0s).
        deadline = time.monotonic() + 15
        while True:
            after = testlib.scrape_families(base)
            kills = value(after, "scalewatch_service_oom_kills_total", unit=UNIT)
            vmstat = value(after, "node_vmstat_oom_kill")
            victim_named = (not kernel_log) or value(after, "scalewatch_oom_kills_total", process=VICTIM)
            if (kills or 0) >= 1 and (vmstat or 0) > (vmstat_before or 0) and victim_named:
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
        results.check("scalewatch_service_oom_kills_total for the group is 1", kills == 1 == kernel_kills,
                      f"agent {kills}, kernel {kernel_kills}")
        results.check("node_vmstat_oom_kill moved", vmstat is not None and vmstat >= (vmstat_before or 0) + 1,
                      f"{vmstat_before} -> {vmstat}")
        hits = value(after, "scalewatch_service_memory_limit_hits_total", unit=UNIT)
        results.check("the group's limit hits moved", (hits or 0) > 0, str(hits))
        peak = value(after, "scalewatch_service_memory_peak_bytes", unit=UNIT)
        if peak is not None or groups.mode == "v1":   # v2's memory.peak needs Linux 5.19
            results.check("the group's peak reached the limit", peak is not None and peak >= LIMIT - (4 << 20),
                          f"{(peak or 0) / 2**20:.1f} MiB")
        if groups.mode == "v2":
            events = value(after, "scalewatch_service_oom_events_total", unit=UNIT)
            results.check("the group's OOM events moved (v2 memory.events oom)", (events or 0) >= 1, str(events))
        pressure = value(after, "scalewatch_service_pressure_memory_waiting_seconds_total", unit=UNIT)
        if pressure is not None:
            results.check("the group's memory pressure stalled while at its limit", pressure > 0, str(pressure))
        results.check("the victim's group left the largest process groups",
                      value(after, "scalewatch_process_group_resident_memory_bytes", comm=VICTIM, unit=UNIT) is None)
        check_io(results, groups, base, directory)

        # ---- hook: the kernel-log / journald collector (issue 5, another helper's part).
        # Its scalewatch_oom_kills_total{process,cgroup} must name the victim once it exists.
        if kernel_log:
            named = value(after, "scalewatch_oom_kills_total", process=VICTIM)
            results.check("the kernel-log collector names the victim in scalewatch_oom_kills_total",
                          (named or 0) >= 1, str(after.get("scalewatch_oom_kills_total")))
            cgroups = [labels.get("cgroup", "") for _, labels, _ in
                       after.get("scalewatch_oom_kills_total", testlib.Family("")).samples
                       if labels.get("process") == VICTIM]
            results.check("with the victim's cgroup", any(groups.slice in c or UNIT in c for c in cgroups), str(cgroups))
        else:
            testlib.Results.info("no kernel-log collector in this agent: scalewatch_oom_kills_total not checked")
        results.check("the agent is still running", agent.poll() is None)
    finally:
        if victim is not None:
            victim.kill()
        procs.close()
        if groups is not None:
            groups.close()
    return results.finish()


# Collector names under which the kernel log is read (the kmsg/journald helper's); the hook
# above turns on when any of them reports, or when scalewatch_oom_kills_total is exposed.
KERNEL_LOG_COLLECTORS = {"kmsg", "journal", "journald", "kernel_log"}

if __name__ == "__main__":
    sys.exit(main())
