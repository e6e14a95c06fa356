/// A fact's group as up to eight dense integers (a month ordinal, a team index, cube table
/// indices …; unused lanes 0): cheap to hash and compare, unlike the names they stand for.
public typealias GroupCode = SIMD8<Int32>

/// Exact sums of measures by `GroupCode`: an open-addressing table on a fold of the code (no
/// `Hasher`), so adding a fact costs one fold and about one probe. `FactQuery.sum(_:where:code:name:)`
/// fills one and names each group once at the end.
///
/// Invariant: `codes[i]` and `sums[i]` are the i-th distinct code (in order of first sight) and the
/// exact sum of everything added under it; no code appears twice.
struct GroupSums {
    private(set) var codes: [GroupCode] = []
    private(set) var sums: [CostMeasures] = []
    private var hashes: [UInt64] = []
    /// Index into `codes`, or -1 for an empty slot; a power of two in size, at most half full.
    private var slots = [Int32](repeating: -1, count: 64)

    @inline(__always)
    static func hash(_ code: GroupCode) -> UInt64 {
        let words = unsafeBitCast(code, to: SIMD4<UInt64>.self)
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<4 {
            x = (x ^ words[i]) &* 0xBF58_476D_1CE4_E5B9
            x ^= x >> 31
        }
        return x
    }

    @inline(__always)
    mutating func add(_ code: GroupCode, _ m: CostMeasures) {
        let h = Self.hash(code)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let i = Int(slots[slot])
            if i < 0 { break }
            if hashes[i] == h && codes[i] == code { sums[i] += m; return }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(codes.count)
        codes.append(code)
        sums.append(m)
        hashes.append(h)
        if codes.count * 2 > slots.count { grow() }
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
