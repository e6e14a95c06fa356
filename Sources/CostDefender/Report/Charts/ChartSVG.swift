/// Shared pieces of the inline-SVG charts: number printing, text escaping and fitting, the value
/// axis, identifiers, and the "No data" placeholder. Everything here is a pure function of its
/// inputs, so the same chart input gives byte-identical SVG.
enum ChartSVG {
    /// Dark ink for all text: #1a1a1a on white is about 17:1, far above WCAG AA (4.5:1).
    static let ink = "#1a1a1a"
    static let gridColour = "#d4d4d4"
    static let fontFamily = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"
    /// Rough advance width of one character as a share of the font size, for fitting text.
    static let charWidth = 0.58

    // MARK: Numbers

    /// A coordinate with at most one decimal place, no locale, no exponent, no `-0`.
    static func num(_ v: Double) -> String {
        var out = SVGBuffer(capacity: 12)
        out.num(v)
        return out.finish()
    }

    // MARK: Text

    /// Data text made safe for SVG/HTML: control characters (invalid in XML) become spaces, the
    /// non-characters U+FFFE/U+FFFF are dropped, then `Escaping.html`.
    static func text(_ s: String) -> String { Escaping.html(clean(s)) }

    static func clean(_ s: String) -> String {
        // Most text has no control character and nothing from U+F000 on (lead byte EF): as it is.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xEF }) { return s }
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F { out.append(" ") }
            else if u.value == 0xFFFE || u.value == 0xFFFF { continue }
            else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// At most `limit` characters; longer text keeps `limit - 1` and gains an ellipsis.
    static func truncate(_ s: String, to limit: Int) -> String {
        let limit = Swift.max(1, limit)
        guard s.count > limit else { return s }
        return String(s.prefix(limit - 1)) + "…"
    }

    /// Greedy word wrap into at most `maxLines` lines of at most `maxChars` characters. Words longer
    /// than a line are broken; text that does not fit ends with an ellipsis.
    static func wrap(_ s: String, maxChars: Int, maxLines: Int) -> [String] {
        let maxChars = Swift.max(1, maxChars), maxLines = Swift.max(1, maxLines)
        var lines: [String] = []
        var current = ""
        for wordSub in s.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(wordSub)
            if !current.isEmpty {
                if current.count + 1 + word.count <= maxChars { current += " " + word; continue }
                lines.append(current); current = ""
            }
            while word.count > maxChars {
                // Break after a hyphen, slash, underscore or dot when there is one, else anywhere.
                let head = word.prefix(maxChars)
                let cut = head.lastIndex { "-/_.".contains($0) }.map { head.distance(from: head.startIndex, to: $0) + 1 }
                let n = cut.map { $0 > 1 ? $0 : maxChars } ?? maxChars
                lines.append(String(word.prefix(n)))
                word = String(word.dropFirst(n))
            }
            current = word
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            var kept = Array(lines.prefix(maxLines))
            kept[maxLines - 1] = String(kept[maxLines - 1].prefix(maxChars - 1)) + "…"
            return kept
        }
        return lines
    }

    /// Characters of `fontSize` text that fit in `width` user units (at least 1).
    static func chars(fitting width: Double, fontSize: Double) -> Int {
        Swift.max(1, Int(width / (fontSize * charWidth)))
    }

    static func textWidth(_ s: String, fontSize: Double) -> Double { Double(s.count) * fontSize * charWidth }

    // MARK: Identifiers

