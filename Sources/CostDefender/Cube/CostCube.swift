/// Line items aggregated to day × dimensions, plus untagged cost by month × resource.
///
/// Invariants: the sum of `daily` measures equals the exact sum over every accepted line item;
/// `untaggedResources` holds the same money again (for untagged rows only), broken down by
/// resource, so it is a drill-down and never added to totals. Table index 0 of every dimension is
/// the empty string (null).
public struct CostCube: Sendable {
    /// String tables by dimension (all but `.tagProfile`).
    public internal(set) var tables: [[String]]
    public internal(set) var tagProfiles: [TagProfile]
    public internal(set) var daily: CubeCells
    /// Keyed with `time` = month ordinal and `.resource` set; only line items without a team tag.
    public internal(set) var untaggedResources: CubeCells
    /// Display names for accounts, by id (`BillingAccountName`, `SubAccountName`).
    public internal(set) var accountNames: [String: String]

    public init() {
        tables = Array(repeating: [""], count: Dimension.allCases.count)
        tagProfiles = [TagProfile.empty]
        daily = CubeCells()
        untaggedResources = CubeCells()
        accountNames = [:]
    }

    @inline(__always)
    public func value(_ d: Dimension, of key: CubeKey) -> String { tables[d.rawValue][Int(key[d])] }
    public func tags(of key: CubeKey) -> TagProfile { tagProfiles[Int(key[.tagProfile])] }

    public var total: CostMeasures {
        var t = CostMeasures()
        for m in daily.values { t += m }
        return t
    }

    /// No cells, no names, and nothing in any table but the null entry (a new cube).
    var isEmpty: Bool {
        daily.isEmpty && untaggedResources.isEmpty && accountNames.isEmpty && tagProfiles.count == 1
            && tables.allSatisfy { $0.count == 1 }
    }

    /// First and last day with data, or nil for an empty cube.
    public var dayRange: ClosedRange<Day>? {
        var lo = Int32.max, hi = Int32.min
        for k in daily.keys { lo = min(lo, k.time); hi = max(hi, k.time) }
        return lo <= hi ? Day(index: lo)...Day(index: hi) : nil
    }

    /// Adds `other` into this cube, translating its table indices.
    public mutating func merge(_ other: CostCube) {
        // Into an empty cube the other comes whole: its tables already start with the null entry,
        // so translating would map every index to itself.
        if isEmpty { self = other; return }
        // By key lane (= dimension), the other's index → this cube's index.
        var maps: [[Int32]] = Array(repeating: [], count: Dimension.allCases.count)
        for d in Dimension.allCases where d != .tagProfile {
            var index = Dictionary(uniqueKeysWithValues: tables[d.rawValue].enumerated().map { ($1, Int32($0)) })
            var map: [Int32] = []
            for s in other.tables[d.rawValue] {
                if let i = index[s] { map.append(i) } else {
                    let i = Int32(tables[d.rawValue].count)
                    tables[d.rawValue].append(s); index[s] = i; map.append(i)
                }
            }
            maps[d.rawValue] = map
        }
        var profileIndex = Dictionary(uniqueKeysWithValues: tagProfiles.enumerated().map { ($1, Int32($0)) })
        for p in other.tagProfiles {
            if let i = profileIndex[p] { maps[Dimension.tagProfile.rawValue].append(i) } else {
                let i = Int32(tagProfiles.count)
                tagProfiles.append(p); profileIndex[p] = i; maps[Dimension.tagProfile.rawValue].append(i)
            }
        }
        // Only the lanes whose map is not the identity change (two halves of one export share
        // most of their small tables in the same order).
        let changing = maps.indices.filter { lane in !maps[lane].indices.allSatisfy { maps[lane][$0] == Int32($0) } }.map { ($0, maps[$0]) }
        func translate(_ k: CubeKey) -> CubeKey {
            var n = k
            for (lane, map) in changing { n.storage[lane] = map[Int(k.storage[lane])] }
            return n
        }
        daily.reserveCapacity(daily.count + other.daily.count)
        for (k, m) in other.daily { daily.add(translate(k), m) }
        for (k, m) in other.untaggedResources { untaggedResources.add(translate(k), m) }
        for (id, name) in other.accountNames where accountNames[id] == nil { accountNames[id] = name }
    }
}
