/// Sums measures by cube key on the ingest hot path: an open-addressing table that compares a
/// stored 64-bit hash before the 64-byte key, so a lookup costs about one probe. Its cells are
/// added into a cube's dictionary once, at the end (`drain`), so the dictionary sees one update
/// per cell instead of one per line item.
///
/// Invariant: `keys[i]` and `sums[i]` are the i-th distinct key and the exact sum of everything
/// added under it; no key appears twice.
struct CellAccumulator {
    private(set) var keys: [CubeKey] = []
    private(set) var sums: [CostMeasures] = []
    private var hashes: [UInt64] = []
    /// Index into `keys`, or -1 for an empty slot; a power of two in size, at most half full.
    private var slots = [Int32](repeating: -1, count: 1024)

    @inline(__always)
    mutating func add(_ key: CubeKey, _ m: CostMeasures) {
        let h = key.folded
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let i = Int(slots[slot])
            if i < 0 { break }
            if hashes[i] == h && keys[i] == key { sums[i] += m; return }
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

    /// Adds every cell into `cells` and empties the accumulator.
    mutating func drain(into cells: inout [CubeKey: CostMeasures]) {
        cells.reserveCapacity(cells.count + keys.count)
        for (k, m) in zip(keys, sums) { cells[k, default: CostMeasures()] += m }
        self = CellAccumulator()
    }
}
