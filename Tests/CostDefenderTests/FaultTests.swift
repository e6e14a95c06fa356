import Foundation
import Testing
@testable import CostDefender

/// Faults: a build killed at any moment leaves a whole pack (the previous one or the new one),
/// and an output that cannot be written gives a clear error.
@Suite struct FaultTests {
    /// The `costdefender` binary built beside the test bundle.
    static var binary: String? {
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        for _ in 0..<4 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("costdefender").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    @Test(.enabled(if: binary != nil, "needs the costdefender binary beside the tests (swift test builds it)"))
    func aBuildKilledAtAnyMomentLeavesAWholePack() throws {
        let dir = TestFiles.tempDir()
        let out = dir + "/Output"
        let args = ["build", "--quiet", "--no-cache", "--config", TestFiles.repository + "/Samples/costdefender.yaml", "--output", out]
        func run(killAfter: Double?) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.binary!)
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            if let killAfter {
                Thread.sleep(forTimeInterval: killAfter)
                kill(p.processIdentifier, SIGKILL)
            }
            p.waitUntilExit()
        }
        try run(killAfter: nil)
        let complete = Set((FileManager.default.enumerator(atPath: out)?.allObjects as? [String]) ?? [])
        #expect(complete.contains("index.html"))
        // Kill builds at spread-out moments, including during the write and the swap.
        for delay in stride(from: 0.05, through: 2.5, by: 0.15) {
            try run(killAfter: delay)
            let now = Set((FileManager.default.enumerator(atPath: out)?.allObjects as? [String]) ?? [])
            #expect(now == complete, "after a kill at \(delay) s the output is not a whole pack")
        }
        // The next build clears what killed builds left beside the output.
        try run(killAfter: nil)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".building-") || $0.contains(".previous-") }
        #expect(leftovers.isEmpty)
    }

    @Test func anUnwritableOutputGivesAClearError() throws {
        let dir = TestFiles.tempDir()
        let good = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "1")].joined(separator: "\n"), to: dir + "/good.csv")
        var c = Configuration()
        c.inputs.focus = [good]
        TestFiles.write("not a folder", to: dir + "/file")
        c.output = dir + "/file"
        #expect(throws: CostDefenderError.self) { try Pipeline(configuration: c).build() }
        do { try Pipeline(configuration: c).build() } catch let e as CostDefenderError {
            #expect(e.description.contains("is a file, not a folder"))
        }
        c.output = "/proc/costdefender-cannot-write-here/Output"
        do { try Pipeline(configuration: c).build(); Issue.record("expected an error") } catch let e as CostDefenderError {
            #expect(e.description.contains("/proc"))
        }
    }
}
