/// Proof that every dollar read is accounted for: the exact sum of the input text, per file, is
/// compared with the cube and with the allocated facts. Differences must be zero; any non-zero
/// difference is a bug and fails the build.
public struct Reconciliation: Sendable {
    public var files: [FOCUSFileSummary]
    public var inputBilled: Amount
    public var inputEffective: Amount
    public var cubeBilled: Amount
    public var cubeEffective: Amount
    public var allocatedBilled: Amount
    public var allocatedEffective: Amount
    public var rowsRead: Int
    public var rowsRejected: Int
    public var rejectedBilled: Amount
    /// Whether amounts were converted to the reporting currency (then input sums are in the
    /// billing currencies and are compared before conversion).
    public var converted: Bool

    public init(files: [FOCUSFileSummary], cube: CostCube, allocated: AllocatedCosts, converted: Bool) {
        self.files = files
        inputBilled = files.reduce(.zero) { $0 + $1.billedCost }
        inputEffective = files.reduce(.zero) { $0 + $1.effectiveCost }
        let c = cube.total
        cubeBilled = c.billed; cubeEffective = c.effective
        var billed = Amount.zero, effective = Amount.zero
        for f in allocated.facts { billed += f.measures.billed; effective += f.measures.effective }
        allocatedBilled = billed; allocatedEffective = effective
        rowsRead = files.reduce(0) { $0 + $1.rowsRead }
        rowsRejected = files.reduce(0) { $0 + $1.rowsRejected }
        rejectedBilled = files.reduce(.zero) { $0 + $1.rejectedBilledCost }
        self.converted = converted
    }

    /// True when input, cube and allocation agree exactly.
    public var balances: Bool {
        allocatedBilled == cubeBilled && allocatedEffective == cubeEffective
            && (converted || (inputBilled == cubeBilled && inputEffective == cubeEffective))
    }
}
