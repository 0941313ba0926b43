"""testlib.py - helpers shared by the end-to-end test scripts (standard library only).

- free_port(): a loopback port the kernel says is free (bind to port 0).
- Processes: starts servers in their own session, logs to files, stops every one of them by
  PID (SIGTERM, then SIGKILL) on close, at exit, and on SIGTERM/SIGINT/SIGHUP.
- postgres_workdir(): the temp dir a throwaway PostgreSQL cluster lives in (root only).
- wait_port() / wait_http(): readiness, failing fast when the process has died.
- poll(): a function called until it returns something, or time runs out.
- trickle(), peer_closed(): a slowloris client's request, a byte at a time, until the server
  cuts it; whether the server has closed a connection.
- http_get(): a GET that returns status, headers and raw body (no automatic decompression).
- parse_text(): a small Prometheus text-format 0.0.4 parser (families, types, samples).
- Results: PASS/FAIL lines and the closing "N passed, N failed" line.
- write_agent_config(): a temp agent.yml with every collector enabled.
- run_test(): a test script's main(): the binary, a temp dir, processes stopped after.
- Upstream, Nginx, run_in_threads(): a real nginx on loopback in front of an app in this
  process that answers slowly, with errors or not before the proxy gives up; requests sent
  N at a time.

Also a command line for the shell scripts:
  python3 testlib.py free-port [N]          print N free loopback ports, one a line
  python3 testlib.py om-span FILE           print the first and last sample time of an
      OpenMetrics file with timestamps on every sample (the benchmark dataset), in seconds
  python3 testlib.py accept-proxy --listen HOST:PORT --target URL --accept VALUE
      a reverse proxy that forwards GETs to URL's host with the Accept header replaced
      (to make a Prometheus scrape one target in the text format); logs each response's
      Content-Type to stderr.
"""
import argparse
import atexit
import gzip
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

COLLECTORS = ["cpu", "stat", "meminfo", "vmstat", "loadavg", "pressure", "filefd", "processes",
              "diskstats", "netdev", "netstat", "sockstat", "filesystem", "timex", "time", "uname"]

# The agent's defaults, which follow node_exporter's: `processes` is off unless asked for.
DEFAULT_COLLECTORS = [c for c in COLLECTORS if c != "processes"]

TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"
# What Prometheus 2.42 sends when it scrapes (scrape/scrape.go, acceptHeader).
PROMETHEUS_ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
                     "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")


# ---------------------------------------------------------------- ports and processes

def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Every process started through here is stopped by PID on close() and at interpreter exit;
    SIGTERM, SIGINT and SIGHUP turn into SystemExit so that both run. Temp dirs registered here
    are removed on close()."""

    def __init__(self):
        self.procs = []          # (name, Popen, log path)
        self.dirs = []
        self.closed = False
        atexit.register(self.close)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame):
        # Only unwind here: the caller's `finally: procs.close()` (or atexit) stops the processes
        # outside the handler, where no Popen lock is held by the interrupted code.
        raise SystemExit(128 + signum)

    def tempdir(self, prefix="scalewatch-test."):
        d = tempfile.mkdtemp(prefix=prefix)
        self.dirs.append(d)
        return d

    def start(self, name, cmd, log_path, env=None):
        log = open(log_path, "ab")
        try:
            p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 start_new_session=True, env=env)
        finally:
            log.close()
        self.procs.append((name, p, log_path))
        return p

    def stop(self, p, timeout=10):
        if p.poll() is not None:
            return p.returncode
        try:
            os.kill(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            return p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.kill(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return p.wait()

    def log_tail(self, p, lines=30):
        for _, q, path in self.procs:
            if q is p:
                try:
                    with open(path, "rb") as f:
                        return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
                except OSError:
                    return ""
        return ""

    def close(self):
        if self.closed:
            return
        self.closed = True
        for _, p, _ in reversed(self.procs):
            self.stop(p)
        for d in self.dirs:
            shutil.rmtree(d, ignore_errors=True)


def postgres_workdir(results, procs, prefix):
    """A temp dir (removed by procs.close()) owned by the postgres user and open to everyone,
    for a throwaway cluster's data directories and sockets (postgres_test.Cluster). initdb
    runs as postgres through runuser, so this needs root: without it, a FAIL saying so and
    None; a benchmark (results None) exits with the reason."""
    if os.geteuid() != 0:
        why = "initdb must run as the postgres user through runuser"
        if results is None:
            sys.exit(f"needs root: {why}")
        results.fail("runs as root", why)
        return None
    directory = procs.tempdir(prefix)
    shutil.chown(directory, "postgres")
    os.chmod(directory, 0o755)
    return directory


def wait_port(port, proc=None, timeout=30, host="127.0.0.1"):
    """Waits until host:port accepts TCP connections; raises if proc exits first or on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args[0]} exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{host}:{port} not listening after {timeout}s")


