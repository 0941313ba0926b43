#!/usr/bin/env python3
"""Rule evaluation inside the agent, across a restart: recording rules land in the store,
an alert pending for half its `for` stays pending across a restart (ALERTS_FOR_STATE keeps
its original start) and fires on time; a broken rule file stops the start with file:line,
and `check config` reports the rule count. Queries go through `scalewatch query --data-dir`
while the agent runs (read-only, beside the agent's lock)."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BIN = sys.argv[1]
HOLD = 12  # the alert's `for`, seconds

RULES = f"""groups:
  - name: restart
    interval: 1s
    rules:
      - record: job:load1:max
        expr: max(node_load1)
      - alert: AlwaysTrue
        expr: vector(1)
        for: {HOLD}s
        labels:
          severity: page
        annotations:
          summary: "value {{{{ $value }}}}"
"""


def query(data_dir, expr):
    out = subprocess.run([BIN, "query", expr, "--data-dir", data_dir, "--output", "json"],
                         capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise RuntimeError(f"query {expr} failed: {out.stderr}")
    return json.loads(out.stdout)["data"]["result"]


def main():
    results = testlib.Results()
    procs = testlib.Processes()
    try:
        work = procs.tempdir()
        port = testlib.free_port()
        config = testlib.write_agent_config(work, port, collectors=["loadavg"], interval="1s")
        with open(os.path.join(work, "rules.yml"), "w") as f:
            f.write(RULES)
        with open(config, "a") as f:
            f.write("rule_files: [rules.yml]\nevaluation_interval: 1s\n")
        data = os.path.join(work, "data")

        check = subprocess.run([BIN, "check", "config", config], capture_output=True, text=True)
        results.check("check config counts the rules", check.returncode == 0 and "1 rule groups, 2 rules" in check.stdout,
                      check.stdout + check.stderr)

        agent = procs.start("agent", [BIN, "agent", "--config", config], os.path.join(work, "agent.log"))
        testlib.wait_port(port, agent)
        time.sleep(HOLD / 2)
        pending = query(data, 'ALERTS{alertname="AlwaysTrue"}')
        states = {r["metric"]["alertstate"] for r in pending}
        results.check("pending after half of `for`", states == {"pending"}, str(pending))
        recorded = query(data, "job:load1:max")
        results.check("recording rule output is stored", len(recorded) == 1, str(recorded))
        before = query(data, 'ALERTS_FOR_STATE{alertname="AlwaysTrue"}')
        active_at = float(before[0]["value"][1]) if before else None
        results.check("ALERTS_FOR_STATE holds the start", active_at is not None, str(before))

        results.check("SIGTERM stops the agent cleanly", procs.stop(agent) == 0, procs.log_tail(agent))
        agent = procs.start("agent", [BIN, "agent", "--config", config], os.path.join(work, "agent2.log"))
        testlib.wait_port(port, agent)
        time.sleep(2)
        after = query(data, 'ALERTS_FOR_STATE{alertname="AlwaysTrue"}')
        restored = float(after[0]["value"][1]) if after else None
        results.check("restart keeps the alert's start", restored == active_at, f"before {active_at}, after {restored}")
        still = {r["metric"]["alertstate"] for r in query(data, 'ALERTS{alertname="AlwaysTrue"}')}
        results.check("still pending right after the restart", still == {"pending"}, str(still))

        # Fires `for` after the original start, not after the restart.
        fire_deadline = active_at + HOLD + 4
        while time.time() < fire_deadline + 2:
            time.sleep(0.5)
        now = time.time()
        series = query(data, f'ALERTS{{alertname="AlwaysTrue",alertstate="firing"}}[{int(now - active_at) + 5}s]')
        firing_times = [float(t) for s in series for t, _ in s.get("values", [])]
        first = min(firing_times) if firing_times else None
        on_time = first is not None and HOLD <= first - active_at <= HOLD + 3
        results.check("fires on time after the restart", on_time,
                      f"start {active_at}, first firing {first}, restart did not reset `for` if ~{HOLD}s")
        procs.stop(agent)

        with open(os.path.join(work, "rules.yml"), "w") as f:
            f.write("groups:\n  - name: broken\n    rules:\n      - alert: X\n        expr: rate(up[5m]\n")
        broken = subprocess.run([BIN, "agent", "--config", config], capture_output=True, text=True, timeout=30)
        results.check("a broken rule file stops the start with file:line:column",
                      broken.returncode != 0 and "rules.yml:5:" in (broken.stdout + broken.stderr),
                      broken.stdout + broken.stderr)
    finally:
        procs.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
