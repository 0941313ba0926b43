import MetricStore
import Testing

@testable import AlertEngine

/// Alertmanager's silence rules, driven with explicit times: states, validation, update in
/// place or by replacement, expiry, listing order, retention, and the dispatcher leaving
/// silenced alerts out while the silence is active and only then.
@Suite struct SilencesTests {
    static let hour: Int64 = 3_600_000
    static let now: Int64 = 1_800_000_000_000

    static func silence(
        id: String = "", _ matchers: [LabelMatcher] = [.equal("alertname", "A")], startsAt: Int64 = now, endsAt: Int64 = now + hour,
        createdBy: String = "ops", comment: String = "deploy"
    ) -> Silence {
        Silence(id: id, matchers: matchers, startsAt: startsAt, endsAt: endsAt, updatedAt: 0, createdBy: createdBy, comment: comment)
    }

    @Test func statesFollowTheClock() {
        let silence = Self.silence(startsAt: Self.now, endsAt: Self.now + Self.hour)
        #expect(silence.state(at: Self.now - 1) == .pending)
        #expect(silence.state(at: Self.now) == .active)
        #expect(silence.state(at: Self.now + Self.hour - 1) == .active)
        #expect(silence.state(at: Self.now + Self.hour) == .expired)
        let labels = Labels(["alertname": "A", "job": "x"])
        #expect(!silence.mutes(labels, at: Self.now - 1))
        #expect(silence.mutes(labels, at: Self.now))
        #expect(!silence.mutes(labels, at: Self.now + Self.hour))
        #expect(!silence.mutes(Labels(["alertname": "B"]), at: Self.now))
    }

    @Test(arguments: [
        (SilencesTests.silence([]), "at least one matcher required"),
        (SilencesTests.silence([try! LabelMatcher("job", .regex, ".*")]), "at least one matcher must not match the empty string"),
        (SilencesTests.silence([.equal("0bad", "x")]), #"invalid label matcher 0: invalid label name "0bad""#),
        (SilencesTests.silence(startsAt: SilencesTests.now + SilencesTests.hour, endsAt: SilencesTests.now + SilencesTests.hour), "start time must be before end time"),
        (SilencesTests.silence(startsAt: SilencesTests.now - 2 * SilencesTests.hour, endsAt: SilencesTests.now - SilencesTests.hour), "end time can't be in the past"),
        (SilencesTests.silence(createdBy: ""), "createdBy is required"),
        (SilencesTests.silence(comment: ""), "comment is required"),
    ])
    func invalidSilencesAreRefused(_ silence: Silence, _ message: String) {
        var silences = Silences()
        #expect(throws: Silences.Refusal(.invalid, message)) { try silences.set(silence, now: Self.now, newID: "n") }
        #expect(silences.all.isEmpty)
    }

    @Test func createUpdateInPlaceOrReplace() throws {
        var silences = Silences()
        let id = try silences.set(Self.silence(startsAt: Self.now - Self.hour), now: Self.now, newID: "s1")
        #expect(id == "s1")
        #expect(silences["s1"]?.startsAt == Self.now, "a silence cannot start in the past")
        #expect(silences["s1"]?.updatedAt == Self.now)

        // Longer, same matchers, same start: updated in place.
        var longer = silences["s1"]!
        longer.endsAt = Self.now + 2 * Self.hour
        longer.comment = "longer deploy"
        #expect(try silences.set(longer, now: Self.now + 1, newID: "unused") == "s1")
        #expect(silences.all.count == 1)
        #expect(silences["s1"]?.comment == "longer deploy")

        // Other matchers: the old one expires, a new one takes over.
        var other = silences["s1"]!
        other.matchers = [.equal("alertname", "B")]
        #expect(try silences.set(other, now: Self.now + 2, newID: "s2") == "s2")
        #expect(silences["s1"]?.state(at: Self.now + 2) == .expired)
        #expect(silences["s2"]?.state(at: Self.now + 2) == .active)

        #expect(throws: Silences.Refusal(.notFound, "silence nope not found")) {
            try silences.set(Self.silence(id: "nope"), now: Self.now, newID: "x")
        }
    }

    @Test func expireEndsNowAndOnlyOnce() throws {
        var silences = Silences()
        _ = try silences.set(Self.silence(), now: Self.now, newID: "active")
        _ = try silences.set(Self.silence(startsAt: Self.now + Self.hour, endsAt: Self.now + 2 * Self.hour), now: Self.now, newID: "pending")
        try silences.expire(id: "active", now: Self.now + 10)
        try silences.expire(id: "pending", now: Self.now + 10)
        #expect(silences["active"]?.endsAt == Self.now + 10)
        #expect(silences["pending"].map { ($0.startsAt, $0.endsAt) } ?? (0, 0) == (Self.now + 10, Self.now + 10))
        #expect(silences.silencing(Labels(["alertname": "A"]), at: Self.now + 10).isEmpty)
        #expect(throws: Silences.Refusal(.invalid, "silence active already expired")) { try silences.expire(id: "active", now: Self.now + 20) }
        #expect(throws: Silences.Refusal(.notFound, "silence gone not found")) { try silences.expire(id: "gone", now: Self.now) }
    }