def wait_http(url, proc=None, timeout=30, ok=(200,)):
    """Waits until GET url answers with a status in ok."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args[0]} exited with {proc.returncode}; last answer: {last}")
        try:
            status, _, _ = http_get(url, timeout=2)
            if status in ok:
                return
            last = status
        except OSError as e:
            last = e
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout}s; last answer: {last}")


def poll(fetch, timeout, step=0.25):
    """Calls fetch every `step` s until it returns something true, and once more when
    `timeout` s have passed; returns its last value (false when time ran out)."""
    deadline = time.monotonic() + max(timeout, 0)
    while True:
        value = fetch()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)


def trickle(sock, data, every=2.0, poll=0.1, give_up=None):
    """Sends data a byte every `every` s, as a slowloris client does; returns the seconds from
    the first byte until the server closed the connection, or None if it had not when all was
    sent or give_up seconds had passed. Each byte waits up to `poll` s for the close."""
    sock.settimeout(poll)
    started = time.monotonic()
    for byte in data:
        try:
            sock.send(bytes([byte]))
        except socket.timeout:
            pass
        except OSError:
            return time.monotonic() - started
        if peer_closed(sock, 1):
            return time.monotonic() - started
        if give_up is not None and time.monotonic() - started > give_up:
            return None
        time.sleep(every)
    return None


def peer_closed(sock, size):
    """Whether the other end has closed sock: a recv (of up to size bytes, within the socket's
    timeout) returns b"" or fails. Bytes received or a timeout: not closed."""
    try:
        return sock.recv(size) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def __iter__(self):  # status, headers, body = http_get(...)
        return iter((self.status, self.headers, self.body))

    def header(self, name, default=None):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return default


def http_get(url, headers=None, timeout=15):
    """GET url; returns Response(status, [(name, value)], raw body bytes). Never decompresses."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)
    try:
        path = u.path or "/"
        if u.query:
            path += "?" + u.query
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


def media_type(content_type):
    """'text/plain; version=0.0.4; charset=utf-8' -> ('text/plain', {'version': '0.0.4', 'charset': 'utf-8'})"""
    parts = [p.strip() for p in (content_type or "").split(";")]
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            params[k.strip().lower()] = v.strip().strip('"')
    return parts[0].lower(), params


def gunzip(body):
    return gzip.decompress(body)


# ---------------------------------------------------------------- text format

class Family:
    def __init__(self, name):
        self.name = name
        self.type = None     # as declared by # TYPE, or None
        self.help = None
        self.samples = []    # (sample name, {label: value}, float value)

    @property
    def label_names(self):
        """Label names over all samples of the family. A label with an empty value is absent,
        as Prometheus stores it (node_exporter prints node_disk_info's udev labels empty where
        udev knows nothing)."""
        names = set()
        for _, labels, _ in self.samples:
            names.update(name for name, value in labels.items() if value != "")
        return names

    def __repr__(self):
        return f"Family({self.name}, {self.type}, {len(self.samples)} samples)"


_SAMPLE_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_SUFFIXES = ("_total", "_created", "_count", "_sum", "_bucket")


def _parse_labels(s, i, line):
    """Parses {a="x",b="y"} starting at s[i] == '{'; returns (labels, index after '}')."""
    labels = {}
    i += 1
    while True:
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] == "}":
            return labels, i + 1
        m = _LABEL_NAME.match(s, i)
        if not m:
            raise ValueError(f"bad label name in: {line}")
        name = m.group(0)
        i = m.end()
        while i < len(s) and s[i] in " \t":
            i += 1
        if s[i:i + 2] != '="':
            raise ValueError(f"expected =\" after label {name} in: {line}")
        i += 2
        value = []
        while True:
            if i >= len(s):
                raise ValueError(f"unterminated label value in: {line}")
            c = s[i]
            if c == "\\":
                n = s[i + 1:i + 2]
                value.append({"n": "\n", "\\": "\\", '"': '"'}.get(n, "\\" + n))
                i += 2
            elif c == '"':
                i += 1
                break
            else:
                value.append(c)
                i += 1
        if name in labels:
            raise ValueError(f"duplicate label {name} in: {line}")
        labels[name] = "".join(value)
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] == ",":
            i += 1
        elif i < len(s) and s[i] == "}":
            return labels, i + 1
        else:
            raise ValueError(f"expected , or }} in: {line}")


