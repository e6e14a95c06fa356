/// Cost by team, service, account and month, each with its share of the period's total.
public struct CostBreakdownSection: ReportSection {
    public let figures: PeriodFigures
    public var template: String { "section-cost" }

    public var tables: [DataTable] {
        let s = figures.spend
        let basis = figures.basis
        let total = s.total.cost(basis)
        func table(_ name: String, _ title: String, _ values: [String: CostMeasures], label: (String) -> String = { $0 }) -> DataTable {
            let rows = values.map { (label($0.key), $0.value) }
                .sorted { $0.1.cost(basis) != $1.1.cost(basis) ? $0.1.cost(basis) > $1.1.cost(basis) : $0.0 < $1.0 }
                .map { name, m -> [DataTable.Cell] in
                    [.text(name), .money(m.cost(basis)), .share(Formatter.share(m.cost(basis), of: total)), .money(m.billed), .money(m.list)]
                }
            return DataTable(name: name, columns: [.init(title, key: title.lowercased()), .init("Cost", key: "cost", .money), .init("Share", key: "share", .percent),
                                                   .init("Billed", key: "billed", .money), .init("List", key: "list", .money)],
                             rows: rows, footer: [[.text("Total"), .money(total), .share(total.isZero ? nil : 1), .money(s.total.billed), .money(s.total.list)]])
        }
        let names = figures.accountNames
        let byAccount = table("cost-by-account", "Account", s.byAccount) { id in
            id.isEmpty ? "(no account)" : (names[id].map { "\($0) (\(id))" } ?? id)
        }
        // Month × team.
        let teams = s.byTeam.keys.sorted { (s.byTeam[$0]!.cost(basis), $1) > (s.byTeam[$1]!.cost(basis), $0) }
        var monthColumns: [DataTable.Column] = [.init("Team", key: "team")]
        for m in s.months { monthColumns.append(.init(m.description, key: m.description, .money)) }
        monthColumns.append(.init("Period", key: "period", .money))
        let monthRows: [[DataTable.Cell]] = teams.map { team in
            [.text(team)] + s.months.map { .money(s.byMonthAndTeam[$0]?[team]?.cost(basis) ?? .zero) } + [.money(s.byTeam[team]!.cost(basis))]
        }
        let monthTotals: [DataTable.Cell] = [.text("Total")] + s.months.map { m in
            .money((s.byMonthAndTeam[m] ?? [:]).values.reduce(.zero) { $0 + $1.cost(basis) })
        } + [.money(total)]
        return [
            table("cost-by-team", "Team", s.byTeam),
            table("cost-by-service", "Service", s.byService) { $0.isEmpty ? "(no service)" : $0 },
            byAccount,
            table("cost-by-product", "Product", s.byProduct),
            DataTable(name: "cost-by-month-and-team", columns: monthColumns, rows: monthRows, footer: [monthTotals]),
        ]
    }

    public func context(_ f: Formatter) -> [String: Any] {
        let t = tables
        return ["byTeam": TableView.context(t[0], f), "byService": TableView.context(t[1], f), "byAccount": TableView.context(t[2], f),
                "byProduct": TableView.context(t[3], f), "byMonth": TableView.context(t[4], f), "basis": figures.basis.rawValue]
    }
}
