#!/usr/bin/env python3
"""host_drill.py BINARY [--full] - the shipped rule pack against a real OOM kill and real CPU load.

Starts the agent with the shipped config/rules/*.yml and nothing else, collecting and
evaluating every second, routing every alert to a webhook receiver in this script and the
Watchdog to a separate dead-man's-switch receiver (docs/alerting.md, "The Watchdog"). The
three drills run at the same time (they touch different signals):
  - OOM: a process in a 64 MiB memory cgroup allocates until the kernel kills it.
    ProcessOOMKilled (no `for`) must reach the webhook within two evaluation intervals (plus
    group_wait) of the agent's first sample of the kill, naming the victim's process and
    cgroup, with stage 1-single-server and signature oom_kill; HostOOMKill must never become
    active for the same kill (the pack's `unless`).
  - CPU: a busy loop per CPU (nice 19, so the agent and everyone else still run) and one in a
    service cgroup with a CPU quota of 20%, from the agent's start. ServiceCPUThrottled (a ratio
    of two rates) must become pending for that unit with stage 3-monitoring within a few
    evaluation intervals. HostCPUSaturated averages the busy share over 5 minutes and a rate
    over a window longer than the history divides by the window, so it cannot be pending
    within a minute: its expression must climb at the full-load slope and the alert must not
    be active below 0.9. Pending alerts are not notified.
    With --full (about 25 minutes) the load stays until both fire: each firing notification
    must arrive within `for` + two evaluation intervals (+ group_wait) of the alert's start;
    then the load stops (the throttled service and its cgroup go) and each resolution must
    arrive after keep_firing_for and within the rate window + keep_firing_for.
  - Watchdog: reaches the dead-man's-switch receiver, only that one, and comes again every
    repeat_interval.
After the OOM drill `scalewatch advise` against the agent must name stage 1 (oom_kill), and
while the CPU load runs stage 3 (cpu_throttled, a pending alert: a trend to watch).
Every notification is checked for Alertmanager's webhook shape (version "4", status,
labels.stage, labels.instance = the host name, annotations.runbook_url, fingerprint) and an
Idempotency-Key header. Times are printed as `info:` lines. Needs root (cgroups) and 1 GiB
available memory; the groups and processes are removed afterwards, also on failure.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time
import urllib.parse

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from testcgroups import OOMVictim, TestGroups, mem_available  # noqa: E402
from webhook_receiver import WebhookReceiver, free_ports, payload_problems  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INTERVAL = 1.0           # collection and evaluation, seconds
GROUP_WAIT = 1.0
GROUP_INTERVAL = 2.0
WATCHDOG_REPEAT = 6.0
MEMORY_LIMIT = 64 << 20
HOLD = 32 << 20
GIVE_UP = 512 << 20
OOM_UNIT = "drilloom.service"
CPU_UNIT = "drillcpu.service"
CPU_QUOTA = 0.2
VICTIM = "sw-drillvictim"
# The pack's durations for the CPU alerts (config/rules/cpu.yml).
FOR = {"HostCPUSaturated": 600, "ServiceCPUThrottled": 900}
KEEP_FIRING_FOR = 300
RATE_WINDOW = 300
# From the first sample of a kill to the webhook: up to one evaluation interval until the rule
# sees it, up to one notifier tick (1 s, here the evaluation interval) until the notifier reads
# the alerts, group_wait, then one HTTP request: allowed this much.
DELIVERY = 0.25
HOSTNAME = os.uname().nodename


def write_config(directory, port, hook_port, slices):
    data = os.path.join(directory, "data")
    os.makedirs(data, exist_ok=True)
    rules = sorted(glob.glob(os.path.join(ROOT, "config/rules/*.yml")))
    hook = f"http://127.0.0.1:{hook_port}"
    path = os.path.join(directory, "agent.yml")
    with open(path, "w") as f:
        f.write(f"""listen_address: "127.0.0.1:{port}"
data_dir: "{data}"
collection_interval: {INTERVAL:g}s
evaluation_interval: {INTERVAL:g}s
rule_files: {json.dumps(rules)}
collectors:
  cgroups:
    slices: {json.dumps(["system.slice", *slices])}
