/// A bridge from a start figure through signed drivers to an end figure, as inline SVG.
///
/// Totals are bars from zero in mid-grey; increases are dark solid bars and decreases light hatched
/// bars with a dark outline (so they differ in print and greyscale, not only by colour). Each delta
/// floats from the running total; dashed connectors join consecutive bars. Every bar carries its
/// amount (`compactMoney`, signed for deltas), its label underneath (wrapped, cut at 28 characters)
/// and a `<title>` with the full label and exact amount. Pure and deterministic.
public struct WaterfallChart: Sendable {
    public struct Step: Sendable {
        public var label: String
        public var amount: Amount
        public var isTotal: Bool
        public init(label: String, amount: Amount, isTotal: Bool) {
            self.label = label; self.amount = amount; self.isTotal = isTotal
        }
    }

    let title: String
    let steps: [Step]
    let formatter: Formatter

    /// steps: first and last are totals (start, end; isTotal = true: bars from zero), the middle ones are deltas
    /// (floating bars from the running total). A step labelled like "Unexplained" is just another delta.
    /// A total in the middle (a subtotal) is drawn from zero and resets the running total.
    public init(title: String, steps: [Step], formatter: Formatter) {
        self.title = title; self.steps = steps; self.formatter = formatter
    }

    // MARK: Layout (internal, tested)

    static let height = 360.0
    static let minWidth = 720.0
    static let stepWidth = 70.0
    static let plotLeft = 72.0
    static let rightMargin = 16.0
    static let plotTop = 48.0
    static let plotBottom = 290.0
    static let labelLimit = 28
    static let labelLines = 4

    enum Kind: String, Sendable {
        case total, increase, decrease
        /// Position among the cases.
        var index: Int { self == .total ? 0 : self == .increase ? 1 : 2 }
    }

    struct Bar: Sendable {
        var label: String
        var amount: Amount
        var kind: Kind
        /// Running total where the bar starts and ends (0 → amount for totals).
        var start: Amount
        var end: Amount
        var x: Double
        var width: Double
        var yTop: Double
        var yBottom: Double
        var centerX: Double { x + width / 2 }
    }

    struct Layout: Sendable {
        var width: Double
        var height: Double
        var slot: Double
        var axis: ChartSVG.Axis
        var bars: [Bar]
        var zeroY: Double
    }

    func layout() -> Layout {
        let n = steps.count
        let width = max(Self.minWidth, Self.plotLeft + Double(n) * Self.stepWidth + Self.rightMargin)
        let slot = n == 0 ? 0 : (width - Self.plotLeft - Self.rightMargin) / Double(n)
        let barWidth = min(slot * 0.62, 64)

        var running = Amount.zero
        var spans: [(start: Amount, end: Amount, kind: Kind)] = []
        for step in steps {
            if step.isTotal {
                spans.append((.zero, step.amount, .total))
                running = step.amount
            } else {
                let end = running + step.amount
                spans.append((running, end, step.amount < .zero ? .decrease : .increase))
                running = end
            }
        }
        let lo = spans.reduce(Amount.zero) { min($0, $1.start, $1.end) }
        let hi = spans.reduce(Amount.zero) { max($0, $1.start, $1.end) }
        let axis = ChartSVG.axis(lo: lo, hi: hi)
        let y = { (a: Amount) in axis.y(a, top: Self.plotTop, bottom: Self.plotBottom) }

        var bars: [Bar] = []
        for (i, step) in steps.enumerated() {
            let s = spans[i]
            let x = Self.plotLeft + Double(i) * slot + (slot - barWidth) / 2
            bars.append(Bar(label: step.label, amount: step.amount, kind: s.kind, start: s.start, end: s.end,
                            x: x, width: barWidth, yTop: y(max(s.start, s.end)), yBottom: y(min(s.start, s.end))))
        }
        return Layout(width: width, height: Self.height, slot: slot, axis: axis, bars: bars, zeroY: y(.zero))
    }

    // MARK: Text

    /// The bar's value label: `compactMoney`, with a `+` for positive deltas.
    func valueLabel(_ step: Step) -> String {
        let text = formatter.compactMoney(step.amount)
        return !step.isTotal && step.amount.cents > 0 ? "+" + text : text
    }

