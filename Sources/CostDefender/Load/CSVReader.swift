import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 CSV reader over bytes.
///
/// Invariants: memory is one buffer that grows only to the longest record; fields are handed out
/// as byte ranges into that buffer (a quoted field's `""` pairs are unescaped in place when the
/// field is first read), valid only inside the callback; line numbers are physical lines (a record
/// spanning lines reports its first line). A UTF-8 byte-order mark at the start is skipped; `\r\n`,
/// `\n` and a lone `\r` end records. Records are split by the vectorised kernel (`CKernels/csv_kernel.c`)
/// and, where it declines, by `parseRecord`; both mean the same (`CSVSplitterAgreementTests`).
public final class CSVReader {
    public struct Failure: Error, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    private let source: ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var eof = false
    private var record: CSVRecord
    /// Absolute file offset of `buffer[0]`.
    private var bufferOffset = 0
    /// Absolute offset just after the last record delivered (a record boundary).
    public private(set) var endOffset = 0
    /// Physical lines consumed by the records delivered so far.
    public private(set) var linesRead = 0
    /// How records are split. Every choice must mean exactly the same; only tests pick one.
    public enum Splitter: Sendable, CaseIterable {
        /// The vectorised kernel with the widest instructions the CPU has (`csvk_record`), then
        /// the scalar `parseRecord` for whatever the kernel leaves to it.
        case vector
        /// The same with the kernel's baseline instructions (`csvk_record_baseline`).
        case baselineVector
        /// `parseRecord` alone.
        case scalar
    }
    private let splitter: Splitter

