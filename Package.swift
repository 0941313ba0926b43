// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way: scalewatch → ScaleAgent → AlertEngine → MetricStore.
let package = Package(
    name: "scalewatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scalewatch", targets: ["scalewatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Webhook and Alertmanager delivery (ScaleAgent only): pooled connections, TLS with a
        // custom CA, timeouts.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Already in the graph (postgres-nio, async-http-client); named for its TLSConfiguration.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Without its default traits: no swift-configuration, and FoundationEssentials instead of
        // all of Foundation for its form coding.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        // Basic authentication's bcrypt (web config file, issue 12): only its HummingbirdBcrypt
        // product, a Swift wrapper around OpenBSD's bcrypt in C, is built.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Thin system-library shims: headers and link flags only, no logic.
        .systemLibrary(
            name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // RE2 behind a C interface (Debian's libre2-dev), linked statically so that the agent
        // stays one binary; `-l:` names the archive itself.
        .target(
            name: "CRE2", path: "Sources/CRE2",
            linkerSettings: [.linkedLibrary(":libre2.a")]),

        // fstatfs(2), which Swift's Glibc module does not export.
        .target(name: "CFileSystemType", path: "Sources/CFileSystemType"),

        .target(name: "MetricStore", dependencies: ["CZstd", "CRE2"]),
        .target(
            name: "AlertEngine",
            dependencies: ["MetricStore", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "ScaleAgent",
            dependencies: [
                "AlertEngine", "MetricStore", "CSystemd", "CZlib", "CFileSystemType",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // TLSUserEvent: a finished handshake (already built for NIOSSL).
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]),
        .executableTarget(
            name: "scalewatch",
            dependencies: [
                "ScaleAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Benchmarks: plain executables, kept out of `swift test`.
        .executableTarget(
            name: "collector-benchmark",
            dependencies: ["ScaleAgent", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/CollectorBenchmark"),
        .executableTarget(name: "store-benchmark", dependencies: ["MetricStore"], path: "Benchmarks/StoreBenchmark"),
        .executableTarget(
            name: "query-benchmark", dependencies: ["AlertEngine", "MetricStore"], path: "Benchmarks/QueryBenchmark"),
        .executableTarget(
            name: "notify-benchmark", dependencies: ["AlertEngine", "MetricStore"], path: "Benchmarks/NotifyBenchmark"),
        .executableTarget(
            name: "accesslog-benchmark",
            dependencies: ["ScaleAgent", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/AccessLogBenchmark"),

        // Helpers the test targets share (a seeded generator); no product exposes it.
        .target(
            name: "TestSupport",
            dependencies: [
                "MetricStore",
                // The test HTTP receiver that notification tests deliver to.
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"),
        .testTarget(name: "MetricStoreTests", dependencies: ["MetricStore", "TestSupport"]),
        .testTarget(name: "AlertEngineTests", dependencies: ["AlertEngine", "MetricStore", "TestSupport"]),
        .testTarget(
            name: "ScaleAgentTests",
            dependencies: [
                "ScaleAgent", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // A TLS client for the web config file's client-certificate tests.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzing (`make fuzz`, docs/fuzzing.md): with SCALEWATCH_FUZZ=1 in the environment our own
// modules are compiled with libFuzzer's coverage instrumentation and AddressSanitizer, and the
// `scalewatch-fuzz` executable exists; without it the package above is all there is. Our
// modules only: the dependencies keep their ordinary debug build, so the fuzzing build
// recompiles three modules instead of SwiftNIO, Hummingbird and postgres-nio as well.
if Context.environment["SCALEWATCH_FUZZ"] == "1" {
    let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
    for target in package.targets where ["MetricStore", "AlertEngine", "ScaleAgent"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + fuzzFlags
    }
    let fuzzTargets = [
        "OpenMetrics", "PromQLParser", "PromQLEvaluator", "Config", "RuleFile", "RuleTest", "Template", "WAL", "Block",
        "JournalEntry", "PostgresLog", "TimeArguments",
    ]
    package.targets += [
        // libFuzzer's LLVMFuzzerRunDriver, declared for Swift; the library comes with -sanitize=fuzzer.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(
            name: "scalewatch-fuzz",
            dependencies: ["CLibFuzzer", "ScaleAgent", "AlertEngine", "MetricStore", "TestSupport"],
            path: "Fuzz",
            exclude: ["CLibFuzzer", "run.sh"] + fuzzTargets.map { "\($0)/corpus" },
            swiftSettings: fuzzFlags,
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]),
    ]
}
