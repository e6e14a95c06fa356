import Testing
@testable import CostDefender

@Suite struct FunnelSparklineTests {
    let usd = Formatter(currency: "USD")
    /// The shared SVG contract checks (structure, safety, number format, well-formedness).
    let charts = ChartTests()

    // MARK: Fixtures

    func dollars(_ d: Int) -> Amount { Amount(whole: d) }

    /// 26 → 18 → 11 → 7 findings; $84.2k → $52.1k → $32.3k → $21k per month.
    var funnel: FunnelChart {
        FunnelChart(title: "Savings funnel", stages: [
            .init(label: "Identified", count: 26, amount: dollars(84_200)),
            .init(label: "Committed", count: 18, amount: dollars(52_100)),
            .init(label: "Implemented", count: 11, amount: dollars(32_302)),
            .init(label: "Verified", count: 7, amount: dollars(21_000)),
        ], formatter: usd)
    }

    /// 60 days around an implementation on day 31: about $1,000/day before, $700/day after.
    var series: [Amount] {
        (0..<60).map { i in Amount(cents: (i < 30 ? 100_000 : 70_000) + (i % 7) * 1_500 - (i % 3) * 800) }
    }

    var spark: Sparkline {
        Sparkline(values: series, markerIndex: 30, baseline: 0..<30, after: 31..<60, label: "Rightsize db-prod: daily cost")
    }

    func stageLabels(_ svg: String) -> [String] {
        svg.matches(of: /<text class="stage-label"[^>]*>(.*?)<\/text>/).map {
            String($0.output.1).replacing(/<[^>]*>/, with: "")
        }
    }

    func polylinePoints(_ svg: String) -> [(x: Double, y: Double)] {
        guard let pts = charts.attributes("points", in: svg).first else { return [] }
        return pts.split(separator: " ").map { pair in
            let xy = pair.split(separator: ",").map { Double($0)! }
            return (x: xy[0], y: xy[1])
        }
    }

    // MARK: Both

    @Test func outputIsDeterministic() {
        #expect(funnel.svg() == funnel.svg())
        #expect(funnel.textAlternative == funnel.textAlternative)
        #expect(spark.svg() == spark.svg())
        #expect(spark.textAlternative == spark.textAlternative)
        // Different content, different ids (several sparklines share one table).
        let other = Sparkline(values: series.reversed(), markerIndex: 30, baseline: 0..<30, after: 31..<60, label: "Rightsize db-prod: daily cost")
        let a = charts.attributes("id", in: spark.svg()), b = charts.attributes("id", in: other.svg())
        #expect(Set(a).isDisjoint(with: b))
        #expect(Set(a).isDisjoint(with: charts.attributes("id", in: funnel.svg())))
        #expect(a.allSatisfy { $0.hasPrefix("cd-spark-") })
    }

    @Test func documentsAreSelfContainedAndAccessible() {
        for svg in [funnel.svg(), spark.svg()] {
            charts.checkDocument(svg)
            #expect(svg.contains("fill=\"#1a1a1a\""))
        }
        let fsvg = funnel.svg()
        let fids = charts.attributes("id", in: fsvg)
        #expect(fsvg.contains("<desc id=\"\(fids[1])\">\(Escaping.html(funnel.textAlternative))</desc>"))
        #expect(fsvg.contains("viewBox=\"0 0 720 240\""))
        let ssvg = spark.svg()
        let sids = charts.attributes("id", in: ssvg)
        #expect(ssvg.contains("<title id=\"\(sids[0])\">Rightsize db-prod: daily cost</title>"))
        #expect(ssvg.contains("<desc id=\"\(sids[1])\">\(Escaping.html(spark.textAlternative))</desc>"))
        #expect(ssvg.contains("viewBox=\"0 0 160 32\""))
        #expect(ssvg.components(separatedBy: "<polyline").count == 2)
    }