    @Test func listedActiveThenPendingThenExpiredAndForgottenAfterRetention() throws {
        var silences = Silences(retention: Self.hour)
        _ = try silences.set(Self.silence(endsAt: Self.now + 3 * Self.hour), now: Self.now, newID: "active-late")
        _ = try silences.set(Self.silence(endsAt: Self.now + 2 * Self.hour), now: Self.now, newID: "active-early")
        _ = try silences.set(Self.silence(startsAt: Self.now + Self.hour, endsAt: Self.now + 4 * Self.hour), now: Self.now, newID: "pending")
        _ = try silences.set(Self.silence(), now: Self.now, newID: "expired-first")
        _ = try silences.set(Self.silence(), now: Self.now, newID: "expired-last")
        try silences.expire(id: "expired-first", now: Self.now + 1)
        try silences.expire(id: "expired-last", now: Self.now + 2)
        #expect(silences.listed(at: Self.now + 3).map(\.id) == ["active-early", "active-late", "pending", "expired-last", "expired-first"])
        let early = silences.collectGarbage(now: Self.now + 1 + Self.hour - 1)
        #expect(!early)
        let due = silences.collectGarbage(now: Self.now + 2 + Self.hour)
        #expect(due)
        #expect(silences.all.map(\.id) == ["active-late", "active-early", "pending"])
    }

    @Test func liveSilencesAndTheirSizeAreBounded() throws {
        var silences = Silences(maximumLive: 2, maximumSize: 40)
        _ = try silences.set(Self.silence(), now: Self.now, newID: "a")
        _ = try silences.set(Self.silence(startsAt: Self.now + Self.hour, endsAt: Self.now + 2 * Self.hour), now: Self.now, newID: "b")
        #expect(throws: Silences.Refusal(.invalid, "exceeded maximum number of silences: 2 (limit: 2)")) {
            try silences.set(Self.silence(), now: Self.now, newID: "c")
        }
        // Replacing one (new matchers) expires it first, so the count stays within the limit.
        let replacement = try silences.set(Self.silence(id: "a", [.equal("alertname", "B")]), now: Self.now + 1, newID: "a2")
        #expect(replacement == "a2")
        try silences.expire(id: "b", now: Self.now + 2)
        let created = try silences.set(Self.silence(), now: Self.now + 3, newID: "c")
        #expect(created == "c")
        #expect(throws: Silences.Refusal(.invalid, "silence too large: 41 bytes of matchers, author and comment (limit: 40)")) {
            try silences.set(Self.silence(comment: String(repeating: "x", count: 41 - 13)), now: Self.now, newID: "d")
        }
    }

    @Test func expiredSilencesBeyondTheirMaximumGoLongestExpiredFirst() throws {
        var silences = Silences(maximumExpired: 2)
        for index in 0..<4 {
            _ = try silences.set(Self.silence(), now: Self.now, newID: "s\(index)")
            try silences.expire(id: "s\(index)", now: Self.now + Int64(index) + 1)
        }
        let collected = silences.collectGarbage(now: Self.now + 10)
        #expect(collected)
        #expect(silences.all.map(\.id) == ["s2", "s3"])
        let again = silences.collectGarbage(now: Self.now + 11)
        #expect(!again)
    }

    @Test func dispatcherLeavesSilencedAlertsOutUntilTheSilenceExpires() throws {
        var dispatcher = NotificationDispatcherTests.dispatcher()
        let minute = NotificationDispatcherTests.minute
        let muted = NotificationDispatcherTests.alert(["alertname": "A", "instance": "1"])
        let other = NotificationDispatcherTests.alert(["alertname": "A", "instance": "2"])
        _ = try dispatcher.silences.set(
            Self.silence([.equal("instance", "1")], startsAt: 0, endsAt: 10 * minute), now: 0, newID: "s")
        dispatcher.ingest([muted, other], now: 0)
        #expect(NotificationDispatcherTests.summary(dispatcher.flush(now: 30_000)) == [["2:firing"]])
        dispatcher.ingest([muted, other], now: 6 * minute)
        #expect(dispatcher.flush(now: 30_000 + 5 * minute).isEmpty, "still silenced, nothing new")
        try dispatcher.silences.expire(id: "s", now: 7 * minute)
        dispatcher.ingest([muted, other], now: 10 * minute)
        #expect(NotificationDispatcherTests.summary(dispatcher.flush(now: 30_000 + 10 * minute)) == [["1:firing", "2:firing"]])
    }
}
