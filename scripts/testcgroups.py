"""testcgroups.py - test cgroups for the end-to-end scripts (standard library only, needs root).

- TestGroups: a slice with one service in it, made the way systemd lays units out, so that the
  agent's cgroups collector reports it as a service (`unit` label = the service's name): on
  cgroup v2 a child of the root with the controllers it needs, on v1 the same path in every
  hierarchy the collector reads. Optional limits: a hard memory limit (v2 memory.max with swap
  off, v1 memory.limit_in_bytes with swappiness 0) and a CPU quota (v2 cpu.max, v1
  cpu.cfs_quota_us). Removed on close(), parents last, waiting for killed tasks to leave.
- OOMVictim: a process inside such a group that names itself, holds some memory, and on go()
  allocates until the kernel's cgroup OOM killer kills it.
- mem_available(): MemAvailable, to refuse provoking an OOM on a host short of memory.
"""
import os
import subprocess
import sys
import time

CGROUP_ROOT = "/sys/fs/cgroup"


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


def info(msg):
    print(f"info: {msg}", flush=True)


class TestGroups:
    """The test slice and its service group in each hierarchy it is made in; removed on close."""

    CPU_PERIOD_US = 100_000

    def __init__(self, slice_name, unit, memory_limit=None, cpu_quota=None):
        """cpu_quota: the share of one CPU the service may use per period (0.2 = 20 ms of
        every 100 ms)."""
        self.slice = slice_name
        self.unit = unit
        self.memory_limit = memory_limit
        self.cpu_quota = cpu_quota
        self.made = []          # directories created, parents first
        self.procs_files = []   # cgroup.procs of each service group, for a process to join
        self.mode = None
        self.memory_dir = None
        self.cpu_dir = None     # where cpu.stat counts the group's periods and throttling
        self.io_dir = None      # where the group's IO is counted: v2's group, or v1's blkio group

    def make(self):
        if os.path.exists(f"{CGROUP_ROOT}/cgroup.controllers"):
            self.mode = "v2"
            self._make_v2()
        elif os.path.exists(f"{CGROUP_ROOT}/memory/memory.limit_in_bytes"):
            self.mode = "v1"
            self._make_v1()
        else:
            raise RuntimeError(f"no cgroup controllers under {CGROUP_ROOT} (neither v2 nor v1's memory)")
        return self

    def _mkdir(self, path):
        os.mkdir(path)
        self.made.append(path)

    def _make_v2(self):
        root = CGROUP_ROOT
        available = read(f"{root}/cgroup.controllers").split()
        needed = ["memory"] + (["cpu"] if self.cpu_quota is not None else [])
        for controller in needed:
            if controller not in available:
                raise RuntimeError(f"cgroup v2 without the {controller} controller")
        controllers = needed + (["io"] if "io" in available else [])
        for controller in controllers:
            if controller not in read(f"{root}/cgroup.subtree_control").split():
                write(f"{root}/cgroup.subtree_control", f"+{controller}")
        slice_dir = f"{root}/{self.slice}"
        self._mkdir(slice_dir)
        write(f"{slice_dir}/cgroup.subtree_control", " ".join(f"+{c}" for c in controllers))
        service = f"{slice_dir}/{self.unit}"
        self._mkdir(service)
        if "io" in controllers:
            self.io_dir = service
        self.memory_dir = service
        self.cpu_dir = service
        if self.memory_limit is not None:
            write(f"{service}/memory.max", str(self.memory_limit))
            if os.path.exists(f"{service}/memory.swap.max"):
                write(f"{service}/memory.swap.max", "0")
        if self.cpu_quota is not None:
            write(f"{service}/cpu.max", f"{int(self.cpu_quota * self.CPU_PERIOD_US)} {self.CPU_PERIOD_US}")
        self.procs_files.append(f"{service}/cgroup.procs")

    def _make_v1(self):
        # The limited controllers are what the test is about; the others make the same unit
        # show in systemd's own trees and in the CPU and pressure files, as a real service would.
        required = (["memory"] if self.memory_limit is not None else []) + (["cpu"] if self.cpu_quota is not None else [])
        hierarchies = ["memory"]
        for name in ("cpuacct", "cpu,cpuacct", "cpu", "blkio", "unified", "systemd"):
            d = f"{CGROUP_ROOT}/{name}"
            if os.path.isdir(d) and os.path.exists(f"{d}/cgroup.procs") and not os.path.islink(d):
                hierarchies.append(name)
        for name in hierarchies:
            slice_dir = f"{CGROUP_ROOT}/{name}/{self.slice}"
            service = f"{slice_dir}/{self.unit}"
            try:
                self._mkdir(slice_dir)
                self._mkdir(service)
            except OSError as e:
                if name in required:
                    raise
                info(f"not using the {name} hierarchy: {e}")
                continue
            self.procs_files.append(f"{service}/cgroup.procs")
            if name == "blkio":
                self.io_dir = service
            if name == "memory":
                self.memory_dir = service
                if self.memory_limit is not None:
                    write(f"{service}/memory.limit_in_bytes", str(self.memory_limit))
                    # With swap, the limit alone would swap the victim out instead of killing
                    # it: a group's swappiness 0 turns swapping off for it. (Not
                    # memsw.limit_in_bytes: charges failing on that counter leave
                    # memory.failcnt at 0, and recent kernels count none of them in
                    # memory.memsw.failcnt either.)
                    write(f"{service}/memory.swappiness", "0")
            if name in ("cpu", "cpu,cpuacct") and os.path.exists(f"{service}/cpu.cfs_quota_us"):
                self.cpu_dir = service
                if self.cpu_quota is not None:
                    write(f"{service}/cpu.cfs_period_us", str(self.CPU_PERIOD_US))
                    write(f"{service}/cpu.cfs_quota_us", str(int(self.cpu_quota * self.CPU_PERIOD_US)))
        if self.cpu_quota is not None and self.cpu_dir is None:
            raise RuntimeError(f"no v1 cpu hierarchy with cpu.cfs_quota_us under {CGROUP_ROOT}")

    def join_command(self):
        """A shell snippet that moves the shell running it into the group."""
        return "; ".join(f"echo $$ > {p}" for p in self.procs_files)

    def count_io_on(self, directory):
        """v1: a write limit on the disk holding directory, far above its speed (1 TiB/s), so
        that the throttle layer is set up on it and counts: from Linux 6.10 it counts nothing
        on a disk that never had a limit. Removed with the group. Returns the device."""
        device = os.stat(directory).st_dev
        sysfs = f"/sys/dev/block/{os.major(device)}:{os.minor(device)}"
        if os.path.exists(f"{sysfs}/partition"):   # limits are per whole disk
            sysfs = os.path.realpath(f"{sysfs}/..")
        disk = read(f"{sysfs}/dev").strip()
        if self.mode == "v1":
            write(f"{self.io_dir}/blkio.throttle.write_bps_device", f"{disk} {1 << 40}")
        return disk

    def oom_kills(self):
        """The kernel's own count for the group, to compare the agent's with."""
        name = "memory.events" if self.mode == "v2" else "memory.oom_control"
        return self._keyed(f"{self.memory_dir}/{name}").get("oom_kill")

    def cpu_stat(self):
        """The kernel's cpu.stat for the group: nr_periods, nr_throttled, …"""
        return self._keyed(f"{self.cpu_dir}/cpu.stat")

    @staticmethod
    def _keyed(path):
        values = {}
        for line in read(path).splitlines():
            key, _, value = line.partition(" ")
            if value.strip().isdigit():
                values[key] = int(value)
        return values

    def close(self):
        for d in reversed(self.made):
            for _ in range(50):
                try:
                    os.rmdir(d)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)   # a killed task is still leaving the group
            else:
                print(f"warning: could not remove {d}", file=sys.stderr)
        self.made = []


