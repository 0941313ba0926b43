@testable import AlertEngine
import Foundation
import MetricStore
import Testing

/// Deep expressions are refused by the parser with a located error instead of overflowing a
/// stack later: 20,000 parentheses, 10,000 `+` terms and 30,000 `2^` crashed the CLI before.
/// Up to the limit, parsing and evaluating fit in the 8 MiB stack that the threads running
/// them have (pthread's default, which the concurrency pool and NIO's thread pools keep).
struct NestingDepthTests {
    static let tooDeep = "expression nests more than \(PromQLParser.maxDepth) levels deep"

    /// Named shapes rather than the texts themselves, which are too long to print.
    static let shapes: [String: String] = [
        "20,000 parentheses": String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000),
        "10,000 + terms": Array(repeating: "1", count: 10_000).joined(separator: "+"),
        "30,000 ^": String(repeating: "2^", count: 30_000) + "2",
        "5,000 unary minus": String(repeating: "-", count: 5_000) + "1",
        "5,000 nested calls": String(repeating: "abs(", count: 5_000) + "vector(1)" + String(repeating: ")", count: 5_000),
        "5,000 nested aggregations": String(repeating: "sum(", count: 5_000) + "up" + String(repeating: ")", count: 5_000),
        "a chain one longer than the limit": Array(repeating: "1", count: PromQLParser.maxDepth + 1).joined(separator: "+"),
    ]

    @Test(arguments: shapes.keys.sorted())
    func tooDeepIsRefused(_ shape: String) {
        let text = Self.shapes[shape]!
        #expect(throws: PromQLParseError.self, "\(shape)") { try PromQLParser.parse(text) }
        do {
            _ = try PromQLParser.parse(text)
        } catch {
            #expect(error.message == Self.tooDeep, "\(shape)")
        }
    }

    @Test func anExpressionAsDeepAsTheLimitParsesAndEvaluates() throws {
        let chain = Array(repeating: "1", count: PromQLParser.maxDepth).joined(separator: "+")
        // vector(1) is two levels (the call over its number).
        let nested = String(repeating: "abs(", count: PromQLParser.maxDepth - 2) + "vector(1)"
            + String(repeating: ")", count: PromQLParser.maxDepth - 2)
        let results = Locked<[String]>([])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            for text in [chain, nested] {
                do {
                    let expr = try PromQLParser.parse(text)
                    let value = try QueryEngine(source: MemorySampleSource()).instantQuery(expr, at: 0)
                    results.withLock { $0.append("\(value)") }
                } catch {
                    results.withLock { $0.append("error: \(error)") }
                }
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
        let values = results.withLock { $0 }
        #expect(values.count == 2)
        #expect(values.first?.contains("\(PromQLParser.maxDepth)") == true, "\(values.first ?? "")")
        #expect(values.allSatisfy { !$0.hasPrefix("error") }, "\(values)")
    }
}
