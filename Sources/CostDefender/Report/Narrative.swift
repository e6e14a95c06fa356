/// The few plain sentences at the top of a report, produced from the numbers alone. Every
/// figure a sentence states is printed exactly so in a table of the report (the bridges and
/// the headline), so a reader can trace it.
public enum Narrative {
    public static func sentences(_ figures: PeriodFigures, _ f: Formatter) -> [String] {
        let b = figures.bridge
        let p = figures.period
        var out: [String] = []
        if figures.comparisonDaysWithData == 0 {
            out.append("Cloud cost was \(f.money(b.end)) in \(b.endLabel); there is no cost data for \(p.quarter.previous) to compare with.")
            return out + budgetSentences(figures, f)
        }
        let direction = b.change.cents > 0 ? "rose" : (b.change.cents < 0 ? "fell" : "was unchanged")
        var first = "Cloud cost \(direction)"
        if b.change.cents != 0 {
            first += " by \(f.money(b.change.magnitude)) (\(f.signedPercent(Formatter.change(from: b.start, to: b.end))))"
        }
        first += " quarter over quarter, from \(f.money(b.start)) in \(b.startLabel) to \(f.money(b.end)) in \(b.endLabel)."
        out.append(first)
        let drivers = b.drivers.filter { $0.amount.cents != 0 }
            .sorted { $0.amount.magnitude != $1.amount.magnitude ? $0.amount.magnitude > $1.amount.magnitude : $0.kind < $1.kind }
            .prefix(3)
        if !drivers.isEmpty {
            let parts = drivers.map { d -> String in
                let owners = d.owners.prefix(2).map { "\($0.team) \(f.signedMoney($0.amount))" }.joined(separator: ", ")
                return "\(d.name.lowercased()) \(f.signedMoney(d.amount))" + (owners.isEmpty ? "" : " (\(owners))")
            }
            out.append("The largest drivers: " + parts.joined(separator: "; ") + ".")
        }
        out.append("Unexplained: \(f.signedMoney(b.residual)), \(f.signedPercent(Formatter.share(b.residual, of: b.change))) of the change.")
        return out + unitSentences(figures, f) + budgetSentences(figures, f)
    }

    /// For each organisation-wide metric: how the units moved and what that explains.
    static func unitSentences(_ figures: PeriodFigures, _ f: Formatter) -> [String] {
        figures.unitEconomics.series.filter { $0.scope == .organisation }.prefix(2).compactMap { s in
            let c = s.change
            guard case .split(let volume, let efficiency) = c.split, let units = c.unitsChange, let unitCost = c.unitCostChange else { return nil }
            let grew = units >= 0 ? "grew" : "shrank"
            let fell = unitCost <= 0 ? "fell" : "rose"
            let name = s.metric.replacingOccurrences(of: "_", with: " ")
            return "\(name.prefix(1).uppercased() + name.dropFirst()) \(grew) \(f.percent(abs(units))), which accounts for \(f.signedMoney(volume)); cost per unit \(fell) \(f.percent(abs(unitCost))) (\(f.signedMoney(efficiency)))."
        }
    }

    static func budgetSentences(_ figures: PeriodFigures, _ f: Formatter) -> [String] {
        var out: [String] = []
        for bridge in [figures.variance.budget, figures.variance.forecast].compactMap({ $0 }) {
            let what = bridge.kind == .budget ? "the budget" : "finance's forecast"
            let over = bridge.change.cents > 0 ? "above" : "below"
            if bridge.change.cents == 0 { out.append("Cost matched \(what) of \(f.money(bridge.start)).") ; continue }
            let teams = bridge.drivers.first { $0.kind == (bridge.change.cents > 0 ? .teamsOverTarget : .teamsUnderTarget) }?.owners.prefix(2)
                .map { "\($0.team) \(f.signedMoney($0.amount))" } ?? []
            let percent = f.signedPercent(Formatter.change(from: bridge.start, to: bridge.end))
            let gaps = teams.isEmpty ? "." : "; the largest team gaps: " + teams.joined(separator: ", ") + "."
            out.append("Cost is \(f.money(bridge.change.magnitude)) \(over) \(what) of \(f.money(bridge.start)) (\(percent))" + gaps)
        }
        return out
    }
}
