#!/usr/bin/env python3
"""openmetrics_parse_test.py BINARY - the agent's /metrics through real parsers.

Starts `BINARY agent` (every collector enabled) on a free loopback port and checks:
  - `Accept: application/openmetrics-text; version=1.0.0` and Prometheus' own Accept header get
    `application/openmetrics-text; version=1.0.0; charset=utf-8`;
  - the OpenMetrics body ends with `# EOF` (once, nothing after but one newline) and parses with
    prometheus_client's strict OpenMetrics parser;
  - every OpenMetrics counter's samples end in `_total` (or `_created`); a counter whose name does
    not end in `_total` is `unknown` there;
  - both formats carry the same sample names (so a scraping Prometheus stores the same series
    whichever it negotiates) and compatible types;
  - families are sorted by name in the text format, and declared once in both;
  - `Accept-Encoding: gzip` gives `Content-Encoding: gzip`, the body decompresses to a body that
    parses; without it the body is not compressed;
  - no Accept header gives `text/plain; version=0.0.4; charset=utf-8`, which parses with
    prometheus_client's text parser;
  - /-/healthy, /-/ready and / answer 200.
Needs: pip package prometheus_client. Ends with "N passed, N failed".
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

try:
    from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
    from prometheus_client.parser import text_string_to_metric_families as parse_prometheus_text
except ImportError:
    sys.exit("prometheus_client is not installed (pip install prometheus_client)")

OM_ACCEPT = "application/openmetrics-text; version=1.0.0"


def check_content_type(r, what, resp, want):
    got = resp.header("Content-Type")
    r.check(f"{what}: HTTP {resp.status}, Content-Type '{want}'", resp.status == 200 and got == want,
            f"HTTP {resp.status}, Content-Type {got!r}")


def strict_parse(r, what, parser, text):
    try:
        families = list(parser(text))
        r.check(f"{what}: parses ({len(families)} families, "
                f"{sum(len(f.samples) for f in families)} samples)", bool(families), "no families")
        return families
    except Exception as e:  # the parsers raise ValueError, but also KeyError/IndexError on odd input
        r.fail(f"{what}: parses", f"{type(e).__name__}: {e}")
        return None


def declared_order(text):
    """Family names in order of their # TYPE lines."""
    return [line.split()[2] for line in text.split("\n") if line.startswith("# TYPE ")]


def check_sorted(r, what, names):
    unsorted = [f"{a} before {b}" for a, b in zip(names, names[1:]) if a >= b]
    r.check(f"{what}: families sorted by name, no family declared twice", bool(names) and not unsorted,
            "; ".join(unsorted[:5]))


def check_unique(r, what, names):
    # Not sorted by the declared name: a counter is declared without _total in OpenMetrics, so
    # the text format's order (x_time_seconds_total before x_total) is not the declared names' order.
    twice = sorted({n for n in names if names.count(n) > 1})
    r.check(f"{what}: no family declared twice", bool(names) and not twice, ", ".join(twice[:10]))


def check_openmetrics(r, base):
    resp = testlib.http_get(base + "/metrics", {"Accept": OM_ACCEPT})
    check_content_type(r, f"Accept: {OM_ACCEPT}", resp, testlib.OPENMETRICS_CONTENT_TYPE)
    r.check("OpenMetrics response not compressed without Accept-Encoding",
            resp.header("Content-Encoding") in (None, "identity"), f"Content-Encoding {resp.header('Content-Encoding')}")
    text = resp.body.decode("utf-8", "replace")
    eof_lines = [i for i, line in enumerate(text.split("\n")) if line == "# EOF"]
    r.check("OpenMetrics body ends with '# EOF' (once, then at most one newline)",
            (text.endswith("# EOF\n") or text.endswith("# EOF")) and len(eof_lines) == 1,
            f"ends with {text[-40:]!r}, '# EOF' lines: {len(eof_lines)}")
    families = strict_parse(r, "OpenMetrics, prometheus_client strict parser", parse_openmetrics, text)
    check_unique(r, "OpenMetrics", declared_order(text))

    prom = testlib.http_get(base + "/metrics", {"Accept": testlib.PROMETHEUS_ACCEPT})
    check_content_type(r, "Prometheus 2.42's Accept header", prom, testlib.OPENMETRICS_CONTENT_TYPE)

    gz = testlib.http_get(base + "/metrics", {"Accept": OM_ACCEPT, "Accept-Encoding": "gzip"})
    if r.check("OpenMetrics with Accept-Encoding: gzip -> Content-Encoding: gzip",
               gz.status == 200 and gz.header("Content-Encoding") == "gzip",
               f"HTTP {gz.status}, Content-Encoding {gz.header('Content-Encoding')!r}"):
        try:
            plain = testlib.gunzip(gz.body).decode("utf-8")
            strict_parse(r, "gunzipped OpenMetrics body", parse_openmetrics, plain)
        except (OSError, EOFError, UnicodeDecodeError) as e:
            r.fail("gunzipped OpenMetrics body", f"does not decompress: {e}")
    if families is None:
        return None

    bad = []
    for f in families:
        if f.type != "counter":
            continue
        if f.name.endswith("_total"):
            bad.append(f"family {f.name} declared with _total")
        for s in f.samples:
            if s.name not in (f.name + "_total", f.name + "_created"):
                bad.append(f"{s.name} in counter {f.name}")
    counters = sum(1 for f in families if f.type == "counter")
    r.check(f"OpenMetrics counters' samples end in _total ({counters} counter families)", counters > 0 and not bad,
            "; ".join(bad[:10]) if bad else "no counter family at all")
    return families


