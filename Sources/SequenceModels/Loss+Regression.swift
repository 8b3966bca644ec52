// Loss+Regression.swift — element-wise regression losses: MSE, MAE, Huber.
//
// All three are means of a point-wise penalty ℓ(d) of the residual d = prediction − target,
// with the masking of Loss.swift. Definitions and kinks follow PyTorch (`MSELoss`, `L1Loss`,
// `HuberLoss`): the derivative of |d| at 0 is taken as 0.

import LinearAlgebra

/// The point-wise penalty of an element-wise regression loss.
enum Penalty {
    case squared, absolute, huber(Double)

    /// `(ℓ(d), ℓ'(d))`.
    @inline(__always)
    func evaluate<S: NeuralScalar>(_ d: S) -> (S, S) {
        switch self {
        case .squared:
            return (d * d, 2 * d)
        case .absolute:
            return (Swift.abs(d), d > 0 ? 1 : (d < 0 ? -1 : 0))
        case let .huber(delta):
            let dl = S(delta), a = Swift.abs(d)
            if a < dl { return (d * d / 2, d) }
            return (dl * (a - dl / 2), d > 0 ? dl : -dl)
        }
    }
}

/// Shared body of the element-wise regression losses.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func elementwiseLoss<Scalar: NeuralScalar>(_ penalty: Penalty, _ name: String, _ prediction: Tensor<Scalar>,
                                           _ target: Tensor<Scalar>, _ mask: Tensor<Scalar>?) throws(SequenceModelError) -> LossResult<Scalar> {
    guard prediction.shape == target.shape else {
        throw .shapeMismatch(operation: "\(name) target", expected: prediction.shape, found: target.shape)
    }
    let (weights, block) = try maskBlocks(mask, covering: prediction.shape, name)
    let n = prediction.count
    let total = maskTotal(weights, blockSize: block, count: n)
    var gradient = Tensor<Scalar>(shape: prediction.shape)
    guard total > 0 else { return LossResult(value: 0, gradient: gradient, weight: 0) }
    let invTotal = Scalar(1 / total)
    var sum = 0.0
    prediction.withUnsafeBufferPointer { p in
        target.withUnsafeBufferPointer { t in
            gradient.withUnsafeMutableBufferPointer { g in
                for i in 0..<n {
                    let w: Scalar = weights.map { $0[i / block] } ?? 1
                    let (l, dl) = penalty.evaluate(p[i] - t[i])
                    sum += Double(w * l)
                    g[i] = w * dl * invTotal
                }
            }
        }
    }
    return LossResult(value: sum / total, gradient: gradient, weight: total)
}

/// Mean squared error `L = Σ w (ŷ − y)² / W`, `∂L/∂ŷ = 2 w (ŷ − y) / W`.
public struct MeanSquaredError: Loss {
    public init() {}
    public func targetShape(forPrediction predictionShape: [Int]) -> [Int] { predictionShape }
    public func evaluate<Scalar: NeuralScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>,
                                               mask: Tensor<Scalar>?) throws(SequenceModelError) -> LossResult<Scalar> {
        try elementwiseLoss(.squared, "MSE", prediction, target, mask)
    }
}

/// Mean absolute error `L = Σ w |ŷ − y| / W`, `∂L/∂ŷ = w sign(ŷ − y) / W` (0 at 0).
public struct MeanAbsoluteError: Loss {
    public init() {}
    public func targetShape(forPrediction predictionShape: [Int]) -> [Int] { predictionShape }
    public func evaluate<Scalar: NeuralScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>,
                                               mask: Tensor<Scalar>?) throws(SequenceModelError) -> LossResult<Scalar> {
        try elementwiseLoss(.absolute, "MAE", prediction, target, mask)
    }
}

/// Huber loss with threshold δ (Huber, "Robust Estimation of a Location Parameter", 1964):
/// `ℓ(d) = d²/2` for `|d| < δ`, `δ (|d| − δ/2)` otherwise; `ℓ'(d) = d` or `δ sign(d)`.
/// Same as PyTorch's `HuberLoss(delta: δ)`.
public struct HuberLoss: Loss {
    public var delta: Double
    public init(delta: Double = 1) {
        precondition(delta > 0, "Huber δ must be positive") // invariant: programmer misuse (configs are validated)
        self.delta = delta
    }
    public func targetShape(forPrediction predictionShape: [Int]) -> [Int] { predictionShape }
    public func evaluate<Scalar: NeuralScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>,
                                               mask: Tensor<Scalar>?) throws(SequenceModelError) -> LossResult<Scalar> {
        try elementwiseLoss(.huber(delta), "Huber", prediction, target, mask)
    }
}
