import ArgumentParser
import CostDefender


struct GenerateSamples: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate-samples", abstract: "Write the deterministic sample inputs (or N rows of FOCUS for benchmarks).")

    @Option(name: .long, help: ArgumentHelp("Folder for the complete sample (FOCUS, ledger, metrics, budgets, forecasts, fx, notes, config).", valueName: "DIR"))
    var output: String = "Samples"

    @Option(name: .long, help: ArgumentHelp("Instead of the sample: write exactly N FOCUS rows to one CSV file given by --file.", valueName: "N"))
    var rows: Int?

    @Option(name: .long, help: ArgumentHelp("The CSV file written with --rows.", valueName: "FILE"))
    var file: String?

    @Option(name: .long, help: "Seed of the generator; the same seed gives byte-identical files.")
    var seed: UInt64 = 42

    func run() throws {
        let generator = SampleGenerator(seed: seed)
        do {
            if let rows {
                guard let file else { throw ValidationError("--rows needs --file FILE") }
                try generator.writeFOCUS(rows: rows, to: file)
            } else {
                try generator.writeSample(to: output)
            }
        } catch let e as ValidationError { throw e } catch { throw fail(error) }
    }
}
