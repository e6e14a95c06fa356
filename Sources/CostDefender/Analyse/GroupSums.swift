/// A fact's group as up to eight dense integers (a month ordinal, a team index, cube table
/// indices …; unused lanes 0): cheap to hash and compare, unlike the names they stand for.
public typealias GroupCode = SIMD8<Int32>

/// Facts summed by `GroupCode`; `FactQuery.sum(_:where:code:name:)` fills one and names each
/// group once at the end.
typealias GroupSums = MeasureSums<GroupCode>

extension MeasureSums where Key == GroupCode {
    init() { self.init(initialSlots: 64) }
}

extension SIMD8: DenseKey where Scalar == Int32 {
    @inline(__always)
    var words: SIMD4<UInt64> { unsafeBitCast(self, to: SIMD4<UInt64>.self) }
}
