/// Additive damped-trend exponential smoothing, ETS(A,Ad,N) (FPP 3rd ed. §8.2, §8.5, §8.7).
///
/// Recursion (error-correction form of the component equations of §8.2):
/// ŷ_{t|t−1} = ℓ_{t−1} + φ b_{t−1}, e_t = y_t − ŷ_{t|t−1},
/// ℓ_t = ℓ_{t−1} + φ b_{t−1} + α e_t, b_t = φ b_{t−1} + α β* e_t.
/// Forecast: ŷ_{T+h|T} = ℓ_T + (φ + φ² + … + φ^h) b_T.
///
/// Initialisation: ℓ_2 = y_2, b_2 = y_2 − y_1 (the simple initialisation of FPP 1st ed. §7.2 and
/// of R's `HoltWinters`); the recursion runs from t = 3, so the one-step residuals are e_3…e_T.
///
/// Parameters: α, β*, φ minimise the in-sample one-step SSE over a fixed grid — α and β* in
/// {0.05, 0.10, …, 0.95}, φ in {0.80, 0.85, 0.90, 0.95, 0.98} (19 × 19 × 5 = 1,805 points). The
/// state-space β = αβ* then satisfies FPP's 0 < β < α by construction. Ties keep the first grid
/// point in the order α, then β*, then φ, each ascending, so the fit is deterministic.
///
/// Interval (FPP §8.7, Table 8.8, ETS(A,Ad,N)): σ_h² = σ² [1 + Σ_{j=1}^{h−1} (α + αβ* φ_j)²],
/// φ_j = φ + φ² + … + φ^j — the sum form of the table's closed form. σ² = SSE / (n − 3) with
/// n = T − 2 residuals and 3 estimated parameters (FPP §5.5), the divisor at least 1.
public enum DampedTrend {
    public static let alphaGrid: [Double] = (1...19).map { Double($0) / 20 }
    public static let betaStarGrid: [Double] = (1...19).map { Double($0) / 20 }
    public static let phiGrid: [Double] = [0.80, 0.85, 0.90, 0.95, 0.98]
    /// Months needed: two to initialise, then at least two residuals.
    public static let minimumHistory = 4

    /// A fitted model: its parameters, its final state and its residual spread.
    public struct Fit: Sendable, Equatable {
        public var alpha: Double
        /// β* of the component form; the state-space β is `alpha * betaStar`.
        public var betaStar: Double
        public var phi: Double
        /// ℓ_T and b_T.
        public var level: Double
        public var trend: Double
        /// Σ of squared one-step residuals e_3…e_T.
        public var sse: Double
        public var residualCount: Int
        public var sigma: Double

        /// ŷ_{T+h|T} and σ_h for h = 1…horizon.
        public func forecastDistribution(horizon: Int) -> (means: [Double], sds: [Double]) {
            var means: [Double] = []
            var sds: [Double] = []
            var phiH = 0.0          // φ + … + φ^h
            var power = 1.0
            var varianceFactor = 1.0 // 1 + Σ_{j=1}^{h−1} c_j²
            for _ in 0..<max(horizon, 0) {
                // φ_{h−1} is the current phiH, before adding φ^h.
                if !means.isEmpty {
                    let c = alpha + alpha * betaStar * phiH
                    varianceFactor += c * c
                }
                power *= phi
                phiH += power
                means.append(level + phiH * trend)
                sds.append(sigma * varianceFactor.squareRoot())
            }
            return (means, sds)
        }
    }

    /// The grid-search fit; nil with fewer than `minimumHistory` values.
    public static func fit(_ y: [Double]) -> Fit? {
        guard y.count >= minimumHistory else { return nil }
        return fitPrefixes(y, lengths: y.count...y.count)[0]
    }

    /// `fit(Array(y[0..<n]))` for every prefix length n in `lengths` (within
    /// `minimumHistory...y.count`), in order, at about the cost of one grid search: the recursion
    /// runs forward, so a prefix's SSE is the running SSE after its last step — the very same
    /// sum, term by term, as fitting the prefix alone — and one run per grid point over the
    /// longest prefix scores them all. Ties keep the first grid point in the grid's order.
    public static func fitPrefixes(_ y: [Double], lengths: ClosedRange<Int>) -> [Fit] {
        precondition(lengths.lowerBound >= minimumHistory && lengths.upperBound <= y.count)
        let longest = Array(y[0..<lengths.upperBound])
        var best = [(alpha: Double, betaStar: Double, phi: Double, sse: Double)?](repeating: nil, count: lengths.count)
        for alpha in alphaGrid {
            for betaStar in betaStarGrid {
                for phi in phiGrid {
                    _ = run(longest, alpha: alpha, betaStar: betaStar, phi: phi) { n, sse in
                        guard n >= lengths.lowerBound else { return }
                        let i = n - lengths.lowerBound
                        if best[i] == nil || sse < best[i]!.sse { best[i] = (alpha, betaStar, phi, sse) }
                    }
                }
            }
        }
        return lengths.map { n in
            let b = best[n - lengths.lowerBound]!
            return fit(Array(y[0..<n]), alpha: b.alpha, betaStar: b.betaStar, phi: b.phi)!
        }
    }

    /// The model with given parameters; nil with fewer than `minimumHistory` values.
    public static func fit(_ y: [Double], alpha: Double, betaStar: Double, phi: Double) -> Fit? {
        guard y.count >= minimumHistory else { return nil }
        let state = run(y, alpha: alpha, betaStar: betaStar, phi: phi)
        let n = y.count - 2
        return Fit(alpha: alpha, betaStar: betaStar, phi: phi, level: state.level, trend: state.trend, sse: state.sse,
                   residualCount: n, sigma: ForecastModels.residualSD(sumOfSquares: state.sse, residuals: n, parameters: 3))
    }

    /// The in-sample recursion; the hot loop of the grid search (no allocation). `step(n, sse)`
    /// follows each step with the SSE so far, that of the first n values.
    @inline(__always)
    static func run(_ y: [Double], alpha: Double, betaStar: Double, phi: Double,
                    step: (_ n: Int, _ sse: Double) -> Void = { _, _ in }) -> (level: Double, trend: Double, sse: Double) {
        var level = y[1]
        var trend = y[1] - y[0]
        var sse = 0.0
        let beta = alpha * betaStar
        for t in 2..<y.count {
            let damped = phi * trend
            let e = y[t] - (level + damped)
            sse += e * e
            level += damped + alpha * e
            trend = damped + beta * e
            step(t + 1, sse)
        }
        return (level, trend, sse)
    }
}
