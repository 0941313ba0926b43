#!/usr/bin/env python3
"""Alert delivery from the agent to a webhook receiver (issue 11 §2), against the built binary:
a rule fires → the receiver gets Alertmanager's webhook payload (version "4") and, after the
condition clears, the resolution; a receiver answering 503 gets retries and the notification
once; a SIGKILL with a notification still in the outbox, then a restart, delivers it exactly
once (by Idempotency-Key) and sends no second firing notification; a SIGHUP between a firing
and its resolution changes nothing a receiver sees; a real Alertmanager (Debian's) gets the
alerts by push and forwards them, firing and resolved. Also: `check config`
refuses a bad `alerting:` section with file:line:column."""
import shutil
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from webhook_receiver import WebhookReceiver, alerting_section  # noqa: E402

BIN = sys.argv[1]


def make_certificates(work):
    """A CA and a server certificate for 127.0.0.1 signed by it; returns (ca, cert, key)."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=work)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=scalewatch test CA",
        "-keyout", "ca.key", "-out", "ca.pem")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(work, "ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1",
        "-extfile", "ext.cnf", "-out", "server.pem")
    return tuple(os.path.join(work, name) for name in ("ca.pem", "server.pem", "server.key"))


def write_config(work, port, hook_port, rules, scheme="http", http_config=""):
    config = testlib.write_agent_config(work, port, collectors=["loadavg"], interval="1s")
    with open(os.path.join(work, "rules.yml"), "w") as f:
        f.write(rules)
    with open(config, "a") as f:
        f.write("rule_files: [rules.yml]\nevaluation_interval: 1s\n"
                + alerting_section(f"{scheme}://127.0.0.1:{hook_port}/alerts", http_config))
    return config


def rules_until(seconds_from_now):
    end = int(time.time() + seconds_from_now)
    return f"""groups:
  - name: notify
    interval: 1s
    rules:
      - alert: Briefly
        expr: vector(time()) < {end}
        labels:
          severity: page
        annotations:
          summary: "until {end}"
"""


ALWAYS = """groups:
  - name: notify
    interval: 1s
    rules:
      - alert: Always
        expr: vector(1)