alerting:
  route:
    receiver: ops
    group_by: [alertname]
    group_wait: {GROUP_WAIT:g}s
    group_interval: {GROUP_INTERVAL:g}s
    repeat_interval: 4h
    routes:
      - matchers: ['alertname="Watchdog"']
        receiver: deadmansswitch
        repeat_interval: {WATCHDOG_REPEAT:g}s
  receivers:
    - name: ops
      webhook_configs: [{{url: '{hook}/ops', send_resolved: true, timeout: 2s}}]
    - name: deadmansswitch
      webhook_configs: [{{url: '{hook}/dms', send_resolved: true, timeout: 2s}}]
""")
    return path


class Agent:
    """Queries the running agent's Prometheus API."""

    def __init__(self, base):
        self.base = base

    def query(self, expr):
        url = self.base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        status, _, body = testlib.http_get(url)
        if status != 200:
            raise RuntimeError(f"query {expr} answered {status}: {body[:300]!r}")
        return json.loads(body)["data"]["result"]

    def active(self, name):
        """Label sets of NAME's pending or firing alerts."""
        return [r["metric"] for r in self.query(f'ALERTS{{alertname="{name}"}}')]

    def first_sample_time(self, selector, window="10m"):
        """The timestamp of the earliest sample of selector in the window, or None."""
        times = [float(v[0]) for r in self.query(f"{selector}[{window}]") for v in r["values"]]
        return min(times) if times else None


class CPULoad:
    """A busy loop per CPU at nice 19, and one inside the throttled service's cgroup."""

    def __init__(self, groups):
        self.spinners = [subprocess.Popen(["nice", "-n", "19", sys.executable, "-c", "while True: pass"])
                         for _ in range(os.cpu_count() or 1)]
        self.service = subprocess.Popen(
            ["sh", "-c", f"{groups.join_command()}; exec {sys.executable} -c 'while True: pass'"])
        self.started = time.time()
        self.stopped = None

    def stop(self):
        for p in [*self.spinners, self.service]:
            if p.poll() is None:
                p.kill()
            p.wait()
        if self.stopped is None:
            self.stopped = time.time()


def check_payloads(results, receiver):
    bad = [(d.path, d.body.get("receiver"), problems) for d in receiver.all()
           for problems in [payload_problems(d, HOSTNAME)] if problems]
    results.check(f"all {len(receiver.all())} notifications have webhook v4's shape, the pack's labels and "
                  "annotations, the host as instance and an Idempotency-Key", not bad, str(bad[:5]))


def oom_drill(results, agent, receiver, groups, procs, proc):
    victim = OOMVictim(VICTIM, groups, HOLD, GIVE_UP)
    try:
        if not results.check("OOM: the victim holds its memory inside the group", victim.ready,
                             f"exit {victim.process.poll()}"):
            return
        time.sleep(2 * INTERVAL)    # the agent sees the group with the victim in it
        victim.go()
        code = victim.wait(timeout=60)
        killed = time.time()
    finally:
        victim.kill()
    results.check("OOM: the kernel killed the victim (SIGKILL)", code == -9,
                  "exit 3: the limit was not enforced" if code == 3 else f"exit {code}")
    results.check("OOM: the kernel counted the kill in the group", groups.oom_kills() == 1, str(groups.oom_kills()))

    def is_oom(d):
        return d.path == "/ops" and "ProcessOOMKilled" in d.alertnames and d.body.get("status") == "firing"

    got = receiver.wait(is_oom, timeout=30)
    seen = agent.first_sample_time(f'scalewatch_oom_kills_total{{process="{VICTIM}"}}')
    if not results.check("OOM: ProcessOOMKilled reaches the webhook", got is not None, procs.log_tail(proc)):
        return
    alert = next(a for a in got.body["alerts"] if a["labels"].get("alertname") == "ProcessOOMKilled")
    labels, annotations = alert["labels"], alert["annotations"]
    bound = 2 * INTERVAL + GROUP_WAIT + DELIVERY
    if seen is None:
        results.fail("OOM: the agent stored the kill (scalewatch_oom_kills_total names the victim)")
    else:
        testlib.Results.info(f"OOM: after the kill: first sample {seen - killed:+.3f} s, alert active "
                             f"{iso_seconds(alert['startsAt']) - killed:+.3f} s, notification {got.time - killed:+.3f} s "
                             f"({got.time - seen:.3f} s after the first sample)")
        results.check(f"OOM: ProcessOOMKilled arrives within two evaluation intervals + group_wait + delivery ({bound:g} s) "
                      "of the agent's first sample of the kill", got.time - seen <= bound,
                      f"{got.time - seen:.3f} s")
    results.check("OOM: stage 1-single-server, signature oom_kill, severity critical",
                  (labels.get("stage"), labels.get("signature"), labels.get("severity"))
                  == ("1-single-server", "oom_kill", "critical"), str(labels))
    results.check("OOM: the victim's process and cgroup in its labels",
                  labels.get("process") == VICTIM and groups.slice in labels.get("cgroup", "")
                  and OOM_UNIT in labels.get("cgroup", ""), str(labels))
    results.check("OOM: and in its summary and description",
                  VICTIM in annotations.get("summary", "") and OOM_UNIT in annotations.get("description", ""),
                  str(annotations))
    # Give a HostOOMKill that lost the race with the journal a few evaluations to show.
    time.sleep(3 * INTERVAL)
    stored = agent.query('count_over_time(ALERTS{alertname="HostOOMKill"}[10m])')
    host = [d for d in receiver.all() if "HostOOMKill" in d.alertnames]
    results.check("OOM: HostOOMKill never active for the same kill (not in ALERTS, not notified)",
                  not stored and not host, f"ALERTS {stored}, notifications {[d.body for d in host]}")


