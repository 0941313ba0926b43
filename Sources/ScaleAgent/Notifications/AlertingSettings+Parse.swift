import AlertEngine
import MetricStore
import Yams

/// Reads `alerting:` with Alertmanager's key names and rules; every mistake is refused with
/// its file, line and column, like the rest of the config.
extension AlertingSettings {
    static let keys = [
        "external_url", "route", "receivers", "inhibit_rules", "notification_queue_capacity", "alertmanagers", "resend_delay",
        "flap_damping",
    ]

    static func parse(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> AlertingSettings {
        var settings = AlertingSettings()
        var routeNode: Node?
        for (key, _, value) in try reader.mapping(node, in: "alerting", allowed: keys) {
            let qualified = "alerting.\(key)"
            switch key {
            case "external_url":
                settings.externalURL = try url(value, qualified, reader)
            case "route":
                routeNode = value
                settings.route = try parseRoute(value, "alerting.route", isRoot: true, reader)
            case "receivers":
                var names: Set<String> = []
                for item in try reader.list(value, qualified, of: "receivers") {
                    let receiver = try parseReceiver(item, reader)
                    guard names.insert(receiver.name).inserted else {
                        throw reader.error(at: item, "receiver \"\(receiver.name)\" is defined twice")
                    }
                    settings.receivers.append(receiver)
                }
            case "inhibit_rules":
                settings.inhibitRules = try reader.list(value, qualified, of: "inhibit rules").map { item throws(ConfigError) in
                    try parseInhibitRule(item, reader)
                }
            case "alertmanagers":
                settings.alertmanagers = try reader.list(value, qualified, of: "Alertmanager configs").map { item throws(ConfigError) in
                    try parseAlertmanager(item, reader)
                }
            case "resend_delay":
                settings.resendDelay = try reader.duration(value, qualified, in: .seconds(1) ... .seconds(86_400))
            case "flap_damping":
                for (field, _, fieldValue) in try reader.mapping(value, in: qualified, allowed: ["max_changes", "window"]) {
                    if field == "max_changes" {
                        settings.flapMaxChanges = try reader.integer(fieldValue, "\(qualified).max_changes", in: 0...1000)
                    } else {
                        settings.flapWindow = try reader.duration(fieldValue, "\(qualified).window", in: .seconds(1) ... .seconds(7 * 86_400))
                    }
                }
            case "notification_queue_capacity":
                settings.queueCapacity = try reader.integer(value, qualified, in: 1...1_000_000)
            default:
                preconditionFailure("BUG: key \(qualified) allowed but not handled")
            }
        }
        if let route = settings.route, let routeNode {
            let known = Set(settings.receivers.map(\.name))
            try checkReceivers(route, routeNode, known: known, reader)
        }
        return settings
    }

    private static let routeKeys = [
        "receiver", "group_by", "group_wait", "group_interval", "repeat_interval", "matchers", "continue", "routes",
    ]

    private static func parseRoute(_ node: Node, _ section: String, isRoot: Bool, _ reader: YAMLReader) throws(ConfigError) -> RouteSpec {
        var route = RouteSpec()
        let durations: ClosedRange<Duration> = .zero ... .seconds(30 * 86_400)
        for (key, keyNode, value) in try reader.mapping(node, in: section, allowed: routeKeys) {
            let qualified = "\(section).\(key)"
            switch key {
            case "receiver":
                route.receiver = try reader.string(value, qualified)
            case "group_by":
                route.grouping = try parseGroupBy(value, qualified, reader)
            case "group_wait":
                route.groupWait = try reader.duration(value, qualified, in: durations).milliseconds
            case "group_interval":
                let interval = try reader.duration(value, qualified, in: durations).milliseconds
                guard interval > 0 else { throw reader.error(at: value, "\(qualified) must be above zero") }
                route.groupInterval = interval
            case "repeat_interval":
                let interval = try reader.duration(value, qualified, in: durations).milliseconds
                guard interval > 0 else { throw reader.error(at: value, "\(qualified) must be above zero") }
                route.repeatInterval = interval
            case "matchers":
                if isRoot { throw reader.error(at: keyNode, "the root route must not have matchers: it receives every alert") }
                route.matchers = try parseMatchers(value, qualified, reader)
            case "continue":
                if isRoot { throw reader.error(at: keyNode, "the root route cannot have continue") }
                route.continues = try reader.bool(value, qualified)
            case "routes":
                let items = try reader.list(value, qualified, of: "routes")
                for (index, item) in items.enumerated() {
                    route.routes.append(try parseRoute(item, "\(qualified)[\(index)]", isRoot: false, reader))
                }
            default:
                preconditionFailure("BUG: key \(qualified) allowed but not handled")
            }
        }
        if isRoot && route.receiver == nil {
            throw reader.error(at: node, "alerting.route needs a receiver: the root route catches every alert")
        }
        return route
    }

    private static func parseGroupBy(_ node: Node, _ key: String, _ reader: YAMLReader) throws(ConfigError) -> RouteSpec.Grouping {
        let items = try reader.list(node, key, of: "label names")
        var names: Set<String> = []
        for item in items {
            let name = try reader.string(item, "\(key) items")
            if name == "..." {
                guard items.count == 1 else {
                    throw reader.error(at: item, "\(key): '...' groups by all labels and must be the only item")
                }
                return .all
            }
            guard YAMLReader.isLabelName(name) else { throw reader.error(at: item, "\(key): '\(name)' is not a valid label name") }
            names.insert(name)
        }
        return .labels(names)
    }

    static func parseMatchers(_ node: Node, _ key: String, _ reader: YAMLReader) throws(ConfigError) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        for item in try reader.list(node, key, of: "matcher strings such as 'severity=\"critical\"'") {
            let text = try reader.string(item, "\(key) items")
            do {
                matchers += try AlertmanagerMatchers.parse(text)
            } catch {
                throw reader.error(at: item, "\(key): \(error)")
            }
        }
        return matchers
    }