def scrape_families(base):
    """GET base/metrics and parse it (parse_text); raises unless the answer is 200."""
    status, _, body = http_get(base + "/metrics")
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    return parse_text(body.decode())


def parse_text(text):
    """Parses Prometheus text format 0.0.4 into {family name: Family}, in order of appearance.
    A sample belongs to the family declared by the last # TYPE/# HELP whose name it extends
    (name, name_total, _count, _sum, _bucket, _created); otherwise it is its own untyped family.
    Raises ValueError on malformed lines."""
    families = {}
    current = None

    def family(name):
        f = families.get(name)
        if f is None:
            f = families[name] = Family(name)
        return f

    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                f = family(parts[2])
                if parts[1] == "TYPE":
                    if f.type is not None:
                        raise ValueError(f"line {lineno}: second TYPE for {parts[2]}")
                    f.type = parts[3].strip() if len(parts) > 3 else ""
                else:
                    f.help = parts[3] if len(parts) > 3 else ""
                current = f
            continue
        m = _SAMPLE_NAME.match(line)
        if not m:
            raise ValueError(f"line {lineno}: bad sample: {line}")
        name = m.group(0)
        i = m.end()
        labels = {}
        if i < len(line) and line[i] == "{":
            labels, i = _parse_labels(line, i, line)
        rest = line[i:].split()
        if not rest or len(rest) > 2:
            raise ValueError(f"line {lineno}: bad value: {line}")
        value = float(rest[0])   # accepts NaN, +Inf, -Inf
        if current is not None and (name == current.name or
                                    any(name == current.name + s for s in _SUFFIXES)):
            f = current
        else:
            f = family(name)
            current = f
        f.samples.append((name, labels, value))
    for f in families.values():
        if f.type is None:
            f.type = "untyped"
    return families


# ---------------------------------------------------------------- results

class Results:
    """Counts checks; prints 'PASS name' / 'FAIL name: detail' and the closing line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""), flush=True)
        return ok

    def fail(self, name, detail=""):
        return self.check(name, False, detail)

    @staticmethod
    def info(msg):
        print(f"info: {msg}", flush=True)

    def finish(self):
        """Prints 'N passed, N failed' alone on its line; returns the exit code."""
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 0 if self.failed == 0 and self.passed > 0 else 1


# ---------------------------------------------------------------- the agent

def write_agent_config(directory, port, collectors=None, scrape_max_age="1s", interval="10s", collector_options=None,
                       rule_files=None, evaluation_interval=None):
    """Writes DIR/agent.yml listening on 127.0.0.1:port with every collector enabled (or those
    given) and data_dir DIR/data; returns the file's path. collector_options: {collector:
    {option: value}} for collectors that take options (e.g. textfile's directory).
    rule_files: paths or globs of rule files to evaluate (every evaluation_interval)."""
    data = os.path.join(directory, "data")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(directory, "agent.yml")
    lines = [f'listen_address: "127.0.0.1:{port}"',
             f'data_dir: "{data}"',
             f"collection_interval: {interval}",
             f"scrape_max_age: {scrape_max_age}",
             "collectors:"]
    options = collector_options or {}
    lines += [f"  {c}: true" for c in (collectors or COLLECTORS) if c not in options]
    for c, values in options.items():
        lines.append(f"  {c}:")
        lines += [f"    {k}: {json.dumps(v)}" for k, v in values.items()]
    if rule_files:
        lines.append(f"rule_files: {json.dumps(list(rule_files))}")
    if evaluation_interval:
        lines.append(f"evaluation_interval: {evaluation_interval}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def start_agent(procs, binary, directory, **config):
    """Starts `BINARY agent --config DIR/agent.yml` on a free port, waits until /-/ready or
    /metrics answers 200; returns (Popen, base URL). The agent's log is DIR/agent.log."""
    port = free_port()
    cfg = write_agent_config(directory, port, **config)
    p = procs.start("scalewatch", [binary, "agent", "--config", cfg], os.path.join(directory, "agent.log"))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_port(port, p)
        wait_http(base + "/metrics", p)
    except RuntimeError as e:
        raise RuntimeError(f"{e}\n--- agent log:\n{procs.log_tail(p)}") from None
    return p, base


def start_node_exporter(procs, directory, extra=("--collector.processes",)):
    port = free_port()
    p = procs.start("node_exporter",
                    ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{port}", *extra],
                    os.path.join(directory, "node_exporter.log"))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_port(port, p)
    except RuntimeError as e:
        raise RuntimeError(f"{e}\n--- node_exporter log:\n{procs.log_tail(p)}") from None
    return p, base


def run_test(run, prefix):
    """The main() of a script run as `SCRIPT BINARY`: run(binary, work, procs, results) with the
    agent's binary, a temp dir named PREFIX…, a Processes and a Results. Every process is
    stopped and the temp dir removed after, also when run raises or returns early; the exit
    code is Results.finish()'s."""
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} BINARY")
    binary = executable(sys.argv[1])
    results = Results()
    procs = Processes()
    work = procs.tempdir(prefix)
    try:
        run(binary, work, procs, results)
    finally:
        procs.close()
    return results.finish()


