/// A tiny inline line chart of a daily series (e.g. 60 days of a scope's cost around an
/// implementation date), for a table cell: 160×32 units, no axes.
///
/// The series is one dark polyline scaled to its own minimum and maximum (not to zero), so small
/// changes show; an all-equal series is a flat line through the middle, a single value a dot. A
/// dashed vertical rule marks `markerIndex` (the implementation day); the baseline and after
/// windows are light rectangles behind the line (grey and pale blue; they also differ by position,
/// either side of the marker). `<title>` is the label; `<desc>` is `textAlternative`, which gives
/// the range, the first and last values, the marker day and each window's average.
/// Values are printed without a currency (the series carries none): `1,234.56`.
///
/// Indices out of range are ignored: a marker outside the series is not drawn, and a window is
/// clipped to the series (and not drawn when nothing is left). Pure and deterministic.
public struct Sparkline: Sendable {
    let values: [Amount]
    let markerIndex: Int?
    let baseline: Range<Int>?
    let after: Range<Int>?
    let label: String

    /// values: one per day, oldest first. markerIndex, baseline and after: indices into `values`.
    public init(values: [Amount], markerIndex: Int?, baseline: Range<Int>?, after: Range<Int>?, label: String) {
        self.values = values; self.markerIndex = markerIndex; self.baseline = baseline; self.after = after; self.label = label
    }

    // MARK: Layout (internal, tested)

    static let width = 160.0
    static let height = 32.0
    static let padX = 2.0
    static let padY = 3.0

    enum SpanKind: String, Sendable { case baseline, after }

    struct Span: Sendable, Equatable {
        var kind: SpanKind
        /// The window clipped to the series.
        var range: Range<Int>
        var x: Double
        var width: Double
    }

    struct Layout: Sendable {
        var points: [(x: Double, y: Double)]
        var markerX: Double?
        var spans: [Span]
    }

    /// Distance between consecutive days.
    private var step: Double {
        values.count > 1 ? (Self.width - 2 * Self.padX) / Double(values.count - 1) : 0
    }

    func x(_ i: Int) -> Double {
        values.count == 1 ? Self.width / 2 : Self.padX + Double(i) * step
    }

    func layout() -> Layout {
        let n = values.count
        var points: [(x: Double, y: Double)] = []
        if let lo = values.min(), let hi = values.max() {
            let span = (hi - lo).doubleValue
            let plotHeight = Self.height - 2 * Self.padY
            for (i, v) in values.enumerated() {
                // Differences of Amounts are exact; only the ratio is a Double.
                let ratio = span > 0 ? (hi - v).doubleValue / span : 0.5
                points.append((x: x(i), y: Self.padY + min(1, max(0, ratio)) * plotHeight))
            }
        }
        let markerX = markerIndex.flatMap { (0..<n).contains($0) ? x($0) : nil }
        var spans: [Span] = []
        for (kind, range) in [(SpanKind.baseline, baseline), (.after, after)] {
            guard let clipped = Self.clip(range, to: n) else { continue }
            let half = n == 1 ? Self.width / 2 - Self.padX : step / 2
            // A window that reaches the first or last day runs to the edge of the picture.
            let left = clipped.lowerBound == 0 ? 0 : max(0, x(clipped.lowerBound) - half)
            let right = clipped.upperBound == n ? Self.width : min(Self.width, x(clipped.upperBound - 1) + half)
            spans.append(Span(kind: kind, range: clipped, x: left, width: max(0, right - left)))
        }
        return Layout(points: points, markerX: markerX, spans: spans)
    }

    static func clip(_ range: Range<Int>?, to n: Int) -> Range<Int>? {
        guard let range else { return nil }
        let lower = max(0, range.lowerBound), upper = min(n, range.upperBound)
        return lower < upper ? lower..<upper : nil
    }

    // MARK: Text

    /// `1,234.56`, `-12.00`: two decimals, English grouping, no currency.
    static func plain(_ a: Amount) -> String {
        let text = a.plainText(decimals: 2)
        let negative = text.hasPrefix("-")
        let parts = (negative ? String(text.dropFirst()) : text).split(separator: ".", omittingEmptySubsequences: false)
        let body = Formatter.group(String(parts[0])) + (parts.count > 1 ? "." + parts[1] : "")
        return negative ? "-" + body : body
    }

