#!/usr/bin/env python3
"""Replays issue 10's findings against the built binary and prints `input → expected → outcome`.

Every input that once crashed, hung or starved the agent: configs and rule files that the checks
accepted and the agent died on, CLI arguments, alias bombs, catastrophic regexes, bad and
oversized HTTP requests, idle and trickling connections, SIGHUP with bad configs and a new
address, SIGTERM (twice) while a collector is blocked on a FIFO, a 10 MB config value. Exits 1
if any outcome is a crash (a signal), a hang (a time limit) or not what is expected. Starts the
agent on a loopback port with a temporary data directory. Usage: probe_agent.py BINARY"""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BIN = os.path.realpath(sys.argv[1])
ROWS = []            # (input, expected, outcome, ok)
LOCK = threading.Lock()


def row(what, expected, outcome, ok):
    with LOCK:
        ROWS.append((what, expected, outcome, ok))


def short(text, width=90):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def cli(*args, timeout=20):
    """(returncode or 'hang', stderr + stdout, seconds)."""
    started = time.monotonic()
    try:
        out = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout,
                             errors="replace")
    except subprocess.TimeoutExpired:
        return "hang", "", time.monotonic() - started
    return out.returncode, (out.stderr + out.stdout), time.monotonic() - started


def describe(code, text, seconds):
    if code == "hang":
        return f"HANG after {seconds:.0f} s"
    if isinstance(code, int) and code < 0:
        return f"CRASH {signal.Signals(-code).name} in {seconds:.1f} s"
    return f"exit {code} in {seconds:.2f} s: {short(text.strip().splitlines()[0] if text.strip() else '')}"


def expect_refusal(what, args, needle, codes=(1, 64), limit=5.0, max_bytes=2000):
    """A one-line error naming `needle`, fast, no crash, no backtrace, a short message."""
    code, text, seconds = cli(*args)
    ok = (code in codes and needle in text and "Backtrace" not in text and seconds < limit
          and len(text) < max_bytes)
    row(what, f"exit {'/'.join(map(str, codes))}, '{needle}', < {limit:.0f} s", describe(code, text, seconds), ok)


def expect_success(what, args, needle="", limit=5.0):
    code, text, seconds = cli(*args)
    ok = code == 0 and needle in text and seconds < limit
    row(what, f"exit 0{', ' + repr(needle) if needle else ''}, < {limit:.0f} s", describe(code, text, seconds), ok)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def laughs(levels=9, key_alias=True):
    text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in range(1, levels):
        text += f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]\n"
    return text + (f"? *l{levels - 1}\n: x\n" if key_alias else "")


def rule_file(expr):
    return f"groups:\n  - name: probe\n    rules:\n      - record: probe:value\n        expr: '{expr}'\n"


# ---------------------------------------------------------------- the agent under probe

class Agent:
    def __init__(self, procs, directory, extra="", flags=()):
        self.procs, self.directory = procs, directory
        self.port = testlib.free_port()
        self.data = os.path.join(directory, "data")
        self.config = os.path.join(directory, "agent.yml")
        self.log = os.path.join(directory, "agent.log")
        self.write_config(extra)
        self.proc = procs.start("scalewatch", [BIN, "agent", "--config", self.config, *flags], self.log)
        testlib.wait_http(self.url("/metrics"), self.proc)

    def write_config(self, extra="", port=None):
        interval = "" if "collection_interval" in extra else "collection_interval: 1s\n"
        write(self.config, f'listen_address: "127.0.0.1:{port or self.port}"\ndata_dir: "{self.data}"\n'
                           f"{interval}scrape_max_age: 0s\nweb:\n  max_connections: 50\n{extra}")

    def url(self, path, port=None):
        return f"http://127.0.0.1:{port or self.port}{path}"

    def metrics(self, port=None):
        started = time.monotonic()
        status, _, body = testlib.http_get(self.url("/metrics", port), timeout=10)
        return status, body.decode(), time.monotonic() - started

    def value(self, name, labels=""):
        _, text, _ = self.metrics()
        for line in text.splitlines():
            if line.startswith(name + labels + " "):
                return float(line.split()[-1])
        return None

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def hangup(self, extra, port=None, wait=1.5):
        self.write_config(extra, port)
        before = self.log_text().count("config reload")
        started = time.monotonic()
        os.kill(self.proc.pid, signal.SIGHUP)
        while time.monotonic() - started < 20 and self.log_text().count("config reload") == before:
            time.sleep(0.05)
        return time.monotonic() - started


