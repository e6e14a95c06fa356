/// Next quarter's forecast with its 80 % interval (a fan chart), the models behind it, the
/// forecast by team beside the budget, and the accuracy ledger against the maturity thresholds.
public struct ForecastSection: ReportSection {
    public let forecast: ForecastAnalysis
    /// Budget of the next quarter by team, when budgets.csv covers it.
    public let nextQuarterBudget: BudgetVariance.Window?
    public let currency: String
    public var template: String { "section-forecast" }

    static let chartPath = "charts/forecast.svg"

    var lastTwelve: [Month] { Array(forecast.historyMonths.suffix(12)) }

    public func charts(_ f: Formatter) -> [Chart] {
        let t = forecast.total
        var points: [FanChart.Point] = zip(forecast.historyMonths, t.history).suffix(12).map {
            FanChart.Point(label: $0.0.description, actual: $0.1, forecast: nil, low: nil, high: nil)
        }
        for m in t.months {
            let actual = m.isMonthToDate ? forecast.currentMonth.map { $0.settled } : nil
            points.append(FanChart.Point(label: m.month.description + (m.isMonthToDate ? " (to date)" : ""), actual: actual, forecast: m.point, low: m.low, high: m.high))
        }
        let chart = FanChart(title: "Monthly cost and forecast to the end of \(forecast.nextQuarter)", points: points, intervalLabel: "80 % interval", formatter: f)
        return [Chart(path: Self.chartPath, svg: chart.svg())]
    }

