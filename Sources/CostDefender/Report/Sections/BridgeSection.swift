/// The three bridges of the period — quarter over quarter, against budget, against finance's
/// forecast — each a waterfall chart and a table whose steps add up exactly.
public struct BridgeSection: ReportSection {
    public let figures: PeriodFigures
    public var template: String { "section-bridges" }

    var bridges: [Bridge] { figures.variance.bridges }

    public var tables: [DataTable] {
        let f = Formatter(currency: figures.currency)
        return bridges.map { BridgeTables.table($0, f) }
    }

    public func charts(_ f: Formatter) -> [Chart] {
        bridges.map { BridgeTables.chart($0, path: "charts/bridge-\(BridgeTables.slug($0.kind)).svg", title: "\($0.title): \($0.startLabel) to \($0.endLabel)", f) }
    }

    public func context(_ f: Formatter, tables _: [DataTable]) -> [String: Any] {
        let v = figures.variance
        return [
            "bridges": bridges.map { b -> [String: Any] in
                ["title": b.title, "chart": "charts/bridge-\(BridgeTables.slug(b.kind)).svg",
                 "alt": "Waterfall: \(b.title.lowercased()), \(b.startLabel) \(f.money(b.start)) to \(b.endLabel) \(f.money(b.end))",
                 "unexplained": f.money(b.residual), "unexplainedShare": f.percent(b.unexplainedShare),
                 "isQoQ": b.kind == .quarterOverQuarter,
                 "table": TableView.context(BridgeTables.table(b, f), f)]
            },
            "missing": v.missing.sorted { $0.key.rawValue < $1.key.rawValue }.map { ["kind": $0.key.title, "why": $0.value] },
        ]
    }
}
