/// Monthly cost by team (or any series) as stacked columns, one column per month, as inline SVG.
///
/// The top `maxSeries - 1` series by gross total (Σ|value|) are kept, largest at the bottom of the
/// stack, and the rest are summed into "Other" (on top). Each series has its own blue/grey shade
/// plus its own pattern, so the chart works in greyscale; a legend lists them in stacking order.
/// Positive values stack up from zero and negative ones (credits) down from zero; the net column
/// total is written above each column. Pure and deterministic.
public struct StackedColumnChart: Sendable {
    struct Series: Sendable, Equatable {
        var name: String
        var values: [Amount]
    }

    let title: String
    let categories: [String]
    /// The series as given.
    let series: [Series]
    let formatter: Formatter
    let maxSeries: Int

    /// `values[i]` belongs to `categories[i]`; missing values count as zero and extra ones are ignored.
    /// `maxSeries` is clamped to 1…8 (there are eight distinct fills).
    public init(title: String, categories: [String], series: [(name: String, values: [Amount])], formatter: Formatter, maxSeries: Int = 8) {
        self.title = title
        self.categories = categories
        self.series = series.map { Series(name: $0.name, values: $0.values) }
        self.formatter = formatter
        self.maxSeries = maxSeries
    }

    static let otherName = "Other"

    // MARK: Series selection (internal, tested)

    /// The series drawn, in stacking order (bottom first): the largest by gross total, then "Other"
    /// when there were more than `maxSeries`. Values are padded or cut to the categories.
    var displayedSeries: [Series] {
        let n = categories.count
        let fitted = series.map { s in
            Series(name: s.name, values: (0..<n).map { $0 < s.values.count ? s.values[$0] : .zero })
        }
        let limit = min(max(maxSeries, 1), Self.fills.count)
        let gross = fitted.map { $0.values.reduce(Amount.zero) { $0 + $1.magnitude } }
        let ranked = fitted.indices.sorted { gross[$0] != gross[$1] ? gross[$0] > gross[$1] : $0 < $1 }
        guard fitted.count > limit else { return ranked.map { fitted[$0] } }
        // An input series already called "Other" joins the aggregate rather than appearing twice.
        let candidates = ranked.filter { fitted[$0].name != Self.otherName }
        let kept = Array(candidates.prefix(limit - 1))
        var other = [Amount](repeating: .zero, count: n)
        for i in ranked where !kept.contains(i) {
            for (c, v) in fitted[i].values.enumerated() { other[c] += v }
        }
        return kept.map { fitted[$0] } + [Series(name: Self.otherName, values: other)]
    }

    // MARK: Layout (internal, tested)

    static let width = 720.0
    static let height = 360.0
    static let plotLeft = 72.0
    static let plotRight = 548.0
    static let legendX = 564.0
    static let plotBottom = 296.0
    static let labelLimit = 28

    struct Segment: Sendable {
        var series: Int
        var value: Amount
        var start: Amount
        var end: Amount
    }

    struct Column: Sendable {
        var category: String
        var total: Amount
        /// Highest point of the positive stack (≥ 0) and lowest of the negative one (≤ 0).
        var top: Amount
        var bottom: Amount
        var segments: [Segment]
    }

    struct Layout: Sendable {
        var series: [Series]
        var columns: [Column]
        var axis: ChartSVG.Axis
        var slot: Double
        var barWidth: Double
        var plotTop: Double
        var rotatedTotals: Bool
        func y(_ a: Amount) -> Double { axis.y(a, top: plotTop, bottom: StackedColumnChart.plotBottom) }
    }

    func layout() -> Layout {
        let shown = displayedSeries
        var columns: [Column] = []
        for (c, category) in categories.enumerated() {
            var up = Amount.zero, down = Amount.zero, total = Amount.zero
            var segments: [Segment] = []
            for (s, series) in shown.enumerated() {
                let v = series.values[c]
                total += v
                if v > .zero { segments.append(Segment(series: s, value: v, start: up, end: up + v)); up += v }
                else if v < .zero { segments.append(Segment(series: s, value: v, start: down, end: down + v)); down += v }
            }
            columns.append(Column(category: category, total: total, top: up, bottom: down, segments: segments))
        }
        let lo = columns.reduce(Amount.zero) { min($0, $1.bottom) }
        let hi = columns.reduce(Amount.zero) { max($0, $1.top) }
        let axis = ChartSVG.axis(lo: lo, hi: hi)
        let slot = categories.isEmpty ? 0 : (Self.plotRight - Self.plotLeft) / Double(categories.count)
        let widest = columns.map { ChartSVG.textWidth(formatter.compactMoney($0.total), fontSize: 10) }.max() ?? 0
        let rotated = widest > slot - 2
        // Vertical total labels need headroom above the tallest column.
        let plotTop = rotated ? 44 + min(widest, 60) : 48
        return Layout(series: shown, columns: columns, axis: axis, slot: slot, barWidth: min(slot * 0.7, 48),
                      plotTop: plotTop, rotatedTotals: rotated)
    }

