import MetricStore

/// The agent's own view of one target — `pg_up`, errors by kind, connections made, whether the
/// data shown is stale, how long the last refresh took, how old the data is and which sections
/// answered — and the last complete refresh whose data is shown. Kept by the monitor, rendered
/// at every collection.
struct PostgresTargetMetrics: Sendable {
    /// A finished refresh.
    struct Refresh: Sendable {
        var completedAt: ContinuousClock.Instant
        var duration: Double
        var up: Bool
        /// The target's data families (empty when down).
        var families: [MetricFamily] = []
        var sectionSuccess: [(PostgresSection, Bool)] = []
    }

    private(set) var latest: Refresh?
    /// The last refresh that found the server up: its data is what is shown while up.
    private(set) var lastUp: Refresh?
    private(set) var errors: [PostgresProblem.Kind: Int] = [:]
    var connections = 0

    mutating func record(_ refresh: Refresh) {
        latest = refresh
        if refresh.up { lastUp = refresh }
    }

    mutating func count(_ kind: PostgresProblem.Kind) {
        errors[kind, default: 0] += 1
    }

    /// `stale`: the collection waited for a refresh that did not finish in time.
    func render(into metrics: inout MetricsBuilder, targetLabels: [Label], stale: Bool, now: ContinuousClock.Instant) {
        var m = PostgresMetrics(targetLabels: targetLabels)
        let up = latest?.up ?? false
        m.gauge("pg_up", "Whether the last refresh of this server succeeded (1) or not (0).", up ? 1 : 0)
        for kind in PostgresProblem.Kind.allCases {
            m.counter(
                "scalewatch_postgres_errors_total",
                "Failures talking to the server: connect (connection, authentication, password source, TLS), query (a query refused or canceled), timeout (no answer within the hard limit).",
                Double(errors[kind] ?? 0), [("kind", kind.rawValue)])
        }
        m.counter("scalewatch_postgres_connections_total", "Connections the agent opened to this server.", Double(connections))
        m.gauge(
            "scalewatch_postgres_stale",
            "Whether the data shown comes from an earlier refresh because the current one did not finish within collection_timeout.",
            stale ? 1 : 0)
        if let latest {
            m.gauge("scalewatch_postgres_refresh_duration_seconds", "How long the last completed refresh took.", latest.duration)
        }
        var families = m.build()
        if up, let lastUp {
            var age = PostgresMetrics(targetLabels: targetLabels)
            age.gauge("scalewatch_postgres_result_age_seconds", "Age of the data shown for this server.", (now - lastUp.completedAt).seconds)
            for (section, success) in lastUp.sectionSuccess {
                age.gauge(
                    "scalewatch_postgres_query_success", "Whether the section's query succeeded in the last refresh.", success ? 1 : 0,
                    [("section", section.rawValue)])
            }
            families += age.build() + lastUp.families
        }
        metrics.append(contentsOf: families)
    }
}
