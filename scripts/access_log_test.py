#!/usr/bin/env python3
"""access_log_test.py SCALEWATCH_BINARY - the access_logs collector against a real nginx.

Starts nginx (Debian package) on loopback under a temp dir, logging in `combined_timed`
(combined + $request_time $upstream_response_time), in front of a small Python upstream that
answers fast, slowly, with 500 or 404, or slower than nginx's proxy_read_timeout (1 s: nginx
answers 504). Drives it with a small client and checks the agent's /metrics and query API:

- request counts by status exactly equal what the client got;
- histogram_quantile(0.95, …) from the agent's API within one bucket of the p95 of the
  request times nginx logged;
- 504s counted when the upstream is slower than proxy_read_timeout, with upstream times;
- rotation by rename + `nginx -s reopen` with requests in flight, then copy-truncate (the
  lines written since the last read are only in the copy): no request lost or counted twice;
- an agent restart in the middle of the log: the new process counts exactly the requests it
  had not rendered (those sent while it was down included);
- garbage lines: counted in nginx_parse_errors_total, nothing else moves;
- HAProxy (Debian package) with `option httplog`, through a syslog receiver into a file as
  rsyslog writes it: counts by status under namespace haproxy, backend and frontend as the
  upstream and vhost labels, server times (Tr) in the upstream histogram.
"""
import http.client
import json
import os
import shutil
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
# combined + $request_time $upstream_response_time: the agent's combined_timed.
LOG_FORMAT = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
              '"$http_referer" "$http_user_agent" $request_time $upstream_response_time')


HAPROXY_CONF = """
global
    log 127.0.0.1:{syslog} local0
    pidfile {dir}/haproxy.pid
defaults
    mode http
    log global
    option httplog
    timeout connect 1s
    timeout client 5s
    timeout server 1s
frontend shop
    bind 127.0.0.1:{port}
    default_backend app
backend app
    server s1 127.0.0.1:{upstream}
"""


def syslog_to_file(sock, path):
    """A syslog receiver as rsyslog writes HAProxy's messages to /var/log/haproxy.log: the
    datagram without its <PRI>, one line each."""
    with open(path, "a") as f:
        while True:
            try:
                data = sock.recv(65536)
            except OSError:
                return
            text = data.decode("utf-8", "replace").rstrip("\n")
            if text.startswith("<"):
                text = text[text.find(">") + 1:]
            f.write(text + "\n")
            f.flush()


