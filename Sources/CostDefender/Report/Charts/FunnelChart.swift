/// The savings funnel: identified → committed → implemented → verified, by count and by dollars,
/// as inline SVG.
///
/// One horizontal bar per stage, top to bottom, on a light full-width track. Bar widths are
/// proportional to the stage's dollars: the largest stage (normally the first) spans the full
/// width; a zero or negative amount draws no bar (the track still shows). Shades darken from the
/// first stage to the last, every bar has a dark outline, and every stage is labelled in text
/// above its bar — "Identified — 26 findings, $84.2k/month" (`compactMoney`) and, from the second
/// stage on, the dollar conversion from the previous stage ("62 % of identified dollars") — so the
/// chart reads the same in greyscale. Each bar carries a `<title>` with the exact figures and both
/// conversions (dollars and findings). Pure and deterministic.
public struct FunnelChart: Sendable {
    public struct Stage: Sendable {
        public var label: String
        public var count: Int
        public var amount: Amount
        public init(label: String, count: Int, amount: Amount) {
            self.label = label; self.count = count; self.amount = amount
        }
    }

    let title: String
    let stages: [Stage]
    let formatter: Formatter

    /// stages: in funnel order (e.g. identified, committed, implemented, verified); amounts are
    /// monthly savings.
    public init(title: String, stages: [Stage], formatter: Formatter) {
        self.title = title; self.stages = stages; self.formatter = formatter
    }

    // MARK: Layout (internal, tested)

    static let width = 720.0
    static let plotLeft = 12.0
    static let plotRight = 708.0
    static let plotTop = 40.0
    static let rowHeight = 48.0
    static let bottomMargin = 8.0
    /// Baseline of the stage text, from the top of its row.
    static let textOffset = 12.0
    /// Bar top, from the top of its row, and bar height.
    static let barOffset = 18.0
    static let barHeight = 24.0
    static let fontSize = 11.0
    /// The previous stage's name in a bar's conversion text is cut to this many characters.
    static let conversionNameLimit = 24

    struct Bar: Sendable {
        var index: Int
        var stage: Stage
        /// Share of the full width: amount ÷ the largest amount (0 when no stage has positive dollars).
        var fraction: Double
        /// Dollar and finding conversion from the previous stage; nil for the first stage or when
        /// the previous stage has no (positive) dollars / findings.
        var dollarConversion: Double?
        var countConversion: Double?
        var x: Double
        var y: Double
        var width: Double
        var textY: Double
        var fill: String
    }

    struct Layout: Sendable {
        var height: Double
        var bars: [Bar]
    }

    static func height(stages n: Int) -> Double { plotTop + Double(max(n, 1)) * rowHeight + bottomMargin }

    func layout() -> Layout {
        let n = stages.count
        let largest = stages.map { max($0.amount, .zero) }.max() ?? .zero
        let plotWidth = Self.plotRight - Self.plotLeft
        var bars: [Bar] = []
        for (i, stage) in stages.enumerated() {
            let rowTop = Self.plotTop + Double(i) * Self.rowHeight
            var fraction = 0.0
            if largest > .zero, stage.amount > .zero {
                fraction = stage.amount == largest ? 1 : min(1, max(0, stage.amount.doubleValue / largest.doubleValue))
            }
            var dollars: Double?, counts: Double?
            if i > 0 {
                let prev = stages[i - 1]
                if prev.amount > .zero { dollars = Formatter.share(stage.amount, of: prev.amount) }
                if prev.count > 0 { counts = Double(stage.count) / Double(prev.count) }
            }
            bars.append(Bar(index: i, stage: stage, fraction: fraction, dollarConversion: dollars, countConversion: counts,
                            x: Self.plotLeft, y: rowTop + Self.barOffset, width: fraction * plotWidth,
                            textY: rowTop + Self.textOffset, fill: Self.shade(i, of: n)))
        }
        return Layout(height: Self.height(stages: n), bars: bars)
    }

    // MARK: Shades

    /// Lightest and darkest bar fill; the track behind the bars.
    static let lightFill = (r: 0xa8, g: 0xc1, b: 0xdb)
    static let darkFill = (r: 0x1f, g: 0x3b, b: 0x57)
    static let trackFill = "#f2f2f2"
    static let trackStroke = "#d4d4d4"

