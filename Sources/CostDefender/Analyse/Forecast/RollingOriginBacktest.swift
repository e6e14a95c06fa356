/// Rolling-origin backtest (time-series cross-validation, FPP 3rd ed. §5.10) of the forecasting
/// models on one clean monthly history y_1…y_T.
///
/// For each origin t (a training length), every compared model is fitted on y_1…y_t and
/// forecasts h = 1…`horizon` ahead; only the steps with an actual (t + h ≤ T) are scored.
/// WAPE = Σ|actual − forecast| / Σ|actual| over all origins and steps (0.05 = 5 %).
///
/// Fairness: all compared models are scored on the same origins and steps. A model needs
/// `minimumHistory` months to be fitted, so the origins run from
/// max(`minimumTrainingMonths`, the largest `minimumHistory` among compared models) to T − 1.
/// A candidate whose `minimumHistory` exceeds T − 1 (e.g. seasonal naive with T ≤ 24) could not be
/// scored at any origin and is dropped from the comparison (`excluded`), so it cannot shrink the
/// common set to nothing. Including seasonal naive (T ≥ 25) moves the first origin to 24.
public struct RollingOriginBacktest: Sendable {
    /// The compared models, in `ForecastModelKind` order.
    public var compared: [ForecastModelKind]
    /// Candidates that could not be fitted at any origin.
    public var excluded: [ForecastModelKind]
    /// Training lengths t used as origins (empty when the history is too short).
    public var origins: ClosedRange<Int>?
    /// Σ|actual| over the scored steps, the same for every compared model.
    public var absoluteActual: Double
    /// Σ|actual − forecast| per compared model.
    public var absoluteError: [ForecastModelKind: Double]
    /// Number of (origin, step) pairs scored per model.
    public var steps: Int
    /// `DampedTrend.fit(history)`, when damped trend was compared (found in the same pass as its
    /// fits at every origin).
    public var dampedTrendFit: DampedTrend.Fit?

    /// WAPE per compared model; empty when Σ|actual| = 0 (WAPE undefined) or nothing was scored.
    public var wape: [ForecastModelKind: Double] {
        guard absoluteActual > 0 else { return [:] }
        return absoluteError.mapValues { $0 / absoluteActual }
    }

    public var originCount: Int { origins?.count ?? 0 }

    /// - Parameter history: clean values (finite, no gaps), oldest first.
    public init(history y: [Double], candidates: [ForecastModelKind] = ForecastModelKind.allCases,
                minimumTrainingMonths: Int, horizon: Int) {
        let count = y.count
        let minimumTraining = max(minimumTrainingMonths, 1)
        let horizon = max(horizon, 1)
        let ordered = ForecastModelKind.allCases.filter { candidates.contains($0) }
        let fittable = ordered.filter { $0.minimumHistory <= count - 1 && minimumTraining <= count - 1 }
        compared = fittable
        excluded = ordered.filter { !fittable.contains($0) }
        absoluteActual = 0
        absoluteError = [:]
        steps = 0
        let first = max(minimumTraining, fittable.map(\.minimumHistory).max() ?? minimumTraining)
        guard !fittable.isEmpty, first <= count - 1 else {
            origins = nil
            compared = []
            excluded = ordered
            return
        }
        origins = first...(count - 1)
        for kind in compared { absoluteError[kind] = 0 }
        // Damped trend's grid fits of every training prefix and of the whole history, in one pass.
        let damped = compared.contains(.dampedTrend) ? DampedTrend.fitPrefixes(y, lengths: first...count) : []
        dampedTrendFit = damped.last
        for t in first...(count - 1) {
            let training = Array(y[0..<t])
            let ahead = min(horizon, count - t)
            for h in 0..<ahead { absoluteActual += abs(y[t + h]) }
            steps += ahead
            for kind in compared {
                // Cannot be nil: t ≥ kind.minimumHistory.
                guard let forecast = ForecastModels.fit(kind, training, horizon: ahead, damped: kind == .dampedTrend ? damped[t - first] : nil) else { continue }
                var error = 0.0
                for h in 0..<ahead { error += abs(y[t + h] - forecast[h].point) }
                absoluteError[kind]! += error
            }
        }
    }

    /// Σ|actual − forecast| / Σ|actual| over paired values; nil when Σ|actual| = 0 (undefined,
    /// never NaN) or the lists are empty. Pairs beyond the shorter list are ignored.
    public static func wape(actuals: [Double], forecasts: [Double]) -> Double? {
        var error = 0.0
        var actual = 0.0
        for (a, f) in zip(actuals, forecasts) {
            error += abs(a - f)
            actual += abs(a)
        }
        return actual > 0 ? error / actual : nil
    }
}
