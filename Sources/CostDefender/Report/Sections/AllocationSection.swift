/// Allocation coverage before and after shared costs, the untagged cost drivers to fix first, and
/// mandatory-tag compliance.
public struct AllocationSection: ReportSection {
    public let figures: PeriodFigures
    public var template: String { "section-allocation" }

    /// The seed's bands: below 70 % Crawl, 70–90 % Walk, above 90 % with shared costs allocated Run.
    static func stage(_ share: Double?, sharedAllocated: Bool) -> String {
        guard let share else { return "—" }
        if share < 0.7 { return "Crawl" }
        if share <= 0.9 || !sharedAllocated { return "Walk" }
        return "Run"
    }

    public var tables: [DataTable] {
        let c = figures.coverage
        let sources: [(AllocationSource, String)] = [(.tag, "Team tag"), (.account, "Account mapping"), (.rule, "Allocation rule"),
                                                     (.shared, "Shared-cost pools"), (.unallocated, "Unallocated")]
        let bySource = DataTable(name: "allocation-by-source",
                                 columns: [.init("How cost reached a team", key: "source"), .init("Cost", key: "cost", .money),
                                           .init("Gross cost", key: "gross_cost", .money), .init("Share of gross", key: "share_of_gross", .percent)],
                                 rows: sources.map { s, title in
                                     [.text(title), .money(c.bySource[s] ?? .zero), .money(c.grossBySource[s] ?? .zero),
                                      .share(Formatter.share(c.grossBySource[s] ?? .zero, of: c.grossTotal))]
                                 },
                                 footer: [[.text("Total"), .money(c.total), .money(c.grossTotal), .share(c.grossTotal.isZero ? nil : 1)]])
        let drivers = DataTable(name: "unallocated-top-20",
                                columns: [.init("#", key: "rank", .count), .init("Resource", key: "resource"), .init("Service", key: "service"),
                                          .init("Account", key: "account"), .init("Cost", key: "cost", .money), .init("Share of total", key: "share", .percent)],
                                rows: c.unallocatedDrivers.enumerated().map { i, d in
                                    [.count(i + 1), .text(d.resource), .text(d.service), .text(d.account), .money(d.cost), .share(Formatter.share(d.cost, of: c.total))]
                                })
        let compliance = DataTable(name: "tag-compliance",
                                   columns: [.init("Mandatory tag", key: "tag"), .init("Share of spend tagged", key: "share", .percent),
                                             .init("Least compliant team", key: "worst_team"), .init("Least compliant account", key: "worst_account")],
                                   rows: c.compliance.map { t in
                                       let worstTeam = t.byTeam.filter { $0.key != AllocatedCosts.unallocatedTeam }.min { ($0.value, $0.key) < ($1.value, $1.key) }
                                       let worstAccount = t.byAccount.min { ($0.value, $0.key) < ($1.value, $1.key) }
                                       let f = Formatter(currency: figures.currency)
                                       return [.text(t.key), .share(t.share),
                                               .text(worstTeam.map { "\($0.key) (\(f.percent($0.value)))" } ?? "—"),
                                               .text(worstAccount.map { "\($0.key.isEmpty ? "(none)" : $0.key) (\(f.percent($0.value)))" } ?? "—")]
                                   })
        // Compliance by team: one column per mandatory tag.
        let teams = Set(c.compliance.flatMap { $0.byTeam.keys }).sorted()
        let byTeam = DataTable(name: "tag-compliance-by-team",
                               columns: [.init("Team", key: "team")] + c.compliance.map { .init($0.key, key: $0.key, .percent) },
                               rows: teams.map { team in [.text(team)] + c.compliance.map { .share($0.byTeam[team]) } })
        let accounts = Set(c.compliance.flatMap { $0.byAccount.keys }).sorted()
        let byAccount = DataTable(name: "tag-compliance-by-account",
                                  columns: [.init("Account", key: "account")] + c.compliance.map { .init($0.key, key: $0.key, .percent) },
                                  rows: accounts.map { a in [.text(a.isEmpty ? "(none)" : a)] + c.compliance.map { .share($0.byAccount[a]) } })
        return [bySource, drivers, compliance, byTeam, byAccount]
    }

    public func context(_ f: Formatter, tables t: [DataTable]) -> [String: Any] {
        let c = figures.coverage
        let sharedAllocated = (c.bySource[.shared] ?? .zero) != .zero
        return [
            "before": f.percent(c.before), "after": f.percent(c.after),
            "stage": Self.stage(c.after, sharedAllocated: sharedAllocated),
            "unallocated": f.money(c.bySource[.unallocated] ?? .zero),
            "bySource": TableView.context(t[0], f), "drivers": TableView.context(t[1], f),
            "compliance": TableView.context(t[2], f), "complianceByTeam": TableView.context(t[3], f),
            "complianceByAccount": TableView.context(t[4], f),
            "mandatoryTags": c.compliance.map(\.key).joined(separator: ", "),
        ]
    }
}
