import Hummingbird

/// The page at `/`, so that a person who opens the agent's address sees where to go.
enum LandingPage {
    static let response = Response(
        status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))

    private static let html = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>scalewatch</title></head>
        <body>
        <h1>scalewatch \(ScaleAgentVersion.current)</h1>
        <p>A per-host observability agent: host and database metrics, alerts on the signatures of a system outgrowing its architecture.</p>
        <ul>
        <li><a href="/metrics">/metrics</a> &mdash; Prometheus text format 0.0.4, OpenMetrics 1.0 when asked</li>
        <li><a href="/-/healthy">/-/healthy</a> &mdash; liveness</li>
        <li><a href="/-/ready">/-/ready</a> &mdash; readiness (the first collection is done)</li>
        <li>POST /-/reload, POST /-/quit &mdash; reload the config, stop (when <code>web.enable_lifecycle</code> is on)</li>
        </ul>
        </body>
        </html>

        """
}
