#!/usr/bin/env python3
"""request_alerts_test.py BINARY [--full] - the shipped request and network rules against a real nginx.

The agent runs with config/rules/requests.yml and network.yml as shipped, collecting and
evaluating every second, reading nginx's access log (with $upstream_addr, so the 504s name
the upstream) and the host's sockets, and delivering to a webhook receiver in this script.
nginx (Debian package) listens on 127.0.0.1 over TCP and on a unix socket, in front of a Python
upstream that answers fast, slowly (up to 2.8 s), with 500, or slower than proxy_read_timeout
(3 s: 504).

Default mode (CI, about 40 s): each alert becomes active on its signature and, where the rule's
windows allow it within the test, leaves again once the cause stops (`for` and
`keep_firing_for` of minutes are the promtool tests' business):
  - 500s: HTTPErrorRatioHigh pending; slow requests (2 s): HTTPRequestLatencyHigh pending;
  - requests parked on the slow upstream (sent over the unix socket, so that the clients' own
    connections are not TCP and the upstream has the most): the latency alert's likely_cause
    names the upstream's address;
  - a flood of fast requests: both leave pending (p95 and the 5xx ratio under the thresholds);
  - upstream timeouts: HTTPUpstreamTimeouts firing at once (no `for`), delivered to the
    webhook with namespace, vhost and upstream;
  - nginx stopped: ListeningPortDown pending naming process nginx and saying it stopped, and
    ListenerRestartedDuringTraffic firing and delivered; nginx started again: ListeningPortDown
    leaves pending.
--full waits the durations out (about 15 minutes) and reports when each alert's firing and
resolved notifications arrived: slow and failing traffic for 10 minutes, then a flood of fast
requests; timeouts at the start; nginx stopped for about a minute early on. One run (December
2026, debug build), seconds after the traffic began: HTTPUpstreamTimeouts firing 5, resolved
904 (its 10m window, then keep_firing_for 5m); HTTPErrorRatioHigh firing 310 (for 5m);
HTTPRequestLatencyHigh firing 609 (for 10m); the traffic calm at 619, both resolved at 916
(keep_firing_for 5m); ListeningPortDown firing 62 s after nginx stopped, resolved 2 s after it
started again; ListenerRestartedDuringTraffic resolved at 623 (its 10m window).
"""
import http.client
import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from webhook_receiver import WebhookReceiver, alerting_section  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VHOST = "shop"


LOG_FORMAT = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
              '"$http_referer" "$http_user_agent" $request_time $upstream_response_time $upstream_addr')


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Client:
    def __init__(self, port, unix_path):
        self.port, self.unix_path = port, unix_path

    def get(self, path, unix=False):
        """The status, or None when nginx is not there."""
        connection = (UnixConnection(self.unix_path, 15) if unix
                      else http.client.HTTPConnection("127.0.0.1", self.port, timeout=15))
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status
        except OSError:
            return None
        finally:
            connection.close()

    def many(self, paths, threads=8, unix=False):
        testlib.run_in_threads(paths, threads, lambda path: self.get(path, unix))

    def background(self, paths, threads, unix=False):
        """Sends the paths in background threads; returns the thread to join."""
        thread = threading.Thread(target=self.many, args=(paths, threads, unix), daemon=True)
        thread.start()
        return thread


def write_config(work, port, hook_port, log):
    config = testlib.write_agent_config(
        work, port, collectors=["loadavg"], interval="1s",
        collector_options={"sockets": {"top_endpoints": 50},
                           "access_logs": {"sources": [{"files": [log], "format": LOG_FORMAT, "vhost": VHOST}]}})
    rules = [os.path.join(ROOT, "config/rules", name) for name in ("requests.yml", "network.yml")]
    with open(config, "a") as f:
        f.write(f"rule_files: [{', '.join(rules)}]\nevaluation_interval: 1s\n"
                + alerting_section(f"http://127.0.0.1:{hook_port}/alerts"))
    return config


class Agent:
    def __init__(self, base):
        self.base = base

    def alerts(self, name):
        """NAME's active alerts from /api/v1/alerts: [{labels, annotations, state, …}]."""
        try:
            status, _, body = testlib.http_get(self.base + "/api/v1/alerts", timeout=5)
        except OSError:
            return []
        if status != 200:
            return []
        return [a for a in json.loads(body)["data"]["alerts"] if a["labels"].get("alertname") == name]

    def wait(self, name, state, timeout, predicate=lambda a: True):
        """The first alert NAME in STATE meeting PREDICATE; with STATE None, {} once no alert
        NAME meets it. Other ports' listeners come and go on a shared host: port alerts are
        always asked for with a predicate naming ours."""
        deadline = time.monotonic() + timeout
        while True:
            alerts = [a for a in self.alerts(name) if predicate(a)]
            if state is None and not alerts:
                return {}
            for alert in alerts:
                if alert["state"] == state and predicate(alert):
                    return alert
            if time.monotonic() > deadline:
                return None
            time.sleep(0.25)

    def lines(self):
        families = testlib.scrape_families(self.base)
        family = families.get("scalewatch_access_log_lines_total")
        return sum(v for _, _, v in family.samples) if family else 0

    def wait_lines(self, expected, timeout=20):
        deadline = time.monotonic() + timeout
        while self.lines() < expected and time.monotonic() < deadline:
            time.sleep(0.2)


