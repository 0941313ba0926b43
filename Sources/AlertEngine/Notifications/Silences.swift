import MetricStore

/// Every silence the agent knows, with Alertmanager's rules for creating, updating and
/// expiring them (`silence/silence.go`: `Set`, `canUpdate`, `Expire`, `validateSilence`). Pure:
/// the time and the new silence's id come in as arguments; the agent persists the result.
public struct Silences: Sendable, Equatable {
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            case invalid
            case notFound
        }

        public let kind: Kind
        public let message: String
        public var description: String { message }

        init(_ kind: Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// In the order they were created.
    public private(set) var all: [Silence]
    /// How long an expired silence stays listed before it is forgotten (Alertmanager's
    /// `--data.retention`, 120 h).
    public let retention: Int64
    /// Silences that are active or pending at once (Alertmanager's `--silences.max-silences`,
    /// unlimited there): whoever can reach the API must not grow the agent's memory and the
    /// file it rewrites on every change without bound.
    public let maximumLive: Int
    /// A silence's matchers, author and comment together, in bytes
    /// (`--silences.max-silence-size-bytes`).
    public let maximumSize: Int
    /// Expired silences kept at most; beyond it the longest expired are forgotten before their
    /// retention ends, so that creating and expiring in a loop stays bounded too.
    public let maximumExpired: Int

    public init(
        _ silences: [Silence] = [], retention: Int64 = 120 * 3_600_000, maximumLive: Int = 1_000, maximumSize: Int = 16 << 10,
        maximumExpired: Int = 10_000
    ) {
        all = silences
        self.retention = retention
        self.maximumLive = maximumLive
        self.maximumSize = maximumSize
        self.maximumExpired = maximumExpired
    }

    public subscript(id: String) -> Silence? { all.first { $0.id == id } }

    /// Creates the silence (an empty id), or updates the one with its id: in place if only its
    /// times, comment or author change in a way Alertmanager allows, else by expiring the old
    /// silence and creating a new one under `newID`. Returns the id the silence lives under.
    public mutating func set(_ silence: Silence, now: Int64, newID: String) throws(Refusal) -> String {
        var silence = silence
        try Self.validate(silence, now: now)
        let size = Self.size(of: silence)
        guard size <= maximumSize else {
            throw Refusal(.invalid, "silence too large: \(size) bytes of matchers, author and comment (limit: \(maximumSize))")
        }
        silence.updatedAt = now
        if !silence.id.isEmpty {
            guard let index = all.firstIndex(where: { $0.id == silence.id }) else {
                throw Refusal(.notFound, "silence \(silence.id) not found")
            }
            if Self.canUpdate(all[index], to: silence, now: now) {
                all[index] = silence
                return silence.id
            }
            if all[index].state(at: now) != .expired { expire(at: index, now: now) }
        }
        let live = all.count { $0.state(at: now) != .expired }
        guard live < maximumLive else {
            throw Refusal(.invalid, "exceeded maximum number of silences: \(live) (limit: \(maximumLive))")
        }
        // A silence cannot start in the past.
        silence.startsAt = max(silence.startsAt, now)
        silence.id = newID
        all.append(silence)
        return newID
    }

    /// Ends the silence now; a pending one never starts.
    public mutating func expire(id: String, now: Int64) throws(Refusal) {
        guard let index = all.firstIndex(where: { $0.id == id }) else { throw Refusal(.notFound, "silence \(id) not found") }
        guard all[index].state(at: now) != .expired else { throw Refusal(.invalid, "silence \(id) already expired") }
        expire(at: index, now: now)
    }

    /// Whether an active silence mutes `labels` at `now`, and which ones do.
    public func silencing(_ labels: Labels, at now: Int64) -> [String] {
        all.filter { $0.mutes(labels, at: now) }.map(\.id)
    }

    /// Forgets silences expired longer than `retention` ago, and the longest expired beyond
    /// `maximumExpired`; returns whether any went.
    @discardableResult
    public mutating func collectGarbage(now: Int64) -> Bool {
        let before = all.count
        all.removeAll { $0.endsAt + retention <= now }
        let expired = all.filter { $0.state(at: now) == .expired }
        if expired.count > maximumExpired {
            let kept = Set(expired.sorted { $0.endsAt > $1.endsAt }.prefix(maximumExpired).map(\.id))
            all.removeAll { $0.state(at: now) == .expired && !kept.contains($0.id) }
        }
        return all.count != before
    }

    /// As Alertmanager lists them: active by end, then pending by start, then expired, most
    /// recently ended first.
    public func listed(at now: Int64) -> [Silence] {
        func rank(_ silence: Silence) -> Int {
            switch silence.state(at: now) {
            case .active: 0
            case .pending: 1
            case .expired: 2
            }
        }
        return all.sorted { a, b in
            let (ra, rb) = (rank(a), rank(b))
            if ra != rb { return ra < rb }
            switch ra {
            case 0: return a.endsAt < b.endsAt
            case 1: return a.startsAt < b.startsAt
            default: return a.endsAt > b.endsAt
            }
        }
    }

    private mutating func expire(at index: Int, now: Int64) {
        if all[index].state(at: now) == .pending { all[index].startsAt = now }
        all[index].endsAt = now
        all[index].updatedAt = now
    }

    /// Alertmanager's `validateSilence` and its API's checks on a posted silence.
    static func validate(_ silence: Silence, now: Int64) throws(Refusal) {
        guard !silence.matchers.isEmpty else { throw Refusal(.invalid, "at least one matcher required") }
        for (index, matcher) in silence.matchers.enumerated() where !Self.isLabelName(matcher.name) {
            throw Refusal(.invalid, "invalid label matcher \(index): invalid label name \(JSONWriter.quoted(matcher.name))")
        }
        guard !silence.matchers.allSatisfy(\.matchesEmpty) else {
            throw Refusal(.invalid, "at least one matcher must not match the empty string")
        }
        guard silence.startsAt < silence.endsAt else { throw Refusal(.invalid, "start time must be before end time") }
        guard silence.endsAt > now else { throw Refusal(.invalid, "end time can't be in the past") }
        guard !silence.createdBy.isEmpty else { throw Refusal(.invalid, "createdBy is required") }
        guard !silence.comment.isEmpty else { throw Refusal(.invalid, "comment is required") }
    }

    static func size(of silence: Silence) -> Int {
        silence.matchers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count } + silence.createdBy.utf8.count + silence.comment.utf8.count
    }

    /// Alertmanager's `canUpdate`: the same matchers, and times that do not rewrite the past.
    static func canUpdate(_ old: Silence, to new: Silence, now: Int64) -> Bool {
        guard old.matchers == new.matchers else { return false }
        switch old.state(at: now) {
        case .active:
            return new.startsAt == old.startsAt && new.endsAt >= now
        case .pending:
            return new.startsAt >= now
        case .expired:
            return false
        }
    }

    private static func isLabelName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, !("0"..."9").contains(first) else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
