import Testing
@testable import CostDefender

@Suite struct MoversTests {
    func contribution(_ team: String, _ service: String, _ account: String, prior: Int, current: Int, _ drivers: [DriverKind: Int]) -> BridgeContribution {
        BridgeContribution(team: team, product: "p", service: service, account: account, prior: Amount(whole: prior), current: Amount(whole: current),
                           drivers: drivers.mapValues { Amount(whole: $0) })
    }

    func note(_ scope: String, _ text: String, day: Day = Day(year: 2025, month: 5, day: 1)) -> Note {
        guard case .success(let s) = ScopeParser.parse(scope) else { fatalError() }
        return Note(days: day...day, conditions: s.conditions, teams: s.teams, scopeText: scope, text: text)
    }

    @Test func moversAddUpAndCarryTheirNotes() {
        let c = [contribution("pay", "EC2", "1", prior: 100, current: 150, [.volume: 40, .rate: 10]),
                 contribution("pay", "S3", "2", prior: 50, current: 40, [.retired: -10]),
                 contribution("web", "EC2", "1", prior: 10, current: 5, [.rate: -5])]
        let window = Day(year: 2025, month: 4, day: 1)...Day(year: 2025, month: 6, day: 30)
        let notes = [note("team=pay", "Graviton migration"), note("service=ec2", "EC2 price change"), note("*", "Reorg"),
                     note("team=pay", "Too old", day: Day(year: 2024, month: 1, day: 1)), note("account=2", "Account 2 closed")]
        let m = Movers(c, notes: notes, windows: [window])
        let teams = m.groups[.team]!
        #expect(teams.map(\.name) == ["pay", "web"])
        #expect(teams[0].change == Amount(whole: 40))
        #expect(teams[0].drivers == [.volume: Amount(whole: 40), .rate: Amount(whole: 10), .retired: Amount(whole: -10)])
        #expect(teams[0].notes.map(\.text) == ["Graviton migration"])
        let services = m.groups[.service]!
        #expect(services.first { $0.service == "EC2" }?.notes.map(\.text) == ["EC2 price change"])
        let pairs = m.groups[.teamService]!
        #expect(pairs.first { $0.team == "pay" && $0.service == "EC2" }?.notes.map(\.text) == ["Graviton migration", "EC2 price change"])
        #expect(m.groups[.account]!.first { $0.account == "2" }?.notes.map(\.text) == ["Account 2 closed"])
        for g in Movers.Grouping.allCases {
            #expect(m.groups[g]!.reduce(Amount.zero) { $0 + $1.change } == m.totalChange)
        }
    }

    @Test func teamSlugsAreSafeAndUnique() {
        let slugs = TeamSlugs.assign(["Payments", "payments", "<script>alert(1)</script>", "../../etc", "", "Data Platform"]).map(\.slug)
        #expect(slugs == ["payments", "payments-2", "script-alert-1-script", "etc", "team", "data-platform"])
    }
}
