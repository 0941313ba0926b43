import MetricStore
import Yams

extension LocatedYAMLReader {
    /// Any scalar as text (`5` and `true` included, as Prometheus reads them into strings).
    /// An empty value is the empty string in the Prometheus dialect, refused in the agent's.
    public func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node, dialect == .prometheus || !isNull(node) else {
            report(at: node, "\(what) must be a string, got \(describe(node))")
            return nil
        }
        return isNull(node) ? "" : scalar.string
    }

    /// Like `string`, keeping where the text starts in the file.
    public func locatedText(_ node: Node, _ what: String) -> LocatedText? {
        guard let string = string(node, what), case .scalar(let scalar) = node else { return nil }
        guard let mark = scalar.mark else { return LocatedText(string, line: 0, column: 0, isVerbatim: false) }
        return ScalarPlacement(lines: lines).locate(string, style: scalar.style, mark: mark)
    }

    /// A duration in Prometheus' syntax, in milliseconds, within `range` when one is given.
    public func duration(_ node: Node, _ what: String, in range: ClosedRange<Int64>? = nil) -> Int64? {
        guard let text = string(node, what) else { return nil }
        let milliseconds: Int64
        do {
            milliseconds = try PrometheusDuration.milliseconds(parsing: text)
        } catch .outOfRange {
            report(at: node, outOfRange(range, got: node))
            return nil
        } catch {
            report(at: node, "\(what) must be a duration such as 5m, 1h30m or 500ms, got \(describe(node))")
            return nil
        }
        guard let range else { return milliseconds }
        if milliseconds < range.lowerBound {
            report(at: node, "\(what) must be at least \(PrometheusDuration.format(milliseconds: range.lowerBound)), got \(describe(node))")
            return nil
        }
        if milliseconds > range.upperBound {
            report(at: node, outOfRange(range, got: node))
            return nil
        }
        return milliseconds

        func outOfRange(_ range: ClosedRange<Int64>?, got node: Node) -> String {
            guard let range else {
                let limit = PrometheusDuration.format(milliseconds: PrometheusDuration.maxMilliseconds)
                return "\(what) must be a duration of at most \(limit) (about 292 years), got \(describe(node))"
            }
            let lower = PrometheusDuration.format(milliseconds: range.lowerBound)
            let upper = PrometheusDuration.format(milliseconds: range.upperBound)
            return "\(what) must be between \(lower) and \(upper), got \(describe(node))"
        }
    }

    /// A whole number within `range`. The Prometheus dialect takes only a plain scalar (a
    /// quoted one is a string there).
    public func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        if case .scalar(let scalar) = node, dialect == .agent || scalar.style == .plain, let value = Int(scalar.string),
            range.contains(value)
        {
            return value
        }
        let bounds = range.upperBound == .max ? ", \(range.lowerBound) or more" : " from \(range.lowerBound) to \(range.upperBound)"
        report(at: node, "\(what) must be a whole number\(bounds), got \(describe(node))")
        return nil
    }

    /// A YAML number: decimal, `0x`/`0o` integers, `.inf`, `-.inf`, `.nan`. Quoted text is a
    /// string in YAML, and refused here as Prometheus refuses it.
    public func number(_ node: Node, _ what: String) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = YAMLNumber.parse(scalar.string) else {
            report(at: node, "\(what) must be a number, got \(describe(node))")
            return nil
        }
        return value
    }

    public func bool(_ node: Node, _ what: String) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        report(at: node, "\(what) must be true or false, got \(describe(node))")
        return nil
    }
}
