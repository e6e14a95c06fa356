import Testing
@testable import CostDefender

/// `ChargeKinds` judges each charge column once per table value; for every combination of values
/// it must give what `ChargeKind.of` gives reading the strings, and `AnomalyExclusions` must leave
/// out exactly the one-time charges (and `Recurring` ones when asked).
@Suite struct ChargeKindsTests {
    static let cube: CostCube = {
        var cube = CostCube()
        cube.tables[Dimension.chargeClass.rawValue] = ["", "Correction", "correction"]
        cube.tables[Dimension.chargeCategory.rawValue] = ["", "Usage", "Purchase", "Credit", "Adjustment", "Tax"]
        cube.tables[Dimension.chargeFrequency.rawValue] = ["", "Usage-Based", "One-Time", "Recurring"]
        return cube
    }()

    static var keys: [CubeKey] {
        var out: [CubeKey] = []
        for c in cube.tables[Dimension.chargeClass.rawValue].indices {
            for g in cube.tables[Dimension.chargeCategory.rawValue].indices {
                for f in cube.tables[Dimension.chargeFrequency.rawValue].indices {
                    var k = CubeKey(time: 0)
                    k[.chargeClass] = Int32(c); k[.chargeCategory] = Int32(g); k[.chargeFrequency] = Int32(f)
                    out.append(k)
                }
            }
        }
        return out
    }

    @Test func tableAgreesWithReadingTheStrings() {
        let kinds = ChargeKinds(Self.cube)
        for k in Self.keys { #expect(kinds.of(k) == ChargeKind.of(k, in: Self.cube)) }
        var correctedUsage = CubeKey(time: 0)
        correctedUsage[.chargeClass] = 1; correctedUsage[.chargeCategory] = 1
        #expect(kinds.of(correctedUsage) == .oneTime(.corrections))
    }

    @Test func exclusionsAreOneTimeChargesAndOptionallyRecurringOnes() {
        for excludeRecurring in [false, true] {
            let excluded = AnomalyExclusions(Self.cube, excludeRecurring: excludeRecurring)
            for k in Self.keys {
                let recurring = excludeRecurring && Self.cube.value(.chargeFrequency, of: k) == "Recurring"
                #expect(excluded.isExcluded(k) == (ChargeKind.of(k, in: Self.cube).isOneTime || recurring))
            }
        }
    }
}
