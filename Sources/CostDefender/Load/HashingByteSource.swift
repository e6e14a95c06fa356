/// A plain file read forward from byte `offset`, whose blocks (`ContentHash.block`) are hashed
/// as the bytes pass through, while they are still in the cache: each block read from its first
/// byte to its last (or to the end of the file) goes to the collector. Reads are not cut at block
/// boundaries; a read that spans one is hashed in two pieces. Bytes beyond the size the collector
/// was made with (a file that grew while it was read) are not hashed.
final class HashingByteSource: ByteSource {
    private let source: ByteSource
    private let collector: ContentHash.Collector
    private var position: Int
    /// Whether the current block has been seen from its first byte.
    private var whole: Bool
    private var lanes = ContentHash.BlockHasher()
    /// Bytes of the current block not yet hashed: less than one stripe.
    private let pending = UnsafeMutableRawBufferPointer.allocate(byteCount: ContentHash.BlockHasher.stripe, alignment: 8)
    private var pendingCount = 0

    init(_ source: ByteSource, from offset: Int, into collector: ContentHash.Collector) {
        self.source = source
        self.collector = collector
        position = offset
        whole = offset % ContentHash.block == 0
    }

    deinit { pending.deallocate() }

    var bytesConsumed: Int { source.bytesConsumed }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try source.read(into: buffer)
        hash(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        return n
    }

    private func hash(_ bytes: UnsafeRawBufferPointer) {
        let size = collector.size
        var p = 0
        while p < bytes.count && position < size {
            let end = min((position / ContentHash.block + 1) * ContentHash.block, size)
            let take = min(bytes.count - p, end - position)
            if whole { add(UnsafeRawBufferPointer(rebasing: bytes[p..<p + take])) }
            p += take
            position += take
            if position == end {
                if whole {
                    lanes.add(UnsafeRawBufferPointer(rebasing: pending[0..<pendingCount]))
                    collector.record(block: (end - 1) / ContentHash.block, hash: lanes.finish())
                }
                lanes = ContentHash.BlockHasher()
                pendingCount = 0
                whole = true
            }
        }
    }

    /// Whole stripes go to the hasher; a shorter rest waits in `pending`.
    private func add(_ bytes: UnsafeRawBufferPointer) {
        var b = bytes
        let stripe = ContentHash.BlockHasher.stripe
        if pendingCount > 0 {
            let t = min(stripe - pendingCount, b.count)
            (pending.baseAddress! + pendingCount).copyMemory(from: b.baseAddress!, byteCount: t)
            pendingCount += t
            b = UnsafeRawBufferPointer(rebasing: b[t...])
            if pendingCount < stripe { return }
            lanes.add(UnsafeRawBufferPointer(pending))
            pendingCount = 0
        }
        let steps = b.count - b.count % stripe
        lanes.add(UnsafeRawBufferPointer(rebasing: b[0..<steps]))
        if steps < b.count {
            pending.baseAddress!.copyMemory(from: b.baseAddress! + steps, byteCount: b.count - steps)
            pendingCount = b.count - steps
        }
    }
}
