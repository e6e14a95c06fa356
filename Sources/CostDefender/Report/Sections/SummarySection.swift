/// The headline: what the period cost, how it moved, how much is allocated, and whether the
/// pack reconciles. Every figure here also appears in a table below it.
public struct SummarySection: ReportSection {
    public let figures: PeriodFigures
    public var template: String { "section-summary" }

    public var tables: [DataTable] {
        let s = figures.spend
        let t = figures.change
        let rows: [[DataTable.Cell]] = [
            [.text("Cost this period (\(figures.basis.rawValue))"), .money(t.current)],
            [.text("Cost in the comparison window"), .money(t.prior)],
            [.text("Change"), .money(t.delta)],
            [.text("Billed cost"), .money(s.total.billed)],
            [.text("Effective cost (amortised)"), .money(s.total.effective)],
            [.text("List cost"), .money(s.total.list)],
            [.text("Contracted cost"), .money(s.total.contracted)],
        ]
        return [DataTable(name: "headline", columns: [.init("Figure", key: "figure"), .init("Amount", key: "amount", .money)], rows: rows)]
    }

    public func context(_ f: Formatter) -> [String: Any] {
        let t = figures.change
        let p = figures.period
        let changeShare = Formatter.change(from: t.prior, to: t.current)
        let direction = t.delta.cents > 0 ? "rose" : (t.delta.cents < 0 ? "fell" : "was unchanged")
        var sentence: String
        if figures.comparisonDaysWithData == 0 {
            sentence = "Cloud cost was \(f.money(t.current)) in \(p.name)\(p.isComplete ? "" : " to date"); there is no cost data for \(p.quarter.previous) to compare with."
        } else {
            sentence = "Cloud cost \(direction)"
            if t.delta.cents != 0 { sentence += " by \(f.money(t.delta.magnitude))" + (changeShare.map { " (\(f.percent(abs($0))))" } ?? "") }
            sentence += " against \(p.quarter.previous)\(p.isComplete ? "" : " to the same day"): \(f.money(t.current)) against \(f.money(t.prior))."
        }
        let topTeam = t.byTeam.first
        return [
            "period": p.name,
            "from": p.days.lowerBound.description,
            "to": p.days.upperBound.description,
            "complete": p.isComplete,
            "comparisonFrom": p.comparison.lowerBound.description,
            "comparisonTo": p.comparison.upperBound.description,
            "sentence": sentence,
            "topMover": topTeam.map { ["name": $0.name, "delta": f.signedMoney($0.delta)] } as Any,
            "total": f.money(t.current),
            "coverage": f.percent(figures.coverage.after),
            "coverageBefore": f.percent(figures.coverage.before),
            "rowsRead": f.count(figures.reconciliation.rowsRead),
            "rowsRejected": f.count(figures.reconciliation.rowsRejected),
            "reconciles": figures.reconciliation.balances,
            "daysWithData": figures.daysWithData,
            "daysInPeriod": p.days.count,
            "partialData": figures.daysWithData < p.days.count,
            "headline": TableView.context(tables[0], f),
        ]
    }
}