def quick(results, agent, client, receiver, upstream_address):
    start = time.monotonic()
    # Every label set the phases use exists before them: a counter's first sample is not an
    # increase to rate(), so 500s or 504s in a series' first collection would not count.
    client.many(["/ok"] * 40 + ["/fail", "/hang"])
    agent.wait_lines(42)
    time.sleep(2.5)
    results.check("nothing broken: no request alert active",
                  not any(agent.alerts(n) for n in ("HTTPErrorRatioHigh", "HTTPRequestLatencyHigh", "HTTPUpstreamTimeouts")))

    # 500s: a third of the requests, and enough requests for the rule's 0.1/s over 5 minutes
    # (the warm-up's are each series' first sample, no increase).
    client.many(["/fail"] * 16 + ["/ok"] * 30)
    a = agent.wait("HTTPErrorRatioHigh", "pending", 15, lambda a: a["labels"].get("namespace") == "nginx")
    results.check("500s: HTTPErrorRatioHigh pending for namespace nginx, vhost shop",
                  a is not None and a["labels"].get("vhost") == VHOST, str(a))

    # Slow requests: 2 s each, over TCP.
    client.many(["/slow?ms=2000"] * 24, threads=24)
    a = agent.wait("HTTPRequestLatencyHigh", "pending", 15)
    results.check("slow requests: HTTPRequestLatencyHigh pending", a is not None
                  and a["labels"].get("namespace") == "nginx" and a["labels"].get("vhost") == VHOST, str(a))

    # Requests parked on the upstream, over the unix socket.
    parked = client.background(["/slow?ms=2800"] * 24, threads=24, unix=True)
    a = agent.wait("HTTPRequestLatencyHigh", "pending", 10,
                   lambda a: upstream_address in a["annotations"].get("likely_cause", ""))
    results.check(f"with requests parked on it, the likely cause names the upstream {upstream_address}",
                  a is not None, str(a and a["annotations"].get("likely_cause")))
    if a:
        testlib.Results.info(f"likely_cause: {a['annotations']['likely_cause']}")
    parked.join()

    # A flood of fast requests: the slow ones and the 500s fall under 5% of the window.
    client.many(["/ok"] * 1500, threads=8)
    a = agent.wait("HTTPRequestLatencyHigh", None, 20)
    results.check("fast requests again: HTTPRequestLatencyHigh leaves pending", a == {}, str(a))
    a = agent.wait("HTTPErrorRatioHigh", None, 20)
    results.check("... and HTTPErrorRatioHigh too", a == {}, str(a))

    # Upstream timeouts: firing at once, delivered; slow answers within the timeout were not.
    results.check("no HTTPUpstreamTimeouts before the first timeout", not agent.alerts("HTTPUpstreamTimeouts"))
    client.many(["/hang"] * 6, threads=6)
    a = agent.wait("HTTPUpstreamTimeouts", "firing", 15)
    results.check("upstream timeouts: HTTPUpstreamTimeouts firing", a is not None
                  and a["labels"].get("upstream") == upstream_address and a["labels"].get("namespace") == "nginx", str(a))
    delivered = testlib.poll(lambda: receiver.alerts("HTTPUpstreamTimeouts", "firing"), 10, step=0.5)
    results.check("... and delivered to the webhook",
                  bool(delivered) and delivered[0][1]["labels"].get("upstream") == upstream_address,
                  str(delivered[:1]))
    testlib.Results.info(f"quick phases took {time.monotonic() - start:.1f} s")


def port_down(results, agent, nginx, receiver, full):
    labels = {"address": "127.0.0.1", "port": str(nginx.port)}

    def ours(alert):
        return all(alert["labels"].get(k) == v for k, v in labels.items())

    nginx.stop()
    stopped = time.monotonic()
    a = agent.wait("ListeningPortDown", "pending", 10, ours)
    results.check("nginx stopped: ListeningPortDown pending, naming process nginx",
                  a is not None and a["labels"].get("process") == "nginx", str(a))
    results.check("... and saying it is stopped", a is not None and "is stopped" in a["annotations"].get("description", ""),
                  str(a and a["annotations"].get("description")))
    a = agent.wait("ListenerRestartedDuringTraffic", "firing", 10, lambda a: a["labels"].get("port") == labels["port"])
    results.check("ListenerRestartedDuringTraffic firing for the port, naming nginx",
                  a is not None and a["labels"].get("process") == "nginx", str(a))
    delivered = testlib.poll(lambda: receiver.alerts("ListenerRestartedDuringTraffic", "firing"), 10, step=0.5)
    results.check("... and delivered to the webhook", bool(delivered), str(delivered[:1]))
    if full:
        fired = testlib.poll(lambda: [x for x in receiver.alerts("ListeningPortDown", "firing") if ours(x[1])], 100, step=0.5)
        results.check("--full: ListeningPortDown firing delivered after its minute", bool(fired))
        if fired:
            testlib.Results.info(f"ListeningPortDown firing delivered {fired[0][0].monotonic - stopped:.0f} s after nginx stopped")
    nginx.start()
    restarted = time.monotonic()
    a = agent.wait("ListeningPortDown", None, 10, ours)
    results.check("nginx started again: ListeningPortDown no longer active", a == {}, str(a))
    if full:
        resolved = testlib.poll(lambda: [x for x in receiver.alerts("ListeningPortDown", "resolved") if ours(x[1])], 30, step=0.5)
        results.check("--full: ListeningPortDown resolved delivered", bool(resolved))
        if resolved:
            testlib.Results.info(f"ListeningPortDown resolved delivered {resolved[0][0].monotonic - restarted:.0f} s after nginx started")


