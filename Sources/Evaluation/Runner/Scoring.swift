// Scoring.swift — metrics of a prediction against the truth, in original units.
//
// Predictions come back in the problem's normalised units and are mapped back with the
// training-part statistics before scoring. Scored rows: I/O simulation skips the first
// `warmup` rows of each test segment; k-step prediction the first max(warmup, k); forecasts
// score every (origin, h) pair; sequence tasks the steps their `scored` mask marks.

import LinearAlgebra

public enum Scoring {
    /// The metrics reported by default for a task.
    public static func defaultMetrics(for problem: Problem) -> [MetricKind] {
        switch problem {
        case .io: return [.rmse, .nrmse, .fit, .r2, .mae]
        case .forecast: return [.rmse, .mae, .mase, .nrmse]
        case .classification: return [.accuracy, .macroF1]
        case let .sequence(s): return s.classCount == nil ? [.rmse, .mae, .nrmse] : [.accuracy]
        }
    }

    /// Truth, prediction (original units) and the scored mask, stacked over the test part.
    public static func aligned(_ problem: Problem, _ prediction: Prediction) throws -> (truth: Matrix, prediction: Matrix, mask: [Bool]) {
        switch (problem, prediction) {
        case let (.io(p), .io(pred)):
            guard pred.count == p.test.count else { throw RunError.failed("model returned \(pred.count) test segments, expected \(p.test.count)") }
            var truth: [Matrix] = [], out: [Matrix] = [], mask: [Bool] = []
            let skip = p.task == .prediction ? max(p.warmup, p.horizon) : p.warmup
            for (seg, y) in zip(p.test, pred) {
                guard y.rows == seg.length, y.cols == p.outputCount else {
                    throw RunError.failed("model returned a \(y.rows)×\(y.cols) prediction for a \(seg.length)×\(p.outputCount) segment")
                }
                truth.append(p.outputScaler.invert(seg.outputs))
                out.append(p.outputScaler.invert(y))
                mask += (0..<seg.length).map { $0 >= skip }
            }
            return (Matrix.vcat(truth), Matrix.vcat(out), mask)
        case let (.forecast(p), .forecast(pred)):
            guard pred.count == p.testOrigins.count else {
                throw RunError.failed("model returned \(pred.count) forecasts, expected \(p.testOrigins.count)")
            }
            let raw = p.scaler.invert(p.series)
            var truth: [Matrix] = [], out: [Matrix] = []
            for (o, f) in zip(p.testOrigins, pred) {
                guard f.rows == p.horizon, f.cols == p.channelCount else {
                    throw RunError.failed("model returned a \(f.rows)×\(f.cols) forecast, expected \(p.horizon)×\(p.channelCount)")
                }
                truth.append(raw.slicingRows(o..<(o + p.horizon)))
                out.append(p.scaler.invert(f))
            }
            let t = Matrix.vcat(truth)
            return (t, Matrix.vcat(out), [Bool](repeating: true, count: t.rows))
        case let (.sequence(p), .sequence(pred)):
            guard pred.count == p.test.count else { throw RunError.failed("model returned \(pred.count) test sequences, expected \(p.test.count)") }
            var truth: [Matrix] = [], out: [Matrix] = [], mask: [Bool] = []
            for (ex, y) in zip(p.test, pred) {
                guard y.rows == ex.targets.rows, y.cols == ex.targets.cols else {
                    throw RunError.failed("model returned a \(y.rows)×\(y.cols) output for a \(ex.targets.rows)×\(ex.targets.cols) target")
                }
                truth.append(ex.targets); out.append(y); mask += ex.scored
            }
            return (Matrix.vcat(truth), Matrix.vcat(out), mask)
        default:
            throw RunError.failed("model returned a prediction of the wrong kind for task '\(problem.task.rawValue)'")
        }
    }

    /// The requested metrics that apply to the problem, with their values.
    public static func score(_ problem: Problem, _ prediction: Prediction, metrics requested: [MetricKind]? = nil) throws -> [(MetricKind, Double)] {
        let wanted = requested ?? defaultMetrics(for: problem)
        if case let (.classification(p), .classification(labels)) = (problem, prediction) {
            guard labels.count == p.test.count else { throw RunError.failed("model returned \(labels.count) labels, expected \(p.test.count)") }
            let truth = p.test.map(\.label)
            var out: [(MetricKind, Double)] = []
            for m in wanted where m.isClassification {
                out.append((m, m == .accuracy ? try Metrics.accuracy(truth: truth, prediction: labels)
                                              : try Metrics.macroF1(truth: truth, prediction: labels)))
            }
            return out
        }
        let (truth, pred, mask) = try aligned(problem, prediction)
        guard pred.isFinite else { throw RunError.diverged("the prediction contains NaN or infinite values") }
        var out: [(MetricKind, Double)] = []
        if case let .sequence(s) = problem, s.classCount != nil {
            // Token tasks: argmax of the model's scores against the target tokens at scored steps.
            var t: [Int] = [], y: [Int] = []
            for r in 0..<truth.rows where mask[r] {
                t.append(argmax(truth.row(r))); y.append(argmax(pred.row(r)))
            }
            for m in wanted where m.isClassification {
                out.append((m, m == .accuracy ? try Metrics.accuracy(truth: t, prediction: y) : try Metrics.macroF1(truth: t, prediction: y)))
            }
            return out
        }
        for m in wanted where !m.isClassification {
            let value: Double
            switch m {
            case .rmse: value = try Metrics.rmse(truth: truth, prediction: pred, mask: mask).mean
            case .nrmse: value = try Metrics.nrmse(truth: truth, prediction: pred, mask: mask).mean
            case .fit: value = try Metrics.fitPercent(truth: truth, prediction: pred, mask: mask).mean
            case .r2: value = try Metrics.r2(truth: truth, prediction: pred, mask: mask).mean
            case .mae: value = try Metrics.mae(truth: truth, prediction: pred, mask: mask).mean
            case .mase:
                guard case let .forecast(f) = problem else { continue }
                let scale = try Metrics.naiveScale(training: f.scaler.invert(f.series), segments: f.train, season: f.season)
                value = try Metrics.mase(truth: truth, prediction: pred, scale: scale, mask: mask).mean
            case .accuracy, .macroF1: continue
            }
            out.append((m, value))
        }
        return out
    }

    static func argmax(_ v: [Double]) -> Int {
        var best = 0
        for i in v.indices where v[i] > v[best] { best = i }
        return best
    }
}
