#!/usr/bin/env python3
"""journal_agent_test.py BINARY - the journal and postgres_logs collectors inside the agent.

Journal files come from systemd-journal-remote (journal export text in, real journal file out);
a PostgreSQL log file is written by hand. The agent, configured to read both, must:
  - start at the end on its first run (history is not counted);
  - count what is appended: OOM kills with their victims, unit failures and restarts,
    PostgreSQL errors from the journal and from the log file;
  - keep its counters across a SIGHUP reload with the same settings;
  - after a restart (SIGTERM, same data_dir), count only what came after the last scrape:
    nothing lost, nothing counted twice;
  - follow the log file through a copy-truncate rotation.
Needs systemd-journal-remote (make deps). Takes a few seconds.
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote"
BOOT = "0123456789abcdef0123456789abcdef"
START = 1_714_557_600_000_000


def entry(message, transport="stdout", priority=6, unit=None, extra=()):
    fields = [("MESSAGE", message), ("PRIORITY", str(priority)), ("_TRANSPORT", transport)]
    if unit:
        fields.append(("_SYSTEMD_UNIT", unit))
    return fields + list(extra)


def kernel(message, priority=3):
    return entry(message, "kernel", priority)


def manager(unit, text, priority=4):
    return entry(f"{unit}: {text}", "journal", priority, "init.scope", [("UNIT", unit)])


def postgres(text, priority=3):
    return entry(f"2024-05-01 10:00:00.123 UTC [4800] app@shop {text}", "stdout", priority, "postgresql@15-main.service")


def incident(pid, name):
    return [
        kernel(f"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/app.service,"
               f"task_memcg=/system.slice/app.service,task={name},pid={pid},uid=33", 6),
        kernel(f"Memory cgroup out of memory: Killed process {pid} ({name}) total-vm:262244kB, anon-rss:130816kB, "
               "file-rss:4kB, shmem-rss:0kB, UID:33 pgtables:300kB oom_score_adj:0"),
        manager("app.service", "Main process exited, code=killed, status=9/KILL", 5),
        manager("app.service", "Failed with result 'oom-kill'."),
        manager("app.service", "Scheduled restart job, restart counter is at 1.", 6),
        postgres("FATAL:  sorry, too many clients already"),
        entry("GET / 200", unit="nginx.service"),
    ]


class Journal:
    def __init__(self, directory):
        self.path = os.path.join(directory, "system.journal")
        self.scratch = directory
        self.time = START

    def append(self, entries):
        text = []
        for fields in entries:
            self.time += 1000
            text.append(f"__REALTIME_TIMESTAMP={self.time}\n__MONOTONIC_TIMESTAMP={self.time - 1_700_000_000_000_000}\n"
                        f"_BOOT_ID={BOOT}\n" + "".join(f"{k}={v}\n" for k, v in fields) + "\n")
        export = os.path.join(self.scratch, "entries.export")
        with open(export, "w") as f:
            f.write("".join(text))
        with open(export) as f:
            subprocess.run([JOURNAL_REMOTE, "--output=" + self.path, "-"], stdin=f, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def value(families, name, **labels):
    family = families.get(name)
    if not family:
        return None
    found = [v for _, l, v in family.samples if all(l.get(k) == x for k, x in labels.items())]
    return sum(found) if found else None


def instant(rfc3339):
    """Seconds since the epoch of an RFC 3339 UTC time with 0 to 3 fraction digits: the strings
    themselves do not sort (".02Z" after ".021Z")."""
    whole, _, fraction = rfc3339.rstrip("Z").partition(".")
    seconds = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
    return seconds + (float("0." + fraction) if fraction else 0.0)


def main():
    binary = os.path.abspath(sys.argv[1])
    results = testlib.Results()
    if not os.access(JOURNAL_REMOTE, os.X_OK):
        results.check("systemd-journal-remote is installed (make deps)", False)
        return results.finish()
    procs = testlib.Processes()
    try:
        work = procs.tempdir("scalewatch-journal-test.")
        journal = Journal(work)
        journal.append([entry("boot noise", unit="cron.service")] + incident(100, "old-victim"))
        pglog = os.path.join(work, "postgresql-15-main.log")
        with open(pglog, "w") as f:
            f.write("2024-05-01 09:00:00.000 UTC [1] FATAL:  sorry, too many clients already\n")
        port = testlib.free_port()
        config = os.path.join(work, "agent.yml")
        with open(config, "w") as f:
            f.write(f"listen_address: 127.0.0.1:{port}\ndata_dir: {work}/data\nscrape_max_age: 0s\n"
                    f"collectors:\n  journal:\n    files: [{journal.path}]\n  postgres_logs:\n    files: ['{work}/*.log']\n")
        base = f"http://127.0.0.1:{port}"

        def start():
            agent = procs.start("agent", [binary, "agent", "--config", config], os.path.join(work, "agent.log"))
            testlib.wait_http(base + "/-/ready", agent)
            return agent

        def scrape_until(check, timeout=15):
            deadline = time.monotonic() + timeout
            while True:
                _, _, body = testlib.http_get(base + "/metrics")
                families = testlib.parse_text(body.decode())
                if check(families) or time.monotonic() > deadline:
                    return families
                time.sleep(0.2)

        agent = start()
        first = scrape_until(lambda f: value(f, "scalewatch_journal_source_info") == 1
                             and value(f, "scalewatch_postgres_log_lines_total") is not None)
        results.check("the journal collector succeeds",
                      value(first, "scalewatch_collector_success", collector="journal") == 1)
        results.check("the postgres_logs collector succeeds",
                      value(first, "scalewatch_collector_success", collector="postgres_logs") == 1)
        results.check("a first run starts at the end: no history counted",
                      value(first, "scalewatch_oom_kills_total") is None
                      and value(first, "scalewatch_postgres_log_errors_total", kind="too_many_clients") == 0,
                      str(first.get("scalewatch_oom_kills_total")))

        journal.append(incident(201, "victim-a") + incident(202, "victim-b"))
        with open(pglog, "a") as f:
            f.write("2024-05-01 10:00:01.000 UTC [4801] app@shop ERROR:  deadlock detected\n")
        seen = scrape_until(lambda f: value(f, "scalewatch_oom_kills_total") == 2
                            and value(f, "scalewatch_postgres_log_errors_total", kind="deadlock") == 1)
        results.check("OOM kills are counted with their victims and cgroup",
                      value(seen, "scalewatch_oom_kills_total", process="victim-a", cgroup="/system.slice/app.service",
                            killer="kernel") == 1
                      and value(seen, "scalewatch_oom_kills_total", process="victim-b") == 1,
                      str(seen.get("scalewatch_oom_kills_total") and seen["scalewatch_oom_kills_total"].samples))
        results.check("the last victim is named with its pid",
                      value(seen, "scalewatch_oom_last_kill_timestamp_seconds", process="victim-b", pid="202") is not None)
        results.check("unit failures and restarts",
                      value(seen, "scalewatch_unit_failures_total", unit="app.service", result="oom-kill") == 2
                      and value(seen, "scalewatch_unit_restarts_total", unit="app.service") == 2)
        results.check("PostgreSQL errors from the journal and from the log file",
                      value(seen, "scalewatch_postgres_log_errors_total", kind="too_many_clients", source="journal") == 2
                      and value(seen, "scalewatch_postgres_log_errors_total", kind="deadlock", source=pglog) == 1)
        _, _, body = testlib.http_get(base + "/api/v1/events")
        events = json.loads(body)["data"]
        kinds = [event["kind"] for event in events]
        victims = [event["details"].get("process") for event in events if event["kind"] == "oom_kill"]
        results.check("/api/v1/events lists the OOM victims, unit failures and PostgreSQL errors, newest first",
                      "victim-a" in victims and "victim-b" in victims and "unit_failure" in kinds
                      and "postgres_error" in kinds
                      and [instant(event["time"]) for event in events]
                      == sorted((instant(event["time"]) for event in events), reverse=True),
                      json.dumps(events)[:600])
        _, _, body = testlib.http_get(base + "/api/v1/events?kind=oom_kill&limit=1")
        newest = json.loads(body)["data"]
        results.check("/api/v1/events?kind=oom_kill&limit=1 is the last victim",
                      len(newest) == 1 and newest[0]["details"].get("process") == "victim-b", json.dumps(newest))

        # A reload with the same settings keeps the running reader and its counters.
        os.kill(agent.pid, signal.SIGHUP)
        time.sleep(1)
        journal.append(incident(203, "victim-d"))
        reloaded = scrape_until(lambda f: value(f, "scalewatch_oom_kills_total") == 3)
        results.check("a SIGHUP reload keeps the counters (3 kills, not 1)",
                      value(reloaded, "scalewatch_oom_kills_total") == 3
                      and value(reloaded, "scalewatch_config_last_reload_successful") == 1,
                      str(reloaded.get("scalewatch_oom_kills_total") and reloaded["scalewatch_oom_kills_total"].samples))

        procs.stop(agent)
        journal.append(incident(301, "victim-c"))
        with open(pglog, "a") as f:
            f.write("2024-05-01 10:00:02.000 UTC [4802] app@shop FATAL:  sorry, too many clients already\n")
        agent = start()
        resumed = scrape_until(lambda f: value(f, "scalewatch_oom_kills_total") == 1
                               and value(f, "scalewatch_postgres_log_errors_total", kind="too_many_clients", source=pglog) == 1)
        results.check("after a restart only what came after the last scrape is counted",
                      value(resumed, "scalewatch_oom_kills_total") == 1
                      and value(resumed, "scalewatch_oom_kills_total", process="victim-c") == 1
                      and value(resumed, "scalewatch_unit_failures_total") == 1,
                      str(resumed.get("scalewatch_oom_kills_total") and resumed["scalewatch_oom_kills_total"].samples))
        results.check("the log file resumes at its offset",
                      value(resumed, "scalewatch_postgres_log_errors_total", kind="too_many_clients", source=pglog) == 1
                      and value(resumed, "scalewatch_postgres_log_errors_total", kind="deadlock", source=pglog) == 0)

        # logrotate copytruncate: a line written after the last read is only in the copy.
        with open(pglog, "a") as f:
            f.write("2024-05-01 10:00:03.000 UTC [4803] app@shop ERROR:  deadlock detected\n")
        subprocess.run(["cp", pglog, pglog + ".1"], check=True)
        os.truncate(pglog, 0)
        with open(pglog, "a") as f:
            f.write("2024-05-01 10:00:04.000 UTC [100] LOG:  could not fork new process for connection: Cannot allocate memory\n")
        rotated = scrape_until(lambda f: value(f, "scalewatch_postgres_log_errors_total", kind="could_not_fork", source=pglog) == 1)
        results.check("copy-truncate: the line only in the copy and the new one are both counted, once",
                      value(rotated, "scalewatch_postgres_log_errors_total", kind="deadlock", source=pglog) == 1
                      and value(rotated, "scalewatch_postgres_log_errors_total", kind="could_not_fork", source=pglog) == 1
                      and value(rotated, "scalewatch_postgres_log_rotations_total", kind="truncate") == 1,
                      str(rotated.get("scalewatch_postgres_log_rotations_total") and rotated["scalewatch_postgres_log_rotations_total"].samples))
        results.check("the agent is still running", agent.poll() is None)
    finally:
        procs.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
