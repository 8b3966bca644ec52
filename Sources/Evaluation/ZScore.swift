// ZScore.swift — per-channel standardisation fitted on the training part only.
//
//     z[t, c] = (x[t, c] − μ_c) / σ_c,      x[t, c] = μ_c + σ_c · z[t, c]
//
// μ_c and σ_c are the mean and POPULATION standard deviation (divide by n) of channel c over
// the training rows alone, so nothing about validation or test leaks into the model. A
// channel that is constant on the training rows gets σ_c = 1 (it is only centred). The
// inverse maps predictions back to original units for reporting.

import LinearAlgebra

/// A fitted per-channel affine standardisation of a time-major `(L, C)` matrix.
public struct ZScore: Sendable, Equatable {
    /// μ_c per channel.
    public let mean: [Double]
    /// σ_c per channel (population standard deviation, 1 for a constant channel).
    public let scale: [Double]

    public init(mean: [Double], scale: [Double]) {
        precondition(mean.count == scale.count && scale.allSatisfy { $0 > 0 && $0.isFinite }, "ZScore needs one positive finite scale per mean") // invariant: programmer misuse
        self.mean = mean
        self.scale = scale
    }

    /// The identity transform on `channels` channels.
    public static func identity(channels: Int) -> ZScore {
        ZScore(mean: Array(repeating: 0, count: channels), scale: Array(repeating: 1, count: channels))
    }

    /// Fits μ and σ on rows `rows` of `x` (e.g. the training segments' ranges).
    /// Two passes (mean, then squared deviations) for accuracy.
    /// - Complexity: O(rows · C).
    public static func fit(_ x: Matrix, rows: [Range<Int>]) -> ZScore {
        let c = x.cols
        let n = rows.reduce(0) { $0 + $1.count }
        precondition(n > 0, "ZScore.fit needs at least one row") // invariant: splits have non-empty train parts
        var mean = [Double](repeating: 0, count: c), sq = [Double](repeating: 0, count: c)
        for r in rows { for i in r { for j in 0..<c { mean[j] += x.elements[i * c + j] } } }
        for j in 0..<c { mean[j] /= Double(n) }
        for r in rows { for i in r { for j in 0..<c { let d = x.elements[i * c + j] - mean[j]; sq[j] += d * d } } }
        let scale = sq.map { s -> Double in
            let sd = (s / Double(n)).squareRoot()
            return sd > 0 && sd.isFinite ? sd : 1
        }
        return ZScore(mean: mean, scale: scale)
    }

    /// Fits on every row of `x`.
    public static func fit(_ x: Matrix) -> ZScore { fit(x, rows: [0..<x.rows]) }

    /// Fits on every row of several matrices (e.g. all training series of a classification set).
    public static func fit(_ xs: [Matrix]) -> ZScore {
        precondition(!xs.isEmpty, "ZScore.fit needs at least one matrix") // invariant: non-empty training part
        var stacked = xs[0].elements
        for m in xs.dropFirst() {
            precondition(m.cols == xs[0].cols, "channel counts differ") // invariant: one dataset
            stacked += m.elements
        }
        return fit(Matrix(rows: stacked.count / xs[0].cols, cols: xs[0].cols, elements: stacked))
    }

    /// `(x − μ) / σ` per channel.
    public func apply(_ x: Matrix) -> Matrix {
        precondition(x.cols == mean.count, "ZScore fitted on \(mean.count) channels, applied to \(x.cols)") // invariant: programmer misuse
        var z = x
        let c = x.cols
        for i in 0..<x.rows { for j in 0..<c { z.elements[i * c + j] = (x.elements[i * c + j] - mean[j]) / scale[j] } }
        return z
    }

    /// `μ + σ · z` per channel: back to original units.
    public func invert(_ z: Matrix) -> Matrix {
        precondition(z.cols == mean.count, "ZScore fitted on \(mean.count) channels, inverted on \(z.cols)") // invariant: programmer misuse
        var x = z
        let c = z.cols
        for i in 0..<z.rows { for j in 0..<c { x.elements[i * c + j] = mean[j] + scale[j] * z.elements[i * c + j] } }
        return x
    }
}

/// The standardisations of an input/output dataset, fitted on its training segments.
public struct IONormalization: Sendable, Equatable {
    public let inputs: ZScore
    public let outputs: ZScore
}

extension IOData {
    /// μ and σ of inputs and outputs over the training segments only.
    public func fitNormalization() -> IONormalization {
        let rows = split.train.map(\.range)
        return IONormalization(inputs: ZScore.fit(inputs, rows: rows), outputs: ZScore.fit(outputs, rows: rows))
    }

    /// This dataset with inputs and outputs standardised by `normalization` (all rows).
    public func normalized(by normalization: IONormalization) -> IOData {
        var copy = self
        copy.inputs = normalization.inputs.apply(inputs)
        copy.outputs = normalization.outputs.apply(outputs)
        return copy
    }
}

extension ForecastData {
    /// μ and σ of the values over the training segments only.
    public func fitNormalization() -> ZScore { ZScore.fit(values, rows: split.train.map(\.range)) }

    /// This series standardised by `zscore` (all rows).
    public func normalized(by zscore: ZScore) -> ForecastData {
        var copy = self
        copy.values = zscore.apply(values)
        return copy
    }
}

extension ClassificationData {
    /// μ and σ per channel over every time step of every training series.
    public func fitNormalization() -> ZScore { ZScore.fit(train.map(\.values)) }

    /// Every series standardised by `zscore`.
    public func normalized(by zscore: ZScore) -> ClassificationData {
        var copy = self
        for i in copy.train.indices { copy.train[i].values = zscore.apply(copy.train[i].values) }
        for i in copy.validation.indices { copy.validation[i].values = zscore.apply(copy.validation[i].values) }
        for i in copy.test.indices { copy.test[i].values = zscore.apply(copy.test[i].values) }
        return copy
    }
}
