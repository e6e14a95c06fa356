import Testing
@testable import CostDefender

/// `DampedTrend.fitPrefixes` scores every prefix of a history in one pass per grid point; each of
/// its fits must be exactly (bit for bit) the grid-search fit of that prefix alone, and the
/// backtest that uses it must score exactly as fitting each origin's training months did.
@Suite struct DampedTrendPrefixTests {
    static func histories() -> [[Double]] {
        var random = SplitMix64(state: 21)
        var out: [[Double]] = [
            Array(repeating: 100, count: 20),                          // every grid point ties
            (0..<30).map { 1_000 + 35 * Double($0) },                  // a straight line
            [100, 108, 115, 121, 126, 130, 133, 135],
            [5, -3, 4, 0, 0, 0, 12, -8, 1e9, 3],                       // wild values
        ]
        for n in [4, 7, 24, 36] {
            out.append((0..<n).map { i in 10_000 + 200 * Double(i) + Double(random.next() % 5_000) - 2_500 })
        }
        return out
    }

    @Test func everyPrefixFitEqualsItsOwnGridSearch() throws {
        for y in Self.histories() {
            let lengths = DampedTrend.minimumHistory...y.count
            let fits = DampedTrend.fitPrefixes(y, lengths: lengths)
            #expect(fits.count == lengths.count)
            for (n, fit) in zip(lengths, fits) {
                let alone = try #require(Self.gridSearch(Array(y[0..<n])))
                #expect(fit == alone, "prefix \(n) of \(y)")
            }
            #expect(DampedTrend.fit(y) == fits.last)
        }
    }

    @Test func backtestScoresAsFittingEachOriginAlone() {
        for y in Self.histories() where y.count >= 8 {
            let backtest = RollingOriginBacktest(history: y, minimumTrainingMonths: 6, horizon: 3)
            guard let origins = backtest.origins, backtest.compared.contains(.dampedTrend) else { continue }
            var error = 0.0
            for t in origins {
                let ahead = min(3, y.count - t)
                let f = Self.gridSearch(Array(y[0..<t]))!.forecastDistribution(horizon: ahead)
                let points = ForecastModels.points(means: f.means, sds: f.sds, clampAtZero: !y[0..<t].contains { $0 < 0 })
                var atOrigin = 0.0   // summed per origin first, as the backtest does
                for h in 0..<ahead { atOrigin += abs(y[t + h] - points[h].point) }
                error += atOrigin
            }
            #expect(backtest.absoluteError[.dampedTrend] == error)
            #expect(backtest.dampedTrendFit == Self.gridSearch(y))
        }
    }

    /// The grid search written out plainly, one full recursion per grid point.
    static func gridSearch(_ y: [Double]) -> DampedTrend.Fit? {
        guard y.count >= DampedTrend.minimumHistory else { return nil }
        var best: (alpha: Double, betaStar: Double, phi: Double, sse: Double)?
        for alpha in DampedTrend.alphaGrid {
            for betaStar in DampedTrend.betaStarGrid {
                for phi in DampedTrend.phiGrid {
                    let sse = DampedTrend.fit(y, alpha: alpha, betaStar: betaStar, phi: phi)!.sse
                    if best == nil || sse < best!.sse { best = (alpha, betaStar, phi, sse) }
                }
            }
        }
        return best.flatMap { DampedTrend.fit(y, alpha: $0.alpha, betaStar: $0.betaStar, phi: $0.phi) }
    }
}
