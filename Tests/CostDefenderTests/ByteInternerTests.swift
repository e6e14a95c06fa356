import Testing
@testable import CostDefender

@Suite struct ByteInternerTests {
    /// `ShortBytes.equal` answers what comparing the arrays answers, at every length and for a difference
    /// at every position (its word loads overlap at the end, so each position is checked).
    @Test func shortBytesEqualAgreesWithArrayEquality() {
        var random = SplitMix64(state: 3)
        for n in 0...41 {
            let a = (0..<n).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            a.withUnsafeBytes { pa in
                #expect(ShortBytes.equal(pa.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, pa.baseAddress, n) || n == 0 && pa.baseAddress == nil)
            }
            for position in 0..<n {
                var b = a
                b[position] ^= 1 << UInt8(random.next() % 8)
                a.withUnsafeBytes { pa in
                    b.withUnsafeBytes { pb in
                        #expect(!ShortBytes.equal(pa.baseAddress!, pb.baseAddress, n), "length \(n), difference at \(position)")
                        #expect(ShortBytes.equal(pa.baseAddress!, pa.baseAddress, n))
                    }
                }
            }
        }
    }

    /// Interning by bytes gives one id per distinct value, whatever the order and repetition,
    /// and the last-value shortcut never returns a stale id.
    @Test func idsAreDenseAndStable() {
        var interner = ByteInterner()
        let values = ["Amazon EC2", "Amazon S3", "", "Amazon EC2", "Amazon EC2 ", "amazon ec2", "Amazon S3", "x", "x", ""]
        var seen: [String: Int32] = [:]
        for v in values {
            let id = Array(v.utf8).withUnsafeBytes { interner.id(of: $0) }
            if let earlier = seen[v] { #expect(id == earlier, "\(v)") } else { #expect(id == Int32(seen.count), "\(v)"); seen[v] = id }
            #expect(interner.strings[Int(id)] == v)
        }
        #expect(interner.count == 6)
        // An empty value first, then again: the shortcut compares with no stored bytes at all.
        var fresh = ByteInterner()
        let empty = [UInt8]().withUnsafeBytes { fresh.id(of: $0) }
        #expect([UInt8]().withUnsafeBytes { fresh.id(of: $0) } == empty)
        #expect(Array("a".utf8).withUnsafeBytes { fresh.id(of: $0) } != empty)
    }
}
