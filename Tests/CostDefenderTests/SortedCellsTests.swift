import Testing
@testable import CostDefender

/// `SortedCells.order` sorts lane by lane, a narrow lane in one radix digit and a wide one in
/// several; whatever the lanes' ranges, the order must be the plain lexicographic one (time, then
/// the dimension lanes in key order, as signed integers).
@Suite struct SortedCellsTests {
    static func reference(_ keys: [CubeKey]) -> [Int] {
        keys.indices.sorted { a, b in
            for lane in SortedCells.laneOrder where keys[a].storage[lane] != keys[b].storage[lane] {
                return keys[a].storage[lane] < keys[b].storage[lane]
            }
            return false
        }
    }

    static func keys(count: Int, range: Int32, lanes: Int, seed: UInt64) -> [CubeKey] {
        var random = SplitMix64(state: seed)
        var seen = Set<CubeKey>()
        while seen.count < count {
            var k = CubeKey(time: 20_000 + Int32(random.next() % UInt64(range)))
            for lane in 0..<lanes { k.storage[lane] = Int32(random.next() % UInt64(range)) }
            seen.insert(k)
        }
        return Array(seen)
    }

    @Test func packedOrderIsLexicographic() {
        // Small ranges on a few lanes: every lane fits in the 128-bit word.
        let keys = Self.keys(count: 3_000, range: 40, lanes: 6, seed: 1)
        #expect(SortedCells.order(keys) == Self.reference(keys))
    }

    @Test func lanesThatDoNotFitAreComparedOneByOne() {
        // Wide ranges on all fifteen lanes: far more than 128 bits, so most lanes are compared
        // in the tail; few distinct values per lane make ties in the packed part common.
        let wide = Self.keys(count: 3_000, range: 1 << 30, lanes: 15, seed: 2)
        #expect(SortedCells.order(wide) == Self.reference(wide))
        var random = SplitMix64(state: 3)
        let tied = (0..<2_000).map { _ -> CubeKey in
            var k = CubeKey(time: Int32(random.next() % 3))
            for lane in 0..<15 { k.storage[lane] = lane < 4 ? Int32(random.next() % 2) : Int32(truncatingIfNeeded: random.next() % 3) << 28 }
            return k
        }
        let distinct = Array(Set(tied))
        #expect(SortedCells.order(distinct) == Self.reference(distinct))
    }

    @Test func negativeLanesAndTinyInputs() {
        #expect(SortedCells.order([]) == [])
        let one = [CubeKey(time: 5)]
        #expect(SortedCells.order(one) == [0])
        var a = CubeKey(time: 1), b = CubeKey(time: 1)
        a.storage[3] = -7; b.storage[3] = 2
        #expect(SortedCells.order([b, a]) == [1, 0])
    }
}
