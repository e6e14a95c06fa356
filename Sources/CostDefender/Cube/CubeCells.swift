/// The cells of a cube: each distinct `CubeKey` once, with the exact sum of the measures added
/// under it, in order of first addition (so iterating is deterministic). Adding or looking up a
/// key costs one fold and about one probe (`MeasureSums`), and a whole table of cells moves or
/// merges without rehashing through `Hasher`: the ingest sums line items into one directly, and
/// two halves of a file merge by adding one into the other.
///
/// Invariant: `keys[i]` and `values[i]` belong together; no key appears twice.
public struct CubeCells: Sendable, Sequence, Equatable {
    private var sums: MeasureSums<CubeKey>

    public init() { sums = MeasureSums(initialSlots: 1024) }

    public var count: Int { sums.keys.count }
    public var isEmpty: Bool { sums.keys.isEmpty }
    /// The keys in order of first addition.
    public var keys: [CubeKey] { sums.keys }
    /// The measures, in the order of `keys`.
    public var values: [CostMeasures] { sums.sums }

    /// The measures of `key`, or nil when it has no cell.
    public subscript(key: CubeKey) -> CostMeasures? { sums.sum(of: key) }

    /// Adds `m` to the cell of `key`, making the cell when it is new.
    @inline(__always)
    public mutating func add(_ key: CubeKey, _ m: CostMeasures) { sums.add(key, m) }

    /// Makes room for `count` cells in all, so adding up to that many grows nothing.
    public mutating func reserveCapacity(_ count: Int) { sums.reserveCapacity(count) }

    /// Every cell of `other` added into these (equal keys sum).
    public mutating func add(_ other: CubeCells) {
        if isEmpty { self = other; return }
        reserveCapacity(count + other.count)
        for (k, m) in other { add(k, m) }
    }

    public func makeIterator() -> Zip2Sequence<[CubeKey], [CostMeasures]>.Iterator { zip(keys, values).makeIterator() }

    /// The same cells with the same measures, in any order.
    public static func == (a: CubeCells, b: CubeCells) -> Bool {
        a.count == b.count && a.allSatisfy { k, m in b[k] == m }
    }
}
