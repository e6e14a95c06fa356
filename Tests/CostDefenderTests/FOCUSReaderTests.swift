import Foundation
import Testing
@testable import CostDefender

@Suite struct FOCUSReaderTests {
    func read(_ paths: [String], teamTags: [String] = ["team"]) throws -> (CostCube, [FOCUSFileSummary], Diagnostics) {
        let reader = FOCUSReader(relevantTagKeys: Set(teamTags + ["product", "environment"]), teamTagKeys: Set(teamTags))
        var cube = CostCube()
        var d = Diagnostics()
        var files: [FOCUSFileSummary] = []
        for p in try FOCUSReader.expand(paths) { files.append(try reader.read(file: p, into: &cube, diagnostics: &d)) }
        return (cube, files, d)
    }

    @Test func theRealAWSSampleSumsExactly() throws {
        let (cube, files, d) = try read([TestFiles.committedAWSSample])
        #expect(files[0].rowsRead == 942)
        #expect(files[0].rowsRejected == 0)
        #expect(!d.hasErrors)
        let total = cube.total
        #expect(total.billed.exactDescription == "18.0066386184")
        #expect(total.list.exactDescription == "18.1493176406")
        #expect(total.effective.exactDescription == "13")
        #expect(total.contracted.exactDescription == "13")
        #expect(total.rows == 942)
        #expect(cube.dayRange?.lowerBound.description == "2024-09-01")
        #expect(cube.dayRange?.upperBound.description == "2024-09-30")
        // Account ids stay strings and get their names.
        #expect(cube.accountNames["51738928782"] == "Atlas Nimbus")
        // Enum case drift is folded to the spec's spelling.
        #expect(cube.tables[Dimension.chargeFrequency.rawValue].contains("Usage-Based"))
        #expect(!cube.tables[Dimension.chargeFrequency.rawValue].contains("Usage-based"))
    }

    @Test func gzipAndPlainGiveTheSameCube() throws {
        let dir = TestFiles.tempDir()
        try FileManager.default.copyItem(atPath: TestFiles.committedAWSSample, toPath: dir + "/a.csv")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(dir)/a.csv' > '\(dir)/b.csv.gz'"]
        try gzip.run(); gzip.waitUntilExit()
        let (plain, _, _) = try read([dir + "/a.csv"])
        let (zipped, files, _) = try read([dir + "/b.csv.gz"])
        #expect(files[0].rowsRead == 942)
        #expect(zipped.total == plain.total)
        #expect(zipped.daily.count == plain.daily.count)
        // A folder reads every CSV in it, in name order.
        let (both, bothFiles, _) = try read([dir])
        #expect(bothFiles.map { ($0.path as NSString).lastPathComponent } == ["a.csv", "b.csv.gz"])
        #expect(both.total.billed == plain.total.billed + plain.total.billed)
    }

    @Test func handlesTheDocumentedQuirks() throws {
        let dir = TestFiles.tempDir()
        // FOCUS 1.3 naming, extra columns, lower-case header, NULL and "" nulls, E-notation, both date forms, odd tag keys.
        let csv = """
        billedcost,EffectiveCost,ListCost,ChargePeriodStart,BillingCurrency,ServiceProviderName,HostProviderName,SubAccountId,ServiceName,ChargeCategory,ChargeFrequency,Tags,x_Extra
        1.5E-1,0.15,NULL,2025-01-01 10:00:00,USD,AWS,AWS,"001",EC2,usage,Usage-based,"{""Team"": ""pay"", ""weird key!"": ""v""}",z
        2,"",,2025-01-01T23:00:00Z,usd,AWS,AWS,"001",EC2,Usage,Usage-Based,NULL,
        """
        TestFiles.write(csv, to: dir + "/q.csv")
        let (cube, files, d) = try read([dir + "/q.csv"])
        // The second row has an empty EffectiveCost: rejected, with its line and column.
        #expect(files[0].rowsRead == 2)
        #expect(files[0].rowsRejected == 1)
        let error = d.errors.first
        #expect(error?.location.line == 3)
        #expect(error?.location.column == 2)
        #expect(error?.location.columnName == "EffectiveCost")
        #expect(files[0].rejectedBilledCost == Amount(whole: 2))
        #expect(cube.total.billed.exactDescription == "0.15")
        #expect(cube.total.list == .zero)
        let key = cube.daily.keys.first!
        #expect(cube.value(.provider, of: key) == "AWS")
        #expect(cube.value(.subAccount, of: key) == "001")
        #expect(cube.value(.chargeCategory, of: key) == "Usage")
        #expect(cube.value(.chargeFrequency, of: key) == "Usage-Based")
        #expect(cube.tags(of: key).tags == ["team": "pay"])
    }

