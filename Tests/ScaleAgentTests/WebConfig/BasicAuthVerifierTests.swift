import Testing

@testable import ScaleAgent

/// The decisions, and what the cache saves: one bcrypt per (user, hash, password), however
/// often a scraper asks.
@Suite struct BasicAuthVerifierTests {
    // htpasswd -nbBC 4 "" right / other: cost 4, the least bcrypt allows, to keep tests fast.
    static let right = try! BcryptHash.parse("$2y$04$jrDAE56E.bokLTHwhL2JSenF7JFsi52XuAzc5tDalhdhugsdGyuJK").get()
    static let other = try! BcryptHash.parse("$2y$04$p3.PZG2AQ/WhvRhObrtCOuh2k0EDJXZTAW68OiGrpjp7p4hrj.Ume").get()
    static let users = ["prometheus": right]

    @Test(arguments: [
        ("prometheus", "right", BasicAuthVerifier.Decision.admitted),
        ("prometheus", "wrong", .refused(.wrongPassword)),
        ("prometheus", "", .refused(.wrongPassword)),
        ("prometheus", "right\u{0}", .refused(.wrongPassword)),
        ("prometheus", "righ", .refused(.wrongPassword)),
        ("nobody", "right", .refused(.unknownUser)),
        ("", "", .refused(.unknownUser)),
        ("Prometheus", "right", .refused(.unknownUser)),
    ])
    func decisions(_ user: String, _ password: String, _ expected: BasicAuthVerifier.Decision) async {
        let verifier = BasicAuthVerifier()
        #expect(await verifier.verify(user: user, password: Array(password.utf8), users: Self.users) == expected)
        // From the cache, the same answer.
        #expect(await verifier.verify(user: user, password: Array(password.utf8), users: Self.users) == expected)
        await verifier.shutdown()
    }

    @Test func aPasswordThatIsNotUTF8IsRefusedWithoutACrash() async {
        let verifier = BasicAuthVerifier()
        #expect(await verifier.verify(user: "prometheus", password: [0xFF, 0xFE], users: Self.users) == .refused(.wrongPassword))
        await verifier.shutdown()
    }

    @Test func aRepeatedScrapeCostsOneBcrypt() async {
        let verifier = BasicAuthVerifier()
        for _ in 0..<20 {
            #expect(await verifier.verify(user: "prometheus", password: Array("right".utf8), users: Self.users) == .admitted)
        }
        for _ in 0..<20 {
            #expect(await verifier.verify(user: "prometheus", password: Array("wrong".utf8), users: Self.users) == .refused(.wrongPassword))
        }
        #expect(verifier.bcryptCount == 2)
        await verifier.shutdown()
    }

    @Test func anUnknownUserCostsABcryptToo() async {
        let verifier = BasicAuthVerifier()
        _ = await verifier.verify(user: "nobody", password: Array("x".utf8), users: Self.users)
        #expect(verifier.bcryptCount == 1)
        await verifier.shutdown()
    }

    @Test func aChangedHashIsVerifiedAfresh() async {
        let verifier = BasicAuthVerifier()
        #expect(await verifier.verify(user: "prometheus", password: Array("right".utf8), users: Self.users) == .admitted)
        // The file now holds another password's hash: the remembered one no longer opens.
        let changed = ["prometheus": Self.other]
        #expect(await verifier.verify(user: "prometheus", password: Array("right".utf8), users: changed) == .refused(.wrongPassword))
        #expect(await verifier.verify(user: "prometheus", password: Array("other".utf8), users: changed) == .admitted)
        #expect(verifier.bcryptCount == 3)
        await verifier.shutdown()
    }

    @Test func theCacheStaysBounded() async {
        let verifier = BasicAuthVerifier()
        for attempt in 0..<(BasicAuthVerifier.capacity + 30) {
            _ = await verifier.verify(user: "prometheus", password: Array("guess\(attempt)".utf8), users: Self.users)
        }
        #expect(verifier.rememberedRefusals <= BasicAuthVerifier.capacity)
        await verifier.shutdown()
    }

    @Test func aStoppedVerifierRefuses() async {
        let verifier = BasicAuthVerifier()
        await verifier.shutdown()
        #expect(await verifier.verify(user: "prometheus", password: Array("right".utf8), users: Self.users) == .refused(.wrongPassword))
    }

    @Test(arguments: [
        ([UInt8](), [UInt8](), true),
        ([1, 2, 3], [1, 2, 3], true),
        ([1, 2, 3], [1, 2, 4], false),
        ([1, 2, 3], [1, 2], false),
        ([1, 2], [1, 2, 3], false),
        ([1], [], false),
        ([], [1], false),
        ([1, 2, 1, 2], [1, 2], false),
    ])
    func constantTimeEqual(_ a: [UInt8], _ b: [UInt8], _ equal: Bool) {
        #expect(BasicAuthVerifier.constantTimeEqual(a, b) == equal)
    }
}
