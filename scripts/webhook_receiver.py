"""webhook_receiver.py - an Alertmanager-webhook receiver for the end-to-end scripts.

A ThreadingHTTPServer in the test's own process, over http or https, that records every POST
(arrival time, path, headers, JSON body) and every GET (a probe is a request too), and answers
what the test tells it to: 200, an error status with an optional Retry-After (for every
request or for the next N), or nothing at all
(`down()`: the socket is closed, so connections are refused, as a receiver that is not
running). Also the agent config's `alerting:` section that routes everything to one such
receiver, and the checks every drill makes of a webhook payload (Alertmanager's version 4 shape).
"""
import http.server
import json
import re
import socket
import ssl
import threading
import time


class Delivery:
    """One request as the receiver got it."""

    def __init__(self, path, headers, body, status):
        self.time = time.time()          # wall clock, to compare with the agent's timestamps
        self.monotonic = time.monotonic()  # to measure intervals against the test's own clock
        self.path = path
        self.headers = headers
        self.body = body
        self.status = status             # what the receiver answered

    def __repr__(self):
        return f"Delivery({self.path} answered {self.status}: {self.body})"

    @property
    def key(self):
        return self.headers.get("Idempotency-Key")

    @property
    def alertnames(self):
        return {a.get("labels", {}).get("alertname") for a in self.body.get("alerts", [])}


class WebhookReceiver:
    """Records requests on 127.0.0.1:port (port 0: one the kernel picks, then self.port);
    answer(status, retry_after, times) sets the reply to the next ones; down() stops listening
    (connection refused), up() listens again on the same port. tls=(certificate file, key
    file) serves https."""

    def __init__(self, port, tls=None):
        self.port = port
        self.tls = tls
        self.requests = []
        self.lock = threading.Lock()
        self.status = 200
        self.retry_after = None
        self.remaining = None            # answers left before status goes back to 200
        self.server = None
        self.up()

    def _handler(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"unparsed": raw.decode("utf-8", "replace")}
                with receiver.lock:
                    status, retry_after = receiver.status, receiver.retry_after
                    receiver.requests.append(Delivery(self.path, dict(self.headers), body, status))
                    if receiver.remaining is not None:
                        receiver.remaining -= 1
                        if receiver.remaining <= 0:
                            receiver.status, receiver.retry_after, receiver.remaining = 200, None, None
                self.send_response(status)
                if retry_after is not None and status != 200:
                    self.send_header("Retry-After", str(retry_after))
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass

        return Handler

    def up(self):
        if self.server is not None:
            return
        # HTTPServer sets SO_REUSEADDR: listening again on the same port right after down() works.
        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        server.daemon_threads = True
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self.port = server.server_address[1]
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def down(self):
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.server = None

    def answer(self, status, retry_after=None, times=None):
        """Answers status to the next requests: all of them, or only the next `times`, then 200."""
        with self.lock:
            self.status, self.retry_after, self.remaining = status, retry_after, times

    def all(self, path=None):
        with self.lock:
            return [d for d in self.requests if path is None or d.path == path]

    def delivered(self, path=None):
        return [d for d in self.all(path) if d.status == 200]

    def alerts(self, name, status):
        """(delivery, alert) for each alert NAME with STATUS ('firing', 'resolved') delivered."""
        return [(d, a) for d in self.delivered() for a in d.body.get("alerts", [])
                if a.get("labels", {}).get("alertname") == name and a.get("status") == status]

    def wait(self, predicate, timeout, step=0.1):
        """The first delivered request for which predicate holds, or None after timeout."""
        deadline = time.time() + timeout
        while True:
            for d in self.delivered():
                if predicate(d):
                    return d
            if time.time() >= deadline:
                return None
            time.sleep(step)

    def close(self):
        self.down()


def free_ports(n):
    """n distinct free loopback ports (all sockets held until every port is chosen)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def alerting_section(url, extra=""):
    """The agent config's `alerting:` section that sends every alert, grouped by alertname
    within a second or two, to one webhook at url (send_resolved, 2 s timeout). extra: lines
    that go on under the webhook (http_config, indented to match). The receivers list ends
    the section, so a test can append another receiver to it."""
    return f"""alerting:
  route:
    receiver: hook
    group_by: [alertname]
    group_wait: 1s
    group_interval: 2s
    repeat_interval: 1h
  receivers:
    - name: hook
      webhook_configs:
        - url: {url}
          send_resolved: true
          timeout: 2s
{extra}"""


_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


def payload_problems(delivery, instance, receiver=None):
    """What is wrong with a delivery's shape as Alertmanager's webhook version 4 with the
    pack's labels and annotations; an empty list when nothing is."""
    body, problems = delivery.body, []
    if body.get("version") != "4":
        problems.append(f"version {body.get('version')!r}, expected '4'")
    if body.get("status") not in ("firing", "resolved"):
        problems.append(f"status {body.get('status')!r}")
    if receiver is not None and body.get("receiver") != receiver:
        problems.append(f"receiver {body.get('receiver')!r}, expected {receiver!r}")
    if not delivery.key:
        problems.append("no Idempotency-Key header")
    for key in ("groupKey", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "truncatedAlerts"):
        if key not in body:
            problems.append(f"no {key}")
    alerts = body.get("alerts") or []
    if not alerts:
        problems.append("no alerts")
    for alert in alerts:
        labels, annotations = alert.get("labels", {}), alert.get("annotations", {})
        name = labels.get("alertname")
        if alert.get("status") not in ("firing", "resolved"):
            problems.append(f"{name}: status {alert.get('status')!r}")
        if not labels.get("stage"):
            problems.append(f"{name}: no stage label")
        if labels.get("instance") != instance:
            problems.append(f"{name}: instance {labels.get('instance')!r}, expected {instance!r}")
        if not str(annotations.get("runbook_url", "")).endswith(f"/runbooks/{name}"):
            problems.append(f"{name}: runbook_url {annotations.get('runbook_url')!r}")
        if not _FINGERPRINT.match(alert.get("fingerprint", "")):
            problems.append(f"{name}: fingerprint {alert.get('fingerprint')!r}")
        for key in ("startsAt", "endsAt", "generatorURL"):
            if key not in alert:
                problems.append(f"{name}: no {key}")
    return problems