    /// - Parameter startOffset: the absolute file offset the source starts at (a record boundary);
    ///   a byte-order mark is only skipped at offset 0.
    ///   - splitter: which splitter reads the records (they must agree; tests compare them).
    public init(source: ByteSource, initialBufferSize: Int = 1 << 20, startOffset: Int = 0, splitter: Splitter = .vector) {
        precondition(initialBufferSize > 0, "a CSV reader needs a buffer of at least one byte")
        self.source = source
        self.splitter = splitter
        bufferOffset = startOffset
        endOffset = startOffset
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: initialBufferSize, alignment: 16)
        record = CSVRecord()
    }

    deinit {
        buffer.deallocate()
        record.deallocate()
    }

    /// Bytes read from the underlying file so far.
    public var bytesConsumed: Int { source.bytesConsumed }

    /// Calls `body` for every record, in order. Blank lines are skipped. Throws `Failure` for an
    /// unterminated quoted field or text after a closing quote, and rethrows what `body` throws.
    ///
    /// - Parameters:
    ///   - stopAt: stop after the first record that ends at or beyond this absolute offset (for
    ///     reading a file in ranges); `endOffset` then tells where the next range must begin.
    ///   - firstLine: the line number of the first record (ranges after the first do not know it).
    public func forEachRecord(stopAt: Int? = nil, firstLine: Int = 1, _ body: (borrowing CSVRecord) throws -> Void) throws {
        var start = 0
        var line = firstLine
        var first = bufferOffset == 0
        defer { linesRead = line - firstLine }
        while true {
            // Make sure at least one complete record is in the buffer, or we are at EOF.
            if start >= filled && eof { return }
            let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if first {
                if filled < 3 && !eof { try refill(keepingFrom: &start); continue }
                if filled >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
                first = false
            }
            let outcome = splitter == .scalar ? parseRecord(base: base, from: start, line: line) : splitRecord(base: base, from: start, line: line)
            switch outcome {
            case .needMore:
                if eof {
                    // The last record has no line end: parse it as if it had.
                    let final = parseRecord(base: base, from: start, line: line, atEOF: true)
                    if case .record(let next, let lines) = final {
                        if !(record.count == 1 && record.length(0) == 0 && !record.isQuoted(0)) { try body(record) }
                        start = next; line += lines
                        endOffset = bufferOffset + next
                        return
                    } else if case .failure(let f) = final {
                        throw f
                    }
                    return
                }
                try refill(keepingFrom: &start)
            case .record(let next, let lines):
                if !(record.count == 1 && record.length(0) == 0 && !record.isQuoted(0)) { try body(record) }
                start = next
                line += lines
                endOffset = bufferOffset + next
                if let stopAt, endOffset >= stopAt { return }
            case .failure(let f):
                throw f
            }
        }
    }

    private enum Outcome {
        case needMore
        case record(next: Int, lines: Int)
        case failure(Failure)
    }

    /// Moves the unread tail to the front of the buffer (growing it when full) and reads more.
    private func refill(keepingFrom start: inout Int) throws {
        let tail = filled - start
        if start > 0 && tail > 0 {
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: tail)
        }
        bufferOffset += start
        filled = tail
        start = 0
        if filled == buffer.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: filled)
            buffer.deallocate()
            buffer = bigger
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
        if n == 0 { eof = true }
        filled += n
    }

    /// Splits one record starting at `from` with the vectorised kernel; what it cannot decide
    /// (an irregular record, or more fields than the record holds yet) goes to `parseRecord`.
    private func splitRecord(base: UnsafeMutablePointer<UInt8>, from: Int, line: Int) -> Outcome {
        var result = csvk_result()
        record.reset(base: base, line: line)
        let capacity = record.capacity
        let found = record.starts.withMemoryRebound(to: Int64.self, capacity: capacity) { starts in
            record.ends.withMemoryRebound(to: Int64.self, capacity: capacity) { ends in
                splitter == .vector
                    ? csvk_record(base, Int64(from), Int64(filled), starts, ends, record.flags, Int32(capacity), &result)
                    : csvk_record_baseline(base, Int64(from), Int64(filled), starts, ends, record.flags, Int32(capacity), &result)
            }
        }
        switch Int(found) {
        case Int(CSVK_RECORD):
            record.count = Int(result.count)
            return .record(next: Int(result.next), lines: Int(result.lines))
        case Int(CSVK_NEED_MORE):
            return .needMore
        default:
            return parseRecord(base: base, from: from, line: line)
        }
    }

    /// Parses one record starting at `from`. Fields are recorded into `record`.
    private func parseRecord(base: UnsafeMutablePointer<UInt8>, from: Int, line: Int, atEOF: Bool = false) -> Outcome {
        let end = filled
        var i = from
        var lines = 0
        record.reset(base: base, line: line)
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        while true {
            // Start of a field.
            if i < end && base[i] == quote {
                let contentStart = i + 1
                let openedOnLine = line + lines
                var j = contentStart
                var escaped = false
                // Find the closing quote without touching the bytes: the record may still be
                // incomplete and parsed again after a refill. `""` pairs are unescaped later.
                while true {
                    j = CSVScan.next(from: j, end: end, in: base, matching: CSVScan.quoteOrLF)
                    if j >= end {
                        if atEOF {
                            return .failure(Failure(line: line, column: record.count + 1, message: "quoted field is never closed (a stray \" ?); the rest of the file cannot be read"))
                        }
                        return .needMore
                    }
                    let c = base[j]
                    if c == quote {
                        if j + 1 >= end && !atEOF { return .needMore }
                        if j + 1 < end && base[j + 1] == quote { escaped = true; j += 2; continue }
                        break
                    }
                    if c == lf { lines += 1 }
                    j += 1
                }
                record.append(start: contentStart, end: j, quoted: true, escaped: escaped)
                i = j + 1
                if i >= end {
                    if !atEOF { return .needMore }
                    return .record(next: i, lines: lines + 1)
                }
                let c = base[i]
                if c == comma { i += 1; if i >= end && !atEOF { return .needMore }; if i >= end { record.append(start: i, end: i, quoted: false); return .record(next: i, lines: lines + 1) }; continue }
                if c == lf { return .record(next: i + 1, lines: lines + 1) }
                if c == cr {
                    if i + 1 >= end && !atEOF { return .needMore }
                    if i + 1 < end && base[i + 1] == lf { return .record(next: i + 2, lines: lines + 1) }
                    return .record(next: i + 1, lines: lines + 1)
                }
                if line + lines > openedOnLine {
                    // The quote most likely never closed where it should have and this quote
                    // belongs to a later field: point at where the field opened.
                    return .failure(Failure(line: openedOnLine, column: record.count,
                                            message: "a quoted field opens here and runs on to line \(line + lines), where text follows its closing quote (a stray \" ?); the rest of the file cannot be read"))
                }
                return .failure(Failure(line: line + lines, column: record.count, message: "unexpected text after a closing quote"))
            } else {
                var j = CSVScan.next(from: i, end: end, in: base, matching: CSVScan.commaLFOrCR)
                while j < end {
                    let c = base[j]
                    if c == comma || c == lf || c == cr { break }
                    j += 1
                }
                if j >= end {
                    if !atEOF { return .needMore }
                    record.append(start: i, end: j, quoted: false)
                    return .record(next: j, lines: lines + 1)
                }
                record.append(start: i, end: j, quoted: false)
                let c = base[j]
                if c == comma {
                    i = j + 1
                    if i >= end {
                        if !atEOF { return .needMore }
                        record.append(start: i, end: i, quoted: false)
                        return .record(next: i, lines: lines + 1)
                    }
                    continue
                }
                if c == lf { return .record(next: j + 1, lines: lines + 1) }
                // CR
                if j + 1 >= end && !atEOF { return .needMore }
                if j + 1 < end && base[j + 1] == lf { return .record(next: j + 2, lines: lines + 1) }
                return .record(next: j + 1, lines: lines + 1)
            }
        }
    }
}

