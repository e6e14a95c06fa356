/// An SVG document written as UTF-8 bytes in one buffer: markup, coordinates and data text are
/// appended in place, without the intermediate strings of interpolation (a chart is hundreds of
/// pieces, and a build draws hundreds of charts).
struct SVGBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// Markup as it is (not escaped: literals and text already escaped).
    mutating func put(_ markup: String) { bytes.append(contentsOf: markup.utf8) }

    /// A coordinate as `ChartSVG.num` writes it: at most one decimal place, no locale, no
    /// exponent, no `-0`; clamped to ±10⁷, and `0` when not finite.
    mutating func num(_ v: Double) {
        guard v.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        let clamped = Swift.max(-1e7, Swift.min(1e7, v))
        let tenths = Int((clamped * 10).rounded(.toNearestOrAwayFromZero))
        let m = tenths.magnitude
        if tenths < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(m / 10)
        if m % 10 != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(m % 10))
        }
    }

    /// An amount as its exact decimal (`Amount.exactDescription`), for data attributes.
    mutating func exact(_ a: Amount) { a.appendExactDescription(to: &bytes) }

    /// Data text made safe for SVG (`ChartSVG.text`).
    mutating func text(_ s: String) { put(ChartSVG.text(s)) }

    /// The document so far.
    func finish() -> String { String(decoding: bytes, as: UTF8.self) }

    private mutating func digits(_ n: UInt) {
        var divisor: UInt = 1
        while n / divisor >= 10 { divisor *= 10 }
        var rest = n
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
