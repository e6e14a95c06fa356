/// The verified savings ledger: the funnel from identified to verified, the implementation and
/// realisation rates, and one row per finding with its evidence (baseline, after, windows,
/// driver and a sparkline of the scope's daily cost around the implementation date).
public struct SavingsSection: ReportSection {
    public let savings: SavingsVerification
    public let period: ReportingPeriod
    public let calendar: FiscalCalendar
    public let currency: String
    /// Only this team's findings (team pages); nil for the whole organisation.
    public var team: String?
    /// Prefix of table and chart names (`team-<slug>-` on team pages).
    public var prefix = ""

    public init(savings: SavingsVerification, period: ReportingPeriod, calendar: FiscalCalendar, currency: String, team: String? = nil, prefix: String = "") {
        self.savings = savings; self.period = period; self.calendar = calendar; self.currency = currency; self.team = team; self.prefix = prefix
    }

    public var template: String { team == nil ? "section-savings" : "section-team-savings" }

    var results: [SavingsVerification.Result] { savings.results.filter { team == nil || $0.entry.team == team } }

    var funnels: [SavingsFunnel] {
        let fyStart = calendar.firstMonth(ofFiscalYear: period.quarter.fiscalYear).firstDay
        return [SavingsFunnel(results, window: period.quarter.description + (period.isComplete ? "" : " to date"), identifiedIn: period.days),
                SavingsFunnel(results, window: "FY\(period.quarter.fiscalYear) to date", identifiedIn: fyStart...period.days.upperBound),
                SavingsFunnel(results, window: "All findings", identifiedIn: nil)]
    }

    /// Safe, unique file names for each finding's sparkline.
    var sparklineNames: [String: String] {
        Dictionary(uniqueKeysWithValues: TeamSlugs.assign(results.map(\.entry.id)).map { ($0.team, $0.slug) })
    }

    public func charts(_ f: Formatter) -> [Chart] {
        var charts: [Chart] = []
        if team == nil, let all = funnels.last {
            let chart = FunnelChart(title: "Savings funnel, all findings (monthly dollars)",
                                    stages: all.stages.map { FunnelChart.Stage(label: $0.name, count: $0.count, amount: $0.amount) }, formatter: f)
            charts.append(Chart(path: "charts/\(prefix)savings-funnel.svg", svg: chart.svg()))
        }
        let names = sparklineNames
        for r in results where !r.series.isEmpty {
            guard let start = r.seriesStart, let on = r.entry.implementedOn else { continue }
            func range(_ w: ClosedRange<Day>?) -> Range<Int>? {
                guard let w else { return nil }
                let lo = max(0, start.distance(to: w.lowerBound)), hi = min(r.series.count, start.distance(to: w.upperBound) + 1)
                return lo < hi ? lo..<hi : nil
            }
            let line = Sparkline(values: r.series, markerIndex: start.distance(to: on), baseline: range(r.baseline), after: range(r.after),
                                 label: "\(r.entry.id): daily cost of the scope from \(start), implemented \(on)")
            charts.append(Chart(path: "charts/\(prefix)saving-\(names[r.entry.id]!).svg", svg: line.svg()))
        }
        return charts
    }

