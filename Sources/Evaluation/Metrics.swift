// Metrics.swift — error and classification metrics, per output channel and averaged.
//
// Regression metrics compare a truth and a prediction, both time-major `(T, p)`, over the
// scored steps S (a mask; the warm-up steps are excluded with `Metrics.mask(count:warmup:)`).
// For each channel c, with e_t = y_t − ŷ_t, n = |S|, ȳ = mean of y over S:
//
//   RMSE   = √( Σ_S e_t² / n )
//   NRMSE  = RMSE / σ_y,   σ_y = √( Σ_S (y_t − ȳ)² / n )        (POPULATION std of the truth)
//   fit %  = 100 · (1 − NRMSE)                                  (the nonlinear-benchmark fit)
//   R²     = 1 − Σ_S e_t² / Σ_S (y_t − ȳ)²  = 1 − NRMSE²
//   MAE    = Σ_S |e_t| / n
//   MASE   = MAE / q,  q = in-sample MAE of the (seasonal-)naive forecast on the TRAINING part:
//            q = mean over training rows t (within one segment, t − m in the same segment) of
//                |x_t − x_{t−m}|, with m = 1 (naive) or the season (seasonal naive).
//            (Hyndman & Koehler, "Another look at measures of forecast accuracy", 2006.)
//
// The averaged value is the plain mean of the per-channel values.
//
// Classification: accuracy = (correct predictions) / n. Macro-F1 = mean over classes of
// F1_k = 2·TP_k / (2·TP_k + FP_k + FN_k), taken over the classes that occur in the truth or in
// the predictions (a class that occurs in neither is left out; one that occurs but is never
// predicted correctly scores 0).

import LinearAlgebra

/// Per-channel values of a metric and their mean.
public struct ChannelScores: Sendable, Equatable {
    public let perChannel: [Double]
    /// Mean of `perChannel`.
    public let mean: Double

    public init(perChannel: [Double]) {
        self.perChannel = perChannel
        self.mean = perChannel.isEmpty ? .nan : perChannel.reduce(0, +) / Double(perChannel.count)
    }
}

/// A metric that cannot be computed from the values given.
public enum MetricError: Error, Equatable, Sendable, CustomStringConvertible {
    case shapeMismatch(metric: String, truth: [Int], prediction: [Int])
    case maskLength(metric: String, expected: Int, found: Int)
    /// The mask leaves no step (or the label lists are empty).
    case noScoredSteps(metric: String)
    /// NRMSE, fit and R² need a truth channel that varies over the scored steps.
    case constantTruth(metric: String, channel: Int)
    /// The naive in-sample MAE that scales MASE is zero (a constant training series) or there
    /// are too few training steps for the season.
    case degenerateScale(channel: Int, reason: String)
    case nonFinite(metric: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(metric, truth, prediction):
            return "\(metric): truth has shape \(truth), prediction \(prediction)"
        case let .maskLength(metric, expected, found):
            return "\(metric): mask has \(found) entries for \(expected) steps"
        case let .noScoredSteps(metric):
            return "\(metric): no scored steps"
        case let .constantTruth(metric, channel):
            return "\(metric): output channel \(channel) is constant over the scored steps (its std is 0)"
        case let .degenerateScale(channel, reason):
            return "MASE: channel \(channel): \(reason)"
        case let .nonFinite(metric):
            return "\(metric): prediction contains NaN or infinity"
        }
    }
}

/// Metric functions (see the file comment for the definitions).
public enum Metrics {
    /// A mask of `count` steps with the first `warmup` excluded.
    public static func mask(count: Int, warmup: Int) -> [Bool] { (0..<count).map { $0 >= warmup } }

    /// Per-channel sums over the scored steps: n, Σe², Σ|e|, Σ(y − ȳ)².
    private static func sums(_ metric: String, _ truth: Matrix, _ prediction: Matrix, _ mask: [Bool]?)
        throws(MetricError) -> (n: Int, sse: [Double], sae: [Double], sst: [Double]) {
        guard truth.rows == prediction.rows && truth.cols == prediction.cols else {
            throw .shapeMismatch(metric: metric, truth: [truth.rows, truth.cols], prediction: [prediction.rows, prediction.cols])
        }
        if let mask, mask.count != truth.rows { throw .maskLength(metric: metric, expected: truth.rows, found: mask.count) }
        let p = truth.cols
        let rows = (0..<truth.rows).filter { mask?[$0] ?? true }
        guard !rows.isEmpty && p > 0 else { throw .noScoredSteps(metric: metric) }
        var mean = [Double](repeating: 0, count: p)
        var sse = mean, sae = mean, sst = mean
        for i in rows { for j in 0..<p { mean[j] += truth.elements[i * p + j] } }
        for j in 0..<p { mean[j] /= Double(rows.count) }
        for i in rows {
            for j in 0..<p {
                let y = truth.elements[i * p + j], e = y - prediction.elements[i * p + j]
                guard e.isFinite else { throw .nonFinite(metric: metric) }
                sse[j] += e * e
                sae[j] += abs(e)
                sst[j] += (y - mean[j]) * (y - mean[j])
            }
        }
        return (rows.count, sse, sae, sst)
    }

    /// Root-mean-square error per channel.
    public static func rmse(truth: Matrix, prediction: Matrix, mask: [Bool]? = nil) throws(MetricError) -> ChannelScores {
        let s = try sums("RMSE", truth, prediction, mask)
        return ChannelScores(perChannel: s.sse.map { ($0 / Double(s.n)).squareRoot() })
    }

