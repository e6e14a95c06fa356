import CKernels
import Testing
@testable import CostDefender

/// The content hash's block function (`chk_add`): its AVX2 path and its portable path are the
/// same function, fed in any whole-stripe pieces, and it tells reordered or changed bytes apart.
@Suite struct BlockHasherTests {
    static func hash(_ bytes: [UInt8], pieces: [Int], baseline: Bool) -> UInt64 {
        var state = chk_state()
        chk_init(&state)
        bytes.withUnsafeBufferPointer { b in
            var at = 0
            for piece in pieces + [bytes.count] {
                let n = min(piece, bytes.count - at)
                if baseline { chk_add_baseline(&state, b.baseAddress! + at, n) } else { chk_add(&state, b.baseAddress! + at, n) }
                at += n
                if at == bytes.count { break }
            }
        }
        return chk_finish(&state)
    }

    @Test func vectorAndPortablePathsAgreeWhateverThePieces() {
        var random = SplitMix64(state: 7)
        for _ in 0..<300 {
            let n = Int(random.next() % 5000)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            // Whole stripes in every piece but the last; rounds of 16 stripes cross pieces.
            let pieces = (0..<Int(random.next() % 6)).map { _ in 64 * Int(random.next() % 40) }
            let reference = Self.hash(bytes, pieces: [], baseline: true)
            #expect(Self.hash(bytes, pieces: [], baseline: false) == reference, "\(n) bytes")
            #expect(Self.hash(bytes, pieces: pieces, baseline: false) == reference, "\(n) bytes in \(pieces)")
            #expect(Self.hash(bytes, pieces: pieces, baseline: true) == reference, "\(n) bytes in \(pieces)")
        }
    }

    @Test func reorderedStripesAndFlippedBitsChangeTheHash() {
        var random = SplitMix64(state: 11)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let reference = Self.hash(bytes, pieces: [], baseline: false)
        // Two stripes swapped, in one round and across rounds.
        for (a, b) in [(0, 1), (3, 9), (2, 20), (17, 63)] {
            var swapped = bytes
            for k in 0..<64 { swapped.swapAt(64 * a + k, 64 * b + k) }
            #expect(Self.hash(swapped, pieces: [], baseline: false) != reference, "stripes \(a) and \(b) swapped")
        }
        // Two words swapped inside a stripe.
        var words = bytes
        for k in 0..<8 { words.swapAt(8 + k, 16 + k) }
        #expect(Self.hash(words, pieces: [], baseline: false) != reference)
        // Any one bit, anywhere (stripes and tail).
        for position in stride(from: 0, to: 4096 + 40, by: 37) {
            var changed = bytes + Array(repeating: 0, count: 40)
            changed[position] ^= UInt8(1) << UInt8(position % 8)
            #expect(Self.hash(changed, pieces: [], baseline: false) != Self.hash(bytes + Array(repeating: 0, count: 40), pieces: [], baseline: false))
        }
        // The length counts: zeros appended to the tail or as a whole stripe.
        #expect(Self.hash(bytes + [0], pieces: [], baseline: false) != reference)
        #expect(Self.hash(bytes + Array(repeating: 0, count: 64), pieces: [], baseline: false) != reference)
    }
}
