import Foundation
import Testing
@testable import CostDefender

@Suite struct CubeCellsTests {
    static func key(_ time: Int32, _ service: Int32) -> CubeKey {
        var k = CubeKey(time: time)
        k[.service] = service
        return k
    }

    static func measures(cents: Int, rows: Int = 1) -> CostMeasures {
        var m = CostMeasures()
        m.billed = Amount(cents: cents)
        m.rows = rows
        return m
    }

    /// Equal keys sum exactly, new keys keep their order of first addition, and a lookup finds
    /// exactly the keys added (across the table's growth from 1,024 slots).
    @Test func addingSumsEqualKeysAndKeepsFirstSeenOrder() {
        var cells = CubeCells(), reserved = CubeCells()
        reserved.reserveCapacity(5_000)   // fewer than the keys to come: reserving, then growing
        var expected: [CubeKey: CostMeasures] = [:]
        var order: [CubeKey] = []
        var random = SplitMix64(state: 3)
        for _ in 0..<20_000 {
            let k = Self.key(Int32(random.next() % 400), Int32(random.next() % 30))
            let m = Self.measures(cents: Int(random.next() % 1_000_000))
            cells.add(k, m)
            reserved.add(k, m)
            if expected[k] == nil { order.append(k) }
            expected[k, default: CostMeasures()] += m
        }
        #expect(cells.count == expected.count)
        #expect(cells.keys == order)
        for (k, m) in cells { #expect(expected[k] == m) }
        #expect(reserved == cells && reserved.keys == cells.keys)
        #expect(cells[Self.key(401, 0)] == nil)
        #expect(cells[Self.key(-1, 31)] == nil)
    }

    /// Equality ignores order; merging one table into another sums shared keys; merging into an
    /// empty table takes the other whole.
    @Test func equalityIgnoresOrderAndMergingSums() {
        var a = CubeCells(), b = CubeCells()
        a.add(Self.key(1, 1), Self.measures(cents: 110)); a.add(Self.key(2, 1), Self.measures(cents: 220))
        b.add(Self.key(2, 1), Self.measures(cents: 220)); b.add(Self.key(1, 1), Self.measures(cents: 110))
        #expect(a == b)
        b.add(Self.key(1, 1), Self.measures(cents: 1))
        #expect(a != b)
        var merged = a
        merged.add(b)
        #expect(merged.count == 2)
        #expect(merged[Self.key(1, 1)] == Self.measures(cents: 221, rows: 3))
        var empty = CubeCells()
        empty.add(a)
        #expect(empty == a && empty.keys == a.keys)
    }

    /// A cache entry that names a cell twice is not a cube the codec wrote; it is refused (a
    /// cache miss), not summed.
    @Test func theCodecRefusesACellNamedTwice() throws {
        var cube = CostCube()
        cube.daily.add(Self.key(10, 0), Self.measures(cents: 500))
        cube.daily.add(Self.key(11, 0), Self.measures(cents: 600))
        var bytes = CubeCodec.encode(cube)
        #expect(CubeCodec.decode(bytes)?.daily == cube.daily)
        // The cells follow the header, which is what a cube without cells encodes to before its
        // three counts (daily, resource cells, account names); each cell is `CubeCodec.cellSize`
        // bytes. Make the second daily cell a copy of the first.
        var header = cube
        header.daily = CubeCells()
        let first = CubeCodec.encode(header).count - 3 * 8 + 8
        let cellSize = CubeCodec.cellSize
        bytes.replaceSubrange(first + cellSize..<first + 2 * cellSize, with: bytes[first..<first + cellSize])
        #expect(CubeCodec.decode(bytes) == nil)
        // The same copy with its time lane (the 16th) set to day 12 is a valid cube: the offsets
        // above are right, and only the repeated key was refused.
        bytes[first + cellSize + 15 * 4] = 12
        let fixed = try #require(CubeCodec.decode(bytes))
        #expect(Set(fixed.daily.keys.map(\.time)) == [10, 12])
        #expect(fixed.daily[Self.key(12, 0)] == Self.measures(cents: 500))
    }
}
