/// Data quality and reconciliation: rows read and rejected per file, the exact input sums against
/// the cube and the allocation, and every warning the build collected.
public struct DataQualitySection: ReportSection {
    public let figures: PeriodFigures
    public var template: String { "section-quality" }

    public var tables: [DataTable] {
        let r = figures.reconciliation
        let files = DataTable(name: "input-files",
                              columns: [.init("File", key: "file"), .init("FOCUS", key: "focus_version"), .init("Rows read", key: "rows_read", .count),
                                        .init("Rows rejected", key: "rows_rejected", .count), .init("Billed cost (exact)", key: "billed_cost", .money),
                                        .init("Effective cost (exact)", key: "effective_cost", .money)],
                              rows: r.files.map { [.text($0.path), .text($0.focusVersionHint), .count($0.rowsRead), .count($0.rowsRejected), .money($0.billedCost), .money($0.effectiveCost)] },
                              footer: [[.text("Total"), .text(""), .count(r.rowsRead), .count(r.rowsRejected), .money(r.inputBilled), .money(r.inputEffective)]])
        let checks = DataTable(name: "reconciliation",
                               columns: [.init("Check", key: "check"), .init("Billed cost", key: "billed_cost", .money), .init("Effective cost", key: "effective_cost", .money)],
                               rows: [
                                   [.text("Sum of accepted input rows"), .money(r.inputBilled), .money(r.inputEffective)],
                                   [.text("Cost cube"), .money(r.cubeBilled), .money(r.cubeEffective)],
                                   [.text("Allocated to teams, pools and unallocated"), .money(r.allocatedBilled), .money(r.allocatedEffective)],
                                   [.text("Difference (allocated − input)"), .money(r.allocatedBilled - (r.converted ? r.cubeBilled : r.inputBilled)),
                                    .money(r.allocatedEffective - (r.converted ? r.cubeEffective : r.inputEffective))],
                                   [.text("Billed cost on rejected rows (not in the pack)"), .money(r.rejectedBilled), .text("")],
                               ])
        let d = figures.diagnostics
        var problems: [[DataTable.Cell]] = d.items.map { [.text($0.severity.rawValue), .text($0.location.description), .text($0.message + ($0.hint.map { ". " + $0 } ?? ""))] }
        for (message, n) in d.suppressed.sorted(by: { $0.key < $1.key }) {
            problems.append([.text("warning"), .text("(\(n) more)"), .text(message)])
        }
        let issues = DataTable(name: "data-quality-issues", columns: [.init("Severity", key: "severity"), .init("Where", key: "location"), .init("Problem", key: "problem")], rows: problems)
        return [files, checks, issues]
    }

    public func context(_ f: Formatter, tables t: [DataTable]) -> [String: Any] {
        let r = figures.reconciliation
        return [
            "balances": r.balances,
            "inputBilledExact": r.inputBilled.exactDescription,
            "inputEffectiveExact": r.inputEffective.exactDescription,
            "rowsRead": f.count(r.rowsRead), "rowsRejected": f.count(r.rowsRejected), "anyRejected": r.rowsRejected > 0,
            "converted": r.converted,
            "files": TableView.context(t[0], f), "checks": TableView.context(t[1], f), "issues": TableView.context(t[2], f),
            "hasIssues": !t[2].rows.isEmpty,
        ]
    }
}
