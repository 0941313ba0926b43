import Hummingbird

/// `GET /metrics`: the latest collection if it is fresh enough, otherwise a new one that
/// concurrent scrapes share; its rendered (and gzipped) bodies are made once per snapshot.
struct MetricsEndpoint: Sendable {
    let snapshots: SnapshotSource
    /// Read per request so that a config reload takes effect at once.
    let scrapeMaxAge: @Sendable () -> Duration

    func respond(to request: Request) async -> Response {
        let format = ExpositionFormat.negotiate(accept: request.headers[.accept])
        let gzip = Self.acceptsGzip(request.headers[values: .acceptEncoding])
        let maxAge = scrapeMaxAge()
        // The common case under load: a fresh snapshot whose body is already rendered is sent
        // without waiting on anything.
        if let snapshot = snapshots.fresh(maxAge: maxAge) {
            return Self.response(snapshot, format: format, gzip: gzip)
        }
        return Self.response(await snapshots.snapshot(maxAge: maxAge), format: format, gzip: gzip)
    }

    private static func response(_ snapshot: MetricsSnapshot, format: ExpositionFormat, gzip: Bool) -> Response {
        let body = snapshot.body(format: format, gzip: gzip)
        var headers: HTTPFields = [.contentType: format.contentType, .vary: "Accept, Accept-Encoding"]
        if body.isGzipped { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body.bytes))
    }

    /// Whether any `Accept-Encoding` value lists gzip without refusing it (`q=0`).
    static func acceptsGzip(_ values: [String]) -> Bool {
        for value in values {
            for coding in value.split(separator: ",") {
                let parts = coding.split(separator: ";").map { Substring($0.trimmingSpaces().lowercased()) }
                guard parts.first == "gzip" else { continue }
                let refused = parts.dropFirst().contains { parameter in
                    parameter.hasPrefix("q=") && Double(parameter.dropFirst(2).trimmingSpaces()) == 0
                }
                if !refused { return true }
            }
        }
        return false
    }
}
