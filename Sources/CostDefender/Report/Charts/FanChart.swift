/// A monthly cost forecast as a fan chart, as inline SVG.
///
/// Actuals are a solid dark line with filled dots; the forecast is a dashed line with hollow
/// markers that continues from the last actual month before the forecast starts; the forecast
/// interval is a light shaded band with a dark dashed outline along its low and high edges, so it
/// survives greyscale print. A vertical rule marked "forecast →" separates the actual months from
/// the forecast months. The last actual and every forecast point carry their value
/// (`compactMoney`) and a `<title>` with the exact figures (and, for forecasts, the interval).
/// Pure and deterministic.
///
/// Guards: an interval that does not contain its point is widened to it (low above the point is
/// clamped to the point, high below the point likewise, low above high is swapped); a forecast
/// month without low/high gets a zero-width band at its point. A month without an actual breaks the
/// actual line (a gap), it is not interpolated.
public struct FanChart: Sendable {
    public struct Point: Sendable {
        public var label: String
        public var actual: Amount?
        public var forecast: Amount?
        public var low: Amount?
        public var high: Amount?
        public init(label: String, actual: Amount?, forecast: Amount?, low: Amount?, high: Amount?) {
            self.label = label; self.actual = actual; self.forecast = forecast; self.low = low; self.high = high
        }

        /// A forecast month: it has a point estimate or an interval.
        var isForecast: Bool { forecast != nil || low != nil || high != nil }

        /// The interval as drawn: the smallest range holding low, high and the point (whichever are
        /// present); nil for a month without forecast data.
        var band: (low: Amount, high: Amount)? {
            let values = [low, forecast, high].compactMap { $0 }
            guard let lo = values.min(), let hi = values.max() else { return nil }
            return (lo, hi)
        }
    }

    let title: String
    let points: [Point]
    let intervalLabel: String
    let formatter: Formatter

    /// points: one per month, oldest first; months with actuals first, then forecast months (a month may have both,
    /// e.g. the current month: a partial actual and its estimate). intervalLabel e.g. "80 % interval".
    public init(title: String, points: [Point], intervalLabel: String, formatter: Formatter) {
        self.title = title; self.points = points; self.intervalLabel = intervalLabel; self.formatter = formatter
    }

    // MARK: Layout (internal, tested)

    static let width = 720.0
    static let height = 360.0
    static let plotLeft = 72.0
    static let plotRight = 704.0
    static let plotTop = 56.0
    static let plotBottom = 300.0
    /// Month labels under the axis wrap at this many characters per line, two lines at most (the full
    /// label is in the point's `<title>`).
    static let labelLimit = 16
    static let valueFontSize = 10.0

    /// A point of the actual or forecast line.
    struct Vertex: Sendable, Equatable {
        var index: Int
        var value: Amount
        var x: Double
        var y: Double
    }

    /// One month of the interval band (zero width at the anchoring actual).
    struct BandVertex: Sendable, Equatable {
        var index: Int
        var low: Amount
        var high: Amount
        var x: Double
        var yLow: Double
        var yHigh: Double
    }

    /// A contiguous stretch of the band. `upper` and `lower` are its drawn edges (left to right);
    /// the polygon is `upper` followed by `lower` reversed.
    struct Band: Sendable {
        var vertices: [BandVertex]
        var upper: [(x: Double, y: Double)]
        var lower: [(x: Double, y: Double)]
        var polygon: [(x: Double, y: Double)] { upper + lower.reversed() }
    }

    enum LabelKind: String, Sendable { case actual, forecast }

    /// A value written next to a point.
    struct ValueLabel: Sendable {
        var index: Int
        var kind: LabelKind
        var text: String
        var x: Double
        var y: Double
        var anchor: String
    }