class Client:
    """Sends requests and remembers the status nginx answered each with."""

    def __init__(self, port):
        self.port = port
        self.statuses = {}
        self.lock = threading.Lock()

    def get(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
        finally:
            connection.close()
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
        return status

    def many(self, paths, threads=8):
        """GETs every path, `threads` at a time."""
        testlib.run_in_threads(paths, threads, self.get)

    def total(self):
        with self.lock:
            return sum(self.statuses.values())


def value(families, name, **labels):
    """The sum of the samples of `name` whose labels include `labels`."""
    total = 0.0
    for sample_name, sample_labels, sample_value in samples(families):
        if sample_name == name and all(sample_labels.get(k) == v for k, v in labels.items()):
            total += sample_value
    return total


def samples(families):
    for family in families.values():
        yield from family.samples


def counts_by_status(families):
    result = {}
    for name, labels, sample_value in samples(families):
        if name == "nginx_http_response_count_total":
            status = int(labels["status"])
            result[status] = result.get(status, 0) + int(sample_value)
    return result


def wait_lines(base, expected, timeout=30):
    """Waits until the agent has read `expected` lines; returns the last /metrics."""
    deadline = time.monotonic() + timeout
    while True:
        families = testlib.scrape_families(base)
        got = value(families, "scalewatch_access_log_lines_total")
        if got >= expected or time.monotonic() > deadline:
            return families
        time.sleep(0.2)


def bucket_index(seconds):
    for index, bound in enumerate(BUCKETS):
        if seconds <= bound:
            return index
    return len(BUCKETS)


def logged_request_times(paths):
    times = []
    for path in paths:
        with open(path, errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ")
                try:
                    times.append(float(parts[-2]))
                except (ValueError, IndexError):
                    pass
    return sorted(times)


def main():
    binary = os.path.abspath(sys.argv[1])
    results = testlib.Results()
    procs = testlib.Processes()
    nginx_bin = testlib.nginx_binary()
    if nginx_bin is None:
        print("nginx not installed (Debian package nginx)", file=sys.stderr)
        return 2
    upstream = testlib.Upstream(hang=3)
    try:
        work = procs.tempdir("scalewatch-accesslog.")
        os.chmod(work, 0o755)
        nginx = testlib.Nginx(procs, nginx_bin, work, testlib.free_port(), upstream.port, read_timeout="1s",
                              access_log_format=LOG_FORMAT)
        nginx.start()
        log = nginx.access_log

        client = Client(nginx.port)
        client.get("/ok")  # before the agent: not counted (a first run starts at the end)
        before = client.total()
        client.statuses.clear()

        haproxy_log = os.path.join(work, "haproxy.log")
        open(haproxy_log, "w").close()
        options = {"access_logs": {"sources": [
            {"files": [log], "format": "combined_timed", "vhost": "test"},
            {"files": [haproxy_log], "format": "haproxy", "vhost": "$frontend_name"},
        ]}}
        agent_dir = os.path.join(work, "agent")
        os.makedirs(agent_dir)
        agent, base = testlib.start_agent(procs, binary, agent_dir, collectors=["loadavg"], interval="1s",
                                          collector_options=options)
        testlib.scrape_families(base)  # the first collection opens the log at its end
        time.sleep(0.5)

        # Traffic with a known shape: fast, slow, errors, and timeouts.
        paths = (["/ok"] * 300 + ["/slow?ms=150"] * 40 + ["/slow?ms=400"] * 20 + ["/slow?ms=800"] * 10
                 + ["/fail"] * 30 + ["/missing"] * 15 + ["/hang"] * 6)
        client.many(paths)
        families = wait_lines(base, client.total())
        got = counts_by_status(families)
        results.check("counts by status equal what the client got", got == client.statuses,
                      f"agent {got}, client {client.statuses}")
        results.check("the request before the agent started is not counted", before == 1 and sum(got.values()) == len(paths))
        results.check("504s counted when the upstream is slower than proxy_read_timeout",
                      got.get(504) == 6, f"504s: {got.get(504)}")
        upstream_504 = value(families, "nginx_http_upstream_time_seconds_hist_count", status="504")
        upstream_504_sum = value(families, "nginx_http_upstream_time_seconds_hist_sum", status="504")
        results.check("504s have upstream times near the 1 s timeout",
                      upstream_504 == 6 and 5.5 <= upstream_504_sum <= 7.5, f"count {upstream_504}, sum {upstream_504_sum}")
        results.check("no parse errors on nginx's own lines", value(families, "nginx_parse_errors_total") == 0)

        # p95 through the agent's API (stored samples), against the times nginx logged.
        time.sleep(2.5)
        query = "histogram_quantile(0.95, sum by (le) (nginx_http_response_time_seconds_hist_bucket))"
        status, _, body = testlib.http_get(base + "/api/v1/query?" + urllib.parse.urlencode({"query": query}))
        answer = json.loads(body)
        estimate = float(answer["data"]["result"][0]["value"][1]) if status == 200 and answer["data"]["result"] else None
        times = logged_request_times([log])
        true_p95 = times[int(0.95 * len(times)) - 1] if times else None
        results.check("histogram_quantile(0.95) from the agent within one bucket of the logged p95",
                      estimate is not None and true_p95 is not None
                      and abs(bucket_index(estimate) - bucket_index(true_p95)) <= 1,
                      f"agent {estimate}, logged {true_p95}")
        testlib.Results.info(f"p95: agent {estimate}, logged {true_p95} ({len(times)} requests)")

        # Rename rotation with requests in flight, then nginx reopens.
        stop = threading.Event()

        def background():
            while not stop.is_set():
                client.get("/ok")
                time.sleep(0.002)

        driver = threading.Thread(target=background)
        driver.start()
        time.sleep(0.5)
        os.rename(log, log + ".1")
        time.sleep(0.3)  # nginx still writes to the renamed file
        nginx.reopen_logs()
        time.sleep(0.5)
        stop.set()
        driver.join()
        families = wait_lines(base, client.total())
        got = counts_by_status(families)
        results.check("rename + nginx -s reopen with requests in flight: nothing lost or counted twice",
                      got == client.statuses, f"agent {got}, client {client.statuses}")
        results.check("the rename is counted", value(families, "scalewatch_access_log_rotations_total", kind="rename") == 1)

        # Copy-truncate: requests the agent has not read yet are only in the copy after it.
        stop.clear()
        driver = threading.Thread(target=background)
        driver.start()
        time.sleep(0.5)
        stop.set()
        driver.join()
        shutil.copyfile(log, log + "-copy")  # the lines since the last read are in the copy only
        os.truncate(log, 0)
        client.many(["/ok"] * 50 + ["/fail"] * 5)
        families = wait_lines(base, client.total())
        got = counts_by_status(families)
        results.check("copy-truncate: nothing lost or counted twice", got == client.statuses,
                      f"agent {got}, client {client.statuses}")
        results.check("the truncation is counted",
                      value(families, "scalewatch_access_log_rotations_total", kind="truncate") == 1)

        # Garbage appended between real lines.
        with open(log, "a") as f:
            f.write("garbage\n\x00\x01\x02 binary junk\n" + "x" * 10000 + "\n")
        client.many(["/ok"] * 10)
        families = wait_lines(base, client.total() + 3)
        results.check("garbage lines are counted as parse errors", value(families, "nginx_parse_errors_total") == 3,
                      f"{value(families, 'nginx_parse_errors_total')}")
        results.check("and the requests around them still count", counts_by_status(families) == client.statuses)

        # HAProxy's httplog, through a syslog receiver into a file, as on Debian.
        haproxy_bin = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if os.path.exists(haproxy_bin):
            import socket
            receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            receiver.bind(("127.0.0.1", 0))
            threading.Thread(target=syslog_to_file, args=(receiver, haproxy_log), daemon=True).start()
            haproxy_port = testlib.free_port()
            haproxy_conf = os.path.join(work, "haproxy.cfg")
            with open(haproxy_conf, "w") as f:
                f.write(HAPROXY_CONF.format(dir=work, port=haproxy_port, upstream=upstream.port,
                                            syslog=receiver.getsockname()[1]))
            haproxy = procs.start("haproxy", [haproxy_bin, "-f", haproxy_conf, "-db"], os.path.join(work, "haproxy.out"))
            testlib.wait_port(haproxy_port, haproxy)
            haproxy_client = Client(haproxy_port)
            haproxy_client.many(["/ok"] * 100 + ["/slow?ms=300"] * 20 + ["/fail"] * 10 + ["/hang"] * 4)
            deadline = time.monotonic() + 30
            while True:
                families = testlib.scrape_families(base)
                got = {}
                for name, labels, sample_value in samples(families):
                    if name == "haproxy_http_response_count_total":
                        got[int(labels["status"])] = got.get(int(labels["status"]), 0) + int(sample_value)
                # The readiness probe's connection without a request: HAProxy logs it as a 400.
                expected = dict(haproxy_client.statuses)
                expected[400] = expected.get(400, 0) + 1
                if got == expected or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            results.check("haproxy: counts by status equal what the client got (namespace haproxy)",
                          got == expected, f"agent {got}, client {haproxy_client.statuses} and the probe's 400")
            results.check("haproxy: backend and frontend become the upstream and vhost labels",
                          value(families, "haproxy_http_response_count_total", upstream="app", vhost="shop") == 134)
            slow = value(families, "haproxy_http_upstream_time_seconds_hist_bucket", le="0.25")
            total = value(families, "haproxy_http_upstream_time_seconds_hist_count")
            results.check("haproxy: server response times (Tr) in the upstream histogram",
                          total == 130 and slow <= 110, f"count {total}, <= 0.25 s: {slow}")
            results.check("haproxy: no parse errors", value(families, "haproxy_parse_errors_total") == 0,
                          f"{value(families, 'haproxy_parse_errors_total')}; log head: {open(haproxy_log).read()[:300]!r}")
            procs.stop(haproxy)
        else:
            testlib.Results.info("haproxy not installed: its section is skipped")

        # Restart in the middle of the log: requests while the agent is down count after it.
        time.sleep(1.5)  # a scrape renders; its positions are saved
        testlib.scrape_families(base)
        time.sleep(0.5)
        procs.stop(agent)
        client.statuses.clear()
        client.many(["/ok"] * 40 + ["/missing"] * 7)
        agent, base = testlib.start_agent(procs, binary, agent_dir, collectors=["loadavg"], interval="1s",
                                          collector_options=options)
        client.many(["/ok"] * 13)
        families = wait_lines(base, client.total())
        time.sleep(1)
        families = testlib.scrape_families(base)
        got = counts_by_status(families)
        results.check("after a restart, exactly the requests not yet rendered are counted",
                      got == client.statuses, f"agent {got}, client {client.statuses}")
    except Exception as e:  # noqa: BLE001 - report and fail
        results.fail("access log test", repr(e))
    finally:
        upstream.close()
        procs.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
