import Testing

@testable import AlertEngine

@Suite struct HTTPDateTests {
    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", Int64(784_111_777)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
        ("Sun, 06 Dec 2026 18:40:00 GMT", 1_796_582_400),
    ])
    func parsesIMFFixdate(_ text: String, _ expected: Int64) {
        #expect(HTTPDate.unixSeconds(text) == expected)
    }

    @Test(arguments: [
        "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "120", "",
    ])
    func refusesEverythingElse(_ text: String) {
        #expect(HTTPDate.unixSeconds(text) == nil)
    }
}
