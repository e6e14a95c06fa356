/// The FinOps maturity stage measured from the data, not from a survey: the five questions of
/// the seed ("The practical maturity assessment") plus forecast accuracy and commitment
/// coverage, each answered with its figure, its stage, the evidence and the next step.
public struct MaturityScorecard: Sendable {
    public enum Stage: Int, Sendable, Comparable, CaseIterable {
        case crawl, walk, run
        public var name: String { ["Crawl", "Walk", "Run"][rawValue] }
        public static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
    }

    /// Band edges (shares 0–1). Defaults from PRODUCT.md and the seed; `maturity:` in the config
    /// overrides them.
    public struct Thresholds: Sendable, Equatable {
        public var allocationWalk = 0.70, allocationRun = 0.90
        public var anomalyOwnerWalk = 0.70, anomalyOwnerRun = 0.90
        public var anomalyDelayWalkDays = 7, anomalyDelayRunDays = 1
        public var implementationWalk = 0.30, implementationRun = 0.70
        public var unexplainedWalk = 0.20, unexplainedRun = 0.05
        public var forecastWalk = 0.10, forecastRun = 0.05
        public var commitmentWalk = 0.40, commitmentRun = 0.70
        public init() {}
    }

    /// What the analyses found, as plain figures (nil: not measurable from these inputs).
    public struct Inputs: Sendable {
        public var allocationCoverage: Double?
        public var sharedCostsAllocated = false
        public var anomalyCount = 0
        public var anomalyOwnerShare: Double?
        public var anomalyMedianDelayDays: Int?
        public var implementationRate: Double?
        public var implementedCount = 0
        public var verifiedShareOfMeasured: Double?
        public var unexplainedShare: Double?
        public var unitMetrics = 0
        public var unitCostQuarters = 0
        public var unitCostTrend: Double?
        public var forecastVariance: Double?
        public var forecastMonths = 0
        public var commitmentCoverage: Double?
        public init() {}
    }

    public struct Answer: Sendable {
        public var question: String
        public var figure: String
        public var stage: Stage
        public var evidence: String
        public var nextStep: String
    }

    public var answers: [Answer]
    /// The stage reached: the lowest stage among the seed's five questions.
    public var stage: Stage
    public var nextStep: String

