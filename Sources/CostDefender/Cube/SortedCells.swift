/// The cells of a cube's `daily` table in one deterministic order: by time, then by the dimension
/// slots in key order (`storage[0]`, `storage[1]` …), each compared as a signed integer. The
/// order depends only on the keys, never on the order cells were added, so everything built by walking it
/// (allocation's team and product ids, fact order) is reproducible.
///
/// Invariant: `keys[i]` and `measures[i]` are the i-th cell in that order; `keys` is strictly
/// increasing (keys are distinct).
struct SortedCells {
    private(set) var keys: [CubeKey]
    private(set) var measures: [CostMeasures]

    init(_ cells: CubeCells) {
        let keys = cells.keys, measures = cells.values
        let order = Self.order(keys)
        self.keys = order.map { keys[$0] }
        self.measures = order.map { measures[$0] }
    }

    /// The lanes in comparison order: time first, then the dimensions.
    static let laneOrder = [15] + Array(0..<15)

    /// The permutation that sorts `keys`. Each key becomes one 128-bit word: its leading lanes
    /// (in `laneOrder`), each as its offset from the lane's minimum in just enough bits for the
    /// lane's range, most significant first, then the key's position in the low bits. Comparing
    /// words then compares those lanes in order, and words are distinct. When every lane fits,
    /// that is a plain integer sort; lanes that do not fit are compared one by one on equal
    /// leading lanes.
    static func order(_ keys: [CubeKey]) -> [Int] {
        guard let first = keys.first else { return [] }
        var lo = first.storage, hi = first.storage
        for k in keys { lo = pointwiseMin(lo, k.storage); hi = pointwiseMax(hi, k.storage) }
        let positionBits = Int.bitWidth - (keys.count - 1).leadingZeroBitCount
        var packed: [(lane: Int, width: Int)] = []
        var used = positionBits
        var tail: [Int] = []
        for lane in laneOrder {
            let width = UInt32.bitWidth - UInt32(bitPattern: hi[lane] &- lo[lane]).leadingZeroBitCount
            if width == 0 { continue }   // one value: never decides
            if tail.isEmpty && used + width <= UInt128.bitWidth { packed.append((lane, width)); used += width } else { tail.append(lane) }
        }
        // Shifts, most significant lane first.
        var shift = used
        let lanes = packed.map { p -> (lane: Int, shift: UInt128) in shift -= p.width; return (p.lane, UInt128(shift)) }
        var words = [UInt128](repeating: 0, count: keys.count)
        lanes.withUnsafeBufferPointer { lanes in
            for (i, k) in keys.enumerated() {
                let offsets = SIMD16<UInt32>(truncatingIfNeeded: k.storage &- lo)
                var w = UInt128(i)
                for (lane, shift) in lanes { w |= UInt128(offsets[lane]) << shift }
                words[i] = w
            }
        }
        let positionMask = (UInt128(1) << positionBits) - 1
        if tail.isEmpty {
            words.sort()
        } else {
            words.sort { a, b in
                if a >> positionBits != b >> positionBits { return a < b }
                let x = keys[Int(a & positionMask)], y = keys[Int(b & positionMask)]
                for lane in tail where x.storage[lane] != y.storage[lane] { return x.storage[lane] < y.storage[lane] }
                return false
            }
        }
        return words.map { Int($0 & positionMask) }
    }
}