    /// A one-sentence text alternative that lists start, each driver and end in dollars.
    public var textAlternative: String {
        let prefix = title.isEmpty ? "" : title + ": "
        guard !steps.isEmpty else { return prefix + "no data." }
        let describe = { (s: Step) -> String in
            s.isTotal ? "\(s.label) \(formatter.money(s.amount))" : "\(s.label) \(formatter.signedMoney(s.amount))"
        }
        if steps.count >= 2, let first = steps.first, let last = steps.last, first.isTotal, last.isTotal {
            let middle = steps.dropFirst().dropLast().map { s in s.isTotal ? "subtotal " + describe(s) : describe(s) }
            let drivers = middle.isEmpty ? "" : ", then " + Self.list(middle)
            return prefix + "starts at \(formatter.money(first.amount)) (\(first.label))\(drivers), "
                + "and ends at \(formatter.money(last.amount)) (\(last.label))."
        }
        return prefix + Self.list(steps.map(describe)) + "."
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    // MARK: SVG

    public func svg() -> String {
        guard !steps.isEmpty else {
            return ChartSVG.noData(kind: "wf", title: title, description: textAlternative)
        }
        let layout = layout()
        let id = ChartSVG.idPrefix("wf", fingerprint)
        let hatch = "\(id)-dec"
        let ink = ChartSVG.ink
        let right = layout.width - Self.rightMargin
        // The bar styles, in the order of `Kind`'s cases.
        let styles = ["fill=\"#8c8c8c\" stroke=\"\(ink)\" stroke-width=\"0.8\"", "fill=\"#1f3b57\" stroke=\"\(ink)\" stroke-width=\"0.8\"",
                      "fill=\"url(#\(hatch))\" stroke=\"\(ink)\" stroke-width=\"1.5\""]

        var out = SVGBuffer(capacity: 4096 + 1024 * steps.count)
        ChartSVG.open(id: id, width: layout.width, height: layout.height, title: title, description: textAlternative, into: &out)
        out.put("<defs><pattern id=\""); out.put(hatch); out.put("\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
        out.put("<rect width=\"6\" height=\"6\" fill=\"#f2f2f2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\""); out.put(ink)
        out.put("\" stroke-width=\"1.5\"/></pattern></defs>\n")
        out.put("<rect width=\""); out.num(layout.width); out.put("\" height=\""); out.num(layout.height); out.put("\" fill=\"#ffffff\"/>\n")
        ChartSVG.heading(title, maxWidth: layout.width - 12 - 300, into: &out)
        legend(right: layout.width - 12, styles: styles, into: &out)
        ChartSVG.valueAxis(layout.axis, left: Self.plotLeft, right: right, top: Self.plotTop, bottom: Self.plotBottom, formatter: formatter, into: &out)

        // Connectors: from the end level of each bar to the next bar.
        out.put("<g class=\"connectors\" stroke=\""); out.put(ink); out.put("\" stroke-width=\"1\" stroke-dasharray=\"3 2\">\n")
        for (a, b) in zip(layout.bars, layout.bars.dropFirst()) {
            let y = layout.axis.y(a.end, top: Self.plotTop, bottom: Self.plotBottom)
            out.put("<line x1=\""); out.num(a.x + a.width); out.put("\" y1=\""); out.num(y); out.put("\" x2=\""); out.num(b.x); out.put("\" y2=\""); out.num(y)
            out.put("\"/>\n")
        }
        out.put("</g>\n")

        for (i, bar) in layout.bars.enumerated() {
            let step = steps[i]
            let fullLabel = ChartSVG.clean(step.label)
            let amountText = step.isTotal ? formatter.money(step.amount) : formatter.signedMoney(step.amount)
            out.put("<g class=\"bar "); out.put(bar.kind.rawValue); out.put("\" data-kind=\""); out.put(bar.kind.rawValue)
            out.put("\" data-start=\""); out.exact(bar.start); out.put("\" data-end=\""); out.exact(bar.end); out.put("\">")
            out.put("<title>"); out.text(fullLabel + ": " + amountText); out.put("</title>\n")
            let height = max(bar.yBottom - bar.yTop, 1)
            let top = bar.yBottom - bar.yTop < 1 ? (bar.yTop + bar.yBottom) / 2 - 0.5 : bar.yTop
            out.put("<rect x=\""); out.num(bar.x); out.put("\" y=\""); out.num(top); out.put("\" width=\""); out.num(bar.width)
            out.put("\" height=\""); out.num(height); out.put("\" "); out.put(styles[bar.kind.index]); out.put("/>\n")
            // Value label: below bars that go down (decreases, negative totals), above the others.
            let below = bar.kind == .decrease || (bar.kind == .total && bar.amount < .zero)
            let labelY = below ? bar.yBottom + 12 : bar.yTop - 4
            out.put("<text class=\"value\" x=\""); out.num(bar.centerX); out.put("\" y=\""); out.num(labelY)
            out.put("\" text-anchor=\"middle\" font-size=\"10\" font-weight=\"bold\">"); out.text(valueLabel(step)); out.put("</text>\n")
            let shown = ChartSVG.truncate(fullLabel, to: Self.labelLimit)
            ChartSVG.categoryLabel(shown, centerX: Self.plotLeft + (Double(i) + 0.5) * layout.slot, topY: Self.plotBottom + 26,
                                   slotWidth: layout.slot, maxLines: Self.labelLines, rotatedChars: Self.labelLimit, into: &out)
            out.put("</g>\n")
        }
        out.put("</svg>")
        return out.finish()
    }

    /// Key for the three bar styles, top right.
    private func legend(right: Double, styles: [String], into out: inout SVGBuffer) {
        out.put("<g class=\"legend\" font-size=\"10\">")
        var x = right - 270
        for (name, kind) in [("Increase", Kind.increase), ("Decrease", .decrease), ("Total", .total)] {
            out.put("<rect x=\""); out.num(x); out.put("\" y=\"10\" width=\"12\" height=\"12\" "); out.put(styles[kind.index]); out.put("/>")
            out.put("<text x=\""); out.num(x + 16); out.put("\" y=\"20\">"); out.put(name); out.put("</text>")
            x += 90
        }
        out.put("</g>\n")
    }

    /// Everything the picture depends on, for deterministic element ids.
    private var fingerprint: String {
        var s = title + "\u{1}" + formatter.currency
        for step in steps { s += "\u{1}\(step.label)\u{2}\(step.amount.units)\u{2}\(step.isTotal)" }
        return s
    }
}
