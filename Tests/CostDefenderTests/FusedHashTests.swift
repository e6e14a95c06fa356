import Foundation
import Testing
@testable import CostDefender

/// The content hash made from the blocks readers see (`ContentHash.Collector`,
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
}