    private static func checkReceivers(_ route: RouteSpec, _ node: Node, known: Set<String>, _ reader: YAMLReader) throws(ConfigError) {
        for spec in [route] + descendants(of: route) {
            if let receiver = spec.receiver, !known.contains(receiver) {
                throw reader.error(at: node, "alerting.route: receiver \"\(receiver)\" is not defined under alerting.receivers")
            }
        }
    }

    private static func descendants(of route: RouteSpec) -> [RouteSpec] {
        route.routes.flatMap { [$0] + descendants(of: $0) }
    }

    private static func parseReceiver(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> ReceiverSettings {
        var name: String?
        var webhooks: [WebhookSettings] = []
        for (key, _, value) in try reader.mapping(node, in: "a receiver", allowed: ["name", "webhook_configs"]) {
            switch key {
            case "name":
                name = try reader.string(value, "receiver name")
            default:
                for item in try reader.list(value, "webhook_configs", of: "webhook configs") {
                    webhooks.append(try parseWebhook(item, reader))
                }
            }
        }
        guard let name, !name.isEmpty else { throw reader.error(at: node, "a receiver needs a name") }
        var receiver = ReceiverSettings(name: name)
        receiver.webhooks = webhooks
        return receiver
    }

    private static func parseWebhook(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> WebhookSettings {
        var url: String?
        var webhook = WebhookSettings(url: "")
        let keys = ["url", "send_resolved", "max_alerts", "http_config", "timeout"]
        for (key, _, value) in try reader.mapping(node, in: "webhook_configs", allowed: keys) {
            let qualified = "webhook_configs.\(key)"
            switch key {
            case "url": url = try Self.url(value, qualified, reader)
            case "send_resolved": webhook.sendResolved = try reader.bool(value, qualified)
            case "max_alerts": webhook.maxAlerts = try reader.integer(value, qualified, in: 0...1_000_000)
            case "http_config": webhook.http = try parseHTTPConfig(value, reader)
            case "timeout": webhook.timeout = try reader.duration(value, qualified, in: .milliseconds(1) ... .seconds(3_600))
            default: preconditionFailure("BUG: key \(qualified) allowed but not handled")
            }
        }
        guard let url else { throw reader.error(at: node, "webhook_configs needs a url") }
        webhook.url = url
        return webhook
    }

    static func parseHTTPConfig(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> HTTPClientSettings {
        var http = HTTPClientSettings()
        for (key, _, value) in try reader.mapping(node, in: "http_config", allowed: httpClientKeys) {
            try parseHTTPClientKey(key, value, into: &http, reader)
        }
        return http
    }

    static let httpClientKeys = ["basic_auth", "authorization", "tls_config"]

    /// One of Prometheus' HTTP client keys, under `http_config` (receivers) or inline (Alertmanagers).
    static func parseHTTPClientKey(_ key: String, _ value: Node, into http: inout HTTPClientSettings, _ reader: YAMLReader) throws(ConfigError) {
        switch key {
        case "basic_auth":
            guard http.authentication == nil else {
                throw reader.error(at: value, "http_config: basic_auth and authorization cannot both be set")
            }
            var username: String?
            var passwordFile: String?
            for (field, fieldNode, fieldValue) in try reader.mapping(
                value, in: "basic_auth", allowed: ["username", "password", "password_file"])
            {
                switch field {
                case "username": username = try reader.string(fieldValue, "basic_auth.username")
                case "password_file": passwordFile = try reader.string(fieldValue, "basic_auth.password_file")
                default:
                    throw reader.error(
                        at: fieldNode, "basic_auth.password is not accepted: secrets come from files only; use password_file")
                }
            }
            guard let username, let passwordFile else {
                throw reader.error(at: value, "basic_auth needs username and password_file")
            }
            http.authentication = .basic(username: username, passwordFile: passwordFile)
        case "authorization":
            guard http.authentication == nil else {
                throw reader.error(at: value, "http_config: basic_auth and authorization cannot both be set")
            }
            var type = "Bearer"
            var credentialsFile: String?
            for (field, fieldNode, fieldValue) in try reader.mapping(
                value, in: "authorization", allowed: ["type", "credentials", "credentials_file"])
            {
                switch field {
                case "type":
                    type = try reader.string(fieldValue, "authorization.type")
                    guard !type.contains(where: { $0.isWhitespace }), type.lowercased() != "basic" else {
                        throw reader.error(at: fieldValue, "authorization.type must be one word other than Basic (use basic_auth)")
                    }
                case "credentials_file": credentialsFile = try reader.string(fieldValue, "authorization.credentials_file")
                default:
                    throw reader.error(
                        at: fieldNode, "authorization.credentials is not accepted: secrets come from files only; use credentials_file")
                }
            }
            guard let credentialsFile else { throw reader.error(at: value, "authorization needs credentials_file") }
            http.authentication = .authorization(type: type, credentialsFile: credentialsFile)
        default:
            for (field, _, fieldValue) in try reader.mapping(value, in: "tls_config", allowed: ["ca_file", "insecure_skip_verify"]) {
                switch field {
                case "ca_file": http.caFile = try reader.string(fieldValue, "tls_config.ca_file")
                default: http.insecureSkipVerify = try reader.bool(fieldValue, "tls_config.insecure_skip_verify")
                }
            }
        }
    }

    private static func parseAlertmanager(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> AlertmanagerSettings {
        var settings = AlertmanagerSettings()
        let keys = ["static_configs", "scheme", "path_prefix", "timeout", "api_version"] + httpClientKeys
        for (key, _, value) in try reader.mapping(node, in: "alertmanagers", allowed: keys) {
            let qualified = "alertmanagers.\(key)"
            switch key {
            case "static_configs":
                for item in try reader.list(value, qualified, of: "static configs") {
                    for (field, _, targets) in try reader.mapping(item, in: qualified, allowed: ["targets"]) {
                        for target in try reader.list(targets, "\(qualified).\(field)", of: "host:port strings") {
                            let text = try reader.string(target, "\(qualified).targets items")
                            if case .failure(let problem) = ListenAddress.parse(text) {
                                throw reader.error(at: target, "\(qualified).targets: \(problem)")
                            }
                            settings.targets.append(text)
                        }
                    }
                }
            case "scheme":
                settings.scheme = try reader.string(value, qualified)
                guard ["http", "https"].contains(settings.scheme) else {
                    throw reader.error(at: value, "\(qualified) must be http or https, got '\(settings.scheme)'")
                }
            case "path_prefix":
                settings.pathPrefix = try reader.string(value, qualified)
            case "timeout":
                settings.timeout = try reader.duration(value, qualified, in: .milliseconds(1) ... .seconds(3_600))
            case "api_version":
                let version = try reader.string(value, qualified)
                guard version == "v2" else { throw reader.error(at: value, "\(qualified): only v2 is supported (Alertmanager removed v1)") }
            default:
                try parseHTTPClientKey(key, value, into: &settings.http, reader)
            }
        }
        guard !settings.targets.isEmpty else { throw reader.error(at: node, "alertmanagers needs static_configs with targets") }
        return settings
    }

    private static func url(_ node: Node, _ key: String, _ reader: YAMLReader) throws(ConfigError) -> String {
        let text = try reader.string(node, key)
        let scheme = text.hasPrefix("https://") ? "https://" : text.hasPrefix("http://") ? "http://" : nil
        guard let scheme, text.count > scheme.count, !text.contains(where: { $0.isWhitespace }) else {
            throw reader.error(at: node, "\(key) must be an http:// or https:// URL, got '\(text)'")
        }
        return text
    }

    private static func parseInhibitRule(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> InhibitRule {
        var rule = InhibitRule(sourceMatchers: [], targetMatchers: [], equal: [])
        let keys = ["source_matchers", "target_matchers", "equal"]
        for (key, _, value) in try reader.mapping(node, in: "an inhibit rule", allowed: keys) {
            let qualified = "inhibit_rules.\(key)"
            switch key {
            case "source_matchers": rule.sourceMatchers = try parseMatchers(value, qualified, reader)
            case "target_matchers": rule.targetMatchers = try parseMatchers(value, qualified, reader)
            default:
                for item in try reader.list(value, qualified, of: "label names") {
                    let name = try reader.string(item, "\(qualified) items")
                    guard YAMLReader.isLabelName(name) else { throw reader.error(at: item, "\(qualified): '\(name)' is not a valid label name") }
                    rule.equal.append(name)
                }
            }
        }
        guard !rule.sourceMatchers.isEmpty, !rule.targetMatchers.isEmpty else {
            throw reader.error(at: node, "an inhibit rule needs source_matchers and target_matchers")
        }
        return rule
    }
}
