import Foundation
import Testing
@testable import CostDefender

@Suite struct CubeCacheTests {
    @Test func theCodecRoundTripsTheRealSample() throws {
        let reader = FOCUSReader(relevantTagKeys: ["application", "business_unit"], teamTagKeys: ["business_unit"])
        var cube = CostCube(), d = Diagnostics()
        _ = try reader.read(file: TestFiles.committedAWSSample, into: &cube, diagnostics: &d)
        let back = try #require(CubeCodec.decode(CubeCodec.encode(cube)))
        #expect(back.tables == cube.tables)
        #expect(back.tagProfiles == cube.tagProfiles)
        #expect(back.daily == cube.daily)
        #expect(back.untaggedResources == cube.untaggedResources)
        #expect(back.accountNames == cube.accountNames)
        #expect(CubeCodec.decode(Array(CubeCodec.encode(cube).dropLast())) == nil)
    }

    /// A damaged count (negative, or more cells than the bytes hold) is refused, not trusted:
    /// decoding gives nil, a cache miss, instead of a crash or a huge allocation.
    @Test func theCodecRefusesDamagedCounts() {
        var cube = CostCube()
        var key = CubeKey(time: 3)
        key[.service] = 0
        var m = CostMeasures()
        m.rows = 1
        cube.daily.add(key, m)
        let bytes = CubeCodec.encode(cube)
        var header = cube
        header.daily = CubeCells()
        let countAt = CubeCodec.encode(header).count - 3 * 8   // the daily count
        #expect(CubeCodec.decode(bytes)?.daily == cube.daily)
        for damaged in [Int64(-1), Int64.min, Int64(2), Int64(1) << 40] {
            var b = bytes
            withUnsafeBytes(of: damaged.littleEndian) { b.replaceSubrange(countAt..<countAt + 8, with: $0) }
            #expect(CubeCodec.decode(b) == nil, "count \(damaged)")
        }
    }

    /// A cell's bytes are its 16 key lanes (Int32), then billed, effective, list, contracted,
    /// consumed and pricing quantity (Int128), then the row count (Int64), all little-endian:
    /// the layout entries already in caches were written with, checked byte by byte.
    @Test func aCellIsWrittenLanesThenAmountsThenRows() {
        var cube = CostCube()
        var key = CubeKey(time: 20_000)
        key[.service] = 7
        key[.region] = -2
        var m = CostMeasures()
        m.billed = Amount(units: 1); m.effective = Amount(units: -3); m.list = Amount(units: Int128(1) << 100)
        m.contracted = Amount(units: 5); m.consumedQuantity = Amount(units: 6); m.pricingQuantity = Amount(units: 7)
        m.rows = 9
        cube.daily.add(key, m)
        var header = cube
        header.daily = CubeCells()
        let first = CubeCodec.encode(header).count - 3 * 8 + 8
        var expected: [UInt8] = []
        for lane in 0..<16 { withUnsafeBytes(of: key.storage[lane].littleEndian) { expected += $0 } }
        for a in [m.billed, m.effective, m.list, m.contracted, m.consumedQuantity, m.pricingQuantity] {
            withUnsafeBytes(of: a.units.littleEndian) { expected += $0 }
        }
        withUnsafeBytes(of: Int64(9).littleEndian) { expected += $0 }
        #expect(expected.count == CubeCodec.cellSize)
        let bytes = CubeCodec.encode(cube)
        #expect(Array(bytes[first..<first + CubeCodec.cellSize]) == expected)
        #expect(CubeCodec.decode(bytes)?.daily == cube.daily)
    }

    /// The cache streams the encoding: pieces of at most one chunk (a longer string whole),
    /// across cell batches and a string longer than a chunk, that join into a cube equal to the
    /// one encoded.
    @Test func theEncodingStreamsInPiecesThatJoinIntoTheCube() throws {
        var cube = CostCube()
        let long = String(repeating: "x", count: CubeCodec.Writer.chunkSize + 5)
        cube.tables[Dimension.service.rawValue].append(long)
        for i in 0..<7_000 {
            var key = CubeKey(time: Int32(i))
            key[.service] = Int32(i % 2)
            var m = CostMeasures()
            m.billed = Amount(units: Int128(i) * 1_000_000_007)
            m.rows = i + 1
            cube.daily.add(key, m)
        }
        var pieces: [[UInt8]] = []
        CubeCodec.encode(cube) { pieces.append(Array($0)) }
        #expect(pieces.count >= 3)
        #expect(pieces.allSatisfy { $0.count <= CubeCodec.Writer.chunkSize || $0.count == long.utf8.count })
        let back = try #require(CubeCodec.decode(pieces.flatMap { $0 }))
        #expect(back.daily == cube.daily)
        #expect(back.tables == cube.tables)
    }

