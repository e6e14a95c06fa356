/// A monthly history made ready for fitting: missing months (non-finite values such as
/// `Double.nan`) between known months are filled by linear interpolation between the nearest
/// known neighbours; leading and trailing missing months are dropped.
///
/// Invariant: `values` holds finite numbers only, and
/// `leadingDropped + values.count + trailingDropped` is the length of the raw history.
struct CleanedForecastHistory: Sendable, Equatable {
    var values: [Double]
    var leadingDropped: Int
    var trailingDropped: Int
    /// Months filled by interpolation.
    var interpolated: Int

    init(_ raw: [Double]) {
        let known = raw.indices.filter { raw[$0].isFinite }
        guard let first = known.first, let last = known.last else {
            values = []
            leadingDropped = raw.count
            trailingDropped = 0
            interpolated = 0
            return
        }
        var values = Array(raw[first...last])
        var filled = 0
        var previous = 0   // index in `values` of the last known month
        for i in 1..<values.count where values[i].isFinite {
            let gap = i - previous
            if gap > 1 {
                let from = values[previous], to = values[i]
                for k in 1..<gap {
                    values[previous + k] = from + (to - from) * Double(k) / Double(gap)
                }
                filled += gap - 1
            }
            previous = i
        }
        self.values = values
        leadingDropped = first
        trailingDropped = raw.count - 1 - last
        interpolated = filled
    }

    /// What was done to the history, in plain words; empty when nothing was.
    var notes: [String] {
        var notes: [String] = []
        if values.isEmpty && leadingDropped > 0 {
            notes.append("all \(Self.months(leadingDropped)) of the history are missing")
            return notes
        }
        if interpolated > 0 {
            notes.append("\(Self.months(interpolated)) missing: filled by linear interpolation between the neighbouring months")
        }
        if leadingDropped > 0 {
            notes.append("\(Self.months(leadingDropped)) missing at the start: dropped")
        }
        if trailingDropped > 0 {
            notes.append("\(Self.months(trailingDropped)) missing at the end: dropped; the forecast is made from the last known month, "
                + "so its first month is \(trailingDropped + 1) months after it")
        }
        return notes
    }

    static func months(_ n: Int) -> String { n == 1 ? "1 month" : "\(n) months" }
}
