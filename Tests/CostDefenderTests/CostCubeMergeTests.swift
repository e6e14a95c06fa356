import Testing
@testable import CostDefender

/// `CostCube.merge` translates the other cube's table indices lane by lane: lanes whose tables
/// differ are rewritten, lanes whose tables agree are left as they are, and equal keys add up.
@Suite struct CostCubeMergeTests {
    static func cell(_ cube: inout CostCube, time: Int32, service: Int32, region: Int32, cents: Int) {
        var k = CubeKey(time: time)
        k[.service] = service
        k[.region] = region
        cube.daily.add(k, CubeCellsTests.measures(cents: cents))
    }

    @Test func theOtherCubesIndicesAreTranslatedWhereTheTablesDiffer() {
        var a = CostCube(), b = CostCube()
        a.tables[Dimension.service.rawValue] = ["", "EC2", "S3"]
        a.tables[Dimension.region.rawValue] = ["", "us-east-1"]
        Self.cell(&a, time: 1, service: 2, region: 1, cents: 100)       // S3, us-east-1
        b.tables[Dimension.service.rawValue] = ["", "S3", "Lambda"]     // S3 is 1 here, 2 in a
        b.tables[Dimension.region.rawValue] = ["", "us-east-1"]         // the same table
        Self.cell(&b, time: 1, service: 1, region: 1, cents: 5)         // adds to a's S3 cell
        Self.cell(&b, time: 2, service: 2, region: 1, cents: 7)         // Lambda: new, index 3
        Self.cell(&b, time: 2, service: 0, region: 0, cents: 9)         // nulls stay 0
        a.merge(b)
        #expect(a.tables[Dimension.service.rawValue] == ["", "EC2", "S3", "Lambda"])
        #expect(a.tables[Dimension.region.rawValue] == ["", "us-east-1"])
        func sum(_ time: Int32, _ service: Int32, _ region: Int32) -> Amount? {
            var k = CubeKey(time: time)
            k[.service] = service
            k[.region] = region
            return a.daily[k]?.billed
        }
        #expect(sum(1, 2, 1) == Amount(cents: 105))
        #expect(sum(2, 3, 1) == Amount(cents: 7))
        #expect(sum(2, 0, 0) == Amount(cents: 9))
        #expect(a.daily.count == 3)
    }
}
