import Testing
@testable import CostDefender

@Suite struct FanChartTests {
    let usd = Formatter(currency: "USD")
    /// The shared SVG contract checks (structure, safety, number format, well-formedness).
    let charts = ChartTests()

    // MARK: Fixtures

    func dollars(_ d: Int) -> Amount { Amount(whole: d) }

    func actual(_ label: String, _ a: Int) -> FanChart.Point {
        .init(label: label, actual: dollars(a), forecast: nil, low: nil, high: nil)
    }

    func forecast(_ label: String, _ f: Int, _ low: Int, _ high: Int) -> FanChart.Point {
        .init(label: label, actual: nil, forecast: dollars(f), low: dollars(low), high: dollars(high))
    }

    /// Six months of actuals, then three forecast months with a widening interval.
    var standardPoints: [FanChart.Point] {
        [actual("2025-10", 41_000), actual("2025-11", 43_500), actual("2025-12", 42_200),
         actual("2026-01", 45_800), actual("2026-02", 47_100), actual("2026-03", 48_000),
         forecast("2026-04", 49_000, 46_000, 52_000), forecast("2026-05", 50_500, 45_500, 55_500),
         forecast("2026-06", 52_000, 45_000, 59_000)]
    }

    var standard: FanChart {
        FanChart(title: "Monthly cost forecast", points: standardPoints, intervalLabel: "80 % interval", formatter: usd)
    }

    /// The current month has a partial actual and its full-month estimate.
    var withCurrentMonth: FanChart {
        FanChart(title: "Forecast", points: [
            actual("Jan", 10_000), actual("Feb", 12_000),
            .init(label: "Mar", actual: dollars(5_000), forecast: dollars(12_500), low: dollars(11_000), high: dollars(14_000)),
            forecast("Apr", 13_000, 10_500, 15_500),
        ], intervalLabel: "80 % interval", formatter: usd)
    }

    // MARK: Helpers

