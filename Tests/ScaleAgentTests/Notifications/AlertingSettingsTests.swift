import AlertEngine
import MetricStore
import Testing

@testable import ScaleAgent

@Suite struct AlertingSettingsTests {
    /// The section as issue 11 shows it, pasted from alertmanager.yml shapes.
    @Test func readsTheDocumentedExample() throws {
        let config = try ConfigLoader.parse(
            """
            alerting:
              external_url: http://host-1:9470
              route:
                receiver: ops
                group_by: [alertname, stage]
                group_wait: 30s
                group_interval: 5m
                repeat_interval: 4h
                routes: [{matchers: ['severity="critical"'], receiver: pager, continue: true}]
              receivers:
                - name: ops
                  webhook_configs: [{url: 'http://127.0.0.1:9099/hook', send_resolved: true, max_alerts: 0}]
                - name: pager
                  webhook_configs:
                    - url: https://pager.example/hook
                      send_resolved: false
                      max_alerts: 5
                      timeout: 3s
                      http_config:
                        authorization: {credentials_file: /etc/scalewatch/pager.token}
                        tls_config: {ca_file: /etc/scalewatch/ca.pem}
              inhibit_rules:
                - source_matchers: ['alertname="PostgresDown"']
                  target_matchers: ['signature=~"pg_.*"']
                  equal: [server]
            """, file: "agent.yml")
        let alerting = config.alerting
        #expect(alerting.externalURL == "http://host-1:9470")
        let route = try #require(alerting.route)
        #expect(route.receiver == "ops")
        #expect(route.grouping == .labels(["alertname", "stage"]))
        #expect(route.groupWait == 30_000 && route.groupInterval == 300_000 && route.repeatInterval == 14_400_000)
        #expect(route.routes.first?.receiver == "pager")
        #expect(route.routes.first?.continues == true)
        #expect(route.routes.first.map { AlertmanagerMatchers.render($0.matchers) } == #"{severity="critical"}"#)
        #expect(alerting.receivers.map(\.name) == ["ops", "pager"])
        let pager = try #require(alerting.webhook(receiver: "pager", index: 0))
        #expect(pager.url == "https://pager.example/hook" && !pager.sendResolved && pager.maxAlerts == 5 && pager.timeout == .seconds(3))
        #expect(pager.http.authentication == .authorization(type: "Bearer", credentialsFile: "/etc/scalewatch/pager.token"))
        #expect(pager.http.caFile == "/etc/scalewatch/ca.pem")
        #expect(alerting.inhibitRules.first?.equal == ["server"])
        #expect(alerting.integrations["pager"] == [ReceiverIntegration(index: 0, sendResolved: false, maxAlerts: 5)])
    }

    @Test func readsAlertmanagersAsPrometheusDoes() throws {
        let config = try ConfigLoader.parse(
            """
            alerting:
              resend_delay: 30s
              alertmanagers:
                - static_configs: [{targets: ['127.0.0.1:9093', 'am-2:9093']}]
                  scheme: https
                  path_prefix: /am/
                  timeout: 5s
                  basic_auth: {username: sw, password_file: /etc/scalewatch/am.password}
            """, file: "a.yml")
        let am = try #require(config.alerting.alertmanagers.first)
        #expect(am.alertsURLs == ["https://127.0.0.1:9093/am/api/v2/alerts", "https://am-2:9093/am/api/v2/alerts"])
        #expect(am.timeout == .seconds(5))
        #expect(am.http.authentication == .basic(username: "sw", passwordFile: "/etc/scalewatch/am.password"))
        #expect(config.alerting.resendDelay == .seconds(30))
        #expect(config.alerting.route == nil)
    }

    @Test func groupByDotsMeansAllLabels() throws {
        let config = try ConfigLoader.parse(
            "alerting:\n  route: {receiver: r, group_by: ['...']}\n  receivers: [{name: r}]\n", file: "a.yml")
        #expect(config.alerting.route?.grouping == .all)
    }

    @Test(arguments: [
        ("alerting:\n  route: {group_by: [a]}\n", "a.yml:2:10: alerting.route needs a receiver"),
        ("alerting:\n  route: {receiver: nobody}\n", "a.yml:2:10: alerting.route: receiver \"nobody\" is not defined"),
        ("alerting:\n  route: {receiver: r, matchers: ['a=\"b\"']}\n  receivers: [{name: r}]\n", "a.yml:2:24: the root route must not have matchers"),
        (
            "alerting:\n  route:\n    receiver: r\n    routes: [{matchers: ['a=~\"(\"']}]\n  receivers: [{name: r}]\n",
            "a.yml:4:26: alerting.route.routes[0].matchers: invalid regular expression"
        ),
        ("alerting:\n  route: {receiver: r, group_by: ['...', a]}\n  receivers: [{name: r}]\n", "'...' groups by all labels and must be the only item"),
        ("alerting:\n  route: {receiver: r, group_interval: 0s}\n  receivers: [{name: r}]\n", "alerting.route.group_interval must be above zero"),
        ("alerting:\n  receivers: [{name: r}, {name: r}]\n", "a.yml:2:26: receiver \"r\" is defined twice"),
        ("alerting:\n  receivers: [{name: r, webhook_configs: [{url: 'ftp://x'}]}]\n", "a.yml:2:49: webhook_configs.url must be an http:// or https:// URL"),
        ("alerting:\n  receivers: [{name: r, webhook_configs: [{send_resolved: true}]}]\n", "webhook_configs needs a url"),
        (
            "alerting:\n  receivers:\n    - name: r\n      webhook_configs:\n        - url: http://x\n          http_config: {basic_auth: {username: u, password: p}}\n",
            "a.yml:6:51: basic_auth.password is not accepted: secrets come from files only; use password_file"
        ),
        (
            "alerting:\n  receivers:\n    - name: r\n      webhook_configs:\n        - url: http://x\n          http_config: {authorization: {credentials: t}}\n",
            "authorization.credentials is not accepted: secrets come from files only"
        ),
        ("alerting:\n  inhibit_rules: [{equal: [a]}]\n", "an inhibit rule needs source_matchers and target_matchers"),
        ("alerting:\n  routes: []\n", "a.yml:2:3: unknown key \"routes\" in alerting"),
        ("alerting:\n  alertmanagers: [{scheme: http}]\n", "a.yml:2:19: alertmanagers needs static_configs with targets"),
        ("alerting:\n  alertmanagers: [{static_configs: [{targets: [am]}]}]\n", "a.yml:2:48: alertmanagers.static_configs.targets: expected host:port"),
        ("alerting:\n  alertmanagers: [{static_configs: [{targets: ['a:1']}], api_version: v1}]\n", "only v2 is supported"),
    ])
    func refusesWithLocation(_ yaml: String, _ expected: String) {
        #expect {
            _ = try ConfigLoader.parse(yaml, file: "a.yml")
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func externalLabelsDefaultToTheHostName() throws {
        var config = AgentConfig()
        #expect(NotifierConfiguration(config, hostname: "web-1").externalLabels == Labels(["instance": "web-1"]))
        #expect(NotifierConfiguration(config, hostname: "web-1").externalURL == "http://web-1:9470")
        config.rules.externalLabels = ["instance": "db", "cluster": "eu"]
        #expect(NotifierConfiguration(config, hostname: "web-1").externalLabels == Labels(["cluster": "eu", "instance": "db"]))
    }
}
