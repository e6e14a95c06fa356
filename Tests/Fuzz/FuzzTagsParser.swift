// libFuzzer target for `TagsParser` (built by run-fuzzers.sh, never by `swift build`).
//
// The input bytes are the Tags cell as the FOCUS reader hands it over (decoded as UTF-8, bad
// sequences replaced). Invariants checked, each a `fatalError` that libFuzzer reports as a crash:
// - a parsed object has no duplicate keys (the last one wins);
// - writing the pairs back as a JSON object of strings and parsing that gives the same pairs.
import CostDefender

/// The pairs as a JSON object of string values.
func json(_ pairs: [(key: String, value: String)]) -> String {
    func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
    return "{" + pairs.map { quoted($0.key) + ": " + quoted($0.value) }.joined(separator: ", ") + "}"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTagsParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let pairs = TagsParser.parse(text) else { return 0 }
    if Set(pairs.map(\.key)).count != pairs.count { fatalError("duplicate keys in \(pairs)") }
    let again = json(pairs)
    guard let reparsed = TagsParser.parse(again) else { fatalError("cannot parse its own output \(again)") }
    if reparsed.map(\.key) != pairs.map(\.key) || reparsed.map(\.value) != pairs.map(\.value) {
        fatalError("round trip changed \(pairs) into \(reparsed)")
    }
    return 0
}
