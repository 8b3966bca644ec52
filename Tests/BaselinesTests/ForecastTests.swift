import Baselines
import LinearAlgebra
import TestSupport
import Testing

@Suite struct ForecastTests {
    @Test func recursiveForecastByHand() throws {
        // x̂[t+h] = 1 + 0.5 x̃[t+h−1] + 0.25 x̃[t+h−2] after history (…, 2, 4):
        // 1 + 2 + 0.5 = 3.5;  1 + 1.75 + 1 = 3.75;  1 + 1.875 + 0.875 = 3.75.
        let model = try ARModel(coefficients: Matrix(rowsLiteral: [[0.5, 0.25]]), intercepts: [1])
        let f = try model.forecast(history: Matrix(rowsLiteral: [[7], [2], [4]]), horizon: 3)
        expectClose(f.elements, [3.5, 3.75, 3.75], rtol: 1e-15, atol: 0)
        #expect(try model.forecast(history: Matrix(rowsLiteral: [[2], [4]]), horizon: 0).rows == 0)
    }

    @Test func noiselessAR1IsRecoveredExactlyPerSegment() throws {
        // Two records x = 0.9^t and x = −5 · 0.9^t: each satisfies x[t] = 0.9 x[t−1] exactly,
        // the seam between them does not, so gluing them spoils the fit.
        let s1 = Matrix.column((0..<10).map { Double.pow(0.9, Double($0)) })
        let s2 = Matrix.column((0..<40).map { -5 * Double.pow(0.9, Double($0)) })
        let ar = ARForecaster(order: 1, fitIntercept: false)
        expectClose(try ar.fit([s1, s2]).coefficients.elements, [0.9], rtol: 1e-13, atol: 0)
        #expect(abs(try ar.fit([Matrix.vcat([s1, s2])]).coefficients[0, 0] - 0.9) > 1e-3)
    }

    @Test func perChannelModelsAreIndependent() throws {
        // Channel 0: x = 0.3 + 0.6 x[t−1] − 0.2 x[t−2] + e; channel 1: x = −1 + 0.9 x[t−1] + e.
        // With 20 000 samples of uniform noise the least-squares error is ~1/√N ≈ 0.01 per
        // coefficient; 0.03 is three standard errors.
        var rng = SplitMix64(seed: 51)
        let n = 20_000
        var x = Matrix(rows: n, cols: 2)
        for t in 0..<n {
            let a = t >= 1 ? x[t - 1, 0] : 0, b = t >= 2 ? x[t - 2, 0] : 0
            x[t, 0] = 0.3 + 0.6 * a - 0.2 * b + rng.uniform()
            x[t, 1] = -1 + 0.9 * (t >= 1 ? x[t - 1, 1] : 0) + rng.uniform()
        }
        let model = try ARForecaster(order: 2).fit([x])
        expectClose(model.coefficients.row(0), [0.6, -0.2], rtol: 0, atol: 0.03)
        expectClose(model.coefficients.row(1), [0.9, 0], rtol: 0, atol: 0.03)
        expectClose(model.intercepts, [0.3, -1], rtol: 0, atol: 0.1)
        // The long-horizon forecast tends to each channel's mean c / (1 − Σ a).
        let f = try model.forecast(history: x, horizon: 400)
        let a = model.coefficients, c = model.intercepts
        expectClose(f.row(399), [c[0] / (1 - a[0, 0] - a[0, 1]), c[1] / (1 - a[1, 0] - a[1, 1])], rtol: 1e-9, atol: 1e-9)
    }

    @Test func naiveForecastsByHand() throws {
        let h = Matrix(rowsLiteral: [[1, 10], [2, 20], [3, 30], [4, 40], [5, 50]])
        let persistence = try SeasonalNaiveForecaster.persistence(channels: 2)
        expectClose(try persistence.forecast(history: h, horizon: 3), Matrix(rowsLiteral: [[5, 50], [5, 50], [5, 50]]), rtol: 0, atol: 0)
        // Season 3: the last season is (3, 4, 5), repeated.
        let seasonal = try SeasonalNaiveForecaster(season: 3, channels: 2)
        expectClose(try seasonal.forecast(history: h, horizon: 7).column(0), [3, 4, 5, 3, 4, 5, 3], rtol: 0, atol: 0)
        let mean = try MeanForecaster.fit([h, Matrix(rowsLiteral: [[0, 0]])])
        expectClose(mean.means, [2.5, 25], rtol: 1e-15, atol: 0)
        expectClose(try mean.forecast(history: h, horizon: 2), Matrix(rowsLiteral: [[2.5, 25], [2.5, 25]]), rtol: 0, atol: 0)
        let seg = try IOSegment(inputs: Matrix(rows: 5, cols: 1), outputs: h)
        let ioMean = try MeanForecaster.fit(outputsOf: [seg])
        expectClose(try ioMean.simulate(seg, warmup: 2), Matrix(rowsLiteral: [[1, 10], [2, 20], [3, 30], [3, 30], [3, 30]]), rtol: 0, atol: 0)
    }

    @Test func badForecastInputsThrow() throws {
        let model = try ARModel(coefficients: Matrix(rowsLiteral: [[0.5, 0.25]]), intercepts: [0])
        #expect(throws: BaselineError.tooFewSamples(context: "AR(2) forecast history", needed: 2, found: 1)) {
            try model.forecast(history: Matrix(rowsLiteral: [[1]]), horizon: 3)
        }
        #expect(throws: BaselineError.self) { try model.forecast(history: Matrix(rowsLiteral: [[1], [2]]), horizon: -1) }
        #expect(throws: BaselineError.self) { try model.forecast(history: Matrix(rowsLiteral: [[1, 1], [2, 2]]), horizon: 1) }
        #expect(throws: BaselineError.self) { try model.forecast(history: Matrix(rowsLiteral: [[1], [.nan]]), horizon: 1) }
        #expect(throws: BaselineError.self) { try ARForecaster(order: 0).fit([Matrix(rows: 10, cols: 1)]) }
        #expect(throws: BaselineError.self) { try ARForecaster(order: 5).fit([Matrix(rows: 5, cols: 1)]) }
        #expect(throws: BaselineError.self) { try SeasonalNaiveForecaster(season: 0) }
        #expect(throws: BaselineError.self) { try SeasonalNaiveForecaster(season: 4).forecast(history: Matrix(rows: 3, cols: 1), horizon: 1) }
        #expect(throws: BaselineError.self) { try MeanForecaster.fit([]) }
        #expect(throws: BaselineError.self) { try ARModel(coefficients: Matrix(rowsLiteral: [[0.5]]), intercepts: [0, 1]) }
        #expect(throws: BaselineError.self) { try ARModel(coefficients: Matrix(rowsLiteral: [[Double.nan]]), intercepts: [0]) }
    }
}
