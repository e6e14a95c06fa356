/// Maps byte strings to small dense ids without allocating a `String` per lookup.
///
/// Invariant: id `k` always names the same bytes; `strings[k]` is their text (invalid UTF-8
/// repaired). Ids are dense from 0 in first-seen order. An optional `canonical` function folds
/// spellings together (e.g. enum case drift): ids are then of canonical text.
public struct ByteInterner {
    private var slots: [Int32]          // open addressing: rawId or -1
    private var hashes: [UInt64]        // per raw entry
    private var rawBytes: [UInt8] = []
    private var rawOffsets: [Int] = [0]
    private var rawToId: [Int32] = []
    private var mask: Int
    /// How many distinct byte spellings were not valid UTF-8 (their text has U+FFFD in place of
    /// the bad bytes), so a reader can say where.
    public private(set) var repairedSpellings = 0
    /// Canonical text by id.
    public private(set) var strings: [String] = []
    private var idsByString: [String: Int32] = [:]
    private let canonical: (@Sendable (String) -> String)?

    public init(canonical: (@Sendable (String) -> String)? = nil) {
        self.canonical = canonical
        slots = [Int32](repeating: -1, count: 64)
        hashes = []
        mask = 63
    }

    /// Id of existing canonical text, or a new one.
    public mutating func id(of text: String) -> Int32 {
        let canonicalText = canonical?(text) ?? text
        if let id = idsByString[canonicalText] { return id }
        let id = Int32(strings.count)
        strings.append(canonicalText)
        idsByString[canonicalText] = id
        return id
    }

    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var i = 0
        let n = b.count
        while i + 8 <= n {
            let w = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(b[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h
    }

    /// The id of these bytes if they were interned before through `id(of: UnsafeRawBufferPointer)`
    /// (text interned with `id(of: String)` is not in the byte table); never inserts.
    @inline(__always)
    public func lookup(_ b: UnsafeRawBufferPointer) -> Int32? {
        if hashes.isEmpty { return nil }
        let h = Self.hash(b)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let raw = slots[slot]
            if raw < 0 { return nil }
            if hashes[Int(raw)] == h && equals(Int(raw), b) { return rawToId[Int(raw)] }
            slot = (slot + 1) & mask
        }
    }

    /// The raw spelling of the last `id(of:)` call (-1: none yet) and its id: billing exports
    /// repeat most columns from row to row (the same account, provider, category), and comparing
    /// with the last value in place costs a fraction of hashing and probing.
    private var lastRaw = -1
    private var lastId: Int32 = -1

    /// The id of these bytes, interning them when new.
    @inline(__always)
    public mutating func id(of b: UnsafeRawBufferPointer) -> Int32 {
        var repaired = false
        return id(of: b, repaired: &repaired)
    }

    /// The id of these bytes, interning them when new; `repaired` is set when they are a new
    /// spelling that is not valid UTF-8 (its text has U+FFFD), so a reader can say where.
    @inline(__always)
    public mutating func id(of b: UnsafeRawBufferPointer, repaired: inout Bool) -> Int32 {
        if lastRaw >= 0 {
            let start = rawOffsets[lastRaw]
            if rawOffsets[lastRaw + 1] - start == b.count
                && rawBytes.withUnsafeBytes({ all in all.baseAddress.map { ShortBytes.equal($0 + start, b.baseAddress, b.count) } ?? b.isEmpty }) {
                return lastId
            }
        }
        return intern(b, repaired: &repaired)
    }

    /// Hashes and probes; adds the bytes as a new raw spelling when they are not there yet.
    @inline(never)
    private mutating func intern(_ b: UnsafeRawBufferPointer, repaired: inout Bool) -> Int32 {
        let h = Self.hash(b)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let raw = slots[slot]
            if raw < 0 { break }
            if hashes[Int(raw)] == h && equals(Int(raw), b) {
                lastRaw = Int(raw)
                lastId = rawToId[Int(raw)]
                return lastId
            }
            slot = (slot + 1) & mask
        }
        // New raw spelling.
        let raw = Int32(hashes.count)
        hashes.append(h)
        rawBytes.append(contentsOf: b)
        rawOffsets.append(rawBytes.count)
        let text = String(decoding: b, as: UTF8.self)
        if !text.utf8.elementsEqual(b) { repairedSpellings += 1; repaired = true }
        rawToId.append(id(of: text))
        slots[slot] = raw
        if hashes.count * 2 > slots.count { grow() }
        lastRaw = Int(raw)
        lastId = rawToId[Int(raw)]
        return lastId
    }

    @inline(__always)
    private func equals(_ raw: Int, _ b: UnsafeRawBufferPointer) -> Bool {
        let start = rawOffsets[raw], end = rawOffsets[raw + 1]
        if end - start != b.count { return false }
        return rawBytes.withUnsafeBytes { all in
            b.count == 0 || memcmp(all.baseAddress! + start, b.baseAddress!, b.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for raw in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[raw]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(raw)
        }
    }

    public var count: Int { strings.count }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
