// ARXModel.swift — ARX (and FIR) models fitted by ridge regression on lag windows:
//
//     y[k] = Σ_{i=1}^{na} A_i y[k−i] + Σ_{j=0}^{nb−1} B_j u[k−nk−j] + c
//
// (see ARXOrders.swift for the regressor). Ljung, "System Identification: Theory for the User"
// (2nd ed., 1999), ch. 4 and 7, for the model structure and the least-squares estimate.
// Fitting minimises the one-step-ahead prediction error over every target whose lag window
// lies inside one segment; the fitted model can then predict one step ahead (measured past
// outputs) or run free (its own past outputs: ARXModel+Simulation.swift), and be realised as a
// `DiscreteLTI` (ARXModel+Realization.swift).

import LinearAlgebra

/// Settings of an ARX fit; `fit` produces an `ARXModel`.
public struct ARXEstimator: Sendable, Equatable {
    public var orders: ARXOrders
    /// Ridge penalty α ≥ 0 on the coefficients (not on the intercept).
    public var alpha: Double
    /// Fit an offset c. Off by default: identification data are usually zero-mean (the
    /// evaluation harness normalises them), and only a model without offset has an LTI realisation.
    public var fitIntercept: Bool
    public var solver: RidgeRegression.Solver

    public init(orders: ARXOrders, alpha: Double = 0, fitIntercept: Bool = false, solver: RidgeRegression.Solver = .automatic) {
        self.orders = orders
        self.alpha = alpha
        self.fitIntercept = fitIntercept
        self.solver = solver
    }

    /// An FIR estimator: y[k] from u[k], …, u[k−taps+1].
    public static func fir(taps: Int, alpha: Double = 0, fitIntercept: Bool = false) throws(BaselineError) -> ARXEstimator {
        ARXEstimator(orders: try .fir(taps: taps), alpha: alpha, fitIntercept: fitIntercept)
    }

    /// Fits the model on every segment (each an independent record).
    /// - Parameters:
    ///   - segments: training records; all must have the same input and output counts.
    ///   - sampleTime: seconds per step, kept for the LTI realisation.
    /// - Throws: `.tooFewSamples` when the segments provide fewer regression rows (targets with a
    ///   full lag window) than parameters; `.shapeMismatch`, `.invalidParameter`, `.singular`.
    /// - Complexity: O(N d (d + p) + d³) for N regression rows and d = na·p + nb·m regressors.
    public func fit(_ segments: [IOSegment], sampleTime: Double = 1) throws(BaselineError) -> ARXModel {
        let (m, p) = try channelCounts(segments, "\(orders)")
        try requireRidge(alpha)
        guard sampleTime.isFinite, sampleTime > 0 else { throw .invalidParameter(name: "sampleTime", reason: "must be a positive finite number, got \(sampleTime)") }
        let window = LagWindow(orders: orders, m: m, p: p)
        let d = window.featureCount
        guard d > 0 else { throw .invalidParameter(name: "nb", reason: "\(orders) has no regressor: the data have no input channel and na = 0") }
        let rows = segments.reduce(0) { $0 + Swift.max(0, $1.length - orders.lagDepth) }
        let parameters = d + (fitIntercept ? 1 : 0)
        guard rows >= parameters else {
            throw .tooFewSamples(context: "\(orders) with \(parameters) parameter(s) per output: regression rows (segment lengths minus lag depth \(orders.lagDepth), over \(segments.count) segment(s))",
                                 needed: parameters, found: rows)
        }
        let (x, y) = window.design(segments)
        let ridge = RidgeRegression(alpha: alpha, fitIntercept: fitIntercept, solver: solver)
        let regression = try ridge.fitValidated(x, y)
        return ARXModel(validated: orders, inputCount: m, outputCount: p, regression: regression, sampleTime: sampleTime)
    }
}

/// A fitted ARX model.
public struct ARXModel: Sendable, Equatable {
    public let orders: ARXOrders
    /// m and p.
    public let inputCount: Int, outputCount: Int
    /// The ridge fit on the lag windows: weights `(na·p + nb·m, p)` and the offset c.
    public let regression: RidgeModel
    /// Seconds per step (for the realisation).
    public let sampleTime: Double

    /// Builds a model from its regression (for example to load stored coefficients).
    /// - Throws: `.shapeMismatch` when the regression does not have `(na·p + nb·m, p)` weights.
    public init(orders: ARXOrders, inputCount: Int, outputCount: Int, regression: RidgeModel, sampleTime: Double = 1) throws(BaselineError) {
        let d = orders.featureCount(inputs: inputCount, outputs: outputCount)
        guard regression.featureCount == d, regression.targetCount == outputCount else {
            throw .shapeMismatch("\(orders) with \(inputCount) input(s) and \(outputCount) output(s) needs \(d)×\(outputCount) weights, got \(regression.featureCount)×\(regression.targetCount)")
        }
        guard sampleTime.isFinite, sampleTime > 0 else { throw .invalidParameter(name: "sampleTime", reason: "must be a positive finite number, got \(sampleTime)") }
        self.init(validated: orders, inputCount: inputCount, outputCount: outputCount, regression: regression, sampleTime: sampleTime)
    }

    init(validated orders: ARXOrders, inputCount: Int, outputCount: Int, regression: RidgeModel, sampleTime: Double) {
        self.orders = orders
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.regression = regression
        self.sampleTime = sampleTime
    }

    /// A_i (p × p), the coefficient of y[k−i], for i in 1...na.
    public func outputCoefficient(lag i: Int) -> Matrix {
        precondition(i >= 1 && i <= orders.na, "output lag \(i) outside 1...\(orders.na)") // invariant: programmer misuse
        let p = outputCount
        var a = Matrix(rows: p, cols: p)
        for o in 0..<p { for o2 in 0..<p { a[o, o2] = regression.weights[(i - 1) * p + o2, o] } }
        return a
    }

    /// B_j (p × m), the coefficient of u[k−nk−j], for j in 0..<nb.
    public func inputCoefficient(tap j: Int) -> Matrix {
        precondition(j >= 0 && j < orders.nb, "input tap \(j) outside 0..<\(orders.nb)") // invariant: programmer misuse
        let p = outputCount, m = inputCount
        var b = Matrix(rows: p, cols: m)
        for o in 0..<p { for c in 0..<m { b[o, c] = regression.weights[orders.na * p + j * m + c, o] } }
        return b
    }

    /// The offset c (zeros without intercept).
    public var intercept: [Double] { regression.intercept }

    /// The lag-window regressor.
    var window: LagWindow { LagWindow(orders: orders, m: inputCount, p: outputCount) }
}
