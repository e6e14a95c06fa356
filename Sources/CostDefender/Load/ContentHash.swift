import Foundation

/// A 64-bit fingerprint of a file's bytes, for keying the cube cache: fast enough that a cold
/// build pays little for it (each half is hashed on its own thread; four independent lanes keep
/// the multiplier busy), and a fixed function of the bytes and their length, so it is the same on
/// every machine and run. Not cryptographic: it guards against changed files, not forged ones.
enum ContentHash {
    /// Bytes read per step: a multiple of 32, so every step but the last is whole lane steps.
    static let chunk = 4 << 20

    /// The fingerprint of the file at `path`: the same as `of(_:)` over its bytes, read in 4 MiB
    /// steps (two threads of them for a large file) so memory stays flat.
    static func of(path: String) throws -> UInt64 {
        let file = try FileByteSource(path: path)
        let n = file.size
        let split = splitPoint(n)
        guard split >= 16 << 20 else {
            return combine(try hash(file, 0..<split), try hash(file, split..<n), count: n)
        }
        // `pread` is positional, so the two threads share the descriptor safely.
        final class Shared: @unchecked Sendable {
            let file: FileByteSource
            var h: [UInt64] = [0, 0]
            var error: Error?
            init(_ file: FileByteSource) { self.file = file }
        }
        let shared = Shared(file)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            do { shared.h[i] = try hash(shared.file, i == 0 ? 0..<split : split..<n) } catch { shared.error = error }
        }
        if let e = shared.error { throw e }
        return combine(shared.h[0], shared.h[1], count: n)
    }

    /// The lanes of `range` of the file, read in `chunk` steps into one buffer.
    private static func hash(_ file: FileByteSource, _ range: Range<Int>) throws -> UInt64 {
        var lanes = Lanes()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 32)
        defer { buffer.deallocate() }
        var at = range.lowerBound
        while at < range.upperBound {
            let want = min(chunk, range.upperBound - at)
            var got = 0
            while got < want {
                let r = try file.pread(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got..<want]), at: at + got)
                if r <= 0 { throw CostDefenderError.io(path: file.path, message: "the file became shorter while it was read") }
                got += r
            }
            lanes.add(UnsafeRawBufferPointer(rebasing: buffer[0..<want]))
            at += want
        }
        return lanes.finish()
    }

    /// The fingerprint of `bytes` (in memory; the definition `of(path:)` follows).
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let split = splitPoint(bytes.count)
        var first = Lanes(), second = Lanes()
        first.add(UnsafeRawBufferPointer(rebasing: bytes[0..<split]))
        second.add(UnsafeRawBufferPointer(rebasing: bytes[split...]))
        return combine(first.finish(), second.finish(), count: bytes.count)
    }

    /// Where the halves meet: a multiple of 1 MiB (so of `chunk`'s 32), a function of the length.
    static func splitPoint(_ n: Int) -> Int { (n / 2) & ~((1 << 20) - 1) }

    static func combine(_ first: UInt64, _ second: UInt64, count: Int) -> UInt64 {
        mix(mix(first ^ UInt64(count)) &+ second)
    }

    @inline(__always)
    static func mix(_ v: UInt64) -> UInt64 {
        var x = v
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }

    /// Four interleaved multiply–rotate lanes over 32-byte steps, then the tail byte by byte.
    /// Every `add` but the last must be a whole number of steps.
    struct Lanes {
        private var a: UInt64 = 1, c: UInt64 = 2, d: UInt64 = 3, e: UInt64 = 4
        private var tail: UInt64 = 0x51_7CC1_B727_220A

        mutating func add(_ b: UnsafeRawBufferPointer) {
            let k: UInt64 = 0x9E37_79B9_7F4A_7C15
            var i = 0
            let n = b.count
            while i + 32 <= n {
                a = ((a ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k).rotated(29)
                c = ((c ^ b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* k).rotated(29)
                d = ((d ^ b.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* k).rotated(29)
                e = ((e ^ b.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* k).rotated(29)
                i += 32
            }
            while i < n { tail = (tail ^ UInt64(b[i])) &* 0x100_0000_01B3; i += 1 }
        }

        func finish() -> UInt64 { ContentHash.mix(ContentHash.mix(ContentHash.mix(ContentHash.mix(a) ^ c) ^ d) ^ e) ^ ContentHash.mix(tail) }
    }
}

private extension UInt64 {
    @inline(__always) func rotated(_ r: UInt64) -> UInt64 { (self << r) | (self >> (64 - r)) }
}
