/// Brings every cube cell into the reporting currency with the monthly fx table.
/// Without rates for a currency and month that has cost, the build stops naming both; so it does
/// when the rates take the costs beyond `Amount.maximumTotal`.
public enum CurrencyConversion {
    /// Returns the converted cube and whether anything was converted.
    public static func convert(_ cube: CostCube, to currency: String, rates: [FXRate], fxFile: String?) throws -> (CostCube, Bool) {
        let currencyTable = cube.tables[Dimension.currency.rawValue]
        // Currencies with cost, by table index first (one flag per cell, no string hashing).
        var used = [Bool](repeating: false, count: currencyTable.count)
        for key in cube.daily.keys { used[Int(key[.currency])] = true }
        let foreign = Set(currencyTable.indices.filter { used[$0] }.map { currencyTable[$0] }).subtracting([currency])
        if foreign.isEmpty { return (cube, false) }
        var rate: [String: Amount] = [:]
        for r in rates { rate["\(r.currency)|\(r.month)"] = r.rate }
        var missing = Set<String>()
        var converted = cube
        converted.daily = CubeCells()
        converted.untaggedResources = CubeCells()
        func scaled(_ m: CostMeasures, _ r: Amount) -> CostMeasures {
            var s = m
            s.billed = m.billed.multiplied(by: r); s.effective = m.effective.multiplied(by: r)
            s.list = m.list.multiplied(by: r); s.contracted = m.contracted.multiplied(by: r)
            return s
        }
        for (key, m) in cube.daily {
            let c = currencyTable[Int(key[.currency])]
            if c == currency { converted.daily.add(key, m); continue }
            let month = Day(index: key.time).month
            guard let r = rate["\(c)|\(month)"] else { missing.insert("\(c) in \(month)"); continue }
            converted.daily.add(key, scaled(m, r))
        }
        for (key, m) in cube.untaggedResources {
            let c = currencyTable[Int(key[.currency])]
            if c == currency { converted.untaggedResources.add(key, m); continue }
            let month = Month(ordinal: Int(key.time))
            guard let r = rate["\(c)|\(month)"] else { continue }
            converted.untaggedResources.add(key, scaled(m, r))
        }
        if !missing.isEmpty {
            let list = missing.sorted().joined(separator: ", ")
            throw CostDefenderError.input(SourceLocation(file: fxFile ?? "fx rates"),
                                          message: "the billing data is in \(foreign.sorted().joined(separator: ", ")) as well as the reporting currency \(currency), and there is no fx rate for \(list)",
                                          hint: "add rows `period,currency,rate` to the fx file (inputs.fx in the config), rate = \(currency) per unit")
        }
        if let measure = converted.measureBeyondMaximumTotal() {
            throw CostDefenderError.input(SourceLocation(file: fxFile ?? "fx rates"),
                                          message: "converted with these fx rates, the \(measure) values add up to more than 10^22 \(currency) in magnitude",
                                          hint: "check the rates: each is \(currency) per unit of the other currency")
        }
        return (converted, true)
    }
}
