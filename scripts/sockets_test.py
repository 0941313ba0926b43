#!/usr/bin/env python3
"""sockets_test.py BINARY - the sockets and nginx collectors against a real nginx on loopback.

Starts a test upstream (answers after a delay it is told), nginx (Debian's package, in a temp
directory, `listen ... backlog=37`, stub_status, proxy_pass to the upstream) and the agent
with the sockets, nginx and netstat collectors. Checks:
  - nginx_up 1 and nginx_http_requests_total counting the requests sent;
  - nginx's listener with its backlog from sock_diag (scalewatch_listen_queue_max 37);
  - with the upstream slow, the connections nginx holds to it pile up on one remote endpoint
    (scalewatch_tcp_outbound_connections{remote="127.0.0.1:U"}) and the clients' show as
    inbound on nginx's port; they drain when it is fast again;
  - nginx stopped: its port is down (scalewatch_listen_port_up 0) and gone once
    (scalewatch_listen_port_gone_total), nginx_up 0; nginx started again: up again.
Everything listens on 127.0.0.1; every process is stopped at the end.
"""
import http.server
import os
import shutil
import socketserver
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BACKLOG = 37
SLOW_REQUESTS = 24


class Upstream(http.server.BaseHTTPRequestHandler):
    delay = 0.0

    def do_GET(self):
        time.sleep(Upstream.delay)
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 128


def nginx_binary():
    for path in ("/usr/sbin/nginx", shutil.which("nginx")):
        if path and os.access(path, os.X_OK):
            return path
    return None


def write_nginx_conf(directory, port, upstream_port):
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
    path = os.path.join(directory, "nginx.conf")
    with open(path, "w") as f:
        f.write(f"""
daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    server {{
        listen 127.0.0.1:{port} backlog={BACKLOG};
        location = /stub_status {{ stub_status; }}
        location / {{
            proxy_pass http://127.0.0.1:{upstream_port};
            proxy_read_timeout 30s;
        }}
    }}
}}
""")
    return path


def value(families, name, **labels):
    family = families.get(name)
    if family is None:
        return None
    for _, sample_labels, v in family.samples:
        if all(sample_labels.get(k) == str(want) for k, want in labels.items()):
            return v
    return None


def wait_for(base, what, predicate, timeout=20):
    deadline = time.monotonic() + timeout
    families = None
    while time.monotonic() < deadline:
        families = testlib.scrape_families(base)
        if predicate(families):
            return True, families
        time.sleep(0.25)
    return False, families


def get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def main():
    binary = sys.argv[1]
    results = testlib.Results()
    nginx = nginx_binary()
    if nginx is None:
        results.fail("nginx is installed (Debian package nginx)")
        return results.finish()
    procs = testlib.Processes()
    upstream = ThreadingServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    upstream_port = upstream.server_address[1]
    try:
        directory = procs.tempdir("scalewatch-sockets.")
        port = testlib.free_port()
        conf = write_nginx_conf(directory, port, upstream_port)
        command = [nginx, "-c", conf, "-p", directory, "-e", os.path.join(directory, "logs", "error.log")]
        server = procs.start("nginx", command, os.path.join(directory, "nginx.log"))
        testlib.wait_http(f"http://127.0.0.1:{port}/stub_status", server)
        agent, base = testlib.start_agent(
            procs, binary, directory, collectors=["netstat"],
            collector_options={"sockets": {"top_endpoints": 50},
                               "nginx": {"stub_status_url": f"http://127.0.0.1:{port}/stub_status"}})
        listener = {"address": "127.0.0.1", "port": port}

        families = testlib.scrape_families(base)
        results.check("nginx_up is 1", value(families, "nginx_up") == 1, str(value(families, "nginx_up")))
        results.check("sock_diag is the source", value(families, "scalewatch_sockets_source_info", source="netlink") == 1)
        results.check(f"nginx's listener has its backlog {BACKLOG}",
                      value(families, "scalewatch_listen_queue_max", **listener) == BACKLOG,
                      str(value(families, "scalewatch_listen_queue_max", **listener)))
        results.check("nginx's port is up and never gone",
                      value(families, "scalewatch_listen_port_up", **listener) == 1
                      and value(families, "scalewatch_listen_port_gone_total", port=port) == 0)

        before = value(families, "nginx_http_requests_total")
        for _ in range(10):
            get(f"http://127.0.0.1:{port}/")
        # The agent's own stub_status reads are requests too: one per collection, and a
        # collection serves scrapes for up to scrape_max_age (1 s).
        ok, families = wait_for(base, "requests", lambda f: (value(f, "nginx_http_requests_total") or 0) >= before + 10, 10)
        after = value(families, "nginx_http_requests_total")
        results.check("nginx_http_requests_total counts the 10 requests", ok and after - before <= 10 + 3,
                      f"{before} -> {after}")

        # A slow upstream parks nginx's connections on it.
        Upstream.delay = 4.0
        clients = [threading.Thread(target=get, args=(f"http://127.0.0.1:{port}/",), daemon=True)
                   for _ in range(SLOW_REQUESTS)]
        for c in clients:
            c.start()
        remote = f"127.0.0.1:{upstream_port}"
        ok, families = wait_for(base, "pile-up", lambda f: (value(
            f, "scalewatch_tcp_outbound_connections", remote=remote, state="established") or 0) >= SLOW_REQUESTS, 10)
        results.check(f"{SLOW_REQUESTS} connections to the slow upstream pile up on {remote}", ok,
                      str(value(families, "scalewatch_tcp_outbound_connections", remote=remote, state="established")))
        inbound = value(families, "scalewatch_tcp_inbound_connections", port=port, state="established") or 0
        results.check("the clients' connections are inbound on nginx's port", inbound >= SLOW_REQUESTS, str(inbound))
        rtt = value(families, "scalewatch_tcp_outbound_rtt_seconds", remote=remote)
        results.check("the upstream connections have an RTT", rtt is not None and 0 < rtt < 1, str(rtt))
        results.check("nginx reports the requests it is writing",
                      (value(families, "nginx_connections_writing") or 0) >= SLOW_REQUESTS,
                      str(value(families, "nginx_connections_writing")))
        Upstream.delay = 0.0
        for c in clients:
            c.join(timeout=30)
        ok, families = wait_for(base, "drain", lambda f: (value(
            f, "scalewatch_tcp_outbound_connections", remote=remote, state="established") or 0) == 0, 20)
        results.check("they drain when the upstream is fast again", ok)

        # Stopping nginx: the port is gone (deploy = outage).
        procs.stop(server)
        ok, families = wait_for(base, "gone", lambda f: value(f, "scalewatch_listen_port_up", **listener) == 0, 10)
        results.check("nginx stopped: its port is reported down", ok)
        results.check("... gone once", value(families, "scalewatch_listen_port_gone_total", port=port) == 1,
                      str(value(families, "scalewatch_listen_port_gone_total", port=port)))
        results.check("... and nginx_up is 0", value(families, "nginx_up") == 0, str(value(families, "nginx_up")))
        server = procs.start("nginx", command, os.path.join(directory, "nginx.log"))
        testlib.wait_http(f"http://127.0.0.1:{port}/stub_status", server)
        ok, families = wait_for(base, "back", lambda f: value(f, "scalewatch_listen_port_up", **listener) == 1
                                and value(f, "nginx_up") == 1, 10)
        results.check("nginx started again: up, the count kept", ok
                      and value(families, "scalewatch_listen_port_gone_total", port=port) == 1)
        results.check("the agent is still running", agent.poll() is None)
    finally:
        upstream.shutdown()
        procs.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
