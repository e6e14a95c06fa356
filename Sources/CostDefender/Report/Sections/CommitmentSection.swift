/// Commitment discounts: coverage, utilisation and the effective savings rate by month and
/// provider, and every commitment with its utilisation and the days it was seen, flagged when
/// under-used, when it stopped appearing (FOCUS 1.0 has no end date, so expiry is inferred) or
/// when it started in the window. Definitions: `CommitmentDiscounts`.
///
/// Tables: `commitments-by-month` (month × provider rows; per-provider and overall window totals
/// as footer rows) and `commitments` (the `limit` largest by unused then total cost, the rest in
/// one "others" row; the total in the footer). Both are exported whole as shown.
public struct CommitmentSection: ReportSection {
    public let commitments: CommitmentDiscounts
    public let currency: String
    /// Commitments listed one by one; the rest are summed in one row.
    public var limit = 25
    public var template: String { "section-commitments" }

    public init(commitments: CommitmentDiscounts, currency: String) {
        self.commitments = commitments
        self.currency = currency
    }

    public var tables: [DataTable] { [byMonth, byCommitment] }

    private static func figureCells(_ x: CommitmentDiscounts.Figures) -> [DataTable.Cell] {
        [.money(x.eligibleList), .money(x.committedList), .share(x.coverage),
         .money(x.used), .money(x.unused), .share(x.utilisation),
         .money(x.list), .money(x.effective), .money(x.savings), .share(x.effectiveSavingsRate)]
    }

    var byMonth: DataTable {
        let c = commitments
        let rows = c.months.map { [.text($0.month.description), .text($0.provider)] + Self.figureCells($0.figures) }
        var footer: [[DataTable.Cell]] = []
        if c.providers.count > 1 {
            footer += c.providers.map { [.text("All months"), .text($0.provider)] + Self.figureCells($0.figures) }
        }
        if !rows.isEmpty {
            footer.append([.text("Total"), .text(c.providers.count > 1 ? "All providers" : c.providers.first?.provider ?? "")] + Self.figureCells(c.total))
        }
        return DataTable(name: "commitments-by-month",
                         columns: [.init("Month", key: "month"), .init("Provider", key: "provider"),
                                   .init("Eligible at list", key: "eligible_list", .money), .init("Committed at list", key: "committed_list", .money),
                                   .init("Coverage", key: "coverage", .percent), .init("Used", key: "used", .money),
                                   .init("Unused", key: "unused", .money), .init("Utilisation", key: "utilisation", .percent),
                                   .init("List cost", key: "list_cost", .money), .init("Effective cost", key: "effective_cost", .money),
                                   .init("Savings", key: "savings", .money), .init("ESR", key: "effective_savings_rate", .percent)],
                         rows: rows, footer: footer)
    }

    static func flags(_ m: CommitmentDiscounts.Commitment) -> String {
        var out: [String] = []
        if m.underUsed { out.append("under-used") }
        if m.stopped { out.append("stopped appearing") }
        if m.started { out.append("started in the window") }
        return out.joined(separator: "; ")
    }

    var byCommitment: DataTable {
        let all = commitments.commitments
        var rows: [[DataTable.Cell]] = all.prefix(limit).map { m in
            [.text(m.id), .text(m.provider), .money(m.used), .money(m.unused), .share(m.utilisation),
             .day(m.firstSeen), .day(m.lastSeen), .text(Self.flags(m))]
        }
        let rest = all.dropFirst(limit)
        if !rest.isEmpty {
            let used = rest.reduce(Amount.zero) { $0 + $1.used }, unused = rest.reduce(Amount.zero) { $0 + $1.unused }
            var notes: [String] = []
            let u = rest.filter(\.underUsed).count, s = rest.filter(\.stopped).count, n = rest.filter(\.started).count
            if u > 0 { notes.append("\(u) under-used") }
            if s > 0 { notes.append("\(s) stopped appearing") }
            if n > 0 { notes.append("\(n) started in the window") }
            rows.append([.text("\(rest.count) others"), .text(""), .money(used), .money(unused), .share(Formatter.share(used, of: used + unused)),
                         .day(rest.map(\.firstSeen).min()!), .day(rest.map(\.lastSeen).max()!), .text(notes.joined(separator: "; "))])
        }
        var footer: [[DataTable.Cell]] = []
        if !all.isEmpty {
            let used = all.reduce(Amount.zero) { $0 + $1.used }, unused = all.reduce(Amount.zero) { $0 + $1.unused }
            footer.append([.text("Total (\(all.count) commitment\(all.count == 1 ? "" : "s"))"), .text(""), .money(used), .money(unused),
                           .share(Formatter.share(used, of: used + unused)), .day(all.map(\.firstSeen).min()!), .day(all.map(\.lastSeen).max()!),
                           .text("\(all.filter(\.underUsed).count) under-used, \(all.filter(\.stopped).count) stopped")])
        }
        return DataTable(name: "commitments",
                         columns: [.init("Commitment", key: "commitment_discount_id"), .init("Provider", key: "provider"),
                                   .init("Used", key: "used", .money), .init("Unused", key: "unused", .money),
                                   .init("Utilisation", key: "utilisation", .percent), .init("First seen", key: "first_seen", .day),
                                   .init("Last seen", key: "last_seen", .day), .init("Flag", key: "flag")],
                         rows: rows, footer: footer)
    }

