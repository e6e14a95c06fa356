/// Budget against actual per team, for the period and for the fiscal year to date.
///
/// In each table the rows (teams, plus a "not assigned to a team" line when the `*` budget
/// differs from the sum of team budgets) add up exactly to the Total: budget, actual and variance.
public struct BudgetSection: ReportSection {
    public let budget: BudgetVariance
    public var template: String { "section-budget" }

    public init(budget: BudgetVariance) { self.budget = budget }

    public static let unassignedLabel = "(not assigned to a team)"

    /// `budget-vs-actual-quarter`, `budget-vs-actual-fytd`.
    public var tables: [DataTable] {
        [table(budget.quarter, name: "budget-vs-actual-quarter"), table(budget.yearToDate, name: "budget-vs-actual-fytd")]
    }

    func table(_ w: BudgetVariance.Window, name: String) -> DataTable {
        // A missing budget is `.share(nil)`: "—" on the page, empty in CSV, null in JSON.
        func money(_ a: Amount?) -> DataTable.Cell { a.map { .money($0) } ?? .share(nil) }
        var rows: [[DataTable.Cell]] = w.lines.map { l in
            [.text(l.team), money(l.budget), .money(l.actual), .money(l.variance), .share(l.variancePercent), .text(l.status.rawValue)]
        }
        if let org = w.organisationBudget, !(org - w.teamBudgets).isZero {
            let unassigned = org - w.teamBudgets
            rows.append([.text(Self.unassignedLabel), .money(unassigned), .money(.zero), .money(-unassigned), .share(nil), .text("")])
        }
        return DataTable(name: name,
                         columns: [.init("Team", key: "team"), .init("Budget", key: "budget", .money), .init("Actual", key: "actual", .money),
                                   .init("Variance", key: "variance", .signedMoney), .init("Variance %", key: "variance_pct", .signedPercent),
                                   .init("Status", key: "status")],
                         rows: rows,
                         footer: [[.text("Total"), money(w.totalBudget), .money(w.actual), .money(w.variance), .share(w.variancePercent), .text(w.status.rawValue)]])
    }

    /// "Actual cost of FY2026-Q3 to date is $1,050.00 against a budget of $1,000.00: +$50.00 (+5.0%), on track."
    func sentence(_ w: BudgetVariance.Window, _ f: Formatter) -> String {
        guard let total = w.totalBudget else {
            return "Actual cost of \(w.name) is \(f.money(w.actual)); no budget covers it."
        }
        return "Actual cost of \(w.name) is \(f.money(w.actual)) against a budget of \(f.money(total)): \(f.signedMoney(w.variance))"
            + (w.variancePercent.map { " (\(f.signedPercent($0)))" } ?? "") + ", \(w.status.rawValue)."
    }

    /// "Teams: 2 over budget, 1 under, 3 on track, 1 without a budget."
    func counts(_ w: BudgetVariance.Window) -> String {
        let n = Dictionary(grouping: w.lines, by: \.status).mapValues(\.count)
        let parts = [(BudgetVariance.Status.over, "over budget"), (.under, "under"), (.onTrack, "on track"), (.noBudget, "without a budget")]
            .compactMap { s, label in n[s].map { "\($0) \(label)" } }
        return parts.isEmpty ? "" : "Teams: " + parts.joined(separator: ", ") + "."
    }

    func unassigned(_ w: BudgetVariance.Window, _ f: Formatter) -> String? {
        guard let u = w.unassignedBudget, let org = w.organisationBudget, !u.isZero else { return nil }
        return "The total budget (*) of \(w.name) is \(f.money(org)); team budgets add up to \(f.money(w.teamBudgets)), so "
            + (u > .zero ? "\(f.money(u)) is not assigned to a team." : "teams are assigned \(f.money(u.magnitude)) more than the total.")
    }

    /// Template values; optional lines (`quarterUnassigned`, `yearUnassigned`) are absent when empty.
    public func context(_ f: Formatter, tables t: [DataTable]) -> [String: Any] {
        let q = budget.quarter, y = budget.yearToDate
        var context: [String: Any] = [
            "hasBudgets": budget.hasBudgets,
            "basis": budget.basis.rawValue,
            "tolerance": f.percent(budget.tolerance),
            "quarterName": q.name, "quarterFrom": q.days.lowerBound.description, "quarterTo": q.days.upperBound.description,
            "yearName": y.name, "yearFrom": y.days.lowerBound.description, "yearTo": y.days.upperBound.description,
            "quarterSentence": sentence(q, f), "quarterCounts": counts(q),
            "yearSentence": sentence(y, f), "yearCounts": counts(y),
            "quarter": TableView.context(t[0], f),
            "fytd": TableView.context(t[1], f),
            "hasWarnings": !budget.warnings.isEmpty,
            "warnings": budget.warnings.map { ["text": $0] },
        ]
        context["quarterUnassigned"] = unassigned(q, f)
        context["yearUnassigned"] = unassigned(y, f)
        return context
    }
}