# The victim: names itself, joins the groups given as arguments, holds HOLD bytes, says
# "ready", waits for a line on stdin, then allocates 1 MiB at a time (touching every page)
# until the kernel kills it; exits 3 if it ever reaches GIVE_UP (limit not enforced).
_VICTIM_CODE = r"""
import ctypes, os, sys
ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0)   # PR_SET_NAME
hold, give_up = int(sys.argv[2]), int(sys.argv[3])
for procs in sys.argv[4:]:
    with open(procs, "w") as f:
        f.write(str(os.getpid()))
chunks = [bytearray(b"\x01") * hold]
print("ready", flush=True)
sys.stdin.readline()
total = hold
while total < give_up:
    chunks.append(bytearray(b"\x01") * (1 << 20))
    total += 1 << 20
sys.exit(3)
"""


class OOMVictim:
    """A process named NAME in the groups, holding HOLD bytes once started; go() makes it
    allocate past its limit, wait() returns its exit status (-9 when the kernel killed it, 3
    when it reached GIVE_UP: the limit was not enforced)."""

    def __init__(self, name, groups, hold, give_up):
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, "-c", _VICTIM_CODE, name, str(hold), str(give_up), *groups.procs_files],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ready = self.process.stdout.readline().strip() == "ready"

    @property
    def pid(self):
        return self.process.pid

    def go(self):
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def wait(self, timeout=60):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
