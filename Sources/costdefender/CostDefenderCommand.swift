import ArgumentParser
import CostDefender
import Foundation

@main
struct CostDefenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costdefender",
        abstract: "Builds a FinOps finance pack (Markdown + HTML) from FOCUS billing data, a savings ledger and business metrics.",
        version: Pipeline.version,
        subcommands: [Build.self, Validate.self, Sql.self, GenerateSamples.self],
        defaultSubcommand: Build.self
    )
}

/// Options shared by `build` and `validate`.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file (YAML, see docs/inputs.md). Default: ./costdefender.yaml when present; with --focus no config is needed.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("A FOCUS CSV file (plain or .gz) or a folder of them; repeat for several. Replaces inputs.focus of the config.", valueName: "PATH"))
    var focus: [String] = []

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The build date, YYYY-MM-DD: quarters ending on or before it are complete, the one containing it is the quarter to date. Default: the last day with data.", valueName: "DATE"))
    var asOf: String?

    func validate() throws {
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date written YYYY-MM-DD, got `\(asOf)`") }
    }

    func loadConfiguration() throws -> Configuration {
        let cwd = FileManager.default.currentDirectoryPath
        var configuration: Configuration
        if let config {
            configuration = try ConfigurationLoader.load(path: absolute(config, cwd))
        } else if focus.isEmpty, FileManager.default.fileExists(atPath: cwd + "/costdefender.yaml") {
            configuration = try ConfigurationLoader.load(path: cwd + "/costdefender.yaml")
        } else if focus.isEmpty {
            throw ValidationError("nothing to read: pass --config FILE, or --focus PATH to build from a FOCUS export with default settings")
        } else {
            configuration = Configuration()
            configuration.output = cwd + "/Output"
        }
        if !focus.isEmpty { configuration.inputs.focus = focus.map { absolute($0, cwd) } }
        return configuration
    }
}

func absolute(_ path: String, _ cwd: String) -> String {
    path.hasPrefix("/") ? path : (cwd as NSString).appendingPathComponent(path)
}

func fail(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return ExitCode.failure
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the finance pack into the output folder (the previous pack stays intact if the build fails).")

    @OptionGroup var inputs: InputOptions

    @Option(name: .long, help: ArgumentHelp("The output folder. Replaces `output:` of the config. Default: ./Output.", valueName: "DIR"))
    var output: String?

    @Flag(name: .customLong("no-cache"), help: "Read every FOCUS file again instead of reusing the cached cubes of unchanged files (kept in <output>.cache/).")
    var noCache = false

    @Flag(name: .long, help: "Also print each period's report to <period>/report.pdf with headless Chromium (the `chromium` package, or the browser named by COSTDEFENDER_CHROMIUM).")
    var pdf = false

    @Flag(name: .long, help: "Print nothing but errors (no progress: on a terminal, progress shows bytes, rows, rate and time left; otherwise one summary line).")
    var quiet = false

    @Flag(name: .long, help: "Print every stage with the seconds elapsed since the start, to see where a build spends its time.")
    var timings = false

    func run() throws {
        do {
            var configuration = try inputs.loadConfiguration()
            if let output { configuration.output = absolute(output, FileManager.default.currentDirectoryPath) }
            let files = (try? FOCUSReader.expand(configuration.inputs.focus)) ?? []
            let total = files.reduce(0) { $0 + FileStatus.size(of: $1) }
            let display = ProgressDisplay(quiet: quiet, totalBytes: total, timings: timings)
            var pipeline = Pipeline(configuration: configuration, asOf: inputs.asOf.flatMap(Day.init(iso:)), progress: { display.stage($0) })
            pipeline.ingestProgress = { rows, bytes in display.ingest(rows: rows, bytes: bytes) }
            pipeline.useCache = !noCache
            // Find the browser before the build, so a missing one is reported at once.
            if pdf { pipeline.pdfPrinter = try PDFPrinter.locate() }
            let analysis = try pipeline.build()
            display.stage("[done]")
            if !quiet {
                let r = analysis.reconciliation
                print("Built \(analysis.periods.count) period\(analysis.periods.count == 1 ? "" : "s") into \(configuration.output): \(r.rowsRead) rows read, \(r.rowsRejected) rejected, \(analysis.diagnostics.warnings.count) warnings.")
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail(error)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check every input and list every problem with file, line and column; write nothing. Exits non-zero when there are errors.")

    @OptionGroup var inputs: InputOptions

    func run() throws {
        let configuration: Configuration
        do { configuration = try inputs.loadConfiguration() } catch let e as ValidationError { throw e } catch { throw fail(error) }
        let problems = Pipeline(configuration: configuration).validate()
        for p in problems { print(p.description) }
        let errors = problems.filter { $0.severity == .error }.count
        print("\(errors) error\(errors == 1 ? "" : "s"), \(problems.count - errors) warning\(problems.count - errors == 1 ? "" : "s").")
        if errors > 0 { throw ExitCode.failure }
    }
}

