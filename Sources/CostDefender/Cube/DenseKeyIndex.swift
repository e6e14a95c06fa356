/// A key `DenseKeyIndex` (and `MeasureSums`) can index: a fixed bundle of small integers — cube
/// table indices, a day, a team number — seen as 64-bit words.
protocol DenseKey {
    associatedtype Words: SIMD where Words.Scalar == UInt64
    /// The key's bytes as words.
    var words: Words { get }
}

extension SIMD where Scalar == UInt64 {
    /// The words folded into one well-mixed word (a fixed function of them).
    @inline(__always)
    var folded: UInt64 {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in indices {
            x = (x ^ self[i]) &* 0xBF58_476D_1CE4_E5B9
            x ^= x >> 31
        }
        return x
    }

    /// Equality as one OR of word differences (the SIMD types' own `==` goes lane by lane
    /// through memory: ~290 instructions for a 64-byte key in callgrind, against ~20).
    @inline(__always)
    func sameWords(_ other: Self) -> Bool {
        let x = self ^ other
        var any: UInt64 = 0
        for i in indices { any |= x[i] }
        return any == 0
    }
}

/// Dense ids for distinct keys, given in order of first sight: an open-addressing table on the
/// keys' folds (no `Hasher`) that compares a stored fold before the key, so a lookup costs one
/// fold and about one probe. Per-key data then lives in plain arrays indexed by id.
///
/// Invariant: `keys[id]` is the key given `id`; no key appears twice.
struct DenseKeyIndex<Key: DenseKey> {
    private(set) var keys: [Key] = []
    private var hashes: [UInt64] = []
    /// Index into `keys`, or -1 for an empty slot; a power of two in size, at most half full.
    private var slots: [Int32]

    init(initialSlots: Int = 64) {
        precondition(initialSlots > 0 && initialSlots & (initialSlots - 1) == 0, "slots must be a power of two")
        slots = [Int32](repeating: -1, count: initialSlots)
    }

    var count: Int { keys.count }

    /// The id of `key`, adding it with the next id (`count`) when it is new.
    @inline(__always)
    mutating func id(of key: Key) -> Int32 {
        let h = key.words.folded
        let (slot, found) = probe(key, h)
        if let found { return found }
        let id = Int32(keys.count)
        slots[slot] = id
        keys.append(key)
        hashes.append(h)
        if keys.count * 2 > slots.count { grow(to: slots.count * 2) }
        return id
    }

    /// Makes room for `count` keys in all, so adding up to that many grows nothing.
    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        hashes.reserveCapacity(count)
        if count * 2 > slots.count { grow(to: max(slots.count, 1 << (Int.bitWidth - (count * 2 - 1).leadingZeroBitCount))) }
    }

    /// The id of `key` if it has one; never adds.
    @inline(__always)
    func existingId(of key: Key) -> Int32? { probe(key, key.words.folded).id }

    /// Where `key` (whose fold is `h`) is: its id, or nil and the empty slot that would take it.
    @inline(__always)
    private func probe(_ key: Key, _ h: UInt64) -> (slot: Int, id: Int32?) {
        let words = key.words
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let i = slots[slot]
            if i < 0 { return (slot, nil) }
            if hashes[Int(i)] == h && keys[Int(i)].words.sameWords(words) { return (slot, i) }
            slot = (slot + 1) & mask
        }
    }

    /// Rebuilds the slots at `size` (a power of two, more than twice the keys).
    private mutating func grow(to size: Int) {
        slots = [Int32](repeating: -1, count: size)
        let mask = slots.count - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }
}

/// Dense ids for cube keys (the allocator's time-less keys).
typealias CubeKeyIndex = DenseKeyIndex<CubeKey>

extension CubeKey: DenseKey {
    @inline(__always)
    var words: SIMD8<UInt64> { unsafeBitCast(storage, to: SIMD8<UInt64>.self) }
}

extension DenseKeyIndex: Sendable where Key: Sendable {}
