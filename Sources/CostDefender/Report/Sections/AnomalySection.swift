/// Unusual daily cost of the period per team × service: when, how much against the baseline,
/// the root cause by account, region, charge category and resource, the owner and matching
/// notes, with the method and its thresholds. With `teamFilter`, only that team's (team pages).
public struct AnomalySection: ReportSection {
    public let anomalies: AnomalyDetector
    public let currency: String
    public let teamFilter: String?
    /// Export name of the table: `anomalies` for the report, `team-<slug>-anomalies` on a team page.
    public let tableName: String
    /// Anomalies listed; the rest are summed in one row (all are in the JSON of the detector).
    public var limit: Int
    public var template: String { "section-anomalies" }

    public init(anomalies: AnomalyDetector, currency: String, teamFilter: String? = nil, tableName: String = "anomalies", limit: Int = 25) {
        self.anomalies = anomalies
        self.currency = currency
        self.teamFilter = teamFilter
        self.tableName = tableName
        self.limit = limit
    }

    var shown: [AnomalyDetector.Anomaly] {
        teamFilter.map { anomalies.anomalies(team: $0) } ?? anomalies.anomalies
    }

    /// One line per dimension: its largest part, e.g. `account Prod (111) +$900.00 (90.0%)`.
    static func rootCauseText(_ a: AnomalyDetector.Anomaly, _ f: Formatter) -> String {
        AnomalyDetector.Breakdown.allCases.compactMap { d -> String? in
            if d == .resource && !a.resourcesAvailable { return "resource not available" }
            guard let top = a.rootCauses(d).first else { return nil }
            return "\(d.title) \(top.label) \(f.signedMoney(top.impact)) (\(f.percent(top.share)))"
        }.joined(separator: "; ")
    }

    static func ownerText(_ a: AnomalyDetector.Anomaly) -> String {
        [a.owner, a.contact].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
    }

    func table(_ f: Formatter) -> DataTable { table(f, list: shown) }

    func table(_ f: Formatter, list: [AnomalyDetector.Anomaly]) -> DataTable {
        var rows: [[DataTable.Cell]] = list.prefix(max(0, limit)).map { a in
            [.text(a.team), .text(a.service.isEmpty ? "(none)" : a.service), .day(a.firstDay), .day(a.lastDay),
             .money(a.expected), .money(a.actual), .delta(a.impact), .text(Self.rootCauseText(a, f)),
             .text(Self.ownerText(a)), .text(a.notes.map(\.text).joined(separator: "; "))]
        }
        let rest = list.dropFirst(max(0, limit))
        if !rest.isEmpty {
            let expected = rest.reduce(Amount.zero) { $0 + $1.expected }, actual = rest.reduce(Amount.zero) { $0 + $1.actual }
            rows.append([.text("\(rest.count) smaller anomalies"), .text(""), .text(""), .text(""),
                         .money(expected), .money(actual), .delta(actual - expected), .text(""), .text(""), .text("")])
        }
        let footer: [[DataTable.Cell]] = list.isEmpty ? [] : [[
            .text("Total"), .text(""), .text(""), .text(""),
            .money(list.reduce(.zero) { $0 + $1.expected }), .money(list.reduce(.zero) { $0 + $1.actual }),
            .delta(list.reduce(.zero) { $0 + $1.impact }), .text(""), .text(""), .text(""),
        ]]
        return DataTable(name: tableName,
                         columns: [.init("Team", key: "team"), .init("Service", key: "service"),
                                   .init("First day", key: "first_day", .day), .init("Last day", key: "last_day", .day),
                                   .init("Expected", key: "expected", .money), .init("Actual", key: "actual", .money),
                                   .init("Impact", key: "impact", .signedMoney), .init("Root cause", key: "root_cause"),
                                   .init("Owner", key: "owner"), .init("Notes", key: "notes")],
                         rows: rows, footer: footer)
    }

    public var tables: [DataTable] { [table(Formatter(currency: currency))] }

    func summary(_ f: Formatter, list: [AnomalyDetector.Anomaly]) -> String {
        let scope = teamFilter.map { "\($0)'s daily cost by service" } ?? "daily cost by team and service"
        guard let judged = anomalies.judged else { return "No days of this period have cost data to judge." }
        let days = "from \(judged.lowerBound) to \(judged.upperBound)"
        if list.isEmpty { return "No anomalies in \(scope) \(days)." }
        let up = list.filter(\.isIncrease), down = list.filter { !$0.isIncrease }
        var parts: [String] = []
        if !up.isEmpty { parts.append("\(up.count) above the baseline (\(f.signedMoney(up.reduce(.zero) { $0 + $1.impact })))") }
        if !down.isEmpty { parts.append("\(down.count) below it (\(f.signedMoney(down.reduce(.zero) { $0 + $1.impact })))") }
        let count = list.count == 1 ? "1 anomaly" : "\(list.count) anomalies"
        return "\(count) in \(scope) \(days): \(parts.joined(separator: ", "))."
    }

    func method(_ f: Formatter) -> String {
        let s = anomalies.settings
        let basis = anomalies.basis == .effective ? "effective (amortised)" : "billed"
        return "Each day's \(basis) cost per team and service is compared with the median of the same weekday over the previous \(s.weeks) weeks "
            + "(all of the previous \(s.fallbackDays) days when fewer than \(s.minimumWeekdayPoints) such weekdays have data; days with less than "
            + "\(s.minimumFallbackPoints) days of history are not judged). A day is unusual when its modified z-score, 0.6745 × (actual − median) ÷ MAD "
            + "(MAD: the median absolute deviation from the median), exceeds \(Formatter.fixed(s.threshold, 1)) in magnitude and it differs from the median by at least "
            + "\(f.money(s.floor)); when the history is flat (MAD = 0) the dollar floor alone decides. Consecutive unusual days of a series in the same "
            + "direction form one anomaly: expected is the sum of the medians, impact the sum of actual minus expected. Purchases, credits, refunds, "
            + "corrections and other one-time charges are left out\(s.excludeRecurring ? ", and so are recurring fees billed once for a whole month" : ""); "
            + "a day without any cost row is treated as missing data, not as zero. The root cause splits the change by account, region, charge category and resource "
            + "(resource ids are kept only for resources a savings scope names): each value's cost on those days against its own median on the same "
            + "reference days, so the parts need not add up to the impact exactly."
    }

    /// The page's exported table is the one shown when it was made in `f`'s currency (the
    /// page's formatter; always, in a build); the anomalies shown are filtered once.
    public func context(_ f: Formatter, tables given: [DataTable]) -> [String: Any] {
        let list = shown
        let t = f.currency == currency && given.count == 1 && given[0].name == tableName ? given[0] : table(f, list: list)
        return [
            "summary": summary(f, list: list),
            "method": method(f),
            "hasAnomalies": !list.isEmpty,
            "team": teamFilter ?? "",
            "anomalies": TableView.context(t, f),
        ]
    }
}
