// SimpleModels.swift — the trivial baselines every comparison needs, exact by construction.
//
//   mean         predicts the training mean of each output (in normalised units); for
//                classification the most frequent training class
//   persistence  I/O simulation: the last warm-up output held (the training mean without a
//                warm-up); k-step prediction: y[t−k]; forecast: the last observed value, or
//                the value one season earlier (seasonal naive, when the dataset has a season)
//   oracle       runs the true system that generated the data (generated I/O data only), so
//                the noise floor of a benchmark can be scored too

import LinearAlgebra

/// Column means of stacked training outputs.
func trainingMean(_ segments: [Matrix]) -> [Double] {
    guard let cols = segments.first?.cols else { return [] }
    var sum = [Double](repeating: 0, count: cols)
    var n = 0
    for s in segments { for r in 0..<s.rows { for c in 0..<cols { sum[c] += s[r, c] } }; n += s.rows }
    return sum.map { n > 0 ? $0 / Double(n) : 0 }
}

func constantRows(_ rows: Int, _ value: [Double]) -> Matrix {
    Matrix(rows: rows, cols: value.count, elements: (0..<rows).flatMap { _ in value })
}

public final class MeanModel: LabModel {
    private var mean: [Double] = []
    private var majority = 0
    public init() {}
    public var parameterCount: Int { max(mean.count, 1) }
    public func supports(_ task: TaskKind) -> Bool { true }

    public func fit(_ problem: Problem, context: inout FitContext) throws -> FitReport {
        switch problem {
        case let .io(p): mean = trainingMean(p.train.map(\.outputs))
        case let .forecast(p): mean = trainingMean(p.train.map { p.series.slicingRows($0) })
        case let .classification(p):
            var counts = [Int](repeating: 0, count: p.classes.count)
            for e in p.train { counts[e.label] += 1 }
            majority = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
        case let .sequence(p): mean = trainingMean(p.train.map(\.targets))
        }
        return FitReport()
    }

    public func predict(_ problem: Problem) throws -> Prediction {
        switch problem {
        case let .io(p): return .io(p.test.map { constantRows($0.length, mean) })
        case let .forecast(p): return .forecast(p.testOrigins.map { _ in constantRows(p.horizon, mean) })
        case let .classification(p): return .classification(p.test.map { _ in majority })
        case let .sequence(p): return .sequence(p.test.map { constantRows($0.targets.rows, mean) })
        }
    }
}

public final class PersistenceModel: LabModel {
    private var mean: [Double] = []
    public init() {}
    public var parameterCount: Int { 0 }
    public func supports(_ task: TaskKind) -> Bool { task == .simulation || task == .prediction || task == .forecast }

    public func fit(_ problem: Problem, context: inout FitContext) throws -> FitReport {
        if case let .io(p) = problem { mean = trainingMean(p.train.map(\.outputs)) }
        return FitReport()
    }

    public func predict(_ problem: Problem) throws -> Prediction {
        switch problem {
        case let .io(p):
            return .io(p.test.map { seg in
                var y = Matrix(rows: seg.length, cols: p.outputCount)
                for t in 0..<seg.length {
                    for c in 0..<p.outputCount {
                        switch p.task {
                        case .prediction:
                            y[t, c] = t >= p.horizon ? seg.outputs[t - p.horizon, c] : (mean.isEmpty ? 0 : mean[c])
                        default:
                            y[t, c] = p.warmup > 0 ? seg.outputs[min(t, p.warmup - 1), c] : (mean.isEmpty ? 0 : mean[c])
                        }
                    }
                }
                return y
            })
        case let .forecast(p):
            let s = p.season
            return .forecast(p.testOrigins.map { o in
                var f = Matrix(rows: p.horizon, cols: p.channelCount)
                for h in 0..<p.horizon {
                    // Seasonal naive: the latest observation at the same phase of the season.
                    var src = o - 1
                    if s > 1 { src = o + h - s * ((h / s) + 1) }
                    src = max(src, p.recordStart[o])
                    for c in 0..<p.channelCount { f[h, c] = p.series[src, c] }
                }
                return f
            })
        default:
            throw RunError.incompatible("persistence needs an I/O or forecast task")
        }
    }
}

public final class OracleModel: LabModel {
    public init() {}
    public var parameterCount: Int { 0 }
    public func supports(_ task: TaskKind) -> Bool { task == .simulation || task == .prediction }
    public func fit(_ problem: Problem, context: inout FitContext) throws -> FitReport {
        guard case let .io(p) = problem, p.system != nil, p.rawRecordInputs != nil else {
            throw RunError.incompatible("the oracle needs generated system data (a single record with its true system)")
        }
        return FitReport()
    }

    public func predict(_ problem: Problem) throws -> Prediction {
        guard case let .io(p) = problem, let system = p.system, let u = p.rawRecordInputs else {
            throw RunError.incompatible("the oracle needs generated system data")
        }
        // The noise-free output of the whole record, normalised like the data.
        let y = p.outputScaler.apply(system.simulate(u))
        return .io(zip(p.test, p.testStarts).map { seg, start in y.slicingRows(start..<(start + seg.length)) })
    }
}