    public init(_ i: Inputs, thresholds t: Thresholds = Thresholds(), formatter f: Formatter) {
        var a: [Answer] = []
        func band(_ v: Double?, walk: Double, run: Double, higherIsBetter: Bool = true) -> Stage {
            guard let v else { return .crawl }
            if higherIsBetter { return v > run ? .run : (v >= walk ? .walk : .crawl) }
            return v <= run ? .run : (v <= walk ? .walk : .crawl)
        }
        // 1. Allocation.
        var allocation = band(i.allocationCoverage, walk: t.allocationWalk, run: t.allocationRun)
        if allocation == .run && !i.sharedCostsAllocated { allocation = .walk }
        a.append(Answer(question: "What share of cloud spend can you attribute to a team or product?",
                        figure: f.percent(i.allocationCoverage) + (i.sharedCostsAllocated ? " after shared costs" : " (no shared-cost pools)"),
                        stage: allocation, evidence: "Allocation coverage (allocation-by-source)",
                        nextStep: allocation == .run ? "Keep unallocated spend near zero; review pool weights each quarter."
                            : "Tag the top 20 unallocated cost drivers and enforce the mandatory tags at the account policy level."))
        // 2. Anomalies.
        let anomaly: Stage
        if i.anomalyCount == 0 { anomaly = i.anomalyOwnerShare == nil ? .walk : .run }
        else {
            let owner = band(i.anomalyOwnerShare, walk: t.anomalyOwnerWalk, run: t.anomalyOwnerRun)
            let delay: Stage = i.anomalyMedianDelayDays.map { $0 <= t.anomalyDelayRunDays ? .run : ($0 <= t.anomalyDelayWalkDays ? .walk : .crawl) } ?? .crawl
            anomaly = min(owner, delay)
        }
        a.append(Answer(question: "How quickly do you detect and route cost anomalies?",
                        figure: i.anomalyCount == 0 ? "no anomalies in the period" :
                            "\(i.anomalyCount) anomalies; \(f.percent(i.anomalyOwnerShare)) of their dollars have an owner with a contact; median detection delay \(i.anomalyMedianDelayDays.map { "\($0) days" } ?? "—")",
                        stage: anomaly, evidence: "Anomalies (anomalies table, anomalies.json)",
                        nextStep: anomaly == .run ? "Keep routing anomalies.json to owners automatically."
                            : "Run the build daily and route anomalies.json to each owner; give every team a contact in the config."))
        // 3. Savings implementation.
        var implementation = band(i.implementationRate, walk: t.implementationWalk, run: t.implementationRun)
        if implementation == .run && (i.verifiedShareOfMeasured ?? 0) == 0 { implementation = .walk }
        a.append(Answer(question: "What share of identified savings is actually implemented?",
                        figure: f.percent(i.implementationRate) + " of findings implemented; " + f.percent(i.verifiedShareOfMeasured) + " of measured ones verified",
                        stage: implementation, evidence: "Verified savings ledger (savings-rates, savings-ledger)",
                        nextStep: implementation == .run ? "Keep verifying: re-measure regressed findings."
                            : "Fix the implementation rate: give every finding an owner and a date, and track it to verification."))
        // 4. Variance explainability.
        let variance = i.unexplainedShare.map { band($0, walk: t.unexplainedWalk, run: t.unexplainedRun, higherIsBetter: false) } ?? .crawl
        a.append(Answer(question: "Can you explain last quarter's cloud cost variance in five minutes without engineering?",
                        figure: i.unexplainedShare.map { f.percent($0) + " of the quarter's change unexplained" } ?? "no quarter to compare",
                        stage: variance, evidence: "The quarter-over-quarter bridge (bridge-qoq)",
                        nextStep: variance == .run ? "Share the bridge with budget owners before the review."
                            : "Add list cost and unit metrics so changes can be split into volume and rate."))
        // 5. Unit cost.
        let unit: Stage = i.unitMetrics == 0 ? .crawl : (i.unitCostQuarters >= 4 ? .run : .walk)
        a.append(Answer(question: "Do you know the cost to serve one unit of your core product?",
                        figure: i.unitMetrics == 0 ? "no unit metrics" : "\(i.unitMetrics) unit metrics; \(i.unitCostQuarters) quarters of trend" + (i.unitCostTrend.map { ", \(f.signedPercent($0)) over them" } ?? ""),
                        stage: unit, evidence: "Unit economics (unit-cost-by-quarter)",
                        nextStep: unit == .run ? "Set an improvement target for the unit cost and review it monthly."
                            : "Build unit economics: define the cost per unit of the core product and measure it monthly."))
        let core = a.map(\.stage).min() ?? .crawl
        // 6. Forecast accuracy.
        let forecast: Stage = i.forecastVariance.map { band($0, walk: t.forecastWalk, run: t.forecastRun, higherIsBetter: false) } ?? .crawl
        a.append(Answer(question: "Is the monthly forecast accurate (the seed's Run: within 5 %)?",
                        figure: i.forecastVariance.map { "\(f.percent($0)) mean monthly variance over \(i.forecastMonths) months" } ?? "no scored forecasts",
                        stage: forecast, evidence: "Forecast accuracy (forecast-accuracy-monthly)",
                        nextStep: forecast == .run ? "Keep scoring every forecast against actuals." : "Forecast from the data and score every month; explain each miss."))
        // 7. Commitment coverage.
        let commitment: Stage = i.commitmentCoverage.map { band($0, walk: t.commitmentWalk, run: t.commitmentRun) } ?? .crawl
        a.append(Answer(question: "How much commitment-eligible usage is covered by commitment discounts?",
                        figure: i.commitmentCoverage.map { f.percent($0) + " coverage" } ?? "no commitment discounts in the data",
                        stage: commitment, evidence: "Commitment discounts (commitments-by-month)",
                        nextStep: commitment == .run ? "Watch utilisation and renewals of expiring commitments." : "Cover steady usage with savings plans or reservations."))
        answers = a
        stage = core
        switch core {
        case .crawl: nextStep = "Don't buy tools yet. Fix tagging first: define four mandatory tags, enforce them at the account policy level, and retroactively tag your top 20 cost drivers."
        case .walk: nextStep = "Fix the implementation rate: track every savings finding from identification to verification; the problem is not more findings, it is accountability for following through."
        case .run: nextStep = "Build unit economics with engineering: measure the cost per unit of the core product monthly and set an improvement target."
        }
    }
}
