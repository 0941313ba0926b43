import Hummingbird

/// `GET /runbooks/<AlertName>`: the shipped rule pack's runbook for that alert, the page its
/// `runbook_url` annotation points at, as Markdown.
///
/// The runbooks are compiled into the binary (`ShippedRunbooks`, generated from
/// `docs/runbooks/`) rather than read from an install directory: an installed agent serves
/// them whatever its prefix and whatever its unit hides of the file system, and since a
/// request only ever looks a name up in a fixed table, no path it sends can reach a file.
enum RunbookEndpoint {
    static let contentType = "text/markdown; charset=utf-8"

    static func respond(name: String) -> Response {
        // `runbook_url` ends in the bare alert name; a link to the file itself works too.
        let key = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        guard let text = ShippedRunbooks.byName[key] else {
            return .text(.notFound, "No runbook named \(Self.printable(name)). Runbooks exist for the shipped rule pack's alerts.\n")
        }
        return Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The name echoed back without control characters, and not endlessly.
    private static func printable(_ name: String) -> String {
        let kept = name.unicodeScalars.prefix(100).map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
        return "\"" + kept + "\""
    }
}
