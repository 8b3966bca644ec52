// ClassicalModels.swift — the Baselines module behind the harness's model protocol:
//
//   fir, arx  ridge regression on lag windows (Baselines.ARXEstimator): free-run simulation
//             (own past predictions fed back after the warm-up) or k-step prediction; orders
//             from the experiment file, or chosen on the validation part over a small grid
//   n4sid     subspace identification (Baselines.N4SID) → a DiscreteLTI simulated by the LTI
//             core from an initial state fitted to each segment's warm-up; unstable poles of
//             the identified model are reflected inside the unit circle first
//   ar        AR(p) per channel by ridge, recursive multi-step forecasts; p chosen on the
//             validation origins when not given
// The LTI ones (ARX without intercept, N4SID) report their kernels for plots.

import Baselines
import LinearAlgebra
import StateSpace

/// An integer hyperparameter that must be ≥ `minimum` (the schema already checked the type).
func positive(_ spec: ModelSpec, _ key: String, minimum: Int = 1) throws -> Int? {
    guard let v = spec.parameters[key]?.intValue else { return nil }
    guard v >= minimum else {
        throw ExperimentError.invalidValue(file: spec.file, line: spec.parameterLines[key] ?? spec.line, key: key,
                                           table: spec.tableName, reason: "must be ≥ \(minimum), found \(v)")
    }
    return v
}

func ridgeAlpha(_ spec: ModelSpec) throws -> Double? {
    guard let v = spec.parameters["ridge"]?.doubleValue else { return nil }
    guard v >= 0, v.isFinite else {
        throw ExperimentError.invalidValue(file: spec.file, line: spec.parameterLines["ridge"] ?? spec.line, key: "ridge",
                                           table: spec.tableName, reason: "must be a finite number ≥ 0, found \(v)")
    }
    return v
}

/// Wraps a Baselines error as a recorded run failure.
func baseline<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as BaselineError { throw RunError.failed(e.description) }
}

/// Kernels h[k] of a discrete system for each output/input pair, named "y<o>←u<i>".
func systemKernels(_ system: DiscreteLTI, length: Int, limit: Int) throws -> [(name: String, taps: [Double])] {
    let k = try system.kernel(length: length)
    var out: [(String, [Double])] = []
    for o in 0..<k.outputs { for i in 0..<k.inputs where out.count < limit {
        out.append(("y\(o + 1)←u\(i + 1)", k.series(output: o, input: i)))
    } }
    return out
}

public final class ARXLabModel: LabModel, KernelReporting {
    let spec: ModelSpec
    let finiteImpulse: Bool
    private var model: ARXModel?
    public init(_ spec: ModelSpec, finiteImpulse: Bool) { self.spec = spec; self.finiteImpulse = finiteImpulse }

    public var parameterCount: Int { model.map { $0.regression.weights.elements.count + $0.intercept.count } ?? 0 }
    public func supports(_ task: TaskKind) -> Bool { task == .simulation || task == .prediction }

    public func fit(_ problem: Problem, context: inout FitContext) throws -> FitReport {
        guard case let .io(p) = problem else { throw RunError.incompatible("\(spec.kind.rawValue) needs an I/O task") }
        let order = try positive(spec, "order")
        let alpha = try ridgeAlpha(spec)
        let criterion: ARXSelectionCriterion = p.task == .prediction ? .prediction : .simulation
        let nb = try positive(spec, "input_order") ?? order
        let na = finiteImpulse ? 0 : (try positive(spec, "output_order", minimum: 0) ?? order)
        let nk = try positive(spec, "delay", minimum: 0)
        var report = FitReport()
        if let nb, let na {
            let orders = try baseline { try ARXOrders(na: na, nb: nb, nk: nk ?? (finiteImpulse ? 0 : 1)) }
            model = try baseline { try ARXEstimator(orders: orders, alpha: alpha ?? 1e-6).fit(p.train, sampleTime: p.sampleTime ?? 1) }
        } else {
            // Orders chosen on the validation part by the task's own error.
            let grid = ARXGrid(outputOrders: finiteImpulse ? [0] : (na.map { [$0] } ?? [1, 2, 4, 8]),
                               inputOrders: nb.map { [$0] } ?? (finiteImpulse ? [4, 8, 16, 32, 64] : [1, 2, 4, 8]),
                               delays: nk.map { [$0] } ?? (finiteImpulse ? [0] : [0, 1]), alphas: alpha.map { [$0] } ?? [1e-6, 1e-2])
            let validation = p.validation.isEmpty ? p.train : p.validation
            let selection = try baseline {
                try ARXEstimator.select(grid: grid, train: p.train, validation: validation, warmup: p.warmup, criterion: criterion,
                                        sampleTime: p.sampleTime ?? 1)
            }
            model = selection.model
            report.chosen = ["output_order": "\(selection.orders.na)", "input_order": "\(selection.orders.nb)",
                             "delay": "\(selection.orders.nk)", "ridge": "\(selection.alpha)", "validation_rmse": "\(selection.score)"]
        }
        return report
    }

    public func predict(_ problem: Problem) throws -> Prediction {
        guard case let .io(p) = problem, let model else { throw RunError.failed("\(spec.kind.rawValue) was not fitted") }
        return .io(try p.test.map { seg in
            try baseline {
                if p.task == .prediction && p.horizon == 1 { return try model.predictOneStep(seg, warmup: p.warmup) }
                if p.task == .prediction { return try kStepAhead(model, seg, k: p.horizon, warmup: p.warmup) }
                return try model.simulate(seg, warmup: p.warmup)
            }
        })
    }