    @Test func dataTextIsEscapedEverywhere() {
        let evil = "<script>alert(1)</script>"
        let f = FunnelChart(title: evil, stages: [.init(label: evil, count: 1, amount: dollars(10)),
                                                  .init(label: "A & B \"q\" 's'", count: 1, amount: dollars(5))], formatter: usd)
        let s = Sparkline(values: [dollars(1), dollars(2)], markerIndex: 0, baseline: nil, after: nil, label: evil)
        for svg in [f.svg(), s.svg(), FunnelChart(title: evil, stages: [], formatter: usd).svg(),
                    Sparkline(values: [], markerIndex: nil, baseline: nil, after: nil, label: evil).svg()] {
            charts.checkDocument(svg)
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("alert(1)</"))
            #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
        #expect(f.svg().contains("A &amp; B &quot;q&quot; &#39;s&#39;"))
        // Control characters (invalid in XML) do not get through.
        charts.checkDocument(FunnelChart(title: "t\u{0}", stages: [.init(label: "a\u{1}b\nc", count: 1, amount: dollars(1))], formatter: usd).svg())
        charts.checkDocument(Sparkline(values: [dollars(1)], markerIndex: nil, baseline: nil, after: nil, label: "x\u{7}y\u{FFFE}").svg())
    }

    // MARK: Funnel

    @Test func funnelBarWidthsAreProportionalToDollars() {
        let layout = funnel.layout()
        let full = FunnelChart.plotRight - FunnelChart.plotLeft
        #expect(layout.bars.count == 4)
        #expect(layout.bars[0].width == full)
        for bar in layout.bars {
            #expect(abs(bar.width - full * bar.stage.amount.doubleValue / 84_200) < 1e-9)
            #expect(bar.x == FunnelChart.plotLeft)
        }
        // The drawn rects agree, to the printed precision.
        let svg = funnel.svg()
        let widths = svg.matches(of: /<rect class="bar"[^>]* width="([^"]*)"/).map { Double($0.output.1)! }
        #expect(widths.count == 4)
        for (w, bar) in zip(widths, layout.bars) { #expect(abs(w - bar.width) <= 0.05) }
        // Rows go downwards without overlapping; the picture is about 720 × 240.
        for (a, b) in zip(layout.bars, layout.bars.dropFirst()) {
            #expect(b.textY - 11 > a.y + FunnelChart.barHeight)
        }
        #expect(layout.height == 240)
        #expect(layout.bars.last!.y + FunnelChart.barHeight <= layout.height)
        // A later stage larger than the first: the largest spans the full width.
        let odd = FunnelChart(title: "", stages: [.init(label: "A", count: 1, amount: dollars(50)),
                                                  .init(label: "B", count: 1, amount: dollars(100))], formatter: usd).layout()
        #expect(odd.bars.map(\.fraction) == [0.5, 1])
    }

