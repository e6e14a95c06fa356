import Testing
@testable import CostDefender

@Suite struct ChartTests {
    let usd = Formatter(currency: "USD")

    // MARK: Fixtures

    func dollars(_ d: Int) -> Amount { Amount(whole: d) }

    /// Q2 → Q3 bridge: $1.2M, +$95.2k compute, −$12k storage, +$1.3k unexplained, $1.2845M.
    var bridge: WaterfallChart {
        WaterfallChart(title: "Cost bridge FY2026-Q2 to FY2026-Q3", steps: [
            .init(label: "FY2026-Q2", amount: dollars(1_200_000), isTotal: true),
            .init(label: "Compute", amount: dollars(95_200), isTotal: false),
            .init(label: "Storage", amount: dollars(-12_000), isTotal: false),
            .init(label: "Unexplained", amount: dollars(1_300), isTotal: false),
            .init(label: "FY2026-Q3", amount: dollars(1_284_500), isTotal: true),
        ], formatter: usd)
    }

    func monthly(teams: Int, months: Int = 3, maxSeries: Int = 8) -> StackedColumnChart {
        let categories = (1...months).map { $0 < 10 ? "2026-0\($0)" : "2026-\($0)" }
        let series = (0..<teams).map { t in
            (name: "team-\(t)", values: (0..<months).map { m in Amount(whole: (teams - t) * 1_000 + m * 10) })
        }
        return StackedColumnChart(title: "Monthly cost by team", categories: categories, series: series, formatter: usd, maxSeries: maxSeries)
    }

    // MARK: Helpers

    /// Values of `name="…"` attributes, in document order.
    func attributes(_ name: String, in svg: String) -> [String] {
        let regex = try! Regex(" \(name)=\"([^\"]*)\"")
        return svg.matches(of: regex).map { String($0.output[1].substring!) }
    }

    func amount(_ text: String) -> Amount {
        guard case .value(let a, _) = Amount.parse(text) else { Issue.record("not a decimal: \(text)"); return .zero }
        return a
    }