def executable(path):
    path = os.path.abspath(path)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        sys.exit(f"{path}: not an executable file")
    return path


# ---------------------------------------------------------------- nginx and its upstream

class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass  # a proxy that gives up on a request resets its connection: expected here


class Upstream:
    """The application behind a proxy under test, served by threads of this process on a
    loopback port: /slow?ms=N answers after N ms, /fail with 500, /missing with 404, /hang after
    `hang` seconds (set it longer than the proxy waits, so that the proxy answers 504), any
    other path 200 at once; every answer after `delay` seconds more, which the test may change
    while requests are in flight."""

    def __init__(self, hang=3.0):
        self.hang = hang
        self.delay = 0.0
        upstream = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                status = 200
                time.sleep(upstream.delay)
                if url.path == "/slow":
                    time.sleep(int(urllib.parse.parse_qs(url.query).get("ms", ["100"])[0]) / 1000)
                elif url.path == "/fail":
                    status = 500
                elif url.path == "/missing":
                    status = 404
                elif url.path == "/hang":
                    time.sleep(upstream.hang)
                body = b"hello\n"
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the proxy gave up (/hang)

            def log_message(self, *args):
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.address = f"127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def nginx_binary():
    """Debian's nginx, or None when it is not installed."""
    for path in ("/usr/sbin/nginx", shutil.which("nginx")):
        if path and os.access(path, os.X_OK):
            return path
    return None


class Nginx:
    """nginx under DIR (its config, pid, error log and temp dirs there) listening on
    127.0.0.1:port, proxying everything to 127.0.0.1:upstream_port and giving up after
    read_timeout (then it answers 504). Options: access_log_format, the format of DIR/access.log
    in nginx's variables (None: no access log); unix_socket, also listen on DIR/nginx.sock;
    backlog, the listen queue's length; stub_status, served at /stub_status. The command is
    self.command, which a test may wrap (to run nginx in a cgroup) before start()."""

    def __init__(self, procs, binary, directory, port, upstream_port, read_timeout="1s",
                 access_log_format=None, unix_socket=False, backlog=None, stub_status=False):
        self.procs, self.directory, self.port = procs, directory, port
        self.unix_socket = os.path.join(directory, "nginx.sock") if unix_socket else None
        self.access_log = os.path.join(directory, "access.log") if access_log_format else None
        self.conf = os.path.join(directory, "nginx.conf")
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.makedirs(os.path.join(directory, "tmp", sub), exist_ok=True)
        error_log = os.path.join(directory, "error.log")
        logging = (f"log_format timed '{access_log_format}';\n    access_log {self.access_log} timed;"
                   if access_log_format else "access_log off;")
        listen = f"listen 127.0.0.1:{port}" + (f" backlog={backlog};" if backlog else ";")
        if self.unix_socket:
            listen += f"\n        listen unix:{self.unix_socket};"
        status = "location = /stub_status { stub_status; }\n        " if stub_status else ""
        # As root, workers run as root too: they reopen the access log in a directory of root's.
        user = "user root;" if os.geteuid() == 0 else ""
        with open(self.conf, "w") as f:
            f.write(f"""
daemon off;
master_process on;
worker_processes 1;
{user}
pid {directory}/nginx.pid;
error_log {error_log} warn;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {directory}/tmp/body;
    proxy_temp_path {directory}/tmp/proxy;
    fastcgi_temp_path {directory}/tmp/fastcgi;
    uwsgi_temp_path {directory}/tmp/uwsgi;
    scgi_temp_path {directory}/tmp/scgi;
    {logging}
    server {{
        {listen}
        {status}location / {{
            proxy_pass http://127.0.0.1:{upstream_port};
            proxy_read_timeout {read_timeout};
        }}
    }}
}}
""")
        # -e: the error log before the config is read is ours too, not /var/log/nginx's.
        self.command = [binary, "-c", self.conf, "-p", directory, "-e", error_log]
        self.process = None

    def start(self):
        """Starts nginx and waits until its TCP port accepts connections."""
        if self.unix_socket and os.path.exists(self.unix_socket):
            os.unlink(self.unix_socket)  # left by a stopped nginx: it would not listen there again
        self.process = self.procs.start("nginx", self.command, os.path.join(self.directory, "nginx.out"))
        wait_port(self.port, self.process)
        return self.process

    def stop(self):
        return self.procs.stop(self.process)

    def reopen_logs(self):
        """What `nginx -s reopen` does: SIGUSR1 to the master named in the pid file."""
        with open(os.path.join(self.directory, "nginx.pid")) as f:
            os.kill(int(f.read().strip()), signal.SIGUSR1)


