import Hummingbird

extension PrometheusAPI {
    /// The pages for people: `/graph`. They read the store through the API's query runner, so
    /// they exist only where the API does.
    func pictureRoutes() -> [AgentRoute] {
        let graph = GraphEndpoint(runner: runner, now: now)
        return [
            AgentRoute("/graph", [.get]) { request, _ in
                do throws(APIError) {
                    return await graph.respond(APIParameters(form: try await Self.form(request)))
                } catch {
                    return GraphEndpoint.svg(error.kind.status, SVGChartRenderer.message(title: "Cannot draw this graph", text: error.description))
                }
            }
        ]
    }
}
