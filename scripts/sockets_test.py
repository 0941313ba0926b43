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
  - the listener's owner: scalewatch_listen_port_info names process nginx and its unit. This
    sandbox has no systemd as PID 1 (systemd-run cannot start units), so, as root, nginx is
    started inside a cgroup made for the test, `scalewatch-test.slice/scalewatch-test-nginx-
    PORT.service` in the cgroup v2 tree (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid
    host), the path and name systemd gives a service; without root or a v2 tree, the process
    name alone is checked;
  - nginx reloaded with its listen line moved to another port: the port is down while its
    unit runs (scalewatch_listen_port_owner_running 1, the "up without listening" case), and
    back after the reload that restores it;
  - nginx stopped: its port is down (scalewatch_listen_port_up 0) and gone
    (scalewatch_listen_port_gone_total), nginx_up 0, its unit no longer running
    (owner_running 0) and still named; nginx started again: up again.
Everything listens on 127.0.0.1; every process is stopped and the test cgroup removed at the end.
"""
import os
import signal
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BACKLOG = 37
SLOW_REQUESTS = 24


class TestUnit:
    """A cgroup v2 group named like a systemd service for nginx to run in, where this sandbox
    cannot start a real unit; None when the host has no v2 tree or we are not root."""

    @staticmethod
    def make(port):
        if os.geteuid() != 0:
            return None
        for root in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified"):
            if os.path.exists(os.path.join(root, "cgroup.controllers")):
                break
        else:
            return None
        unit = TestUnit(root, f"scalewatch-test-nginx-{port}.service")
        try:
            os.makedirs(unit.path)
        except OSError:
            return None
        return unit

    def __init__(self, root, name):
        self.name = name
        self.slice = os.path.join(root, "scalewatch-test.slice")
        self.path = os.path.join(self.slice, name)

    def command(self, command):
        """COMMAND run inside the group: the shell joins it, then becomes the command."""
        procs = os.path.join(self.path, "cgroup.procs")
        return ["sh", "-c", f'echo $$ > {procs} && exec "$@"', "sh", *command]

    def remove(self):
        for path in (self.path, self.slice):
            try:
                os.rmdir(path)
            except OSError:
                pass


def value(families, name, **labels):
    family = families.get(name)
    if family is None:
        return None
    for _, sample_labels, v in family.samples:
        if all(sample_labels.get(k) == str(want) for k, want in labels.items()):
            return v
    return None


def owner_labels(families, listener):
    """The process and unit labels of the listener's scalewatch_listen_port_info."""
    family = families.get("scalewatch_listen_port_info")
    for _, labels, _ in (family.samples if family else []):
        if labels.get("address") == listener["address"] and labels.get("port") == str(listener["port"]):
            return {k: v for k, v in labels.items() if k in ("process", "unit")}
    return {}


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
    nginx_bin = testlib.nginx_binary()
    if nginx_bin is None:
        results.fail("nginx is installed (Debian package nginx)")
        return results.finish()
    procs = testlib.Processes()
    unit = None
    upstream = testlib.Upstream()
    upstream_port = upstream.port
    try:
        directory = procs.tempdir("scalewatch-sockets.")
        port = testlib.free_port()
        nginx = testlib.Nginx(procs, nginx_bin, directory, port, upstream_port, read_timeout="30s",
                              backlog=BACKLOG, stub_status=True)
        conf = nginx.conf
        unit = TestUnit.make(port)
        if unit is not None:
            nginx.command = unit.command(nginx.command)
            testlib.Results.info(f"nginx runs in the cgroup {unit.path}")
        else:
            testlib.Results.info("no cgroup v2 tree or not root: nginx's unit is not checked, only its process")
        server = nginx.start()
        testlib.wait_http(f"http://127.0.0.1:{port}/stub_status", server)
        agent, base = testlib.start_agent(
            procs, binary, directory, collectors=["netstat"],
            # connections_max_age 0s: the pile-up below lasts 4 s, less than the collection
            # interval for which connections are otherwise reused between two scrapes.
            collector_options={"sockets": {"top_endpoints": 50, "connections_max_age": "0s"},
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
        owner = owner_labels(families, listener)
        testlib.Results.info(f"nginx's listener owner as the agent reports it: {owner}")
        results.check("the listener's owner is process nginx", owner.get("process") == "nginx", str(owner))
        if unit is not None:
            results.check(f"... in unit {unit.name}", owner.get("unit") == unit.name, str(owner))
        results.check("... which runs", value(families, "scalewatch_listen_port_owner_running", **listener) == 1)

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
        upstream.delay = 4.0
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
        upstream.delay = 0.0
        for c in clients:
            c.join(timeout=30)
        ok, families = wait_for(base, "drain", lambda f: (value(
            f, "scalewatch_tcp_outbound_connections", remote=remote, state="established") or 0) == 0, 20)
        results.check("they drain when the upstream is fast again", ok)

        # A reload that moves the listener elsewhere: the port is gone while nginx runs.
        other_port = testlib.free_port()
        with open(conf) as f:
            original = f.read()
        with open(conf, "w") as f:
            f.write(original.replace(f"listen 127.0.0.1:{port} ", f"listen 127.0.0.1:{other_port} "))
        os.kill(server.pid, signal.SIGHUP)
        ok, families = wait_for(base, "moved", lambda f: value(f, "scalewatch_listen_port_up", **listener) == 0, 10)
        results.check("nginx reloaded without its port: the port is down", ok)
        results.check("... while its owner still runs (up without listening)",
                      value(families, "scalewatch_listen_port_owner_running", **listener) == 1,
                      str(value(families, "scalewatch_listen_port_owner_running", **listener)))
        results.check("... and the owner is still named", owner_labels(families, listener) == owner,
                      str(owner_labels(families, listener)))
        with open(conf, "w") as f:
            f.write(original)
        os.kill(server.pid, signal.SIGHUP)
        ok, families = wait_for(base, "restored", lambda f: value(f, "scalewatch_listen_port_up", **listener) == 1, 10)
        results.check("reloaded with it again: up", ok)

        # Stopping nginx: the port is gone (deploy = outage), its unit stopped.
        nginx.stop()
        ok, families = wait_for(base, "gone", lambda f: value(f, "scalewatch_listen_port_up", **listener) == 0
                                and value(f, "scalewatch_listen_port_owner_running", **listener) == 0, 10)
        results.check("nginx stopped: its port is reported down and its owner stopped", ok,
                      str(value(families, "scalewatch_listen_port_owner_running", **listener)))
        results.check("... gone twice (the reload, the stop)",
                      value(families, "scalewatch_listen_port_gone_total", port=port) == 2,
                      str(value(families, "scalewatch_listen_port_gone_total", port=port)))
        results.check("... its owner still named", owner_labels(families, listener) == owner,
                      str(owner_labels(families, listener)))
        results.check("... and nginx_up is 0", value(families, "nginx_up") == 0, str(value(families, "nginx_up")))
        server = nginx.start()
        testlib.wait_http(f"http://127.0.0.1:{port}/stub_status", server)
        ok, families = wait_for(base, "back", lambda f: value(f, "scalewatch_listen_port_up", **listener) == 1
                                and value(f, "nginx_up") == 1, 10)
        results.check("nginx started again: up, the count kept", ok
                      and value(families, "scalewatch_listen_port_gone_total", port=port) == 2)
        results.check("... the same unit and process own it", owner_labels(families, listener) == owner,
                      str(owner_labels(families, listener)))
        results.check("the agent is still running", agent.poll() is None)
    finally:
        upstream.close()
        procs.close()
        if unit is not None:
            unit.remove()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
