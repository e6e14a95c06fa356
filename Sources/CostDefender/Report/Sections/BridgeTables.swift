/// Tables of a bridge: every step with its share of the change and its owners, and the totals.
enum BridgeTables {
    static func slug(_ kind: Bridge.Kind) -> String {
        switch kind {
        case .quarterOverQuarter: return "qoq"
        case .budget: return "budget"
        case .forecast: return "forecast"
        }
    }

    /// `Owner +$1.00, Other −$2.00, and 3 more`.
    static func owners(_ owners: [Bridge.Owner], _ f: Formatter, limit: Int = 3) -> String {
        let shown = owners.prefix(limit).map { "\($0.team) \(f.signedMoney($0.amount))" }
        let more = owners.count > limit ? ["and \(owners.count - limit) more"] : []
        return (shown + more).joined(separator: ", ")
    }

    static func table(_ b: Bridge, _ f: Formatter) -> DataTable {
        var rows: [[DataTable.Cell]] = [[.text(b.startLabel), .money(b.start), .text(""), .text("")]]
        for d in b.drivers {
            rows.append([.text(d.name), .delta(d.amount), .share(Formatter.share(d.amount, of: b.change)), .text(owners(d.owners, f))])
        }
        rows.append([.text(DriverKind.unexplained.title), .delta(b.residual), .share(Formatter.share(b.residual, of: b.change)), .text(owners(b.residualOwners, f))])
        rows.append([.text(b.endLabel), .money(b.end), .text(""), .text("")])
        return DataTable(name: "bridge-\(slug(b.kind))",
                         columns: [.init("Step", key: "step"), .init("Amount", key: "amount", .money),
                                   .init("Share of change", key: "share_of_change", .signedPercent), .init("Owners", key: "owners")],
                         rows: rows,
                         footer: [[.text("Change (\(f.signedPercent(Formatter.change(from: b.start, to: b.end))) of \(b.startLabel))"), .delta(b.change), .share(b.change.isZero ? nil : 1), .text("")]])
    }

    /// The waterfall of a bridge: start, every non-zero driver, the unexplained rest, end.
    static func chart(_ b: Bridge, path: String, title: String, _ f: Formatter) -> Chart {
        var steps = [WaterfallChart.Step(label: b.startLabel, amount: b.start, isTotal: true)]
        for d in b.drivers where d.amount.cents != 0 { steps.append(.init(label: d.name, amount: d.amount, isTotal: false)) }
        if b.residual.cents != 0 { steps.append(.init(label: DriverKind.unexplained.title, amount: b.residual, isTotal: false)) }
        steps.append(.init(label: b.endLabel, amount: b.end, isTotal: true))
        return Chart(path: path, svg: WaterfallChart(title: title, steps: steps, formatter: f).svg())
    }

    /// `bridges.json`: per bridge its kind, start, end, drivers (name, amount, owners), residual.
    static func json(_ bridges: [Bridge]) -> JSONValue {
        func owners(_ o: [Bridge.Owner]) -> JSONValue { .array(o.map { .object(["team": .string($0.team), "amount": .money($0.amount)]) }) }
        return .object(["bridges": .array(bridges.map { b in
            .object([
                "kind": .string(b.kind.rawValue),
                "start_label": .string(b.startLabel), "end_label": .string(b.endLabel),
                "start": .money(b.start), "end": .money(b.end), "change": .money(b.change),
                "drivers": .array(b.drivers.map { .object(["name": .string($0.name), "key": .string($0.kind.rawValue), "amount": .money($0.amount), "owners": owners($0.owners)]) }),
                "residual": .money(b.residual),
                "residual_owners": owners(b.residualOwners),
                "unexplained_share": .double(b.unexplainedShare),
            ])
        })])
    }
}
