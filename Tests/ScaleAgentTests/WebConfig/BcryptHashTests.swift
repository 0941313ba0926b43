import Testing

@testable import ScaleAgent

/// What a `basic_auth_users` value may be: htpasswd's `$2y$`, OpenBSD's `$2b$`, the old `$2a$`.
@Suite struct BcryptHashTests {
    static let y = "$2y$04$jrDAE56E.bokLTHwhL2JSenF7JFsi52XuAzc5tDalhdhugsdGyuJK"

    @Test func aYHashIsVerifiedUnderItsBSpelling() throws {
        let hash = try BcryptHash.parse(Self.y).get()
        #expect(hash.cost == 4)
        #expect(hash.verifiable == "$2b" + Self.y.dropFirst(3))
        #expect(hash.text == Self.y)
        #expect("\(hash)" == "bcrypt hash (cost 4)")
    }

    @Test func theHighestCostAccepted() throws {
        #expect(try BcryptHash.parse("$2y$18" + Self.tail).get().cost == 18)
    }

    @Test(arguments: ["$2a", "$2b"])
    func otherVersionsAreKeptAsTheyAre(_ prefix: String) throws {
        let text = prefix + Self.y.dropFirst(3)
        #expect(try BcryptHash.parse(text).get().verifiable == text)
    }

    static let tail = String(y.dropFirst(6))
    static let refusals: [(String, BcryptHashProblem)] = [
        ("plaintext", .notBcrypt),
        ("", .notBcrypt),
        (String(y.dropLast()), .notBcrypt),
        (y + "x", .notBcrypt),
        ("$2x$04" + tail, .unsupportedVersion("$2x")),
        ("$1y$04" + tail, .notBcrypt),
        ("$2y$03" + tail, .cost("03")),
        ("$2y$32" + tail, .cost("32")),
        ("$2y$19" + tail, .cost("19")),
        ("$2y$31" + tail, .cost("31")),
        ("$2y$1x" + tail, .cost("1x")),
        (String(y.dropLast()) + "!", .notBcrypt),
        ("$2y$04$" + String(repeating: "\u{E9}", count: 26) + "a", .notBcrypt),
    ]

    @Test(arguments: refusals)
    func refused(_ text: String, _ problem: BcryptHashProblem) {
        #expect(throws: problem) { try BcryptHash.parse(text).get() }
    }
}
