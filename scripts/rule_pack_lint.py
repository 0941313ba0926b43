#!/usr/bin/env python3
"""rule_pack_lint.py - what the shipped rule pack promises, checked on its files.

Every alert in config/rules/*.yml:
  - has the labels stage (a stage of DESIGN.md's table, or "agent"), severity (warning or
    critical; "none" only for the Watchdog) and signature;
  - has the annotations summary, description and runbook_url, the last exactly
    '{{ $externalURL }}/runbooks/<alertname>';
  - has its runbook, docs/runbooks/<alertname>.md, and a row in docs/alerting.md;
  - has, in config/rules/tests/*.test.yml, a case where it fires and one where it does not
    (the Watchdog always fires).
No alert name is used twice and no runbook is left without its alert.
Prints one line per problem; exit 1 if there is any.
"""
import glob
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAGES = {"1-single-server", "2-database-split", "3-monitoring", "4-load-balanced", "5-cache-cdn",
          "6-queue-workers", "7-replicas-shards", "agent"}
ALWAYS_FIRING = {"Watchdog"}


def main():
    problems = []
    alerts = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "config/rules/*.yml"))):
        with open(path) as f:
            doc = yaml.safe_load(f)
        for group in doc.get("groups", []):
            for rule in group.get("rules", []):
                name = rule.get("alert")
                if name is None:
                    continue
                where = f"{os.path.relpath(path, ROOT)}: {name}"
                if name in alerts:
                    problems.append(f"{where}: also defined in {alerts[name]}")
                alerts[name] = os.path.relpath(path, ROOT)
                labels = rule.get("labels") or {}
                annotations = rule.get("annotations") or {}
                if labels.get("stage") not in STAGES:
                    problems.append(f"{where}: stage {labels.get('stage')!r} is not one of {sorted(STAGES)}")
                severities = {"none"} if name in ALWAYS_FIRING else {"warning", "critical"}
                if labels.get("severity") not in severities:
                    problems.append(f"{where}: severity {labels.get('severity')!r} is not one of {sorted(severities)}")
                if not labels.get("signature"):
                    problems.append(f"{where}: no signature label")
                for key in ("summary", "description"):
                    if not annotations.get(key):
                        problems.append(f"{where}: no {key} annotation")
                url = "{{ $externalURL }}/runbooks/" + name
                if annotations.get("runbook_url") != url:
                    problems.append(f"{where}: runbook_url is {annotations.get('runbook_url')!r}, expected {url!r}")
                if not os.path.isfile(os.path.join(ROOT, "docs/runbooks", name + ".md")):
                    problems.append(f"{where}: no docs/runbooks/{name}.md")

    if not alerts:
        problems.append("config/rules/*.yml defines no alert")
    for path in glob.glob(os.path.join(ROOT, "docs/runbooks/*.md")):
        name = os.path.basename(path)[:-3]
        if name not in alerts:
            problems.append(f"docs/runbooks/{name}.md: no alert of that name in config/rules")

    with open(os.path.join(ROOT, "docs/alerting.md")) as f:
        alerting = f.read()
    for name in alerts:
        if f"[{name}](runbooks/{name}.md)" not in alerting:
            problems.append(f"docs/alerting.md: no row links [{name}](runbooks/{name}.md)")

    firing, quiet = set(), set()
    for path in glob.glob(os.path.join(ROOT, "config/rules/tests/*.test.yml")):
        with open(path) as f:
            doc = yaml.safe_load(f)
        for test in doc.get("tests", []):
            for case in test.get("alert_rule_test", []) or []:
                (firing if case.get("exp_alerts") else quiet).add(case.get("alertname"))
    for name in alerts:
        if name not in firing:
            problems.append(f"{name}: no test case where it fires")
        if name not in quiet and name not in ALWAYS_FIRING:
            problems.append(f"{name}: no test case where it does not fire")

    for p in problems:
        print(p)
    print(f"{len(alerts)} alerts, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
