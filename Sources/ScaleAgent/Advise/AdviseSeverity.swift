/// How bad a finding is. `info` is a trend worth watching that breaks nothing yet.
public enum AdviseSeverity: String, Sendable, Comparable, CaseIterable {
    case critical, warning, info

    private var rank: Int {
        switch self {
        case .critical: 0
        case .warning: 1
        case .info: 2
        }
    }

    /// Worse first.
    public static func < (lhs: AdviseSeverity, rhs: AdviseSeverity) -> Bool { lhs.rank < rhs.rank }
}
