/// The headline: the narrative, what the period cost, how it moved, how much is allocated,
/// and whether the pack reconciles. Every figure here also appears in a table of the report.
public struct SummarySection: ReportSection {
    public let figures: PeriodFigures
    public var template: String { "section-summary" }

    public var tables: [DataTable] {
        let s = figures.spend
        let b = figures.bridge
        let rows: [[DataTable.Cell]] = [
            [.text("Cost this period (\(figures.basis.rawValue))"), .money(b.end), .text("")],
            [.text("Cost in the comparison window"), .money(b.start), .text("")],
            [.text("Change"), .money(b.change), .share(Formatter.change(from: b.start, to: b.end))],
            [.text("Unexplained share of the change"), .money(b.residual), .share(b.unexplainedShare)],
            [.text("Billed cost"), .money(s.total.billed), .text("")],
            [.text("Effective cost (amortised)"), .money(s.total.effective), .text("")],
            [.text("List cost"), .money(s.total.list), .text("")],
            [.text("Contracted cost"), .money(s.total.contracted), .text("")],
        ]
        return [DataTable(name: "headline", columns: [.init("Figure", key: "figure"), .init("Amount", key: "amount", .money),
                                                      .init("%", key: "percent", .signedPercent)], rows: rows)]
    }

    public func context(_ f: Formatter, tables: [DataTable]) -> [String: Any] {
        let p = figures.period
        let teamLinks = figures.teamPages.map { ["name": $0.team, "href": "teams/\($0.slug).html", "md": "teams/\($0.slug).md"] }
        return [
            "period": p.name,
            "from": p.days.lowerBound.description,
            "to": p.days.upperBound.description,
            "complete": p.isComplete,
            "comparisonFrom": p.comparison.lowerBound.description,
            "comparisonTo": p.comparison.upperBound.description,
            "sentences": Narrative.sentences(figures, f),
            "notes": figures.variance.organisationNotes.map { ["date": $0.days.lowerBound.description, "text": $0.text] },
            "coverage": f.percent(figures.coverage.after),
            "coverageBefore": f.percent(figures.coverage.before),
            "rowsRead": f.count(figures.reconciliation.rowsRead),
            "rowsRejected": f.count(figures.reconciliation.rowsRejected),
            "reconciles": figures.reconciliation.balances,
            "daysWithData": figures.daysWithData,
            "daysInPeriod": p.days.count,
            "partialData": figures.daysWithData < p.days.count,
            "headline": TableView.context(tables[0], f),
            "teams": teamLinks,
            "hasTeams": !teamLinks.isEmpty,
        ]
    }
}
