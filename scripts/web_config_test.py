#!/usr/bin/env python3
"""web_config_test.py BINARY - the web config file (TLS, client certificates, basic auth,
headers) against real clients: curl, a real Prometheus scraping /metrics over TLS with basic
auth, promtool reading the API over https, and Python's ssl for the certificate served.

Makes a CA, server and client certificates with openssl and bcrypt hashes with htpasswd -B
(apache2-utils), starts the agent with --web.config.file, then checks: the right password
200, a wrong one or none 401 with WWW-Authenticate: Basic, plain HTTP to the TLS port
refused, the configured headers, the refusals counted; a client certificate required once
the file asks for one (and one from another CA refused); a renewed server certificate served
without a restart; a broken new file keeping the old one in force; web.config_file in
agent.yml, and a SIGHUP that makes it name another file.
"""
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time

import testlib

USER, PASSWORD = "prometheus", "scrape-secret"


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def make_ca(work, name):
    key, crt = f"{work}/{name}.key", f"{work}/{name}.pem"
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt, "-days", "2",
       "-subj", f"/CN={name}")
    return key, crt


def make_cert(work, name, ca, cn, server):
    key, csr, crt, ext = (f"{work}/{name}.key", f"{work}/{name}.csr", f"{work}/{name}.pem", f"{work}/{name}.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n" if server
                else "extendedKeyUsage=clientAuth\n")
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={cn}")
    sh("openssl", "x509", "-req", "-in", csr, "-CA", ca[1], "-CAkey", ca[0], "-CAcreateserial", "-out", crt,
       "-days", "2", "-extfile", ext)
    return key, crt


def bcrypt(password, cost=10):
    return sh("htpasswd", "-nbBC", str(cost), "", password).strip().strip(":")


def curl(url, *args):
    """(HTTP status or None when no HTTP answer came, headers text, body, curl's exit code)."""
    r = subprocess.run(["curl", "-sS", "-D", "-", "--max-time", "10", *args, url], capture_output=True, text=True)
    # Text mode has turned the head's CRLFs into LFs.
    head, _, body = r.stdout.partition("\n\n")
    m = re.match(r"HTTP/[\d.]+ (\d+)", head)
    return (int(m.group(1)) if m else None), head, body, r.returncode


