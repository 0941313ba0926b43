#!/usr/bin/env python3
"""A real full disk under the running agent: its data directory on a 16 MiB tmpfs, filled for
8 s and then freed. While full, /metrics still serves and scalewatch_store_samples_not_durable
counts what waits; once there is room again it returns to 0, the log says so once each way, and
after a graceful stop `export` shows every one-second collection of the whole run: no hole.
Needs root (mount); without it, says so and counts as skipped. Usage: disk_full_test.py BINARY"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BIN = os.path.realpath(sys.argv[1])
FULL_FOR = 8


def metric(port, name):
    _, _, body = testlib.http_get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return None


def fill(directory):
    """Writes a file until the file system is full; returns its path."""
    path = os.path.join(directory, "filler")
    # Unbuffered: a buffered file's close flushes what is left and raises ENOSPC itself.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    block = b"\0" * (64 << 10)
    try:
        while True:
            os.write(fd, block)
    except OSError:
        pass
    finally:
        os.close(fd)
    return path


def main():
    r = testlib.Results()
    if os.geteuid() != 0:
        print("skipped: mounting a tmpfs needs root")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    procs = testlib.Processes()
    directory = procs.tempdir()
    mount = os.path.join(directory, "disk")
    os.makedirs(mount)
    out = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount], capture_output=True, text=True)
    if out.returncode != 0:
        r.fail("mount a 16 MiB tmpfs", out.stderr.strip())
        return r.finish()
    try:
        port = testlib.free_port()
        data = os.path.join(mount, "data")
        config = os.path.join(directory, "agent.yml")
        with open(config, "w") as f:
            f.write(f'listen_address: "127.0.0.1:{port}"\ndata_dir: "{data}"\ncollection_interval: 1s\n'
                    "scrape_max_age: 0s\n")
        log = os.path.join(directory, "agent.log")
        agent = procs.start("scalewatch", [BIN, "agent", "--config", config], log)
        testlib.wait_http(f"http://127.0.0.1:{port}/metrics", agent)
        started = time.time()
        time.sleep(3)

        filler = fill(mount)
        full_since = time.time()
        at_risk, served = 0, True
        while time.time() - full_since < FULL_FOR:
            try:
                at_risk = max(at_risk, metric(port, "scalewatch_store_samples_not_durable") or 0)
            except OSError:
                served = False
            time.sleep(1)
        r.check("/metrics serves while the disk is full", served and agent.poll() is None)
        r.check("scalewatch_store_samples_not_durable counts what waits for room", at_risk > 0, at_risk)
        os.remove(filler)
        deadline = time.time() + 15
        remaining = None
        while time.time() < deadline:
            remaining = metric(port, "scalewatch_store_samples_not_durable")
            if remaining == 0:
                break
            time.sleep(0.5)
        r.check("once there is room, every sample is durable again (the gauge returns to 0)", remaining == 0, remaining)
        time.sleep(2)
        ended = time.time()
        code = procs.stop(agent)
        r.check("the agent stops with 0", code == 0, code)

        with open(log, errors="replace") as f:
            lines = f.read().splitlines()
        failed = [line for line in lines if "WAL write failed" in line]
        resumed = [line for line in lines if "WAL writes resumed" in line]
        r.info(" | ".join(line[:200] for line in failed[:2] + resumed[:2]))
        r.check("the log says once that writes failed and once that they resumed, with the count",
                len(failed) == 1 and len(resumed) == 1 and "samples" in resumed[0], (len(failed), len(resumed)))

        out = subprocess.run([BIN, "export", "--data-dir", data, "--match", "scalewatch_build_info"],
                             capture_output=True, text=True, timeout=60)
        stamps = sorted(float(line.split()[-1]) for line in out.stdout.splitlines()
                        if line.startswith("scalewatch_build_info"))
        window = [t for t in stamps if started <= t <= ended]
        gaps = [b - a for a, b in zip(window, window[1:])]
        r.info(f"{len(window)} collections stored between start and stop, largest gap {max(gaps, default=0):.1f} s")
        r.check("export shows every collection across the full disk: no hole",
                len(window) >= (ended - started) - 3 and max(gaps, default=99) < 2.5,
                (len(window), round(ended - started), max(gaps, default=None), out.stderr[-300:]))
    finally:
        procs.close()
        subprocess.run(["umount", "-l", mount], capture_output=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
