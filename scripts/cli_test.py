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
          out.returncode == 1 and f"FAILED: {bad}:2:3: unknown key \"gpu\" in collectors" in out.stderr, out)

    out = run("agent", "--config", bad, "--data-dir", os.path.join(tmp, "data"))
    check("agent refuses to start on a bad config",
          out.returncode == 2 and f"{bad}:2:3: unknown key \"gpu\"" in out.stderr, out)

    out = run("agent", "--listen-address", "nonsense")
    check("agent refuses a bad --listen-address", out.returncode != 0 and "--listen-address" in out.stderr, out)

    several = os.path.join(tmp, "several.yml")
    with open(several, "w") as f:
        f.write("collectors:\n  gpu: true\n  timex: maybe\nstorage: {retention_time: 1s}\ndata_dir: /tmp/x\n")
    out = run("check", "config", several)
    check("check config reports every mistake of a file, one per line, in file order",
          out.returncode == 1 and out.stderr.count(several + ":") == 3
          and out.stderr.index(":2:3:") < out.stderr.index(":3:10:") < out.stderr.index(":4:27:"), out)

    literal = os.path.join(tmp, "literal.yml")
    with open(literal, "w") as f:
        f.write("rule_files: [rules/*.yml, rules/backup.yml]\n")
    out = run("check", "config", literal)
    check("check config refuses a rule_files path without wildcards that does not exist",
          out.returncode == 1 and f"rule_files: {tmp}/rules/backup.yml does not exist" in out.stderr, out)

    out = run("check", "config", os.path.join(tmp, "missing.yml"))
    check("check config names a missing file", out.returncode == 1 and "missing.yml" in out.stderr, out)

SAMPLE_OM = """# TYPE node_load1 gauge
node_load1{instance="h:9100",job="node"} 0.5 1764380033.123
node_load1{instance="h:9100",job="node"} 1.25 1764380034.123
# TYPE pg_up unknown
pg_up{datname="a \\"b\\""} 1 1764380033.000
# EOF
"""

with tempfile.TemporaryDirectory() as tmp:
    source = os.path.join(tmp, "in.om")
    with open(source, "w") as f:
        f.write(SAMPLE_OM)
    first, second = os.path.join(tmp, "first"), os.path.join(tmp, "second")
    out = run("import", "openmetrics", source, "--data-dir", first)
    check("import openmetrics writes a block", out.returncode == 0 and "imported 3 samples of 2 series into 1 blocks" in out.stdout, out)
    exported = run("export", "--data-dir", first)
    check("export writes OpenMetrics ending in # EOF", exported.returncode == 0 and exported.stdout.endswith("# EOF\n"), exported)
    again = os.path.join(tmp, "again.om")
    with open(again, "w") as f:
        f.write(exported.stdout)
    out = run("import", "openmetrics", again, "--data-dir", second)
    check("the export imports again", out.returncode == 0, out)
    check("import -> export -> import -> export is stable",
          run("export", "--data-dir", second).stdout == exported.stdout)
    selected = run("export", "--data-dir", first, "--match", "node_load1", "--start", "1764380034", "--end", "2025-12-29T00:00:00Z")
    check("export --match --start --end selects", selected.stdout.count("node_load1{") == 1 and "pg_up" not in selected.stdout, selected)
    stats = run("tsdb", "stats", "--data-dir", first)
    check("tsdb stats counts series and samples", "series           2" in stats.stdout and "samples          3" in stats.stdout, stats)
    bad = os.path.join(tmp, "bad.om")
    with open(bad, "w") as f:
        f.write("up 1 1\nup 2 x\n# EOF\n")
    out = run("import", "openmetrics", bad, "--data-dir", os.path.join(tmp, "third"))
    check("a bad import names file, line and column and writes no block",
          out.returncode == 1 and f"{bad}:2:6: expected a timestamp" in out.stderr
          and not [n for n in os.listdir(os.path.join(tmp, "third")) if n not in ("lock", "wal")], out)
    out = run("export", "--data-dir", first, "--match", "{a=\"\"}")
    check("export refuses a selector matching everything", out.returncode != 0 and "at least one non-empty matcher" in out.stderr, out)
    out = run("query", "vector(1)", "--data-dir", first, "--time", "-1")
    check("a time before 1970 follows its flag: --time -1", out.returncode == 0 and out.stdout.strip().endswith("1"), out)
    out = run("query", "vector(1)", "--data-dir", first, "--start", "-10", "--end", "-1", "--step", "1s")
    check("range bounds before 1970: --start -10 --end -1, printed as RFC 3339",
          out.returncode == 0 and "1969-12-31T23:59:50Z" in out.stdout, out)
    config = os.path.join(tmp, "agent.yml")
    with open(config, "w") as f:
        f.write(f"data_dir: {first}\n")
    out = run("tsdb", "stats", "--config", config)
    check("without --data-dir, the data_dir of --config is read", out.returncode == 0 and "series           2" in out.stdout, out)
    out = run("query", "node_load1", "--config", config, "--time", "1764380040")
    check("query finds the store through --config", out.returncode == 0 and "node_load1" in out.stdout, out)
    out = run("query", "vector(1)", "--config", os.path.join(tmp, "nope.yml"))
    check("a missing --config is named without a position, exit 1",
          out.returncode == 1 and f"{os.path.join(tmp, 'nope.yml')}: cannot read the config file" in out.stderr, out)
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty)
    out = run("query", "vector(1)", "--data-dir", empty)
    check("a directory that is no store is said to be one, exit 1",
          out.returncode == 1 and "not a scalewatch data directory" in out.stderr, out)
    for name, args, error in [
        ("a year at 1 ms", ["vector(1)", "--start", "0", "--end", "31536000", "--step", "1ms"], "exceeded maximum resolution of 11,000 points"),
        ("a subquery of a year at 1 ms", ["max_over_time(node_load1[1y:1ms])"], "too many samples"),
        ("10,000 + terms", ["+".join(["1"] * 10_000)], "nests more than 256 levels"),
        ("20,000 parentheses", ["(" * 20_000 + "1" + ")" * 20_000], "nests more than 256 levels"),
        ("--time 1e30", ["vector(1)", "--time", "1e30"], "--time"),
    ]:
        out = run("query", *args, "--data-dir", first)
        # 1 for what the query itself refuses, 64 (EX_USAGE) for an argument refused up front.
        check(f"query refuses {name} with an error and exit 1 or 64, no crash",
              out.returncode in (1, 64) and error in out.stderr and "Backtrace" not in out.stderr, out.stderr[-300:])

print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
