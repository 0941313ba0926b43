#!/usr/bin/env python3
"""access_log_cost.py SCALEWATCH_BINARY [RATE] [SECONDS] - the agent's CPU with an access log
written at RATE requests per second (default 1,000; the issue's target is under 1% of one
core), against the same agent with the log idle.

The lines are what nginx writes in `combined_timed` (generated with a fixed seed, appended in
batches every 100 ms, as a busy nginx flushes its buffer); the agent collects every 10 s and is
scraped every 15 s, as in production. CPU is the agent process's utime + stime from
/proc/PID/stat. A release build is the one to measure.
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def line(rng):
    status = rng.choice([200] * 8 + [304, 404, 500, 504])
    path = rng.choice(["/", "/api/v1/orders?page=2", "/static/app.js", "/login", "/api/v1/cart"])
    time_taken = rng.random() * 0.5
    return (f'10.0.{rng.randrange(255)}.{rng.randrange(255)} - - [06/Dec/2026:20:00:00 +0000] '
            f'"{rng.choice(["GET", "GET", "POST"])} {path} HTTP/1.1" {status} {rng.randrange(50000)} '
            f'"https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0" '
            f'{time_taken:.3f} {time_taken * 0.9:.3f}\n')


def window(pid, base, seconds, log=None, rate=0):
    rng = random.Random(7)
    start_cpu = cpu_seconds(pid)
    start = time.monotonic()
    next_scrape = start
    written = 0
    while time.monotonic() - start < seconds:
        now = time.monotonic()
        if now >= next_scrape:
            testlib.http_get(base + "/metrics")
            next_scrape += 15
        if log:
            due = int((now - start) * rate) - written
            if due > 0:
                with open(log, "a") as f:
                    f.write("".join(line(rng) for _ in range(due)))
                written += due
        time.sleep(0.1)
    return (cpu_seconds(pid) - start_cpu) / (time.monotonic() - start), written


def main():
    binary = os.path.abspath(sys.argv[1])
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    procs = testlib.Processes()
    try:
        work = procs.tempdir("scalewatch-accesslog-cost.")
        log = os.path.join(work, "access.log")
        open(log, "w").close()
        options = {"access_logs": {"sources": [{"files": [log], "format": "combined_timed", "vhost": "shop"}]}}
        agent, base = testlib.start_agent(procs, binary, work, collectors=["loadavg"], interval="10s",
                                          collector_options=options)
        time.sleep(5)  # start-up work out of the way
        idle, _ = window(agent.pid, base, seconds)
        busy, written = window(agent.pid, base, seconds, log=log, rate=rate)
        print(f"agent CPU, log idle:            {idle * 100:.3f}% of one core")
        print(f"agent CPU, {rate} lines/s:       {busy * 100:.3f}% of one core ({written} lines in {seconds} s)")
        print(f"the access log's share:         {(busy - idle) * 100:.3f}% of one core")
    finally:
        procs.close()


if __name__ == "__main__":
    main()
