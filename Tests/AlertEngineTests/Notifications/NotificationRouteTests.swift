import MetricStore
import Testing

@testable import AlertEngine

/// Alertmanager's `TestRouteMatch` (dispatch/route_test.go), its tree written with `matchers`
/// instead of the deprecated `match`/`match_re` (so regex keys show the regex as written,
/// not Alertmanager's anchored rewrite of `match_re`).
@Suite struct NotificationRouteTests {
    static func m(_ text: String) -> [LabelMatcher] { try! AlertmanagerMatchers.parse(text) }

    static let tree = NotificationRoute(
        root: RouteSpec(
            receiver: "notify-def",
            routes: [
                RouteSpec(
                    receiver: "notify-A", matchers: m(#"owner="team-A""#),
                    routes: [
                        RouteSpec(receiver: "notify-testing", grouping: .all, matchers: m(#"env="testing""#)),
                        RouteSpec(receiver: "notify-productionA", groupWait: 60_000, matchers: m(#"env="production""#), continues: true),
                        RouteSpec(
                            receiver: "notify-productionB", grouping: .labels(["job"]), groupWait: 30_000, groupInterval: 300_000,
                            repeatInterval: 3_600_000, matchers: m(#"env=~"produ.*", job=~".*""#)),
                    ]),
                RouteSpec(receiver: "notify-BC", grouping: .labels(["foo", "bar"]), groupWait: 120_000, matchers: m(#"owner=~"team-(B|C)""#)),
                RouteSpec(
                    grouping: .labels(["role"]), matchers: m(#"group_by="role""#),
                    routes: [
                        RouteSpec(
                            receiver: "notify-testing", matchers: m(#"env="testing""#),
                            routes: [RouteSpec(groupWait: 120_000, matchers: m(#"wait="long""#))])
                    ]),
            ]))

    struct Case: Sendable, CustomTestStringConvertible {
        let labels: [String: String]
        /// receiver, group wait in seconds, key of each matching route.
        let expected: [(String, Int64, String)]
        var testDescription: String { "\(labels)" }
    }

    @Test(arguments: [
        Case(labels: ["owner": "team-A"], expected: [("notify-A", 30, #"{}/{owner="team-A"}"#)]),
        Case(labels: ["owner": "team-A", "env": "unset"], expected: [("notify-A", 30, #"{}/{owner="team-A"}"#)]),
        Case(labels: ["owner": "team-C"], expected: [("notify-BC", 120, #"{}/{owner=~"team-(B|C)"}"#)]),
        Case(labels: ["owner": "team-A", "env": "testing"], expected: [("notify-testing", 30, #"{}/{owner="team-A"}/{env="testing"}"#)]),
        Case(
            labels: ["owner": "team-A", "env": "production"],
            expected: [
                ("notify-productionA", 60, #"{}/{owner="team-A"}/{env="production"}"#),
                ("notify-productionB", 30, #"{}/{owner="team-A"}/{env=~"produ.*",job=~".*"}"#),
            ]),
        Case(labels: ["group_by": "role"], expected: [("notify-def", 30, #"{}/{group_by="role"}"#)]),
        Case(labels: ["env": "testing", "group_by": "role"], expected: [("notify-testing", 30, #"{}/{group_by="role"}/{env="testing"}"#)]),
        Case(
            labels: ["env": "testing", "group_by": "role", "wait": "long"],
            expected: [("notify-testing", 120, #"{}/{group_by="role"}/{env="testing"}/{wait="long"}"#)]),
        Case(labels: ["nothing": "matches"], expected: [("notify-def", 30, "{}")]),
    ])
    func matchesAsAlertmanager(_ test: Case) {
        let routes = Self.tree.match(Labels(test.labels.map { Label($0.key, $0.value) }))
        #expect(routes.map(\.receiver) == test.expected.map(\.0))
        #expect(routes.map(\.groupWait) == test.expected.map { $0.1 * 1000 })
        #expect(routes.map(\.key) == test.expected.map(\.2))
    }

    @Test func settingsAreInherited() {
        let routes = Self.tree.match(Labels(["env": "testing", "group_by": "role", "wait": "long"]))
        #expect(routes.first?.grouping == .labels(["role"]))
        #expect(routes.first?.repeatInterval == NotificationRoute.defaultRepeatInterval)
        let productionB = Self.tree.match(Labels(["owner": "team-A", "env": "production"])).last
        #expect(productionB?.repeatInterval == 3_600_000)
        #expect(productionB?.groupLabels(of: Labels(["job": "pg", "env": "production"])) == Labels(["job": "pg"]))
    }

    @Test func idsAreUniqueAndCarryTheSiblingIndex() {
        let ids = Self.tree.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.contains(#"{}/{owner="team-A"}/0/{env="testing"}/0"#))
    }
}
