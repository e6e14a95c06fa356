/// Quarter-over-quarter movers by team and by service, ranked by |Δ|, each with its share of the
/// total change. Both roll up the same finest-grain changes, so each table sums to the change.
public struct MoversSection: ReportSection {
    public let figures: PeriodFigures
    public var limit = 15
    public var template: String { "section-movers" }

    public var tables: [DataTable] {
        let c = figures.change
        func table(_ name: String, _ title: String, _ lines: [QuarterChange.Line]) -> DataTable {
            let shown = lines.prefix(limit)
            var rows: [[DataTable.Cell]] = shown.map { line in
                [.text(line.name.isEmpty ? "(none)" : line.name), .money(line.prior), .money(line.current), .money(line.delta),
                 .share(Formatter.change(from: line.prior, to: line.current)), .share(Formatter.share(line.delta, of: c.delta))]
            }
            let rest = lines.dropFirst(limit)
            if !rest.isEmpty {
                let prior = rest.reduce(Amount.zero) { $0 + $1.prior }, current = rest.reduce(Amount.zero) { $0 + $1.current }
                rows.append([.text("\(rest.count) others"), .money(prior), .money(current), .money(current - prior),
                             .share(Formatter.change(from: prior, to: current)), .share(Formatter.share(current - prior, of: c.delta))])
            }
            return DataTable(name: name, columns: [.init(title, key: title.lowercased()), .init("Prior", key: "prior", .money), .init("Current", key: "current", .money),
                                                   .init("Change", key: "change", .signedMoney), .init("Change %", key: "change_pct", .signedPercent),
                                                   .init("Share of change", key: "share_of_change", .percent)],
                             rows: rows, footer: [[.text("Total"), .money(c.prior), .money(c.current), .money(c.delta),
                                                   .share(Formatter.change(from: c.prior, to: c.current)), .share(c.delta.isZero ? nil : 1)]])
        }
        return [table("movers-by-team", "Team", c.byTeam), table("movers-by-service", "Service", c.byService)]
    }

    public func context(_ f: Formatter) -> [String: Any] {
        let t = tables
        let p = figures.period
        return ["byTeam": TableView.context(t[0], f), "byService": TableView.context(t[1], f),
                "previous": p.quarter.previous.description, "complete": p.isComplete,
                "comparisonFrom": p.comparison.lowerBound.description, "comparisonTo": p.comparison.upperBound.description]
    }
}