def check_text(r, base):
    resp = testlib.http_get(base + "/metrics")
    check_content_type(r, "no Accept header", resp, testlib.TEXT_CONTENT_TYPE)
    plain = testlib.http_get(base + "/metrics", {"Accept": "text/plain"})
    check_content_type(r, "Accept: text/plain", plain, testlib.TEXT_CONTENT_TYPE)
    text = resp.body.decode("utf-8", "replace")
    families = strict_parse(r, "text 0.0.4, prometheus_client text parser", parse_prometheus_text, text)
    check_sorted(r, "text format", declared_order(text))
    gz = testlib.http_get(base + "/metrics", {"Accept-Encoding": "gzip"})
    if r.check("text with Accept-Encoding: gzip -> Content-Encoding: gzip",
               gz.status == 200 and gz.header("Content-Encoding") == "gzip",
               f"HTTP {gz.status}, Content-Encoding {gz.header('Content-Encoding')!r}"):
        try:
            strict_parse(r, "gunzipped text body", parse_prometheus_text, testlib.gunzip(gz.body).decode("utf-8"))
        except (OSError, EOFError, UnicodeDecodeError) as e:
            r.fail("gunzipped text body", f"does not decompress: {e}")
    # Our own parser keeps the declared TYPE (prometheus_client renames counter families).
    try:
        declared = testlib.parse_text(text)
    except ValueError:
        declared = None
    return families, declared


def compare_formats(r, om, declared):
    om_names = {s.name for f in om for s in f.samples if not s.name.endswith("_created")}
    # Sample names as written: prometheus_client's text parser appends _total to the samples of
    # counters that lack it, which would hide exactly the renaming this check is about.
    if declared is None:
        r.fail("text format parses with testlib.parse_text (sample names as written)")
        return
    text_names = {s for f in declared.values() for s, _, _ in f.samples}
    # The sockets collector's per-connection families exist only while such connections do,
    # and the two scrapes are two collections apart: they may differ by those alone.
    transient = ("scalewatch_tcp_inbound_connections", "scalewatch_tcp_outbound_connections",
                 "scalewatch_tcp_outbound_rtt_seconds")
    om_names = {n for n in om_names if n not in transient}
    text_names = {n for n in text_names if n not in transient}
    r.check(f"same sample names in both formats ({len(text_names)})", om_names == text_names,
            f"only OpenMetrics: {sorted(om_names - text_names)[:10]}, only text: {sorted(text_names - om_names)[:10]}")
    created = sorted({s.name for f in om for s in f.samples if s.name.endswith("_created")})
    if created:
        r.info(f"OpenMetrics has {len(created)} _created samples; Prometheus 2.42 stores them as series of "
               f"their own, e.g. {created[:3]}")
    # The type each text family must have in OpenMetrics.
    om_type = {}
    for f in om:
        for s in f.samples:
            om_type[s.name] = f.type
    bad = []
    for name, fam in declared.items():
        want = {"counter": "counter" if name.endswith("_total") else "unknown", "gauge": "gauge",
                "untyped": "unknown", "summary": "summary", "histogram": "histogram"}.get(fam.type)
        sample = name if fam.type != "summary" and fam.type != "histogram" else name + "_count"
        got = om_type.get(sample)
        if got is not None and got != want:
            bad.append(f"{name}: text {fam.type}, OpenMetrics {got} (want {want})")
    r.check("types agree between formats (counter without _total -> unknown, untyped -> unknown)", not bad,
            "; ".join(bad[:10]))


def check_endpoints(r, base):
    for path in ("/-/healthy", "/-/ready", "/"):
        try:
            resp = testlib.http_get(base + path)
            r.check(f"GET {path}: HTTP {resp.status}", resp.status == 200)
        except OSError as e:
            r.fail(f"GET {path}", str(e))


def run(binary, tmp, procs, r):
    try:
        agent, base = testlib.start_agent(procs, binary, tmp)
    except RuntimeError as e:
        r.fail("start the agent", str(e))
        return
    # The log collectors open their source in the background after the start; compare
    # the formats once they report, so both scrapes see the same families.
    for _ in range(100):
        if b"scalewatch_journal_source_info" in testlib.http_get(base + "/metrics").body:
            break
        time.sleep(0.1)
    om = check_openmetrics(r, base)
    text_families, declared = check_text(r, base)
    if om is not None and text_families is not None:
        compare_formats(r, om, declared)
    check_endpoints(r, base)
    r.check("agent still running", agent.poll() is None, f"exited with {agent.returncode}")
    if r.failed:
        print("--- agent log (tail):\n" + procs.log_tail(agent))


if __name__ == "__main__":
    sys.exit(testlib.run_test(run, "scalewatch-om."))
