// libFuzzer target for `CSVReader` (built by run-fuzzers.sh, never by `swift build`).
//
// Input layout: byte 0 picks the reader's initial buffer size (1–16 bytes, so refills and
// buffer growth split records everywhere) and the source's largest read (1–7 bytes, or
// unlimited); byte 1 picks where a two-range read splits the file; the rest is the CSV.
//
// Invariants checked, each a `fatalError` that libFuzzer reports as a crash:
// - the vectorised splitter (AVX2 and baseline) and the scalar one read the same records and
//   fail the same way;
// - a small buffer with short reads gives exactly what one big buffer gives: the same records
//   (line, fields, quoted flags) and the same failure, if any;
// - reading in two ranges (`stopAt`, then a new reader from `endOffset` with `startOffset` and
//   `firstLine`) gives the same as one read;
// - every record written back (quoted fields re-escaped) is the file's text between record
//   boundaries, followed by a line end and only blank lines, and its line number counts them;
// - after a full read `endOffset` is the file's length and `linesRead` its physical lines.
import CostDefender

/// Bytes in memory handed out at most `chunk` at a time (0: as many as asked).
final class MemorySource: ByteSource {
    let bytes: [UInt8]
    var position: Int
    let chunk: Int
    init(_ bytes: [UInt8], from position: Int = 0, chunk: Int = 0) {
        self.bytes = bytes; self.position = position; self.chunk = chunk
    }
    var bytesConsumed: Int { position }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var n = min(buffer.count, bytes.count - position)
        if chunk > 0 { n = min(n, chunk) }
        if n > 0 {
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        }
        position += n
        return n
    }
}

struct Record: Equatable {
    var line: Int
    var fields: [[UInt8]]
    var quoted: [Bool]
    /// `endOffset` when the record was delivered: the end of the record (or blank line) before it.
    var previousEnd: Int
}

struct Read: Equatable {
    var records: [Record] = []
    var failure: String?
    var endOffset = 0
    var linesRead = 0
}

func read(_ csv: [UInt8], bufferSize: Int, chunk: Int, from start: Int = 0, stopAt: Int? = nil, firstLine: Int = 1,
          splitter: CSVReader.Splitter = .vector) -> Read {
    let reader = CSVReader(source: MemorySource(csv, from: start, chunk: chunk), initialBufferSize: bufferSize, startOffset: start, splitter: splitter)
    var out = Read()
    do {
        try reader.forEachRecord(stopAt: stopAt, firstLine: firstLine) { record in
            var r = Record(line: record.line, fields: [], quoted: [], previousEnd: reader.endOffset)
            for i in 0..<record.count {
                let bytes = Array(record.bytes(i))
                if record.length(i) != bytes.count { fatalError("length(\(i)) \(record.length(i)) != bytes.count \(bytes.count)") }
                if record.isNull(i) != (bytes.isEmpty || (!record.isQuoted(i) && bytes == Array("NULL".utf8))) { fatalError("isNull(\(i)) is wrong") }
                if Array(record.string(i).utf8) != bytes && String(validating: bytes, as: UTF8.self) != nil { fatalError("string(\(i)) differs from bytes(\(i))") }
                r.fields.append(bytes)
                r.quoted.append(record.isQuoted(i))
            }
            if record.strings.count != record.count { fatalError("strings.count != count") }
            if r.fields.count == 1 && r.fields[0].isEmpty && !r.quoted[0] { fatalError("a blank line was delivered as a record") }
            out.records.append(r)
        }
    } catch let f as CSVReader.Failure {
        out.failure = "\(f.line):\(f.column): \(f.message)"
    } catch {
        fatalError("unexpected error \(error)")
    }
    out.endOffset = reader.endOffset
    out.linesRead = reader.linesRead
    return out
}

/// The record written back as CSV: unquoted fields as they are, quoted ones with `"` doubled.
func written(_ r: Record) -> [UInt8] {
    var out: [UInt8] = []
    for (i, field) in r.fields.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        if r.quoted[i] {
            out.append(UInt8(ascii: "\""))
            for b in field { out.append(b); if b == UInt8(ascii: "\"") { out.append(b) } }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: field)
        }
    }
    return out
}

