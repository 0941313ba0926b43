#!/usr/bin/env python3
"""cgroup_oom_test.py BINARY - a real OOM kill inside a memory-limited cgroup, seen by the agent.

Creates a test cgroup with a 64 MiB hard limit (cgroup v1's memory controller at
/sys/fs/cgroup/memory when the host has it, else a cgroup v2 child with memory.max), starts a
process in it that first holds ~40 MiB, then allocates past the limit until the kernel's
cgroup OOM killer kills it. The agent, configured to watch the test slice, must show:
  - the group's memory and its largest process (top_processes, with the group's unit) while
    the process holds its memory;
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
import testlib  # noqa: E402

CGROUP_ROOT = "/sys/fs/cgroup"
LIMIT = 64 << 20
HOLD = 40 << 20
GIVE_UP = 512 << 20
UNIT = "oomtest.service"
VICTIM = "sw-oomvictim"   # the process name the kernel log will show

# The victim: names itself, joins the groups given as arguments, holds HOLD bytes, says
# "ready", waits for a line on stdin, then allocates 1 MiB at a time (touching every page)
# until the kernel kills it; exits 3 if it ever reaches GIVE_UP (limit not enforced).
VICTIM_CODE = r"""
import ctypes, os, sys
ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0)   # PR_SET_NAME
for procs in sys.argv[2:]:
    with open(procs, "w") as f:
        f.write(str(os.getpid()))
hold, give_up = %d, %d
chunks = [bytearray(b"\x01") * hold]
print("ready", flush=True)
sys.stdin.readline()
total = hold
while total < give_up:
    chunks.append(bytearray(b"\x01") * (1 << 20))
    total += 1 << 20