    /// y[t] predicted from measured outputs up to t − k: k steps of the recursion from there.
    /// - Complexity: O(L · k · features).
    func kStepAhead(_ model: ARXModel, _ seg: IOSegment, k: Int, warmup: Int) throws -> Matrix {
        var out = Matrix(rows: seg.length, cols: seg.outputCount)
        let start = max(warmup, k)
        for t in 0..<min(start, seg.length) { for c in 0..<seg.outputCount { out[t, c] = seg.outputs[t, c] } }
        guard start < seg.length else { return out }
        for t in start..<seg.length {
            // Simulate from the measured record up to t − k, over the window ending at t.
            let from = max(0, t - k - model.orders.lagDepth)
            let window = try IOSegment(inputs: seg.inputs.slicingRows(from..<(t + 1)), outputs: seg.outputs.slicingRows(from..<(t + 1)))
            let y = try model.simulate(window, warmup: t - k + 1 - from)
            for c in 0..<seg.outputCount { out[t, c] = y[y.rows - 1, c] }
        }
        return out
    }

    public func kernels(length: Int, limit: Int) throws -> [(name: String, taps: [Double])] {
        guard let model, model.intercept.allSatisfy({ $0 == 0 }), let system = try? model.realization() else { return [] }
        return try systemKernels(system, length: length, limit: limit)
    }
}

public final class N4SIDLabModel: LabModel, KernelReporting {
    let spec: ModelSpec
    private var model: N4SIDModel?
    public init(_ spec: ModelSpec) { self.spec = spec }

    public var parameterCount: Int {
        guard let s = model?.system else { return 0 }
        return s.stateCount * (s.stateCount + s.inputCount + s.outputCount) + s.outputCount * s.inputCount
    }
    public func supports(_ task: TaskKind) -> Bool { task == .simulation }

    public func fit(_ problem: Problem, context: inout FitContext) throws -> FitReport {
        guard case let .io(p) = problem else { throw RunError.incompatible("n4sid needs an I/O task") }
        guard p.inputCount > 0 else { throw RunError.incompatible("n4sid needs at least one input") }
        let order: N4SID.Order = try positive(spec, "state_dim").map { .fixed($0) } ?? .automatic(maxOrder: nil)
        let method = N4SID(order: order, blockRows: try positive(spec, "block_rows"))
        let identified = try baseline { try method.identify(p.train, sampleTime: p.sampleTime ?? 1) }
        // Free-run simulation of an unstable identified model diverges: reflect its unstable
        // poles inside the unit circle (MATLAB's n4sid does the same for its simulation focus).
        let (stable, moved) = try baseline { try identified.stabilized() }
        model = stable
        var chosen = ["state_dim": "\(identified.order)", "block_rows": "\(identified.blockRows)"]
        if moved > 0 { chosen["stabilized_poles"] = "\(moved)" }
        return FitReport(chosen: chosen)
    }

    public func predict(_ problem: Problem) throws -> Prediction {
        guard case let .io(p) = problem, let model else { throw RunError.failed("n4sid was not fitted") }
        return .io(try p.test.map { seg in try baseline { try model.simulate(seg, warmup: p.warmup) } })
    }

    public func kernels(length: Int, limit: Int) throws -> [(name: String, taps: [Double])] {
        guard let system = model?.system else { return [] }
        return try systemKernels(system, length: length, limit: limit)
    }
}

public final class ARLabModel: LabModel {
    let spec: ModelSpec
    private var model: ARModel?
    public init(_ spec: ModelSpec) { self.spec = spec }

    public var parameterCount: Int { model.map { $0.coefficients.elements.count + $0.intercepts.count } ?? 0 }
    public func supports(_ task: TaskKind) -> Bool { task == .forecast }

    public func fit(_ problem: Problem, context: inout FitContext) throws -> FitReport {
        guard case let .forecast(p) = problem else { throw RunError.incompatible("ar needs a forecast task") }
        let train = p.train.map { p.series.slicingRows($0) }
        let alpha = try ridgeAlpha(spec) ?? 1e-6
        if let order = try positive(spec, "order") {
            model = try baseline { try ARForecaster(order: order, alpha: alpha).fit(train) }
            return FitReport()
        }
        // Order chosen on the validation origins (every validation row with a full horizon).
        var origins: [Int] = []
        for r in p.validation { var o = r.lowerBound; while o + p.horizon <= r.upperBound { if o > p.recordStart[o] { origins.append(o) }; o += 1 } }
        let shortest = train.map(\.rows).min() ?? 0
        var best: (Double, Int, ARModel)?
        for order in [1, 2, 4, 8, 12, 16, 24] where order < shortest / 2 {
            guard let m = try? ARForecaster(order: order, alpha: alpha).fit(train) else { continue }
            guard !origins.isEmpty else { best = best ?? (0, order, m); continue }
            var sq = 0.0, n = 0
            for o in origins {
                guard let f = try? m.forecast(history: p.series.slicingRows(p.recordStart[o]..<o), horizon: p.horizon) else { continue }
                for h in 0..<p.horizon { for c in 0..<p.channelCount { let d = f[h, c] - p.series[o + h, c]; sq += d * d; n += 1 } }
            }
            let rmse = n > 0 ? (sq / Double(n)).squareRoot() : .infinity
            if best == nil || rmse < best!.0 { best = (rmse, order, m) }
        }
        guard let chosen = best else { throw RunError.failed("ar: the training part is too short for any order") }
        model = chosen.2
        return FitReport(chosen: ["order": "\(chosen.1)", "validation_rmse": "\(chosen.0)"])
    }

    public func predict(_ problem: Problem) throws -> Prediction {
        guard case let .forecast(p) = problem, let model else { throw RunError.failed("ar was not fitted") }
        return .forecast(try p.testOrigins.map { o in
            try baseline { try model.forecast(history: p.series.slicingRows(p.recordStart[o]..<o), horizon: p.horizon) }
        })
    }
}
