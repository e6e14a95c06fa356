/// Dense ids for distinct cube keys, given in order of first sight: an open-addressing table
/// that hashes with `CubeKey.folded` (no `Hasher`) and compares a stored 64-bit hash before the
/// 64-byte key, so a lookup costs one fold and about one probe. For per-key tables that are
/// plain arrays indexed by id.
///
/// Invariant: `keys[id]` is the key given `id`; no key appears twice.
struct CubeKeyIndex {
    private(set) var keys: [CubeKey] = []
    private var hashes: [UInt64] = []
    /// Index into `keys`, or -1 for an empty slot; a power of two in size, at most half full.
    private var slots = [Int32](repeating: -1, count: 64)

    var count: Int { keys.count }

    /// The id of `key`, adding it with the next id (`count`) when it is new.
    @inline(__always)
    mutating func id(of key: CubeKey) -> Int32 {
        let h = key.folded
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let i = slots[slot]
            if i < 0 { break }
            if hashes[Int(i)] == h && keys[Int(i)] == key { return i }
            slot = (slot + 1) & mask
        }
        let id = Int32(keys.count)
        slots[slot] = id
        keys.append(key)
        hashes.append(h)
        if keys.count * 2 > slots.count { grow() }
        return id
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