    /// The shared contract: an accessible, self-contained, well-formed SVG fragment with short numbers.
    func checkDocument(_ svg: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" "), sourceLocation: sourceLocation)
        #expect(svg.hasSuffix("</svg>"), sourceLocation: sourceLocation)
        let open = String(svg.prefix { $0 != ">" })
        #expect(open.contains(" role=\"img\""), sourceLocation: sourceLocation)
        #expect(open.contains(" width=\"100%\""), sourceLocation: sourceLocation)
        #expect(open.contains(" viewBox=\"0 0 "), sourceLocation: sourceLocation)
        // <title> then <desc> are the first children, and aria-labelledby names them.
        let ids = attributes("aria-labelledby", in: open).first?.split(separator: " ").map(String.init) ?? []
        #expect(ids.count == 2, sourceLocation: sourceLocation)
        let children = svg.drop { $0 != ">" }.dropFirst().drop { $0 == "\n" }
        if ids.count == 2 {
            #expect(children.hasPrefix("<title id=\"\(ids[0])\">"), sourceLocation: sourceLocation)
            let afterTitle = children.drop { $0 != "\n" }.dropFirst()
            #expect(afterTitle.hasPrefix("<desc id=\"\(ids[1])\">"), sourceLocation: sourceLocation)
        }
        // Nothing executable, nothing external.
        for banned in ["<script", "javascript:", "href", "<image", "<style", "@import", "<foreignObject", "<a ", "<use"] {
            #expect(!svg.lowercased().contains(banned.lowercased()), "contains \(banned)", sourceLocation: sourceLocation)
        }
        #expect(!svg.contains(/\son[a-z]+=/), "event handler attribute", sourceLocation: sourceLocation)
        #expect(svg.components(separatedBy: "http").count == 2, "only the xmlns URI", sourceLocation: sourceLocation)
        for match in svg.matches(of: /url\(([^)]*)\)/) {
            #expect(match.output.1.hasPrefix("#"), "external url(\(match.output.1))", sourceLocation: sourceLocation)
        }
        // Coordinates: plain decimals with at most one decimal place.
        for name in ["x", "y", "x1", "y1", "x2", "y2", "width", "height", "dy", "cx", "cy", "r"] {
            for value in attributes(name, in: svg) where value != "100%" {
                #expect(value.wholeMatch(of: /-?[0-9]+(\.[0-9])?/) != nil, "\(name)=\"\(value)\"", sourceLocation: sourceLocation)
            }
        }
        for box in attributes("viewBox", in: svg) {
            #expect(box.wholeMatch(of: /0 0 [0-9]+(\.[0-9])? [0-9]+(\.[0-9])?/) != nil, sourceLocation: sourceLocation)
        }
        #expect(wellFormed(svg), "not well-formed XML", sourceLocation: sourceLocation)
        // Every id is defined once.
        let defined = attributes("id", in: svg)
        #expect(Set(defined).count == defined.count, sourceLocation: sourceLocation)
    }

    /// A small XML well-formedness check: balanced tags, one root, quoted attributes, only the
    /// predefined or numeric entities, no raw `<` or `&` in text.
    func wellFormed(_ xml: String) -> Bool {
        var stack: [Substring] = []
        var rest = Substring(xml)
        var roots = 0
        while let lt = rest.firstIndex(of: "<") {
            if !validText(rest[..<lt]) { return false }
            guard let gt = rest[lt...].firstIndex(of: ">") else { return false }
            let tag = rest[rest.index(after: lt)..<gt]
            rest = rest[rest.index(after: gt)...]
            if tag.hasPrefix("/") {
                guard let top = stack.popLast(), top == tag.dropFirst() else { return false }
                continue
            }
            let name = tag.prefix { !$0.isWhitespace && $0 != "/" }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == ":" }) else { return false }
            let attrs = tag.dropFirst(name.count)
            guard attrs.wholeMatch(of: /(\s+[A-Za-z][A-Za-z0-9:-]*="[^"<]*")*\s*\/?/) != nil, validText(attrs) else { return false }
            if stack.isEmpty { roots += 1 }
            if !tag.hasSuffix("/") { stack.append(name) }
        }
        return stack.isEmpty && roots == 1 && rest.allSatisfy(\.isWhitespace)
    }

    func validText(_ s: Substring) -> Bool {
        var rest = s
        while let amp = rest.firstIndex(of: "&") {
            let tail = rest[amp...]
            guard let m = tail.prefixMatch(of: /&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/) else { return false }
            rest = tail[m.range.upperBound...]
        }
        return !s.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }
    }

    // MARK: Both charts

    @Test func outputIsDeterministic() {
        #expect(bridge.svg() == bridge.svg())
        #expect(monthly(teams: 12).svg() == monthly(teams: 12).svg())
        #expect(bridge.textAlternative == bridge.textAlternative)
        // Different content, different element ids (charts can share one HTML page).
        let a = attributes("id", in: bridge.svg()), b = attributes("id", in: monthly(teams: 3).svg())
        #expect(Set(a).isDisjoint(with: b))
    }

    @Test func documentsAreSelfContainedAndAccessible() {
        checkDocument(bridge.svg())
        checkDocument(monthly(teams: 12).svg())
        checkDocument(monthly(teams: 3, months: 24).svg())
        #expect(bridge.svg().contains("<desc id=\"\(attributes("id", in: bridge.svg())[1])\">\(Escaping.html(bridge.textAlternative))</desc>"))
        // Text is dark ink (WCAG AA on white).
        #expect(bridge.svg().contains("fill=\"#1a1a1a\""))
    }

    @Test func dataTextIsEscapedEverywhere() {
        let evil = "<script>alert(1)</script>"
        let chart = WaterfallChart(title: evil, steps: [
            .init(label: evil, amount: dollars(10), isTotal: true),
            .init(label: "A & B \"quoted\" 'single'", amount: dollars(5), isTotal: false),
            .init(label: evil, amount: dollars(15), isTotal: true),
        ], formatter: usd)
        let stacked = StackedColumnChart(title: evil, categories: [evil, "Feb"], series: [(name: evil, values: [dollars(1), dollars(2)])], formatter: usd)
        for svg in [chart.svg(), stacked.svg(), WaterfallChart(title: evil, steps: [], formatter: usd).svg()] {
            checkDocument(svg)
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("alert(1)</"))
            #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
        #expect(chart.svg().contains("A &amp; B &quot;quoted&quot; &#39;single&#39;"))
        // Control characters (invalid in XML) do not get through.
        let control = WaterfallChart(title: "t\u{0}x", steps: [.init(label: "a\u{1}b\nc", amount: dollars(1), isTotal: true)], formatter: usd)
        checkDocument(control.svg())
    }

    // MARK: Waterfall

    @Test func waterfallDeltasFloatFromTheRunningTotal() {
        let svg = bridge.svg()
        let kinds = attributes("data-kind", in: svg)
        let starts = attributes("data-start", in: svg).map(amount)
        let ends = attributes("data-end", in: svg).map(amount)
        #expect(kinds == ["total", "increase", "decrease", "increase", "total"])
        #expect(starts == [.zero, dollars(1_200_000), dollars(1_295_200), dollars(1_283_200), .zero])
        #expect(ends == [dollars(1_200_000), dollars(1_295_200), dollars(1_283_200), dollars(1_284_500), dollars(1_284_500)])
        for i in 1..<4 { #expect(starts[i] == ends[i - 1], "delta \(i) starts where bar \(i - 1) ended") }

        // The drawn geometry agrees: each floating bar's edge is at the previous bar's end level,
        // and every connector runs at that level from one bar to the next.
        let layout = bridge.layout()
        let y = { (a: Amount) in layout.axis.y(a, top: WaterfallChart.plotTop, bottom: WaterfallChart.plotBottom) }
        for (i, bar) in layout.bars.enumerated() {
            #expect(abs(bar.yTop - y(max(bar.start, bar.end))) < 1e-9)
            #expect(abs(bar.yBottom - y(min(bar.start, bar.end))) < 1e-9)
            if i > 0 { #expect(bar.x > layout.bars[i - 1].x + layout.bars[i - 1].width) }
        }
        #expect(abs(layout.bars[1].yBottom - y(layout.bars[0].end)) < 1e-9)   // increase rises from the start total
        #expect(abs(layout.bars[2].yTop - y(layout.bars[1].end)) < 1e-9)      // decrease falls from the new level
        let connectors = svg.split(separator: "<g class=\"connectors\"")[1].split(separator: "</g>")[0]
        let y1 = attributes("y1", in: String(connectors)), y2 = attributes("y2", in: String(connectors))
        #expect(y1.count == 4)
        #expect(y1 == y2)
        #expect(y1 == layout.bars.dropLast().map { ChartSVG.num(y($0.end)) })

        // Axis: 4–6 round ticks from zero, covering every bar; a zero line.
        #expect((4...6).contains(layout.axis.ticks.count))
        #expect(layout.axis.ticks.contains(.zero))
        #expect(layout.axis.max >= dollars(1_295_200))
        #expect(svg.contains("class=\"zero\""))
        // Width grows with the number of steps (~70 per step).
        let long = WaterfallChart(title: "", steps: (0..<20).map { .init(label: "s\($0)", amount: dollars($0), isTotal: $0 == 0) }, formatter: usd)
        #expect(long.layout().width >= 20 * 70)
        #expect(bridge.layout().width == 720)
    }

    @Test func waterfallStylesDifferByMoreThanColour() {
        let svg = bridge.svg()
        // Decreases: hatch pattern with a dark outline; increases solid dark; totals mid-grey.
        #expect(svg.contains("<pattern id="))
        let rects = svg.split(separator: "\n").filter { $0.hasPrefix("<rect x=") && $0.contains("fill=\"url(#") }
        #expect(rects.count == 1)
        #expect(rects.allSatisfy { $0.contains("stroke=\"#1a1a1a\" stroke-width=\"1.5\"") })
        #expect(svg.contains("fill=\"#1f3b57\""))
        #expect(svg.contains("fill=\"#8c8c8c\""))
    }

    @Test func waterfallLabelsCarryTheFormattedAmounts() {
        let svg = bridge.svg()
        for label in ["$1.20M", "+$95.2k", "-$12.0k", "+$1,300.00", "$1.28M"] {
            #expect(svg.contains(">\(label)</text>"), "value label \(label)")
        }
        for category in ["FY2026-Q2", "Compute", "Storage", "Unexplained", "FY2026-Q3"] {
            #expect(svg.contains(">\(category)</tspan>"), "category label \(category)")
        }
        // Full label and exact amount in each bar's <title>.
        #expect(svg.contains("<title>Compute: +$95,200.00</title>"))
        #expect(svg.contains("<title>Storage: -$12,000.00</title>"))
        // Axis labels: one scale for the axis.
        let ticks = bridge.layout().axis
        #expect(ticks.ticks.map { ChartSVG.tickLabel($0, axis: ticks, formatter: usd) } == ["$0", "$0.5M", "$1.0M", "$1.5M"])
    }

    @Test func longLabelsAreWrappedOrCutWithTheFullTextInATitle() {
        let long = "Amazon Elastic Compute Cloud - Compute Savings Plans"
        let chart = WaterfallChart(title: "t", steps: [
            .init(label: "Start", amount: dollars(100), isTotal: true),
            .init(label: long, amount: dollars(5), isTotal: false),
            .init(label: "End", amount: dollars(105), isTotal: true),
        ], formatter: usd)
        let svg = chart.svg()
        checkDocument(svg)
        #expect(svg.contains("<title>\(long): +$5.00</title>"))
        let group = String(svg.split(separator: "<g class=\"bar increase\"")[1].split(separator: "</g>")[0])
        let shown = group.matches(of: /<tspan[^>]*>([^<]*)<\/tspan>/).map { String($0.output.1) }
        let perLine = ChartSVG.chars(fitting: chart.layout().slot - 4, fontSize: 10)
        #expect(shown.allSatisfy { $0.count <= perLine })
        let joined = shown.joined(separator: " ")
        #expect(joined.count <= 28 + WaterfallChart.labelLines - 1)
        #expect(joined.contains("…"))
        #expect(!joined.contains("Plans"))
        #expect(ChartSVG.truncate(long, to: 28).count == 28)
        #expect(ChartSVG.wrap("Unexplained", maxChars: 11, maxLines: 3) == ["Unexplained"])
        #expect(ChartSVG.wrap("Data transfer out", maxChars: 11, maxLines: 3) == ["Data", "transfer", "out"])
        #expect(ChartSVG.wrap("New team: search-platform", maxChars: 11, maxLines: 4) == ["New team:", "search-", "platform"])
        #expect(ChartSVG.wrap("abcdefghijklmnop", maxChars: 6, maxLines: 2) == ["abcdef", "ghijk…"])
    }

    @Test func waterfallTextAlternativeListsEveryStep() {
        let text = bridge.textAlternative
        #expect(text == "Cost bridge FY2026-Q2 to FY2026-Q3: starts at $1,200,000.00 (FY2026-Q2), then Compute +$95,200.00, "
            + "Storage -$12,000.00 and Unexplained +$1,300.00, and ends at $1,284,500.00 (FY2026-Q3).")
        #expect(text.filter { $0 == "." }.count == 6) // one sentence: five decimal points and the final stop
    }

    @Test func waterfallEdgeCases() {
        // Empty: a small "No data" chart.
        let empty = WaterfallChart(title: "Bridge", steps: [], formatter: usd)
        checkDocument(empty.svg())
        #expect(empty.svg().contains(">No data</text>"))
        #expect(empty.textAlternative == "Bridge: no data.")

        let cases: [[WaterfallChart.Step]] = [
            [.init(label: "Only", amount: dollars(42), isTotal: true)],                                   // single step
            [.init(label: "A", amount: .zero, isTotal: true), .init(label: "d", amount: .zero, isTotal: false),
             .init(label: "B", amount: .zero, isTotal: true)],                                             // all zero
            [.init(label: "A", amount: dollars(1_000_000_000_000), isTotal: true),
             .init(label: "d", amount: dollars(-3_000_000_000_000), isTotal: false),
             .init(label: "B", amount: dollars(-2_000_000_000_000), isTotal: true)],                       // huge, negative end
            [.init(label: "A", amount: Amount(units: 1), isTotal: true), .init(label: "d", amount: Amount(units: 3), isTotal: false),
             .init(label: "B", amount: Amount(units: 4), isTotal: true)],                                  // tiny
            [.init(label: "A", amount: dollars(-50), isTotal: true), .init(label: "d", amount: dollars(-20), isTotal: false),
             .init(label: "B", amount: dollars(-70), isTotal: true)],                                      // all negative
            [.init(label: "d", amount: dollars(7), isTotal: false)],                                       // single delta
        ]
        for steps in cases {
            let chart = WaterfallChart(title: "Edge", steps: steps, formatter: usd)
            let svg = chart.svg()
            checkDocument(svg)
            let layout = chart.layout()
            #expect((4...6).contains(layout.axis.ticks.count))
            #expect(layout.axis.ticks.contains(.zero))
            for bar in layout.bars {
                #expect(bar.yTop <= bar.yBottom)
                #expect(bar.yTop >= WaterfallChart.plotTop - 1e-9 && bar.yBottom <= WaterfallChart.plotBottom + 1e-9)
                #expect(layout.axis.min <= min(bar.start, bar.end) && max(bar.start, bar.end) <= layout.axis.max)
            }
            for step in steps { #expect(chart.textAlternative.contains(step.label)) }
            #expect(svg.contains(">\(chart.valueLabel(steps[0]))</text>"))
        }
        let negative = WaterfallChart(title: "", steps: cases[2], formatter: usd)
        #expect(negative.svg().contains(">-$2,000.00B</text>"))
    }

    @Test func axisTicksAreRoundAndFew() {
        let ranges: [(Int, Int)] = [(0, 1), (0, 7), (0, 99), (0, 101), (-30, 70), (-1_000, 0), (0, 1_284_500), (-5, 1_000_000), (0, 123_456_789), (-99_999, 3)]
        for (lo, hi) in ranges {
            let axis = ChartSVG.axis(lo: dollars(lo), hi: dollars(hi))
            #expect((4...6).contains(axis.ticks.count), "\(lo)…\(hi): \(axis.ticks.map(\.exactDescription))")
            #expect(axis.min <= dollars(lo) && axis.max >= dollars(hi) && axis.ticks.contains(.zero))
            let step = axis.step.exactDescription
            #expect(step.wholeMatch(of: /(1|2|25|5)0*|0\.0*(1|2|25|5)/) != nil, "step \(step)")
            for (a, b) in zip(axis.ticks, axis.ticks.dropFirst()) { #expect(b - a == axis.step) }
        }
        #expect(ChartSVG.axis(lo: .zero, hi: Amount(units: 1)).ticks.map(\.exactDescription) == ["0", "0.01", "0.02", "0.03"])
        #expect(ChartSVG.num(12.345) == "12.3")
        #expect(ChartSVG.num(-0.04) == "0")
        #expect(ChartSVG.num(3) == "3")
        #expect(ChartSVG.num(.nan) == "0")
    }

    // MARK: Stacked columns

    @Test func smallSeriesAreGroupedAsOther() {
        let chart = monthly(teams: 10, maxSeries: 4)
        let shown = chart.displayedSeries
        #expect(shown.map(\.name) == ["team-0", "team-1", "team-2", "Other"])
        // Other holds the seven smallest teams, per month, exactly.
        for m in 0..<3 {
            let expected = (3..<10).reduce(Amount.zero) { $0 + Amount(whole: (10 - $1) * 1_000 + m * 10) }
            #expect(shown[3].values[m] == expected)
            // Column totals are unchanged by grouping.
            let all = chart.series.reduce(Amount.zero) { $0 + $1.values[m] }
            #expect(chart.layout().columns[m].total == all)
        }
        let svg = chart.svg()
        checkDocument(svg)
        #expect(svg.contains(">Other</text>"))
        #expect(!svg.contains(">team-3</text>"))
        // Eight or fewer series are kept as they are (largest first); an input "Other" is merged.
        #expect(monthly(teams: 8).displayedSeries.count == 8)
        let named = StackedColumnChart(title: "", categories: ["Jan"], series: [
            (name: "Other", values: [dollars(500)]), (name: "a", values: [dollars(100)]),
            (name: "b", values: [dollars(10)]), (name: "c", values: [dollars(1)]),
        ], formatter: usd, maxSeries: 3)
        #expect(named.displayedSeries.map(\.name) == ["a", "b", "Other"])
        #expect(named.displayedSeries[2].values == [dollars(501)])
    }

    @Test func stackedColumnsHaveTotalsLegendAndDistinctFills() {
        let chart = monthly(teams: 10)
        let svg = chart.svg()
        checkDocument(svg)
        for column in chart.layout().columns {
            #expect(svg.contains(">\(usd.compactMoney(column.total))</text>"), "total above \(column.category)")
        }
        // Eight series, eight different fills, each one in the legend.
        let fills = (0..<8).map { StackedColumnChart.fill($0, prefix: "p") }
        #expect(Set(fills).count == 8)
        #expect(Set(StackedColumnChart.fills.map(\.base)).count == 8)
        #expect(Set(StackedColumnChart.fills.map { "\($0.mark)" }).count == 8)
        #expect(svg.matches(of: /<pattern id=/).count == 7)
        for s in chart.displayedSeries { #expect(svg.contains(">\(s.name)</text>")) }
        #expect(chart.textAlternative.hasPrefix("Monthly cost by team: 3 columns from 2026-01 to 2026-03; column totals 2026-01 $"))
        #expect(chart.textAlternative.contains("Other $"))
    }

    @Test func creditsStackBelowZero() {
        let chart = StackedColumnChart(title: "Net", categories: ["Jan", "Feb", "Mar"], series: [
            (name: "compute", values: [dollars(100), dollars(120), .zero]),
            (name: "credits", values: [dollars(-30), dollars(-200), dollars(-50)]),
            (name: "storage", values: [dollars(20), dollars(20), .zero]),
        ], formatter: usd)
        let layout = chart.layout()
        #expect(layout.columns.map(\.total) == [dollars(90), dollars(-60), dollars(-50)])
        #expect(layout.columns.map(\.top) == [dollars(120), dollars(140), .zero])
        #expect(layout.columns.map(\.bottom) == [dollars(-30), dollars(-200), dollars(-50)])
        for column in layout.columns {
            for seg in column.segments {
                if seg.value < .zero { #expect(seg.end < seg.start && seg.start <= .zero) }
                else { #expect(seg.start >= .zero && seg.end > seg.start) }
            }
        }
        #expect(layout.axis.min <= dollars(-200) && layout.axis.max >= dollars(140))
        let svg = chart.svg()
        checkDocument(svg)
        for text in ["$90.00", "-$60.00", "-$50.00"] { #expect(svg.contains(">\(text)</text>")) }
        // Every drawn segment lies inside the plot.
        for y in attributes("y", in: svg).compactMap(Double.init) { #expect(y >= 0 && y <= StackedColumnChart.height) }
    }

    @Test func stackedEdgeCases() {
        let none = StackedColumnChart(title: "Monthly", categories: [], series: [], formatter: usd)
        checkDocument(none.svg())
        #expect(none.svg().contains(">No data</text>"))
        #expect(none.textAlternative == "Monthly: no data.")
        let noSeries = StackedColumnChart(title: "Monthly", categories: ["Jan"], series: [], formatter: usd)
        #expect(noSeries.svg().contains(">No data</text>"))

        let zero = StackedColumnChart(title: "Zero", categories: ["Jan", "Feb"], series: [(name: "a", values: [.zero, .zero])], formatter: usd)
        checkDocument(zero.svg())
        #expect(zero.svg().contains(">$0.00</text>"))

        let huge = StackedColumnChart(title: "Huge", categories: ["Jan"], series: [
            (name: "a", values: [dollars(900_000_000_000)]), (name: "b", values: [Amount(units: 1)]),
        ], formatter: usd)
        checkDocument(huge.svg())
        // Short values: fewer than categories (padded with zero), one series only, maxSeries 1.
        let ragged = StackedColumnChart(title: "", categories: ["Jan", "Feb", "Mar"], series: [(name: "a", values: [dollars(5)])], formatter: usd)
        #expect(ragged.displayedSeries[0].values == [dollars(5), .zero, .zero])
        checkDocument(ragged.svg())
        let one = StackedColumnChart(title: "", categories: ["Jan"], series: [(name: "a", values: [dollars(5)]), (name: "b", values: [dollars(6)])],
                                     formatter: usd, maxSeries: 1)
        #expect(one.displayedSeries.map(\.name) == ["Other"])
        #expect(one.displayedSeries[0].values == [dollars(11)])
        // Many columns: labels rotate instead of overlapping.
        let many = monthly(teams: 3, months: 9)
        checkDocument(StackedColumnChart(title: "", categories: (1...36).map { "Month \($0)" }, series: [(name: "a", values: (1...36).map { dollars($0 * 1000) })], formatter: usd).svg())
        checkDocument(many.svg())
    }
}