"""


def main():
    results = testlib.Results()
    procs = testlib.Processes()
    receivers = []
    try:
        # 1. Fires, then resolves.
        work = procs.tempdir()
        port, hook_port = testlib.free_port(), testlib.free_port()
        receiver = WebhookReceiver(hook_port)
        receivers.append(receiver)
        config = write_config(work, port, hook_port, rules_until(6))
        agent = procs.start("agent", [BIN, "agent", "--config", config], os.path.join(work, "agent.log"))
        testlib.wait_port(port, agent)
        testlib.poll(lambda: len(receiver.delivered()) >= 1, 20, step=0.2)
        # A reload between the firing and the resolution keeps the group: no second firing.
        os.kill(agent.pid, signal.SIGHUP)
        testlib.poll(lambda: len(receiver.delivered()) >= 2, 25, step=0.2)
        time.sleep(2)
        got = receiver.delivered()
        first = got[0].body if got else {}
        alert = (first.get("alerts") or [{}])[0]
        results.check("the receiver gets the firing alert as webhook version 4",
                      first.get("version") == "4" and first.get("status") == "firing"
                      and alert.get("labels", {}).get("alertname") == "Briefly"
                      and alert.get("endsAt") == "0001-01-01T00:00:00Z"
                      and first.get("groupKey") == '{}:{alertname="Briefly"}'
                      and len(alert.get("fingerprint", "")) == 16, json.dumps(first))
        results.check("alerts carry instance: <hostname> by default",
                      alert.get("labels", {}).get("instance") == os.uname().nodename, json.dumps(alert))
        results.check("each notification has an Idempotency-Key",
                      all(d.key for d in got), str([d.headers for d in got]))
        second = got[1].body if len(got) > 1 else {}
        results.check("the resolution follows", second.get("status") == "resolved"
                      and second["alerts"][0]["endsAt"] != "0001-01-01T00:00:00Z", json.dumps(second))
        log = open(os.path.join(work, "agent.log")).read()
        results.check("one log line per delivered firing and resolved alert",
                      log.count("alert firing, notification delivered") == 1
                      and log.count("alert resolved, notification delivered") == 1, log[-2000:])
        results.check("SIGHUP reloaded between them, and nothing was sent twice",
                      "config reloaded" in log and len(got) == 2, log[-2000:])
        procs.stop(agent)

        # 2. 503 twice, then 200: retried, delivered once.
        work = procs.tempdir()
        port, hook_port = testlib.free_port(), testlib.free_port()
        receiver = WebhookReceiver(hook_port)
        receiver.answer(503, times=2)
        receivers.append(receiver)
        config = write_config(work, port, hook_port, ALWAYS)
        agent = procs.start("agent", [BIN, "agent", "--config", config], os.path.join(work, "agent.log"))
        testlib.wait_port(port, agent)
        testlib.poll(lambda: len(receiver.delivered()) >= 1, 25, step=0.2)
        time.sleep(3)
        requests = receiver.all()
        keys = {d.key for d in requests}
        results.check("503 is retried with the same key, then delivered once",
                      [d.status for d in requests] == [503, 503, 200] and len(keys) == 1, str([(d.status, d.key) for d in requests]))
        procs.stop(agent)

        # 3. SIGKILL with a notification in the outbox; restart: delivered exactly once.
        work = procs.tempdir()
        port, hook_port = testlib.free_port(), testlib.free_port()
        config = write_config(work, port, hook_port, ALWAYS)
        state = os.path.join(work, "data", "notifications", "state.json")

        def queued():
            try:
                with open(state) as f:
                    return len(json.load(f)["queue"]) > 0
            except (OSError, ValueError, KeyError):
                return False

        agent = procs.start("agent", [BIN, "agent", "--config", config], os.path.join(work, "agent.log"))
        testlib.wait_port(port, agent)
        results.check("with the receiver down, the notification waits in the outbox", testlib.poll(queued, 20, step=0.2),
                      procs.log_tail(agent))
        os.kill(agent.pid, signal.SIGKILL)
        agent.wait()
        receiver = WebhookReceiver(hook_port)
        receivers.append(receiver)
        agent = procs.start("agent", [BIN, "agent", "--config", config], os.path.join(work, "agent2.log"))
        testlib.wait_port(port, agent)
        testlib.poll(lambda: len(receiver.delivered()) >= 1, 25, step=0.2)
        time.sleep(5)
        got = receiver.delivered()
        keys = [d.key for d in got]
        results.check("after SIGKILL and restart the queued notification arrives exactly once, no second firing",
                      len(got) == 1 and len(set(keys)) == 1, str([(d.key, d.body.get("status")) for d in got]))
        results.check("SIGTERM stops the agent cleanly", procs.stop(agent) == 0, procs.log_tail(agent))
        with open(state) as f:
            saved = json.load(f)
        results.check("the outbox is empty and the log holds the group after the stop",
                      saved["queue"] == [] and any("Always" in e["key"] for e in saved["log"]), json.dumps(saved)[:500])

        restarted_config = config

        # 4. A real Alertmanager gets the alerts and forwards them through its own webhook.
        if shutil.which("prometheus-alertmanager"):
            work = procs.tempdir()
            port, hook_port, am_port = testlib.free_port(), testlib.free_port(), testlib.free_port()
            receiver = WebhookReceiver(hook_port)
            receivers.append(receiver)
            with open(os.path.join(work, "am.yml"), "w") as f:
                f.write(f"""route: {{receiver: hook, group_by: [alertname], group_wait: 1s, group_interval: 1s, repeat_interval: 1h}}
