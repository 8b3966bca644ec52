// ARForecaster.swift — autoregressive forecasting, one AR(p) model per channel:
//
//     x_c[t] = c_c + Σ_{i=1}^{p} a_{c,i} x_c[t−i] + e_c[t]
//
// fitted by ridge regression on the lag windows of every segment (never across a segment
// boundary; the intercept is not penalised), and forecast H steps ahead recursively: each
// forecast is fed back as the newest lag, x̂[t+h] = c + Σ_i a_i x̃[t+h−i] with x̃ the history
// up to t and the forecasts after it (Box & Jenkins, "Time Series Analysis: Forecasting and
// Control", ch. 5). Channels are independent univariate models; a coupled vector AR model is
// an output-only ARX (ARXEstimator with m = 0).

import LinearAlgebra

/// Settings of an AR(p) fit; `fit` produces an `ARModel`.
public struct ARForecaster: Sendable, Equatable {
    /// The order p ≥ 1.
    public var order: Int
    /// Ridge penalty α ≥ 0 on the AR coefficients.
    public var alpha: Double
    /// Fit the constant c (on by default: forecast series usually have a non-zero mean).
    public var fitIntercept: Bool

    public init(order: Int, alpha: Double = 0, fitIntercept: Bool = true) {
        self.order = order
        self.alpha = alpha
        self.fitIntercept = fitIntercept
    }

    /// Fits one AR(p) model per channel on `series` (each `(L_s, channels)`, an independent record).
    /// - Throws: `.invalidParameter` (p < 1, α < 0), `.tooFewSamples` when Σ max(0, L_s − p) is
    ///   below the parameter count p (+1 with intercept), `.shapeMismatch`, `.nonFinite`, `.singular`.
    /// - Complexity: O(C (N p² + p³)) for C channels and N regression rows.
    public func fit(_ series: [Matrix]) throws(BaselineError) -> ARModel {
        try requireAtLeast(order, 1, "AR order p")
        try requireRidge(alpha)
        let channels = try seriesChannels(series, "AR(\(order))")
        let rows = series.reduce(0) { $0 + Swift.max(0, $1.rows - order) }
        let parameters = order + (fitIntercept ? 1 : 0)
        guard rows >= parameters else {
            throw .tooFewSamples(context: "AR(\(order)) with \(parameters) parameter(s): regression rows (segment lengths minus p, over \(series.count) segment(s))",
                                 needed: parameters, found: rows)
        }
        var coefficients = Matrix(rows: channels, cols: order)
        var intercepts = [Double](repeating: 0, count: channels)
        var x = Matrix(rows: rows, cols: order)
        var y = Matrix(rows: rows, cols: 1)
        let ridge = RidgeRegression(alpha: alpha, fitIntercept: fitIntercept)
        for c in 0..<channels {
            var r = 0
            for s in series where s.rows > order {
                for t in order..<s.rows {
                    for i in 0..<order { x[r, i] = s[t - 1 - i, c] }
                    y[r, 0] = s[t, c]
                    r += 1
                }
            }
            let fit = try ridge.fitValidated(x, y)
            for i in 0..<order { coefficients[c, i] = fit.weights[i, 0] }
            intercepts[c] = fit.intercept[0]
        }
        return ARModel(validatedCoefficients: coefficients, intercepts: intercepts)
    }
}

/// Fitted per-channel AR(p) models.
public struct ARModel: Forecaster, Equatable {
    /// `(channels, p)`: row c holds a_{c,1}, …, a_{c,p}.
    public let coefficients: Matrix
    /// c_c per channel.
    public let intercepts: [Double]

    /// Builds a model from known coefficients.
    /// - Throws: `.shapeMismatch` unless there is one row of p ≥ 1 coefficients and one
    ///   intercept per channel, `.nonFinite`.
    public init(coefficients: Matrix, intercepts: [Double]) throws(BaselineError) {
        guard coefficients.rows == intercepts.count, coefficients.rows >= 1, coefficients.cols >= 1 else {
            throw .shapeMismatch("AR model: \(coefficients.rows)×\(coefficients.cols) coefficients and \(intercepts.count) intercept(s); expected (channels, p ≥ 1) and one per channel")
        }
        try requireFinite(coefficients, "AR coefficients")
        try requireFinite(Matrix.row(intercepts), "AR intercepts")
        self.init(validatedCoefficients: coefficients, intercepts: intercepts)
    }

    init(validatedCoefficients coefficients: Matrix, intercepts: [Double]) {
        self.coefficients = coefficients
        self.intercepts = intercepts
    }

    /// The order p.
    public var order: Int { coefficients.cols }
    public var channelCount: Int { coefficients.rows }

    /// Recursive H-step forecast (file header).
    /// - Throws: `.tooFewSamples` when the history has fewer than p rows, `.shapeMismatch`,
    ///   `.nonFinite`, `.invalidParameter` (horizon < 0).
    /// - Complexity: O(H p C).
    public func forecast(history: Matrix, horizon: Int) throws(BaselineError) -> Matrix {
        try requireAtLeast(horizon, 0, "horizon")
        guard history.cols == channelCount else {
            throw .shapeMismatch("AR(\(order)) forecast: history has \(history.cols) channel(s), the model has \(channelCount)")
        }
        guard history.rows >= order else { throw .tooFewSamples(context: "AR(\(order)) forecast history", needed: order, found: history.rows) }
        try requireFinite(history, "AR forecast history")
        let p = order, cc = channelCount
        var out = Matrix(rows: horizon, cols: cc)
        var window = [Double](repeating: 0, count: p) // window[i] = x̃[t+h−1−i]
        for c in 0..<cc {
            for i in 0..<p { window[i] = history[history.rows - 1 - i, c] }
            for h in 0..<horizon {
                var s = intercepts[c]
                for i in 0..<p { s += coefficients[c, i] * window[i] }
                out[h, c] = s
                for i in stride(from: p - 1, to: 0, by: -1) { window[i] = window[i - 1] }
                window[0] = s
            }
        }
        return out
    }
}