    /// A cache entry whose cube cannot be written whole (here its temporary file is a link to
    /// /dev/full, so writes fail part-way with "no space left") is not stored, and leaves no
    /// half-written file behind.
    @Test func aFailedStoreLeavesNoPartialFile() throws {
        let folder = TestFiles.tempDir() + "/cache"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cache = CubeCache(folder: folder, reader: FOCUSReader(relevantTagKeys: [], teamTagKeys: []))
        var cube = CostCube()
        for day in 0..<10_000 { cube.daily.add(CubeKey(time: Int32(day)), CubeCellsTests.measures(cents: day)) }
        let hash = "0123456789abcdef-42"
        let tmp = cache.stem(hash) + ".tmp-\(ProcessInfo.processInfo.processIdentifier).cube"
        try FileManager.default.createSymbolicLink(atPath: tmp, withDestinationPath: "/dev/full")
        let entry = CubeCache.Entry(summary: FOCUSFileSummary(path: "f.csv", bytes: 42, focusVersionHint: ""), diagnostics: [], suppressed: [:])
        cache.store(contentHash: hash, cube: cube, entry: entry)
        #expect(cache.load(contentHash: hash) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        // The same store without the obstacle succeeds.
        cache.store(contentHash: hash, cube: cube, entry: entry)
        let stored = cache.load(contentHash: hash)?.0.daily == cube.daily   // (a Bool: a failure prints no 10,000 cells)
        #expect(stored)
    }

    /// `FileStatus` (one `stat`) gives the size and modification time Foundation's attributes
    /// give, and nil for a path that does not exist.
    @Test func fileStatusAgreesWithFoundation() throws {
        let path = TestFiles.write(String(repeating: "x", count: 12_345), to: TestFiles.tempDir() + "/f.csv")
        let status = try #require(FileStatus(path: path))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(status.size == 12_345)
        #expect(status.size == (attributes[.size] as? Int))
        let modified = try #require(attributes[.modificationDate] as? Date)
        #expect(abs(status.modified - modified.timeIntervalSince1970) < 1e-5)
        #expect(FileStatus(path: path + ".missing") == nil)
        #expect(FileStatus.size(of: path + ".missing") == 0)
    }

    /// The cache key sees every byte: flipping one anywhere (the first block, either side of a
    /// block edge, a block the second thread reads, the 32-byte steps' tail) or changing the
    /// length changes it; the same bytes give the same key from memory and from a file.
    @Test func theContentHashSeesEveryByteAndOnlyTheBytes() throws {
        var random = SplitMix64(state: 9)
        var bytes = (0..<(40 << 20) + 13).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let edge = 5 * ContentHash.block   // where the second thread starts (11 blocks)
        let base = bytes.withUnsafeBytes { ContentHash.of($0) }
        let dir = TestFiles.tempDir()
        FileManager.default.createFile(atPath: dir + "/big.bin", contents: Data(bytes))
        #expect(try ContentHash.of(path: dir + "/big.bin") == base)
        var seen: Set<UInt64> = [base]
        for at in [0, 1, edge - 1, edge, edge + 1, bytes.count / 3, bytes.count - 14, bytes.count - 1] {
            bytes[at] ^= 0x01
            seen.insert(bytes.withUnsafeBytes { ContentHash.of($0) })
            bytes[at] ^= 0x01
        }
        #expect(seen.count == 9)
        #expect(bytes.withUnsafeBytes { ContentHash.of($0) } == base)
        #expect(bytes.dropLast().withUnsafeBytes { ContentHash.of($0) } != base)
        for small in [0, 1, 31, 32, 33, 1000] {
            let text = Array(repeating: UInt8(ascii: "a"), count: small)
            let other = text + [0]
            #expect(text.withUnsafeBytes { ContentHash.of($0) } != other.withUnsafeBytes { ContentHash.of($0) })
        }
    }