def run_in_threads(items, threads, function):
    """Calls function(item) for every item, `threads` calls at a time; returns when all are done."""
    queue, lock = list(items), threading.Lock()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            function(item)

    workers = [threading.Thread(target=worker) for _ in range(min(threads, len(queue)))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


# ---------------------------------------------------------------- command line

class _AcceptProxy(http.server.BaseHTTPRequestHandler):
    target = None    # urllib.parse.SplitResult
    accept = None
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "accept", "connection", "keep-alive")}
        headers["Accept"] = self.accept
        try:
            conn = http.client.HTTPConnection(self.target.hostname, self.target.port, timeout=10)
            conn.request("GET", self.path, headers=headers)
            r = conn.getresponse()
            body = r.read()
            conn.close()
        except OSError as e:
            self.send_error(502, str(e))
            return
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        sys.stderr.write(f"proxy {self.path} -> {r.status} Content-Type: {r.getheader('Content-Type')}\n")
        sys.stderr.flush()

    def log_message(self, *args):
        pass


def om_time_span(path):
    """(first, last) sample timestamp of an OpenMetrics file whose samples all carry one;
    ValueError naming the line when one does not, or when there is no sample."""
    lo, hi = float("inf"), float("-inf")
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if line.startswith("#"):
                continue
            try:
                t = float(line.rsplit(" ", 1)[1])
            except (IndexError, ValueError):
                raise ValueError(f"{path}:{number}: no timestamp at the end of the sample") from None
            lo, hi = min(lo, t), max(hi, t)
    if lo > hi:
        raise ValueError(f"{path}: no samples")
    return lo, hi


def _main():
    ap = argparse.ArgumentParser(description="test helpers for shell scripts")
    sub = ap.add_subparsers(dest="cmd", required=True)
    fp = sub.add_parser("free-port")
    fp.add_argument("n", nargs="?", type=int, default=1)
    span = sub.add_parser("om-span")
    span.add_argument("file")
    px = sub.add_parser("accept-proxy")
    px.add_argument("--listen", required=True)
    px.add_argument("--target", required=True)
    px.add_argument("--accept", required=True)
    a = ap.parse_args()
    if a.cmd == "free-port":
        # Hold all sockets until every port is chosen, so that N ports are distinct.
        socks = []
        for _ in range(a.n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        for s in socks:
            print(s.getsockname()[1])
            s.close()
    elif a.cmd == "om-span":
        try:
            print(*om_time_span(a.file))
        except (OSError, ValueError) as e:
            sys.exit(f"om-span: {e}")
    elif a.cmd == "accept-proxy":
        host, port = a.listen.rsplit(":", 1)
        _AcceptProxy.target = urllib.parse.urlsplit(a.target)
        _AcceptProxy.accept = a.accept
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        server = http.server.ThreadingHTTPServer((host, int(port)), _AcceptProxy)
        server.daemon_threads = True
        try:
            server.serve_forever()
        finally:
            server.server_close()


if __name__ == "__main__":
    _main()
