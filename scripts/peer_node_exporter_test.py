#!/usr/bin/env python3
"""peer_node_exporter_test.py BINARY - the agent against the real node_exporter on this host.

Starts Debian's prometheus-node-exporter (1.5, with --collector.processes) and `BINARY agent`
with every collector enabled, both on free loopback ports, scrapes both in the text format and
checks:
  - the agent answers with the text format's exact Content-Type;
  - no family of ours differs from one of node_exporter's only by a `_total` suffix or by case
    (a renamed metric would silently break dashboards);
  - every family both expose has the same type (node_exporter's untyped may be our counter) and
    the same label names;
  - stable values agree: node_memory_MemTotal_bytes, the set of `cpu` label values of
    node_cpu_seconds_total, node_boot_time_seconds (within 1 s), node_filesystem_size_bytes per
    mountpoint for the mounts both report, node_filefd_maximum, node_processes_max_processes;
  - a collector that succeeds in node_exporter (node_scrape_collector_success) also succeeds in
    the agent (scalewatch_collector_success).
Families node_exporter has and we don't are listed (info, not a failure).
Standard library only. Needs: prometheus-node-exporter (Debian). Ends with "N passed, N failed".
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from testlib import Results  # noqa: E402


def values(families, name, key=None):
    """{label value of key (or frozenset of labels): [sample values]} for family name."""
    out = {}
    f = families.get(name)
    if f is None:
        return out
    for sample, labels, v in f.samples:
        if sample != name:
            continue
        k = labels.get(key) if key else frozenset(labels.items())
        out.setdefault(k, []).append(v)
    return out


def single(families, name):
    f = families.get(name)
    if f is None:
        return None
    vs = [v for s, labels, v in f.samples if s == name and not labels]
    return vs[0] if len(vs) == 1 else None


def compare_families(r, ours, theirs):
    shared = sorted(set(ours) & set(theirs))
    r.info(f"node_exporter: {len(theirs)} families; scalewatch: {len(ours)} families; {len(shared)} shared")
    r.check("at least 40 families shared with node_exporter", len(shared) >= 40, f"only {len(shared)}: {shared}")

    # The same name: nothing of ours is node_exporter's name with a _total added or dropped, or
    # with another case (node_vmstat_oom_kill must not become node_vmstat_oom_kill_total).
    theirs_by_key = {}
    for n in theirs:
        theirs_by_key.setdefault(n.lower().removesuffix("_total"), []).append(n)
    near = []
    for n in sorted(ours):
        if n in theirs:
            continue
        for t in theirs_by_key.get(n.lower().removesuffix("_total"), []):
            near.append(f"ours {n} vs node_exporter {t}")
    r.check("no family differs from node_exporter's only by _total or case", not near, "; ".join(near))

    for n in shared:
        o, t = ours[n], theirs[n]
        problems = []
        if o.type != t.type and not (t.type == "untyped" and o.type == "counter"):
            problems.append(f"type {o.type}, node_exporter {t.type}")
        if o.samples and t.samples and o.label_names != t.label_names:
            problems.append(f"labels {sorted(o.label_names)}, node_exporter {sorted(t.label_names)}")
        desc = f"{n}: {o.type}" + (f" (node_exporter {t.type})" if o.type != t.type else "") + \
            f", labels {{{','.join(sorted(o.label_names))}}}"
        if not (o.samples and t.samples):
            desc += f" [samples: ours {len(o.samples)}, node_exporter {len(t.samples)}; labels not compared]"
        r.check(f"family {desc}", not problems, "; ".join(problems))

    missing = sorted(set(theirs) - set(ours))
    node_missing = [n for n in missing if n.startswith("node_")]
    other_missing = [n for n in missing if not n.startswith("node_")]
    r.info(f"{len(node_missing)} node_* families node_exporter has and we don't:")
    for n in node_missing:
        print(f"    {n}")
    r.info(f"{len(other_missing)} other families node_exporter has and we don't (Go runtime, promhttp): "
           + " ".join(other_missing))
    only_ours = sorted(n for n in set(ours) - set(theirs) if n.startswith("node_"))
    if only_ours:
        r.info(f"{len(only_ours)} node_* families we have and node_exporter doesn't: " + " ".join(only_ours))


def compare_values(r, ours, theirs):
    a, b = single(ours, "node_memory_MemTotal_bytes"), single(theirs, "node_memory_MemTotal_bytes")
    r.check(f"node_memory_MemTotal_bytes equal ({a} vs node_exporter {b})", a is not None and a == b)

    a = set(values(ours, "node_cpu_seconds_total", "cpu"))
    b = set(values(theirs, "node_cpu_seconds_total", "cpu"))
    r.check(f"node_cpu_seconds_total cpu label values equal ({len(a)} vs node_exporter {len(b)})",
            bool(a) and a == b, f"only ours {sorted(a - b)}, only node_exporter's {sorted(b - a)}")

    a, b = single(ours, "node_boot_time_seconds"), single(theirs, "node_boot_time_seconds")
    r.check(f"node_boot_time_seconds within 1 s ({a} vs node_exporter {b})",
            a is not None and b is not None and abs(a - b) <= 1)

    a = values(ours, "node_filesystem_size_bytes", "mountpoint")
    b = values(theirs, "node_filesystem_size_bytes", "mountpoint")
    common = sorted(set(a) & set(b))
    r.check(f"node_filesystem_size_bytes: mounts in common ({len(common)}; ours {len(a)}, node_exporter {len(b)})",
            bool(common), f"ours {sorted(a)}, node_exporter {sorted(b)}")
    for m in common:
        r.check(f"node_filesystem_size_bytes{{mountpoint=\"{m}\"}} equal ({sorted(a[m])} vs node_exporter {sorted(b[m])})",
                sorted(a[m]) == sorted(b[m]))
    if set(b) - set(a):
        r.info(f"mounts only node_exporter reports: {sorted(set(b) - set(a))}")
    if set(a) - set(b):
        r.info(f"mounts only we report: {sorted(set(a) - set(b))}")

    for name in ("node_filefd_maximum", "node_processes_max_processes"):
        x, y = single(ours, name), single(theirs, name)
        r.check(f"{name} equal ({x} vs node_exporter {y})", x is not None and x == y)

    theirs_ok = {k: v[0] for k, v in values(theirs, "node_scrape_collector_success", "collector").items()}
    ours_ok = {k: v[0] for k, v in values(ours, "scalewatch_collector_success", "collector").items()}
    r.check(f"scalewatch_collector_success reported for every collector ({len(ours_ok)})",
            set(testlib.COLLECTORS) <= set(ours_ok), f"missing {sorted(set(testlib.COLLECTORS) - set(ours_ok))}")
    regressions = sorted(c for c in set(ours_ok) & set(theirs_ok) if theirs_ok[c] == 1 and ours_ok[c] != 1)
    r.check("collectors that succeed in node_exporter succeed here too", not regressions,
            f"failing here only: {regressions}")
    failing = sorted(c for c, v in ours_ok.items() if v != 1)
    if failing:
        r.info(f"collectors reporting failure: {failing} (node_exporter: "
               + ", ".join(f"{c}={theirs_ok.get(c, 'n/a')}" for c in failing) + ")")


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} BINARY")
    binary = testlib.executable(sys.argv[1])
    r = Results()
    procs = testlib.Processes()
    try:
        tmp = procs.tempdir("scalewatch-peer.")
        try:
            _, ne = testlib.start_node_exporter(procs, tmp)
            agent, base = testlib.start_agent(procs, binary, tmp)
        except RuntimeError as e:
            r.fail("start node_exporter and the agent", str(e))
            return r.finish()

        theirs_resp = testlib.http_get(ne + "/metrics")
        ours_resp = testlib.http_get(base + "/metrics")
        r.check(f"node_exporter /metrics: HTTP {theirs_resp.status}", theirs_resp.status == 200)
        r.check(f"agent /metrics: HTTP {ours_resp.status}", ours_resp.status == 200)
        ct = ours_resp.header("Content-Type")
        r.check(f"agent Content-Type is '{testlib.TEXT_CONTENT_TYPE}'", ct == testlib.TEXT_CONTENT_TYPE, f"got {ct!r}")
        try:
            theirs = testlib.parse_text(theirs_resp.body.decode("utf-8"))
        except ValueError as e:
            r.fail("node_exporter's output parses", str(e))
            return r.finish()
        try:
            ours = testlib.parse_text(ours_resp.body.decode("utf-8"))
            r.check("agent's output parses as text format 0.0.4", True)
        except (ValueError, UnicodeDecodeError) as e:
            r.fail("agent's output parses as text format 0.0.4", str(e))
            return r.finish()

        compare_families(r, ours, theirs)
        compare_values(r, ours, theirs)
        if agent.poll() is not None:
            r.fail(f"agent still running after the scrapes", f"exited with {agent.returncode}")
        if r.failed:
            print("--- agent log (tail):\n" + procs.log_tail(agent))
        return r.finish()
    finally:
        procs.close()


if __name__ == "__main__":
    sys.exit(main())
