/// One Prometheus rule file (`groups:` of recording and alerting rules), as loaded and
/// checked by `RuleFileLoader`.
public struct RuleFile: Sendable, Hashable {
    /// The path it was read from, as given; errors found later (a PromQL parse error in an
    /// `expr`) are reported against it.
    public var file: String
    public var groups: [RuleGroup]

    public init(file: String, groups: [RuleGroup]) {
        self.file = file
        self.groups = groups
    }
}
