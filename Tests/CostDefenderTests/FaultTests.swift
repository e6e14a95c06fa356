import Foundation
import Testing
@testable import CostDefender

/// Faults: a build killed at any moment leaves a whole pack (the previous one or the new one),
/// and an output that cannot be written, or a full disk, gives a clear error.
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

    /// Runs `mount`/`umount` (root only; containers may forbid it).
    static func mountCommand(_ arguments: [String]) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// Whether this machine lets the tests mount a small tmpfs to stand for a full disk.
    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let dir = TestFiles.tempDir() + "/probe"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard mountCommand(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]) else { return false }
        return mountCommand(["umount", dir])
    }()

    @Test(.enabled(if: canMountTmpfs, "needs root and permission to mount a tmpfs (a 96 KiB disk that fills up)"))
    func aFullDiskGivesAClearErrorAndKeepsThePreviousPack() throws {
        let dir = TestFiles.tempDir()
        let disk = dir + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        #expect(Self.mountCommand(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", disk]))
        defer { _ = Self.mountCommand(["umount", disk]) }
        // The previous pack: small, so it fits; the new one does not.
        TestFiles.write("the previous pack", to: disk + "/Output/index.html")
        let good = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "1"), TestFiles.focusRow(billed: "2", day: "2025-04-02T00:00:00Z")]
            .joined(separator: "\n"), to: dir + "/good.csv")
        var c = Configuration()
        c.inputs.focus = [good]
        c.output = disk + "/Output"
        c.forecastHistory = dir + "/history/forecasts.csv"
        do {
            try Pipeline(configuration: c).build()
            Issue.record("the build should have failed on a full disk")
        } catch let e as CostDefenderError {
            #expect(e.description.contains("No space left on device"), "\(e.description)")
        }
        #expect(try String(contentsOfFile: disk + "/Output/index.html", encoding: .utf8) == "the previous pack")
        // Beside it: at most the cube cache (best effort), never a staging folder.
        let beside = try FileManager.default.contentsOfDirectory(atPath: disk).filter { $0 != "Output" }
        #expect(beside.allSatisfy { $0 == "Output.cache" }, "left beside the output: \(beside)")
    }
}
