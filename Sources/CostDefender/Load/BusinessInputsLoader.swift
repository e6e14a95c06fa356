/// Loads ledger, metrics, budgets, forecasts, fx rates and notes. Every bad row is reported with
/// file, line and column; the loader carries on so that `validate` lists all problems at once.
public struct BusinessInputsLoader {
    public var calendar: FiscalCalendar
    public var displayPath: (String) -> String

    public init(calendar: FiscalCalendar, displayPath: @escaping (String) -> String = { $0 }) {
        self.calendar = calendar
        self.displayPath = displayPath
    }

    public func load(_ inputs: Configuration.Inputs, diagnostics d: inout Diagnostics) throws -> BusinessInputs {
        var result = BusinessInputs()
        if let p = inputs.ledger, let t = try table(p, ["id", "title", "team", "status", "identified_on", "committed_monthly", "scope"], &d) { result.ledger = ledger(t, &d) }
        if let p = inputs.metrics, let t = try table(p, ["period", "metric", "value"], &d) { result.metrics = metrics(t, &d) }
        if let p = inputs.budgets, let t = try table(p, ["period", "team", "amount"], &d) { result.budgets = budgets(t, &d) }
        if let p = inputs.forecasts, let t = try table(p, ["made_on", "period", "team", "amount"], &d) { result.forecasts = forecasts(t, &d) }
        if let p = inputs.fx, let t = try table(p, ["period", "currency", "rate"], &d) { result.fxRates = fx(t, &d) }
        if let p = inputs.notes, let t = try table(p, ["scope", "text"], &d) { result.notes = notes(t, &d) }
        return result
    }

    private func table(_ path: String, _ required: [String], _ d: inout Diagnostics) throws -> CSVTable? {
        try CSVTable.read(path: path, displayPath: displayPath(path), required: required, diagnostics: &d)
    }

    func ledger(_ t: CSVTable, _ d: inout Diagnostics) -> [LedgerEntry] {
        var seen: [String: Int] = [:]
        var tally = MagnitudeTally()
        var out: [LedgerEntry] = []
        for row in t.wellFormedRows(&d) {
            // Read every field before giving up on the row, so each problem is reported.
            let id = row.required("id", &d), title = row.required("title", &d), team = row.required("team", &d)
            let statusText = row.required("status", &d)
            let identified = row.day("identified_on", &d), committed = row.amount("committed_monthly", &d)
            let scopeText = row.required("scope", &d), implemented = row.day("implemented_on", &d, required: false)
            let status = statusText.flatMap { LedgerEntry.Status(rawValue: $0.lowercased()) }
            if let statusText, status == nil {
                d.error(row.location("status"), "status `\(statusText)` is not one of identified, committed, implemented, rejected")
            }
            guard let id, let title, let team, let status, let identified = identified ?? nil,
                  let committed = committed ?? nil, let scopeText, let implementedOn = implemented,
                  tally.admits(committed, at: row.location("committed_monthly"), &d) else { continue }
            if status == .implemented && implementedOn == nil {
                d.error(row.location("implemented_on"), "an implemented finding needs implemented_on (YYYY-MM-DD)"); continue
            }
            if let first = seen[id] {
                d.error(row.location("id"), "duplicate ledger id `\(id)` (first on line \(first))", hint: "give every finding its own id"); continue
            }
            seen[id] = row.line
            let scope: [RuleCondition]
            switch ScopeParser.parse(scopeText) {
            case .success(let s): scope = s.conditions
                if !s.teams.isEmpty { d.error(row.location("scope"), "a ledger scope names cost (service, account, region, resource, tag:KEY), not team"); continue }
            case .failure(let e): d.error(row.location("scope"), e.message); continue
            }
            out.append(LedgerEntry(id: id, title: title, team: team, owner: row.text("owner"), status: status, identifiedOn: identified,
                                   committedMonthly: committed, implementedOn: implementedOn, scope: scope, scopeText: scopeText,
                                   driver: row.text("driver"), line: row.line))
        }
        return out
    }

