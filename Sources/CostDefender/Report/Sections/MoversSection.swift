/// Quarter-over-quarter movers by team, service, account and team × service, ranked by |Δ|,
/// each with its share of the total change, its largest drivers and the notes that match it.
public struct MoversSection: ReportSection {
    public let figures: PeriodFigures
    public var limit = 15
    public var template: String { "section-movers" }

    static let titles: [Movers.Grouping: String] = [.team: "Team", .service: "Service", .account: "Account", .teamService: "Team · service"]

    static func driverText(_ drivers: [DriverKind: Amount], _ f: Formatter, limit: Int = 3) -> String {
        drivers.filter { $0.value.cents != 0 }
            .sorted { $0.value.magnitude != $1.value.magnitude ? $0.value.magnitude > $1.value.magnitude : $0.key < $1.key }
            .prefix(limit).map { "\($0.key.title.lowercased()) \(f.signedMoney($0.value))" }.joined(separator: "; ")
    }

    func table(_ g: Movers.Grouping, _ f: Formatter) -> DataTable {
        let movers = figures.variance.movers
        let total = movers.totalChange
        let lines = movers.groups[g] ?? []
        var rows: [[DataTable.Cell]] = lines.prefix(limit).map { m in
            [.text(m.name), .money(m.prior), .money(m.current), .money(m.change), .share(Formatter.change(from: m.prior, to: m.current)),
             .share(Formatter.share(m.change, of: total)), .text(Self.driverText(m.drivers, f)), .text(m.notes.map(\.text).joined(separator: "; "))]
        }
        let rest = lines.dropFirst(limit)
        if !rest.isEmpty {
            let prior = rest.reduce(Amount.zero) { $0 + $1.prior }, current = rest.reduce(Amount.zero) { $0 + $1.current }
            rows.append([.text("\(rest.count) others"), .money(prior), .money(current), .money(current - prior),
                         .share(Formatter.change(from: prior, to: current)), .share(Formatter.share(current - prior, of: total)), .text(""), .text("")])
        }
        let b = figures.bridge
        return DataTable(name: "movers-by-\(g.rawValue)",
                         columns: [.init(Self.titles[g]!, key: g.rawValue.replacingOccurrences(of: "-", with: "_")), .init("Prior", key: "prior", .money),
                                   .init("Current", key: "current", .money), .init("Change", key: "change", .signedMoney),
                                   .init("Change %", key: "change_pct", .signedPercent), .init("Share of change", key: "share_of_change", .signedPercent),
                                   .init("Main drivers", key: "drivers"), .init("Notes", key: "notes")],
                         rows: rows, footer: [[.text("Total"), .money(b.start), .money(b.end), .money(b.change),
                                               .share(Formatter.change(from: b.start, to: b.end)), .share(b.change.isZero ? nil : 1), .text(""), .text("")]])
    }

    public var tables: [DataTable] {
        let f = Formatter(currency: figures.currency)
        return Movers.Grouping.allCases.map { table($0, f) }
    }

    public func context(_ f: Formatter, tables _: [DataTable]) -> [String: Any] {
        let t = Movers.Grouping.allCases.map { table($0, f) }
        let p = figures.period
        return ["byTeam": TableView.context(t[0], f), "byService": TableView.context(t[1], f),
                "byAccount": TableView.context(t[2], f), "byTeamService": TableView.context(t[3], f),
                "previous": p.quarter.previous.description, "complete": p.isComplete,
                "comparisonFrom": p.comparison.lowerBound.description, "comparisonTo": p.comparison.upperBound.description]
    }
}