def sighup_cases(agent):
    base_port = agent.port
    for what, extra in [
        ("SIGHUP: collectors.filesystem.stat_timeout: 300y", "collectors:\n  filesystem:\n    stat_timeout: 300y\n"),
        ("SIGHUP: collection_interval: 292471208y52w", "collection_interval: 292471208y52w\n"),
        ("SIGHUP: a 366-byte alias bomb", laughs()),
        ("SIGHUP: rule file with abs( nested 5,000 deep", "rule_files: [deep.yml]\n"),
    ]:
        seconds = agent.hangup(extra)
        alive = agent.proc.poll() is None
        successful = agent.value("scalewatch_config_last_reload_successful") if alive else None
        ok = alive and successful == 0 and seconds < 5
        row(what, "refused in < 5 s, old config serving", f"alive={alive}, reload_successful={successful}, "
            f"{seconds:.2f} s", ok)

    agent.hangup("collectors:\n  vmstat:\n    fields: '^(.*)*X$'\n")
    _, text, seconds = agent.metrics()
    ok = agent.value("scalewatch_config_last_reload_successful") == 1 and seconds < 2
    row("SIGHUP: collectors.vmstat.fields: '^(.*)*X$'", "applied; /metrics < 2 s (RE2, linear)",
        f"/metrics in {seconds:.2f} s", ok)

    # Accepted by check rules as by the agent; each evaluation is refused, nothing is allocated.
    write(os.path.join(agent.directory, "sub.yml"), rule_file("max_over_time(node_load1[1y:1ms])"))
    agent.hangup("evaluation_interval: 1s\nrule_files: [sub.yml]\n")
    time.sleep(2.5)
    _, text, seconds = agent.metrics()
    failures = sum(float(line.split()[-1]) for line in text.splitlines()
                   if line.startswith("scalewatch_rule_evaluation_failures_total"))
    ok = (agent.proc.poll() is None and agent.value("scalewatch_config_last_reload_successful") == 1
          and failures >= 1 and seconds < 2)
    row("SIGHUP: a rule max_over_time(node_load1[1y:1ms])", "loaded; evaluations refused (counted), agent serving",
        f"{failures:.0f} failed evaluations, /metrics in {seconds:.2f} s", ok)

    new_port = testlib.free_port()
    agent.hangup("", port=new_port)
    try:
        status, _, _ = agent.metrics(new_port)
    except OSError as e:
        status = repr(e)
    try:
        agent.metrics(base_port)
        old_closed = False
    except OSError:
        old_closed = True
    row("SIGHUP: listen_address changed", "new address serves, old one closed",
        f"new: {status}, old closed: {old_closed}", status == 200 and old_closed)
    agent.port = new_port
    agent.hangup("")