    func modelText(_ s: ForecastAnalysis.ScopeForecast, _ f: Formatter) -> String {
        s.selection.chosen.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    public var tables: [DataTable] {
        let f = Formatter(currency: currency)
        let t = forecast.total
        let total = DataTable(name: "forecast-total",
                              columns: [.init("Month", key: "month"), .init("Forecast", key: "forecast", .money), .init("Low (80 %)", key: "low", .money),
                                        .init("High (80 %)", key: "high", .money), .init("How", key: "method")],
                              rows: t.months.map { m in
                                  [.text(m.month.description), .money(m.point), .money(m.low), .money(m.high),
                                   .text(m.isMonthToDate ? "month to date + recent daily rate" : modelText(t, f))]
                              })
        let quarterMonths = Set(forecast.nextQuarter.months)
        func nextQuarter(_ s: ForecastAnalysis.ScopeForecast) -> Amount { s.months.filter { quarterMonths.contains($0.month) }.reduce(.zero) { $0 + $1.point } }
        let budget = nextQuarterBudget?.budgetsByTeam ?? [:]
        let byTeam = DataTable(name: "forecast-next-quarter-by-team",
                               columns: [.init("Team", key: "team"), .init("Forecast \(forecast.nextQuarter)", key: "forecast", .money),
                                         .init("Budget", key: "budget", .money), .init("Forecast − budget", key: "difference", .signedMoney),
                                         .init("Model", key: "model"), .init("Backtest WAPE", key: "backtest_wape", .percent)],
                               rows: forecast.teams.map { s in
                                   let team = s.team ?? "*"
                                   let b = budget[team]
                                   return [.text(team), .money(nextQuarter(s)), b.map { .money($0) } ?? .text("—"), b.map { .delta(nextQuarter(s) - $0) } ?? .text("—"),
                                           .text(modelText(s, f)), .share(s.selection.backtestWAPE[s.selection.chosen])]
                               }.sorted { a, b in
                                   if case .money(let x) = a[1], case .money(let y) = b[1] { return x > y }
                                   return false
                               },
                               footer: [[.text("Organisation (its own model)"), .money(nextQuarter(t)),
                                         nextQuarterBudget?.totalBudget.map { .money($0) } ?? .text("—"),
                                         nextQuarterBudget?.totalBudget.map { .delta(nextQuarter(t) - $0) } ?? .text("—"),
                                         .text(modelText(t, f)), .share(t.selection.backtestWAPE[t.selection.chosen])]])
        let kinds = ForecastModelKind.allCases
        let models = DataTable(name: "forecast-models",
                               columns: [.init("Scope", key: "scope"), .init("Chosen", key: "chosen"), .init("Origins", key: "origins", .count)]
                                   + kinds.map { .init($0.rawValue.replacingOccurrences(of: "_", with: " "), key: "wape_\($0.rawValue)", .percent) }
                                   + [.init("Note", key: "note")],
                               rows: ([t] + forecast.teams).map { s in
                                   [.text(s.team ?? "Organisation"), .text(modelText(s, f)), .count(s.selection.origins)]
                                       + kinds.map { k in s.selection.backtestWAPE[k].map { .share($0) } ?? .text("—") }
                                       + [.text(([s.selection.fallbackReason].compactMap { $0 } + s.selection.notes.filter { !commonNotes.contains($0) }).joined(separator: "; "))]
                               })
        let ledger = forecast.ledger
        let months = Set(lastTwelve)
        let byHorizon = DataTable(name: "forecast-accuracy-by-horizon",
                                  columns: [.init("Source", key: "source"), .init("Months ahead", key: "horizon", .count), .init("Forecasts", key: "count", .count),
                                            .init("WAPE", key: "wape", .percent), .init("Bias", key: "bias", .signedPercent), .init("Inside interval", key: "hit_rate", .percent)],
                                  rows: AccuracyLedger.Source.allCases.flatMap { source in
                                      (1...3).compactMap { h -> [DataTable.Cell]? in
                                          let s = ledger.score(source: source, horizon: h, months: months)
                                          guard s.count > 0 else { return nil }
                                          return [.text(source.rawValue), .count(h), .count(s.count), .share(s.wape), .share(s.bias), .share(s.hitRate)]
                                      }
                                  })
        let monthly = DataTable(name: "forecast-accuracy-monthly",
                                columns: [.init("Month", key: "month"), .init("Actual", key: "actual", .money),
                                          .init("Finance forecast", key: "finance_forecast", .money), .init("Variance", key: "finance_variance", .signedPercent),
                                          .init("Band", key: "finance_band"),
                                          .init("CostDefender forecast", key: "costdefender_forecast", .money), .init("Variance", key: "costdefender_variance", .signedPercent),
                                          .init("Band", key: "costdefender_band")],
                                rows: lastTwelve.reversed().map { m in
                                    let fin = ledger.oneAhead(.finance, m), own = ledger.oneAhead(.costdefender, m)
                                    let actual = fin?.actual ?? own?.actual ?? zip(forecast.historyMonths, t.history).first { $0.0 == m }?.1 ?? .zero
                                    return [.text(m.description), .money(actual),
                                            fin.map { .money($0.forecast) } ?? .text("—"), .share(fin?.variance), .text(fin.map { AccuracyLedger.stage($0.variance) } ?? "—"),
                                            own.map { .money($0.forecast) } ?? .text("—"), .share(own?.variance), .text(own.map { AccuracyLedger.stage($0.variance) } ?? "—")]
                                })
        let worst = DataTable(name: "forecast-teams-missing-most",
                              columns: [.init("Team", key: "team"), .init("Months", key: "months", .count), .init("WAPE", key: "wape", .percent), .init("Bias", key: "bias", .signedPercent)],
                              rows: ledger.worstTeams(months: months).map { [.text($0.team), .count($0.score.count), .share($0.score.wape), .share($0.score.bias)] })
        return [total, byTeam, models, byHorizon, monthly, worst]
    }

    public func context(_ f: Formatter, tables t: [DataTable]) -> [String: Any] {
        let ledger = forecast.ledger
        let months = Set(lastTwelve)
        let finance = ledger.entries.filter { $0.source == .finance && $0.team == nil && $0.horizon == 1 && months.contains($0.month) }
        let meanVariance = finance.isEmpty ? nil : finance.compactMap { $0.variance.map(abs) }.reduce(0, +) / Double(finance.count)
        let within5 = finance.filter { ($0.variance.map(abs) ?? 1) <= 0.05 }.count
        let sel = forecast.total.selection
        var context: [String: Any] = [
            "asOf": forecast.asOf.description, "nextQuarter": forecast.nextQuarter.description,
            "chart": Self.chartPath, "alt": "Monthly cost for the last \(lastTwelve.count) months and the forecast with its 80 % interval",
            "model": sel.chosen.rawValue.replacingOccurrences(of: "_", with: " "),
            "wape": f.percent(sel.backtestWAPE[sel.chosen]), "origins": sel.origins, "fallback": sel.fallbackReason ?? "",
            "hasLedger": !finance.isEmpty,
            "meanVariance": f.percent(meanVariance), "stage": AccuracyLedger.stage(meanVariance),
            "within5": "\(within5) of \(finance.count)",
            "total": TableView.context(t[0], f), "byTeam": TableView.context(t[1], f), "models": TableView.context(t[2], f),
            "byHorizon": TableView.context(t[3], f), "monthly": TableView.context(t[4], f), "worst": TableView.context(t[5], f),
            "commonNotes": commonNotes,
        ]
        if let e = forecast.currentMonth {
            context["monthToDate"] = ["month": e.month.description, "settled": f.money(e.settled), "through": e.settledThrough.description,
                                      "remaining": f.money(e.remaining), "recurring": f.money(e.recurringToCome), "estimate": f.money(e.estimate)]
        }
        return context
    }

    var scopes: [ForecastAnalysis.ScopeForecast] { [forecast.total] + forecast.teams }

    /// Notes every series shares (e.g. too few months for seasonal naive): said once, not per row.
    var commonNotes: [String] {
        let all = scopes.map { Set($0.selection.notes) }
        guard let first = all.first else { return [] }
        return first.filter { n in all.allSatisfy { $0.contains(n) } }.sorted()
    }
}
