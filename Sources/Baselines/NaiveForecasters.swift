// NaiveForecasters.swift — the trivial baselines every forecast must beat (Hyndman &
// Athanasopoulos, "Forecasting: Principles and Practice", section 5.2 "Some simple forecasting
// methods"):
//
//   mean             x̂[t+h] = x̄ (per channel, over all training rows)
//   persistence      x̂[t+h] = x[t]                                   (naive, season s = 1)
//   seasonal naive   x̂[t+h] = x[t + h − s·⌈h/s⌉]   (the value one season before, repeated)
//
// They are exact definitions, not estimates: nothing is fitted except the mean.

import LinearAlgebra

/// The training mean per channel, forecast (or simulated) as a constant.
public struct MeanForecaster: Forecaster, Equatable {
    /// x̄ per channel.
    public let means: [Double]

    public init(means: [Double]) { self.means = means }

    /// The mean of every channel over all rows of all `series`.
    /// - Throws: `.tooFewSamples` when there are no rows, `.shapeMismatch`, `.nonFinite`.
    public static func fit(_ series: [Matrix]) throws(BaselineError) -> MeanForecaster {
        let channels = try seriesChannels(series, "mean")
        let rows = series.reduce(0) { $0 + $1.rows }
        guard rows > 0 else { throw .tooFewSamples(context: "mean", needed: 1, found: 0) }
        var sum = [Double](repeating: 0, count: channels)
        for s in series { for t in 0..<s.rows { for c in 0..<channels { sum[c] += s[t, c] } } }
        return MeanForecaster(means: sum.map { $0 / Double(rows) })
    }

    /// The mean of the outputs of input/output segments (for the simulation task).
    public static func fit(outputsOf segments: [IOSegment]) throws(BaselineError) -> MeanForecaster {
        _ = try channelCounts(segments, "mean")
        return try fit(segments.map(\.outputs))
    }

    public var channelCount: Int { means.count }

    /// `horizon` rows of the mean (the history only has to have the right width).
    public func forecast(history: Matrix, horizon: Int) throws(BaselineError) -> Matrix {
        try requireAtLeast(horizon, 0, "horizon")
        guard history.cols == channelCount else {
            throw .shapeMismatch("mean forecast: history has \(history.cols) channel(s), the model has \(channelCount)")
        }
        return constantRows(horizon)
    }

    /// The simulation-task form: `(L, p)` with rows `< warmup` the measured outputs and the
    /// mean after them.
    /// - Throws: `.shapeMismatch`, `.invalidParameter` (warmup outside 0...L).
    public func simulate(_ segment: IOSegment, warmup: Int = 0) throws(BaselineError) -> Matrix {
        guard segment.outputCount == channelCount else {
            throw .shapeMismatch("mean simulate: segment has \(segment.outputCount) output(s), the model has \(channelCount)")
        }
        guard warmup >= 0, warmup <= segment.length else {
            throw .invalidParameter(name: "warmup", reason: "must lie in 0...\(segment.length) (the segment length), got \(warmup)")
        }
        var out = constantRows(segment.length)
        for k in 0..<warmup { for c in 0..<channelCount { out[k, c] = segment.outputs[k, c] } }
        return out
    }

    private func constantRows(_ n: Int) -> Matrix {
        var out = Matrix(rows: n, cols: channelCount)
        for t in 0..<n { for c in 0..<channelCount { out[t, c] = means[c] } }
        return out
    }
}

/// Persistence (season 1) and seasonal naive forecasts.
public struct SeasonalNaiveForecaster: Forecaster, Equatable {
    /// The season s ≥ 1 in steps (1: persistence).
    public let season: Int
    public let channelCount: Int

    /// - Throws: `.invalidParameter` for s < 1 or channels < 1.
    public init(season: Int = 1, channels: Int = 1) throws(BaselineError) {
        try requireAtLeast(season, 1, "season")
        try requireAtLeast(channels, 1, "channels")
        self.season = season
        self.channelCount = channels
    }

    /// Persistence: the last value, repeated.
    public static func persistence(channels: Int = 1) throws(BaselineError) -> SeasonalNaiveForecaster {
        try SeasonalNaiveForecaster(season: 1, channels: channels)
    }

    /// x̂[t+h] = x[t + h − s·⌈h/s⌉] for h = 1…H (file header).
    /// - Throws: `.tooFewSamples` when the history is shorter than one season, `.shapeMismatch`,
    ///   `.nonFinite`, `.invalidParameter` (horizon < 0).
    public func forecast(history: Matrix, horizon: Int) throws(BaselineError) -> Matrix {
        try requireAtLeast(horizon, 0, "horizon")
        guard history.cols == channelCount else {
            throw .shapeMismatch("seasonal naive forecast: history has \(history.cols) channel(s), expected \(channelCount)")
        }
        guard history.rows >= season else { throw .tooFewSamples(context: "seasonal naive (season \(season)) forecast history", needed: season, found: history.rows) }
        try requireFinite(history, "seasonal naive forecast history")
        let t = history.rows - 1
        var out = Matrix(rows: horizon, cols: channelCount)
        for h in 1..<(horizon + 1) {
            let source = t + h - season * ((h + season - 1) / season)
            for c in 0..<channelCount { out[h - 1, c] = history[source, c] }
        }
        return out
    }
}
