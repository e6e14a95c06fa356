import Foundation
import Testing
@testable import CostDefender

@Suite struct SampleGeneratorTests {
    /// Decompressed content, so that zlib versions that compress differently still compare equal.
    func content(_ path: String) throws -> Data {
        guard path.hasSuffix(".gz") else { return FileManager.default.contents(atPath: path) ?? Data() }
        let p = Process()
        let pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc '\(path)'"]
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }

    @Test func theCommittedSampleIsWhatTheGeneratorWrites() throws {
        let dir = TestFiles.tempDir()
        try SampleGenerator().writeSample(to: dir)
        let files = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter { $0.contains(".") }.sorted()
        #expect(files.contains("costdefender.yaml"))
        #expect(files.filter { $0.hasPrefix("focus/") }.count >= 18)
        for file in files {
            let committed = TestFiles.repository + "/Samples/" + file
            #expect(FileManager.default.fileExists(atPath: committed), "Samples/\(file) is missing; run `costdefender generate-samples`")
            #expect(try content(committed) == content(dir + "/" + file), "Samples/\(file) differs from the generator's output; run `costdefender generate-samples`")
        }
    }

    @Test func benchmarkModeWritesExactlyTheRowsAsked() throws {
        let path = TestFiles.tempDir() + "/bench.csv"
        try SampleGenerator(seed: 3).writeFOCUS(rows: 2_500, to: path)
        let reader = FOCUSReader(relevantTagKeys: ["team"], teamTagKeys: ["team"])
        var cube = CostCube()
        var d = Diagnostics()
        let summary = try reader.read(file: path, into: &cube, diagnostics: &d)
        #expect(summary.rowsRead == 2_500)
        #expect(summary.rowsRejected == 0)
        #expect(cube.total.rows == 2_500)
    }
}
