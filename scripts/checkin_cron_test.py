#!/usr/bin/env python3
"""checkin_cron_test.py BINARY - Debian's cron pings the agent's check-in endpoint; a missed run
and a failed run show as metrics and alerts.

The agent runs with two check-in jobs (`period: 1m`, `grace: 20s`), the shipped
config/rules/jobs.yml and a 1 s evaluation interval. A crontab in /etc/cron.d (removed
afterwards, also on failure) runs two lines every minute, each only while its flag file in the
test's directory exists:
  - `curl …/api/v1/checkins/cron-ok` (the success of a plain job);
  - `false && curl …/cron-bad || curl --data-binary 'exit 1' …/cron-bad/fail` (a job that fails).
The test waits for the first minute's runs and checks successes_total, failures_total, the
failure's message and the CheckInFailed alert; then removes cron-ok's flag and waits for its
deadline (the last success + 1m + 20s) to pass: the deadline metric is behind time() and
CheckInMissed fires for cron-ok in /api/v1/alerts. Wall time: at most ~145 s (up to a minute
until cron's first run, then 80 s to the deadline).

Uses the cron daemon already running, if any (it rereads /etc/cron.d every minute); otherwise
starts `cron -f` and stops it by PID at the end. Needs root and the Debian package cron.
"""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "config", "rules", "jobs.yml")


def cron_running():
    """Whether a cron daemon runs on this host (its pid file names a live process)."""
    try:
        with open("/var/run/crond.pid") as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return True
    except (OSError, ValueError):
        return False


def metric(base, name, job):
    """The value of the sample `name{job=JOB}` in /metrics, or None."""
    for family in testlib.scrape_families(base).values():
        for sample, labels, value in family.samples:
            if sample == name and labels.get("job") == job:
                return value
    return None


def alert_states(base):
    status, _, body = testlib.http_get(base + "/api/v1/alerts")
    if status != 200:
        return {}
    return {(a["labels"].get("alertname"), a["labels"].get("job")): a["state"] for a in json.loads(body)["data"]["alerts"]}


def main():
    binary = testlib.executable(sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: checkin_cron_test.py BINARY"))
    results = testlib.Results()
    if os.geteuid() != 0:
        sys.exit("checkin_cron_test.py: needs root (writes /etc/cron.d)")
    cron = shutil.which("cron") or ("/usr/sbin/cron" if os.path.exists("/usr/sbin/cron") else None)
    curl = shutil.which("curl")
    if cron is None or curl is None:
        sys.exit("checkin_cron_test.py: needs cron and curl (apt-get install -y cron curl)")

    procs = testlib.Processes()
    crontab = f"/etc/cron.d/scalewatch-checkin-test-{os.getpid()}"
    started = time.monotonic()
    try:
        work = procs.tempdir("scalewatch-checkin-cron.")
        port = testlib.free_port()
        base = f"http://127.0.0.1:{port}"
        config = testlib.write_agent_config(work, port, collectors=["loadavg"], interval="1s")
        with open(config, "a") as f:
            f.write(f"rule_files: [{json.dumps(RULES)}]\n"
                    "evaluation_interval: 1s\n"
                    "checkins:\n"
                    "  jobs:\n"
                    "    - {name: cron-ok, period: 1m, grace: 20s}\n"
                    "    - {name: cron-bad, period: 1m, grace: 20s}\n")
        agent = procs.start("scalewatch", [binary, "agent", "--config", config], os.path.join(work, "agent.log"))
        try:
            testlib.wait_port(port, agent)
            testlib.wait_http(base + "/-/ready", agent)
        except RuntimeError as e:
            sys.exit(f"{e}\n--- agent log:\n{procs.log_tail(agent)}")

        ok_flag = os.path.join(work, "ok.enabled")
        bad_flag = os.path.join(work, "bad.enabled")
        for flag in (ok_flag, bad_flag):
            open(flag, "w").close()
        url = f"{base}/api/v1/checkins"
        with open(crontab + ".tmp", "w") as f:
            f.write("SHELL=/bin/sh\nPATH=/usr/bin:/bin\n"
                    f"* * * * * root test -e {ok_flag} && {curl} -fsS -m 5 {url}/cron-ok >/dev/null 2>&1\n"
                    f"* * * * * root test -e {bad_flag} && (false && {curl} -fsS -m 5 {url}/cron-bad"
                    f" || {curl} -fsS -m 5 --data-binary 'exit 1' {url}/cron-bad/fail) >/dev/null 2>&1\n")
        os.chmod(crontab + ".tmp", 0o644)
        os.rename(crontab + ".tmp", crontab)
        if cron_running():
            results.info("using the cron daemon already running")
        else:
            procs.start("cron", [cron, "-f"], os.path.join(work, "cron.log"))
            results.info("started cron -f")

        unknown = testlib.http_get(url + "/nope")
        results.check("an unknown job is 404 with the reason",
                      unknown.status == 404 and b"no check-in job named" in unknown.body,
                      f"{unknown.status} {unknown.body[:200]!r}")

        first = testlib.poll(lambda: (metric(base, "scalewatch_job_successes_total", "cron-ok") or 0) >= 1, 75, step=1)
        results.check("cron's run counted as a success (scalewatch_job_successes_total{job=cron-ok} >= 1)", first,
                      f"after {time.monotonic() - started:.0f} s; cron log:\n{procs.log_tail(procs.procs[-1][1])}")
        if not first:
            return results.finish()
        os.remove(ok_flag)
        last_success = metric(base, "scalewatch_job_last_success_timestamp_seconds", "cron-ok")
        deadline = metric(base, "scalewatch_job_deadline_timestamp_seconds", "cron-ok")
        results.check("the deadline is the last success + period + grace", deadline is not None and last_success
                      and abs(deadline - (last_success + 80)) < 0.01, f"success {last_success}, deadline {deadline}")

        failed = testlib.poll(lambda: (metric(base, "scalewatch_job_failures_total", "cron-bad") or 0) >= 1, 10, step=1)
        results.check("the failing run counted (scalewatch_job_failures_total{job=cron-bad} >= 1)", failed)
        _, _, body = testlib.http_get(url)
        records = {r["job"]: r for r in json.loads(body)["data"]}
        results.check("GET /api/v1/checkins keeps the failure's body as its message",
                      records.get("cron-bad", {}).get("lastMessage") == "exit 1", json.dumps(records.get("cron-bad")))
        firing = testlib.poll(lambda: alert_states(base).get(("CheckInFailed", "cron-bad")) == "firing", 10, step=1)
        results.check("CheckInFailed fires for cron-bad", firing, str(alert_states(base)))
        results.check("CheckInMissed does not fire for cron-ok before its deadline",
                      time.time() < deadline and alert_states(base).get(("CheckInMissed", "cron-ok")) is None)

        # The next minute's run is skipped (flag gone); the deadline passes 80 s after the success.
        remaining = deadline - time.time()
        results.info(f"waiting {remaining:.0f} s for cron-ok's deadline")
        missed = testlib.poll(lambda: alert_states(base).get(("CheckInMissed", "cron-ok")) == "firing",
                              remaining + 10, step=1)
        results.check("CheckInMissed fires for cron-ok once its deadline passed", missed,
                      str(alert_states(base)))
        results.check("no success after the job was disabled",
                      metric(base, "scalewatch_job_last_success_timestamp_seconds", "cron-ok") == last_success)
        results.info(f"wall time {time.monotonic() - started:.0f} s")
        return results.finish()
    finally:
        for path in (crontab, crontab + ".tmp"):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        procs.close()


if __name__ == "__main__":
    sys.exit(main())
