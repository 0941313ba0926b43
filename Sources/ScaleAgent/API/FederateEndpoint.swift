import AlertEngine
import Hummingbird
import MetricStore

/// `GET /federate?match[]=…`: the newest sample of every matching series (within the lookback
/// delta of now, stale series left out) in the text format 0.0.4 with its timestamp, grouped
/// by metric name under `# TYPE <name> untyped`, as Prometheus federates; the external labels
/// are added to series that lack them. A bad selector is a plain-text 400, as Prometheus'.
struct FederateEndpoint: Sendable {
    let runner: QueryRunner
    let now: @Sendable () -> Int64
    let externalLabels: @Sendable () -> [String: String]

    func respond(_ parameters: APIParameters) async throws -> Response {
        let matcherSets: [[LabelMatcher]]
        do {
            matcherSets = try parameters.matcherSets()
        } catch {
            throw HTTPError(.badRequest, message: error.message)
        }
        let time = now()
        let external = externalLabels().sorted { $0.key < $1.key }
        let text: String
        do {
            text = try await runner.run(describe: { ["endpoint": "federate"] }) { budget, settings in
                let lookback = settings.lookbackDelta.milliseconds
                var newest: [Labels: Sample] = [:]
                for matchers in matcherSets {
                    for series in try budget.select(matchers, minTime: time - lookback + 1, maxTime: time) {
                        guard let last = series.samples.last, !StaleMarker.isStale(last.value) else { continue }
                        newest[series.labels] = last
                    }
                }
                return Self.render(newest, external: external)
            }
        } catch {
            throw HTTPError(error.kind.status, message: error.message)
        }
        return Response(
            status: .ok, headers: [.contentType: ExpositionFormat.text.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func render(_ newest: [Labels: Sample], external: [(key: String, value: String)]) -> String {
        var text = ""
        var currentName: String?
        for (labels, sample) in newest.sorted(by: { $0.key < $1.key }) {
            let name = labels["__name__"] ?? ""
            if name != currentName {
                text += "# TYPE \(name) untyped\n"
                currentName = name
            }
            var pairs = labels.pairs.filter { $0.name != "__name__" }.map { ($0.name, $0.value) }
            for (key, value) in external where labels[key] == nil { pairs.append((key, value)) }
            pairs.sort { $0.0 < $1.0 }
            text += name
            if !pairs.isEmpty {
                text += "{" + pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " \(PrometheusFloat.general(sample.value)) \(sample.timestamp)\n"
        }
        return text
    }

    private static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