    /// The opening sentences, every figure as in the tables.
    func summary(_ f: Formatter) -> [String] {
        let c = commitments, t = c.total
        var out: [String] = []
        let use = t.utilisation != nil
            ? "were \(f.percent(t.utilisation)) used (\(f.money(t.used)) used, \(f.money(t.unused)) unused)"
            : c.commitments.isEmpty
                ? "no usage row has a CommitmentDiscountStatus of Used or Unused, so their utilisation is unknown"
                : "their used and unused effective cost is zero, so their utilisation is undefined"
        out.append("Commitments covered \(f.percent(t.coverage)) of eligible usage at list cost (\(f.money(t.committedList)) of \(f.money(t.eligibleList))) and \(use).")
        out.append("The effective savings rate over all usage was \(f.percent(t.effectiveSavingsRate)): \(f.money(t.savings)) below list cost (\(f.money(t.list)) at list, \(f.money(t.effective)) effective); commitments alone saved \(f.money(t.commitmentSavings)) net of their unused part.")
        let under = c.underUsed
        if !under.isEmpty {
            let unused = under.reduce(Amount.zero) { $0 + $1.unused }
            out.append("\(under.count) commitment\(under.count == 1 ? " was" : "s were") under-used (below \(f.percent(c.underUsedBelow, decimals: 0)) utilisation), with \(f.money(unused)) unused.")
        }
        let stopped = c.stopped
        if !stopped.isEmpty, let end = c.usageDays?.upperBound {
            let names = stopped.prefix(5).map { "\($0.id) (last seen \($0.lastSeen))" }.joined(separator: ", ")
            out.append("\(stopped.count) commitment\(stopped.count == 1 ? "" : "s") stopped appearing before \(end): \(names)\(stopped.count > 5 ? " and \(stopped.count - 5) more" : "") — expired, sold or exchanged; check that the usage \(stopped.count == 1 ? "it" : "they") covered is covered again or meant to run on demand.")
        }
        let started = c.started
        if !started.isEmpty {
            out.append("\(started.count) commitment\(started.count == 1 ? "" : "s") started in the window.")
        }
        return out
    }

    public func context(_ f: Formatter, tables _: [DataTable]) -> [String: Any] {
        let c = commitments, t = c.total
        var context: [String: Any] = [
            "hasCommitments": c.hasCommitments,
            "dataHasCommitments": c.dataHasCommitments,
            "from": c.window.lowerBound.description,
            "to": c.window.upperBound.description,
            "summary": summary(f).map { ["text": $0] },
            "threshold": f.percent(c.underUsedBelow, decimals: 0),
            "graceDays": CommitmentDiscounts.graceDays,
            "hasEligibleServices": !c.eligibleServices.isEmpty,
            "eligibleServices": c.eligibleServices.joined(separator: "; "),
            "billedBasis": c.basis == .billed,
            "hasUsage": !t.list.isZero || !t.effective.isZero,
            "esr": f.percent(t.effectiveSavingsRate),
            "savings": f.money(t.savings),
            "byMonth": TableView.context(byMonth, f),
            "commitments": TableView.context(byCommitment, f),
        ]
        if let end = c.usageDays?.upperBound { context["usageTo"] = end.description }
        if c.window.upperBound != c.window.upperBound.month.lastDay {
            context["toDate"] = ["month": c.window.upperBound.month.description, "to": c.window.upperBound.description]
        }
        return context
    }
}