def full_mode(results, agent, client, receiver, nginx, upstream_address):
    """Each alert's `for` and `keep_firing_for` waited out: firing delivered, then resolved."""
    start = time.monotonic()
    client.many(["/ok"] * 40 + ["/fail", "/hang"])
    agent.wait_lines(42)
    time.sleep(2.5)
    stop = threading.Event()

    def drive():
        # About 4 requests/s: a seventh slow (1.5 s), a seventh failing.
        while not stop.is_set():
            client.many(["/slow?ms=1500", "/fail"] + ["/ok"] * 5, threads=7)
            time.sleep(0.3)

    driver = threading.Thread(target=drive, daemon=True)
    driver.start()
    began = time.monotonic()
    client.many(["/hang"] * 6, threads=6)
    time.sleep(20)
    port_down(results, agent, nginx, receiver, full=True)
    events = {}
    for name in ("HTTPUpstreamTimeouts", "HTTPErrorRatioHigh", "HTTPRequestLatencyHigh"):
        fired = testlib.poll(lambda: receiver.alerts(name, "firing"), 15 * 60 - (time.monotonic() - began), step=0.5)
        results.check(f"--full: {name} firing delivered", bool(fired))
        events[(name, "firing")] = fired[0][0].monotonic - began if fired else None
    stop.set()
    driver.join()
    client.many(["/ok"] * 6000, threads=8)
    calm = time.monotonic()
    testlib.Results.info(f"slow and failing traffic stopped {calm - began:.0f} s after it began")
    for name in ("HTTPErrorRatioHigh", "HTTPRequestLatencyHigh", "HTTPUpstreamTimeouts", "ListenerRestartedDuringTraffic"):
        resolved = testlib.poll(lambda: receiver.alerts(name, "resolved"), 20 * 60 - (time.monotonic() - calm), step=0.5)
        results.check(f"--full: {name} resolved delivered", bool(resolved))
        events[(name, "resolved")] = resolved[0][0].monotonic - began if resolved else None
    for (name, status), at in sorted(events.items(), key=lambda kv: kv[1] if kv[1] is not None else 1e9):
        testlib.Results.info(f"{name} {status} delivered at {at:.0f} s" if at is not None else f"{name} {status}: never")
    testlib.Results.info(f"--full took {time.monotonic() - start:.0f} s")


def main():
    binary = os.path.abspath(sys.argv[1])
    full = "--full" in sys.argv[2:]
    results = testlib.Results()
    procs = testlib.Processes()
    nginx_bin = testlib.nginx_binary()
    if nginx_bin is None:
        results.fail("nginx is installed (Debian package nginx)")
        return results.finish()
    receiver = WebhookReceiver(0)
    # /hang takes longer than nginx's proxy_read_timeout (3 s): nginx answers 504.
    upstream = testlib.Upstream(hang=5)
    upstream_address = upstream.address
    try:
        work = procs.tempdir("scalewatch-request-alerts.")
        os.chmod(work, 0o755)
        nginx = testlib.Nginx(procs, nginx_bin, work, testlib.free_port(), upstream.port, read_timeout="3s",
                              access_log_format=LOG_FORMAT, unix_socket=True)
        nginx.start()
        client = Client(nginx.port, nginx.unix_socket)
        agent_dir = os.path.join(work, "agent")
        os.makedirs(agent_dir)
        port = testlib.free_port()
        config = write_config(agent_dir, port, receiver.port, nginx.access_log)
        process = procs.start("scalewatch", [binary, "agent", "--config", config], os.path.join(agent_dir, "agent.log"))
        testlib.wait_port(port, process)
        agent = Agent(f"http://127.0.0.1:{port}")
        testlib.wait_http(agent.base + "/metrics", process)
        time.sleep(1)  # the first collection opens the log at its end
        if full:
            full_mode(results, agent, client, receiver, nginx, upstream_address)
        else:
            quick(results, agent, client, receiver, upstream_address)
            port_down(results, agent, nginx, receiver, full=False)
        results.check("the agent is still running", process.poll() is None, procs.log_tail(process))
    except Exception as e:  # noqa: BLE001 - report and fail
        results.fail("request alerts test", repr(e))
    finally:
        upstream.close()
        receiver.close()
        procs.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
