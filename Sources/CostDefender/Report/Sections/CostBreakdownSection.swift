/// Cost by team, service, account and month, each with its share of the period's total.
public struct CostBreakdownSection: ReportSection {
    public let figures: PeriodFigures
    public var template: String { "section-cost" }

    static let titles: [Grouping: String] = [.team: "Team", .service: "Service", .account: "Account", .product: "Product"]

    func label(_ g: Grouping, _ name: String) -> String {
        switch g {
        case .account: return name.isEmpty ? "(no account)" : (figures.accountNames[name].map { "\($0) (\(name))" } ?? name)
        case .service: return name.isEmpty ? "(no service)" : name
        case .team, .product: return name
        }
    }

    /// Names of a grouping, largest cost first.
    func ranked(_ g: Grouping) -> [String] {
        let values = figures.spend.by[g] ?? [:]
        let basis = figures.basis
        return values.keys.sorted { (values[$0]!.cost(basis), $1) > (values[$1]!.cost(basis), $0) }
    }

    /// `cost-by-team` … : cost, share, billed and list cost over the period.
    func totals(_ g: Grouping) -> DataTable {
        let s = figures.spend
        let basis = figures.basis
        let total = s.total.cost(basis)
        let title = Self.titles[g]!
        let rows = ranked(g).map { name -> [DataTable.Cell] in
            let m = s.by[g]![name]!
            return [.text(label(g, name)), .money(m.cost(basis)), .share(Formatter.share(m.cost(basis), of: total)), .money(m.billed), .money(m.list)]
        }
        return DataTable(name: "cost-by-\(g.rawValue)",
                         columns: [.init(title, key: g.rawValue), .init("Cost", key: "cost", .money), .init("Share", key: "share", .percent),
                                   .init("Billed", key: "billed", .money), .init("List", key: "list", .money)],
                         rows: rows, footer: [[.text("Total"), .money(total), .share(total.isZero ? nil : 1), .money(s.total.billed), .money(s.total.list)]])
    }

    /// `cost-by-month-and-team` … : one column per month and the period total.
    func monthly(_ g: Grouping) -> DataTable {
        let s = figures.spend
        let basis = figures.basis
        let perMonth = s.byMonth[g] ?? [:]
        var columns: [DataTable.Column] = [.init(Self.titles[g]!, key: g.rawValue)]
        for m in s.months { columns.append(.init(m.description, key: m.description, .money)) }
        columns.append(.init("Period", key: "period", .money))
        let rows: [[DataTable.Cell]] = ranked(g).map { name in
            [.text(label(g, name))] + s.months.map { .money(perMonth[$0]?[name]?.cost(basis) ?? .zero) } + [.money(s.by[g]![name]!.cost(basis))]
        }
        let footer: [DataTable.Cell] = [.text("Total")] + s.months.map { m in
            .money((perMonth[m] ?? [:]).values.reduce(.zero) { $0 + $1.cost(basis) })
        } + [.money(s.total.cost(basis))]
        return DataTable(name: "cost-by-month-and-\(g.rawValue)", columns: columns, rows: rows, footer: [footer])
    }

    public var tables: [DataTable] {
        Grouping.allCases.map(totals) + Grouping.allCases.map(monthly)
    }

    static let trendChart = "charts/monthly-cost-by-team.svg"

    public func charts(_ f: Formatter) -> [Chart] {
        let s = figures.spend
        var totals: [String: Amount] = [:]
        for m in s.trailingMonths { for (t, a) in s.trailingByTeam[m] ?? [:] { totals[t, default: .zero] += a } }
        let teams = totals.keys.sorted { (totals[$0]!, $1) > (totals[$1]!, $0) }
        let series = teams.map { t in (name: t, values: s.trailingMonths.map { s.trailingByTeam[$0]?[t] ?? .zero }) }
        let chart = StackedColumnChart(title: "Monthly cost by team, \(s.trailingMonths.first?.description ?? "") to \(s.trailingMonths.last?.description ?? "")",
                                       categories: s.trailingMonths.map(\.description), series: series, formatter: f)
        return [Chart(path: Self.trendChart, svg: chart.svg())]
    }

    public func context(_ f: Formatter, tables: [DataTable]) -> [String: Any] {
        var context: [String: Any] = ["basis": figures.basis.rawValue, "trendChart": Self.trendChart,
                                      "trendAlt": "Monthly cost by team over the last \(figures.spend.trailingMonths.count) months"]
        for t in tables {
            // cost-by-team → byTeam, cost-by-month-and-service → byMonthAndService
            let words = t.name.split(separator: "-").dropFirst(2)
            let key = "by" + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            context[key] = TableView.context(t, f)
        }
        return context
    }
}