    struct Layout: Sendable {
        var axis: ChartSVG.Axis
        var slot: Double
        /// Centre x of each month.
        var xs: [Double]
        /// The actual line, split at months without an actual; the actual of a forecast month (a
        /// partial month to date) is a run of its own, drawn as a dot only.
        var actualRuns: [[Vertex]]
        /// The forecast line; a run that starts right after an actual month begins at that actual.
        var forecastRuns: [[Vertex]]
        var bands: [Band]
        /// First forecast month, and the x of the "forecast →" rule (the left edge of that month's slot).
        var forecastStart: Int?
        var ruleX: Double?
        /// Every `monthLabelStep`-th month label is shown, counted from the first forecast month
        /// (from the last month when there is no forecast).
        var monthLabelStep: Int
        var valueLabels: [ValueLabel]
        func showsMonthLabel(_ i: Int) -> Bool {
            let reference = forecastStart ?? xs.count - 1
            return (i - reference) % monthLabelStep == 0
        }
        func y(_ a: Amount) -> Double { axis.y(a, top: FanChart.plotTop, bottom: FanChart.plotBottom) }
    }

    func layout() -> Layout {
        let n = points.count
        var lo = Amount.zero, hi = Amount.zero
        for p in points {
            for v in [p.actual, p.forecast, p.low, p.high].compactMap({ $0 }) { lo = min(lo, v); hi = max(hi, v) }
        }
        let axis = ChartSVG.axis(lo: lo, hi: hi)
        let y = { (a: Amount) in axis.y(a, top: Self.plotTop, bottom: Self.plotBottom) }
        let slot = n == 0 ? 0 : (Self.plotRight - Self.plotLeft) / Double(n)
        let xs = (0..<n).map { Self.plotLeft + (Double($0) + 0.5) * slot }

        // Actual line: runs of consecutive months with an actual.
        var actualRuns: [[Vertex]] = []
        var run: [Vertex] = []
        for (i, p) in points.enumerated() {
            guard let a = p.actual else {
                if !run.isEmpty { actualRuns.append(run); run = [] }
                continue
            }
            let v = Vertex(index: i, value: a, x: xs[i], y: y(a))
            if p.isForecast {
                // A forecast month's actual is partial (month to date): a dot, not joined to the line.
                if !run.isEmpty { actualRuns.append(run); run = [] }
                actualRuns.append([v])
            } else {
                run.append(v)
            }
        }
        if !run.isEmpty { actualRuns.append(run) }

        // The forecast line and band continue from the actual of the month before a forecast
        // stretch, when that month is not itself a forecast month.
        func anchor(before start: Int) -> Amount? {
            guard start > 0, !points[start - 1].isForecast else { return nil }
            return points[start - 1].actual
        }

        var forecastRuns: [[Vertex]] = []
        run = []
        for (i, p) in points.enumerated() {
            if let f = p.forecast {
                if run.isEmpty, let a = anchor(before: i) { run.append(Vertex(index: i - 1, value: a, x: xs[i - 1], y: y(a))) }
                run.append(Vertex(index: i, value: f, x: xs[i], y: y(f)))
            } else if !run.isEmpty { forecastRuns.append(run); run = [] }
        }
        if !run.isEmpty { forecastRuns.append(run) }

        var bandRuns: [[BandVertex]] = []
        var bandRun: [BandVertex] = []
        for (i, p) in points.enumerated() {
            if let b = p.band {
                if bandRun.isEmpty, let a = anchor(before: i) {
                    bandRun.append(BandVertex(index: i - 1, low: a, high: a, x: xs[i - 1], yLow: y(a), yHigh: y(a)))
                }
                bandRun.append(BandVertex(index: i, low: b.low, high: b.high, x: xs[i], yLow: y(b.low), yHigh: y(b.high)))
            } else if !bandRun.isEmpty { bandRuns.append(bandRun); bandRun = [] }
        }
        if !bandRun.isEmpty { bandRuns.append(bandRun) }
        let bands = bandRuns.map { vertices -> Band in
            if vertices.count == 1, let v = vertices.first {
                // A lone month: a short bar either side of the point.
                let w = min(slot * 0.2, 8)
                return Band(vertices: vertices, upper: [(x: v.x - w, y: v.yHigh), (x: v.x + w, y: v.yHigh)],
                            lower: [(x: v.x - w, y: v.yLow), (x: v.x + w, y: v.yLow)])
            }
            return Band(vertices: vertices, upper: vertices.map { (x: $0.x, y: $0.yHigh) }, lower: vertices.map { (x: $0.x, y: $0.yLow) })
        }

        let forecastStart = points.firstIndex { $0.isForecast }
        let ruleX = forecastStart.map { Self.plotLeft + Double($0) * slot }

        let widestMonth = points.map { Self.monthLines($0.label).map { ChartSVG.textWidth($0, fontSize: 10) }.max() ?? 0 }.max() ?? 0
        let monthLabelStep = slot > 0 ? max(1, Int(((widestMonth + 8) / slot).rounded(.up))) : 1

        return Layout(axis: axis, slot: slot, xs: xs, actualRuns: actualRuns, forecastRuns: forecastRuns, bands: bands,
                      forecastStart: forecastStart, ruleX: ruleX, monthLabelStep: monthLabelStep,
                      valueLabels: valueLabels(xs: xs, slot: slot, y: y))
    }

