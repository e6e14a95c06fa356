/// A walk from a start figure through named drivers to an end figure.
///
/// Invariant: `start + Σ drivers.amount + residual == end`, exactly (amounts are exact decimals).
/// The residual is the part of the change no driver explains, shown as "Unexplained".
public struct Bridge: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case quarterOverQuarter = "quarter_over_quarter"
        case budget = "actual_vs_budget"
        case forecast = "actual_vs_forecast"
    }

    public struct Owner: Sendable, Equatable {
        public var team: String
        public var amount: Amount
    }

    public struct Driver: Sendable {
        public var kind: DriverKind
        public var name: String
        public var amount: Amount
        /// Teams that own the driver, largest |amount| first; their amounts sum to `amount`.
        public var owners: [Owner]
    }

    public var kind: Kind
    public var startLabel: String
    public var endLabel: String
    public var start: Amount
    public var end: Amount
    public var drivers: [Driver]
    public var residual: Amount
    public var residualOwners: [Owner]

    public var change: Amount { end - start }
    /// |residual| / |change|; nil when nothing changed.
    public var unexplainedShare: Double? {
        change.isZero ? (residual.isZero ? nil : 1) : abs(residual.doubleValue) / abs(change.doubleValue)
    }

    /// Whether start + drivers + residual equals end (always true for bridges built here).
    public var balances: Bool { start + drivers.reduce(.zero) { $0 + $1.amount } + residual == end }

    public var title: String { kind.title }
}

extension Bridge.Kind {
    public var title: String {
        switch self {
        case .quarterOverQuarter: return "Quarter over quarter"
        case .budget: return "Actual vs budget"
        case .forecast: return "Actual vs finance forecast"
        }
    }
}

/// The named causes of a change. Order is the order of the bridge.
public enum DriverKind: String, Sendable, CaseIterable, Hashable, Comparable {
    case volume, efficiency, rate, new, retired
    case purchases, credits, refunds, corrections
    case sharedPoolSpend = "shared_pool_spend"
    case allocation
    case verifiedSavings = "verified_savings"
    case teamsOverTarget = "teams_over"
    case teamsUnderTarget = "teams_under"
    case noTarget = "no_target"
    case oneTime = "one_time"
    case unassignedTarget = "unassigned_target"
    case unexplained

    public var title: String {
        switch self {
        case .volume: return "Volume (business driver or usage)"
        case .efficiency: return "Unit-cost efficiency"
        case .rate: return "Rates and commitment discounts"
        case .new: return "New services, accounts and teams"
        case .retired: return "Retired services, accounts and teams"
        case .purchases: return "One-time: purchases and fees"
        case .credits: return "One-time: credits"
        case .refunds: return "One-time: refunds and adjustments"
        case .corrections: return "One-time: corrections of earlier periods"
        case .sharedPoolSpend: return "Shared costs: pool spend"
        case .allocation: return "Allocation changes (re-tagging, shared-cost weights)"
        case .verifiedSavings: return "Verified savings (from the ledger)"
        case .teamsOverTarget: return "Run-rate above target (teams)"
        case .teamsUnderTarget: return "Run-rate below target (teams)"
        case .noTarget: return "Run-rate spend without a target"
        case .oneTime: return "One-time and irregular charges"
        case .unassignedTarget: return "Target not assigned to a team"
        case .unexplained: return "Unexplained"
        }
    }

    public static func < (a: DriverKind, b: DriverKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One grain cell's contribution to a bridge: who and what it is, and its change by driver.
/// Bridges and movers for any scope are sums of these, so every roll-up adds up exactly.
public struct BridgeContribution: Sendable {
    public var team: String
    public var product: String
    public var service: String
    public var account: String
    public var prior: Amount
    public var current: Amount
    /// Σ values == current − prior.
    public var drivers: [DriverKind: Amount]
}

extension Bridge {
    /// Sums contributions into a bridge: drivers in `DriverKind` order (zero drivers kept so that
    /// every bridge of a kind shows the same rows), `.unexplained` as the residual.
    public static func from(_ contributions: [BridgeContribution], kind: Kind, start: Amount, end: Amount,
                            startLabel: String, endLabel: String, kinds: [DriverKind]) -> Bridge {
        var totals: [DriverKind: [String: Amount]] = [:]
        for c in contributions {
            for (k, a) in c.drivers where !a.isZero { totals[k, default: [:]][c.team, default: .zero] += a }
        }
        func owners(_ k: DriverKind) -> [Owner] {
            (totals[k] ?? [:]).filter { !$0.value.isZero }.map { Owner(team: $0.key, amount: $0.value) }
                .sorted { $0.amount.magnitude != $1.amount.magnitude ? $0.amount.magnitude > $1.amount.magnitude : $0.team < $1.team }
        }
        let drivers = kinds.filter { $0 != .unexplained }.map { k in
            Driver(kind: k, name: k.title, amount: (totals[k] ?? [:]).values.reduce(.zero, +), owners: owners(k))
        }
        let residual = (totals[.unexplained] ?? [:]).values.reduce(.zero, +)
        return Bridge(kind: kind, startLabel: startLabel, endLabel: endLabel, start: start, end: end,
                      drivers: drivers, residual: residual, residualOwners: owners(.unexplained))
    }
}