def check_advise(results, binary, base, stage, signature):
    """`scalewatch advise` over the agent's last 10 minutes names STAGE with SIGNATURE."""
    out = subprocess.run([binary, "advise", "--url", base, "--since", "10m", "--output", "json"],
                         capture_output=True, text=True, timeout=60)
    try:
        found = [(f["stage"], f["signature"]) for f in json.loads(out.stdout)["findings"]]
    except (ValueError, KeyError, TypeError):
        found = [("unreadable", out.stdout[-300:] + out.stderr[-300:])]
    results.check(f"advise names stage {stage} ({signature})", (stage, signature) in found, str(found))


def pack_rule(name):
    """The shipped rule NAME, as config/rules/*.yml has it."""
    for path in sorted(glob.glob(os.path.join(ROOT, "config/rules/*.yml"))):
        with open(path) as f:
            for group in yaml.safe_load(f)["groups"]:
                for rule in group["rules"]:
                    if rule.get("alert") == name:
                        return rule
    raise RuntimeError(f"no rule {name} in config/rules")


def cpu_short(results, agent, load):
    """What the CPU alerts show within a minute of load on a fresh agent."""
    def throttled():
        return [a for a in agent.active("ServiceCPUThrottled") if a.get("unit") == CPU_UNIT]

    labels = (testlib.poll(throttled, timeout=15 * INTERVAL) or [{}])[0]
    if labels:
        testlib.Results.info(f"CPU: ServiceCPUThrottled active {time.time() - load.started:.1f} s after the load started")
    results.check("CPU: ServiceCPUThrottled becomes pending for the throttled unit with stage 3-monitoring "
                  "within 15 evaluation intervals",
                  labels.get("alertstate") == "pending" and labels.get("stage") == "3-monitoring"
                  and labels.get("signature") == "cpu_throttled", str(labels) or "not active")
    # HostCPUSaturated averages the busy share over 5 minutes, and a rate over a window longer
    # than the history divides by the window (Prometheus' extrapolation stops half an interval
    # before the first sample): the first operand of its expression grows by about
    # busy / 300 per second of history and crosses 0.9 after some 270 s of full load, so a
    # one-minute drill sees it climb at the full-load slope and not yet pending.
    busy = pack_rule("HostCPUSaturated")["expr"].split("\n  or")[0].split("> 0.9")[0].strip()
    history = time.time() - agent.first_sample_time('node_cpu_seconds_total{cpu="0",mode="user"}', window="5m")
    value = float((agent.query(busy) or [{"value": [0, "0"]}])[0]["value"][1])
    slope = value * RATE_WINDOW / history
    testlib.Results.info(f"CPU: HostCPUSaturated's busy ratio {value:.3f} after {history:.1f} s of history "
                         f"(the host {slope:.0%} busy over that time); pending needs 0.9, "
                         f"about {0.9 * RATE_WINDOW / max(slope, 0.01):.0f} s of such load")
    results.check("CPU: HostCPUSaturated's expression sees the host saturated (its 5m rate grows at >= 90% "
                  "busy per second of history)", slope >= 0.9, f"{slope:.2f}")
    results.check("CPU: and it is not pending before its 5m average crosses 0.9",
                  (value > 0.9) == bool(agent.active("HostCPUSaturated")), f"{value:.3f}, {agent.active('HostCPUSaturated')}")


