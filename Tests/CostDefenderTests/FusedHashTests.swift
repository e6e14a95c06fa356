import Foundation
import Testing
@testable import CostDefender

/// The content hash made while a FOCUS file is parsed (`ContentHash.Collector`,
/// `HashingByteSource`) is exactly the one `ContentHash.of(path:)` makes in a pass of its own.
@Suite struct FusedHashTests {
    static let block = ContentHash.block

    static func randomBytes(_ n: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(state: seed)
        return (0..<n).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    /// Block edges: empty, inside the first step, one block less or more a byte, several blocks
    /// (four or more are read on two threads).
    @Test func theBlockTreeIsTheSameFromMemoryAndFromAFile() throws {
        let bytes = Self.randomBytes(5 * Self.block + 77, seed: 3)
        let dir = TestFiles.tempDir()
        var seen: Set<UInt64> = []
        for n in [0, 1, 31, 32, 33, Self.block - 1, Self.block, Self.block + 1, 3 * Self.block + 17, 4 * Self.block, bytes.count] {
            let path = dir + "/\(n).bin"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes[0..<n]))
            let inMemory = bytes[0..<n].withUnsafeBytes { ContentHash.of($0) }
            #expect(try ContentHash.of(path: path) == inMemory, "\(n) bytes")
            seen.insert(inMemory)
        }
        #expect(seen.count == 11)
        // Blocks are folded in order: swapping two whole blocks changes the hash.
        var swapped = Array(bytes[0..<(2 * Self.block)])
        swapped = Array(swapped[Self.block...] + swapped[..<Self.block])
        #expect(swapped.withUnsafeBytes { ContentHash.of($0) } != bytes[0..<(2 * Self.block)].withUnsafeBytes { ContentHash.of($0) })
    }

    /// Readers starting anywhere, reading pieces of any size (some spanning a block edge), on
    /// overlapping ranges: the collector ends with the file's hash, and only the blocks read whole
    /// were hashed in stream.
    @Test func theHashingSourceGivesTheFileHashWhateverTheReads() throws {
        let n = 3 * Self.block + 1000
        let dir = TestFiles.tempDir()
        let path = dir + "/f.bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(Self.randomBytes(n, seed: 5)))
        let expected = try ContentHash.of(path: path)
        var random = SplitMix64(state: 11)
        /// Reads [from, to) (or to the end of the file) through a hashing source.
        func read(_ collector: ContentHash.Collector, from: Int, to: Int?) throws {
            let source = collector.wrap(try FileByteSource(path: path, offset: from), at: from)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 5 << 20, alignment: 16)
            defer { buffer.deallocate() }
            var at = from
            while true {
                let piece = random.next() % 4 == 0 ? buffer.count : Int(random.next() % 100_000) + 1
                let want = to.map { min(piece, $0 - at) } ?? piece
                if want == 0 { return }
                let got = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
                if got == 0 { return }
                at += got
            }
        }
        let cases: [(ranges: [(Int, Int?)], whole: Int)] = [
            ([(0, nil)], 4),                                          // one reader, the whole file
            ([], 0),                                                  // nothing read in stream
            ([(200, 6 << 20), (6 << 20, nil)], 2),                    // a body after a header; the split mid-block
            ([(200, 9 << 20), (6 << 20, nil)], 3),                    // the first range reads past the next block's end
            ([(Self.block, 2 * Self.block), (2 * Self.block + 1, nil)], 2),  // ranges on and just after a block's edge
            ([(0, 2 * Self.block - 1)], 1),                           // a range ending a byte short of a block's end
            ([(0, 100), (100, nil)], 3),                              // a block read by two readers is read by neither whole
        ]
        for (ranges, whole) in cases {
            let collector = ContentHash.Collector(path: path, size: n)
            for (from, to) in ranges { try read(collector, from: from, to: to) }
            #expect(collector.blocksSeen == whole, "\(ranges)")
            #expect(try collector.finish() == expected, "\(ranges)")
        }
    }

    /// A FOCUS file of at least `bytes` bytes (exactly `bytes` when `exact`), with a quoted field
    /// of `multiline` line breaks in the middle row when given.
    static func focusFile(_ path: String, bytes: Int, exact: Bool = false, multiline: Int = 0) -> String {
        var text = TestFiles.focusHeader + "\n"
        var rows: [String] = []
        var size = text.utf8.count
        var i = 0
        while size < bytes - 400 {
            let row = TestFiles.focusRow(billed: "\(i % 1000).\(i % 97)", day: "2025-0\(1 + i % 9)-1\(i % 10)T00:00:00Z",
                                         account: "\(i % 13)", resource: "r-\(i % 5000)") + "\n"
            rows.append(row)
            size += row.utf8.count
            i += 1
        }
        if multiline > 0 {
            rows[rows.count / 2] = TestFiles.focusRow(billed: "1", resource: String(repeating: "line\n", count: multiline)) + "\n"
        }
        text += rows.joined()
        if exact {
            let last = TestFiles.focusRow(billed: "1", resource: "")
            let pad = bytes - text.utf8.count - last.utf8.count - 1
            precondition(pad >= 0)
            text += TestFiles.focusRow(billed: "1", resource: String(repeating: "p", count: pad)) + "\n"
        }
        return TestFiles.write(text, to: path)
    }

    /// Reads `path` with and without hashing: the same cube, and the hash `of(path:)` makes.
    @discardableResult
    static func checkFused(_ path: String, parallelThreshold: Int = 32 << 20) throws -> (blocksSeen: Int, blocks: Int) {
        var reader = FOCUSReader(relevantTagKeys: ["team"], teamTagKeys: ["team"])
        reader.parallelThreshold = parallelThreshold
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let collector = ContentHash.Collector(path: path, size: size)
        var fused = CostCube(), plain = CostCube(), d1 = Diagnostics(), d2 = Diagnostics()
        let a = try reader.read(file: path, into: &fused, diagnostics: &d1, hashing: collector)
        let b = try reader.read(file: path, into: &plain, diagnostics: &d2)
        #expect(a == b)
        #expect(fused.total == plain.total && fused.daily.count == plain.daily.count)
        #expect(d1.items == d2.items)
        let seen = collector.blocksSeen
        #expect(try collector.finish() == ContentHash.of(path: path), "\(path)")
        return (seen, ContentHash.blockCount(size))
    }

    @Test func aFOCUSFileReadInOneRangeIsHashedInStream() throws {
        let dir = TestFiles.tempDir()
        // Smaller than a block.
        #expect(try Self.checkFused(Self.focusFile(dir + "/small.csv", bytes: 100_000)) == (1, 1))
        // Exactly one block.
        let one = Self.focusFile(dir + "/one.csv", bytes: Self.block, exact: true)
        #expect(try FileManager.default.attributesOfItem(atPath: one)[.size] as? Int == Self.block)
        #expect(try Self.checkFused(one) == (1, 1))
        // Several blocks, the last partial, all read from the start by one reader.
        #expect(try Self.checkFused(Self.focusFile(dir + "/three.csv", bytes: 2 * Self.block + 300_000), parallelThreshold: Int.max) == (3, 3))
    }

    @Test func aFOCUSFileReadInTwoHalvesIsHashedInStream() throws {
        let dir = TestFiles.tempDir()
        let path = Self.focusFile(dir + "/two.csv", bytes: 3 * Self.block + 1_500_000)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        // The split point falls inside a block (the second half starts mid-block).
        let split = try #require(FOCUSReader.lineStart(after: size / 2, in: path, size: size))
        #expect(split % Self.block != 0)
        let (seen, blocks) = try Self.checkFused(path, parallelThreshold: 1 << 20)
        // The header's block and the split's block (unless the first half read on to its end) are
        // hashed afterwards; the second half reads the rest whole.
        #expect(blocks == 4 && seen >= 2 && seen <= 3)
    }

    /// The split falls inside a quoted field: the second half is thrown away and the first reads on
    /// from where it stopped, with a new source that starts mid-block.
    @Test func aSplitInsideAQuotedFieldStillGivesTheFileHash() throws {
        let dir = TestFiles.tempDir()
        let path = Self.focusFile(dir + "/quoted.csv", bytes: 2 * Self.block + 1_000_000, multiline: 200_000)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let text = try #require(FileManager.default.contents(atPath: path))
        let split = try #require(FOCUSReader.lineStart(after: size / 2, in: path, size: size))
        #expect(text[split - 6..<split] == Data("\nline\n".utf8.suffix(6)))
        try Self.checkFused(path, parallelThreshold: 1 << 20)
    }

    /// The hash of a `.csv.gz` is of its compressed bytes, which the reader does not see: all its
    /// blocks are hashed after the read.
    @Test func aGzipFileIsHashedAfterTheRead() throws {
        let dir = TestFiles.tempDir()
        let plain = Self.focusFile(dir + "/a.csv", bytes: 6 << 20)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -1 -c '\(plain)' > '\(dir)/b.csv.gz'"]
        try gzip.run(); gzip.waitUntilExit()
        let (seen, blocks) = try Self.checkFused(dir + "/b.csv.gz", parallelThreshold: 1 << 20)
        #expect(seen == 0 && blocks >= 1)
        let collector = ContentHash.Collector(path: dir + "/b.csv.gz", size: 0)
        let zipped = try ByteSources.open(dir + "/b.csv.gz"), unzipped = try ByteSources.open(plain)
        #expect(collector.wrap(zipped, at: 0) === zipped)
        #expect(collector.wrap(unzipped, at: 0) !== unzipped)
    }
}
