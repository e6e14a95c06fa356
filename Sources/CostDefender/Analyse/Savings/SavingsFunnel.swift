/// Identified → committed → implemented → verified, by count and by dollars, for the findings
/// identified in a window. Identified counts every finding (rejected ones too: they were
/// identified); committed counts those committed or implemented; verified those whose saving is
/// verified. Dollars are the committed monthly savings, except for verified, which shows the
/// realised monthly saving.
public struct SavingsFunnel: Sendable {
    public struct Stage: Sendable { public var name: String; public var count: Int; public var amount: Amount }

    public var window: String
    public var stages: [Stage]
    /// Implemented ÷ identified, by count and by committed dollars.
    public var implementationRate: (count: Double?, dollars: Double?)
    /// Realised ÷ committed over implemented findings whose after window is complete.
    public var realisationRate: Double?
    public var realised: Amount
    public var committedOfMeasured: Amount

    public init(_ results: [SavingsVerification.Result], window name: String, identifiedIn window: ClosedRange<Day>?) {
        self.window = name
        let cohort = results.filter { r in window.map { $0.contains(r.entry.identifiedOn) } ?? true }
        let committed = cohort.filter { $0.entry.status == .committed || $0.entry.status == .implemented }
        let implemented = cohort.filter { $0.entry.status == .implemented }
        let verified = implemented.filter { $0.status == .verified }
        func sum(_ rs: [SavingsVerification.Result]) -> Amount { rs.reduce(.zero) { $0 + $1.entry.committedMonthly } }
        stages = [
            Stage(name: "Identified", count: cohort.count, amount: sum(cohort)),
            Stage(name: "Committed", count: committed.count, amount: sum(committed)),
            Stage(name: "Implemented", count: implemented.count, amount: sum(implemented)),
            Stage(name: "Verified", count: verified.count, amount: verified.reduce(.zero) { $0 + (SavingsVerification.creditedMonthly($1) ?? .zero) }),
        ]
        implementationRate = (cohort.isEmpty ? nil : Double(implemented.count) / Double(cohort.count), Formatter.share(sum(implemented), of: sum(cohort)))
        let measured = implemented.filter { $0.realisedMonthly != nil }
        realised = measured.reduce(.zero) { $0 + (SavingsVerification.creditedMonthly($1) ?? .zero) }
        committedOfMeasured = sum(measured)
        realisationRate = Formatter.share(realised, of: committedOfMeasured)
    }
}
