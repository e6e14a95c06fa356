/// Unit economics: cost per unit of each business metric by month and quarter, and the period's
/// cost change split into volume and unit-cost (efficiency) effects that sum to the change.
///
/// Exports keep raw values: units and cost per unit as exact decimals, null for a gap (units)
/// or an undefined cost per unit. The page shows "no data" / "gap" and "no units" instead, and
/// cost per unit with enough decimals (`Formatter.unitCost`).
public struct UnitEconomicsSection: ReportSection {
    public let unitEconomics: UnitEconomics
    public var template: String { "section-unit-economics" }

    public init(unitEconomics: UnitEconomics) { self.unitEconomics = unitEconomics }

    /// `unit-cost-by-month`, `unit-cost-by-quarter`, `unit-cost-change`.
    public var tables: [DataTable] { [byMonth(nil), byQuarter(nil), change(nil)] }

    // With a formatter, cells are the page's text; without, the raw values for the exports.

    private func units(_ fig: UnitEconomics.Figures, _ f: Formatter?, gap: String) -> DataTable.Cell {
        guard let u = fig.units else { return f == nil ? .share(nil) : .text(gap) }
        return f.map { .text($0.units(u)) } ?? .money(u)
    }

    private func costPerUnit(_ fig: UnitEconomics.Figures, _ f: Formatter?) -> DataTable.Cell {
        if let u = fig.costPerUnit { return f.map { .text($0.unitCost(u)) } ?? .money(u) }
        return f == nil ? .share(nil) : .text(fig.hasGap ? "gap" : "no units")
    }

    private static let costColumns: [DataTable.Column] = [
        .init("Cost", key: "cost", .money), .init("Units", key: "units", .count), .init("Cost per unit", key: "cost_per_unit", .money),
    ]

    func byMonth(_ f: Formatter?) -> DataTable {
        var rows: [[DataTable.Cell]] = []
        for s in unitEconomics.series {
            for m in s.months {
                let label = m.month.description + (f != nil && m.isToDate ? " (to date)" : "")
                rows.append([.text(s.metric), .text(s.scope.description), .text(label), .money(m.figures.cost),
                             units(m.figures, f, gap: "no data"), costPerUnit(m.figures, f)])
            }
        }
        return DataTable(name: "unit-cost-by-month",
                         columns: [.init("Metric", key: "metric"), .init("Scope", key: "scope"), .init("Month", key: "month")] + Self.costColumns,
                         rows: rows)
    }

    func byQuarter(_ f: Formatter?) -> DataTable {
        var rows: [[DataTable.Cell]] = []
        for s in unitEconomics.series {
            for q in s.quarters {
                let label = q.quarter.description + (f != nil && q.isToDate ? " (to date)" : "")
                let gap = "no data for " + q.figures.missingMonths.map(\.description).joined(separator: ", ")
                rows.append([.text(s.metric), .text(s.scope.description), .text(label), .money(q.figures.cost),
                             units(q.figures, f, gap: gap), costPerUnit(q.figures, f), .share(q.unitCostChange)])
            }
        }
        return DataTable(name: "unit-cost-by-quarter",
                         columns: [.init("Metric", key: "metric"), .init("Scope", key: "scope"), .init("Quarter", key: "quarter")] + Self.costColumns
                             + [.init("Change %", key: "change_pct", .signedPercent)],
                         rows: rows)
    }

    func change(_ f: Formatter?) -> DataTable {
        let rows: [[DataTable.Cell]] = unitEconomics.series.map { s in
            let c = s.change
            let effects: [DataTable.Cell]
            switch c.split {
            case .split(let volume, let efficiency): effects = [.money(volume), .money(efficiency)]
            case .notSplit(let reason): effects = [.text("not split (\(reason))"), .share(nil)]
            }
            return [.text(s.metric), .text(s.scope.description), .money(c.prior.cost), .money(c.current.cost)] + effects + [.money(c.delta)]
        }
        return DataTable(name: "unit-cost-change",
                         columns: [.init("Metric", key: "metric"), .init("Scope", key: "scope"), .init("Prior cost", key: "prior_cost", .money),
                                   .init("Current cost", key: "current_cost", .money), .init("Volume effect", key: "volume_effect", .signedMoney),
                                   .init("Efficiency effect", key: "efficiency_effect", .signedMoney), .init("Total change", key: "total_change", .signedMoney)],
                         rows: rows)
    }

    /// One line per series, e.g. "$0.0123 per unit in FY2026-Q3; against FY2026-Q2 units +12.0%
    /// (+$110.4k), cost per unit -3.4% (-$38.1k), cost +$72.3k; FY2025-Q4 to FY2026-Q3: cost per unit -8.0%."
    func summary(_ s: UnitEconomics.Series, _ f: Formatter) -> String {
        let p = unitEconomics.period
        let name = p.name + (p.isComplete ? "" : " to date")
        let now = s.quarters.last!.figures
        var parts: [String] = []
        if let u = now.costPerUnit { parts.append("\(f.unitCost(u)) per unit in \(name)") }
        else if now.hasGap { parts.append("no cost per unit in \(name): no data for \(now.missingMonths.map(\.description).joined(separator: ", "))") }
        else { parts.append("no units in \(name) (cost \(f.money(now.cost)))") }
        let c = s.change
        let against = "against \(p.quarter.previous)\(p.isComplete ? "" : " to the same day")"
        switch c.split {
        case .split(let volume, let efficiency):
            parts.append("\(against) units \(f.signedPercent(c.unitsChange)) (\(signedCompact(volume, f))), cost per unit \(f.signedPercent(c.unitCostChange)) (\(signedCompact(efficiency, f))), cost \(signedCompact(c.delta, f))")
        case .notSplit(let reason):
            parts.append("\(against) cost \(signedCompact(c.delta, f)), not split (\(reason))")
        }
        if let t = s.trend, let from = s.trendFrom, let to = s.trendTo {
            parts.append("cost per unit \(f.signedPercent(t)) from \(from) to \(to)")
        }
        return parts.joined(separator: "; ") + "."
    }

    private func signedCompact(_ a: Amount, _ f: Formatter) -> String {
        (a.cents > 0 ? "+" : "") + f.compactMoney(a)
    }

    /// Template values; `toDate` is absent for a complete quarter.
    public func context(_ f: Formatter, tables _: [DataTable]) -> [String: Any] {
        let u = unitEconomics
        let p = u.period
        var context: [String: Any] = [
            "hasSeries": !u.series.isEmpty,
            "basis": u.basis.rawValue,
            "period": p.name,
            "previous": p.quarter.previous.description,
            "comparisonFrom": p.comparison.lowerBound.description,
            "comparisonTo": p.comparison.upperBound.description,
            "quarters": u.quarters.map(\.description).joined(separator: ", "),
            "series": u.series.map { s in ["metric": s.metric, "scope": s.scope.description, "summary": summary(s, f)] },
            "byMonth": TableView.context(byMonth(f), f),
            "byQuarter": TableView.context(byQuarter(f), f),
            "change": TableView.context(change(f), f),
            "hasWarnings": !u.warnings.isEmpty,
            "warnings": u.warnings.map { ["text": $0] },
        ]
        if !p.isComplete { context["toDate"] = ["asOf": p.days.upperBound.description] }
        return context
    }
}