    /// A month label as shown under the axis: at most two lines of at most `labelLimit` characters,
    /// broken at a space ("2026-04 (to date)" → "2026-04", "(to date)").
    static func monthLines(_ label: String) -> [String] {
        let text = ChartSVG.clean(label)
        let longestWord = text.split(separator: " ").map(\.count).max() ?? 0
        return ChartSVG.wrap(text, maxChars: min(labelLimit, max(10, longestWord)), maxLines: 2)
    }

    /// Values for the last actual and every forecast point. When they do not fit side by side they
    /// alternate above and below their points (and, when even that is too tight, only every m-th
    /// forecast is written, always including the last). A last actual in a month that also has a
    /// forecast (a partial month) is written on the far side of its dot from the forecast, and the
    /// forecast on the far side from the actual.
    private func valueLabels(xs: [Double], slot: Double, y: (Amount) -> Double) -> [ValueLabel] {
        // One label per position, left to right, plus the partial month's actual on the side.
        var items: [(index: Int, kind: LabelKind, value: Amount)] = []
        var partial: (index: Int, value: Amount)?
        if let i = points.lastIndex(where: { $0.actual != nil }), let a = points[i].actual {
            if points[i].forecast != nil { partial = (i, a) } else { items.append((i, .actual, a)) }
        }
        for (i, p) in points.enumerated() { if let f = p.forecast { items.append((i, .forecast, f)) } }
        items.sort { $0.index < $1.index }

        let values = items.map(\.value) + (partial.map { [$0.value] } ?? [])
        let widest = values.map { ChartSVG.textWidth(formatter.compactMoney($0), fontSize: Self.valueFontSize) }.max() ?? 0
        let crowded = widest > slot - 4
        if crowded, let last = items.last(where: { $0.kind == .forecast })?.index {
            let thin = max(1, Int(((widest + 4) / (2 * slot)).rounded(.up)))
            items.removeAll { $0.kind == .forecast && (last - $0.index) % thin != 0 && $0.index != partial?.index }
        }

        // Sides: alternate when crowded, in step with the partial month's forecast when there is one.
        var above = [Bool](repeating: true, count: items.count)
        if let partial, let k = items.firstIndex(where: { $0.index == partial.index }) {
            let side = items[k].value >= partial.value
            for j in items.indices { above[j] = !crowded || (j - k) % 2 == 0 ? side : !side }
        } else if crowded {
            for j in items.indices { above[j] = (items.count - 1 - j) % 2 == 0 }
        }
        var placed = Array(zip(items, above).map { (index: $0.0.index, kind: $0.0.kind, value: $0.0.value, above: $0.1) })
        if let partial {
            let forecast = points[partial.index].forecast!
            placed.append((partial.index, .actual, partial.value, partial.value > forecast))
        }
        placed.sort { $0.index != $1.index ? $0.index < $1.index : $0.kind == .actual && $1.kind == .forecast }

        return placed.map { item in
            let text = formatter.compactMoney(item.value)
            let py = y(item.value)
            var labelY = item.above ? py - 7 : py + 15
            if !item.above && labelY > Self.plotBottom - 2 { labelY = py - 7 }
            let x = xs[item.index]
            let half = ChartSVG.textWidth(text, fontSize: Self.valueFontSize) / 2
            let anchor = x + half > Self.width - 2 ? "end" : x - half < Self.plotLeft ? "start" : "middle"
            let ax = anchor == "end" ? min(x + 6, Self.width - 2) : anchor == "start" ? max(x - 6, Self.plotLeft + 2) : x
            return ValueLabel(index: item.index, kind: item.kind, text: text, x: ax, y: labelY, anchor: anchor)
        }
    }