    /// "day 5" or "days 1–30" (days counted from 1).
    static func days(_ r: Range<Int>) -> String {
        r.count == 1 ? "day \(r.lowerBound + 1)" : "days \(r.lowerBound + 1)–\(r.upperBound)"
    }

    /// Exact mean of `values[r]`, rounded half-even to 10⁻¹⁵.
    func average(_ r: Range<Int>) -> Amount {
        let sum = values[r].reduce(Amount.zero, +)
        return Amount.mulDiv(sum, Amount(whole: 1), Amount(whole: r.count)) ?? sum
    }

    /// One sentence: how many days, the range, first and last, the marker day, each window's average.
    public var textAlternative: String {
        let clean = ChartSVG.clean(label)
        let prefix = clean.isEmpty ? "" : clean + ": "
        guard let lo = values.min(), let hi = values.max(), let first = values.first, let last = values.last else {
            return prefix + "no data."
        }
        let n = values.count
        var parts: [String]
        if n == 1 {
            parts = ["1 daily value, \(Self.plain(first))"]
        } else {
            let range = lo == hi ? "all \(Self.plain(lo))" : "from \(Self.plain(lo)) to \(Self.plain(hi))"
            parts = ["\(n) daily values \(range), first \(Self.plain(first)), last \(Self.plain(last))"]
        }
        if let m = markerIndex, (0..<n).contains(m) { parts.append("marker at day \(m + 1)") }
        for (name, range) in [("baseline", baseline), ("after", after)] {
            guard let r = Self.clip(range, to: n) else { continue }
            parts.append("\(name) \(Self.days(r)) average \(Self.plain(average(r)))")
        }
        return prefix + parts.joined(separator: "; ") + "."
    }

    // MARK: SVG

    static let lineColour = "#1f3b57"
    static let baselineFill = "#e6e6e6"
    static let afterFill = "#d6e2ee"

    public func svg() -> String {
        let num = ChartSVG.num
        let layout = layout()
        let id = ChartSVG.idPrefix("spark", fingerprint)
        var out = ChartSVG.open(id: id, width: Self.width, height: Self.height, title: label, description: textAlternative)
        guard !values.isEmpty else {
            return out + "<text x=\"\(num(Self.width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"10\">No data</text>\n</svg>"
        }
        for span in layout.spans {
            out += "<rect class=\"span \(span.kind.rawValue)\" x=\"\(num(span.x))\" y=\"0\" width=\"\(num(span.width))\" height=\"\(num(Self.height))\" "
                + "fill=\"\(span.kind == .baseline ? Self.baselineFill : Self.afterFill)\" "
                + "data-from=\"\(span.range.lowerBound)\" data-to=\"\(span.range.upperBound)\"/>\n"
        }
        if let mx = layout.markerX, let m = markerIndex {
            out += "<line class=\"marker\" x1=\"\(num(mx))\" y1=\"0\" x2=\"\(num(mx))\" y2=\"\(num(Self.height))\" "
                + "stroke=\"\(ChartSVG.ink)\" stroke-width=\"1\" stroke-dasharray=\"2 2\" data-index=\"\(m)\"/>\n"
        }
        if layout.points.count == 1, let p = layout.points.first {
            out += "<circle class=\"line\" cx=\"\(num(p.x))\" cy=\"\(num(p.y))\" r=\"1.8\" fill=\"\(Self.lineColour)\"/>\n"
        } else {
            let coords = layout.points.map { "\(num($0.x)),\(num($0.y))" }.joined(separator: " ")
            out += "<polyline class=\"line\" points=\"\(coords)\" fill=\"none\" stroke=\"\(Self.lineColour)\" stroke-width=\"1.5\" "
                + "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n"
        }
        return out + "</svg>"
    }

    /// Everything the picture depends on, for deterministic element ids.
    private var fingerprint: String {
        var s = label + "\u{1}" + (markerIndex.map(String.init) ?? "-")
        for r in [baseline, after] { s += "\u{1}" + (r.map { "\($0.lowerBound)..<\($0.upperBound)" } ?? "-") }
        for v in values { s += "\u{2}\(v.units)" }
        return s
    }
}