    public var tables: [DataTable] {
        let f = Formatter(currency: currency)
        let funnel = DataTable(name: "\(prefix)savings-funnel",
                               columns: [.init("Findings identified in", key: "window"), .init("Stage", key: "stage"), .init("Findings", key: "count", .count),
                                         .init("Monthly dollars", key: "monthly", .money), .init("Of the stage before (dollars)", key: "conversion", .percent)],
                               rows: funnels.flatMap { fn in
                                   fn.stages.enumerated().map { i, s in
                                       [.text(fn.window), .text(s.name), .count(s.count), .money(s.amount),
                                        i == 0 ? .text("") : .share(Formatter.share(s.amount, of: fn.stages[i - 1].amount))]
                                   }
                               })
        let rates = DataTable(name: "\(prefix)savings-rates",
                              columns: [.init("Findings identified in", key: "window"), .init("Implementation rate (count)", key: "implementation_rate_count", .percent),
                                        .init("Implementation rate (dollars)", key: "implementation_rate_dollars", .percent),
                                        .init("Committed, measured", key: "committed_measured", .money), .init("Realised", key: "realised", .money),
                                        .init("Realisation rate", key: "realisation_rate", .percent)],
                              rows: funnels.map { [.text($0.window), .share($0.implementationRate.count), .share($0.implementationRate.dollars),
                                                   .money($0.committedOfMeasured), .money($0.realised), .share($0.realisationRate)] })
        let names = sparklineNames
        let ledger = DataTable(name: "\(prefix)savings-ledger",
                               columns: [.init("Id", key: "id"), .init("Finding", key: "title"), .init("Team", key: "team"), .init("Status", key: "status"),
                                         .init("Committed / month", key: "committed_monthly", .money), .init("Realised / month", key: "realised_monthly", .signedMoney),
                                         .init("Now / month", key: "current_monthly", .signedMoney), .init("Realised to date", key: "realised_to_date", .signedMoney),
                                         .init("Baseline / day", key: "baseline_daily", .money), .init("After / day", key: "after_daily", .money),
                                         .init("Windows", key: "windows"), .init("Driver", key: "driver"), .init("Evidence", key: "evidence")],
                               rows: results.filter { $0.status != .notImplemented || $0.entry.status != .rejected }.map { r in
                                   let windows = [r.baseline.map { "baseline \($0.lowerBound)–\($0.upperBound)" }, r.after.map { "after \($0.lowerBound)–\($0.upperBound)" },
                                                  r.latest.map { "now \($0.lowerBound)–\($0.upperBound)" }].compactMap { $0 }.joined(separator: "; ")
                                   let driver = ([r.driver.map { "per unit of \($0)" }, r.driverNote] + r.overlaps.map { "cells shared with \($0) counted there" })
                                       .compactMap { $0 }.joined(separator: "; ")
                                   let status = r.status == .notImplemented ? r.entry.status.rawValue : r.status.rawValue
                                   func money(_ a: Amount?) -> DataTable.Cell { a.map { .money($0) } ?? .text("—") }
                                   let evidence: DataTable.Cell = r.series.isEmpty ? .text("") : .image(path: "charts/\(prefix)saving-\(names[r.entry.id]!).svg", alt: "\(r.entry.id) daily cost")
                                   return [.text(r.entry.id), .text(r.entry.title), .text(r.entry.team), .text(status), .money(r.entry.committedMonthly),
                                           money(r.realisedMonthly), money(r.currentMonthly), money(r.realisedToDate), money(r.baselineDaily), money(r.afterDaily),
                                           .text(windows), .text(driver.isEmpty ? "—" : driver), evidence]
                               })
        _ = f
        return [funnel, rates, ledger]
    }

    public func context(_ f: Formatter, tables t: [DataTable]) -> [String: Any] {
        let all = funnels.last!
        let s = savings.settings
        return [
            "team": team ?? "",
            "funnelChart": "charts/\(prefix)savings-funnel.svg",
            "funnelAlt": "Savings funnel: " + all.stages.map { "\($0.name.lowercased()) \($0.count) (\(f.money($0.amount))/month)" }.joined(separator: ", "),
            "baselineDays": s.baselineDays, "settlingDays": s.settlingDays, "afterDays": s.afterDays, "verifiedShare": f.percent(s.verifiedShare, decimals: 0),
            "implementationRate": f.percent(all.implementationRate.count), "realisationRate": f.percent(all.realisationRate),
            "realised": f.money(all.realised), "identified": f.money(all.stages[0].amount),
            "funnel": TableView.context(t[0], f), "rates": TableView.context(t[1], f), "ledger": TableView.context(t[2], f),
            "hasFindings": !results.isEmpty,
        ]
    }
}
