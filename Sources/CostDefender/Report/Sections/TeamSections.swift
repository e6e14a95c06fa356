/// A budget owner's part of the report: their quarter-over-quarter bridge and their movers by
/// service, from the same contributions as the organisation's bridge (so the team pages add up
/// to the main report).
public struct TeamBridgeSection: ReportSection {
    public let figures: PeriodFigures
    public let team: String
    public let slug: String
    public var template: String { "section-team-bridge" }
    /// The team's part of the period's quarter bridge, and the bridge and tables made from it:
    /// worked out once here, since a page asks for the tables, the charts and the context.
    let contributions: [BridgeContribution]
    public let bridge: Bridge
    public let tables: [DataTable]

    public init(figures: PeriodFigures, team: String, slug: String) {
        self.figures = figures; self.team = team; self.slug = slug
        let c = figures.variance.quarter.contributions.filter { $0.team == team }
        let b = figures.bridge
        contributions = c
        bridge = Bridge.from(c, kind: .quarterOverQuarter, start: c.reduce(.zero) { $0 + $1.prior }, end: c.reduce(.zero) { $0 + $1.current },
                             startLabel: b.startLabel, endLabel: b.endLabel, kinds: QuarterBridge.kinds)
        let f = Formatter(currency: figures.currency)
        var t = BridgeTables.table(bridge, f)
        t.name = "team-\(slug)-bridge-qoq"
        tables = [t, Self.moversTable(c, slug: slug, f)]
    }

    static func moversTable(_ contributions: [BridgeContribution], slug: String, _ f: Formatter) -> DataTable {
        let movers = Movers(contributions, notes: [], windows: []).groups[.service] ?? []
        let total = movers.reduce(Amount.zero) { $0 + $1.change }
        return DataTable(name: "team-\(slug)-movers-by-service",
                         columns: [.init("Service", key: "service"), .init("Prior", key: "prior", .money), .init("Current", key: "current", .money),
                                   .init("Change", key: "change", .signedMoney), .init("Share of change", key: "share_of_change", .signedPercent),
                                   .init("Main drivers", key: "drivers")],
                         rows: movers.map { m in [.text(m.name), .money(m.prior), .money(m.current), .money(m.change),
                                                  .share(Formatter.share(m.change, of: total)), .text(MoversSection.driverText(m.drivers, f))] })
    }

    public func charts(_ f: Formatter) -> [Chart] {
        let b = bridge
        return [BridgeTables.chart(b, path: "charts/bridge-qoq-\(slug).svg", title: "\(team): \(b.startLabel) to \(b.endLabel)", f)]
    }

    public func context(_ f: Formatter, tables t: [DataTable]) -> [String: Any] {
        let b = bridge
        let notes = figures.variance.movers.groups[.team]?.first { $0.team == team }?.notes ?? []
        return [
            "team": team,
            "contact": figures.teamContacts[team].map { [$0.owner, $0.contact].compactMap { $0 }.joined(separator: ", ") } ?? "",
            "sentence": "\(team): \(f.money(b.end)) in \(b.endLabel), \(f.signedMoney(b.change)) (\(f.signedPercent(Formatter.change(from: b.start, to: b.end)))) against \(b.startLabel).",
            "chart": "charts/bridge-qoq-\(slug).svg",
            "alt": "Waterfall: \(team), \(b.startLabel) \(f.money(b.start)) to \(b.endLabel) \(f.money(b.end))",
            "bridge": TableView.context(t[0], f), "movers": TableView.context(t[1], f),
            "notes": notes.map { ["date": $0.days.lowerBound.description, "text": $0.text] },
        ]
    }
}

/// A budget owner's status: budget vs actual for the quarter and the fiscal year to date, and
/// the cost per unit of the metrics measured against the team, from the same analyses as the
/// organisation's report.
public struct TeamStatusSection: ReportSection {
    public let figures: PeriodFigures
    public let team: String
    public let slug: String
    public var template: String { "section-team-status" }

    public var tables: [DataTable] {
        let windows = [figures.budget.quarter, figures.budget.yearToDate]
        let budget = DataTable(name: "team-\(slug)-budget",
                               columns: [.init("Window", key: "window"), .init("Budget", key: "budget", .money), .init("Actual", key: "actual", .money),
                                         .init("Variance", key: "variance", .signedMoney), .init("Variance %", key: "variance_pct", .signedPercent),
                                         .init("Status", key: "status")],
                               rows: windows.compactMap { w in
                                   guard let line = w.line(team) else { return nil }
                                   return [.text(w.name), line.budget.map { .money($0) } ?? .text("—"), .money(line.actual),
                                           .delta(line.variance), .share(line.variancePercent), .text(line.status.rawValue)]
                               })
        let f = Formatter(currency: figures.currency)
        let series = figures.unitEconomics.series.filter { $0.scope.team == team }
        let units = DataTable(name: "team-\(slug)-unit-cost",
                              columns: [.init("Metric", key: "metric"), .init("Scope", key: "scope"), .init("Quarter", key: "quarter"),
                                        .init("Cost per unit", key: "cost_per_unit"), .init("Change %", key: "change_pct", .signedPercent)],
                              rows: series.flatMap { s in
                                  s.quarters.map { q in
                                      [.text(s.metric), .text(s.scope.description), .text(q.quarter.description),
                                       .text(q.figures.costPerUnit.map { f.unitCost($0) } ?? "—"), .share(q.unitCostChange)]
                                  }
                              })
        return [budget, units]
    }

    public func context(_ f: Formatter, tables t: [DataTable]) -> [String: Any] {
        return ["budget": TableView.context(t[0], f), "units": TableView.context(t[1], f),
                "tolerance": f.percent(figures.budget.tolerance)]
    }
}
