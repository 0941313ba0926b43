#!/usr/bin/env python3
"""Writes N journal entries in journal export format to stdout: a realistic mix of service
output, kernel messages and the service manager's lines, with an OOM kill, a unit failure and a
PostgreSQL error every few thousand entries. Fixed seed: the same input on every run.

Usage: journal_bench_export.py N > entries.export"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = random.Random(42)
start = 1_714_557_600_000_000
boot = "0123456789abcdef0123456789abcdef"
units = ["nginx.service", "app.service", "postgresql@15-main.service", "cron.service", "sshd.service",
         "worker@1.service", "worker@2.service", "systemd-logind.service", "docker.service", "redis-server.service"]
units += [f"run-u{i}.service" for i in range(40)]
paths = ["/", "/api/orders", "/api/users/42", "/static/app.js", "/healthz"]
out = sys.stdout
write = out.write
for i in range(n):
    t = start + i * 1000
    write(f"__REALTIME_TIMESTAMP={t}\n__MONOTONIC_TIMESTAMP={t - 1_714_000_000_000_000}\n_BOOT_ID={boot}\n")
    r = i % 5000
    if r == 1:
        write("_TRANSPORT=kernel\nPRIORITY=6\nSYSLOG_IDENTIFIER=kernel\n"
              f"MESSAGE=oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/app.service,task=app,pid={1000 + i % 30000},uid=33\n\n")
    elif r == 2:
        write("_TRANSPORT=kernel\nPRIORITY=3\nSYSLOG_IDENTIFIER=kernel\n"
              f"MESSAGE=Out of memory: Killed process {1000 + (i - 1) % 30000} (app) total-vm:4194304kB, anon-rss:3145728kB, file-rss:1024kB, shmem-rss:0kB, UID:33 pgtables:6400kB oom_score_adj:0\n\n")
    elif r == 3:
        write("_TRANSPORT=journal\nPRIORITY=4\nSYSLOG_IDENTIFIER=systemd\n_PID=1\n_SYSTEMD_UNIT=init.scope\nUNIT=app.service\n"
              "MESSAGE=app.service: Failed with result 'oom-kill'.\n\n")
    elif r == 4:
        write("_TRANSPORT=stdout\nPRIORITY=3\nSYSLOG_IDENTIFIER=postgres\n_SYSTEMD_UNIT=postgresql@15-main.service\n"
              f"MESSAGE=2024-05-01 10:00:00.123 UTC [{4000 + i % 1000}] app@shop FATAL:  sorry, too many clients already\n\n")
    elif r % 50 == 7:
        write(f"_TRANSPORT=kernel\nPRIORITY=6\nSYSLOG_IDENTIFIER=kernel\nMESSAGE=eth0: renamed from veth{i % 997:x}\n\n")
    else:
        unit = units[rng.randrange(len(units))]
        ident = unit.split(".")[0].split("@")[0]
        path = paths[rng.randrange(len(paths))]
        write(f"_TRANSPORT=stdout\nPRIORITY={rng.choice('666665')}\nSYSLOG_IDENTIFIER={ident}\n_SYSTEMD_UNIT={unit}\n"
              f"_PID={100 + rng.randrange(5000)}\n"
              f"MESSAGE=10.0.{rng.randrange(256)}.{rng.randrange(256)} - - \"GET {path} HTTP/1.1\" 200 {rng.randrange(100000)} \"-\" \"curl/7.88.1\" rt={rng.random():.3f}\n\n")
