import Hummingbird

extension PrometheusAPI {
    /// The status page, answered at `/` where the API exists (the landing page elsewhere).
    func statusPage() -> AgentRoute.Handler {
        let page = StatusPageEndpoint(runner: runner, now: now, ruleGroups: ruleGroups)
        return { _, _ in await page.respond() }
    }

    /// The pages for people besides `/`: `/graph`. They read the store through the API's query
    /// runner, so they exist only where the API does.
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
