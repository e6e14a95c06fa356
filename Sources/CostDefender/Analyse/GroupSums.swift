/// A fact's group as up to eight dense integers (a month ordinal, a team index, cube table
/// indices …; unused lanes 0): cheap to hash and compare, unlike the names they stand for.
public typealias GroupCode = SIMD8<Int32>

/// Facts summed by `GroupCode`; `FactQuery.sum(_:where:code:name:)` fills one and names each
/// group once at the end.
typealias GroupSums = MeasureSums<GroupCode>

extension MeasureSums where Key == GroupCode {
    init() { self.init(initialSlots: 64) }
}

extension SIMD8: MeasureSumsKey where Scalar == Int32 {
    /// The 32 bytes folded into one well-mixed word.
    @inline(__always)
    var folded: UInt64 {
        let words = unsafeBitCast(self, to: SIMD4<UInt64>.self)
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<4 {
            x = (x ^ words[i]) &* 0xBF58_476D_1CE4_E5B9
            x ^= x >> 31
        }
        return x
    }

    @inline(__always)
    static func sameKey(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> Bool {
        let x = unsafeBitCast(a, to: SIMD4<UInt64>.self) ^ unsafeBitCast(b, to: SIMD4<UInt64>.self)
        return (x[0] | x[1] | x[2] | x[3]) == 0
    }
}