    /// A deterministic identifier prefix derived from the chart's content (FNV-1a, 64 bits), so that
    /// several charts inlined in one HTML page do not share `id`s, and the same chart always gets
    /// the same ones.
    static func idPrefix(_ kind: String, _ content: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in content.utf8 { h ^= UInt64(b); h = h &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return "cd-\(kind)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    // MARK: Document

    /// The opening tag, `<title>` and `<desc>` (first children), as the charts share them.
    static func open(id: String, width: Double, height: Double, title: String, description: String) -> String {
        var out = SVGBuffer()
        open(id: id, width: width, height: height, title: title, description: description, into: &out)
        return out.finish()
    }

    static func open(id: String, width: Double, height: Double, title: String, description: String, into out: inout SVGBuffer) {
        out.put("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 "); out.num(width); out.put(" "); out.num(height)
        out.put("\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\""); out.put(id); out.put("-title "); out.put(id)
        out.put("-desc\" font-family=\""); out.put(fontFamily); out.put("\" font-size=\"11\" fill=\""); out.put(ink); out.put("\">\n<title id=\"")
        out.put(id); out.put("-title\">"); out.text(title); out.put("</title>\n<desc id=\""); out.put(id); out.put("-desc\">"); out.text(description)
        out.put("</desc>\n")
    }

    /// A small chart that says "No data", for empty input.
    static func noData(kind: String, title: String, description: String) -> String {
        let id = idPrefix(kind, "nodata\u{1}" + title)
        let width = 720.0, height = 80.0
        return open(id: id, width: width, height: height, title: title, description: description)
            + "<text x=\"12\" y=\"22\" font-size=\"13\" font-weight=\"bold\">\(text(truncate(title, to: 90)))</text>\n"
            + "<rect x=\"0.5\" y=\"32.5\" width=\"719\" height=\"44\" fill=\"#ffffff\" stroke=\"\(gridColour)\"/>\n"
            + "<text x=\"360\" y=\"59\" text-anchor=\"middle\" font-size=\"12\">No data</text>\n"
            + "</svg>"
    }

    /// Visible chart title at the top left.
    static func heading(_ title: String, maxWidth: Double) -> String {
        var out = SVGBuffer(capacity: 128)
        heading(title, maxWidth: maxWidth, into: &out)
        return out.finish()
    }

    static func heading(_ title: String, maxWidth: Double, into out: inout SVGBuffer) {
        out.put("<text x=\"12\" y=\"20\" font-size=\"13\" font-weight=\"bold\">")
        out.text(truncate(title, to: chars(fitting: maxWidth, fontSize: 13)))
        out.put("</text>\n")
    }

    // MARK: Value axis

    /// Evenly spaced, round tick values (4 to 6 of them) that cover `lo…hi` and zero.
    struct Axis: Equatable, Sendable {
        var ticks: [Amount]
        var step: Amount
        var min: Amount { ticks.first! }
        var max: Amount { ticks.last! }

        /// Screen y of `value`, with `max` at `top` and `min` at `bottom`.
        func y(_ value: Amount, top: Double, bottom: Double) -> Double {
            let span = (max - min).doubleValue
            guard span > 0 else { return bottom }
            return top + (max - value).doubleValue / span * (bottom - top)
        }
    }

    /// Steps are 1, 2, 2.5 and 5 × 10ⁿ currency units, never below one cent. The smallest step that
    /// needs at most 6 ticks is taken; if it needs fewer than 4, the axis is extended on the side
    /// with the larger magnitude. All ticks are exact `Amount`s.
    static func axis(lo rawLo: Amount, hi rawHi: Amount) -> Axis {
        let lo = Swift.min(rawLo, .zero)
        var hi = Swift.max(rawHi, .zero)
        if lo == hi { hi = Amount(whole: 1) }
        var power: Int128 = 10_000_000_000_000 // one cent in units of 10⁻¹⁵
        while true {
            for mantissa: Int128 in [10, 20, 25, 50] {
                let (tenth, o1) = power.dividedReportingOverflow(by: 10)
                let (step, o2) = tenth.multipliedReportingOverflow(by: mantissa)
                if o1 || o2 || step <= 0 { return fallbackAxis(lo: lo, hi: hi) }
                if step % (Amount.unit / 100) != 0 { continue } // whole cents only
                var low = floorDiv(lo.units, step)
                var high = ceilDiv(hi.units, step)
                guard high - low + 1 <= 6 else { continue }
                while high - low + 1 < 4 {
                    if lo.magnitude > hi.magnitude { low -= 1 } else { high += 1 }
                }
                var ticks: [Amount] = []
                for k in low...high {
                    let (v, o) = k.multipliedReportingOverflow(by: step)
                    if o { return fallbackAxis(lo: lo, hi: hi) }
                    ticks.append(Amount(units: v))
                }
                return Axis(ticks: ticks, step: Amount(units: step))
            }
            let (next, overflow) = power.multipliedReportingOverflow(by: 10)
            if overflow { return fallbackAxis(lo: lo, hi: hi) }
            power = next
        }
    }

    /// Only for magnitudes near the limit of `Amount`: the extremes and zero.
    private static func fallbackAxis(lo: Amount, hi: Amount) -> Axis {
        var ticks = [lo]
        if lo < .zero && hi > .zero { ticks.append(.zero) }
        ticks.append(hi)
        return Axis(ticks: ticks, step: hi - lo)
    }

    static func floorDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func ceilDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && (a < 0) == (b < 0)) ? q + 1 : q
    }

    /// Axis tick text: one scale for the whole axis (`$2.5k`, `$5.0k`, or `$250`, `$0.25`), with just
    /// enough decimals to show the step exactly; zero is `$0`.
    static func tickLabel(_ value: Amount, axis: Axis, formatter: Formatter) -> String {
        let sym = formatter.symbol ?? formatter.currency + " "
        if value.isZero { return sym + "0" }
        let largest = Swift.max(axis.min.magnitude, axis.max.magnitude).doubleValue
        let (divisor, suffix): (Double, String) =
            largest >= 1e9 ? (1e9, "B") : largest >= 1e6 ? (1e6, "M") : largest >= 1e4 ? (1e3, "k") : (1, "")
        var decimals = 0
        if suffix.isEmpty {
            decimals = axis.step.units % Amount.unit == 0 ? 0 : 2
        } else {
            // Smallest number of decimals (≤ 3) that shows step / divisor exactly.
            let unitUnits = Amount.unit * Int128(divisor)
            var d = 0
            var q = unitUnits
            while d < 3 && axis.step.units % q != 0 { d += 1; q /= 10 }
            decimals = d
        }
        let v = value.doubleValue / divisor
        let body = Formatter.fixed(abs(v), decimals)
        return (v < 0 ? "-" : "") + sym + body + suffix
    }

