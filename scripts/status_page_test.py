#!/usr/bin/env python3
"""The status page (`/`) and `/graph` in a real browser: headless Chromium (Debian
`chromium`) loads each page with console logging on, dumps the DOM and takes a screenshot.
Checks: no console message at all (the pages run no script, so any message is an error:
a CSP refusal, a broken SVG), the expected content in the DOM, a PNG that is not blank.
Screenshots go to $SCALEWATCH_TEST_ARTIFACTS (default test-artifacts/) / status-page/.
The agent runs with the shipped rule pack, so the always-firing `Watchdog` alert is listed."""
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

BIN = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTIFACTS = os.path.join(os.environ.get("SCALEWATCH_TEST_ARTIFACTS", os.path.join(ROOT, "test-artifacts")), "status-page")


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browse(browser, url, screenshot, size="1280,1800"):
    """(dom, console messages, screenshot ok) for `url`; a fresh profile each time."""
    profile = os.path.join(ARTIFACTS, ".profile")
    shutil.rmtree(profile, ignore_errors=True)
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", f"--window-size={size}"]
    dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=120)
    shot = subprocess.run(common + [f"--screenshot={screenshot}", url], capture_output=True, text=True, timeout=120)
    console = [line for line in (dom.stderr + shot.stderr).splitlines() if "CONSOLE" in line or "Uncaught" in line]
    return dom.stdout, console, os.path.exists(screenshot) and os.path.getsize(screenshot) > 10_000


def main():
    results = testlib.Results()
    browser = chromium()
    if browser is None:
        results.fail("chromium is installed", "apt-get install chromium (make deps installs it)")
        return results.finish()
    os.makedirs(ARTIFACTS, exist_ok=True)
    procs = testlib.Processes()
    try:
        work = procs.tempdir()
        agent, base = testlib.start_agent(procs, BIN, work, interval="1s",
                                          rule_files=[f"{ROOT}/config/rules/*.yml"], evaluation_interval="1s")
        testlib.wait_http(base + "/-/ready", agent)
        time.sleep(35)  # two of the page's 15 s steps at least: lines, not dots

        started = time.monotonic()
        dom, console, shot = browse(browser, base + "/", os.path.join(ARTIFACTS, "status.png"))
        results.info(f"status page loaded, dumped and screenshotted in {time.monotonic() - started:.1f} s")
        results.check("status page: no console messages", not console, "\n".join(console))
        results.check("status page: screenshot saved", shot, ARTIFACTS)
        for text in ("<h2>Alerts</h2>", "Watchdog", "/runbooks/Watchdog", "<h2>Stage signals</h2>",
                     "Stage 1 · one server", "Stage 7 · replicas and shards", "<h2>Recent events</h2>", "<svg"):
            results.check(f"status page shows {text}", text in dom, dom[:400])
        numbers = re.findall(r'<th scope="row">Memory available</th><td>([^<]*)</td>', dom)
        results.check("memory available is a number in bytes", bool(numbers) and numbers[0].endswith("iB"), str(numbers))
        results.check("status page: no query failed", "error:" not in dom and "could not be read" not in dom,
                      re.findall(r"error:[^<]*", dom)[:3])
        paths = re.findall(r'<path d="M[^"]*"', dom)
        results.check("status page: charts have lines", any(" L" in p for p in paths), str(paths[:2]))
        lynx = subprocess.run(["w3m", "-dump", "-T", "text/html", "-cols", "120"], input=dom, capture_output=True,
                              text=True) if shutil.which("w3m") else None
        if lynx is not None:
            with open(os.path.join(ARTIFACTS, "status.txt"), "w") as f:
                f.write(lynx.stdout)
            results.check("w3m reads the alerts before the stages",
                          0 <= lynx.stdout.find("Watchdog") < lynx.stdout.find("Stage signals"), lynx.stdout[:600])

        expr = 'rate(process_cpu_seconds_total[1m])'
        graph = f"{base}/graph?expr={urllib.parse.quote(expr)}&range=5m"
        dom, console, shot = browse(browser, graph, os.path.join(ARTIFACTS, "graph.png"), size="820,380")
        results.check("graph: no console messages", not console, "\n".join(console))
        results.check("graph: screenshot saved", shot)
        results.check("graph: an SVG with a line, a legend and a UTC axis",
                      "<svg" in dom and ">UTC</text>" in dom and " — last " in dom and " L" in dom, dom[:300])

        dom, console, shot = browse(browser, f"{base}/graph?expr=sum(", os.path.join(ARTIFACTS, "graph-error.png"),
                                    size="820,120")
        results.check("graph error: says what was wrong", "parse error" in dom and "Cannot draw this graph" in dom, dom[:300])
        results.check("graph error: no console messages", not console, "\n".join(console))

        hostile = 'label_replace(vector(1), "x", "<script>alert(1)</script>", "", "")'
        status, _, body = testlib.http_get(f"{base}/graph?expr={urllib.parse.quote(hostile)}")
        results.check("graph: a hostile label value is escaped",
                      status == 200 and b"<script" not in body and b"&lt;script&gt;" in body, body[:300])
    finally:
        procs.close()
        shutil.rmtree(os.path.join(ARTIFACTS, ".profile"), ignore_errors=True)
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
