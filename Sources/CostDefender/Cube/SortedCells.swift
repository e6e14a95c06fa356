/// The cells of a cube's `daily` table in one deterministic order: by time, then by the dimension
/// slots in key order (`storage[0]`, `storage[1]` …), each compared as a signed integer. The
/// order depends only on the keys, never on the order cells were added, so everything built by walking it
/// (allocation's team and product ids, fact order) is reproducible.
///
/// A view, not a copy: the i-th cell is `cells.keys[order[i]]` (the cube's own arrays are
/// shared, not duplicated: 100k cells are ~17 MB of keys and measures).
///
/// Invariant: `order` is a permutation of the cells' indices under which the keys are strictly
/// increasing (keys are distinct).
struct SortedCells {
    private let keys: [CubeKey]
    private let measures: [CostMeasures]
    /// The cells' indices in sorted order.
    let order: [Int]

    init(_ cells: CubeCells) {
        keys = cells.keys
        measures = cells.values
        order = Self.order(keys)
    }

    var count: Int { order.count }
    /// The i-th cell's key in sorted order.
    func key(_ i: Int) -> CubeKey { keys[order[i]] }
    /// The i-th cell's measures in sorted order.
    func measures(_ i: Int) -> CostMeasures { measures[order[i]] }

    /// The lanes in comparison order: time first, then the dimensions.
    static let laneOrder = [15] + Array(0..<15)

    /// The permutation that sorts `keys`: a least-significant-digit radix sort. Each lane that
    /// decides (holds more than one value) becomes its offset from the lane's minimum, in just
    /// enough bits for its range (so signed values compare right); the lanes are packed whole, in
    /// `laneOrder`, most significant first, into 64-bit words, and the words are sorted from the
    /// last to the first in digits of at most 16 bits. Every pass is a stable counting sort, so
    /// the result is the lexicographic order of the words, which is that of the lanes. Linear in
    /// the keys for any ranges, with no comparison callbacks.
    static func order(_ keys: [CubeKey]) -> [Int] {
        guard let first = keys.first else { return [] }
        var lo = first.storage, hi = first.storage
        for k in keys { lo = pointwiseMin(lo, k.storage); hi = pointwiseMax(hi, k.storage) }
        // Words of (lane, width) in comparison order, and each word's width in bits.
        var words: [[(lane: Int, width: Int)]] = []
        var wordBits: [Int] = []
        for lane in laneOrder {
            let width = UInt32.bitWidth - UInt32(bitPattern: hi[lane] &- lo[lane]).leadingZeroBitCount
            if width == 0 { continue }   // one value: never decides
            if words.isEmpty || wordBits[wordBits.count - 1] + width > UInt64.bitWidth { words.append([]); wordBits.append(0) }
            words[words.count - 1].append((lane, width))
            wordBits[wordBits.count - 1] += width
        }
        let n = keys.count
        var order = [Int32](unsafeUninitializedCapacity: n) { b, count in
            for i in 0..<n { b[i] = Int32(i) }
            count = n
        }
        var sorted = order
        var column = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: (1 << 16) + 1)
        for w in words.indices.reversed() {
            column.withUnsafeMutableBufferPointer { column in
                for (i, k) in keys.enumerated() {
                    let offsets = SIMD16<UInt32>(truncatingIfNeeded: k.storage &- lo)
                    var word: UInt64 = 0
                    for (lane, width) in words[w] { word = word << UInt64(width) | UInt64(offsets[lane]) }
                    column[i] = word
                }
            }
            var shift = 0
            while shift < wordBits[w] {
                let bits = min(16, wordBits[w] - shift)
                let mask = (UInt64(1) << UInt64(bits)) - 1
                let digits = 1 << bits
                column.withUnsafeBufferPointer { column in
                    counts.withUnsafeMutableBufferPointer { counts in
                        order.withUnsafeBufferPointer { order in
                            sorted.withUnsafeMutableBufferPointer { sorted in
                                for d in 0...digits { counts[d] = 0 }
                                for i in order { counts[Int((column[Int(i)] >> UInt64(shift)) & mask) + 1] += 1 }
                                for d in 1...digits { counts[d] += counts[d - 1] }
                                for i in order {
                                    let d = Int((column[Int(i)] >> UInt64(shift)) & mask)
                                    sorted[counts[d]] = i
                                    counts[d] += 1
                                }
                            }
                        }
                    }
                }
                swap(&order, &sorted)
                shift += bits
            }
        }
        return order.map(Int.init)
    }
}