receivers: [{{name: hook, webhook_configs: [{{url: 'http://127.0.0.1:{hook_port}/', send_resolved: true}}]}}]
""")
            am = procs.start("alertmanager", ["prometheus-alertmanager", "--config.file", os.path.join(work, "am.yml"),
                                              "--storage.path", os.path.join(work, "am-data"),
                                              "--web.listen-address", f"127.0.0.1:{am_port}",
                                              "--cluster.listen-address="], os.path.join(work, "am.log"))
            testlib.wait_port(am_port, am)
            config = testlib.write_agent_config(work, port, collectors=["loadavg"], interval="1s")
            with open(os.path.join(work, "rules.yml"), "w") as f:
                f.write(rules_until(8))
            with open(config, "a") as f:
                f.write(f"""rule_files: [rules.yml]
evaluation_interval: 1s
alerting:
  alertmanagers:
    - static_configs: [{{targets: ['127.0.0.1:{am_port}']}}]
      timeout: 2s
""")
            agent = procs.start("agent", [BIN, "agent", "--config", config], os.path.join(work, "agent.log"))
            testlib.wait_port(port, agent)
            testlib.poll(lambda: len(receiver.delivered()) >= 1, 20, step=0.2)
            query = subprocess.run(["amtool", "alert", "query", "--alertmanager.url", f"http://127.0.0.1:{am_port}",
                                    "-o", "json"], capture_output=True, text=True, timeout=20)
            listed = json.loads(query.stdout or "[]")
            results.check("amtool lists the agent's alert in Alertmanager",
                          any(a["labels"].get("alertname") == "Briefly"
                              and a["labels"].get("instance") == os.uname().nodename for a in listed),
                          query.stdout + query.stderr)
            got = receiver.delivered()
            results.check("Alertmanager forwards the firing alert to its webhook",
                          bool(got) and got[0].body["status"] == "firing"
                          and got[0].body["alerts"][0]["labels"]["alertname"] == "Briefly", json.dumps([d.body for d in got]))
            testlib.poll(lambda: any(d.body["status"] == "resolved" for d in receiver.delivered()), 25, step=0.2)
            results.check("and its resolution after the condition clears",
                          any(d.body["status"] == "resolved" for d in receiver.delivered()),
                          json.dumps([d.body for d in receiver.delivered()]) + procs.log_tail(agent))
            procs.stop(agent)
            procs.stop(am)
        else:
            results.fail("prometheus-alertmanager is installed (make deps)")

        # 5. HTTPS with a custom CA and a bearer token from a file.
        work = procs.tempdir()
        ca, cert, key = make_certificates(work)
        token = os.path.join(work, "token")
        with open(token, "w") as f:
            f.write("t0ken\n")
        port, hook_port = testlib.free_port(), testlib.free_port()
        receiver = WebhookReceiver(hook_port, tls=(cert, key))
        receivers.append(receiver)
        config = write_config(work, port, hook_port, ALWAYS, scheme="https", http_config=f"""          http_config:
            authorization: {{credentials_file: {token}}}
            tls_config: {{ca_file: {ca}}}
""")
        agent = procs.start("agent", [BIN, "agent", "--config", config], os.path.join(work, "agent.log"))
        testlib.wait_port(port, agent)
        testlib.poll(lambda: len(receiver.delivered()) >= 1, 20, step=0.2)
        got = receiver.delivered()
        results.check("https with tls_config.ca_file delivers, with the token from its file",
                      len(got) == 1 and got[0].headers.get("Authorization") == "Bearer t0ken", str([d.headers for d in got]) + procs.log_tail(agent))
        procs.stop(agent)
        log = open(os.path.join(work, "agent.log")).read()
        results.check("the token never appears in the log", "t0ken" not in log, "")

        # 6. A bad alerting section is refused with file:line:column.
        with open(restarted_config, "a") as f:
            f.write("    - name: extra\n      webhook_configs: [{url: 'ftp://x'}]\n")
        check = subprocess.run([BIN, "check", "config", restarted_config], capture_output=True, text=True, timeout=30)
        results.check("check config refuses a bad webhook url with file:line:column",
                      check.returncode != 0 and "agent.yml:" in check.stderr + check.stdout
                      and "must be an http:// or https:// URL" in check.stderr + check.stdout, check.stdout + check.stderr)
    finally:
        for r in receivers:
            r.close()
        procs.close()
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