    /// `points="x,y x,y …"` of every element whose tag starts with `prefix`.
    func pointLists(_ prefix: String, in svg: String) -> [[(x: Double, y: Double)]] {
        svg.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { line in
            guard let m = line.firstMatch(of: /\spoints="([^"]*)"/) else { return nil }
            return m.output.1.split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").map { Double($0)! }
                return (x: xy[0], y: xy[1])
            }
        }
    }

    /// Inside or on the boundary (within `tolerance`) of a simple polygon.
    func contains(_ polygon: [(x: Double, y: Double)], _ p: (x: Double, y: Double), tolerance: Double = 0.06) -> Bool {
        for (a, b) in zip(polygon, polygon.dropFirst() + [polygon[0]]) {
            let dx = b.x - a.x, dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            let t = len2 == 0 ? 0 : max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2))
            let cx = a.x + t * dx - p.x, cy = a.y + t * dy - p.y
            if (cx * cx + cy * cy).squareRoot() <= tolerance { return true }
        }
        var inside = false
        for (a, b) in zip(polygon, polygon.dropFirst() + [polygon[0]]) where (a.y > p.y) != (b.y > p.y) {
            if p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) { inside.toggle() }
        }
        return inside
    }

    /// The forecast line, vertex by vertex and segment by segment, lies inside the band, both in
    /// the layout and in the drawn (rounded) SVG.
    func checkBandEnclosesForecast(_ chart: FanChart, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let layout = chart.layout()
        for run in layout.forecastRuns {
            for v in run {
                let matches = layout.bands.compactMap { $0.vertices.first { $0.index == v.index } }
                #expect(matches.count == 1, "band at month \(v.index)", sourceLocation: sourceLocation)
                if let b = matches.first {
                    #expect(b.x == v.x, sourceLocation: sourceLocation)
                    #expect(b.yHigh <= v.y + 1e-9 && v.y <= b.yLow + 1e-9, "month \(v.index)", sourceLocation: sourceLocation)
                    #expect(b.low <= v.value && v.value <= b.high, sourceLocation: sourceLocation)
                }
            }
            // Consecutive forecast vertices are consecutive band vertices, so each segment stays inside.
            for (a, b) in zip(run, run.dropFirst()) {
                let band = layout.bands.first { $0.vertices.contains { $0.index == a.index } }
                let indices = band?.vertices.map(\.index) ?? []
                if let k = indices.firstIndex(of: a.index) {
                    #expect(k + 1 < indices.count && indices[k + 1] == b.index, sourceLocation: sourceLocation)
                }
            }
        }
        let svg = chart.svg()
        let polygons = pointLists("<polygon class=\"band\"", in: svg)
        for line in pointLists("<polyline class=\"forecast\"", in: svg) {
            var probes = line
            for (a, b) in zip(line, line.dropFirst()) {
                for t in [0.25, 0.5, 0.75] { probes.append((x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y))) }
            }
            for p in probes {
                #expect(polygons.contains { contains($0, p) }, "(\(p.x), \(p.y)) outside the band", sourceLocation: sourceLocation)
            }
        }
        // Forecast markers too (a lone forecast month has no polyline).
        for match in svg.matches(of: /<g class="point forecast"[^\n]*<circle cx="([^"]*)" cy="([^"]*)"/) {
            let p = (x: Double(match.output.1)!, y: Double(match.output.2)!)
            #expect(polygons.contains { contains($0, p) }, "marker (\(p.x), \(p.y)) outside the band", sourceLocation: sourceLocation)
        }
    }

    // MARK: Tests

    @Test func outputIsDeterministic() {
        #expect(standard.svg() == standard.svg())
        #expect(standard.textAlternative == standard.textAlternative)
        #expect(withCurrentMonth.svg() == withCurrentMonth.svg())
        // Different content, different element ids (charts can share one HTML page).
        let a = charts.attributes("id", in: standard.svg()), b = charts.attributes("id", in: withCurrentMonth.svg())
        #expect(!a.isEmpty)
        #expect(Set(a).isDisjoint(with: b))
        let waterfall = WaterfallChart(title: "Monthly cost forecast", steps: [.init(label: "a", amount: dollars(1), isTotal: true)], formatter: usd)
        #expect(Set(a).isDisjoint(with: charts.attributes("id", in: waterfall.svg())))
        #expect(a.allSatisfy { $0.hasPrefix("cd-fan-") })
    }

    @Test func documentIsSelfContainedAndAccessible() {
        let svg = standard.svg()
        charts.checkDocument(svg)
        charts.checkDocument(withCurrentMonth.svg())
        let ids = charts.attributes("id", in: svg)
        #expect(svg.contains("<title id=\"\(ids[0])\">Monthly cost forecast</title>\n<desc id=\"\(ids[1])\">\(Escaping.html(standard.textAlternative))</desc>"))
        #expect(svg.contains("viewBox=\"0 0 720 360\""))
        #expect(!svg.contains("<script"))
        // Text in dark ink; marks differ by more than colour (solid vs dashed, filled vs hollow markers).
        #expect(svg.contains("fill=\"#1a1a1a\""))
        #expect(svg.contains("<polyline class=\"actual\""))
        #expect(svg.contains("<polyline class=\"forecast\""))
        let forecastLine = svg.split(separator: "\n").first { $0.hasPrefix("<polyline class=\"forecast\"") } ?? ""
        #expect(forecastLine.contains("stroke-dasharray"))
        let actualLine = svg.split(separator: "\n").first { $0.hasPrefix("<polyline class=\"actual\"") } ?? ""
        #expect(!actualLine.contains("stroke-dasharray"))
        // The band has a dark dashed outline on both edges, so it survives greyscale print.
        for edge in ["band-high", "band-low"] {
            let line = svg.split(separator: "\n").first { $0.hasPrefix("<polyline class=\"\(edge)\"") } ?? ""
            #expect(line.contains("stroke=\"#404040\"") && line.contains("stroke-dasharray"), "\(edge)")
        }
        // Legend names all three.
        for name in ["Actual", "Forecast", "80 % interval"] { #expect(svg.contains(">\(name)</text>"), "legend \(name)") }
        #expect(svg.contains(">forecast →</text>"))
    }

    @Test func dataTextIsEscapedEverywhere() {
        let evil = "<script>alert(1)</script>"
        let chart = FanChart(title: evil, points: [
            actual(evil, 100), actual("A & B \"quoted\" 'single'", 120),
            .init(label: evil, actual: nil, forecast: dollars(130), low: dollars(110), high: dollars(150)),
        ], intervalLabel: evil, formatter: usd)
        let empty = FanChart(title: evil, points: [], intervalLabel: evil, formatter: usd)
        for svg in [chart.svg(), empty.svg()] {
            charts.checkDocument(svg)
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("</script"))
            #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
        let svg = chart.svg()
        #expect(svg.contains("A &amp; B &quot;quoted&quot; &#39;single&#39;"))
        // Full hostile label in the point's <title>, the interval label escaped in legend and tooltip.
        #expect(svg.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; forecast: $130.00 (&lt;script&gt;alert(1)&lt;/script&gt; $110.00 to $150.00)</title>"))
        // Control characters (invalid in XML) do not get through.
        let control = FanChart(title: "t\u{0}x", points: [actual("a\u{1}b\nc", 1), forecast("d\u{7}", 2, 1, 3)], intervalLabel: "i\u{0}", formatter: usd)
        charts.checkDocument(control.svg())
    }

    @Test func bandEnclosesTheForecastLine() {
        checkBandEnclosesForecast(standard)
        checkBandEnclosesForecast(withCurrentMonth)
        let layout = standard.layout()
        // The forecast line continues from the last actual, and the band fans out from it.
        #expect(layout.forecastRuns.count == 1)
        #expect(layout.forecastRuns[0].map(\.index) == [5, 6, 7, 8])
        #expect(layout.forecastRuns[0][0].value == dollars(48_000))
        #expect(layout.bands.count == 1)
        let first = layout.bands[0].vertices[0]
        #expect(first.index == 5 && first.low == dollars(48_000) && first.high == dollars(48_000))
        #expect(layout.bands[0].vertices.dropFirst().map(\.low) == [dollars(46_000), dollars(45_500), dollars(45_000)])
        #expect(layout.bands[0].vertices.dropFirst().map(\.high) == [dollars(52_000), dollars(55_500), dollars(59_000)])
        // The rule sits at the boundary between the last actual month and the first forecast month.
        #expect(layout.forecastStart == 6)
        #expect(layout.ruleX == FanChart.plotLeft + 6 * layout.slot)
        #expect(layout.ruleX! > layout.xs[5] && layout.ruleX! < layout.xs[6])
        // The actual line is one unbroken run of six months.
        #expect(layout.actualRuns.map { $0.map(\.index) } == [[0, 1, 2, 3, 4, 5]])

        // Current month with a partial actual: the forecast continues from the last full month,
        // not from the partial actual in the same month; the rule is left of the current month.
        let current = withCurrentMonth.layout()
        #expect(current.forecastRuns.map { $0.map(\.index) } == [[1, 2, 3]])
        #expect(current.forecastRuns[0][0].value == dollars(12_000))
        // The partial actual is a dot of its own, not joined to the actual line.
        #expect(current.actualRuns.map { $0.map(\.index) } == [[0, 1], [2]])
        let currentSVG = withCurrentMonth.svg()
        #expect(pointLists("<polyline class=\"actual\"", in: currentSVG).map(\.count) == [2])
        #expect(currentSVG.contains("<title>Mar actual: $5,000.00</title>"))
        #expect(current.forecastStart == 2)
        // Both the partial actual and the estimate are labelled, on opposite sides.
        let march = current.valueLabels.filter { $0.index == 2 }
        #expect(march.count == 2)
        if march.count == 2 {
            let a = march.first { $0.kind == .actual }!, f = march.first { $0.kind == .forecast }!
            #expect(f.y < current.y(dollars(12_500)) && a.y > current.y(dollars(5_000)))
        }
    }

    @Test func aMissingActualMonthLeavesAGap() {
        var points = standardPoints
        points[2].actual = nil
        let chart = FanChart(title: "Gap", points: points, intervalLabel: "80 % interval", formatter: usd)
        let layout = chart.layout()
        #expect(layout.actualRuns.map { $0.map(\.index) } == [[0, 1], [3, 4, 5]])
        let svg = chart.svg()
        charts.checkDocument(svg)
        let lines = pointLists("<polyline class=\"actual\"", in: svg)
        #expect(lines.count == 2)
        // No drawn segment crosses the missing month.
        let gapX = layout.xs[2]
        for line in lines { #expect(line.allSatisfy { abs($0.x - gapX) > layout.slot / 2 }) }
        #expect(lines[0].last!.x < gapX && lines[1].first!.x > gapX)
        #expect(!svg.contains("data-index=\"2\""))
        // A lone actual between two gaps is a dot without a line.
        points[4].actual = nil
        let lone = FanChart(title: "Gap", points: points, intervalLabel: "80 % interval", formatter: usd)
        #expect(lone.layout().actualRuns.map { $0.map(\.index) } == [[0, 1], [3], [5]])
        let loneSVG = lone.svg()
        charts.checkDocument(loneSVG)
        #expect(pointLists("<polyline class=\"actual\"", in: loneSVG).count == 1)
        #expect(loneSVG.matches(of: /<g class="point actual"/).count == 4)
        checkBandEnclosesForecast(lone)
    }

    @Test func labelsAxisAndTitles() {
        let chart = standard
        let svg = chart.svg()
        let layout = chart.layout()
        // The last actual and each forecast point carry a compact value.
        #expect(layout.valueLabels.map(\.index) == [5, 6, 7, 8])
        #expect(layout.valueLabels.map(\.kind) == [.actual, .forecast, .forecast, .forecast])
        for text in ["$48.0k", "$49.0k", "$50.5k", "$52.0k"] {
            #expect(svg.contains(">\(text)</text>"), "value label \(text)")
        }
        #expect(!svg.contains(">$47.1k</text>")) // only the last actual is labelled
        // Point and interval in full in each forecast point's <title>.
        #expect(svg.contains("<title>2026-04 forecast: $49,000.00 (80 % interval $46,000.00 to $52,000.00)</title>"))
        #expect(svg.contains("<title>2026-06 forecast: $52,000.00 (80 % interval $45,000.00 to $59,000.00)</title>"))
        #expect(svg.contains("<title>2026-03 actual: $48,000.00</title>"))
        // Axis: 4–6 round ticks from zero that cover every value, in compact dollars.
        #expect((4...6).contains(layout.axis.ticks.count))
        #expect(layout.axis.ticks.contains(.zero))
        #expect(layout.axis.max >= dollars(59_000))
        #expect(layout.axis.ticks.map { ChartSVG.tickLabel($0, axis: layout.axis, formatter: usd) } == ["$0", "$20k", "$40k", "$60k"])
        // All month labels fit at nine months.
        #expect(layout.monthLabelStep == 1)
        for m in ["2025-10", "2026-01", "2026-06"] { #expect(svg.contains(">\(m)</text>")) }
    }

    @Test func textAlternativeListsLastActualAndEachForecast() {
        #expect(standard.textAlternative == "Monthly cost forecast: last actual 2026-03 $48,000.00; forecast "
            + "2026-04 $49,000.00 (80 % interval $46,000.00 to $52,000.00), "
            + "2026-05 $50,500.00 (80 % interval $45,500.00 to $55,500.00) and "
            + "2026-06 $52,000.00 (80 % interval $45,000.00 to $59,000.00).")
        #expect(withCurrentMonth.textAlternative == "Forecast: last actual Mar $5,000.00; forecast "
            + "Mar $12,500.00 (80 % interval $11,000.00 to $14,000.00) and Apr $13,000.00 (80 % interval $10,500.00 to $15,500.00).")
        #expect(FanChart(title: "", points: [], intervalLabel: "80 % interval", formatter: usd).textAlternative == "no data.")
    }

    @Test func edgeCases() {
        // No points: a small "No data" chart.
        let empty = FanChart(title: "Forecast", points: [], intervalLabel: "80 % interval", formatter: usd)
        charts.checkDocument(empty.svg())
        #expect(empty.svg().contains(">No data</text>"))
        #expect(empty.textAlternative == "Forecast: no data.")

        // Only actuals: no band, no rule, no forecast; legend has only "Actual".
        let onlyActuals = FanChart(title: "A", points: [actual("Jan", 10), actual("Feb", 20), actual("Mar", 15)], intervalLabel: "80 % interval", formatter: usd)
        let a = onlyActuals.svg()
        charts.checkDocument(a)
        #expect(!a.contains("<polygon") && !a.contains("forecast →") && !a.contains("class=\"forecast"))
        #expect(a.contains(">Actual</text>") && !a.contains(">Forecast</text>") && !a.contains(">80 % interval</text>"))
        #expect(onlyActuals.layout().valueLabels.map(\.index) == [2])
        #expect(a.contains(">$15.00</text>"))
        #expect(onlyActuals.textAlternative == "A: last actual Mar $15.00; no forecast.")

        // Only forecasts: the line starts at the first forecast, the rule at the plot's left edge.
        let onlyForecasts = FanChart(title: "F", points: [forecast("Apr", 100, 90, 110), forecast("May", 120, 100, 140)],
                                     intervalLabel: "80 % interval", formatter: usd)
        let f = onlyForecasts.svg()
        charts.checkDocument(f)
        #expect(onlyForecasts.layout().forecastRuns.map { $0.map(\.index) } == [[0, 1]])
        #expect(onlyForecasts.layout().ruleX == FanChart.plotLeft)
        #expect(!f.contains("class=\"point actual") && !f.contains(">Actual</text>"))
        #expect(onlyForecasts.textAlternative.hasPrefix("F: no actuals; forecast Apr $100.00 (80 % interval $90.00 to $110.00) and May"))
        checkBandEnclosesForecast(onlyForecasts)

        // A single forecast month (no anchor): the band is a short bar around the marker.
        let single = FanChart(title: "S", points: [forecast("Apr", 100, 90, 110)], intervalLabel: "80 % interval", formatter: usd)
        charts.checkDocument(single.svg())
        #expect(single.layout().bands.count == 1 && single.layout().bands[0].polygon.count == 4)
        checkBandEnclosesForecast(single)

        // Zero and negative values (credits): the axis covers them and keeps zero.
        let negative = FanChart(title: "N", points: [actual("Jan", 0), actual("Feb", -500), forecast("Mar", -200, -900, 300), forecast("Apr", 0, -1_000, 600)],
                                intervalLabel: "80 % interval", formatter: usd)
        let n = negative.layout()
        #expect(n.axis.min <= dollars(-1_000) && n.axis.max >= dollars(600) && n.axis.ticks.contains(.zero))
        #expect((4...6).contains(n.axis.ticks.count))
        let nsvg = negative.svg()
        charts.checkDocument(nsvg)
        #expect(nsvg.contains(">-$500.00</text>") && nsvg.contains(">-$200.00</text>") && nsvg.contains(">$0.00</text>"))
        checkBandEnclosesForecast(negative)
        let zeros = FanChart(title: "Z", points: [actual("Jan", 0), forecast("Feb", 0, 0, 0)], intervalLabel: "80 % interval", formatter: usd)
        charts.checkDocument(zeros.svg())
        checkBandEnclosesForecast(zeros)

        // An interval that does not hold its point is widened to it (low > point, high < point,
        // low > high), and a forecast without an interval gets a zero-width band.
        let bad = FanChart(title: "Bad", points: [
            actual("Jan", 100),
            .init(label: "Feb", actual: nil, forecast: dollars(100), low: dollars(120), high: dollars(150)),
            .init(label: "Mar", actual: nil, forecast: dollars(200), low: dollars(150), high: dollars(180)),
            .init(label: "Apr", actual: nil, forecast: dollars(200), low: dollars(260), high: dollars(220)),
            .init(label: "May", actual: nil, forecast: dollars(210), low: nil, high: nil),
            .init(label: "Jun", actual: nil, forecast: dollars(220), low: nil, high: dollars(250)),
        ], intervalLabel: "80 % interval", formatter: usd)
        let vertices = bad.layout().bands.flatMap(\.vertices)
        #expect(vertices.map(\.low) == [dollars(100), dollars(100), dollars(150), dollars(200), dollars(210), dollars(220)])
        #expect(vertices.map(\.high) == [dollars(100), dollars(150), dollars(200), dollars(260), dollars(210), dollars(250)])
        charts.checkDocument(bad.svg())
        checkBandEnclosesForecast(bad)
        #expect(bad.textAlternative.contains("Feb $100.00 (80 % interval $100.00 to $150.00)"))
        #expect(bad.textAlternative.contains("May $210.00 and Jun $220.00 (80 % interval $220.00 to $250.00)."))

        // An interval without a point estimate still draws the band and has a tooltip.
        let noPoint = FanChart(title: "P", points: [actual("Jan", 100), .init(label: "Feb", actual: nil, forecast: nil, low: dollars(80), high: dollars(130))],
                               intervalLabel: "", formatter: usd)
        let p = noPoint.svg()
        charts.checkDocument(p)
        #expect(p.contains("<polygon class=\"band\""))
        #expect(p.contains("<title>Feb forecast: no point estimate (interval $80.00 to $130.00)</title>"))
        #expect(noPoint.textAlternative == "P: last actual Jan $100.00; forecast Feb no point estimate (interval $80.00 to $130.00).")

        // Months without any value, huge and tiny values, empty labels.
        let odd = FanChart(title: "", points: [
            .init(label: "", actual: nil, forecast: nil, low: nil, high: nil),
            actual("Feb", 900_000_000_000), forecast("Mar", 1_000_000_000_000, 800_000_000_000, 1_200_000_000_000),
        ], intervalLabel: "80 % interval", formatter: usd)
        charts.checkDocument(odd.svg())
        checkBandEnclosesForecast(odd)
        let tiny = FanChart(title: "", points: [.init(label: "x", actual: Amount(units: 1), forecast: nil, low: nil, high: nil),
                                                .init(label: "y", actual: nil, forecast: Amount(units: 3), low: Amount(units: 2), high: Amount(units: 4))],
                            intervalLabel: "80 % interval", formatter: usd)
        charts.checkDocument(tiny.svg())
        let blank = FanChart(title: "", points: [.init(label: "Jan", actual: nil, forecast: nil, low: nil, high: nil)], intervalLabel: "", formatter: usd)
        charts.checkDocument(blank.svg())
    }

    @Test func manyMonthsThinTheLabels() {
        let months = (0..<48).map { i in "\(2023 + i / 12)-" + (i % 12 < 9 ? "0" : "") + "\(i % 12 + 1)" }
        var points = months.prefix(36).enumerated().map { actual($0.element, 40_000 + $0.offset * 250) }
        points += months.suffix(12).enumerated().map { forecast($0.element, 49_000 + $0.offset * 300, 46_000 - $0.offset * 100, 52_000 + $0.offset * 700) }
        let chart = FanChart(title: "Four years", points: points, intervalLabel: "80 % interval", formatter: usd)
        let layout = chart.layout()
        let svg = chart.svg()
        charts.checkDocument(svg)
        checkBandEnclosesForecast(chart)
        #expect(layout.monthLabelStep > 1)
        // Shown month labels do not overlap, and the first forecast month is always shown.
        let shown = svg.matches(of: /<text class="month" x="([^"]*)"[^>]*>([^<]*)</).map { (x: Double($0.output.1)!, text: String($0.output.2)) }
        #expect(shown.contains { $0.text == "2026-01" }) // the first forecast month
        #expect(shown.count >= 6)
        for (a, b) in zip(shown, shown.dropFirst()) {
            let gap = (b.x - a.x) - (ChartSVG.textWidth(a.text, fontSize: 10) + ChartSVG.textWidth(b.text, fontSize: 10)) / 2
            #expect(gap >= 2, "\(a.text) and \(b.text) overlap")
        }
        // Value labels on one side of the line do not overlap either.
        for side in [true, false] {
            let labels = layout.valueLabels.filter { ($0.y < layout.y(chart.points[$0.index].forecast ?? chart.points[$0.index].actual!)) == side }
            for (a, b) in zip(labels, labels.dropFirst()) {
                #expect(b.x - a.x >= (ChartSVG.textWidth(a.text, fontSize: 10) + ChartSVG.textWidth(b.text, fontSize: 10)) / 2,
                        "value labels at \(a.index) and \(b.index) overlap")
            }
        }
        #expect(layout.valueLabels.contains { $0.index == 47 })
        // Every label stays inside the picture.
        for x in charts.attributes("x", in: svg).compactMap(Double.init) { #expect(x >= 0 && x <= FanChart.width) }
        for y in charts.attributes("y", in: svg).compactMap(Double.init) { #expect(y >= 0 && y <= FanChart.height) }
    }
}