def metric(text, name, labels=""):
    m = re.search(rf"^{re.escape(name)}{re.escape(labels)} (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def served_subject(port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        with ctx.wrap_socket(s, server_hostname="localhost") as t:
            return dict(x[0] for x in t.getpeercert()["subject"])["commonName"]


def write(path, text):
    # Written beside and renamed, as a certificate manager does: never a half-written file.
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def run(binary, work, procs, results):
    ca = make_ca(work, "ca")
    rogue_ca = make_ca(work, "rogue-ca")
    make_cert(work, "server", ca, "scalewatch-one", server=True)
    make_cert(work, "server-two", ca, "scalewatch-two", server=True)
    client = make_cert(work, "client", ca, "prometheus", server=False)
    rogue = make_cert(work, "rogue", rogue_ca, "intruder", server=False)
    hashed = bcrypt(PASSWORD)
    # The names are relative: the toolkit resolves them against the web config file's directory.
    base_tls = "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
    users = f"basic_auth_users:\n  {USER}: '{hashed}'\n"
    headers = "http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n    X-Frame-Options: deny\n"
    web = f"{work}/web.yml"
    write(web, base_tls + headers + users)

    # Both validators agree: ours and the toolkit's own (promtool check web-config).
    r = subprocess.run([binary, "check", "web-config", web], capture_output=True, text=True)
    results.check("check web-config accepts the file", r.returncode == 0 and "SUCCESS" in r.stdout, r.stdout + r.stderr)
    p = subprocess.run(["promtool", "check", "web-config", web], capture_output=True, text=True)
    results.check("promtool check web-config accepts the same file", p.returncode == 0, p.stdout + p.stderr)
    bad = f"{work}/bad.yml"
    write(bad, base_tls + "basic_auth_users:\n  someone: plaintext\n")
    r = subprocess.run([binary, "check", "web-config", bad], capture_output=True, text=True)
    results.check("check web-config refuses a plain-text password with file:line",
                  r.returncode != 0 and f"{bad}:5:" in r.stderr and "bcrypt" in r.stderr, r.stderr)
    p = subprocess.run(["promtool", "check", "web-config", bad], capture_output=True, text=True)
    results.check("promtool refuses it too", p.returncode != 0, p.stdout + p.stderr)

    agent_dir = os.path.join(work, "agent")
    port = testlib.free_port()
    cfg = testlib.write_agent_config(agent_dir, port, collectors=["loadavg", "meminfo"], interval="1s")
    agent = procs.start("scalewatch", [binary, "agent", "--config", cfg, "--web.config.file", web],
                        os.path.join(agent_dir, "agent.log"))
    testlib.wait_port(port, agent)
    url = f"https://127.0.0.1:{port}"
    tls = ["--cacert", ca[1]]

    status, head, body, _ = curl(url + "/metrics", *tls, "-u", f"{USER}:{PASSWORD}")
    results.check("https with the right password: 200", status == 200 and "node_load1" in body, head)
    results.check("the file's headers are on the answer",
                  "x-content-type-options: nosniff" in head.lower() and "x-frame-options: deny" in head.lower(), head)
    status, head, _, _ = curl(url + "/metrics", *tls, "-u", f"{USER}:wrong")
    results.check("a wrong password: 401 with WWW-Authenticate: Basic",
                  status == 401 and "www-authenticate: basic" in head.lower(), head)
    status, head, _, _ = curl(url + "/api/v1/query?query=up", *tls)
    results.check("no credentials on the API: 401", status == 401, head)
    status, head, _, _ = curl(url + "/-/healthy", *tls, "-u", f"nobody:{PASSWORD}")
    results.check("an unknown user on /-/healthy: 401", status == 401, head)
    status, head, body, _ = curl(f"http://127.0.0.1:{port}/metrics", "-u", f"{USER}:{PASSWORD}")
    results.check("plain HTTP to the TLS port: refused (400, no metrics)",
                  status == 400 and "HTTPS server" in body and "node_load1" not in body, head + body)

    # A scraper every second pays for one bcrypt: later answers come from the cache.
    times = []
    for _ in range(6):
        t = time.monotonic()
        curl(url + "/-/healthy", *tls, "-u", f"{USER}:{PASSWORD}")
        times.append(time.monotonic() - t)
    results.info("right-password requests, cached (s): " + ", ".join(f"{x:.3f}" for x in times))
    fresh = []
    for i in range(3):
        t = time.monotonic()
        curl(url + "/-/healthy", *tls, "-u", f"{USER}:wrong-{i}")
        fresh.append(time.monotonic() - t)
    results.info("new wrong passwords, one bcrypt each (s): " + ", ".join(f"{x:.3f}" for x in fresh))
    results.check("a cached answer costs no bcrypt", min(fresh) > sorted(times)[len(times) // 2],
                  f"cached {times}, fresh {fresh}")
    time.sleep(1.2)  # /metrics serves a snapshot up to scrape_max_age (1 s) old

    _, _, body, _ = curl(url + "/metrics", *tls, "-u", f"{USER}:{PASSWORD}")
    wrong = metric(body, "scalewatch_http_auth_failures_total", '{reason="wrong_password"}')
    missing = metric(body, "scalewatch_http_auth_failures_total", '{reason="missing_credentials"}')
    unknown = metric(body, "scalewatch_http_auth_failures_total", '{reason="unknown_user"}')
    plain = metric(body, "scalewatch_http_tls_handshake_failures_total", '{reason="plain_http"}')
    results.check("refusals counted by reason", wrong == 4 and missing == 1 and unknown == 1 and plain == 1,
                  f"wrong {wrong} missing {missing} unknown {unknown} plain_http {plain}")

    # A real Prometheus scrapes /metrics over TLS with basic auth.
    prom_port = testlib.free_port()
    with open(f"{work}/prometheus.yml", "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
scrape_configs:
  - job_name: agent
    scheme: https
    tls_config:
      ca_file: {ca[1]}
      server_name: localhost
    basic_auth:
      username: {USER}
      password: {PASSWORD}
    static_configs:
      - targets: ['127.0.0.1:{port}']
""")
    prom = procs.start("prometheus", [
        "prometheus", f"--config.file={work}/prometheus.yml", f"--storage.tsdb.path={work}/prom",
        f"--web.listen-address=127.0.0.1:{prom_port}"], os.path.join(work, "prometheus.log"))
    pbase = f"http://127.0.0.1:{prom_port}"
    testlib.wait_http(pbase + "/-/ready", prom, timeout=60)
    up = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, _, body = testlib.http_get(pbase + "/api/v1/query?query=up%7Bjob%3D%22agent%22%7D")
        m = re.search(rb'"value":\[[\d.]+,"(\d)"\]', body)
        if status == 200 and m:
            up = m.group(1).decode()
            if up == "1":
                break
        time.sleep(1)
    results.check("Prometheus scrapes /metrics over TLS with basic auth (up == 1)", up == "1",
                  f"up={up}\n{procs.log_tail(prom)}")

    # promtool (2.42 has no --http.config.file): the CA through SSL_CERT_FILE, the user in the URL.
    env = dict(os.environ, SSL_CERT_FILE=ca[1])
    r = subprocess.run(["promtool", "query", "instant", f"https://{USER}:{PASSWORD}@localhost:{port}", "node_load1"],
                       capture_output=True, text=True, env=env, timeout=60)
    results.check("promtool query instant over https with basic auth", r.returncode == 0 and "node_load1" in r.stdout,
                  r.stdout + r.stderr)
    r = subprocess.run(["promtool", "query", "instant", f"https://{USER}:wrong@localhost:{port}", "node_load1"],
                       capture_output=True, text=True, env=env, timeout=60)
    results.check("promtool with a wrong password fails", r.returncode != 0, r.stdout + r.stderr)

    # Renewal: the server certificate replaced on disk is served to the next connection.
    results.check("the first certificate is served", served_subject(port, ca[1]) == "scalewatch-one")
    with open(f"{work}/server-two.pem") as c, open(f"{work}/server-two.key") as k:
        cert, key = c.read(), k.read()
    write(f"{work}/server.key", key)
    write(f"{work}/server.pem", cert)
    time.sleep(1.5)
    subject = served_subject(port, ca[1])
    results.check("a renewed certificate is served without a restart", subject == "scalewatch-two", subject)

    # Client certificates: required and verified once the file says so.
    write(web, base_tls + f"  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: {ca[1]}\n" + headers + users)
    time.sleep(1.5)
    status, _, _, code = curl(url + "/-/healthy", *tls, "-u", f"{USER}:{PASSWORD}")
    results.check("no client certificate: the handshake is refused", status is None and code != 0, f"curl exit {code}")
    status, _, _, code = curl(url + "/-/healthy", *tls, "-u", f"{USER}:{PASSWORD}", "--cert", rogue[1], "--key", rogue[0])
    results.check("a client certificate from another CA: refused", status is None and code != 0, f"curl exit {code}")
    mine = ["--cert", client[1], "--key", client[0]]
    time.sleep(1.2)
    status, _, body, _ = curl(url + "/metrics", *tls, *mine, "-u", f"{USER}:{PASSWORD}")
    results.check("the client CA's certificate and the password: 200", status == 200, body[:200])
    handshakes = metric(body, "scalewatch_http_tls_handshake_failures_total", '{reason="handshake"}')
    results.check("failed handshakes counted", handshakes is not None and handshakes >= 2, f"{handshakes}")
    status, _, _, _ = curl(url + "/metrics", *tls, *mine)
    results.check("a client certificate does not replace the password: 401", status == 401)

    # A broken new file: the one in force stays, the refusal is logged and counted.
    write(web, base_tls + "basic_auth_users:\n  prometheus: not-a-hash\n")
    time.sleep(1.5)
    status, _, body, _ = curl(url + "/metrics", *tls, *mine, "-u", f"{USER}:{PASSWORD}")
    results.check("a broken new file keeps the old one in force", status == 200, body[:200])
    time.sleep(1.2)
    _, _, body, _ = curl(url + "/metrics", *tls, *mine, "-u", f"{USER}:{PASSWORD}")
    results.check("... and says so in metrics",
                  metric(body, "scalewatch_web_config_last_reload_successful") == 0
                  and (metric(body, "scalewatch_web_config_reload_failures_total") or 0) >= 1)
    with open(os.path.join(agent_dir, "agent.log")) as f:
        log = f.read()
    results.check("... and in the log", "web config file refused" in log, log[-500:])
    results.check("no password or hash in the log", PASSWORD not in log and hashed not in log)

    # TLS off again (no tls_server_config): the next connection is plain HTTP.
    write(web, users)
    time.sleep(1.5)
    status, _, _, _ = curl(f"http://127.0.0.1:{port}/-/healthy", "-u", f"{USER}:{PASSWORD}")
    results.check("TLS removed from the file: plain HTTP served, auth still on", status == 200)
    status, _, _, _ = curl(f"http://127.0.0.1:{port}/-/healthy")
    results.check("... and without credentials 401", status == 401)
    procs.stop(agent)

    # web.config_file in agent.yml (relative to it), and a SIGHUP that names another file.
    second = os.path.join(work, "second")
    port = testlib.free_port()
    cfg = testlib.write_agent_config(second, port, collectors=["loadavg"], interval="1s")
    write(f"{second}/web-a.yml", users)
    write(f"{second}/web-b.yml", f"basic_auth_users:\n  grafana: '{bcrypt('dashboards')}'\n")
    with open(cfg, "a") as f:
        f.write("web:\n  config_file: web-a.yml\n")
    agent = procs.start("scalewatch", [binary, "agent", "--config", cfg], os.path.join(second, "agent.log"))
    testlib.wait_port(port, agent)
    base = f"http://127.0.0.1:{port}/-/healthy"
    results.check("web.config_file in agent.yml: its users are asked for",
                  curl(base)[0] == 401 and curl(base, "-u", f"{USER}:{PASSWORD}")[0] == 200)
    with open(cfg) as f:
        text = f.read()
    write(cfg, text.replace("web-a.yml", "web-b.yml"))
    agent.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and curl(base, "-u", "grafana:dashboards")[0] != 200:
        time.sleep(0.2)
    results.check("SIGHUP: the file agent.yml now names is in force",
                  curl(base, "-u", "grafana:dashboards")[0] == 200 and curl(base, "-u", f"{USER}:{PASSWORD}")[0] == 401)


if __name__ == "__main__":
    sys.exit(testlib.run_test(run, "scalewatch-webconfig-test."))
