#!/usr/bin/env python3
"""receiver_outage_test.py BINARY [--minutes 10] - a webhook receiver down for minutes, then back.

The agent evaluates a rule file written here: ALERTS alerts over `time()`, each firing for
PERIOD seconds and then inactive for PERIOD seconds, their edges in the first BURST seconds
of every PERIOD, so that the notifier decides about ALERTS / PERIOD notifications a second
on average (one group per alert, flap damping off). Its one webhook receiver:
  1. is down (nothing listens: connection refused) for --minutes; halfway through, the agent
     is SIGKILLed and started again on the same data directory, between two bursts of edges:
     an alert that resolves while the agent is down is a known gap (the dispatcher starts
     empty after a restart and does not resolve what it never saw; docs/alerting.md), which
     this test is not about;
  2. then answers 503 with Retry-After, then 429 with Retry-After, for a while each;
  3. then answers 200 until the outbox has drained.
Checks, after a SIGTERM:
  - exactly once: no Idempotency-Key delivered twice, no alert episode notified twice;
  - none lost: for every alert, every firing and every resolution decided from the first
    evaluation until shortly before the stop arrived;
  - in order per group: each alert's notifications arrived in the order they were decided;
  - the self-metrics show the backlog (scalewatch_notifications_queue_length near the number
    decided during the outage, failed attempts counted by reason) and its drain, none dropped;
  - the agent's RSS and the outbox file stay bounded, collections stay on time (no gap in a
    collected series, no dropped collection), and the backlog drains within DRAIN_LIMIT.
Measured and printed as `info:` lines: notifications, bytes, peak outbox size, RSS, the
agent's CPU time per second at each backlog, drain time.
"""
import argparse
import json
import math
import os
import signal
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from webhook_receiver import WebhookReceiver, free_ports  # noqa: E402

ALERTS = 40
PERIOD = 20            # seconds firing, then seconds inactive
BURST = 5.0            # every alert's edges fall in this many seconds of each period
KILL_AFTER_BURST = 2.5 # the SIGKILL comes this long after a burst (its decisions made)…
RESTART_BUDGET = 5.0   # …and this long before the next one (the restart's first evaluation)
KILL_WINDOW = (0.3, 0.9)  # within this part of the outage (always holds such a moment)
INTERVAL = 1           # collection and evaluation
DRAIN_LIMIT = 60       # seconds from the receiver's recovery to an empty outbox
RSS_GROWTH_LIMIT = 64 << 20
OUTBOX_BYTES_PER_NOTIFICATION = 4096
# The outbox: its snapshot and the journal of the saves since.
OUTBOX_FILES = [os.path.join("data", "notifications", name) for name in ("state.json", "state.journal")]
# Long enough that the payloads are the size of a real pack's (about 1 KB each).
DESCRIPTION = ("This alert flips every {period} seconds so that the notifier has something to decide during "
               "an outage of the receiver; its text is as long as the evidence of a real rule, with the numbers: "
               "{{{{ $value | humanize }}}} at {{{{ $labels.alertname }}}}.")


def rules():
    lines = ["groups:", "  - name: outage", f"    interval: {INTERVAL}s", "    rules:"]
    for i in range(ALERTS):
        lines += [f"      - alert: Flip{i:02d}",
                  f"        expr: floor((vector(time()) + {offset(i)}) / {PERIOD}) % 2 == 0",
                  "        labels: {severity: warning, stage: test}",
                  "        annotations:",
                  f"          summary: Flip{i:02d} fires for {PERIOD} s every {2 * PERIOD} s",
                  f"          description: '{DESCRIPTION.format(period=PERIOD)}'"]
    return "\n".join(lines) + "\n"


def offset(i):
    return i * BURST / ALERTS


def seconds_into_quiet(t):
    """How far t is past the last burst of edges: alert i's edges are at t = -offset(i) mod
    PERIOD, so a burst spans the last BURST seconds before each multiple of PERIOD."""
    return t % PERIOD


def episode(i, t):
    """The index of alert i's period containing t: even while it fires."""
    return math.floor((t + offset(i)) / PERIOD)


def decisions_between(t0, t1):
    """Notifications the rules call for from the first evaluation at t0 until t1: a firing for
    each alert firing at t0, then one per edge."""
    count = 0
    for i in range(ALERTS):
        first, last = episode(i, t0), episode(i, t1)
        count += (first % 2 == 0) + (last - first)
    return count


