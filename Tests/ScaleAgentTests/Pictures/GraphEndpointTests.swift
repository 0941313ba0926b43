import Testing

@testable import ScaleAgent

/// `/graph` over HTTP against a real store: a chart for a good expression, the API's refusal
/// (as a small SVG with the API's status) for a bad one.
@Suite struct GraphEndpointTests {
    @Test func drawsAnExpressionOverTheRange() async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get("/graph?expr=rate(requests_total%5B1m%5D)&range=30m")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == GraphEndpoint.contentType)
            #expect(response.headers.first(name: "Content-Security-Policy") == GraphEndpoint.contentSecurityPolicy)
            let svg = response.text
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(svg.contains(#"{job=&quot;a&quot;} — last 2/s"#))
            #expect(svg.contains(">UTC</text>"))
            #expect(svg.contains("<path d=\"M"))
        }
    }

    @Test(arguments: [
        ("/graph", "400", #"invalid parameter &quot;expr&quot;"#),
        ("/graph?expr=sum(", "400", "parse error"),
        ("/graph?expr=up%5B5m%5D", "400", "invalid expression type &quot;range vector&quot;"),
        ("/graph?expr=up&range=-1h", "400", "invalid parameter &quot;range&quot;"),
        ("/graph?expr=up&range=1y&step=1s", "400", "exceeded maximum resolution"),
        ("/graph?expr=up&end=yesterday", "400", "invalid parameter &quot;end&quot;"),
    ])
    func refusalsAreSmallPicturesThatSayWhy(_ uri: String, _ status: String, _ text: String) async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get(uri)
            #expect("\(response.status.code)" == status)
            #expect(response.headers.first(name: "Content-Type") == GraphEndpoint.contentType)
            #expect(response.text.contains("Cannot draw this graph"))
            #expect(response.text.contains(text), "\(response.text)")
        }
    }

    @Test func queryLimitsApplyAsInTheAPI() async throws {
        var settings = QuerySettings()
        settings.maxSamples = 10
        try await APIServerUnderTest.with(settings: settings) { server in
            let response = try await server.get("/graph?expr=requests_total&range=1h&end=1700003600")
            #expect(response.status.code == 422)
            #expect(response.text.contains("query processing would load too many samples"))
        }
    }
}
