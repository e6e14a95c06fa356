// Forecast model selection benchmark: backtests every candidate model on deterministic 36-month
// series of several shapes and prints, per series, each candidate's rolling-origin WAPE, the
// chosen model and whether the choice is the best candidate. Not a test: a table to read.
//
//   swift run --scratch-path .build-forecast costdefender-forecast-bench [series.csv]
//
// The optional CSV has a header and `month,value` rows (month `YYYY-MM`, or a date whose first
// seven characters are one); rows may come in any order, months absent from the file and empty
// values are missing months (nan), which the library interpolates.
import CostDefender
import Foundation

extension SplitMix64 {
    /// Standard normal by Box–Muller.
    mutating func normal() -> Double {
        let u1 = Double(next() >> 11) / Double(1 << 53) + 1e-300
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

func series(_ seed: UInt64, months: Int = 36, _ shape: (Double) -> Double, noise: Double) -> [Double] {
    var rng = SplitMix64(state: seed)
    return (0..<months).map { t in max(0, shape(Double(t)) + noise * rng.normal()) }
}

let shapes: [(name: String, values: [Double])] = [
    ("steady growth", series(1, { 10_000 * pow(1.02, $0) }, noise: 150)),
    ("step change", series(2, { $0 < 28 ? 8_000 : 12_000 }, noise: 200)),
    ("strong seasonality", series(3, { 10_000 + 30 * $0 + 3_000 * sin(2 * Double.pi * $0 / 12) }, noise: 200)),
    ("flat with noise", series(4, { _ in 10_000 }, noise: 800)),
    ("saturating growth", series(5, { 15_000 - 7_000 * pow(0.9, $0) }, noise: 150)),
]

/// Reads `month,value` rows; months are placed on a continuous monthly axis (gaps become nan).
func readCSV(_ path: String) throws -> [Double] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var byMonth: [Int: Double] = [:]
    for (number, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
        let fields = raw.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"\u{FEFF}")) }
        guard fields.count >= 2 else { continue }
        let month = fields[0].prefix(7).split(separator: "-")
        guard month.count == 2, let year = Int(month[0]), let m = Int(month[1]), (1...12).contains(m) else {
            if number == 0 { continue }   // the header
            throw NSError(domain: "csv", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(path):\(number + 1): `\(fields[0])` is not YYYY-MM"])
        }
        let key = year * 12 + m - 1
        guard byMonth[key] == nil else {
            throw NSError(domain: "csv", code: 2, userInfo: [NSLocalizedDescriptionKey: "\(path):\(number + 1): month `\(fields[0])` appears twice"])
        }
        byMonth[key] = fields[1].isEmpty ? .nan : (Double(fields[1]) ?? .nan)
    }
    guard let first = byMonth.keys.min(), let last = byMonth.keys.max() else { return [] }
    return (first...last).map { byMonth[$0] ?? .nan }
}

func percent(_ x: Double?) -> String { x.map { String(format: "%.2f %%", $0 * 100) } ?? "—" }
func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

var inputs = shapes
let arguments = CommandLine.arguments.dropFirst()
if let path = arguments.first {
    do { inputs = [((path as NSString).lastPathComponent, try readCSV(path))] } catch {
        FileHandle.standardError.write(Data("costdefender-forecast-bench: \(error.localizedDescription)\n".utf8))
        exit(1)
    }
}

let kinds = ForecastModelKind.allCases
let header = [pad("series", 20), pad("months", 6)] + kinds.map { pad($0.rawValue, 14) }
    + [pad("chosen", 14), pad("chosen WAPE", 11), pad("origins", 7), pad("chosen ≤ best", 13), "ms"]
print(header.joined(separator: " | "))
print(header.map { String(repeating: "-", count: $0.count) }.joined(separator: "-|-"))
var allGood = true
var details: [String] = []
let started = Date()
for (name, values) in inputs {
    let t0 = Date()
    let selection = ModelSelection(history: values, horizon: 3)
    let ms = Date().timeIntervalSince(t0) * 1000
    let best = selection.backtestWAPE.values.min()
    let chosenWAPE = selection.backtestWAPE[selection.chosen]
    let ok = best == nil || (chosenWAPE != nil && chosenWAPE! <= best!)
    allGood = allGood && ok
    let row = [pad(name, 20), pad(String(values.count), 6)] + kinds.map { pad(percent(selection.backtestWAPE[$0]), 14) }
        + [pad(selection.chosen.rawValue, 14), pad(percent(chosenWAPE), 11), pad(String(selection.origins), 7),
           pad(best == nil ? "n/a (no backtest)" : (ok ? "yes" : "NO"), 13), String(format: "%.1f", ms)]
    print(row.joined(separator: " | "))
    let next = selection.forecast.map { String(format: "%.0f [%.0f, %.0f]", $0.point, $0.low, $0.high) }.joined(separator: "; ")
    var line = "  \(name): next 3 months \(next)"
    if let reason = selection.fallbackReason { line += "; fallback: \(reason)" }
    if !selection.notes.isEmpty { line += "; notes: \(selection.notes.joined(separator: "; "))" }
    details.append(line)
}
print("")
details.forEach { print($0) }
print("")
print("WAPE over rolling origins from month 6 (month 24 when seasonal naive is compared), 1–3 months ahead; 80 % intervals.")
print(String(format: "total %.2f s; every choice is the best candidate: %@", Date().timeIntervalSince(started), allGood ? "yes" : "NO"))
if !allGood { exit(1) }