sys.exit(3)
""" % (HOLD, GIVE_UP)


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def mem_available():
    for line in read("/proc/meminfo").splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


class TestGroups:
    """The test slice and its service group in each hierarchy it is made in; removed on close."""

    def __init__(self, slice_name):
        self.slice = slice_name
        self.made = []          # directories created, parents first
        self.procs_files = []   # cgroup.procs of each service group, for the victim to join
        self.mode = None
        self.memory_dir = None

    def make(self):
        if os.path.exists(f"{CGROUP_ROOT}/cgroup.controllers"):
            self.mode = "v2"
            self._make_v2()
        elif os.path.exists(f"{CGROUP_ROOT}/memory/memory.limit_in_bytes"):
            self.mode = "v1"
            self._make_v1()
        else:
            raise RuntimeError(f"no memory cgroup controller under {CGROUP_ROOT} (neither v2 nor v1's memory)")

    def _mkdir(self, path):
        os.mkdir(path)
        self.made.append(path)

    def _make_v2(self):
        root = CGROUP_ROOT
        if "memory" not in read(f"{root}/cgroup.controllers").split():
            raise RuntimeError("cgroup v2 without the memory controller")
        if "memory" not in read(f"{root}/cgroup.subtree_control").split():
            write(f"{root}/cgroup.subtree_control", "+memory")
        slice_dir = f"{root}/{self.slice}"
        self._mkdir(slice_dir)
        write(f"{slice_dir}/cgroup.subtree_control", "+memory")
        service = f"{slice_dir}/{UNIT}"
        self._mkdir(service)
        write(f"{service}/memory.max", str(LIMIT))
        if os.path.exists(f"{service}/memory.swap.max"):
            write(f"{service}/memory.swap.max", "0")
        self.memory_dir = service
        self.procs_files.append(f"{service}/cgroup.procs")

    def _make_v1(self):
        # The memory group is what the test is about; the others make the same unit show in
        # systemd's own trees and in the CPU and pressure files, as a real service would.
        hierarchies = ["memory"]
        for name in ("cpuacct", "cpu,cpuacct", "cpu", "unified", "systemd"):
            d = f"{CGROUP_ROOT}/{name}"
            if os.path.isdir(d) and os.path.exists(f"{d}/cgroup.procs") and not os.path.islink(d):
                hierarchies.append(name)
        for name in hierarchies:
            slice_dir = f"{CGROUP_ROOT}/{name}/{self.slice}"
            service = f"{slice_dir}/{UNIT}"
            try:
                self._mkdir(slice_dir)
                self._mkdir(service)
            except OSError as e:
                if name == "memory":
                    raise
                testlib.Results.info(f"not using the {name} hierarchy: {e}")
                continue
            self.procs_files.append(f"{service}/cgroup.procs")
            if name == "memory":
                self.memory_dir = service
                write(f"{service}/memory.limit_in_bytes", str(LIMIT))
                # With swap, the limit alone would swap the victim out instead of killing it:
                # a group's swappiness 0 turns swapping off for it. (Not memsw.limit_in_bytes:
                # charges failing on that counter leave memory.failcnt at 0, and recent
                # kernels count none of them in memory.memsw.failcnt either.)
                write(f"{service}/memory.swappiness", "0")

    def oom_kills(self):
        """The kernel's own count for the group, to compare the agent's with."""
        name = "memory.events" if self.mode == "v2" else "memory.oom_control"
        for line in read(f"{self.memory_dir}/{name}").splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return None

    def close(self):
        for d in reversed(self.made):
            for _ in range(50):
                try:
                    os.rmdir(d)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)   # the killed task is still leaving the group
            else:
                print(f"warning: could not remove {d}", file=sys.stderr)


def value(families, name, **labels):
    """The one sample of name with labels including these; None if absent."""
    family = families.get(name)
    if family is None:
        return None
    for _, sample_labels, v in family.samples:
        if all(sample_labels.get(k) == want for k, want in labels.items()):
            return v
    return None


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
        groups = TestGroups(f"scalewatch-oomtest-{os.getpid()}.slice")
        groups.make()
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

        victim = subprocess.Popen([sys.executable, "-c", VICTIM_CODE, VICTIM, *groups.procs_files],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = victim.stdout.readline().strip()
        if not results.check("the victim holds its memory inside the group", ready == "ready",
                             f"it said {ready!r}, exit {victim.poll()}"):
            return results.finish()

        holding = testlib.scrape_families(base)
        memory = value(holding, "scalewatch_service_memory_bytes", unit=UNIT) or 0
        results.check(f"the group's memory shows the {HOLD >> 20} MiB held", HOLD <= memory < LIMIT,
                      f"{memory / 2**20:.1f} MiB")
        rss = value(holding, "scalewatch_process_resident_memory_bytes", pid=str(victim.pid))
        results.check("the victim is among the top processes", rss is not None and rss >= HOLD,
                      f"rss {rss}")
        results.check("with its name and the group's unit",
                      value(holding, "scalewatch_process_resident_memory_bytes", pid=str(victim.pid),
                            comm=VICTIM, unit=UNIT) is not None,
                      str([s for s in holding.get("scalewatch_process_resident_memory_bytes", testlib.Family("")).samples
                           if s[1].get("pid") == str(victim.pid)]))
        cpu = value(holding, "scalewatch_service_cpu_seconds_total", unit=UNIT)
        if cpu is not None or groups.mode == "v2":
            results.check("the group's CPU time is counted", (cpu or 0) > 0, str(cpu))

        victim.stdin.write("go\n")
        victim.stdin.flush()
        try:
            code = victim.wait(timeout=60)
        except subprocess.TimeoutExpired:
            victim.kill()
            code = victim.wait()
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
        results.check("the victim left the top processes",
                      value(after, "scalewatch_process_resident_memory_bytes", pid=str(victim.pid)) is None)

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
        if victim is not None and victim.poll() is None:
            victim.kill()
            victim.wait()
        procs.close()
        if groups is not None:
            groups.close()
    return results.finish()


# Collector names under which the kernel log is read (the kmsg/journald helper's); the hook
# above turns on when any of them reports, or when scalewatch_oom_kills_total is exposed.
KERNEL_LOG_COLLECTORS = {"kmsg", "journal", "journald", "kernel_log"}

if __name__ == "__main__":
    sys.exit(main())
