/// The bound on input totals, `Amount.maximumTotal`, checked where inputs enter. Each value is
/// already below 10²² (`Amount.parse`); bounding the sum of magnitudes of a whole input keeps
/// every sum an analysis forms from it, and the few such totals it adds or subtracts, exact.
extension CostCube {
    /// The first measure whose Σ|cell| over the cube exceeds `Amount.maximumTotal`, or nil.
    func measureBeyondMaximumTotal() -> String? {
        var t = CostMeasures()
        for m in daily.values {
            t.billed += m.billed.magnitude; t.effective += m.effective.magnitude; t.list += m.list.magnitude
            t.contracted += m.contracted.magnitude; t.consumedQuantity += m.consumedQuantity.magnitude
            t.pricingQuantity += m.pricingQuantity.magnitude
        }
        let sums = [t.billed, t.effective, t.list, t.contracted, t.consumedQuantity, t.pricingQuantity]
        let names = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ConsumedQuantity", "PricingQuantity"]
        return sums.indices.first { sums[$0].isOutOfRange || Amount.maximumTotal < sums[$0] }.map { names[$0] }
    }
}

/// Σ|value| of one amount column of a small input, so that a file whose amounts add up beyond
/// `Amount.maximumTotal` is refused at the row where they cross it.
struct MagnitudeTally {
    private var sum = Amount.zero

    /// Adds `value`; false from the row where the bound is crossed on, reported once, at `location`.
    mutating func admits(_ value: Amount?, at location: SourceLocation, _ d: inout Diagnostics) -> Bool {
        guard let value else { return true }
        let beyond = sum.isOutOfRange || Amount.maximumTotal < sum
        sum += value.magnitude
        guard sum.isOutOfRange || Amount.maximumTotal < sum else { return true }
        if !beyond {
            d.error(location, "by this row the `\(location.columnName ?? "amount")` column adds up to more than 10^22 in magnitude, more than any real figure",
                    hint: "check the file for a corrupt value")
        }
        return false
    }
}
