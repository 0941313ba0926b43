import AlertEngine
import MetricStore

/// The rule groups a config names: globs resolved against the config file's directory, every
/// file loaded and checked, the alerts of `disabled_alerts` left out. One error list for all
/// files, so an operator fixes them in one go.
public enum AgentRuleFiles {
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func load(_ settings: RuleSettings, configFile: String?) throws(LoadError) -> [CompiledRuleGroup] {
        guard !settings.files.isEmpty else { return try disabling(settings.disabledAlerts, in: []) }
        let base = configFile.map(RuleFileGlob.directory(of:)) ?? "."
        let patterns = settings.files.map { RuleFileGlob.resolve($0, relativeTo: base) }
        let expanded: (paths: [String], unmatched: [String])
        do {
            expanded = try RuleFileGlob.paths(matching: patterns)
        } catch {
            throw LoadError(description: "rule_files: \(error)")
        }
        // A glob that matches nothing may be waiting for files (Prometheus only warns); a plain
        // path that does not exist is a typo, or a file not installed.
        if let missing = expanded.unmatched.first(where: RuleFileGlob.isLiteral) {
            let owner = configFile.map { "\($0): " } ?? ""
            throw LoadError(description: "\(owner)rule_files: \(missing) does not exist (a path without * ? [ must name a file)")
        }
        let paths = expanded.paths
        let groups: [CompiledRuleGroup]
        do {
            groups = try RuleCompiler.load(paths: paths, defaultInterval: settings.evaluationInterval.milliseconds)
        } catch {
            throw LoadError(description: error.description)
        }
        return try disabling(settings.disabledAlerts, in: groups)
    }

    /// The groups without the disabled alerts. Recording rules are never disabled: an alert
    /// of the user's own file may read what they record. A group left empty stays, so its
    /// `scalewatch_rule_group_rules` shows 0 rather than vanishing.
    static func disabling(_ disabled: [RuleSettings.DisabledAlert], in groups: [CompiledRuleGroup]) throws(LoadError) -> [CompiledRuleGroup] {
        guard !disabled.isEmpty else { return groups }
        let defined = Set(groups.flatMap { $0.rules.filter { $0.kind == .alerting }.map(\.name) })
        if let unknown = disabled.first(where: { !defined.contains($0.name) }) {
            let error = LocatedError(at: unknown.location, "disabled_alerts: no rule file defines an alert named \"\(unknown.name)\"")
            throw LoadError(description: error.description)
        }
        let names = Set(disabled.map(\.name))
        return groups.map { group in
            var kept = group
            kept.rules = group.rules.filter { !($0.kind == .alerting && names.contains($0.name)) }
            return kept
        }
    }
}
