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
        let (third, three) = try Self.build(c)
        #expect(third.filter { $0.hasPrefix("[load") }.count == 2)
        #expect(three.reconciliation.inputBilled == one.reconciliation.inputBilled)
    }

}