    // MARK: Text

    private var intervalName: String { intervalLabel.isEmpty ? "interval" : intervalLabel }

    /// "$1,300.00 (80 % interval $1,200.00 to $1,400.00)", or the point alone when no interval was given.
    private func forecastDescription(_ p: Point) -> String {
        var s = p.forecast.map { formatter.money($0) } ?? "no point estimate"
        if p.low != nil || p.high != nil, let b = p.band {
            s += " (\(intervalName) \(formatter.money(b.low)) to \(formatter.money(b.high)))"
        }
        return s
    }

    /// One sentence: the last actual month, then each forecast month with point and interval, in dollars.
    public var textAlternative: String {
        let prefix = title.isEmpty ? "" : title + ": "
        guard !points.isEmpty else { return prefix + "no data." }
        var parts: [String] = []
        if let i = points.lastIndex(where: { $0.actual != nil }) {
            parts.append("last actual \(points[i].label) \(formatter.money(points[i].actual!))")
        } else {
            parts.append("no actuals")
        }
        let forecasts = points.filter(\.isForecast).map { "\($0.label) \(forecastDescription($0))" }
        parts.append(forecasts.isEmpty ? "no forecast" : "forecast " + WaterfallChart.list(forecasts))
        return prefix + parts.joined(separator: "; ") + "."
    }

    // MARK: SVG

    static let lineColour = "#1f3b57"
    static let bandFill = "#a8c1db"
    static let bandOutline = "#404040"
    static let ruleColour = "#595959"

