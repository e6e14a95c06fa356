/// A key `MeasureSums` can sum by: a fixed bundle of small integers (cube table indices, a day, a
/// team number …) with a well-mixed 64-bit fold and a cheap equality.
protocol MeasureSumsKey {
    /// The key folded into one well-mixed word (a fixed function of the key).
    var folded: UInt64 { get }
    /// Equality, word by word (the SIMD types' own `==` compares lane by lane through memory).
    static func sameKey(_ a: Self, _ b: Self) -> Bool
}

/// Exact sums of measures by key: an open-addressing table that compares a stored 64-bit fold
/// before the key, so adding costs one fold and about one probe, with no `Hasher` and no
/// dictionary update per item. The ingest sums line items by cube cell with it
/// (`CellAccumulator`), the analyses facts by group (`GroupSums`).
///
/// Invariant: `keys[i]` and `sums[i]` are the i-th distinct key (in order of first sight) and the
/// exact sum of everything added under it; no key appears twice.
struct MeasureSums<Key: MeasureSumsKey> {
    private(set) var keys: [Key] = []
    private(set) var sums: [CostMeasures] = []
    private var hashes: [UInt64] = []
    /// Index into `keys`, or -1 for an empty slot; a power of two in size, at most half full.
    private var slots: [Int32]

    init(initialSlots: Int) {
        precondition(initialSlots > 0 && initialSlots & (initialSlots - 1) == 0, "slots must be a power of two")
        slots = [Int32](repeating: -1, count: initialSlots)
    }

    @inline(__always)
    mutating func add(_ key: Key, _ m: CostMeasures) {
        let h = key.folded
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let i = Int(slots[slot])
            if i < 0 { break }
            if hashes[i] == h && Key.sameKey(keys[i], key) { sums[i] += m; return }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(keys.count)
        keys.append(key)
        sums.append(m)
        hashes.append(h)
        if keys.count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }
}

/// Line items summed by cube cell on the ingest hot path, added into a cube's dictionary once
/// per cell at the end (`drain`).
typealias CellAccumulator = MeasureSums<CubeKey>

extension CubeKey: MeasureSumsKey {
    @inline(__always)
    static func sameKey(_ a: CubeKey, _ b: CubeKey) -> Bool { a == b }
}

extension MeasureSums where Key == CubeKey {
    init() { self.init(initialSlots: 1024) }

    /// Adds every cell into `cells` and empties the accumulator.
    mutating func drain(into cells: inout [CubeKey: CostMeasures]) {
        cells.reserveCapacity(cells.count + keys.count)
        for (k, m) in zip(keys, sums) { cells[k, default: CostMeasures()] += m }
        self = CellAccumulator()
    }
}