def cpu_full(results, agent, receiver, load, groups):
    """--full: wait out the real `for`, then stop the load and wait for the resolutions."""
    firing = {}
    for name in ("ServiceCPUThrottled", "HostCPUSaturated"):
        got = receiver.wait(lambda d, n=name: d.path == "/ops" and n in d.alertnames and d.body["status"] == "firing",
                            timeout=FOR[name] + RATE_WINDOW + 120)
        if not results.check(f"full: {name} fires and reaches the webhook", got is not None):
            continue
        alert = next(a for a in got.body["alerts"] if a["labels"]["alertname"] == name)
        fired = iso_seconds(alert["startsAt"])    # Prometheus' startsAt: when it fired
        firing[name] = got
        pending = agent.first_sample_time(f'ALERTS{{alertname="{name}",alertstate="pending"}}',
                                          window=f"{FOR[name] + RATE_WINDOW + 600}s")
        if not results.check(f"full: {name} was pending before it fired", pending is not None):
            continue
        delay = got.time - pending
        testlib.Results.info(f"full: {name} pending {pending - load.started:.1f} s after the load started, fired "
                             f"{fired - pending:.1f} s later, firing notification {delay:.1f} s after it became pending "
                             f"(for {FOR[name]} s)")
        results.check(f"full: {name}'s firing notification within for + two evaluation intervals + group_wait",
                      FOR[name] <= delay <= FOR[name] + 2 * INTERVAL + GROUP_WAIT + DELIVERY, f"{delay:.1f} s")
    load.stop()
    groups.close()
    for name, fired in firing.items():
        got = receiver.wait(lambda d, n=name: d.path == "/ops" and n in d.alertnames and d.body["status"] == "resolved",
                            timeout=RATE_WINDOW + KEEP_FIRING_FOR + 120)
        if not results.check(f"full: {name} resolves and the resolution reaches the webhook", got is not None,
                             f"the host was {host_busy():.0%} busy at the end (other work counts too)"):
            continue
        after = got.time - load.stopped
        testlib.Results.info(f"full: {name} resolved notification {after:.1f} s after the load stopped "
                             f"(keep_firing_for {KEEP_FIRING_FOR} s)")
        results.check(f"full: {name}'s resolution not before the load stopped + keep_firing_for",
                      after >= KEEP_FIRING_FOR, f"{after:.1f} s")
        results.check(f"full: {name}: same Idempotency-Key never reused", got.key != fired.key, got.key)


def host_busy(seconds=5):
    """The host's busy share of CPU time as HostCPUSaturated counts it (all but idle, iowait
    and steal) over a few seconds: whoever else keeps it busy keeps that alert firing."""
    def read():
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:9]]
        return sum(fields), fields[3] + fields[4] + fields[7]
    (total0, idle0), _ = read(), time.sleep(seconds)
    total1, idle1 = read()
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def iso_seconds(text):
    """RFC 3339 with optional fraction and Z, as the payload has it, to Unix seconds."""
    import datetime
    head, _, rest = text.rstrip("Z").partition(".")
    whole = datetime.datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
    return whole + (float("0." + rest) if rest else 0.0)