/// Word-at-a-time search for the bytes that end a field, eight bytes per step.
enum CSVScan {
    /// Which bytes a scan stops at, as the bytes repeated across a 64-bit word.
    struct Targets {
        var a: UInt64, b: UInt64, c: UInt64
    }
    static let quoteOrLF = Targets(a: 0x2222_2222_2222_2222, b: 0x0A0A_0A0A_0A0A_0A0A, c: 0x0A0A_0A0A_0A0A_0A0A)
    static let commaLFOrCR = Targets(a: 0x2C2C_2C2C_2C2C_2C2C, b: 0x0A0A_0A0A_0A0A_0A0A, c: 0x0D0D_0D0D_0D0D_0D0D)

    /// The high bit of each byte of `v` that is zero. Only the lowest flagged byte is certain
    /// (a borrow can flag the byte above a zero), which is the only one `next` uses.
    @inline(__always)
    static func zeroBytes(_ v: UInt64) -> UInt64 { (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 }

    /// The offset of the first target byte at or after `from` among the whole words before `end`;
    /// when the words run out first, the offset where a byte-by-byte scan must go on (≤ `end`).
    @inline(__always)
    static func next(from: Int, end: Int, in base: UnsafeMutablePointer<UInt8>, matching t: Targets) -> Int {
        var j = from
        while j + 8 <= end {
            let v = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
            let hits = zeroBytes(v ^ t.a) | zeroBytes(v ^ t.b) | zeroBytes(v ^ t.c)
            if hits != 0 { return j + hits.littleEndian.trailingZeroBitCount >> 3 }
            j += 8
        }
        return j
    }
}

private let quotedFlag = UInt8(CSVK_QUOTED)
private let escapedFlag = UInt8(CSVK_ESCAPED)

/// One CSV record: field byte ranges into the reader's buffer. Valid only inside the callback.
public struct CSVRecord: ~Copyable {
    fileprivate var base: UnsafeMutablePointer<UInt8>?
    fileprivate var starts: UnsafeMutablePointer<Int>
    fileprivate var ends: UnsafeMutablePointer<Int>
    /// Per field: `CSVK_QUOTED`, and `CSVK_ESCAPED` while its `""` pairs are not yet unescaped
    /// (a field is unescaped in place when it is first read, so fields never read cost nothing).
    fileprivate var flags: UnsafeMutablePointer<UInt8>
    fileprivate var capacity: Int
    /// Number of fields.
    public fileprivate(set) var count = 0
    /// Physical line the record starts on (1-based).
    public fileprivate(set) var line = 0