    func metrics(_ t: CSVTable, _ d: inout Diagnostics) -> [MetricValue] {
        var tally = MagnitudeTally()
        return t.wellFormedRows(&d).compactMap { row in
            guard let period = row.required("period", &d), let metric = row.required("metric", &d), let value = row.amount("value", &d) ?? nil,
                  tally.admits(value, at: row.location("value"), &d) else { return nil }
            let month: Month
            if let m = Month(iso: period) { month = m } else if let day = Day(iso: period) { month = day.month } else {
                d.error(row.location("period"), "period `\(period)` is not YYYY-MM or YYYY-MM-DD"); return nil
            }
            return MetricValue(month: month, metric: metric, value: value, team: row.text("team"), product: row.text("product"))
        }
    }

    func budgets(_ t: CSVTable, _ d: inout Diagnostics) -> [Budget] {
        var tally = MagnitudeTally()
        return t.wellFormedRows(&d).compactMap { row in
            guard let period = row.required("period", &d), let team = row.required("team", &d), let amount = row.amount("amount", &d) ?? nil,
                  tally.admits(amount, at: row.location("amount"), &d) else { return nil }
            let p: Budget.Period
            if let m = Month(iso: period) { p = .month(m) } else if let q = calendar.parseQuarter(period) { p = .quarter(q) } else {
                d.error(row.location("period"), "period `\(period)` is not YYYY-MM or a fiscal quarter such as FY2026-Q3"); return nil
            }
            return Budget(period: p, team: team == "*" ? nil : team, amount: amount)
        }
    }

    func forecasts(_ t: CSVTable, _ d: inout Diagnostics) -> [SubmittedForecast] {
        var amounts = MagnitudeTally(), lows = MagnitudeTally(), highs = MagnitudeTally()
        return t.wellFormedRows(&d).compactMap { row in
            guard let madeOn = row.day("made_on", &d) ?? nil, let period = row.required("period", &d), let team = row.required("team", &d),
                  let amount = row.amount("amount", &d) ?? nil, let low = row.amount("low", &d, required: false),
                  let high = row.amount("high", &d, required: false), amounts.admits(amount, at: row.location("amount"), &d),
                  lows.admits(low, at: row.location("low"), &d), highs.admits(high, at: row.location("high"), &d) else { return nil }
            guard let month = Month(iso: period) else { d.error(row.location("period"), "period `\(period)` is not YYYY-MM"); return nil }
            if let low, let high, low > high { d.error(row.location("low"), "low is above high"); return nil }
            return SubmittedForecast(madeOn: madeOn, month: month, team: team == "*" ? nil : team, amount: amount, low: low, high: high)
        }
    }

    /// One rate per currency and month: a second one is an error, never a silent choice.
    func fx(_ t: CSVTable, _ d: inout Diagnostics) -> [FXRate] {
        var seen: [String: Int] = [:]
        return t.wellFormedRows(&d).compactMap { row in
            guard let period = row.required("period", &d), let currency = row.required("currency", &d), let rate = row.amount("rate", &d) ?? nil else { return nil }
            guard let month = Month(iso: period) else { d.error(row.location("period"), "period `\(period)` is not YYYY-MM"); return nil }
            guard rate > .zero else { d.error(row.location("rate"), "an fx rate must be above zero"); return nil }
            let key = "\(currency.uppercased()) in \(month)"
            if let first = seen[key] {
                d.error(row.location("period"), "duplicate fx rate for \(key) (first on line \(first))", hint: "keep one rate per currency and month"); return nil
            }
            seen[key] = row.line
            return FXRate(month: month, currency: currency.uppercased(), rate: rate)
        }
    }

    func notes(_ t: CSVTable, _ d: inout Diagnostics) -> [Note] {
        t.wellFormedRows(&d).compactMap { row in
            guard let text = row.required("text", &d) else { return nil }
            let scopeText = row.text("scope") ?? "*"
            let days: ClosedRange<Day>
            if let dateText = row.text("date") {
                guard let day = Day(iso: dateText) else { d.error(row.location("date"), "date `\(dateText)` is not YYYY-MM-DD"); return nil }
                days = day...day
            } else if let periodText = row.text("period") {
                guard let m = Month(iso: periodText) else { d.error(row.location("period"), "period `\(periodText)` is not YYYY-MM"); return nil }
                days = m.firstDay...m.lastDay
            } else {
                d.error(SourceLocation(file: t.file, line: row.line), "a note needs a date or a period"); return nil
            }
            switch ScopeParser.parse(scopeText) {
            case .success(let s): return Note(days: days, conditions: s.conditions, teams: s.teams, scopeText: scopeText, text: text)
            case .failure(let e): d.error(row.location("scope"), e.message); return nil
            }
        }
    }
}