/// Checks the records against the text of `csv` from `start` (a record boundary) to `end`.
func checkAgainstText(_ csv: [UInt8], _ read: Read, start: Int, end: Int, firstLine: Int) {
    let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    /// Counts the line ends (`\r\n`, `\n` or `\r`) that make up csv[from..<to]; nil if it has anything else.
    func lineEnds(_ from: Int, _ to: Int) -> Int? {
        var i = from, n = 0
        while i < to {
            if csv[i] == cr && i + 1 < to && csv[i + 1] == lf { i += 2 } else if csv[i] == cr || csv[i] == lf { i += 1 } else { return nil }
            n += 1
        }
        return n
    }
    let bom = start == 0 && csv.count >= 3 && csv[0] == 0xEF && csv[1] == 0xBB && csv[2] == 0xBF ? 3 : 0
    var line = firstLine
    var position = start + bom
    for (k, r) in read.records.enumerated() {
        // Blank lines before this record.
        let recordStart = max(r.previousEnd, start + bom)
        if recordStart < position { fatalError("record \(k) starts at \(recordStart), before the previous one ended (\(position))") }
        guard let blanks = lineEnds(position, recordStart) else { fatalError("record \(k): text between records that is not blank lines") }
        line += blanks
        if r.line != line { fatalError("record \(k) is said to be on line \(r.line), expected \(line)") }
        let text = written(r)
        let recordEnd = recordStart + text.count
        if recordEnd > csv.count || Array(csv[recordStart..<recordEnd]) != text { fatalError("record \(k) written back is not the file's text at \(recordStart)") }
        line += text.lazy.filter { $0 == lf }.count + 1
        position = recordEnd
        if position < csv.count && csv[position] == cr && position + 1 < csv.count && csv[position + 1] == lf { position += 2 }
        else if position < csv.count && (csv[position] == cr || csv[position] == lf) { position += 1 }
        else if position != csv.count && k < read.records.count - 1 { fatalError("record \(k) is not followed by a line end") }
    }
    if read.failure == nil {
        // A file that is only a byte-order mark delivers nothing and ends at offset 0.
        let end = read.records.isEmpty && bom > 0 && end == 0 ? position : end
        guard position <= end, let blanks = lineEnds(position, end) else { fatalError("the text after the last record is not blank lines") }
        line += blanks
        if read.linesRead != line - firstLine { fatalError("linesRead \(read.linesRead), expected \(line - firstLine)") }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let bufferSize = Int(data[0] & 0x0F) + 1
    let chunk = Int(data[0] >> 4) & 0x07
    let csv = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    let split = csv.count * Int(data[1]) / 255

    // One big buffer, one read: the reference.
    let whole = read(csv, bufferSize: csv.count + 64, chunk: 0)
    if whole.failure == nil {
        let bomOnly = csv.count == 3 && csv[0] == 0xEF && csv[1] == 0xBB && csv[2] == 0xBF
        if whole.endOffset != csv.count && !bomOnly { fatalError("endOffset \(whole.endOffset) after a full read of \(csv.count) bytes") }
    }
    checkAgainstText(csv, whole, start: 0, end: whole.endOffset, firstLine: 1)

    // The vectorised splitter (AVX2, then baseline) means what the scalar one means.
    for splitter in [CSVReader.Splitter.scalar, .baselineVector] {
        let other = read(csv, bufferSize: csv.count + 64, chunk: 0, splitter: splitter)
        if other != whole { fatalError("\(splitter) splitter: \(other) != vector: \(whole)") }
    }

    // A tiny buffer and short reads.
    let small = read(csv, bufferSize: bufferSize, chunk: chunk)
    if small != whole { fatalError("buffer \(bufferSize), reads of \(chunk): \(small) != \(whole)") }

    // Two ranges.
    let first = read(csv, bufferSize: bufferSize, chunk: chunk, stopAt: split)
    if first.records != Array(whole.records.prefix(first.records.count)) { fatalError("first range differs from the whole read") }
    if let failure = first.failure {
        if failure != whole.failure { fatalError("first range failed with \(failure), whole read with \(String(describing: whole.failure))") }
        return 0
    }
    if first.endOffset < min(split, csv.count) && first.endOffset != whole.endOffset { fatalError("stopAt \(split) but stopped at \(first.endOffset)") }
    let second = read(csv, bufferSize: bufferSize, chunk: chunk, from: first.endOffset, firstLine: 1 + first.linesRead)
    var joined = second
    joined.records = first.records + second.records
    joined.linesRead = first.linesRead + second.linesRead
    // `previousEnd` of the second range's first record is its start offset; the same in the whole read.
    if joined != whole { fatalError("ranges split at \(first.endOffset): \(joined) != \(whole)") }
    return 0
}