def write_config(work, port, hook_port):
    config = testlib.write_agent_config(work, port, collectors=["loadavg", "cpu", "meminfo"], interval=f"{INTERVAL}s")
    with open(os.path.join(work, "rules.yml"), "w") as f:
        f.write(rules())
    with open(config, "a") as f:
        f.write(f"""rule_files: [rules.yml]
evaluation_interval: {INTERVAL}s
alerting:
  flap_damping: {{max_changes: 0}}
  route:
    receiver: hook
    group_by: [alertname]
    group_wait: 0s
    group_interval: 1s
    repeat_interval: 24h
  receivers:
    - name: hook
      webhook_configs: [{{url: 'http://127.0.0.1:{hook_port}/hook', send_resolved: true, timeout: 2s}}]
""")
    return config


class Sampler:
    """The agent's self-metrics, RSS, CPU time and outbox size, every few seconds."""

    def __init__(self, work):
        self.work = work
        self.rows = []   # dicts: time, queue, failed{reason}, dropped, rss, cpu, outbox

    def sample(self, base, pid):
        row = {"time": time.time(), "pid": pid}
        try:
            families = testlib.scrape_families(base)
            row["queue"] = value(families, "scalewatch_notifications_queue_length")
            row["dropped"] = value(families, "scalewatch_notifications_dropped_total")
            row["delivered_attempts"] = value(families, "scalewatch_notifications_total")
            row["failed"] = {labels["reason"]: v for _, labels, v in
                             families.get("scalewatch_notifications_failed_total", testlib.Family("")).samples}
            row["store_dropped"] = value(families, "scalewatch_store_dropped_collections_total")
        except (OSError, RuntimeError, ValueError):
            pass
        try:
            with open(f"/proc/{pid}/status") as f:
                row["rss"] = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
                row["cpu"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
        row["outbox"] = sum(os.path.getsize(p) for p in (os.path.join(self.work, f) for f in OUTBOX_FILES)
                            if os.path.exists(p))
        self.rows.append(row)
        return row


def value(families, name, **labels):
    family = families.get(name)
    for _, sample_labels, v in (family.samples if family else []):
        if all(sample_labels.get(k) == want for k, want in labels.items()):
            return v
    return None


def iso_seconds(text):
    import datetime
    head, _, rest = text.rstrip("Z").partition(".")
    whole = datetime.datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
    return whole + (float("0." + rest) if rest else 0.0)


def events_of(delivery):
    """(alert index, episode, status) for each alert of a delivered notification."""
    out = []
    for alert in delivery.body.get("alerts", []):
        i = int(alert["labels"]["alertname"][4:])
        out.append((i, episode(i, iso_seconds(alert["startsAt"]) + 0.001), alert["status"]))
    return out


def collection_gaps(base, since):
    """The longest gap between consecutive stored samples of node_load1 since `since`."""
    window = int(time.time() - since) + 5
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": f"node_load1[{window}s]"})
    status, _, body = testlib.http_get(url)
    result = json.loads(body)["data"]["result"] if status == 200 else []
    times = sorted(float(t) for r in result for t, _ in r["values"])
    gaps = [(b - a, a) for a, b in zip(times, times[1:])]
    return max(gaps) if gaps else (None, None), len(times)


def cpu_per_second(rows, start, end):
    """The agent's CPU seconds per second between two times (one process: no restart inside)."""
    inside = [r for r in rows if start <= r["time"] <= end and "cpu" in r]
    if len(inside) < 2 or inside[0]["pid"] != inside[-1]["pid"]:
        return None
    return (inside[-1]["cpu"] - inside[0]["cpu"]) / (inside[-1]["time"] - inside[0]["time"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--minutes", type=float, default=10.0, help="how long the receiver is down (default 10)")
    args = ap.parse_args()
    binary = testlib.executable(args.binary)
    outage = args.minutes * 60
    errors_phase = min(30.0, max(4.0, outage / 6))   # each of 503 and 429
    results = testlib.Results()
    procs = testlib.Processes()
    receiver = None
    try:
        work = procs.tempdir("scalewatch-outage.")
        port, hook_port = free_ports(2)
        config = write_config(work, port, hook_port)
        base = f"http://127.0.0.1:{port}"
        sampler = Sampler(work)

        def start(log):
            p = procs.start("scalewatch", [binary, "agent", "--config", config], os.path.join(work, log))
            testlib.wait_port(port, p)
            testlib.wait_http(base + "/metrics", p)
            return p

        # 1. Down: nothing listens on the receiver's port.
        agent = start("agent.log")
        started = time.time()
        testlib.Results.info(f"receiver down for {outage:.0f} s; {ALERTS} alerts flipping every {PERIOD} s")
        killed = restarted = None
        while time.time() - started < outage:
            sampler.sample(base, agent.pid)
            quiet, elapsed = seconds_into_quiet(time.time()), time.time() - started
            if (killed is None and KILL_WINDOW[0] * outage <= elapsed < KILL_WINDOW[1] * outage
                    and KILL_AFTER_BURST <= quiet < PERIOD - BURST - RESTART_BUDGET):
                before = sampler.sample(base, agent.pid)
                os.kill(agent.pid, signal.SIGKILL)
                agent.wait()
                killed = time.time()
                agent = start("agent2.log")
                restarted = time.time()
                after = sampler.sample(base, agent.pid)
                testlib.Results.info(f"SIGKILL with {before.get('queue')} queued; restarted in {restarted - killed:.1f} s "
                                     f"with {after.get('queue')} queued")
                results.check("after SIGKILL and restart the outbox still holds the backlog",
                              (after.get("queue") or 0) >= (before.get("queue") or 0), f"{before.get('queue')} -> {after.get('queue')}")
            time.sleep(0.2 if killed is None else min(2.0, max(0.1, outage / 100)))
        results.check("the agent was SIGKILLed and restarted during the outage", killed is not None)
        peak = sampler.sample(base, agent.pid)
        decided_in_outage = peak.get("queue") or 0

        # 2. Errors with Retry-After, then 3. recovery.
        receiver = WebhookReceiver(hook_port)
        recovered = None
        for status in (503, 429, 200):
            receiver.answer(status, retry_after=1)
            phase_end = time.time() + (errors_phase if status != 200 else 0)
            while time.time() < phase_end:
                sampler.sample(base, agent.pid)
                time.sleep(1)
        recovered = time.time()
        drained = None
        deadline = recovered + max(4 * DRAIN_LIMIT, outage)
        while time.time() < deadline:
            row = sampler.sample(base, agent.pid)
            # A flip or two may be on its way at any moment: "drained" is the backlog gone.
            if row.get("queue") is not None and row["queue"] <= 2:
                drained = time.time()
                break
            time.sleep(0.5)
        time.sleep(3)
        final = sampler.sample(base, agent.pid)
        (gap, gap_at), stored = collection_gaps(base, restarted or started)
        stopping = time.time()
        results.check("SIGTERM stops the agent cleanly", procs.stop(agent) == 0, procs.log_tail(agent))

        # ---- what arrived
        delivered = receiver.delivered()
        attempts = receiver.all()
        keys = [d.key for d in delivered]
        body_bytes = sum(len(json.dumps(d.body)) for d in delivered)
        testlib.Results.info(f"{len(delivered)} notifications delivered ({body_bytes / 1e6:.2f} MB of JSON), "
                             f"{len(attempts) - len(delivered)} attempts answered 503/429; "
                             f"{decided_in_outage:.0f} queued at the end of the outage")
        results.check("every notification carries an Idempotency-Key", all(keys), "")
        results.check("exactly once: no Idempotency-Key delivered twice", len(keys) == len(set(keys)),
                      str([k for k in set(keys) if keys.count(k) > 1][:5]))
        refused_keys = {d.key for d in attempts if d.status != 200}
        results.check("every notification answered 503/429 was delivered later under the same key",
                      refused_keys <= set(keys), str(sorted(refused_keys - set(keys))[:5]))

        per_group = {}
        for d in delivered:
            for event in events_of(d):
                per_group.setdefault(event[0], []).append((event[1], event[2], d.time))
        duplicates, lost, disorder = [], [], []
        first_eval = started + INTERVAL
        last_decided = stopping - 5
        for i in range(ALERTS):
            got = per_group.get(i, [])
            seen = [(e, s) for e, s, _ in got]
            duplicates += [(i, x) for x in set(seen) if seen.count(x) > 1]
            if seen != sorted(seen, key=lambda x: (x[0], x[1] != "firing")):
                disorder.append((i, seen))
            expected = set()
            for e in range(episode(i, first_eval), episode(i, last_decided) + 1):
                if e % 2:
                    continue
                expected.add((e, "firing"))
                end = (e + 1) * PERIOD - offset(i)
                if end + INTERVAL <= last_decided:
                    expected.add((e, "resolved"))
            missing = sorted(expected - set(seen))
            lost += [(i, e, s, round(((e + (s == "resolved")) * PERIOD - offset(i)) - started, 1)) for e, s in missing]
        results.check("no alert episode notified twice (firing or resolved)", not duplicates, str(duplicates[:5]))
        results.check("none lost: every firing and resolution decided during the run arrived", not lost,
                      f"{len(lost)} missing (alert, episode, status, seconds after start; SIGKILL at "
                      f"{(killed or started) - started:.1f}, back at {(restarted or started) - started:.1f}): {lost[:8]}")
        results.check("in order per group", not disorder, str(disorder[:2]))

        # ---- self-metrics
        queues = [r["queue"] for r in sampler.rows if r.get("queue") is not None]
        # Decisions lag an edge by up to an evaluation and a notifier tick.
        expected_backlog = decisions_between(first_eval, started + outage - 2 * INTERVAL - 1)
        testlib.Results.info(f"queue length: peak {max(queues):.0f}, at recovery {decided_in_outage:.0f} "
                             f"({expected_backlog} decided in the outage's first {outage - 3:.0f} s), "
                             f"after the drain {final.get('queue')}")
        results.check("scalewatch_notifications_queue_length shows the backlog at the end of the outage",
                      decided_in_outage >= expected_backlog, f"{decided_in_outage} < {expected_backlog}")
        results.check("and its drain", (final.get("queue") or 0) <= 2, str(final.get("queue")))
        # The restarted agent's counters: refused connections, then each 503 and 429 answered
        # (Alertmanager's reasons: 5xx serverError, 4xx, 429 included, clientError).
        failed = final.get("failed") or {}
        answered = {code: sum(1 for d in attempts if d.status == code) for code in (503, 429)}
        results.check("failed attempts counted by reason: other (refused), serverError (503), clientError (429)",
                      failed.get("other", 0) > 0 and failed.get("serverError") == answered[503]
                      and failed.get("clientError") == answered[429], f"{failed}, receiver answered {answered}")
        results.check("nothing dropped", (final.get("dropped") or 0) == 0, str(final.get("dropped")))

        # ---- resources
        rss = [r["rss"] for r in sampler.rows if "rss" in r]
        after_restart = [r["rss"] for r in sampler.rows if "rss" in r and r["time"] >= (restarted or started)]
        outbox = max(r["outbox"] for r in sampler.rows)
        # The outbox peaks with the queue, which keeps growing after the outage while the
        # receiver answers 503 and 429: bytes per notification are taken at the queue's peak,
        # not at the outage's end (that halved the divisor when an outage ended between bursts).
        peak_queue = max(queues)
        testlib.Results.info(f"RSS: {rss[0] / 2**20:.1f} MiB at start, peak {max(rss) / 2**20:.1f} MiB, "
                             f"{after_restart[0] / 2**20:.1f} -> {max(after_restart) / 2**20:.1f} MiB after the restart; "
                             f"outbox file: peak {outbox / 1e6:.2f} MB ({outbox / max(peak_queue, 1):.0f} bytes per "
                             f"notification at the queue's peak of {peak_queue:.0f}), {final['outbox'] / 1e3:.1f} kB after the drain")
        results.check(f"RSS grows by less than {RSS_GROWTH_LIMIT >> 20} MiB over the outage",
                      max(rss) - rss[0] < RSS_GROWTH_LIMIT, f"{rss[0]} -> {max(rss)}")
        results.check(f"the outbox file stays under {OUTBOX_BYTES_PER_NOTIFICATION} bytes per queued notification",
                      outbox <= OUTBOX_BYTES_PER_NOTIFICATION * max(peak_queue, 1),
                      f"{outbox} bytes at a peak queue of {peak_queue}")
        results.check("and shrinks after the drain", final["outbox"] < max(outbox / 4, 64 << 10), str(final["outbox"]))
        testlib.Results.info(f"collections: {stored} samples of node_load1 since the restart, longest gap "
                             f"{gap or 0:.2f} s")
        results.check("collection stays on time: no gap over 2.5 intervals in a collected series since the restart",
                      gap is not None and gap <= 2.5 * INTERVAL, f"{gap} s at {gap_at}")
        results.check("no collection dropped", (final.get("store_dropped") or 0) == 0, str(final.get("store_dropped")))
        early = cpu_per_second(sampler.rows, started + 5, started + min(60, outage / 2 - 1))
        late = cpu_per_second(sampler.rows, max((restarted or started) + 5, started + outage - 60), started + outage)
        testlib.Results.info("agent CPU: " + (f"{early:.1%} of a core early in the outage, " if early is not None else "")
                             + (f"{late:.1%} in its last minute (backlog {decided_in_outage:.0f})" if late is not None else ""))
        drain = (drained - recovered) if drained else None
        testlib.Results.info(f"drain: {drain:.1f} s from recovery to an empty outbox" if drain is not None
                             else "drain: the outbox never emptied")
        results.check(f"the backlog drains within {DRAIN_LIMIT} s of the receiver's recovery",
                      drain is not None and drain <= DRAIN_LIMIT, f"{drain}")
    finally:
        if receiver is not None:
            receiver.close()
        procs.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