def http_cases(agent):
    def raw(request, read_for=2.0):
        s = socket.create_connection(("127.0.0.1", agent.port), timeout=read_for)
        s.sendall(request)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        s.close()
        return data

    before400 = agent.value("scalewatch_http_requests_total", '{code="400",handler="other"}') or 0
    answer = raw(b"GARBAGE\r\n\r\n")
    answer_big = raw(b"GET /metrics?" + b"a" * (70 << 10) + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    after400 = agent.value("scalewatch_http_requests_total", '{code="400",handler="other"}') or 0
    row("HTTP: a malformed head and a 70 KiB URI", "400 each, counted in scalewatch_http_requests_total",
        f"{short(answer[:12])} / {short(answer_big[:12])}, counted {after400 - before400:.0f}",
        answer.startswith(b"HTTP/1.1 400") and answer_big.startswith(b"HTTP/1.1 400") and after400 - before400 == 2)

    body = b"a" * ((1 << 20) + 1)
    answer = raw(b"POST /-/reload HTTP/1.1\r\nHost: x\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
    counted = agent.value("scalewatch_http_requests_total", '{code="413",handler="/-/reload"}') or 0
    row("HTTP: a 1 MiB + 1 body", "413, counted", f"{short(answer[:12])}, counted {counted:.0f}",
        answer.startswith(b"HTTP/1.1 413") and counted == 1)

    # Idle connections: six times the limit; /metrics still answers at once.
    sockets = []
    for _ in range(300):
        try:
            sockets.append(socket.create_connection(("127.0.0.1", agent.port), timeout=2))
        except OSError:
            pass
    _, text, seconds = agent.metrics()
    held = agent.value("scalewatch_http_connections")
    for s in sockets:
        s.close()
    row("HTTP: 300 idle connections, max_connections: 50", "/metrics < 1 s, at most 50 held",
        f"/metrics in {seconds:.2f} s, {held:.0f} held", seconds < 1 and held is not None and held <= 50)


def slowloris(agent, results):
    s = socket.create_connection(("127.0.0.1", agent.port))
    cut = testlib.trickle(s, b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 30, every=2, poll=0.2)
    s.close()
    results.append(cut)


def stuck_stop(procs):
    """A collector blocked on a FIFO standing in for /proc/loadavg; SIGTERM, then SIGINT."""
    directory = procs.tempdir()
    proc_dir = os.path.join(directory, "proc")
    os.makedirs(proc_dir)
    os.mkfifo(os.path.join(proc_dir, "loadavg"))
    agent_dir = procs.tempdir()
    port = testlib.free_port()
    config = write(os.path.join(agent_dir, "agent.yml"),
                   f'listen_address: "127.0.0.1:{port}"\ndata_dir: "{agent_dir}/data"\ncollection_interval: 1s\n'
                   f"collector_timeout: 500ms\npaths:\n  procfs: {proc_dir}\n")
    log = os.path.join(agent_dir, "agent.log")
    proc = procs.start("scalewatch", [BIN, "agent", "--config", config], log)
    try:
        testlib.wait_port(port, proc, timeout=20)
    except RuntimeError as e:
        row("SIGTERM, then SIGINT, with a collector blocked on a FIFO", "exit 0 in < 10 s, naming loadavg",
            f"did not start: {short(e)}", False)
        return
    time.sleep(2)
    started = time.monotonic()
    os.kill(proc.pid, signal.SIGTERM)
    time.sleep(0.5)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGINT)
    try:
        code = proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        code = "hang"
    seconds = time.monotonic() - started
    with open(log, errors="replace") as f:
        text = f.read()
    named = "loadavg" in "".join(line for line in text.splitlines() if "stuck" in line)
    row("SIGTERM, then SIGINT, with a collector blocked on a FIFO", "exit 0 in < 10 s, naming loadavg",
        f"exit {code} in {seconds:.1f} s, named: {named}", code == 0 and seconds < 10 and named)


def main():
    procs = testlib.Processes()
    try:
        tmp = procs.tempdir()
        data = os.path.join(tmp, "cli-data")
        om = write(os.path.join(tmp, "in.om"), "# TYPE node_load1 gauge\n" + "".join(
            f'node_load1{{v="{"a" * 40}"}} {i} {1_700_000_000 + i * 10}\n' for i in range(30)) + "# EOF\n")
        code, text, _ = cli("import", "openmetrics", om, "--data-dir", data)
        if code != 0:
            row("setup: import", "exit 0", describe(code, text, 0), False)

        # Configs that the checks once accepted and the agent died on, and check config's own crashes.
        for what, yaml, needle in [
            ("check config: collectors.filesystem.stat_timeout: 300y",
             "collectors:\n  filesystem:\n    stat_timeout: 300y\n", "stat_timeout must be"),
            ("check config: collection_interval: 292471208y52w", "collection_interval: 292471208y52w\n",
             "collection_interval must be"),
            ("check config: collector_timeout: 292471208y52w", "collector_timeout: 292471208y52w\n",
             "collector_timeout must be"),
            ("check config: scrape_max_age: 300000000000h", "scrape_max_age: 300000000000h\n", "scrape_max_age must be"),
            ("check config: a 366-byte alias bomb", laughs(), "aliases expand to more than"),
            ("check config: web.max_connections: 0", "web:\n  max_connections: 0\n", "web.max_connections must be"),
        ]:
            path = write(os.path.join(tmp, "bad.yml"), yaml)
            expect_refusal(what, ["check", "config", path], needle, codes=(1,))
            if "bomb" in what or "stat_timeout" in what:
                expect_refusal(what.replace("check config", "agent start"),
                               ["agent", "--config", path, "--data-dir", os.path.join(tmp, "d"),
                                "--listen-address", "127.0.0.1:0"], needle.split(" ")[0], codes=(1, 2))
        path = write(os.path.join(tmp, "re.yml"), "collectors:\n  vmstat:\n    fields: '^(.*)*X$'\n")
        expect_success("check config: collectors.vmstat.fields: '^(.*)*X$'", ["check", "config", path], "SUCCESS")
        path = write(os.path.join(tmp, "big.yml"), "data_dir: /tmp/" + "a" * 10_000_000 + "\n")
        expect_refusal("agent start: a 10 MB data_dir", ["agent", "--config", path, "--listen-address", "127.0.0.1:0"],
                       "data directory", codes=(1, 2), max_bytes=2000)

        # Rule files: check rules refuses what the agent would refuse, fast.
        deep = write(os.path.join(tmp, "deep.yml"), rule_file("abs(" * 5000 + "node_load1" + ")" * 5000))
        for what, path, needle in [
            ("check rules: abs( nested 5,000 deep", deep, "nests more than 256"),
            ("check rules: node_load1 offset -292471208y",
             write(os.path.join(tmp, "off.yml"), rule_file("node_load1 offset -292471208y")), "out of range"),
            ("check rules: a 366-byte alias bomb", write(os.path.join(tmp, "bomb.yml"), laughs()), "aliases expand"),
            ("check rules: 10,000 + terms", write(os.path.join(tmp, "plus.yml"), rule_file("+".join(["1"] * 10_000))),
             "nests more than 256"),
        ]:
            expect_refusal(what, ["check", "rules", path], needle, codes=(1,))
        expect_refusal("test rules: a 366-byte alias bomb", ["test", "rules", os.path.join(tmp, "bomb.yml")],
                       "aliases expand", codes=(1,))
        sub = write(os.path.join(tmp, "sub.yml"), rule_file("max_over_time(node_load1[1y:1ms])"))
        expect_success("check rules: max_over_time(node_load1[1y:1ms])", ["check", "rules", sub], "SUCCESS")

        # The CLI's crash list.
        for what, args, needle in [
            ("query --time 1e30", ["query", "vector(1)", "--time", "1e30"], "--time"),
            ("query --time 1e19", ["query", "vector(1)", "--time", "1e19"], "--time"),
            ("query --time=-1e30", ["query", "vector(1)", "--time=-1e30"], "--time"),
            ("export --start=1e30", ["export", "--start=1e30"], "--start"),
            ("export --end=1e30", ["export", "--end=1e30"], "--end"),
            ("query --start T-1y --end T --step 1ms",
             ["query", "vector(1)", "--start", "0", "--end", "31536000", "--step", "1ms"], "11,000 points"),
            ("query max_over_time(node_load1[1y:1ms])", ["query", "max_over_time(node_load1[1y:1ms])"], "too many samples"),
            ("query with 20,000 nested parentheses", ["query", "(" * 20_000 + "1" + ")" * 20_000], "nests more than 256"),
            ("query with 10,000 + terms", ["query", "+".join(["1"] * 10_000)], "nests more than 256"),
            ("query 2^ × 30,000", ["query", "2^" * 30_000 + "2"], "nests more than 256"),
            ("query --data-dir pointing at a file", ["query", "vector(1)", "--data-dir-file"], "not a"),
            ("query --data-dir /proc", ["query", "up", "--data-dir", "/proc"], "/proc"),
        ]:
            if "--data-dir-file" in args:
                args = ["query", "vector(1)", "--data-dir", om]
            elif "--data-dir" not in args:
                args = args + ["--data-dir", data]
            expect_refusal(what, args, needle)
        expect_success("query vector(1) --time -1", ["query", "vector(1)", "--time", "-1", "--data-dir", data])
        for what, args in [
            ("query {v=~\"(a*)*b\"} over 40-character values",
             ["query", 'count(node_load1{v=~"(a*)*b"})', "--data-dir", data, "--time", "1700000100"]),
            ("export --match {v=~\"(a*)*b\"}", ["export", "--data-dir", data, "--match", 'node_load1{v=~"(a*)*b"}']),
        ]:
            expect_success(what, args, limit=2)

        # The running agent.
        agent = Agent(procs, procs.tempdir())
        write(os.path.join(agent.directory, "deep.yml"), rule_file("abs(" * 5000 + "node_load1" + ")" * 5000))
        zero_dir = procs.tempdir()
        zero = procs.start("scalewatch", [BIN, "agent", "--listen-address", "127.0.0.1:0", "--data-dir",
                                          os.path.join(zero_dir, "data")], os.path.join(zero_dir, "agent.log"))
        deadline = time.monotonic() + 20
        text = ""
        while time.monotonic() < deadline and "agent started" not in text:
            time.sleep(0.1)
            with open(os.path.join(zero_dir, "agent.log"), errors="replace") as f:
                text = f.read()
        started_line = next((line for line in text.splitlines() if "agent started" in line), "")
        ok = "listen_address=127.0.0.1:" in started_line and "listen_address=127.0.0.1:0 " not in started_line
        row("agent --listen-address 127.0.0.1:0", "logs the bound port",
            short(started_line[started_line.find("listen_address"):], 40) or "no start line", ok)
        procs.stop(zero)

        http_cases(agent)
        sighup_cases(agent)
        # After the idle flood (which would evict it) and the address change (which closes it);
        # the stuck-stop probe runs meanwhile on an agent of its own.
        cut = []
        loris = threading.Thread(target=slowloris, args=(agent, cut))
        loris.start()
        stuck_stop(procs)
        loris.join(timeout=40)
        row("HTTP: a request head, one byte every 2 s", "closed after 15 s (read timeout)",
            f"closed after {cut[0]:.1f} s" if cut and cut[0] else "not closed", bool(cut and cut[0] and cut[0] < 20))
        alive = agent.proc.poll() is None
        started = time.monotonic()
        code = procs.stop(agent.proc, timeout=15)
        row("the probed agent after all of the above", "alive; SIGTERM → exit 0",
            f"alive={alive}, exit {code} in {time.monotonic() - started:.1f} s", alive and code == 0)
    except Exception as e:  # a broken probe is a failure with its reason, not a traceback alone
        row("probe", "runs to the end", short(repr(e), 200), False)
    finally:
        procs.close()

    widths = [max(len(r[i]) for r in ROWS) for i in range(3)]
    widths = [min(w, 70) for w in widths]
    print(f"{'input':{widths[0]}} → {'expected':{widths[1]}} → outcome")
    for what, expected, outcome, ok in ROWS:
        print(f"{short(what, 70):{widths[0]}} → {short(expected, 70):{widths[1]}} → {'' if ok else 'WRONG: '}{outcome}")
    failed = sum(1 for r in ROWS if not r[3])
    print(f"{len(ROWS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
