/// How a piece of cost reached its team.
public enum AllocationSource: String, Sendable, Codable, CaseIterable {
    /// A `rules:` entry of the config named the team.
    case rule
    /// A team tag on the line item.
    case tag
    /// The account → team mapping.
    case account
    /// A share of a shared-cost pool.
    case shared
    /// No rule, tag or mapping applied (or a pool had no recipient).
    case unallocated
}

/// Cube cells after allocation: each fact is cost with its team, product and how it got there.
///
/// Invariants: facts are sorted by day (`FactQuery` finds a window by binary search); the
/// facts' measures sum exactly to the cube's total (shared pools are split with
/// integer arithmetic, the remainder going to the largest recipient); every fact has a team, which
/// is `AllocatedCosts.unallocatedTeam` when nothing applied. Shared facts keep the pool cell's
/// dimensions (day, service, account …) so every roll-up still works.
public struct AllocatedCosts: Sendable {
    public static let unallocatedTeam = "(unallocated)"
    public static let noProduct = "(none)"

    public var cube: CostCube
    /// Team names by index; index 0 is `unallocatedTeam`.
    public var teams: [String]
    public var products: [String]
    public var facts: [CostFact]
    /// Pools that had no recipient in a month (their cost stays unallocated).
    public var orphanPools: [(pool: String, month: Month, amount: Amount)]

    public func team(_ f: CostFact) -> String { teams[Int(f.team)] }
    public func product(_ f: CostFact) -> String { products[Int(f.product)] }
}

public struct CostFact: Sendable {
    public var key: CubeKey
    public var team: Int32
    public var product: Int32
    public var source: AllocationSource
    /// The pool, for shared facts (index into the config's pools), else -1.
    public var pool: Int32
    public var measures: CostMeasures

    public var day: Day { Day(index: key.time) }
}