    public func svg() -> String {
        guard !points.isEmpty else {
            return ChartSVG.noData(kind: "fan", title: title, description: textAlternative)
        }
        let layout = layout()
        let id = ChartSVG.idPrefix("fan", fingerprint)
        let num = ChartSVG.num
        let ink = ChartSVG.ink
        let line = Self.lineColour
        let coords = { (pts: [(x: Double, y: Double)]) in pts.map { "\(num($0.x)),\(num($0.y))" }.joined(separator: " ") }

        var out = ChartSVG.open(id: id, width: Self.width, height: Self.height, title: title, description: textAlternative)
        out += "<rect width=\"\(num(Self.width))\" height=\"\(num(Self.height))\" fill=\"#ffffff\"/>\n"
        let (legendSVG, legendLeft) = legend(layout)
        out += ChartSVG.heading(title, maxWidth: legendLeft - 24)
        out += legendSVG
        out += ChartSVG.valueAxis(layout.axis, left: Self.plotLeft, right: Self.plotRight, top: Self.plotTop, bottom: Self.plotBottom, formatter: formatter)
        out += "<line class=\"x-axis\" x1=\"\(num(Self.plotLeft))\" y1=\"\(num(Self.plotBottom))\" x2=\"\(num(Self.plotRight))\" y2=\"\(num(Self.plotBottom))\" stroke=\"\(ink)\" stroke-width=\"1\"/>\n"

        // Interval band: light fill, dark dashed low and high edges.
        if !layout.bands.isEmpty {
            out += "<g class=\"interval\">\n"
            for band in layout.bands {
                out += "<polygon class=\"band\" points=\"\(coords(band.polygon))\" fill=\"\(Self.bandFill)\" fill-opacity=\"0.55\" stroke=\"none\"/>\n"
                for (name, edge) in [("high", band.upper), ("low", band.lower)] {
                    out += "<polyline class=\"band-\(name)\" points=\"\(coords(edge))\" fill=\"none\" stroke=\"\(Self.bandOutline)\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>\n"
                }
            }
            out += "</g>\n"
        }

        // Where forecasting starts.
        if let x = layout.ruleX {
            out += "<line class=\"forecast-start\" x1=\"\(num(x))\" y1=\"\(num(Self.plotTop - 24))\" x2=\"\(num(x))\" y2=\"\(num(Self.plotBottom))\" stroke=\"\(Self.ruleColour)\" stroke-width=\"1\"/>\n"
            let label = "forecast →"
            let fits = x + 4 + ChartSVG.textWidth(label, fontSize: 10) <= Self.width - 4
            out += "<text class=\"forecast-start\" x=\"\(num(fits ? x + 4 : x - 4))\" y=\"\(num(Self.plotTop - 16))\" text-anchor=\"\(fits ? "start" : "end")\" font-size=\"10\">\(label)</text>\n"
        }

        // Lines.
        for run in layout.actualRuns where run.count > 1 {
            out += "<polyline class=\"actual\" points=\"\(coords(run.map { (x: $0.x, y: $0.y) }))\" fill=\"none\" stroke=\"\(line)\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>\n"
        }
        for run in layout.forecastRuns where run.count > 1 {
            out += "<polyline class=\"forecast\" points=\"\(coords(run.map { (x: $0.x, y: $0.y) }))\" fill=\"none\" stroke=\"\(line)\" stroke-width=\"2\" stroke-dasharray=\"6 4\" stroke-linejoin=\"round\"/>\n"
        }

        // Markers, each with its figures in a <title>.
        for v in layout.actualRuns.joined() {
            let label = ChartSVG.clean(points[v.index].label)
            out += "<g class=\"point actual\" data-index=\"\(v.index)\" data-value=\"\(v.value.exactDescription)\">"
                + "<title>\(ChartSVG.text(label + " actual: " + formatter.money(v.value)))</title>"
                + "<circle cx=\"\(num(v.x))\" cy=\"\(num(v.y))\" r=\"3.5\" fill=\"\(line)\" stroke=\"#ffffff\" stroke-width=\"1\"/></g>\n"
        }
        for (i, p) in points.enumerated() where p.isForecast {
            guard let band = p.band else { continue }
            let tooltip = ChartSVG.clean(p.label) + " forecast: " + forecastDescription(p)
            out += "<g class=\"point forecast\" data-index=\"\(i)\""
                + (p.forecast.map { " data-value=\"\($0.exactDescription)\"" } ?? "")
                + " data-low=\"\(band.low.exactDescription)\" data-high=\"\(band.high.exactDescription)\">"
                + "<title>\(ChartSVG.text(tooltip))</title>"
            if let f = p.forecast {
                out += "<circle cx=\"\(num(layout.xs[i]))\" cy=\"\(num(layout.y(f)))\" r=\"3.5\" fill=\"#ffffff\" stroke=\"\(line)\" stroke-width=\"1.5\"/>"
            } else {
                // No point estimate: an invisible hit area over the interval, for the tooltip.
                let top = layout.y(band.high), bottom = layout.y(band.low)
                out += "<rect x=\"\(num(layout.xs[i] - 4))\" y=\"\(num(top))\" width=\"8\" height=\"\(num(max(bottom - top, 1)))\" fill=\"#ffffff\" fill-opacity=\"0\"/>"
            }
            out += "</g>\n"
        }

        // Values: dark text with a white halo, so it stays legible over the band and lines.
        for label in layout.valueLabels {
            out += "<text class=\"value \(label.kind.rawValue)\" x=\"\(num(label.x))\" y=\"\(num(label.y))\" text-anchor=\"\(label.anchor)\" "
                + "font-size=\"10\" font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" style=\"paint-order: stroke\">"
                + "\(ChartSVG.text(label.text))</text>\n"
        }

        // Month labels, thinned when they would collide (the first forecast month is always labelled).
        out += "<g class=\"months\" font-size=\"10\">\n"
        for (i, p) in points.enumerated() where layout.showsMonthLabel(i) {
            let x = layout.xs[i]
            let lines = Self.monthLines(p.label)
            let half = (lines.map { ChartSVG.textWidth($0, fontSize: 10) }.max() ?? 0) / 2
            let tx = num(min(max(x, half + 2), Self.width - half - 2))
            out += "<line x1=\"\(num(x))\" y1=\"\(num(Self.plotBottom))\" x2=\"\(num(x))\" y2=\"\(num(Self.plotBottom + 4))\" stroke=\"\(ink)\" stroke-width=\"1\"/>"
            out += "<text class=\"month\" x=\"\(tx)\" y=\"\(num(Self.plotBottom + 16))\" text-anchor=\"middle\">"
            if lines.count == 1 {
                out += ChartSVG.text(lines[0])
            } else {
                for (k, line) in lines.enumerated() { out += "<tspan x=\"\(tx)\" dy=\"\(k == 0 ? "0" : "11")\">\(ChartSVG.text(line))</tspan>" }
            }
            out += "</text>\n"
        }
        out += "</g>\n"
        out += "</svg>"
        return out
    }