def watchdog_drill(results, receiver):
    dms = receiver.delivered("/dms")
    watchdog = [d for d in dms if d.alertnames == {"Watchdog"}]
    results.check("Watchdog: reaches the dead-man's-switch receiver", len(watchdog) >= 1,
                  str([d.body for d in dms][:3]))
    results.check("Watchdog: only the Watchdog goes to the dead-man's switch, and it goes nowhere else",
                  len(watchdog) == len(dms) and not [d for d in receiver.all("/ops") if "Watchdog" in d.alertnames],
                  str([sorted(d.alertnames) for d in dms]))
    results.check("Watchdog: payload receiver is deadmansswitch, status firing, severity none",
                  all(d.body.get("receiver") == "deadmansswitch" and d.body.get("status") == "firing"
                      and d.body["alerts"][0]["labels"].get("severity") == "none" for d in watchdog))
    gaps = [b.time - a.time for a, b in zip(watchdog, watchdog[1:])]
    testlib.Results.info(f"Watchdog: {len(watchdog)} notifications, gaps {min(gaps, default=0):.2f} to "
                         f"{max(gaps, default=0):.2f} s (repeat_interval {WATCHDOG_REPEAT:g} s, group_interval "
                         f"{GROUP_INTERVAL:g} s)")
    # Repeats are decided at a group_interval tick once repeat_interval has passed; a delivery
    # held up by a notifier tick makes one gap longer and the next shorter.
    wrong = [round(g, 2) for g in gaps if not WATCHDOG_REPEAT - INTERVAL <= g <= WATCHDOG_REPEAT + GROUP_INTERVAL + INTERVAL]
    results.check(f"Watchdog: repeated every repeat_interval ({WATCHDOG_REPEAT:g} s, at a group_interval tick)",
                  len(gaps) >= 2 and not wrong, f"{len(gaps)} gaps, outside the bounds: {wrong[:10]}")
    results.check("Watchdog: each repeat is a notification of its own (a new Idempotency-Key)",
                  len({d.key for d in watchdog}) == len(watchdog), str([d.key for d in watchdog]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--full", action="store_true", help="wait out the CPU alerts' real `for` (about 25 minutes)")
    args = ap.parse_args()
    binary = testlib.executable(args.binary)
    results = testlib.Results()
    if os.geteuid() != 0:
        results.fail("runs as root", "creating cgroups needs root")
        return results.finish()
    if mem_available() < (1 << 30):
        results.fail("at least 1 GiB available", f"only {mem_available() >> 20} MiB: not provoking any OOM here")
        return results.finish()

    procs = testlib.Processes()
    oom_groups = cpu_groups = load = receiver = None
    started = time.monotonic()
    try:
        oom_groups = TestGroups(f"scalewatch-drilloom-{os.getpid()}.slice", OOM_UNIT, memory_limit=MEMORY_LIMIT).make()
        cpu_groups = TestGroups(f"scalewatch-drillcpu-{os.getpid()}.slice", CPU_UNIT, cpu_quota=CPU_QUOTA).make()
        testlib.Results.info(f"cgroup {oom_groups.mode}: {oom_groups.memory_dir} (limit {MEMORY_LIMIT >> 20} MiB), "
                             f"{cpu_groups.cpu_dir} (quota {CPU_QUOTA:.0%} of a CPU)")
        directory = procs.tempdir("scalewatch-hostdrill.")
        port, hook_port = free_ports(2)
        receiver = WebhookReceiver(hook_port)
        config = write_config(directory, port, hook_port, [oom_groups.slice, cpu_groups.slice])
        # The load starts with the agent, so that the 5-minute rates see nothing else.
        load = CPULoad(cpu_groups)
        proc = procs.start("scalewatch", [binary, "agent", "--config", config], os.path.join(directory, "agent.log"))
        base = f"http://127.0.0.1:{port}"
        testlib.wait_port(port, proc)
        testlib.wait_http(base + "/metrics", proc)
        agent = Agent(base)

        oom_drill(results, agent, receiver, oom_groups, procs, proc)
        check_advise(results, binary, base, "1-single-server", "oom_kill")
        cpu_short(results, agent, load)
        check_advise(results, binary, base, "3-monitoring", "cpu_throttled")
        throttled = cpu_groups.cpu_stat()
        testlib.Results.info(f"CPU: the kernel throttled the service in {throttled.get('nr_throttled')} of "
                             f"{throttled.get('nr_periods')} periods")
        if args.full:
            cpu_full(results, agent, receiver, load, cpu_groups)
        else:
            load.stop()
            cpu_notified = [d.body for d in receiver.all() if d.alertnames & {"HostCPUSaturated", "ServiceCPUThrottled"}]
            results.check("CPU: pending alerts are not notified", not cpu_notified, str(cpu_notified))
        testlib.poll(lambda: len(receiver.delivered("/dms")) >= 3, timeout=3 * (WATCHDOG_REPEAT + GROUP_INTERVAL))
        watchdog_drill(results, receiver)
        check_payloads(results, receiver)
        results.check("the agent is still running", proc.poll() is None, procs.log_tail(proc))
        testlib.Results.info(f"drills took {time.monotonic() - started:.1f} s")
    finally:
        if load is not None:
            load.stop()
        procs.close()
        for groups in (oom_groups, cpu_groups):
            if groups is not None:
                groups.close()
        if receiver is not None:
            receiver.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