    // MARK: Fills

    enum Mark: Sendable { case none, diagonal, dots, horizontal, crosshatch, vertical, antidiagonal, sparseDots }

    /// Eight fills that differ in greyscale value *and* in pattern.
    static let fills: [(base: String, mark: Mark, markColour: String)] = [
        ("#1f3b57", .none, ""),
        ("#5b7fa6", .diagonal, "#ffffff"),
        ("#a8c1db", .dots, "#1a1a1a"),
        ("#3d3d3d", .horizontal, "#ffffff"),
        ("#bdbdbd", .crosshatch, "#1a1a1a"),
        ("#7a7a7a", .vertical, "#ffffff"),
        ("#dfe8f1", .antidiagonal, "#1a1a1a"),
        ("#f7f7f7", .sparseDots, "#1a1a1a"),
    ]

    static func patternDef(_ index: Int, id: String) -> String {
        let f = fills[index]
        let base = "<rect width=\"6\" height=\"6\" fill=\"\(f.base)\"/>"
        let open = { (rotate: String?) in
            "<pattern id=\"\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"" + (rotate.map { " patternTransform=\"rotate(\($0))\"" } ?? "") + ">" + base
        }
        let line = { (x1: Int, y1: Int, x2: Int, y2: Int) in
            "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"\(f.markColour)\" stroke-width=\"1.4\"/>"
        }
        switch f.mark {
        case .none: return ""
        case .diagonal: return open("45") + line(0, 0, 0, 6) + "</pattern>"
        case .antidiagonal: return open("-45") + line(0, 0, 0, 6) + "</pattern>"
        case .horizontal: return open(nil) + line(0, 3, 6, 3) + "</pattern>"
        case .vertical: return open(nil) + line(3, 0, 3, 6) + "</pattern>"
        case .crosshatch: return open("45") + line(0, 0, 0, 6) + line(0, 0, 6, 0) + "</pattern>"
        case .dots: return open(nil) + "<circle cx=\"3\" cy=\"3\" r=\"1.2\" fill=\"\(f.markColour)\"/></pattern>"
        case .sparseDots:
            return "<pattern id=\"\(id)\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"\(f.base)\"/>"
                + "<circle cx=\"2\" cy=\"2\" r=\"1\" fill=\"\(f.markColour)\"/><circle cx=\"6\" cy=\"6\" r=\"1\" fill=\"\(f.markColour)\"/></pattern>"
        }
    }

    static func fill(_ index: Int, prefix: String) -> String {
        fills[index].mark == .none ? fills[index].base : "url(#\(prefix)-p\(index))"
    }

    // MARK: Text

    /// Column totals and series totals in one sentence.
    public var textAlternative: String {
        let prefix = title.isEmpty ? "" : title + ": "
        let shown = displayedSeries
        guard !categories.isEmpty, !shown.isEmpty else { return prefix + "no data." }
        let columns = layout().columns
        let span = categories.count == 1 ? "1 column (\(categories[0]))"
            : "\(categories.count) columns from \(categories.first!) to \(categories.last!)"
        let totals = columns.map { "\($0.category) \(formatter.money($0.total))" }
        let seriesTotals = shown.map { s in "\(s.name) \(formatter.money(s.values.reduce(Amount.zero, +)))" }
        return prefix + span + "; column totals " + WaterfallChart.list(totals)
            + "; series totals " + WaterfallChart.list(seriesTotals) + "."
    }

    // MARK: SVG

    public func svg() -> String {
        guard !categories.isEmpty, !series.isEmpty else {
            return ChartSVG.noData(kind: "sc", title: title, description: textAlternative)
        }
        let layout = layout()
        let id = ChartSVG.idPrefix("sc", fingerprint)
        let num = ChartSVG.num

        var out = ChartSVG.open(id: id, width: Self.width, height: Self.height, title: title, description: textAlternative)
        let defs = layout.series.indices.map { Self.patternDef($0, id: "\(id)-p\($0)") }.joined()
        if !defs.isEmpty { out += "<defs>" + defs + "</defs>\n" }
        out += "<rect width=\"\(num(Self.width))\" height=\"\(num(Self.height))\" fill=\"#ffffff\"/>\n"
        out += ChartSVG.heading(title, maxWidth: Self.width - 24)
        out += ChartSVG.valueAxis(layout.axis, left: Self.plotLeft, right: Self.plotRight, top: layout.plotTop,
                                  bottom: Self.plotBottom, formatter: formatter)

        for (c, column) in layout.columns.enumerated() {
            let center = Self.plotLeft + (Double(c) + 0.5) * layout.slot
            let x = center - layout.barWidth / 2
            let fullCategory = ChartSVG.clean(column.category)
            out += "<g class=\"column\" data-total=\"\(column.total.exactDescription)\">"
            var tooltip = fullCategory + ": total " + formatter.money(column.total)
            for seg in column.segments { tooltip += "; " + ChartSVG.clean(layout.series[seg.series].name) + " " + formatter.money(seg.value) }
            out += "<title>\(ChartSVG.text(tooltip))</title>\n"
            for seg in column.segments {
                let yTop = layout.y(max(seg.start, seg.end)), yBottom = layout.y(min(seg.start, seg.end))
                let name = ChartSVG.clean(layout.series[seg.series].name)
                out += "<rect x=\"\(num(x))\" y=\"\(num(yTop))\" width=\"\(num(layout.barWidth))\" height=\"\(num(max(yBottom - yTop, 0.5)))\" "
                    + "fill=\"\(Self.fill(seg.series, prefix: id))\" stroke=\"#ffffff\" stroke-width=\"0.8\" data-series=\"\(seg.series)\" data-start=\"\(seg.start.exactDescription)\" data-end=\"\(seg.end.exactDescription)\">"
                    + "<title>\(ChartSVG.text(name + ", " + fullCategory + ": " + formatter.money(seg.value)))</title></rect>\n"
            }
            // Net total above the column (below it when the column is all credits).
            let totalText = ChartSVG.text(formatter.compactMoney(column.total))
            let below = column.top.isZero && column.total < .zero
            let anchorY = below ? layout.y(column.bottom) + 12 : layout.y(column.top) - 4
            if layout.rotatedTotals && !below {
                out += "<text class=\"total\" x=\"\(num(center + 3.5))\" y=\"\(num(anchorY))\" font-size=\"10\" font-weight=\"bold\" "
                    + "transform=\"rotate(-90 \(num(center + 3.5)) \(num(anchorY)))\">\(totalText)</text>\n"
            } else {
                out += "<text class=\"total\" x=\"\(num(center))\" y=\"\(num(anchorY))\" text-anchor=\"middle\" font-size=\"10\" font-weight=\"bold\">\(totalText)</text>\n"
            }
            out += ChartSVG.categoryLabel(ChartSVG.truncate(fullCategory, to: Self.labelLimit), centerX: center, topY: Self.plotBottom + 16,
                                          slotWidth: layout.slot, maxLines: 2, rotatedChars: 12)
            out += "</g>\n"
        }
        out += legend(layout.series, prefix: id, top: layout.plotTop)
        out += "</svg>"
        return out
    }

    /// Swatch and name per series, top of the stack first, so it reads like the columns.
    private func legend(_ shown: [Series], prefix: String, top: Double) -> String {
        let num = ChartSVG.num
        var out = "<g class=\"legend\" font-size=\"10\">\n"
        for (row, index) in shown.indices.reversed().enumerated() {
            let y = min(top, 48) + Double(row) * 20
            let name = ChartSVG.clean(shown[index].name)
            out += "<g><title>\(ChartSVG.text(name))</title>"
            out += "<rect x=\"\(num(Self.legendX))\" y=\"\(num(y))\" width=\"14\" height=\"14\" fill=\"\(Self.fill(index, prefix: prefix))\" stroke=\"\(ChartSVG.ink)\" stroke-width=\"0.6\"/>"
            out += "<text x=\"\(num(Self.legendX + 20))\" y=\"\(num(y + 11))\">\(ChartSVG.text(ChartSVG.truncate(name, to: 24)))</text></g>\n"
        }
        return out + "</g>\n"
    }

    private var fingerprint: String {
        var s = title + "\u{1}" + formatter.currency + "\u{1}\(maxSeries)"
        for c in categories { s += "\u{1}" + c }
        for series in series {
            s += "\u{1}" + series.name
            for v in series.values { s += "\u{2}\(v.units)" }
        }
        return s
    }
}
