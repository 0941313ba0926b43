import AlertEngine

/// The rule groups a config names: globs resolved against the config file's directory, every
/// file loaded and checked. One error list for all files, so an operator fixes them in one go.
public enum AgentRuleFiles {
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func load(_ settings: RuleSettings, configFile: String?) throws(LoadError) -> [CompiledRuleGroup] {
        guard !settings.files.isEmpty else { return [] }
        let base = configFile.map(RuleFileGlob.directory(of:)) ?? "."
        let patterns = settings.files.map { RuleFileGlob.resolve($0, relativeTo: base) }
        let paths: [String]
        do {
            paths = try RuleFileGlob.paths(matching: patterns).paths
        } catch {
            throw LoadError(description: "rule_files: \(error)")
        }
        do {
            return try RuleCompiler.load(paths: paths, defaultInterval: settings.evaluationInterval.milliseconds)
        } catch {
            throw LoadError(description: error.description)
        }
    }
}
