/// The additive measures of a cube cell. Every field is an exact sum over the cell's line items.
public struct CostMeasures: Sendable, Hashable, Codable {
    public var billed = Amount.zero
    public var effective = Amount.zero
    public var list = Amount.zero
    public var contracted = Amount.zero
    public var consumedQuantity = Amount.zero
    public var pricingQuantity = Amount.zero
    public var rows = 0

    public init() {}

    public static func += (a: inout CostMeasures, b: CostMeasures) {
        a.billed += b.billed; a.effective += b.effective; a.list += b.list; a.contracted += b.contracted
        a.consumedQuantity += b.consumedQuantity; a.pricingQuantity += b.pricingQuantity; a.rows += b.rows
    }

    /// The amount the report uses, per the configured cost basis.
    public func cost(_ basis: CostBasis) -> Amount { basis == .effective ? effective : billed }
}

/// Which FOCUS cost column the pack reports: amortised `EffectiveCost` (default) or `BilledCost`.
public enum CostBasis: String, Sendable, Codable, CaseIterable {
    case effective, billed
}
