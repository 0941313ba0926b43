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
    the agent (scalewatch_collector_success);
  - every node_* family node_exporter exports here is exported by the agent too (not a chosen
    subset); only node_exporter's own node_scrape_collector_* and node_exporter_build_info are
    exempt (scalewatch_collector_* stand for them). Each missing family is a failure;
  - the textfile collector: both read the same directory, with a good file (a gauge, a counter
    with labels, an untyped family without HELP), a second good file, and a malformed file.
    Both report the good files' families with the same types, label names and values, leave out
    the malformed file's, report node_textfile_scrape_error 1 and node_textfile_mtime_seconds for
    the same files with the same values.
Standard library only. Needs: prometheus-node-exporter (Debian). Ends with "N passed, N failed".
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402


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


# node_exporter's self-reporting; scalewatch_collector_success/duration stand for them.
EXEMPT_PREFIXES = ("node_scrape_collector_",)
EXEMPT = {"node_exporter_build_info"}

# Collectors the agent must report success for, beyond testlib's base list.
NEW_COLLECTORS = ["arp", "conntrack", "entropy", "netclass", "os", "selinux", "softnet", "udp_queues", "textfile",
                  "schedstat", "cpufreq", "thermal_zone", "dmi", "edac", "rapl", "powersupplyclass", "hwmon",
                  "bonding", "mdadm", "nvme", "bcache", "btrfs", "xfs", "zfs",
                  "fibrechannel", "infiniband", "ipvs", "nfs", "nfsd", "tapestats"]

TEXTFILES = {
    "backup.prom": """# HELP backup_last_success_timestamp_seconds When the backup last succeeded.
# TYPE backup_last_success_timestamp_seconds gauge
backup_last_success_timestamp_seconds{db="main"} 1.7e+09
backup_last_success_timestamp_seconds{db="logs"} 1.6e+09
# HELP backup_runs_total Backup runs by result.
# TYPE backup_runs_total counter
backup_runs_total{result="ok"} 12
backup_runs_total{result="failed"} 1
""",
    "cleanup.prom": "cleanup_files_removed{dir=\"/tmp\"} 42\n",
    "broken.prom": "# TYPE broken_metric gauge\nbroken_metric{a=\"b\" 1\n",
}
GOOD_TEXTFILE_FAMILIES = ["backup_last_success_timestamp_seconds", "backup_runs_total", "cleanup_files_removed"]


def write_textfiles(directory):
    os.makedirs(directory, exist_ok=True)
    for name, text in TEXTFILES.items():
        with open(os.path.join(directory, name), "w") as f:
            f.write(text)
    # Not a .prom file: read by neither.
    with open(os.path.join(directory, "backup.prom.tmp"), "w") as f:
        f.write("half_written_metric 1\n")


def exempt(name):
    return name in EXEMPT or name.startswith(EXEMPT_PREFIXES)


def compare_textfile(r, ours, theirs, directory):
    for name in GOOD_TEXTFILE_FAMILIES:
        o, t = ours.get(name), theirs.get(name)
        if o is None or t is None:
            r.fail(f"textfile family {name} in both", f"ours {o}, node_exporter {t}")
            continue
        a, b = values(ours, name), values(theirs, name)
        r.check(f"textfile family {name}: type {o.type}, same labels and values as node_exporter's",
                o.type == t.type and o.label_names == t.label_names and a == b,
                f"type {o.type} vs {t.type}; labels {sorted(o.label_names)} vs {sorted(t.label_names)}; values {a} vs {b}")
    for name in ("broken_metric", "half_written_metric"):
        r.check(f"textfile: {name} (malformed or not .prom) left out by both", name not in ours and name not in theirs,
                f"ours {name in ours}, node_exporter {name in theirs}")
    a, b = single(ours, "node_textfile_scrape_error"), single(theirs, "node_textfile_scrape_error")
    r.check(f"node_textfile_scrape_error 1 in both ({a} vs node_exporter {b})", a == 1 and b == 1)
    a = {k: v for k, v in values(ours, "node_textfile_mtime_seconds", "file").items()}
    b = {k: v for k, v in values(theirs, "node_textfile_mtime_seconds", "file").items()}
    good = {os.path.join(directory, n) for n in TEXTFILES if n != "broken.prom"}
    r.check(f"node_textfile_mtime_seconds: the same files and times ({sorted(a)})", a == b and set(a) == good,
            f"ours {a}, node_exporter {b}")


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
    node_missing = [n for n in missing if n.startswith("node_") and not exempt(n)]
    other_missing = [n for n in missing if not n.startswith("node_")]
    theirs_node = [n for n in theirs if n.startswith("node_") and not exempt(n)]
    r.check(f"every node_* family node_exporter exports here ({len(theirs_node)}) is exported by the agent",
            not node_missing, f"{len(node_missing)} missing: " + " ".join(node_missing))
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
            set(testlib.COLLECTORS + NEW_COLLECTORS) <= set(ours_ok),
            f"missing {sorted(set(testlib.COLLECTORS + NEW_COLLECTORS) - set(ours_ok))}")
    regressions = sorted(c for c in set(ours_ok) & set(theirs_ok) if theirs_ok[c] == 1 and ours_ok[c] != 1)
    r.check("collectors that succeed in node_exporter succeed here too", not regressions,
            f"failing here only: {regressions}")
    failing = sorted(c for c, v in ours_ok.items() if v != 1)
    if failing:
        r.info(f"collectors reporting failure: {failing} (node_exporter: "
               + ", ".join(f"{c}={theirs_ok.get(c, 'n/a')}" for c in failing) + ")")


def run(binary, tmp, procs, r):
    try:
        textfiles = os.path.join(tmp, "textfile")
        write_textfiles(textfiles)
        _, ne = testlib.start_node_exporter(
            procs, tmp, extra=("--collector.processes", f"--collector.textfile.directory={textfiles}"))
        agent, base = testlib.start_agent(
            procs, binary, tmp, collector_options={"textfile": {"directory": textfiles}})
    except RuntimeError as e:
        r.fail("start node_exporter and the agent", str(e))
        return

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
        return
    try:
        ours = testlib.parse_text(ours_resp.body.decode("utf-8"))
        r.check("agent's output parses as text format 0.0.4", True)
    except (ValueError, UnicodeDecodeError) as e:
        r.fail("agent's output parses as text format 0.0.4", str(e))
        return

    compare_families(r, ours, theirs)
    compare_values(r, ours, theirs)
    compare_textfile(r, ours, theirs, textfiles)
    if agent.poll() is not None:
        r.fail(f"agent still running after the scrapes", f"exited with {agent.returncode}")
    if r.failed:
        print("--- agent log (tail):\n" + procs.log_tail(agent))


if __name__ == "__main__":
    sys.exit(testlib.run_test(run, "scalewatch-peer."))