    /// Gridlines, the axis line, tick marks and tick labels on the left of a plot, and the zero line.
    static func valueAxis(_ axis: Axis, left: Double, right: Double, top: Double, bottom: Double, formatter: Formatter) -> String {
        var out = SVGBuffer(capacity: 2048)
        valueAxis(axis, left: left, right: right, top: top, bottom: bottom, formatter: formatter, into: &out)
        return out.finish()
    }

    static func valueAxis(_ axis: Axis, left: Double, right: Double, top: Double, bottom: Double, formatter: Formatter, into out: inout SVGBuffer) {
        out.put("<g class=\"axis\" font-size=\"10\">\n")
        for t in axis.ticks {
            let y = axis.y(t, top: top, bottom: bottom)
            if !t.isZero {
                out.put("<line x1=\""); out.num(left); out.put("\" y1=\""); out.num(y); out.put("\" x2=\""); out.num(right); out.put("\" y2=\""); out.num(y)
                out.put("\" stroke=\""); out.put(gridColour); out.put("\" stroke-width=\"0.8\"/>\n")
            }
            out.put("<line x1=\""); out.num(left - 4); out.put("\" y1=\""); out.num(y); out.put("\" x2=\""); out.num(left); out.put("\" y2=\""); out.num(y)
            out.put("\" stroke=\""); out.put(ink); out.put("\" stroke-width=\"1\"/>\n")
            out.put("<text x=\""); out.num(left - 6); out.put("\" y=\""); out.num(y + 3.5); out.put("\" text-anchor=\"end\" data-value=\"")
            out.exact(t); out.put("\">"); out.text(tickLabel(t, axis: axis, formatter: formatter)); out.put("</text>\n")
        }
        out.put("<line x1=\""); out.num(left); out.put("\" y1=\""); out.num(top); out.put("\" x2=\""); out.num(left); out.put("\" y2=\""); out.num(bottom)
        out.put("\" stroke=\""); out.put(ink); out.put("\" stroke-width=\"1\"/>\n")
        let zero = axis.y(.zero, top: top, bottom: bottom)
        out.put("<line class=\"zero\" x1=\""); out.num(left); out.put("\" y1=\""); out.num(zero); out.put("\" x2=\""); out.num(right); out.put("\" y2=\""); out.num(zero)
        out.put("\" stroke=\""); out.put(ink); out.put("\" stroke-width=\"1.5\"/>\n")
        out.put("</g>\n")
    }

    /// Category text under a column: wrapped horizontally when it fits the slot, else rotated −45°.
    /// The caller truncates `label` first; a rotated label is cut further to `rotatedChars`.
    static func categoryLabel(_ label: String, centerX: Double, topY: Double, slotWidth: Double, maxLines: Int, rotatedChars: Int,
                              lineHeight: Double = 11) -> String {
        var out = SVGBuffer(capacity: 256)
        categoryLabel(label, centerX: centerX, topY: topY, slotWidth: slotWidth, maxLines: maxLines, rotatedChars: rotatedChars,
                      lineHeight: lineHeight, into: &out)
        return out.finish()
    }

    static func categoryLabel(_ label: String, centerX: Double, topY: Double, slotWidth: Double, maxLines: Int, rotatedChars: Int,
                              lineHeight: Double = 11, into out: inout SVGBuffer) {
        let fontSize = 10.0
        let perLine = chars(fitting: slotWidth - 4, fontSize: fontSize)
        let lines = wrap(label, maxChars: perLine, maxLines: maxLines)
        let widestWord = label.split(separator: " ").map(\.count).max() ?? 0
        out.put("<text class=\"category\" x=\""); out.num(centerX); out.put("\" y=\""); out.num(topY)
        if widestWord <= perLine || perLine >= 10 {
            out.put("\" text-anchor=\"middle\" font-size=\"10\">")
            for (i, line) in lines.enumerated() {
                out.put("<tspan x=\""); out.num(centerX); out.put("\" dy=\"")
                if i == 0 { out.put("0") } else { out.num(lineHeight) }
                out.put("\">"); out.text(line); out.put("</tspan>")
            }
            out.put("</text>\n")
            return
        }
        out.put("\" text-anchor=\"end\" font-size=\"10\" transform=\"rotate(-45 "); out.num(centerX); out.put(" "); out.num(topY); out.put(")\">")
        out.text(truncate(label, to: rotatedChars)); out.put("</text>\n")
    }
}
