import AlertEngine
import MetricStore

/// The PromQL behind each number of `scalewatch top`, asked of the agent's `/api/v1/query` at
/// once. A query that fails or finds nothing leaves its number unknown; if every one fails the
/// first failure is the snapshot's problem.
public enum TopQueries {
    static let cpuBusy = #"1 - avg(rate(node_cpu_seconds_total{mode="idle"}[1m]))"#
    static let cpuWaiting = "rate(node_pressure_cpu_waiting_seconds_total[1m])"
    static let load1 = "node_load1"
    static let cpuCount = #"count(node_cpu_seconds_total{mode="idle"})"#
    static let memoryAvailable = "node_memory_MemAvailable_bytes"
    static let memoryTotal = "node_memory_MemTotal_bytes"
    static let oomKills = "sum(increase(node_vmstat_oom_kill[1h]))"
    static let services = "topk(5, scalewatch_service_memory_bytes)"
    static let processes = "topk(5, scalewatch_process_group_resident_memory_bytes)"
    static let processCounts = "scalewatch_process_group_processes"
    static let connections = "sum(pg_stat_activity_count)"
    static let maxConnections = "max(pg_settings_max_connections)"
    static let lockWaits = "sum(pg_locks_waiting)"
    static let replicationLag = "max(pg_replication_lag)"
    static let firing = #"ALERTS{alertstate="firing"}"#

    static let all = [
        cpuBusy, cpuWaiting, load1, cpuCount, memoryAvailable, memoryTotal, oomKills, services, processes, processCounts,
        connections,
        maxConnections, lockWaits, replicationLag, firing,
    ]

    public static func fetch(from client: AgentClient, at time: Int64) async -> TopSnapshot {
        var answers: [String: Result<QueryValue, any Error>] = [:]
        await withTaskGroup(of: (String, Result<QueryValue, any Error>).self) { group in
            for query in all {
                group.addTask {
                    do {
                        let data = try await client.data("/api/v1/query", [("query", query), ("time", JSONWriter.unixSeconds(milliseconds: time))])
                        return (query, .success(try PrometheusAnswer.queryValue(data)))
                    } catch {
                        return (query, .failure(error))
                    }
                }
            }
            for await (query, answer) in group { answers[query] = answer }
        }
        return snapshot(answers)
    }

    /// The snapshot the answers make: pure, so the mapping is tested without an agent.
    static func snapshot(_ answers: [String: Result<QueryValue, any Error>]) -> TopSnapshot {
        let vectors = answers.mapValues { answer -> [VectorSample] in
            guard case .success(.vector(let samples)) = answer else { return [] }
            return samples.filter { $0.value.isFinite }
        }
        func number(_ query: String) -> Double? { vectors[query]?.first?.value }
        func ranked(_ query: String, _ name: (Labels) -> String) -> [TopSnapshot.Ranked] {
            (vectors[query] ?? []).map { TopSnapshot.Ranked(name($0.labels), $0.value) }
                .sorted { ($0.value, $1.name) > ($1.value, $0.name) }
        }
        var snapshot = TopSnapshot()
        snapshot.cpuBusy = number(cpuBusy)
        snapshot.cpuWaiting = number(cpuWaiting)
        snapshot.load1 = number(load1)
        snapshot.cpuCount = number(cpuCount)
        snapshot.memoryAvailable = number(memoryAvailable)
        snapshot.memoryTotal = number(memoryTotal)
        snapshot.oomKills = number(oomKills)
        snapshot.services = ranked(services) { $0["unit"] ?? "?" }
        // A group of several processes shows how many: `postgres ×12`. Matched by the group's
        // labels, not the whole label set, which differs in __name__.
        func group(_ labels: Labels) -> [String?] { [labels["comm"], labels["unit"]] }
        var counts: [[String?]: Double] = [:]
        for sample in vectors[processCounts] ?? [] { counts[group(sample.labels)] = sample.value }
        snapshot.processes = ranked(processes) { labels in
            let name = labels["comm"] ?? "?"
            guard let count = counts[group(labels)], count >= 2, count < 1e9 else { return name }
            return name + " ×\(Int(count))"
        }
        snapshot.connections = number(connections)
        snapshot.maxConnections = number(maxConnections)
        snapshot.lockWaits = number(lockWaits)
        snapshot.replicationLag = number(replicationLag)
        snapshot.firing = Set((vectors[firing] ?? []).compactMap { $0.labels["alertname"] }).sorted()
        let failures = answers.values.compactMap { answer -> (any Error)? in
            if case .failure(let error) = answer { return error }
            return nil
        }
        if !answers.isEmpty, failures.count == answers.count { snapshot.problem = "\(failures[0])" }
        return snapshot
    }
}
