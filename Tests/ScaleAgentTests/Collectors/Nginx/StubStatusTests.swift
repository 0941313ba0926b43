import Testing
@testable import ScaleAgent

@Suite struct StubStatusTests {
    @Test func parsesThePage() throws {
        let page = "Active connections: 291 \nserver accepts handled requests\n 16630948 16630947 31070465 \nReading: 6 Writing: 179 Waiting: 106 \n"
        #expect(try StubStatus.parse(page, source: "s") == StubStatus(
            active: 291, accepted: 16_630_948, handled: 16_630_947, requests: 31_070_465, reading: 6, writing: 179, waiting: 106))
    }

    @Test(arguments: [
        ("", 0, "four lines"),
        ("<html>404</html>\na\nb\nc\n", 1, "Active connections"),
        ("Active connections: 1\nserver accepts requests\n 1 1 1\nReading: 0 Writing: 1 Waiting: 0\n", 2, "server accepts handled requests"),
        ("Active connections: 1\nserver accepts handled requests\n 1 x 1\nReading: 0 Writing: 1 Waiting: 0\n", 3, "three numbers"),
        ("Active connections: 1\nserver accepts handled requests\n 1 1 1\nReading: 0 Writing: 1\n", 4, "Waiting"),
    ])
    func rejectsOtherPages(_ page: String, _ line: Int, _ expected: String) {
        let error = #expect(throws: ParseError.self) { try StubStatus.parse(page, source: "s") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }
}

@Suite struct HTTPURLTests {
    @Test(arguments: [
        ("http://127.0.0.1:8080/stub_status", "127.0.0.1", 8080, "/stub_status"),
        ("http://localhost/nginx_status", "localhost", 80, "/nginx_status"),
        ("http://[::1]:81/s?x=1", "::1", 81, "/s?x=1"),
        ("http://127.0.0.1:8080", "127.0.0.1", 8080, "/"),
    ])
    func parses(_ text: String, _ host: String, _ port: Int, _ path: String) throws {
        #expect(try HTTPURL.parse(text).get() == HTTPURL(host: host, port: UInt16(port), path: path))
    }

    @Test(arguments: [
        ("https://127.0.0.1/s", "https is not supported"), ("ftp://h/", "must start with http://"),
        ("http://u:p@h/", "without user info"), ("http:///s", "must name a host"), ("http://h:0/", "bad port"),
        ("http://h:99999/", "bad port"), ("http://[::1/", "closing ]"), ("http://h/a b", "spaces"),
    ])
    func refuses(_ text: String, _ expected: String) {
        guard case .failure(let problem) = HTTPURL.parse(text) else { Issue.record("accepted \(text)"); return }
        #expect(problem.description.contains(expected), "\(problem)")
    }
}
