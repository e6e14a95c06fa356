/// The robust baseline of one day of a daily series: which earlier days it is built from, and
/// their median and median absolute deviation (Iglewicz & Hoaglin, 1993).
///
/// Days are offsets into a series that starts at the first day kept (`origin`, never before the
/// first day of data), so a baseline never counts days before the data began as zeros.
struct RobustBaseline {
    /// The reference days of day `t`: the same weekday of the previous `weeks` weeks when at
    /// least `minimumWeekdayPoints` of them exist, else all of the previous `fallbackDays` days
    /// that exist, when there are at least `minimumFallbackPoints`; nil when there is too little
    /// history to judge the day.
    /// Days without any cost row (`hasData` false: a gap in the export) are not points.
    static func references(of t: Int, _ s: AnomalyDetector.Settings, hasData: [Bool]) -> [Int]? {
        var weekly: [Int] = []
        weekly.reserveCapacity(s.weeks)
        if s.weeks > 0 {
            for k in 1...s.weeks {
                let u = t - 7 * k
                if u < 0 { break }
                if hasData[u] { weekly.append(u) }
            }
        }
        if weekly.count >= s.minimumWeekdayPoints && !weekly.isEmpty { return weekly }
        let recent = (max(0, t - s.fallbackDays)..<t).filter { hasData[$0] }
        guard recent.count >= max(1, s.minimumFallbackPoints) else { return nil }
        return recent
    }

    /// Median of `values` (sorted in place). An even count takes the mean of the two middle
    /// values, truncated to 10⁻¹⁵.
    @inline(__always)
    static func median(_ values: inout [Int128]) -> Int128 {
        precondition(!values.isEmpty)
        values.sort()
        let n = values.count
        if n % 2 == 1 { return values[n / 2] }
        let a = values[n / 2 - 1], b = values[n / 2]
        return a + (b - a) / 2
    }

    /// Median and MAD = median(|x − median|) of `values` at `refs` of `series`, using `scratch`
    /// as working space (no allocation once it has grown).
    @inline(__always)
    static func medianAndMAD(_ series: [Int128], _ refs: [Int], scratch: inout [Int128]) -> (median: Int128, mad: Int128) {
        scratch.removeAll(keepingCapacity: true)
        for r in refs { scratch.append(series[r]) }
        let m = median(&scratch)
        for i in scratch.indices { let d = scratch[i] - m; scratch[i] = d < 0 ? -d : d }
        return (m, median(&scratch))
    }

    /// Median only (root-cause baselines), from a lookup of the values by day.
    static func median(at refs: [Int], _ value: (Int) -> Int128, scratch: inout [Int128]) -> Int128 {
        scratch.removeAll(keepingCapacity: true)
        for r in refs { scratch.append(value(r)) }
        return median(&scratch)
    }
}
