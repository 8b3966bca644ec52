// Forecaster.swift — the shape shared by the forecasting baselines (AR, mean, persistence,
// seasonal naive), for the evaluation harness to hold them behind one type.

import LinearAlgebra

/// A model that forecasts the next values of a series from its history.
public protocol Forecaster: Sendable {
    /// Channels of the series it forecasts.
    var channelCount: Int { get }
    /// The `horizon` values after the last row of `history` (rows = time, columns = channels).
    /// - Returns: `(horizon, channelCount)`.
    func forecast(history: Matrix, horizon: Int) throws(BaselineError) -> Matrix
}
