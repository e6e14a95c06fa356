import Foundation

/// The candidate forecasting models (Hyndman & Athanasopoulos, *Forecasting: Principles and
/// Practice*, 3rd ed., §5.2 and §8.2). The declaration order is the tie-break order of
/// `ModelSelection`: a simpler model wins a tie.
public enum ForecastModelKind: String, Sendable, CaseIterable {
    case naive
    case drift
    case seasonalNaive = "seasonal_naive"
    case dampedTrend = "damped_trend"

    /// Fewest months of history the model is fitted on: naive 1, drift 2, damped trend 4,
    /// seasonal naive 24 (two full years, as the product brief asks).
    public var minimumHistory: Int {
        switch self {
        case .naive: 1
        case .drift: 2
        case .dampedTrend: DampedTrend.minimumHistory
        case .seasonalNaive: 2 * ForecastModels.seasonalPeriod
        }
    }
}

/// A point forecast and its 80 % prediction interval.
///
/// Invariant: `low ≤ point ≤ high`. When the history has no negative month (cost, the usual case)
/// all three are clamped at 0, since cost cannot be negative; a history with a negative month
/// (net credits) is left unclamped.
public struct ForecastPoint: Sendable, Equatable {
    public var point: Double
    public var low: Double
    public var high: Double

    public init(point: Double, low: Double, high: Double) {
        self.point = point
        self.low = low
        self.high = high
    }
}

/// The forecasting models, fitted to a monthly history (oldest first).
///
/// Input: non-finite values (`Double.nan`, ±∞) are missing months. Missing months between known
/// ones are filled by linear interpolation between the nearest known neighbours; leading missing
/// months are dropped; trailing missing months are dropped too, and the forecast is then made
/// from the last known month but still returned for the months after the *given* history
/// (h = 1 is the month after the last element of `history`). `ModelSelection.notes` reports all of it.
///
/// Prediction intervals: ŷ ± 1.2816 σ_h (80 %, FPP Table 5.1), σ_h from FPP Table 5.2 and §8.7
/// with σ the in-sample one-step residual standard deviation, σ² = Σe² / (n − K) (FPP §5.5):
/// n residuals, K estimated parameters, divisor at least 1.
/// - naive: e_t = y_t − y_{t−1}, K = 0; σ_h = σ√h.
/// - drift: c = (y_T − y_1)/(T − 1), e_t = y_t − y_{t−1} − c, K = 1; σ_h = σ√(h(1 + h/T)). With
///   only 2 months no residual degree of freedom is left (the one residual is 0 by construction),
///   so σ is then the naive residual |y_2 − y_1| rather than a false 0.
/// - seasonal naive (m = 12): e_t = y_t − y_{t−12}, K = 0; σ_h = σ√(k + 1), k = ⌊(h − 1)/12⌋.
/// - damped trend: see `DampedTrend`.
/// With one month, naive has no residual: σ = 0 and the interval has zero width.
public enum ForecastModels {
    /// Months per season (monthly data, yearly seasonality).
    public static let seasonalPeriod = 12
    /// z for a two-sided 80 % normal interval (FPP Table 5.1 gives 1.28).
    public static let intervalMultiplier = 1.2816

    /// Point forecasts for h = 1…horizon from `history` (monthly values, oldest first), nil when
    /// the model cannot be fitted: fewer known months (after dropping leading/trailing missing
    /// months) than `kind.minimumHistory`. A horizon ≤ 0 gives `[]` for a model that fits.
    public static func forecast(_ kind: ForecastModelKind, history: [Double], horizon: Int) -> [ForecastPoint]? {
        forecast(kind, cleaned: CleanedForecastHistory(history), horizon: horizon)
    }

    /// Forecasts the months after the given (uncleaned) history: skips the steps that cover
    /// trailing missing months.
    /// `damped`: `DampedTrend.fit(cleaned.values)` when already known.
    static func forecast(_ kind: ForecastModelKind, cleaned: CleanedForecastHistory, horizon: Int, damped: DampedTrend.Fit? = nil) -> [ForecastPoint]? {
        let skip = cleaned.trailingDropped
        guard let all = fit(kind, cleaned.values, horizon: max(horizon, 0) + skip, damped: damped) else { return nil }
        return Array(all.dropFirst(skip))
    }

