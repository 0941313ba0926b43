#!/usr/bin/env python3
"""journal_benchmark.py [BINARY] [--entries N] - CPU cost of reading a journal of N entries
(default 1,000,000) through the agent's journal collector. A benchmark, not a test: never part
of the test suite.

1. Generates N entries of journal export text (journal_bench_export.py, fixed seed: service
   output, kernel lines, an OOM kill, a unit failure and a PostgreSQL error every 5,000 entries)
   and turns them into real journal files with systemd-journal-remote. Cached in
   $JOURNAL_BENCH_DIR (default /tmp/scalewatch-journal-bench): generating 1M entries takes a
   couple of minutes.
2. Starts `BINARY agent` with only the journal collector on, reading that directory from its
   head (a saved position of `head`, as if the journal had grown while the agent was down), and
   scrapes /metrics until all N entries are counted.
3. Reports the CPU time (user + system) of the reader thread (named `log:journal`, from
   /proc/PID/task/*/stat), of the whole agent, the wall time, and checks the counts.

Use a release build (`swift build -c release`); a debug build is several times slower.
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def generate(directory, entries):
    marker = os.path.join(directory, "complete")
    if os.path.exists(marker):
        return
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        os.unlink(os.path.join(directory, name))
    print(f"generating {entries} entries in {directory} ...", flush=True)
    started = time.monotonic()
    export = subprocess.Popen([sys.executable, os.path.join(HERE, "journal_bench_export.py"), str(entries)],
                              stdout=subprocess.PIPE)
    subprocess.run([JOURNAL_REMOTE, "--output=" + os.path.join(directory, "bench.journal"), "-"],
                   stdin=export.stdout, check=True, stderr=subprocess.DEVNULL)
    export.stdout.close()
    if export.wait() != 0:
        raise SystemExit("journal_bench_export.py failed")
    open(marker, "w").close()
    print(f"generated in {time.monotonic() - started:.0f} s", flush=True)


def cpu_seconds(stat_path):
    with open(stat_path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def reader_thread_cpu(pid):
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if f.read().strip() == "log:journal":
                    return cpu_seconds(f"/proc/{pid}/task/{tid}/stat")
        except OSError:
            continue
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=".build/release/scalewatch")
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"{binary}: not an executable; build with `swift build -c release`")
    if not os.access(JOURNAL_REMOTE, os.X_OK):
        raise SystemExit("needs systemd-journal-remote (apt-get install systemd-journal-remote)")

    base = os.environ.get("JOURNAL_BENCH_DIR", "/tmp/scalewatch-journal-bench")
    journal_dir = os.path.join(base, f"journal-{args.entries}")
    generate(journal_dir, args.entries)

    procs = testlib.Processes()
    try:
        work = procs.tempdir("scalewatch-journal-bench.")
        data = os.path.join(work, "data")
        os.makedirs(os.path.join(data, "logs"))
        with open(os.path.join(data, "logs", "journal.positions"), "w") as f:
            f.write(f"scalewatch-log-positions 1\njournal:directory:{journal_dir}\thead\n")
        port = testlib.free_port()
        off = "\n".join(f"  {name}: false" for name in testlib.COLLECTORS + ["cgroups", "top_processes", "postgres", "postgres_logs"])
        config = os.path.join(work, "agent.yml")
        with open(config, "w") as f:
            f.write(f"listen_address: 127.0.0.1:{port}\ndata_dir: {data}\ncollection_interval: 60s\n"
                    f"collectors:\n{off}\n  journal:\n    directories: [{journal_dir}]\n")
        check = subprocess.run([binary, "check", "config", config], capture_output=True, text=True)
        if check.returncode != 0:
            # Collectors this build does not know: turn off only the ones it knows.
            with open(config, "w") as f:
                off = "\n".join(f"  {name}: false" for name in testlib.COLLECTORS)
                f.write(f"listen_address: 127.0.0.1:{port}\ndata_dir: {data}\ncollection_interval: 60s\n"
                        f"collectors:\n{off}\n  journal:\n    directories: [{journal_dir}]\n")
        started = time.monotonic()
        agent = procs.start("agent", [binary, "agent", "--config", config], os.path.join(work, "agent.log"))
        testlib.wait_http(f"http://127.0.0.1:{port}/-/ready", agent)
        url = f"http://127.0.0.1:{port}/metrics"
        counted = 0
        families = {}
        while time.monotonic() - started < 600:
            status, _, body = testlib.http_get(url)
            families = testlib.parse_text(body.decode())
            entries = families.get("scalewatch_journal_entries_total")
            counted = sum(value for _, _, value in entries.samples) if entries else 0
            if counted >= args.entries:
                break
            if agent.poll() is not None:
                raise SystemExit("agent exited:\n" + procs.log_tail(agent))
            time.sleep(0.2)
        wall = time.monotonic() - started
        thread = reader_thread_cpu(agent.pid)
        process = cpu_seconds(f"/proc/{agent.pid}/stat")

        def total(name, **labels):
            family = families.get(name)
            return sum(v for _, l, v in family.samples if all(l.get(k) == x for k, x in labels.items())) if family else 0

        periods = args.entries // 5000
        print(f"entries counted:         {counted:.0f} of {args.entries}")
        print(f"reader thread CPU:       {thread:.2f} s" if thread is not None else "reader thread CPU:       (thread not found)")
        print(f"agent process CPU:       {process:.2f} s (start-up, HTTP and rendering included)")
        print(f"wall time to catch up:   {wall:.1f} s")
        if thread:
            print(f"per entry:               {thread / args.entries * 1e6:.2f} µs CPU")
        print(f"oom kills:               {total('scalewatch_oom_kills_total'):.0f} (expected {periods})")
        print(f"unit failures:           {total('scalewatch_unit_failures_total'):.0f} (expected {periods})")
        print(f"postgres errors:         {total('scalewatch_postgres_log_errors_total'):.0f} (expected {periods})")
        ok = counted == args.entries and total("scalewatch_oom_kills_total") == periods
        return 0 if ok else 1
    finally:
        procs.close()


if __name__ == "__main__":
    sys.exit(main())
