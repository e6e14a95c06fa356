import Testing
@testable import CostDefender

@Suite struct MaturityScorecardTests {
    let f = Formatter(currency: "USD")

    func stage(_ configure: (inout MaturityScorecard.Inputs) -> Void, question: Int) -> MaturityScorecard.Stage {
        var i = MaturityScorecard.Inputs()
        configure(&i)
        return MaturityScorecard(i, formatter: f).answers[question].stage
    }

    @Test func allocationBandsAtTheirEdges() {
        #expect(stage({ $0.allocationCoverage = 0.6999; $0.sharedCostsAllocated = true }, question: 0) == .crawl)
        #expect(stage({ $0.allocationCoverage = 0.70; $0.sharedCostsAllocated = true }, question: 0) == .walk)
        #expect(stage({ $0.allocationCoverage = 0.90; $0.sharedCostsAllocated = true }, question: 0) == .walk)
        #expect(stage({ $0.allocationCoverage = 0.9001; $0.sharedCostsAllocated = true }, question: 0) == .run)
        // Above 90 % without shared costs allocated is not Run (the seed).
        #expect(stage({ $0.allocationCoverage = 0.95; $0.sharedCostsAllocated = false }, question: 0) == .walk)
    }

    @Test func implementationVarianceForecastAndCommitmentBands() {
        #expect(stage({ $0.implementationRate = 0.2999 }, question: 2) == .crawl)
        #expect(stage({ $0.implementationRate = 0.30 }, question: 2) == .walk)
        #expect(stage({ $0.implementationRate = 0.71; $0.verifiedShareOfMeasured = 0.5 }, question: 2) == .run)
        #expect(stage({ $0.implementationRate = 0.71; $0.verifiedShareOfMeasured = 0 }, question: 2) == .walk)   // no verification
        #expect(stage({ $0.unexplainedShare = 0.05 }, question: 3) == .run)
        #expect(stage({ $0.unexplainedShare = 0.0501 }, question: 3) == .walk)
        #expect(stage({ $0.unexplainedShare = 0.2001 }, question: 3) == .crawl)
        #expect(stage({ $0.unexplainedShare = nil }, question: 3) == .crawl)
        #expect(stage({ $0.unitMetrics = 0 }, question: 4) == .crawl)
        #expect(stage({ $0.unitMetrics = 2; $0.unitCostQuarters = 3 }, question: 4) == .walk)
        #expect(stage({ $0.unitMetrics = 2; $0.unitCostQuarters = 4 }, question: 4) == .run)
        #expect(stage({ $0.forecastVariance = 0.05 }, question: 5) == .run)
        #expect(stage({ $0.forecastVariance = 0.10 }, question: 5) == .walk)
        #expect(stage({ $0.forecastVariance = 0.1001 }, question: 5) == .crawl)
        #expect(stage({ $0.commitmentCoverage = 0.3999 }, question: 6) == .crawl)
        #expect(stage({ $0.commitmentCoverage = 0.7001 }, question: 6) == .run)
    }

    @Test func anomaliesNeedOwnersAndSpeed() {
        #expect(stage({ $0.anomalyCount = 3; $0.anomalyOwnerShare = 0.95; $0.anomalyMedianDelayDays = 1 }, question: 1) == .run)
        #expect(stage({ $0.anomalyCount = 3; $0.anomalyOwnerShare = 0.95; $0.anomalyMedianDelayDays = 20 }, question: 1) == .crawl)
        #expect(stage({ $0.anomalyCount = 3; $0.anomalyOwnerShare = 0.75; $0.anomalyMedianDelayDays = 5 }, question: 1) == .walk)
    }

    @Test func theStageReachedIsTheLowestOfTheFiveQuestionsAndOverridesApply() {
        var i = MaturityScorecard.Inputs()
        i.allocationCoverage = 0.95; i.sharedCostsAllocated = true
        i.anomalyCount = 0; i.anomalyOwnerShare = 1
        i.implementationRate = 0.8; i.verifiedShareOfMeasured = 0.6
        i.unexplainedShare = 0.01
        i.unitMetrics = 1; i.unitCostQuarters = 2
        let card = MaturityScorecard(i, formatter: f)
        #expect(card.stage == .walk)
        #expect(card.nextStep.hasPrefix("Fix the implementation rate"))
        var t = MaturityScorecard.Thresholds()
        t.allocationRun = 0.97
        #expect(MaturityScorecard(i, thresholds: t, formatter: f).answers[0].stage == .walk)
    }
}
