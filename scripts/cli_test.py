#!/usr/bin/env python3
"""The CLI's contract: --version, `check config` exit codes and messages, and `agent`
refusing a bad config with file:line:column before it binds anything."""
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=30)


out = run("--version")
check("--version prints a version", out.returncode == 0 and out.stdout.strip().count(".") == 2, out)

out = run("check", "config", os.path.join(ROOT, "config/agent.yml"))
check("check config accepts the example", out.returncode == 0 and "SUCCESS" in out.stdout, out)

with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "bad.yml")
    with open(bad, "w") as f:
        f.write("collectors:\n  gpu: true\n")
    out = run("check", "config", bad)
    check("check config refuses an unknown collector with file:line:column",
          out.returncode == 1 and f"FAILED: {bad}:2:3: unknown key 'gpu' in collectors" in out.stderr, out)

    out = run("agent", "--config", bad, "--data-dir", os.path.join(tmp, "data"))
    check("agent refuses to start on a bad config",
          out.returncode == 2 and f"{bad}:2:3: unknown key 'gpu'" in out.stderr, out)

    out = run("agent", "--listen-address", "nonsense")
    check("agent refuses a bad --listen-address", out.returncode != 0 and "--listen-address" in out.stderr, out)

    out = run("check", "config", os.path.join(tmp, "missing.yml"))
    check("check config names a missing file", out.returncode == 1 and "missing.yml" in out.stderr, out)

print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
