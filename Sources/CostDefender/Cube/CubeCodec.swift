/// A compact binary form of a `CostCube`, for the per-file cache. Little-endian; strings are
/// length-prefixed UTF-8; amounts are 16-byte two's complement.
enum CubeCodec {
    static let magic: [UInt8] = Array("CDCUBE1\n".utf8)

    static func encode(_ cube: CostCube) -> [UInt8] {
        var w = Writer()
        w.bytes(magic)
        w.int(cube.tables.count)
        for t in cube.tables { w.int(t.count); for s in t { w.string(s) } }
        w.int(cube.tagProfiles.count)
        for p in cube.tagProfiles {
            w.int(p.malformed ? 1 : 0)
            let keys = p.tags.keys.sorted()
            w.int(keys.count)
            for k in keys { w.string(k); w.string(p.tags[k]!) }
        }
        for cells in [cube.daily, cube.untaggedResources] {
            w.int(cells.count)
            w.out.reserveCapacity(w.out.count + cells.count * cellSize + 64)
            for (k, m) in cells { w.cell(k, m) }
        }
        let names = cube.accountNames.keys.sorted()
        w.int(names.count)
        for n in names { w.string(n); w.string(cube.accountNames[n]!) }
        return w.out
    }

    static func decode(_ bytes: [UInt8]) -> CostCube? {
        var r = Reader(bytes: bytes)
        guard r.bytes(magic.count) == magic else { return nil }
        var cube = CostCube()
        guard let tableCount = r.int(), tableCount == Dimension.allCases.count else { return nil }
        var tables: [[String]] = []
        for _ in 0..<tableCount {
            guard let n = r.count() else { return nil }
            var t: [String] = []
            for _ in 0..<n { guard let s = r.string() else { return nil }; t.append(s) }
            tables.append(t)
        }
        cube.tables = tables
        guard let profiles = r.count() else { return nil }
        var tagProfiles: [TagProfile] = []
        for _ in 0..<profiles {
            guard let malformed = r.int(), let n = r.count() else { return nil }
            var tags: [String: String] = [:]
            for _ in 0..<n { guard let k = r.string(), let v = r.string() else { return nil }; tags[k] = v }
            tagProfiles.append(TagProfile(tags: tags, malformed: malformed == 1))
        }
        cube.tagProfiles = tagProfiles
        for which in 0..<2 {
            guard let n = r.count() else { return nil }
            var cells = CubeCells()
            // No more cells than the bytes left can hold (a damaged count must not allocate).
            cells.reserveCapacity(min(n, (r.bytes.count - r.at) / cellSize))
            for _ in 0..<n {
                guard let k = r.key() else { return nil }
                var m = CostMeasures()
                guard let b = r.amount(), let e = r.amount(), let l = r.amount(), let c = r.amount(), let q1 = r.amount(), let q2 = r.amount(), let rows = r.int() else { return nil }
                m.billed = b; m.effective = e; m.list = l; m.contracted = c; m.consumedQuantity = q1; m.pricingQuantity = q2; m.rows = rows
                // A key twice is no cube this codec wrote: the entry is unusable.
                let before = cells.count
                cells.add(k, m)
                guard cells.count > before else { return nil }
            }
            if which == 0 { cube.daily = cells } else { cube.untaggedResources = cells }
        }
        guard let names = r.count() else { return nil }
        for _ in 0..<names { guard let k = r.string(), let v = r.string() else { return nil }; cube.accountNames[k] = v }
        return r.atEnd ? cube : nil
    }

    /// Bytes of one cell: 16 key lanes, 6 amounts, the row count.
    static let cellSize = 16 * 4 + 6 * 16 + 8

    struct Writer {
        var out: [UInt8] = []
        /// One cell as 16 Int32 lanes, the six amounts and the row count, little-endian; on a
        /// little-endian machine the lanes are the key's own bytes, copied in one step.
        mutating func cell(_ k: CubeKey, _ m: CostMeasures) {
            #if _endian(little)
            withUnsafeBytes(of: k.storage) { out.append(contentsOf: $0) }
            #else
            for i in 0..<16 { int32(k.storage[i]) }
            #endif
            amount(m.billed); amount(m.effective); amount(m.list); amount(m.contracted)
            amount(m.consumedQuantity); amount(m.pricingQuantity)
            int(m.rows)
        }
        mutating func bytes(_ b: [UInt8]) { out += b }
        mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { out += $0 } }
        mutating func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        mutating func amount(_ a: Amount) { withUnsafeBytes(of: a.units.littleEndian) { out += $0 } }
        mutating func string(_ s: String) { let u = Array(s.utf8); int(u.count); out += u }
    }

    struct Reader {
        let bytes: [UInt8]
        var at = 0
        var atEnd: Bool { at == bytes.count }
        mutating func bytes(_ n: Int) -> [UInt8]? {
            guard n >= 0, at + n <= bytes.count else { return nil }
            defer { at += n }
            return Array(bytes[at..<(at + n)])
        }
        mutating func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            let size = MemoryLayout<T>.size
            guard at + size <= bytes.count else { return nil }
            var v = T.zero
            withUnsafeMutableBytes(of: &v) { dst in bytes.withUnsafeBytes { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[at..<(at + size)])) } }
            at += size
            return T(littleEndian: v)
        }
        /// A cell's 16 Int32 lanes (see `Writer.cell`).
        mutating func key() -> CubeKey? {
            var k = CubeKey(time: 0)
            #if _endian(little)
            guard at + 64 <= bytes.count else { return nil }
            withUnsafeMutableBytes(of: &k.storage) { dst in bytes.withUnsafeBytes { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[at..<(at + 64)])) } }
            at += 64
            #else
            for i in 0..<16 { guard let v = int32() else { return nil }; k.storage[i] = v }
            #endif
            return k
        }
        mutating func int() -> Int? { load(Int64.self).map(Int.init) }
        /// A count of things that follow: never negative (a damaged one is refused).
        mutating func count() -> Int? { int().flatMap { $0 >= 0 ? $0 : nil } }
        mutating func int32() -> Int32? { load(Int32.self) }
        mutating func amount() -> Amount? { load(Int128.self).map { Amount(units: $0) } }
        mutating func string() -> String? {
            guard let n = int(), let b = bytes(n) else { return nil }
            return String(decoding: b, as: UTF8.self)
        }
    }
}
