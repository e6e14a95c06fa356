/// The maturity scorecard: each question with its figure, stage, evidence and next step, and the
/// stage reached with the highest-value next step for it.
public struct MaturitySection: ReportSection {
    public let scorecard: MaturityScorecard
    public var template: String { "section-maturity" }

    public var tables: [DataTable] {
        [DataTable(name: "maturity-scorecard",
                   columns: [.init("Question", key: "question"), .init("From the data", key: "figure"), .init("Stage", key: "stage"),
                             .init("Evidence", key: "evidence"), .init("Next step", key: "next_step")],
                   rows: scorecard.answers.map { [.text($0.question), .text($0.figure), .text($0.stage.name), .text($0.evidence), .text($0.nextStep)] })]
    }

    public func context(_ f: Formatter, tables: [DataTable]) -> [String: Any] {
        ["stage": scorecard.stage.name, "nextStep": scorecard.nextStep, "table": TableView.context(tables[0], f)]
    }
}