    init() {
        capacity = 64
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        flags = .allocate(capacity: capacity)
    }

    fileprivate func deallocate() {
        starts.deallocate(); ends.deallocate(); flags.deallocate()
    }

    fileprivate mutating func reset(base: UnsafeMutablePointer<UInt8>, line: Int) {
        self.base = base
        self.line = line
        count = 0
    }

    /// Turns `""` into `"` in place in field `i`, once. Only a complete record is handed out, so
    /// a re-parse after a buffer refill never sees altered bytes; the record owns its bytes
    /// until the callback returns, so writing through the pointers is safe.
    @inline(never)
    fileprivate func unescape(_ i: Int) {
        guard let base else { return }
        flags[i] &= ~escapedFlag
        // Runs between quotes move down in blocks; each `""` becomes one `"`.
        var read = starts[i], write = starts[i]
        let end = ends[i]
        while read < end {
            let hit = memchr(base + read, Int32(UInt8(ascii: "\"")), end - read)
            let quote = hit.map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? end
            let run = quote - read
            if write != read { memmove(base + write, base + read, run) }
            write += run
            read = quote
            if quote < end { base[write] = UInt8(ascii: "\""); write += 1; read += 2 }
        }
        ends[i] = write
    }

    @inline(__always)
    fileprivate mutating func append(start: Int, end: Int, quoted: Bool, escaped: Bool = false) {
        if count == capacity {
            let newCapacity = capacity * 2
            let s = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            let e = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            let f = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            s.update(from: starts, count: count); e.update(from: ends, count: count); f.update(from: flags, count: count)
            deallocate()
            starts = s; ends = e; flags = f; capacity = newCapacity
        }
        starts[count] = start
        ends[count] = end
        flags[count] = (quoted ? quotedFlag : 0) | (escaped ? escapedFlag : 0)
        count += 1
    }

    /// The raw bytes of field `i` (0-based), quotes removed and `""` unescaped.
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        if flags[i] & escapedFlag != 0 { unescape(i) }
        return UnsafeRawBufferPointer(start: base! + starts[i], count: ends[i] - starts[i])
    }

    /// Field `i` as written between its quotes, with `""` pairs still doubled when `escaped`
    /// (before its first `bytes(i)`; after it, the unescaped bytes and false). Equal spellings
    /// with equal `escaped` always name the same value, so it can key an interner without the
    /// cost of unescaping.
    @inline(__always)
    public func spelling(_ i: Int) -> (bytes: UnsafeRawBufferPointer, escaped: Bool) {
        (UnsafeRawBufferPointer(start: base! + starts[i], count: ends[i] - starts[i]), flags[i] & escapedFlag != 0)
    }

    @inline(__always)
    public func length(_ i: Int) -> Int {
        if flags[i] & escapedFlag != 0 { unescape(i) }
        return ends[i] - starts[i]
    }

    /// Whether field `i` was written in quotes (an unquoted `NULL` is a null; a quoted one is text).
    @inline(__always)
    public func isQuoted(_ i: Int) -> Bool { flags[i] & quotedFlag != 0 }

    /// Field `i` as text; invalid UTF-8 is replaced by U+FFFD.
    public func string(_ i: Int) -> String {
        String(decoding: bytes(i), as: UTF8.self)
    }

    /// Whether field `i` is null: empty, or the bare token `NULL`.
    @inline(__always)
    public func isNull(_ i: Int) -> Bool {
        // An escaped field holds at least one `"`, so it is never null: no need to unescape it.
        let n = ends[i] - starts[i]
        if n == 0 { return true }
        if n == 4 && flags[i] & quotedFlag == 0 {
            let p = base! + starts[i]
            return p[0] == 78 && p[1] == 85 && p[2] == 76 && p[3] == 76
        }
        return false
    }

    /// All fields as strings (for small inputs such as the ledger).
    public var strings: [String] { (0..<count).map { string($0) } }
}
