/// A compact binary form of a `CostCube`, for the per-file cache. Little-endian; strings are
/// length-prefixed UTF-8; amounts are 16-byte two's complement.
enum CubeCodec {
    static let magic: [UInt8] = Array("CDCUBE1\n".utf8)

    /// The whole encoding in memory (for tests and small cubes; the cache streams it with
    /// `encode(_:to:)`).
    static func encode(_ cube: CostCube) -> [UInt8] {
        var all: [UInt8] = []
        encode(cube) { all.append(contentsOf: $0) }
        return all
    }

    /// Hands the encoding to `sink` in pieces of at most `Writer.chunkSize` bytes (a long string
    /// may come whole), in order: a cube of 100k cells is ~17 MB, which is never held at once.
    static func encode(_ cube: CostCube, to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var w = Writer()
        try w.bytes(magic, sink)
        try w.int(cube.tables.count, sink)
        for t in cube.tables { try w.int(t.count, sink); for s in t { try w.string(s, sink) } }
        try w.int(cube.tagProfiles.count, sink)
        for p in cube.tagProfiles {
            try w.int(p.malformed ? 1 : 0, sink)
            let keys = p.tags.keys.sorted()
            try w.int(keys.count, sink)
            for k in keys { try w.string(k, sink); try w.string(p.tags[k]!, sink) }
        }
        for cells in [cube.daily, cube.untaggedResources] {
            try w.int(cells.count, sink)
            try w.cells(cells, sink)
        }
        let names = cube.accountNames.keys.sorted()
        try w.int(names.count, sink)
        for n in names { try w.string(n, sink); try w.string(cube.accountNames[n]!, sink) }
        try w.flush(sink)
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

    /// A fixed buffer that is handed to the sink whenever the next value would not fit.
    /// Invariant: `buffer[0..<used]` holds the bytes written and not yet handed on.
    struct Writer {
        static let chunkSize = 1 << 20
        private var buffer = [UInt8](repeating: 0, count: chunkSize)
        private var used = 0

        mutating func flush(_ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            if used > 0 { try buffer.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<used])) } }
            used = 0
        }

        mutating func bytes(_ b: [UInt8], _ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            if used + b.count > Self.chunkSize { try flush(sink) }
            if b.count > Self.chunkSize { try b.withUnsafeBytes { try sink($0) }; return }
            buffer.withUnsafeMutableBytes { raw in b.withUnsafeBytes { raw.baseAddress!.advanced(by: used).copyMemory(from: $0.baseAddress!, byteCount: b.count) } }
            used += b.count
        }

        mutating func int(_ v: Int, _ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            if used + 8 > Self.chunkSize { try flush(sink) }
            let at = used
            buffer.withUnsafeMutableBytes { $0.storeBytes(of: Int64(v).littleEndian, toByteOffset: at, as: Int64.self) }
            used += 8
        }

        mutating func string(_ s: String, _ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            let u = Array(s.utf8)
            try int(u.count, sink)
            try bytes(u, sink)
        }

        /// Every cell, each as 16 Int32 lanes, the six amounts and the row count, little-endian
        /// (`cellSize` bytes), stored straight into the buffer.
        mutating func cells(_ cells: CubeCells, _ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            let keys = cells.keys, values = cells.values
            var next = 0
            while next < keys.count {
                if used + cellSize > Self.chunkSize { try flush(sink) }
                let batch = min(keys.count - next, (Self.chunkSize - used) / cellSize)
                var at = used
                buffer.withUnsafeMutableBytes { raw in
                    for i in next..<(next + batch) {
                        let k = keys[i], m = values[i]
                        for lane in 0..<16 { raw.storeBytes(of: k.storage[lane].littleEndian, toByteOffset: at + 4 * lane, as: Int32.self) }
                        raw.storeBytes(of: m.billed.units.littleEndian, toByteOffset: at + 64, as: Int128.self)
                        raw.storeBytes(of: m.effective.units.littleEndian, toByteOffset: at + 80, as: Int128.self)
                        raw.storeBytes(of: m.list.units.littleEndian, toByteOffset: at + 96, as: Int128.self)
                        raw.storeBytes(of: m.contracted.units.littleEndian, toByteOffset: at + 112, as: Int128.self)
                        raw.storeBytes(of: m.consumedQuantity.units.littleEndian, toByteOffset: at + 128, as: Int128.self)
                        raw.storeBytes(of: m.pricingQuantity.units.littleEndian, toByteOffset: at + 144, as: Int128.self)
                        raw.storeBytes(of: Int64(m.rows).littleEndian, toByteOffset: at + 160, as: Int64.self)
                        at += cellSize
                    }
                }
                used = at
                next += batch
            }
        }
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