    /// RMSE divided by the population standard deviation of the truth, per channel.
    public static func nrmse(truth: Matrix, prediction: Matrix, mask: [Bool]? = nil) throws(MetricError) -> ChannelScores {
        let s = try sums("NRMSE", truth, prediction, mask)
        var out: [Double] = []
        for j in 0..<truth.cols {
            guard s.sst[j] > 0 else { throw .constantTruth(metric: "NRMSE", channel: j) }
            out.append((s.sse[j] / s.sst[j]).squareRoot())
        }
        return ChannelScores(perChannel: out)
    }

    /// Fit % = 100 · (1 − NRMSE), per channel.
    public static func fitPercent(truth: Matrix, prediction: Matrix, mask: [Bool]? = nil) throws(MetricError) -> ChannelScores {
        ChannelScores(perChannel: try nrmse(truth: truth, prediction: prediction, mask: mask).perChannel.map { 100 * (1 - $0) })
    }

    /// Coefficient of determination per channel.
    public static func r2(truth: Matrix, prediction: Matrix, mask: [Bool]? = nil) throws(MetricError) -> ChannelScores {
        let s = try sums("R2", truth, prediction, mask)
        var out: [Double] = []
        for j in 0..<truth.cols {
            guard s.sst[j] > 0 else { throw .constantTruth(metric: "R2", channel: j) }
            out.append(1 - s.sse[j] / s.sst[j])
        }
        return ChannelScores(perChannel: out)
    }

    /// Mean absolute error per channel.
    public static func mae(truth: Matrix, prediction: Matrix, mask: [Bool]? = nil) throws(MetricError) -> ChannelScores {
        let s = try sums("MAE", truth, prediction, mask)
        return ChannelScores(perChannel: s.sae.map { $0 / Double(s.n) })
    }

    /// The MASE scale q per channel: mean |x_t − x_{t−season}| over the training rows `segments`
    /// of `training` (pairs never straddle two segments).
    /// - Throws: `.degenerateScale` when a channel's q is 0 or no pair fits in any segment.
    public static func naiveScale(training: Matrix, segments: [Range<Int>], season: Int = 1) throws(MetricError) -> [Double] {
        precondition(season >= 1, "season must be ≥ 1") // invariant: validated by the parser
        let p = training.cols
        var total = [Double](repeating: 0, count: p)
        var pairs = 0
        for r in segments where r.count > season {
            for t in (r.lowerBound + season)..<r.upperBound {
                for j in 0..<p { total[j] += abs(training.elements[t * p + j] - training.elements[(t - season) * p + j]) }
                pairs += 1
            }
        }
        guard pairs > 0 else { throw .degenerateScale(channel: 0, reason: "no training segment is longer than the season \(season)") }
        var q: [Double] = []
        for j in 0..<p {
            guard total[j] > 0 else { throw .degenerateScale(channel: j, reason: "the training series is constant at lag \(season), so the naive MAE is 0") }
            q.append(total[j] / Double(pairs))
        }
        return q
    }

    /// Mean absolute scaled error per channel: MAE / `scale` (from `naiveScale`).
    public static func mase(truth: Matrix, prediction: Matrix, scale: [Double], mask: [Bool]? = nil) throws(MetricError) -> ChannelScores {
        precondition(scale.count == truth.cols && scale.allSatisfy { $0 > 0 }, "one positive scale per channel") // invariant: scale comes from naiveScale
        let m = try mae(truth: truth, prediction: prediction, mask: mask)
        return ChannelScores(perChannel: zip(m.perChannel, scale).map { $0 / $1 })
    }

    /// Fraction of correct labels.
    public static func accuracy(truth: [Int], prediction: [Int]) throws(MetricError) -> Double {
        guard truth.count == prediction.count else { throw .shapeMismatch(metric: "accuracy", truth: [truth.count], prediction: [prediction.count]) }
        guard !truth.isEmpty else { throw .noScoredSteps(metric: "accuracy") }
        return Double(zip(truth, prediction).filter { $0 == $1 }.count) / Double(truth.count)
    }

    /// Per-class F1 for the classes present in truth or prediction (sorted by class index).
    public static func f1PerClass(truth: [Int], prediction: [Int]) throws(MetricError) -> [(label: Int, f1: Double)] {
        guard truth.count == prediction.count else { throw .shapeMismatch(metric: "macro-F1", truth: [truth.count], prediction: [prediction.count]) }
        guard !truth.isEmpty else { throw .noScoredSteps(metric: "macro-F1") }
        var tp: [Int: Int] = [:], fp: [Int: Int] = [:], fn: [Int: Int] = [:]
        for (y, yhat) in zip(truth, prediction) {
            if y == yhat { tp[y, default: 0] += 1 } else { fp[yhat, default: 0] += 1; fn[y, default: 0] += 1 }
        }
        let classes = Set(truth).union(prediction).sorted()
        return classes.map { k in
            let t = Double(tp[k] ?? 0)
            return (k, 2 * t / (2 * t + Double(fp[k] ?? 0) + Double(fn[k] ?? 0)))
        }
    }

    /// Macro-averaged F1 (see the file comment).
    public static func macroF1(truth: [Int], prediction: [Int]) throws(MetricError) -> Double {
        let f = try f1PerClass(truth: truth, prediction: prediction)
        return f.reduce(0) { $0 + $1.f1 } / Double(f.count)
    }
}

/// The metrics an experiment can ask for by name.
public enum MetricKind: String, Sendable, CaseIterable {
    case rmse, nrmse, fit, r2, mae, mase, accuracy
    case macroF1 = "macro_f1"

    /// Whether the metric scores class labels (else real-valued outputs).
    public var isClassification: Bool { self == .accuracy || self == .macroF1 }
}
