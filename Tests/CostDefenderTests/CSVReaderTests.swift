import Testing
@testable import CostDefender

@Suite struct CSVReaderTests {
    @Test func readsQuotingEscapesAndLineEndings() throws {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\r\n1,\"two\nlines\",3\n\nlast,row,\"\""
        let records = try TestFiles.readRecords(text, bufferSize: 8)
        #expect(records.count == 4)
        #expect(records[0].1 == ["a", "b", "c"])
        #expect(records[1].1 == ["x, y", "say \"hi\"", ""])
        #expect(records[2].0 == 3)
        #expect(records[2].1 == ["1", "two\nlines", "3"])
        #expect(records[3].0 == 6)
        #expect(records[3].1 == ["last", "row", ""])
    }

    @Test func reportsAnUnterminatedQuoteWithItsLine() throws {
        #expect(throws: CSVReader.Failure.self) { try TestFiles.readRecords("a,b\n1,\"open\n2,3\n") }
        do { _ = try TestFiles.readRecords("a,b\n1,\"open\n2,3\n") } catch let f as CSVReader.Failure { #expect(f.line == 2) }
    }

    @Test func rejectsTextAfterAClosingQuote() throws {
        do { _ = try TestFiles.readRecords("a,b\n\"x\"y,2\n"); Issue.record("expected a failure") } catch let f as CSVReader.Failure {
            #expect(f.line == 2)
            #expect(f.message.contains("closing quote"))
        }
    }

    @Test func nullIsEmptyOrBareNULL() throws {
        let path = TestFiles.write("a,b,c,d\nNULL,\"NULL\",,x\n", to: TestFiles.tempDir() + "/n.csv")
        let reader = CSVReader(source: try ByteSources.open(path))
        var nulls: [Bool] = []
        var first = true
        try reader.forEachRecord { r in
            if first { first = false; return }
            nulls = (0..<r.count).map { r.isNull($0) }
        }
        #expect(nulls == [true, false, true, false])
    }

    @Test func readsAFieldLargerThanTheBuffer() throws {
        let big = String(repeating: "x", count: 100_000)
        let records = try TestFiles.readRecords("a,b\n\"\(big)\",1\n", bufferSize: 64)
        #expect(records[1].1[0].count == 100_000)
    }
}

@Suite struct DateTimeTests {
    func day(_ s: String) -> String? {
        Array(s.utf8).withUnsafeBytes { DateTimeParser.utcDay($0) }?.description
    }

    @Test func acceptsTheFormsFOCUSExportsUse() {
        #expect(day("2024-09-18 22:00:00") == "2024-09-18")
        #expect(day("2024-09-18T22:00:00Z") == "2024-09-18")
        #expect(day("2024-09-18T22:00:00.123Z") == "2024-09-18")
        #expect(day("2024-09-18") == "2024-09-18")
        // Offsets move the day into UTC.
        #expect(day("2024-09-18T23:30:00-02:00") == "2024-09-19")
        #expect(day("2024-09-18T01:00:00+0200") == "2024-09-17")
    }

    @Test func rejectsImpossibleDates() {
        for bad in ["2024-02-30", "2024-13-01", "1800-01-01", "2024-09-18X", "2024/09/18", "", "2024-09-18T25:00:00Z"] {
            #expect(day(bad) == nil, "\(bad)")
        }
    }

    @Test func civilDatesRoundTrip() {
        #expect(Day(year: 1970, month: 1, day: 1).index == 0)
        #expect(Day(year: 2024, month: 2, day: 29).description == "2024-02-29")
        #expect(Day(year: 2025, month: 1, day: 6).weekday == 0) // a Monday
        let d = Day(year: 2026, month: 11, day: 25)
        #expect(Day(index: d.index).civil.year == 2026)
    }
}

@Suite struct TagsParserTests {
    @Test func readsJSONObjectsWithOddKeysAndValues() {
        let tags = TagsParser.parse(#"{"team": "payments", "Cost Center": 104, "env": null, "a.b/c": "x\"y", "nested": {"k": [1, 2]}}"#)
        let dict = Dictionary(uniqueKeysWithValues: (tags ?? []).map { ($0.key, $0.value) })
        #expect(dict["team"] == "payments")
        #expect(dict["Cost Center"] == "104")
        #expect(dict["env"] == nil)
        #expect(dict["a.b/c"] == "x\"y")
        #expect(dict["nested"] == #"{"k": [1, 2]}"#)
    }

    @Test func rejectsWhatIsNotAnObject() {
        for bad in ["[1]", "{\"a\": }", "{\"a\" \"b\"}", "team=payments", "{\"a\": \"b\"} trailing", "{"] {
            #expect(TagsParser.parse(bad) == nil, "\(bad)")
        }
        #expect(TagsParser.parse("{}")?.isEmpty == true)
        #expect(TagsParser.parse(#"{"k": "\u00e9\ud83d\ude00"}"#)?.first?.value == "é😀")
    }
}