    @Test func rejectsBadRowsWithFileLineAndColumn() throws {
        let dir = TestFiles.tempDir()
        let csv = [TestFiles.focusHeader,
                   TestFiles.focusRow(billed: "abc"),
                   TestFiles.focusRow(billed: "1", day: "2025-02-30T00:00:00Z"),
                   "1,2,3",
                   TestFiles.focusRow(billed: "1e309"),
                   TestFiles.focusRow(billed: "4.25")].joined(separator: "\n")
        TestFiles.write(csv, to: dir + "/bad.csv")
        let (cube, files, d) = try read([dir + "/bad.csv"])
        #expect(files[0].rowsRejected == 4)
        #expect(d.errors.map { $0.location.line } == [2, 3, 4, 5])
        #expect(d.errors[0].location.columnName == "BilledCost")
        #expect(d.errors[1].location.columnName == "ChargePeriodStart")
        #expect(d.errors[2].message.contains("3 fields"))
        #expect(d.errors[3].message.contains("out of range"))
        #expect(cube.total.billed == Amount(cents: 425))
    }

    /// A row's cost columns often repeat the same text, which is read once; the values, and a
    /// rounding warning for every column that needs one, must be as if each were read on its own.
    @Test func repeatedAmountTextGivesTheSameValuesAndWarnings() throws {
        let dir = TestFiles.tempDir()
        let csv = [TestFiles.focusHeader,
                   TestFiles.focusRow(billed: "1.25", effective: "1.25"),
                   TestFiles.focusRow(billed: "2.5", effective: "0.75"),
                   TestFiles.focusRow(billed: "0.12345678901234567", effective: "0.12345678901234567"),
                   TestFiles.focusRow(billed: "3", effective: "3.0")].joined(separator: "\n")
        TestFiles.write(csv, to: dir + "/repeat.csv")
        let (cube, files, d) = try read([dir + "/repeat.csv"])
        #expect(files[0].rowsRejected == 0)
        // Row 4 rounds in all four cost columns (billed and effective, each written twice).
        let rounding = d.warnings.filter { $0.message.contains("rounded to 15") }
        #expect(rounding.count == 4)
        #expect(Set(rounding.map { $0.location.line }) == [4])
        let rounded = Amount.parse("0.123456789012346")
        guard case .value(let r, _) = rounded else { Issue.record("cannot parse"); return }
        #expect(cube.total.billed == Amount(cents: 125) + Amount(cents: 250) + r + Amount(cents: 300))
        #expect(cube.total.effective == Amount(cents: 125) + Amount(cents: 75) + r + Amount(cents: 300))
        #expect(cube.total.list == cube.total.billed)
        #expect(cube.total.contracted == cube.total.effective)
    }

    @Test func aFileWithoutTheFOCUSColumnsIsRefused() throws {
        let dir = TestFiles.tempDir()
        TestFiles.write("date,amount\n2025-01-01,3\n", to: dir + "/x.csv")
        #expect(throws: CostDefenderError.self) { try read([dir + "/x.csv"]) }
        TestFiles.write("", to: dir + "/empty.csv")
        let (_, _, d) = try read([dir + "/empty.csv"])
        #expect(d.errors.first?.message.contains("empty") == true)
    }

    @Test func readingInTwoHalvesGivesTheSameCubeAndLineNumbers() throws {
        let dir = TestFiles.tempDir()
        var rows = [TestFiles.focusHeader]
        for i in 0..<400 {
            // A quoted resource name with a line break every 37 rows, so some splits fall inside a field.
            let resource = i % 37 == 0 ? "multi\nline-\(i)" : "r-\(i)"
            rows.append(TestFiles.focusRow(billed: "\(i).25", account: "\(i % 7)", resource: resource))
        }
        rows[300] = TestFiles.focusRow(billed: "bad")   // line 301 (the header is line 1)
        let path = TestFiles.write(rows.joined(separator: "\n") + "\n", to: dir + "/big.csv")
        var sequential = FOCUSReader(relevantTagKeys: ["team"], teamTagKeys: ["team"])
        sequential.parallelThreshold = Int.max
        var parallel = sequential
        var seqCube = CostCube(), d1 = Diagnostics()
        let seq = try sequential.read(file: path, into: &seqCube, diagnostics: &d1)
        for threshold in [64, 1_000, 5_000, 20_000] {
            parallel.parallelThreshold = threshold
            var cube = CostCube(), d2 = Diagnostics()
            let par = try parallel.read(file: path, into: &cube, diagnostics: &d2)
            #expect(par.rowsRead == seq.rowsRead)
            #expect(par.rowsRejected == 1)
            #expect(par.billedCost == seq.billedCost)
            #expect(cube.total == seqCube.total)
            #expect(cube.daily.count == seqCube.daily.count)
            #expect(d2.errors.map { $0.location.line } == [301 + 300 / 37 + 1])
        }
        #expect(d1.errors.map { $0.location.line } == [301 + 300 / 37 + 1])
    }
}
