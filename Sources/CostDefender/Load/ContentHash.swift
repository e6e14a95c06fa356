import CKernels
import Foundation

/// A 64-bit fingerprint of a file's bytes, for keying the cube cache: fast enough that a cold
/// build pays little for it, and a fixed function of the bytes and their length, so it is the
/// same on every machine and run. Not cryptographic: it guards against changed files, not forged
/// ones.
///
/// The definition is a block tree: the file is cut into `block`-byte blocks at multiples of
/// `block` (the last may be shorter), each block is hashed with `BlockHasher` (64-byte stripes
/// multiplied into eight accumulators, with AVX2 when the CPU has it: a fraction of an instruction
/// per byte), and the block hashes are folded in order with the file's length.
/// So blocks can be hashed in any order, on any thread, by whoever reads them: `of(path:)` reads
/// them on two threads; a reader parsing the file can hash the blocks as they pass
/// (`HashingByteSource` into a `Collector`), so that a cold build reads the file once.
enum ContentHash {
    /// The block size: a multiple of `BlockHasher.stripe`, so every block but the last is whole stripes.
    static let block = 4 << 20

    /// The number of the definition, part of the cube cache's keys, so that a hash made by another
    /// definition is never compared with one made by this one. 1 hashed the file's two halves; 2 is
    /// the block tree with four multiply–rotate lanes per block; 3 the block tree with `BlockHasher`.
    static let scheme = 3

    static func blockCount(_ n: Int) -> Int { (n + block - 1) / block }

    /// The fingerprint of the file at `path`: the same as `of(_:)` over its bytes, read one block
    /// at a time (two threads of them for a large file) so memory stays flat.
    static func of(path: String) throws -> UInt64 {
        let file = try FileByteSource(path: path)
        let n = file.size
        return fold(try blockHashes(file, Array(0..<blockCount(n)), size: n), count: n)
    }

    /// The fingerprint of `bytes` (in memory; the definition `of(path:)` follows).
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let hashes = stride(from: 0, to: bytes.count, by: block).map { start in
            var lanes = BlockHasher()
            lanes.add(UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + block, bytes.count)]))
            return lanes.finish()
        }
        return fold(hashes, count: bytes.count)
    }

    /// The block hashes, in order, folded with the length: each step is a bijection of the
    /// accumulator and of the block's hash, so a change to any one block changes the result.
    static func fold(_ hashes: [UInt64], count: Int) -> UInt64 {
        var acc: UInt64 = 0x6A09_E667_F3BC_C908
        for h in hashes { acc = mix(acc ^ h) }
        return mix(acc ^ mix(UInt64(count)))
    }

    /// The hashes of the blocks numbered `blocks` of a file `n` bytes long, read with `pread`
    /// (positional, so two threads share the descriptor safely); on two threads, half the list
    /// each, when there are four blocks or more.
    static func blockHashes(_ file: FileByteSource, _ blocks: [Int], size n: Int) throws -> [UInt64] {
        guard blocks.count >= 4 else { return try hashBlocks(file, blocks[...], size: n) }
        final class Shared: @unchecked Sendable {
            let file: FileByteSource
            var parts: [[UInt64]] = [[], []]
            var error: Error?
            init(_ file: FileByteSource) { self.file = file }
        }
        let shared = Shared(file)
        let half = blocks.count / 2
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            do { shared.parts[i] = try hashBlocks(shared.file, i == 0 ? blocks[..<half] : blocks[half...], size: n) } catch { shared.error = error }
        }
        if let e = shared.error { throw e }
        return shared.parts[0] + shared.parts[1]
    }

    private static func hashBlocks(_ file: FileByteSource, _ blocks: ArraySlice<Int>, size n: Int) throws -> [UInt64] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 32)
        defer { buffer.deallocate() }
        return try blocks.map { b in
            let at = b * block
            let want = min(block, n - at)
            var got = 0
            while got < want {
                let r = try file.pread(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got..<want]), at: at + got)
                if r <= 0 { throw CostDefenderError.io(path: file.path, message: "the file became shorter while it was read") }
                got += r
            }
            var lanes = BlockHasher()
            lanes.add(UnsafeRawBufferPointer(rebasing: buffer[0..<want]))
            return lanes.finish()
        }
    }

    @inline(__always)
    static func mix(_ v: UInt64) -> UInt64 {
        var x = v
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }

    /// One block's hash (`chk_add` in CKernels). Every `add` but the last must be a whole
    /// number of stripes.
    struct BlockHasher {
        static let stripe = 64
        private var state = chk_state()

        init() { chk_init(&state) }

        mutating func add(_ b: UnsafeRawBufferPointer) {
            guard let base = b.baseAddress else { return }
            chk_add(&state, base.assumingMemoryBound(to: UInt8.self), b.count)
        }

        func finish() -> UInt64 {
            var s = state
            return chk_finish(&s)
        }
    }

    /// The block hashes of one file of `size` bytes, handed in by the sources that read it (from
    /// any thread; `HashingByteSource`), completed by `finish` for the blocks no source read whole.
    final class Collector: @unchecked Sendable {
        let path: String
        let size: Int
        private let lock = NSLock()
        private var hashes: [UInt64?]

        init(path: String, size: Int) {
            self.path = path
            self.size = size
            hashes = Array(repeating: nil, count: ContentHash.blockCount(size))
        }

        /// `source`, reading the plain file from byte `offset`, wrapped so that the blocks it reads
        /// whole are hashed; any other source (a gzip stream's bytes are not the file's) unchanged.
        func wrap(_ source: ByteSource, at offset: Int) -> ByteSource {
            guard source is FileByteSource else { return source }
            return HashingByteSource(source, from: offset, into: self)
        }

        func record(block: Int, hash: UInt64) {
            lock.lock(); hashes[block] = hash; lock.unlock()
        }

        /// The blocks read so far (for tests).
        var blocksSeen: Int { lock.lock(); defer { lock.unlock() }; return hashes.count { $0 != nil } }

        /// The file's hash: the blocks no source read whole (the one the body starts in, the one
        /// where two ranges meet, all of them for a gzip file) are read again with `pread`.
        func finish() throws -> UInt64 {
            lock.lock(); defer { lock.unlock() }
            let missing = hashes.indices.filter { hashes[$0] == nil }
            if !missing.isEmpty {
                let file = try FileByteSource(path: path)
                for (b, h) in zip(missing, try ContentHash.blockHashes(file, missing, size: size)) { hashes[b] = h }
            }
            return ContentHash.fold(hashes.map { $0! }, count: size)
        }
    }
}