    /// Key for the marks actually drawn, top right; returns the SVG and its left edge.
    private func legend(_ layout: Layout) -> (String, Double) {
        let num = ChartSVG.num
        let line = Self.lineColour
        var items: [(name: String, swatch: (Double) -> String)] = []
        if !layout.actualRuns.isEmpty {
            items.append(("Actual", { x in
                "<line x1=\"\(num(x))\" y1=\"16\" x2=\"\(num(x + 30))\" y2=\"16\" stroke=\"\(line)\" stroke-width=\"2.2\"/>"
                    + "<circle cx=\"\(num(x + 15))\" cy=\"16\" r=\"3.5\" fill=\"\(line)\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
            }))
        }
        if points.contains(where: { $0.forecast != nil }) {
            items.append(("Forecast", { x in
                "<line x1=\"\(num(x))\" y1=\"16\" x2=\"\(num(x + 30))\" y2=\"16\" stroke=\"\(line)\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
                    + "<circle cx=\"\(num(x + 15))\" cy=\"16\" r=\"3.5\" fill=\"#ffffff\" stroke=\"\(line)\" stroke-width=\"1.5\"/>"
            }))
        }
        if points.contains(where: { $0.low != nil || $0.high != nil }) {
            items.append((ChartSVG.truncate(ChartSVG.clean(intervalName), to: 24), { x in
                "<rect x=\"\(num(x))\" y=\"10\" width=\"30\" height=\"12\" fill=\"\(Self.bandFill)\" fill-opacity=\"0.55\" "
                    + "stroke=\"\(Self.bandOutline)\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>"
            }))
        }
        let widths = items.map { 36 + ChartSVG.textWidth($0.name, fontSize: 10) + 14 }
        let left = Self.width - 12 - widths.reduce(0, +) + 14
        var out = "<g class=\"legend\" font-size=\"10\">"
        var x = left
        for (k, item) in items.enumerated() {
            out += item.swatch(x)
            out += "<text x=\"\(num(x + 36))\" y=\"20\">\(ChartSVG.text(item.name))</text>"
            x += widths[k]
        }
        return (out + "</g>\n", left)
    }

    /// Everything the picture depends on, for deterministic element ids.
    private var fingerprint: String {
        var s = title + "\u{1}" + formatter.currency + "\u{1}" + intervalLabel
        let field = { (a: Amount?) in a.map { "\($0.units)" } ?? "-" }
        for p in points {
            s += "\u{1}\(p.label)\u{2}\(field(p.actual))\u{2}\(field(p.forecast))\u{2}\(field(p.low))\u{2}\(field(p.high))"
        }
        return s
    }
}
