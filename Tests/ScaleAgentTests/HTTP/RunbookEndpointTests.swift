import Testing

@testable import ScaleAgent

/// The runbooks compiled into the agent are `docs/runbooks/` exactly (regenerate with
/// `scripts/generate_runbooks.py`), served as Markdown; any other name, however it tries to
/// climb out of `/runbooks/`, is a 404.
@Suite struct RunbookEndpointTests {
    static let directory: String = {
        let file = "\(#filePath)"
        var root = file[...]
        for _ in 0..<4 { root = root[..<root.lastIndex(of: "/")!] }
        return root + "/docs/runbooks"
    }()

    @Test func compiledRunbooksAreTheDocs() throws {
        let files = try #require(try FileReading.directoryEntries(atPath: Self.directory)).filter { $0.hasSuffix(".md") }
        #expect(files.count >= 40)
        #expect(Set(files.map { String($0.dropLast(3)) }) == Set(ShippedRunbooks.byName.keys), "run scripts/generate_runbooks.py")
        for file in files {
            let text = try FileReading.string(atPath: Self.directory + "/" + file)
            #expect(ShippedRunbooks.byName[String(file.dropLast(3))] == text, "\(file) changed: run scripts/generate_runbooks.py")
        }
    }

    @Test(arguments: ["/runbooks/HostCPUSaturated", "/runbooks/HostCPUSaturated.md"])
    func servesMarkdown(_ uri: String) async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get(uri)
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == "text/markdown; charset=utf-8")
            #expect(response.text == (try FileReading.string(atPath: Self.directory + "/HostCPUSaturated.md")))
        }
    }

    @Test(arguments: [
        "/runbooks/NoSuchAlert", "/runbooks/..%2F..%2Fetc%2Fpasswd", "/runbooks/../../etc/passwd", "/runbooks/%2e%2e%2fREADME.md",
        "/runbooks/..", "/runbooks/HostCPUSaturated/extra", "/runbooks/hostcpusaturated", "/runbooks/%00HostCPUSaturated",
        "/runbooks/" + String(repeating: "A", count: 5000),
    ])
    func unknownNamesAreNotFound(_ uri: String) async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get(uri)
            #expect(response.status == .notFound)
            #expect(!response.text.contains("root:"))
            #expect(response.text.utf8.count < 400)
        }
    }
}
