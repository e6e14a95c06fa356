/// The forecasting model chosen for one monthly history by a rolling-origin backtest on WAPE
/// (PRODUCT.md, Analytics: Forecasting), and its forecast with an 80 % interval.
///
/// Invariants:
/// - When backtested (`fallbackReason == nil`), `chosen` has the lowest WAPE in `backtestWAPE`:
///   it is never worse than the best candidate. Exact ties go to the earlier model in the order
///   naive, drift, seasonal naive, damped trend (the simpler model).
/// - All WAPEs in `backtestWAPE` are over the same `origins` and steps (see
///   `RollingOriginBacktest`); models that could not be fitted at any origin are absent.
/// - Without a backtest, `fallbackReason` says why and which stated default is used:
///   fewer than `minimumTrainingMonths + 1` months → drift (naive with 1 month, no forecast with
///   0); all months zero → naive (a zero forecast with a zero-width interval); backtest actuals
///   all zero (WAPE undefined) → drift.
/// - `forecast` has `horizon` points (none when there is no known month), h = 1 being the month
///   after the last element of the given history, even when trailing months are missing.
/// - Deterministic: the same input gives the same output.
public struct ModelSelection: Sendable {
    public var chosen: ForecastModelKind
    /// Backtest WAPE per candidate that could be backtested (0.05 = 5 %).
    public var backtestWAPE: [ForecastModelKind: Double]
    /// Number of rolling origins every compared candidate was scored on (0 without a backtest).
    public var origins: Int
    /// Why there was no backtest (series too short …) and the stated default used; nil when backtested.
    public var fallbackReason: String?
    public var forecast: [ForecastPoint]
    /// What was done to the input and what the reader should know: missing months filled or
    /// dropped, candidates left out of the backtest, an all-zero history, an interval that could
    /// not be estimated.
    public var notes: [String]

    /// history: monthly values oldest first (complete months only); horizon: months ahead to forecast.
    /// `Double.nan` marks a missing month (see `ForecastModels`).
    public init(history: [Double], horizon: Int, minimumTrainingMonths: Int = 6, backtestHorizon: Int = 3) {
        let cleaned = CleanedForecastHistory(history)
        let y = cleaned.values
        let count = y.count
        var notes = cleaned.notes
        var wape: [ForecastModelKind: Double] = [:]
        var origins = 0
        var damped: DampedTrend.Fit?
        let chosen: ForecastModelKind
        let reason: String?
        let minimumTraining = max(minimumTrainingMonths, 1)

        if count == 0 {
            chosen = .naive
            reason = "no complete months: nothing to forecast"
        } else if y.allSatisfy({ $0 == 0 }) {
            chosen = .naive
            reason = "\(count == 1 ? "the only month is" : "all \(count) months are") zero: WAPE is undefined; forecasting zero with naive"
            notes.append("all-zero history: zero forecast with a zero-width interval")
        } else if count < minimumTraining + 1 {
            chosen = count >= 2 ? .drift : .naive
            reason = "only \(count) complete \(count == 1 ? "month" : "months"): too short for a backtest; using \(chosen.rawValue)"
        } else {
            let backtest = RollingOriginBacktest(history: y, minimumTrainingMonths: minimumTraining, horizon: backtestHorizon)
            for kind in backtest.excluded {
                notes.append("\(kind.rawValue) not backtested: it needs \(kind.minimumHistory) months of training, "
                    + "so at least \(kind.minimumHistory + 1) months")
            }
            wape = backtest.wape
            origins = backtest.originCount
            damped = backtest.dampedTrendFit
            if let best = Self.best(wape) {
                chosen = best
                reason = nil
            } else {
                chosen = .drift
                reason = "the backtest's actual months are all zero: WAPE is undefined; using drift"
            }
        }
        if count == 1 {
            notes.append("only 1 month: the interval cannot be estimated (zero width)")
        }
        self.chosen = chosen
        self.backtestWAPE = wape
        self.origins = origins
        self.fallbackReason = reason
        self.forecast = ForecastModels.forecast(chosen, cleaned: cleaned, horizon: horizon, damped: damped) ?? []
        self.notes = notes
    }

    /// The lowest WAPE; exact ties go to the earlier `ForecastModelKind` case.
    static func best(_ wape: [ForecastModelKind: Double]) -> ForecastModelKind? {
        var best: (kind: ForecastModelKind, wape: Double)?
        for kind in ForecastModelKind.allCases {
            guard let w = wape[kind] else { continue }
            if best == nil || w < best!.wape { best = (kind, w) }
        }
        return best?.kind
    }
}
