import ArgumentParser
import CostDefender
import Foundation

extension SQLDialect: ExpressibleByArgument {}

struct Sql: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL that rolls FOCUS line items up into the daily cube in a warehouse (Trino/Athena, Spark, BigQuery, DuckDB).",
        discussion: """
        Run the SQL where the FOCUS table lives, export the result as CSV with its header, and pass that file to \
        `costdefender build --focus ROLLUP.csv` (or list it in inputs.focus): the pack is the same as from the line items. \
        The SQL depends on the config's tag keys and the ledger's resources; generate it again when they change. \
        Format and dialect notes: docs/rollup.md.
        """
    )

    @Option(name: .long, help: ArgumentHelp("The SQL dialect; trino also serves Athena.", valueName: "DIALECT"))
    var dialect: SQLDialect

    @Option(name: .long, help: ArgumentHelp("The config file (YAML). Default: ./costdefender.yaml when present, else the built-in defaults.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The table of FOCUS line items, written into the SQL as given (e.g. billing.focus, `project.dataset.focus`).", valueName: "NAME"))
    var table: String = "focus"

    @Option(name: .customLong("focus-version"), help: ArgumentHelp("The FOCUS version of the table: 1.0, 1.1, 1.2 or 1.3. From 1.3 the provider is COALESCE(ServiceProviderName, ProviderName); before, ProviderName.", valueName: "VERSION"))
    var focusVersion: String = "1.2"

    func validate() throws {
        guard ["1.0", "1.1", "1.2", "1.3"].contains(focusVersion) else {
            throw ValidationError("--focus-version must be 1.0, 1.1, 1.2 or 1.3, got `\(focusVersion)`")
        }
        if table.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--table must name a table") }
    }

    func run() throws {
        do {
            let cwd = FileManager.default.currentDirectoryPath
            var configuration = Configuration()
            if let config {
                configuration = try ConfigurationLoader.load(path: absolute(config, cwd))
            } else if FileManager.default.fileExists(atPath: cwd + "/costdefender.yaml") {
                configuration = try ConfigurationLoader.load(path: cwd + "/costdefender.yaml")
            }
            // CubeShape.load reads the ledger and notes as a build does: their scopes add tag keys and tracked resources.
            let sql = RollupSQL(dialect: dialect, shape: try CubeShape.load(configuration: configuration),
                                table: table, serviceProviderName: focusVersion == "1.3")
            print(sql.generate(), terminator: "")
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail(error)
        }
    }
}