    @Test func aRebuildReusesUnchangedFilesAndNothingStale() throws {
        let dir = TestFiles.tempDir()
        let a = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "1", day: "2025-01-05T00:00:00Z"), TestFiles.focusRow(billed: "x")].joined(separator: "\n"), to: dir + "/focus/a.csv")
        TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "2", day: "2025-02-05T00:00:00Z")].joined(separator: "\n"), to: dir + "/focus/b.csv")
        var c = Configuration()
        c.inputs.focus = [dir + "/focus"]
        c.output = dir + "/Output"
        c.allocation.teamTags = ["team"]
        c.thresholds.maxRejectedRows = 1
        final class Log: @unchecked Sendable { var lines: [String] = [] }
        func build(_ c: Configuration) throws -> ([String], Pipeline.Analysis) {
            let log = Log()
            let analysis = try Pipeline(configuration: c, asOf: Day(iso: "2025-03-31"), progress: { log.lines.append($0) }).build()
            return (log.lines, analysis)
        }
        let (first, one) = try build(c)
        #expect(first.filter { $0.hasPrefix("[load") }.count == 2)
        let report = try String(contentsOfFile: c.output + "/FY2025-Q1/report.md", encoding: .utf8)
        let (second, two) = try build(c)
        #expect(second.filter { $0.hasPrefix("[cached") }.count == 2)
        #expect(two.reconciliation.rowsRejected == 1)   // the rejected row's diagnostics come back too
        #expect(two.diagnostics.items == one.diagnostics.items)
        #expect(two.diagnostics.suppressed == one.diagnostics.suppressed)
        #expect(try String(contentsOfFile: c.output + "/FY2025-Q1/report.md", encoding: .utf8) == report)
        #expect(two.reconciliation.inputBilled == one.reconciliation.inputBilled)
        // A changed file is read again; the other still comes from the cache.
        Thread.sleep(forTimeInterval: 0.01)
        TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "5", day: "2025-01-05T00:00:00Z")].joined(separator: "\n"), to: a)
        let (third, three) = try build(c)
        #expect(third.contains { $0.hasPrefix("[load") && $0.hasSuffix("a.csv") })
        #expect(third.contains { $0.hasPrefix("[cached") && $0.hasSuffix("b.csv") })
        #expect(three.reconciliation.inputBilled == Amount(whole: 7))
        // A different allocation config (team tag keys) never reuses those cubes.
        c.allocation.teamTags = ["owner"]
        let (fourth, _) = try build(c)
        #expect(fourth.filter { $0.hasPrefix("[load") }.count == 2)
        // A damaged cache entry is ignored.
        for f in try FileManager.default.contentsOfDirectory(atPath: c.cacheFolder) where f.hasSuffix(".cube") {
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: c.cacheFolder + "/" + f))
        }
        let (fifth, five) = try build(c)
        #expect(fifth.filter { $0.hasPrefix("[load") }.count == 2)
        #expect(five.reconciliation.inputBilled == Amount(whole: 7))
    }

    final class Log: @unchecked Sendable { var lines: [String] = [] }

    static func build(_ c: Configuration) throws -> (log: [String], analysis: Pipeline.Analysis) {
        let log = Log()
        let analysis = try Pipeline(configuration: c, asOf: Day(iso: "2025-03-31"), progress: { log.lines.append($0) }).build()
        return (log.lines, analysis)
    }

    /// Two FOCUS files of the same size, 12 rows each of one-digit costs (51 in `a`, 54 in `b`),
    /// and a config.
    static func twoFiles(_ dir: String) -> (a: String, b: String, config: Configuration) {
        func rows(_ shift: Int) -> String {
            ([TestFiles.focusHeader] + (0..<12).map { TestFiles.focusRow(billed: "\(1 + ($0 + shift) % 9)", day: "2025-0\(1 + $0 % 3)-05T00:00:00Z") })
                .joined(separator: "\n") + "\n"
        }
        let a = TestFiles.write(rows(0), to: dir + "/focus/a.csv"), b = TestFiles.write(rows(1), to: dir + "/focus/b.csv")
        var c = Configuration()
        c.inputs.focus = [dir + "/focus"]
        c.output = dir + "/Output"
        c.allocation.teamTags = ["team"]
        return (a, b, c)
    }

    static func size(_ path: String) throws -> Int { try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) }

    /// A cold build hashes each file while reading it (no entry has its size); the index and the
    /// entries it stores are keyed by the same hash a separate pass makes, so a warm build — from
    /// the index, or hashing first when the index is lost — hits.
    @Test func aColdBuildHashesWhileReadingAndAWarmBuildHits() throws {
        let dir = TestFiles.tempDir()
        let (a, b, c) = Self.twoFiles(dir)
        #expect(try Self.size(a) == Self.size(b))
        let (first, one) = try Self.build(c)
        #expect(first.filter { $0.hasPrefix("[load") }.count == 2)
        let reader = FOCUSReader(shape: CubeShape(configuration: c, business: one.business))
        let cache = CubeCache(folder: c.cacheFolder, reader: reader)
        var index = cache.loadIndex()
        for path in [a, b] {
            let key = CubeCache.key(try ContentHash.of(path: path), size: try Self.size(path))
            #expect(index[path]?.hash == key)
            #expect(index[path]?.scheme == ContentHash.scheme)
            #expect(cache.load(contentHash: key) != nil)
        }
        #expect(cache.entrySizes() == [try Self.size(a)])
        // From the index: nothing is hashed.
        let (second, two) = try Self.build(c)
        #expect(second.filter { $0.hasPrefix("[cached") }.count == 2)
        #expect(two.reconciliation.inputBilled == one.reconciliation.inputBilled)
        // Without the index, an entry of the same size exists: hashed first, and a hit.
        try FileManager.default.removeItem(atPath: cache.indexPath)
        var lost: [String: CubeCache.IndexEntry] = [:]
        if case .hashed(let key) = try cache.plan(a, index: &lost, entrySizes: cache.entrySizes()) {
            #expect(key == index[a]?.hash)
        } else {
            Issue.record("a file of a cached size is hashed before it is read")
        }
        let (third, three) = try Self.build(c)
        #expect(third.filter { $0.hasPrefix("[cached") }.count == 2)
        #expect(three.reconciliation.inputBilled == one.reconciliation.inputBilled)
    }

    /// A file rewritten with the same size is hashed before it is read (an entry of its size
    /// exists), misses, and is read again; so is one whose size no entry has, hashed while read.
    @Test func aChangedFileOfTheSameSizeIsReadAgain() throws {
        let dir = TestFiles.tempDir()
        let (a, b, c) = Self.twoFiles(dir)
        let (_, one) = try Self.build(c)
        #expect(one.reconciliation.inputBilled == Amount(whole: 51 + 54))
        Thread.sleep(forTimeInterval: 0.01)
        let before = try Self.size(a)
        TestFiles.write(try String(contentsOfFile: a, encoding: .utf8).replacingOccurrences(of: "\n9,9,9,9,", with: "\n8,8,8,8,"), to: a)
        #expect(try Self.size(a) == before)
        let (second, two) = try Self.build(c)
        #expect(second.contains { $0.hasPrefix("[load") && $0.hasSuffix("a.csv") })
        #expect(second.contains { $0.hasPrefix("[cached") && $0.hasSuffix("b.csv") })
        #expect(two.reconciliation.inputBilled == Amount(whole: 50 + 54))
        // Its new entry is a hit next time; the old one is still there (same size, other content).
        let (third, three) = try Self.build(c)
        #expect(third.filter { $0.hasPrefix("[cached") }.count == 2)
        #expect(three.reconciliation.inputBilled == two.reconciliation.inputBilled)
        #expect(try FileManager.default.contentsOfDirectory(atPath: c.cacheFolder).filter { $0.hasSuffix(".cube") }.count == 3)
        // A longer file: no entry has its size.
        Thread.sleep(forTimeInterval: 0.01)
        TestFiles.write(try String(contentsOfFile: b, encoding: .utf8) + TestFiles.focusRow(billed: "100", day: "2025-03-05T00:00:00Z") + "\n", to: b)
        let (fourth, four) = try Self.build(c)
        #expect(fourth.contains { $0.hasPrefix("[load") && $0.hasSuffix("b.csv") })
        #expect(four.reconciliation.inputBilled == Amount(whole: 50 + 54 + 100))
        #expect(CubeCache(folder: c.cacheFolder, reader: FOCUSReader(shape: CubeShape(configuration: c, business: four.business))).loadIndex()[b]?.hash
                == CubeCache.key(try ContentHash.of(path: b), size: try Self.size(b)))
    }

    /// Entries and index lines made under the previous hash definition (scheme 1: the fingerprint
    /// had no `h<scheme>` part, the index no `scheme`) are never used: an old index pointing the
    /// path at another file's entry is ignored, and old entries are not looked up.
    @Test func theCacheIsNotReusedAcrossTheHashDefinitionChange() throws {
        let dir = TestFiles.tempDir()
        let (a, b, c) = Self.twoFiles(dir)
        let (_, one) = try Self.build(c)
        let reader = FOCUSReader(shape: CubeShape(configuration: c, business: one.business))
        let cache = CubeCache(folder: c.cacheFolder, reader: reader)
        let index = cache.loadIndex()
        let (keyA, keyB) = (try #require(index[a]?.hash), try #require(index[b]?.hash))
        // An index as the previous version wrote it, with a.csv's line pointing at b.csv's cube.
        struct OldIndexEntry: Codable { var size: Int; var modified: Double; var hash: String }
        var old = index.mapValues { OldIndexEntry(size: $0.size, modified: $0.modified, hash: $0.hash) }
        old[a]?.hash = keyB
        try JSONEncoder().encode(old).write(to: URL(fileURLWithPath: cache.indexPath))
        #expect(cache.loadIndex().isEmpty)
        let (second, two) = try Self.build(c)
        #expect(second.filter { $0.hasPrefix("[cached") }.count == 2)   // hashed again, then found
        #expect(two.reconciliation.inputBilled == one.reconciliation.inputBilled)
        #expect(cache.loadIndex()[a]?.hash == keyA)
        // Entries under the previous fingerprint are not looked up.
        let parts = ["v\(Pipeline.version)", reader.relevantTagKeys.sorted().joined(separator: ","),
                     reader.teamTagKeys.sorted().joined(separator: ","), reader.trackedResources.sorted().joined(separator: ",")]
        let previous = CubeCache.hex(CubeCache.hash(Array(parts.joined(separator: "\u{1}").utf8)))
        #expect(previous != cache.fingerprint)
        for f in try FileManager.default.contentsOfDirectory(atPath: c.cacheFolder) where f.hasPrefix(cache.fingerprint) {
            try FileManager.default.moveItem(atPath: c.cacheFolder + "/" + f, toPath: c.cacheFolder + "/" + previous + f.dropFirst(cache.fingerprint.count))
        }
        try FileManager.default.removeItem(atPath: cache.indexPath)
        #expect(cache.entrySizes().isEmpty)
        let (third, three) = try Self.build(c)
        #expect(third.filter { $0.hasPrefix("[load") }.count == 2)
        #expect(three.reconciliation.inputBilled == one.reconciliation.inputBilled)
    }

    /// A file that changed while it was read (its modification time or size differs from the one
    /// its hash was planned with) gives no key, so its cube is not stored.
    @Test func aFileChangedWhileReadIsNotStored() throws {
        let dir = TestFiles.tempDir()
        let (a, _, c) = Self.twoFiles(dir)
        let cache = CubeCache(folder: c.cacheFolder, reader: FOCUSReader(relevantTagKeys: [], teamTagKeys: []))
        var index: [String: CubeCache.IndexEntry] = [:]
        let plan = try cache.plan(a, index: &index, entrySizes: [])
        guard case .whileReading(let collector, let modified) = plan else { Issue.record("no entry: hashed while read"); return }
        #expect(try cache.contentHash(after: .whileReading(collector, modified: modified - 1), a, index: &index) == nil)
        #expect(index.isEmpty)
        #expect(try cache.contentHash(after: plan, a, index: &index) == CubeCache.key(try ContentHash.of(path: a), size: try Self.size(a)))
        #expect(index[a] != nil)
    }
}
