import Foundation
import Testing

@testable import ScaleAgent

@Suite struct CheckInSettingsTests {
    @Test func readsTheJobs() throws {
        let config = try ConfigLoader.parse(
            """
            checkins:
              jobs:
                - name: backup
                  schedule: "30 2 * * *"
                  grace: 15m
                  timezone: UTC
                - name: sync.hourly-2
                  period: 1h
            """, file: "a.yml")
        let expression = try CronExpression.parse("30 2 * * *")
        #expect(
            config.checkins.jobs == [
                CheckInJob(name: "backup", schedule: .cron(expression, TimeZone(identifier: "UTC")!), grace: 900),
                CheckInJob(name: "sync.hourly-2", schedule: .period(3600), grace: CheckInJob.defaultGrace),
            ])
        #expect(AgentConfig().checkins.jobs.isEmpty)
    }

    @Test(arguments: [
        ("checkins:\n  jobs:\n    - name: a b\n      period: 1h\n",
         "a.yml:3:13: checkins.jobs[0].name must be 1-128 of the characters a-z A-Z 0-9 _ . -, got 'a b'"),
        ("checkins:\n  jobs:\n    - period: 1h\n", "a.yml:3:7: checkins.jobs[0] needs a name"),
        ("checkins:\n  jobs:\n    - name: a\n", "a.yml:3:7: checkins.jobs[0] (a) needs a schedule (a cron expression) or a period"),
        ("checkins:\n  jobs:\n    - name: a\n      schedule: '@daily'\n      period: 1h\n",
         "a.yml:5:15: checkins.jobs[0] (a) has both a schedule and a period; expected exactly one"),
        ("checkins:\n  jobs:\n    - name: a\n      period: 1h\n    - name: a\n      period: 2h\n",
         "a.yml:5:7: checkins.jobs[1]: a job named 'a' is listed twice"),
        ("checkins:\n  jobs:\n    - name: a\n      schedule: \"30 25 * * *\"\n",
         "a.yml:4:21: checkins.jobs[0].schedule is not a cron expression: hour field, column 4: expected a number 0-23, got 25 in '30 25 * * *'"),
        ("checkins:\n  jobs:\n    - name: a\n      schedule: 30 2 * * MON-XYZ\n",
         "a.yml:4:30: checkins.jobs[0].schedule is not a cron expression: day-of-week field, column 14: expected a number 0-7 or a name SUN-SAT, got 'XYZ' in '30 2 * * MON-XYZ'"),
        ("checkins:\n  jobs:\n    - name: a\n      period: 1s\n", "a.yml:4:15: checkins.jobs[0].period must be at least 10s, got '1s'"),
        ("checkins:\n  jobs:\n    - name: a\n      period: 1h\n      grace: soon\n",
         "a.yml:5:14: checkins.jobs[0].grace must be a duration such as 5m, 1h30m or 500ms, got 'soon'"),
        ("checkins:\n  jobs:\n    - name: a\n      schedule: '@daily'\n      timezone: Mars/Olympus\n",
         "a.yml:5:17: checkins.jobs[0].timezone must be a time zone name such as UTC or Europe/Berlin, got 'Mars/Olympus'"),
        ("checkins:\n  jobs:\n    - name: a\n      period: 1h\n      timezone: UTC\n",
         "a.yml:5:17: checkins.jobs[0].timezone applies to a schedule, not to a period"),
        ("checkins:\n  jobs:\n    - name: a\n      period: 1h\n      every: 1h\n",
         "a.yml:5:7: unknown key \"every\" in checkins.jobs[0]; expected one of: name, schedule, period, grace, timezone"),
        ("checkins:\n  job: []\n", "a.yml:2:3: unknown key \"job\" in checkins; expected one of: jobs"),
        ("checkins:\n  jobs: backup\n", "a.yml:2:9: checkins.jobs must be a list of jobs, got 'backup'"),
    ])
    func refusesMistakesWithTheirPosition(yaml: String, expected: String) {
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(yaml, file: "a.yml") }
        #expect(error?.description == expected)
    }
}