    /// Forecasts h = 1…horizon from a clean series (finite values, no gaps). `damped`:
    /// `DampedTrend.fit(y)` when already known (`DampedTrend.fitPrefixes` finds many at once).
    static func fit(_ kind: ForecastModelKind, _ y: [Double], horizon: Int, damped: DampedTrend.Fit? = nil) -> [ForecastPoint]? {
        guard y.count >= kind.minimumHistory else { return nil }
        let h = max(horizon, 0)
        let distribution: (means: [Double], sds: [Double])
        switch kind {
        case .naive: distribution = naive(y, horizon: h)
        case .drift: distribution = drift(y, horizon: h)
        case .seasonalNaive: distribution = seasonalNaive(y, horizon: h)
        case .dampedTrend:
            guard let model = damped ?? DampedTrend.fit(y) else { return nil }
            distribution = model.forecastDistribution(horizon: h)
        }
        return points(means: distribution.means, sds: distribution.sds, clampAtZero: !y.contains { $0 < 0 })
    }

    /// ŷ ± z σ_h, clamped at 0 for a non-negative history (monotone, so low ≤ point ≤ high holds).
    static func points(means: [Double], sds: [Double], clampAtZero: Bool) -> [ForecastPoint] {
        zip(means, sds).map { mean, sd in
            let width = intervalMultiplier * sd
            var p = ForecastPoint(point: mean, low: mean - width, high: mean + width)
            if clampAtZero {
                p.point = max(p.point, 0)
                p.low = max(p.low, 0)
                p.high = max(p.high, 0)
            }
            return p
        }
    }

    /// √(Σe² / (n − K)), the divisor at least 1; 0 without residuals.
    static func residualSD(sumOfSquares: Double, residuals n: Int, parameters k: Int) -> Double {
        n == 0 ? 0 : (sumOfSquares / Double(max(n - k, 1))).squareRoot()
    }

    static func naive(_ y: [Double], horizon: Int) -> (means: [Double], sds: [Double]) {
        let last = y[y.count - 1]
        var sse = 0.0
        for t in 1..<y.count { let e = y[t] - y[t - 1]; sse += e * e }
        let sigma = residualSD(sumOfSquares: sse, residuals: y.count - 1, parameters: 0)
        let steps = Array(stride(from: 1, through: horizon, by: 1))
        return (steps.map { _ in last }, steps.map { sigma * Double($0).squareRoot() })
    }

    static func drift(_ y: [Double], horizon: Int) -> (means: [Double], sds: [Double]) {
        let count = y.count
        let n = Double(count)
        let last = y[count - 1]
        let slope = (last - y[0]) / (n - 1)
        let sigma: Double
        if count == 2 {
            sigma = abs(y[1] - y[0])
        } else {
            var sse = 0.0
            for t in 1..<count { let e = y[t] - y[t - 1] - slope; sse += e * e }
            sigma = residualSD(sumOfSquares: sse, residuals: count - 1, parameters: 1)
        }
        let steps = Array(stride(from: 1, through: horizon, by: 1))
        return (steps.map { last + Double($0) * slope },
                steps.map { h in sigma * (Double(h) * (1 + Double(h) / n)).squareRoot() })
    }

    static func seasonalNaive(_ y: [Double], horizon: Int) -> (means: [Double], sds: [Double]) {
        let m = seasonalPeriod
        let count = y.count
        var sse = 0.0
        for t in m..<count { let e = y[t] - y[t - m]; sse += e * e }
        let sigma = residualSD(sumOfSquares: sse, residuals: count - m, parameters: 0)
        let steps = Array(stride(from: 1, through: horizon, by: 1))
        // ŷ_{T+h} = y_{T+h−m(k+1)}: the same month of the last observed year.
        return (steps.map { h in y[count - m + (h - 1) % m] },
                steps.map { h in sigma * Double((h - 1) / m + 1).squareRoot() })
    }
}
