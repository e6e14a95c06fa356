import Testing
@testable import CostDefender

/// The vectorised record splitter (AVX2 and baseline) must mean exactly what the scalar one
/// means: the same records, fields, quoted flags, line numbers and end offsets, and the same
/// failure with the same line, column and message, whatever the input and the buffer size.
@Suite struct CSVSplitterAgreementTests {
    /// Bytes in memory, handed out at most `chunk` at a time.
    final class MemorySource: ByteSource {
        let bytes: [UInt8]
        var position = 0
        let chunk: Int
        init(_ bytes: [UInt8], chunk: Int) { self.bytes = bytes; self.chunk = chunk }
        var bytesConsumed: Int { position }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let n = min(buffer.count, bytes.count - position, chunk)
            if n > 0 { bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) } }
            position += n
            return n
        }
    }

    struct Read: Equatable, CustomStringConvertible {
        var records: [String] = []
        var failure: String?
        var endOffset = 0
        var linesRead = 0
        var description: String { "\(records.count) records, failure \(failure ?? "none"), end \(endOffset), lines \(linesRead)\n" + records.joined(separator: "\n") }
    }

    static func read(_ bytes: [UInt8], splitter: CSVReader.Splitter, bufferSize: Int, chunk: Int) -> Read {
        let reader = CSVReader(source: MemorySource(bytes, chunk: chunk), initialBufferSize: bufferSize, splitter: splitter)
        var out = Read()
        do {
            try reader.forEachRecord { r in
                let fields = (0..<r.count).map { i in (r.isQuoted(i) ? "Q" : "U") + String(decoding: r.bytes(i), as: UTF8.self).debugDescription }
                out.records.append("\(r.line): " + fields.joined(separator: " "))
            }
        } catch let f as CSVReader.Failure {
            out.failure = "\(f.line):\(f.column) \(f.message)"
        } catch {
            out.failure = "\(error)"
        }
        out.endOffset = reader.endOffset
        out.linesRead = reader.linesRead
        return out
    }

    /// A deterministic generator (SplitMix64), so a failure names a seed that reproduces it.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// CSV-like text: mostly well-formed records of quoted and unquoted fields (with `""`,
    /// embedded separators and line ends, CRLF and lone CR), with stray quotes, text after
    /// closing quotes and unclosed quotes mixed in at random, and fields long enough to cross
    /// 64-byte blocks.
    static func sample(_ g: inout Generator) -> [UInt8] {
        var out: [UInt8] = []
        let records = 1 + g.below(12)
        let text: [UInt8] = Array("ab, \"\r\nxyz".utf8)
        for _ in 0..<records {
            let fields = 1 + g.below(8)
            for f in 0..<fields {
                if f > 0 { out.append(UInt8(ascii: ",")) }
                let length = g.below(10) == 0 ? 40 + g.below(120) : g.below(8)
                if g.below(2) == 0 {
                    out.append(UInt8(ascii: "\""))
                    for _ in 0..<length {
                        switch g.below(12) {
                        case 0: out += [UInt8(ascii: "\""), UInt8(ascii: "\"")]
                        case 1: out.append(UInt8(ascii: ","))
                        case 2: out.append(UInt8(ascii: "\n"))
                        case 3: out.append(UInt8(ascii: "\r"))
                        default: out.append(UInt8(ascii: "a") + UInt8(g.below(26)))
                        }
                    }
                    if g.below(40) != 0 { out.append(UInt8(ascii: "\"")) }       // rarely never closed
                    if g.below(40) == 0 { out.append(UInt8(ascii: "x")) }        // rarely text after it
                } else {
                    for _ in 0..<length {
                        out.append(g.below(30) == 0 ? UInt8(ascii: "\"") : UInt8(ascii: "a") + UInt8(g.below(26)))
                    }
                }
            }
            switch g.below(6) {
            case 0: out += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
            case 1: out.append(UInt8(ascii: "\r"))
            case 2: if g.below(4) == 0 { out += [UInt8(ascii: "\n"), UInt8(ascii: "\n")] } else { out.append(UInt8(ascii: "\n")) }
            default: out.append(UInt8(ascii: "\n"))
            }
        }
        if g.below(5) == 0, !out.isEmpty { out.removeLast() }               // no line end at EOF
        if g.below(8) == 0 { out.insert(text[g.below(text.count)], at: g.below(out.count + 1)) }
        return out
    }

    @Test func vectorAndScalarSplittersAgreeOnRandomInput() {
        var g = Generator(state: 20261125)
        var compared = 0, failures = 0
        for _ in 0..<3000 {
            let bytes = Self.sample(&g)
            let bufferSize = [1, 3, 16, 64, 65, 200, 1 << 16][g.below(7)]
            let chunk = g.below(3) == 0 ? 1 + g.below(70) : Int.max
            let scalar = Self.read(bytes, splitter: .scalar, bufferSize: bufferSize, chunk: chunk)
            if scalar.failure != nil { failures += 1 }
            for splitter in [CSVReader.Splitter.vector, .baselineVector] {
                let vector = Self.read(bytes, splitter: splitter, bufferSize: bufferSize, chunk: chunk)
                #expect(vector == scalar, "\(splitter) disagrees on \(String(decoding: bytes, as: UTF8.self).debugDescription) (buffer \(bufferSize), reads of \(chunk))")
                if vector != scalar { return }
                compared += 1
            }
        }
        // The sample must exercise both outcomes, or the agreement proves little.
        #expect(compared == 6000)
        #expect(failures > 100 && failures < 2500, "\(failures) of 3000 samples failed to read")
    }

    @Test func agreeOnTheGeneratedFOCUSSample() throws {
        let path = TestFiles.tempDir() + "/focus.csv"
        try SampleGenerator(seed: 11).writeFOCUS(rows: 3000, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let scalar = Self.read(bytes, splitter: .scalar, bufferSize: 1 << 12, chunk: Int.max)
        #expect(scalar.failure == nil)
        #expect(scalar.records.count == 3001)
        for splitter in [CSVReader.Splitter.vector, .baselineVector] {
            #expect(Self.read(bytes, splitter: splitter, bufferSize: 1 << 12, chunk: Int.max) == scalar)
        }
    }
}

import Foundation
