/// Exact sums of measures by key: a `DenseKeyIndex` gives each distinct key an id, and the sums
/// are an array by id, so adding costs one fold and about one probe, with no `Hasher` and no
/// dictionary update per item. The ingest sums line items by cube cell with it
/// (`CellAccumulator`), the analyses facts by group (`GroupSums`).
///
/// Invariant: `keys[i]` and `sums[i]` are the i-th distinct key (in order of first sight) and the
/// exact sum of everything added under it; no key appears twice.
struct MeasureSums<Key: DenseKey> {
    private var index: DenseKeyIndex<Key>
    private(set) var sums: [CostMeasures] = []
    var keys: [Key] { index.keys }

    init(initialSlots: Int) { index = DenseKeyIndex(initialSlots: initialSlots) }

    @inline(__always)
    mutating func add(_ key: Key, _ m: CostMeasures) {
        let i = Int(index.id(of: key))
        if i == sums.count { sums.append(m) } else { sums[i] += m }
    }
}

extension MeasureSums {
    /// Makes room for `count` distinct keys in all.
    mutating func reserveCapacity(_ count: Int) {
        index.reserveCapacity(count)
        sums.reserveCapacity(count)
    }

    /// The sums of `key`, or nil when nothing was added under it.
    @inline(__always)
    func sum(of key: Key) -> CostMeasures? { index.existingId(of: key).map { sums[Int($0)] } }
}

extension MeasureSums: Sendable where Key: Sendable {}