    /// Stage `i` of `n`: from light to dark, channel by channel, so greyscale lightness falls
    /// strictly from stage to stage. A single stage is dark.
    static func shade(_ i: Int, of n: Int) -> String {
        let t = n <= 1 ? 1.0 : Double(i) / Double(n - 1)
        func channel(_ a: Int, _ b: Int) -> String {
            let v = Int((Double(a) + (Double(b) - Double(a)) * t).rounded(.toNearestOrAwayFromZero))
            let hex = String(max(0, min(255, v)), radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(lightFill.r, darkFill.r) + channel(lightFill.g, darkFill.g) + channel(lightFill.b, darkFill.b)
    }

    // MARK: Text

    /// "62 %"; "<1 %" and ">99 %" rather than a misleading 0 % or 100 %; nil when undefined.
    static func percentText(_ share: Double?) -> String? {
        guard let share, share.isFinite else { return nil }
        let whole = Formatter.fixed(share * 100, 0)
        if share > 0 && whole == "0" { return "<1 %" }
        if share < 1 && share > 0.99 && whole == "100" { return ">99 %" }
        return whole + " %"
    }

    /// The stage name as it reads inside a sentence: "Identified" → "identified"; a first word
    /// that is not simply capitalised ("EC2", "iOS") is kept.
    static func inSentence(_ label: String) -> String {
        let clean = ChartSVG.clean(label)
        let firstWord = clean.prefix { $0 != " " }
        guard let first = firstWord.first, first.isUppercase,
              firstWord.dropFirst().allSatisfy({ !$0.isUppercase && !$0.isNumber }) else { return clean }
        return first.lowercased() + clean.dropFirst()
    }

    static func findings(_ n: Int, formatter: Formatter) -> String {
        formatter.count(n) + (n == 1 ? " finding" : " findings")
    }

    /// "62 % of identified dollars", or nil for the first stage and an undefined conversion. The
    /// previous stage's name is cut to `nameLimit` characters.
    func conversionText(_ bar: Bar, nameLimit: Int = conversionNameLimit) -> String? {
        guard bar.index > 0, let p = Self.percentText(bar.dollarConversion) else { return nil }
        let name = ChartSVG.truncate(Self.inSentence(stages[bar.index - 1].label), to: nameLimit)
        return "\(p) of \(name) dollars"
    }

    /// "26 findings, $84.2k/month".
    func figures(_ stage: Stage) -> String {
        Self.findings(stage.count, formatter: formatter) + ", " + formatter.compactMoney(stage.amount) + "/month"
    }

    /// Exact figures and both conversions, for the bar's tooltip and the text alternative.
    private func exactDescription(_ bar: Bar) -> String {
        var s = "\(ChartSVG.clean(bar.stage.label)) \(Self.findings(bar.stage.count, formatter: formatter)), \(formatter.money(bar.stage.amount))/month"
        if bar.index > 0 {
            let prev = Self.inSentence(stages[bar.index - 1].label)
            var conversions: [String] = []
            if let p = Self.percentText(bar.dollarConversion) { conversions.append("\(p) of \(prev) dollars") }
            if let p = Self.percentText(bar.countConversion) { conversions.append("\(p) of \(prev) findings") }
            if !conversions.isEmpty { s += " (" + WaterfallChart.list(conversions) + ")" }
        }
        return s
    }

    /// One sentence: every stage with its findings, exact monthly dollars and conversions.
    public var textAlternative: String {
        let prefix = title.isEmpty ? "" : title + ": "
        guard !stages.isEmpty else { return prefix + "no data." }
        return prefix + layout().bars.map(exactDescription).joined(separator: "; ") + "."
    }

    // MARK: SVG

    public func svg() -> String {
        guard !stages.isEmpty else {
            return ChartSVG.noData(kind: "funnel", title: title, description: textAlternative)
        }
        let layout = layout()
        let id = ChartSVG.idPrefix("funnel", fingerprint)
        let num = ChartSVG.num
        let ink = ChartSVG.ink
        let plotWidth = Self.plotRight - Self.plotLeft

        var out = ChartSVG.open(id: id, width: Self.width, height: layout.height, title: title, description: textAlternative)
        out += "<rect width=\"\(num(Self.width))\" height=\"\(num(layout.height))\" fill=\"#ffffff\"/>\n"
        out += ChartSVG.heading(title, maxWidth: Self.width - 24)
        out += "<g class=\"stages\">\n"
        for bar in layout.bars {
            let stage = bar.stage
            out += "<g class=\"stage\" data-index=\"\(bar.index)\" data-count=\"\(stage.count)\" data-amount=\"\(stage.amount.exactDescription)\">"
                + "<title>\(ChartSVG.text(exactDescription(bar)))</title>"
            out += "<rect class=\"track\" x=\"\(num(Self.plotLeft))\" y=\"\(num(bar.y))\" width=\"\(num(plotWidth))\" height=\"\(num(Self.barHeight))\" "
                + "fill=\"\(Self.trackFill)\" stroke=\"\(Self.trackStroke)\" stroke-width=\"0.8\"/>"
            if bar.width > 0 {
                out += "<rect class=\"bar\" x=\"\(num(bar.x))\" y=\"\(num(bar.y))\" width=\"\(num(max(bar.width, 0.1)))\" height=\"\(num(Self.barHeight))\" "
                    + "fill=\"\(bar.fill)\" stroke=\"\(ink)\" stroke-width=\"1\"/>"
            }
            out += stageText(bar) + "</g>\n"
        }
        out += "</g>\n"
        out += "</svg>"
        return out
    }

    /// The stage's line above its bar: bold name, figures, then the conversion. The name is cut
    /// to fit (the full one is in the bar's `<title>`).
    private func stageText(_ bar: Bar) -> String {
        let num = ChartSVG.num
        let figures = " — " + figures(bar.stage)
        let conversion = conversionText(bar)
        let separator = " · "
        let available = Self.plotRight - Self.plotLeft
        let rest = ChartSVG.textWidth(figures + (conversion.map { separator + $0 } ?? ""), fontSize: Self.fontSize)
        // Bold text runs a little wider than `charWidth` assumes.
        let nameChars = max(12, ChartSVG.chars(fitting: (available - rest) / 1.1, fontSize: Self.fontSize))
        let name = ChartSVG.truncate(ChartSVG.clean(bar.stage.label), to: nameChars)
        var out = "<text class=\"stage-label\" x=\"\(num(Self.plotLeft))\" y=\"\(num(bar.textY))\" font-size=\"\(num(Self.fontSize))\">"
            + "<tspan font-weight=\"bold\">\(ChartSVG.text(name))</tspan>\(ChartSVG.text(figures))"
        // The separator stays outside the tspan: renderers drop a tspan's leading space.
        if let conversion { out += separator + "<tspan class=\"conversion\">\(ChartSVG.text(conversion))</tspan>" }
        return out + "</text>"
    }

    /// Everything the picture depends on, for deterministic element ids.
    private var fingerprint: String {
        var s = title + "\u{1}" + formatter.currency
        for stage in stages { s += "\u{1}\(stage.label)\u{2}\(stage.count)\u{2}\(stage.amount.units)" }
        return s
    }
}