    @Test func funnelLabelsAndConversions() {
        let svg = funnel.svg()
        #expect(stageLabels(svg) == [
            "Identified — 26 findings, $84.2k/month",
            "Committed — 18 findings, $52.1k/month · 62 % of identified dollars",
            "Implemented — 11 findings, $32.3k/month · 62 % of committed dollars",
            "Verified — 7 findings, $21.0k/month · 65 % of implemented dollars",
        ])
        let conversions = funnel.layout().bars.map(\.dollarConversion)
        #expect(conversions[0] == nil)
        #expect(abs(conversions[1]! - 52_100.0 / 84_200) < 1e-12)
        #expect(abs(funnel.layout().bars[2].countConversion! - 11.0 / 18) < 1e-12)
        #expect(svg.contains("<title>Committed 18 findings, $52,100.00/month (62 % of identified dollars and 69 % of identified findings)</title>"))
        #expect(funnel.textAlternative == "Savings funnel: Identified 26 findings, $84,200.00/month; "
            + "Committed 18 findings, $52,100.00/month (62 % of identified dollars and 69 % of identified findings); "
            + "Implemented 11 findings, $32,302.00/month (62 % of committed dollars and 61 % of committed findings); "
            + "Verified 7 findings, $21,000.00/month (65 % of implemented dollars and 64 % of implemented findings).")

        #expect(FunnelChart.percentText(0.62) == "62 %")
        #expect(FunnelChart.percentText(0.001) == "<1 %")
        #expect(FunnelChart.percentText(0.996) == ">99 %")
        #expect(FunnelChart.percentText(1) == "100 %")
        #expect(FunnelChart.percentText(0) == "0 %")
        #expect(FunnelChart.percentText(nil) == nil)
        #expect(FunnelChart.inSentence("Identified") == "identified")
        #expect(FunnelChart.inSentence("EC2 rightsizing") == "EC2 rightsizing")
        #expect(FunnelChart.inSentence("iOS") == "iOS")
        #expect(FunnelChart.findings(1, formatter: usd) == "1 finding")
        #expect(FunnelChart.findings(1_204, formatter: usd) == "1,204 findings")
    }

    @Test func funnelShadesDarkenAndStayGreyscaleReadable() {
        func luma(_ hex: String) -> Double {
            let v = Int(hex.dropFirst(), radix: 16)!
            return 0.2126 * Double(v >> 16) + 0.7152 * Double((v >> 8) & 0xff) + 0.0722 * Double(v & 0xff)
        }
        let fills = funnel.layout().bars.map(\.fill)
        #expect(fills.first == "#a8c1db")
        #expect(fills.last == "#1f3b57")
        for (a, b) in zip(fills, fills.dropFirst()) { #expect(luma(a) > luma(b) + 20) }
        #expect(FunnelChart.shade(0, of: 1) == "#1f3b57")
        // Bars are outlined in ink, so even the lightest reads on white.
        #expect(funnel.svg().matches(of: /<rect class="bar"[^>]*stroke="#1a1a1a"/).count == 4)
    }

    @Test func funnelEdgeCases() {
        // Empty: the shared "No data" picture.
        let empty = FunnelChart(title: "Funnel", stages: [], formatter: usd)
        charts.checkDocument(empty.svg())
        #expect(empty.svg().contains(">No data</text>"))
        #expect(empty.textAlternative == "Funnel: no data.")
        // Zero and negative dollars: no bar, the track remains; conversion from zero is left out.
        let zero = FunnelChart(title: "", stages: [.init(label: "Identified", count: 0, amount: .zero),
                                                   .init(label: "Committed", count: 0, amount: .zero),
                                                   .init(label: "Verified", count: -1, amount: dollars(-5))], formatter: usd)
        let svg = zero.svg()
        charts.checkDocument(svg)
        #expect(!svg.contains("class=\"bar\""))
        #expect(svg.components(separatedBy: "class=\"track\"").count == 4)
        #expect(zero.layout().bars.allSatisfy { $0.width == 0 && $0.dollarConversion == nil && $0.countConversion == nil })
        #expect(stageLabels(svg)[1] == "Committed — 0 findings, $0.00/month")
        #expect(zero.textAlternative == "Identified 0 findings, $0.00/month; Committed 0 findings, $0.00/month; Verified -1 findings, -$5.00/month.")
        // A single stage, tiny amounts, huge amounts, long labels: still a valid document, text inside.
        let long = String(repeating: "Very long stage name ", count: 10)
        for stages: [FunnelChart.Stage] in [
            [.init(label: "Only", count: 3, amount: dollars(1))],
            [.init(label: "a", count: 1, amount: Amount(units: 3)), .init(label: "b", count: 1, amount: Amount(units: 1))],
            [.init(label: long, count: 1_000_000, amount: dollars(900_000_000_000)), .init(label: long, count: 999_999, amount: dollars(899_000_000_000))],
        ] {
            let chart = FunnelChart(title: long, stages: stages, formatter: usd)
            let svg = chart.svg()
            charts.checkDocument(svg)
            for label in stageLabels(svg) {
                #expect(ChartSVG.textWidth(label, fontSize: 11) <= FunnelChart.plotRight - FunnelChart.plotLeft)
            }
            for x in charts.attributes("x", in: svg).compactMap(Double.init) { #expect(x >= 0 && x <= FunnelChart.width) }
        }
        // Many stages: the picture grows to hold them.
        let many = FunnelChart(title: "", stages: (0..<9).map { .init(label: "S\($0)", count: 9 - $0, amount: dollars(900 - $0 * 100)) }, formatter: usd)
        charts.checkDocument(many.svg())
        #expect(many.layout().bars.last!.y + FunnelChart.barHeight <= many.layout().height)
    }

    // MARK: Sparkline

    @Test func sparklineGeometry() {
        let layout = spark.layout()
        let svg = spark.svg()
        let points = polylinePoints(svg)
        #expect(points.count == 60)
        for p in points {
            #expect(p.x >= 0 && p.x <= Sparkline.width && p.y >= 0 && p.y <= Sparkline.height)
        }
        // Left to right in day order, first and last at the padding.
        #expect(points.first!.x == Sparkline.padX)
        #expect(points.last!.x == Sparkline.width - Sparkline.padX)
        for (a, b) in zip(points, points.dropFirst()) { #expect(b.x > a.x) }
        // The highest value is at the top of the plot, the lowest at the bottom; higher is higher.
        let hi = series.indices.max { series[$0] < series[$1] }!, lo = series.indices.min { series[$0] < series[$1] }!
        #expect(layout.points[hi].y == Sparkline.padY)
        #expect(layout.points[lo].y == Sparkline.height - Sparkline.padY)
        for i in series.indices { for j in series.indices where series[i] > series[j] { #expect(layout.points[i].y < layout.points[j].y) } }

        // The marker is a dashed full-height rule through day 31's point.
        let marker = svg.matches(of: /<line class="marker"[^>]*\/>/).map { String($0.output) }
        #expect(marker.count == 1)
        #expect(marker[0].contains("stroke-dasharray=\"2 2\""))
        #expect(charts.attributes("x1", in: marker[0]) == [ChartSVG.num(layout.points[30].x)])
        #expect(charts.attributes("x2", in: marker[0]) == [ChartSVG.num(layout.points[30].x)])
        #expect(charts.attributes("y1", in: marker[0]) == ["0"] && charts.attributes("y2", in: marker[0]) == ["32"])

        // Windows: light rectangles covering their days, behind the line, on either side of the marker.
        #expect(layout.spans.map(\.kind) == [.baseline, .after])
        let base = layout.spans[0], after = layout.spans[1]
        #expect(base.x == 0 && base.x + base.width >= layout.points[29].x)
        #expect(base.x + base.width < layout.markerX!)
        #expect(after.x > layout.markerX! && after.x <= layout.points[31].x)
        #expect(abs(after.x + after.width - Sparkline.width) < 1e-9)
        #expect(svg.range(of: "class=\"span baseline\"")!.lowerBound < svg.range(of: "<polyline")!.lowerBound)
        #expect(svg.contains("data-from=\"31\" data-to=\"60\""))

        #expect(spark.textAlternative == "Rightsize db-prod: daily cost: 60 daily values from 684.00 to 1,090.00, first 1,000.00, last 729.00; "
            + "marker at day 31; baseline days 1–30 average \(Sparkline.plain(spark.average(0..<30))); after days 32–60 average \(Sparkline.plain(spark.average(31..<60))).")
        #expect(Sparkline.plain(spark.average(0..<3)) == "1,007.00")
        #expect(spark.average(0..<2) == Amount(cents: 100_000 + 700 / 2))
    }

    @Test func sparklineEdgeCases() {
        // Empty: a valid picture saying "No data".
        let empty = Sparkline(values: [], markerIndex: 3, baseline: 0..<2, after: 2..<4, label: "Nothing")
        charts.checkDocument(empty.svg())
        #expect(empty.svg().contains(">No data</text>"))
        #expect(!empty.svg().contains("<polyline") && !empty.svg().contains("class=\"marker\"") && !empty.svg().contains("class=\"span"))
        #expect(empty.textAlternative == "Nothing: no data.")

        // All equal: a flat line through the middle.
        let flat = Sparkline(values: Array(repeating: dollars(5), count: 10), markerIndex: nil, baseline: nil, after: nil, label: "Flat")
        charts.checkDocument(flat.svg())
        #expect(polylinePoints(flat.svg()).allSatisfy { $0.y == Sparkline.height / 2 })
        #expect(flat.textAlternative == "Flat: 10 daily values all 5.00, first 5.00, last 5.00.")

        // Negative values, crossing zero: still inside the box, in order.
        let negative = Sparkline(values: [dollars(-100), dollars(50), dollars(-20), .zero], markerIndex: 1, baseline: 0..<1, after: 2..<4, label: "Credits")
        let nsvg = negative.svg()
        charts.checkDocument(nsvg)
        let np = polylinePoints(nsvg)
        #expect(np.map(\.y) == [29, 3, ChartSVG.num(3 + 70.0 / 150 * 26).asDouble, ChartSVG.num(3 + 50.0 / 150 * 26).asDouble])
        #expect(negative.textAlternative == "Credits: 4 daily values from -100.00 to 50.00, first -100.00, last 0.00; marker at day 2; "
            + "baseline day 1 average -100.00; after days 3–4 average -10.00.")

        // One value: a dot in the middle; its window covers the plot.
        let one = Sparkline(values: [dollars(7)], markerIndex: 0, baseline: 0..<1, after: nil, label: "")
        let osvg = one.svg()
        charts.checkDocument(osvg)
        #expect(osvg.contains("<circle class=\"line\" cx=\"80\" cy=\"16\""))
        #expect(one.layout().spans == [.init(kind: .baseline, range: 0..<1, x: 0, width: 160)])
        #expect(one.layout().markerX == 80)
        #expect(one.textAlternative == "1 daily value, 7.00; marker at day 1; baseline day 1 average 7.00.")

        // Out-of-range marker and windows: ignored or clipped, never drawn outside.
        let clipped = Sparkline(values: (0..<5).map { dollars($0) }, markerIndex: 9, baseline: -3..<2, after: 7..<12, label: "Clip")
        let c = clipped.layout()
        #expect(c.markerX == nil)
        #expect(c.spans.map(\.range) == [0..<2])
        #expect(c.spans[0].x == 0)
        #expect(!clipped.svg().contains("class=\"marker\""))
        #expect(clipped.textAlternative == "Clip: 5 daily values from 0.00 to 4.00, first 0.00, last 4.00; baseline days 1–2 average 0.50.")
        #expect(Sparkline(values: [dollars(1)], markerIndex: -1, baseline: nil, after: nil, label: "").layout().markerX == nil)

        // Extreme and tiny magnitudes: finite, in-box coordinates.
        for values in [[Amount(units: 1), Amount(units: 2), Amount(units: 1)],
                       [dollars(-900_000_000_000), dollars(900_000_000_000)],
                       (0..<400).map { dollars($0 % 17) }] {
            let s = Sparkline(values: values, markerIndex: 1, baseline: 0..<1, after: 1..<2, label: "x")
            let svg = s.svg()
            charts.checkDocument(svg)
            #expect(!svg.contains("nan") && !svg.contains("inf"))
            for p in polylinePoints(svg) { #expect(p.x >= 0 && p.x <= 160 && p.y >= 0 && p.y <= 32) }
        }
    }
}

private extension String {
    var asDouble: Double { Double(self)! }
}
