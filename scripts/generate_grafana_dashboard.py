#!/usr/bin/env python3
"""Writes config/grafana/scalewatch.json, the dashboard Grafana imports: one row per stage of
the scaling path (docs/alerting.md), each with the panels that show that stage's signature,
its queries those of the shipped rule pack without the thresholds. Every selector carries
`instance=~"$instance"`, so that the same file works against the agent's own API (its series
have no instance label; "All" is `.*`, which matches the empty value) and against a Prometheus
that scrapes several agents. Usage: scripts/generate_grafana_dashboard.py [OUT]"""
import json
import os
import sys

I = 'instance=~"$instance"'
RATE = "$__rate_interval"

# (title, [(panel title, unit, [(expr, legend)])]); `{I}` is the instance matcher.
ROWS = [
    ("Alerts", [
        ("Firing alerts by stage", "short", [(f'sum by (stage) (ALERTS{{alertstate="firing", {I}}})', "{{stage}}")]),
        ("Pending alerts by stage", "short", [(f'sum by (stage) (ALERTS{{alertstate="pending", {I}}})', "{{stage}}")]),
    ]),
    ("Stage 1 · one server: OOM kills, memory pressure", [
        ("Memory available", "bytes", [(f"node_memory_MemAvailable_bytes{{{I}}}", "{{instance}} available")]),
        ("Share of memory available", "percentunit",
         [(f"node_memory_MemAvailable_bytes{{{I}}} / node_memory_MemTotal_bytes{{{I}}}", "{{instance}}")]),
        ("OOM kills (kernel count)", "short", [(f"increase(node_vmstat_oom_kill{{{I}}}[{RATE}])", "{{instance}}")]),
        ("OOM kills by victim", "short",
         [(f"sum by (process, cgroup) (increase(scalewatch_oom_kills_total{{{I}}}[{RATE}]))", "{{process}} in {{cgroup}}")]),
        ("Memory pressure (some)", "percentunit",
         [(f"rate(node_pressure_memory_waiting_seconds_total{{{I}}}[{RATE}])", "waiting"),
          (f"rate(node_pressure_memory_stalled_seconds_total{{{I}}}[{RATE}])", "stalled")]),
        ("Filesystem used", "percentunit",
         [(f'1 - node_filesystem_avail_bytes{{fstype!~"tmpfs|ramfs", {I}}} / node_filesystem_size_bytes{{fstype!~"tmpfs|ramfs", {I}}}',
           "{{mountpoint}}")]),
    ]),
    ("Stage 2 · database split: per-service memory, PostgreSQL", [
        ("Memory by service", "bytes", [(f"topk(10, scalewatch_service_memory_bytes{{{I}}})", "{{unit}}")]),
        ("PostgreSQL up", "short", [(f"pg_up{{{I}}}", "{{instance}}")]),
        ("PostgreSQL log errors", "ops", [(f"sum by (kind) (rate(scalewatch_postgres_log_errors_total{{{I}}}[{RATE}]))", "{{kind}}")]),
    ]),
    ("Stage 3 · CPU saturation, run queue, listen queue", [
        ("CPU busy", "percentunit",
         [(f'sum without (cpu, mode) (rate(node_cpu_seconds_total{{mode!~"idle|iowait|steal", {I}}}[{RATE}]))'
           f' / count without (cpu, mode) (node_cpu_seconds_total{{mode="idle", {I}}})', "{{instance}}")]),
        ("Load per core", "short",
         [(f'node_load1{{{I}}} / on (instance) count by (instance) (node_cpu_seconds_total{{mode="idle", {I}}})', "load1 {{instance}}"),
          (f"node_procs_running{{{I}}}", "running {{instance}}")]),
        ("CPU pressure (some)", "percentunit", [(f"rate(node_pressure_cpu_waiting_seconds_total{{{I}}}[{RATE}])", "{{instance}}")]),
        ("Listen-queue overflows", "ops", [(f"rate(node_netstat_TcpExt_ListenOverflows{{{I}}}[{RATE}])", "{{instance}}")]),
        ("CPU throttled by service", "percentunit",
         [(f"rate(scalewatch_service_cpu_throttled_periods_total{{{I}}}[{RATE}]) / rate(scalewatch_service_cpu_periods_total{{{I}}}[{RATE}])",
           "{{unit}}")]),
    ]),
    ("Stage 4 · load balancer, N app boxes: the connection pool", [
        ("Connections used of max_connections", "percentunit", [(f"pg_connections_utilization_ratio{{{I}}}", "{{instance}}")]),
        ("Connections by state", "short", [(f"sum by (state) (pg_stat_activity_count{{{I}}})", "{{state}}")]),
        ("Connection refusals", "ops",
         [(f'rate(scalewatch_postgres_log_errors_total{{kind=~"too_many_clients|reserved_connection_slots", {I}}}[{RATE}])', "{{kind}}")]),
    ]),
    ("Stage 5 · cache and CDN: queues and connections", [
        ("Network throughput", "Bps",
         [(f'rate(node_network_receive_bytes_total{{device!="lo", {I}}}[{RATE}])', "in {{device}}"),
          (f'rate(node_network_transmit_bytes_total{{device!="lo", {I}}}[{RATE}])', "out {{device}}")]),
        ("Sockets in use", "short", [(f"node_sockstat_sockets_used{{{I}}}", "{{instance}}")]),
    ]),
    ("Stage 6 · queue and workers: locks, I/O", [
        ("Disk busy", "percentunit", [(f"rate(node_disk_io_time_seconds_total{{{I}}}[{RATE}])", "{{device}}")]),
        ("I/O pressure (full)", "percentunit", [(f"rate(node_pressure_io_stalled_seconds_total{{{I}}}[{RATE}])", "{{instance}}")]),
        ("Disk writes", "Bps", [(f"rate(node_disk_written_bytes_total{{{I}}}[{RATE}])", "{{device}}")]),
        ("Oldest lock wait", "s", [(f"pg_locks_oldest_wait_seconds{{{I}}}", "{{datname}}")]),
        ("Blocked backends", "short", [(f"pg_locks_blocked_backends{{{I}}}", "{{datname}}")]),
    ]),
    ("Stage 7 · replicas and shards: lag, prepared transactions", [
        ("Replication lag", "s", [(f"pg_replication_lag{{{I}}}", "{{instance}}")]),
        ("Replay lag", "bytes", [(f"pg_stat_replication_replay_lag_bytes{{{I}}}", "{{application_name}}")]),
        ("Oldest prepared transaction", "s", [(f"pg_prepared_xacts_oldest_age_seconds{{{I}}}", "{{instance}}")]),
    ]),
    ("The agent", [
        ("Collectors failing", "short", [(f"count(scalewatch_collector_success{{{I}}} == 0) or vector(0)", "failing")]),
        ("Collector duration", "s", [(f"scalewatch_collector_duration_seconds{{{I}}}", "{{collector}}")]),
        ("Agent resident memory", "bytes",
         [(f"process_resident_memory_bytes{{{I}}}", "resident {{instance}}")]),
        ("HTTP requests", "reqps", [(f"sum by (handler) (rate(scalewatch_http_requests_total{{{I}}}[{RATE}]))", "{{handler}}")]),
    ]),
]

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def panel(panel_id, title, unit, queries, x, y):
    return {
        "id": panel_id, "type": "timeseries", "title": title, "datasource": DATASOURCE,
        "gridPos": {"h": 8, "w": 8, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit, "custom": {"lineWidth": 1, "fillOpacity": 0, "spanNulls": False}},
                        "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
        "targets": [{"datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "range": True, "refId": chr(ord("A") + i)}
                    for i, (expr, legend) in enumerate(queries)],
    }


def dashboard():
    panels = []
    next_id = 1
    y = 0
    for title, items in ROWS:
        panels.append({"id": next_id, "type": "row", "title": title, "collapsed": False, "panels": [],
                       "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}})
        next_id += 1
        y += 1
        for index, (panel_title, unit, queries) in enumerate(items):
            panels.append(panel(next_id, panel_title, unit, queries, (index % 3) * 8, y + (index // 3) * 8))
            next_id += 1
        y += ((len(items) + 2) // 3) * 8
    return {
        "__inputs": [{"name": "DS_PROMETHEUS", "label": "Prometheus", "description": "The agent's own API or a Prometheus scraping it",
                      "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"}],
        "__requires": [
            {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.4.0"},
            {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
            {"type": "panel", "id": "timeseries", "name": "Time series", "version": ""},
        ],
        "annotations": {"list": [
            {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
             "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"},
            {"datasource": DATASOURCE, "enable": True, "iconColor": "red", "name": "Firing alerts",
             "expr": f'ALERTS{{alertstate="firing", severity!="none", {I}}}', "step": "60s",
             "titleFormat": "{{alertname}}", "textFormat": "{{stage}}", "useValueForTime": False},
        ]},
        "description": "scalewatch: each stage of a growing web application's architecture and the signature of what breaks next.",
        "editable": True,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "id": None,
        "links": [],
        "panels": panels,
        "refresh": "30s",
        "schemaVersion": 39,
        "tags": ["scalewatch"],
        "templating": {"list": [
            {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
             "current": {"selected": False, "text": "${DS_PROMETHEUS}", "value": "${DS_PROMETHEUS}"},
             "hide": 0, "refresh": 1, "regex": "", "includeAll": False, "multi": False, "options": [], "skipUrlSync": False},
            {"name": "instance", "label": "Instance", "type": "query", "datasource": DATASOURCE,
             "definition": "label_values(node_load1, instance)",
             "query": {"query": "label_values(node_load1, instance)", "refId": "PrometheusVariableQueryEditor-VariableQuery",
                       "qryType": 1},
             "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
             "includeAll": True, "allValue": ".*", "multi": True, "refresh": 2, "regex": "", "sort": 1, "hide": 0,
             "options": [], "skipUrlSync": False},
        ]},
        "time": {"from": "now-3h", "to": "now"},
        "timepicker": {},
        "timezone": "utc",
        "title": "scalewatch · stage signals",
        "uid": "scalewatch-stages",
        "version": 1,
        "weekStart": "",
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "config", "grafana", "scalewatch.json")
    with open(out, "w") as f:
        json.dump(dashboard(), f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
