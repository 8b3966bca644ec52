// Loss.swift — the loss protocol and masked averaging shared by every loss.
//
// Masks: a mask has the shape of a *prefix* of the per-element shape — (batch, time) for
// (batch, time, features) regression outputs, or the full shape — and holds non-negative
// weights (normally 0 for padded time steps, 1 otherwise). Each mask entry covers the block of
// trailing elements beneath it. The loss is the weighted mean over covered elements,
//     L = Σ_e w_e ℓ_e / W,   W = Σ_e w_e,
// so with a 0/1 mask it is the mean over unmasked elements, and with no mask the plain mean.
// When W = 0 the loss and its gradient are zero.

import LinearAlgebra

/// A loss value with its gradient with respect to the prediction.
public struct LossResult<Scalar: NeuralScalar> {
    /// The (masked) mean loss, accumulated in Double.
    public var value: Double
    /// `∂L/∂prediction`, the prediction's shape.
    public var gradient: Tensor<Scalar>
    /// The denominator `W` (number of unmasked elements, or total weight), so means over several
    /// batches combine as `Σ value·weight / Σ weight`.
    public var weight: Double
}

/// A differentiable loss of a prediction against a target, with an optional mask.
public protocol Loss: Sendable {
    /// The target shape this loss expects for a prediction shape (used to validate datasets).
    func targetShape(forPrediction predictionShape: [Int]) -> [Int]

    /// The masked mean loss and its gradient.
    /// - Throws: `SequenceModelError` when shapes disagree, a mask entry is negative or not
    ///   finite, or (classification) a label is out of range.
    func evaluate<Scalar: NeuralScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>,
                                        mask: Tensor<Scalar>?) throws(SequenceModelError) -> LossResult<Scalar>
}

extension Loss {
    /// `evaluate` without a mask.
    public func evaluate<Scalar: NeuralScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>) throws(SequenceModelError) -> LossResult<Scalar> {
        try evaluate(prediction, target, mask: nil)
    }
}

/// Per-block mask weights for elements of `shape`: `(weights, blockSize)`, where block `b`
/// covers flat elements `b·blockSize ..< (b+1)·blockSize`. `nil` weights mean "all ones".
func maskBlocks<Scalar: NeuralScalar>(_ mask: Tensor<Scalar>?, covering shape: [Int],
                                      _ operation: String) throws(SequenceModelError) -> (weights: [Scalar]?, blockSize: Int) {
    let total = shape.reduce(1, *)
    guard let mask else { return (nil, Swift.max(1, total)) }
    guard mask.rank <= shape.count, Array(shape.prefix(mask.rank)) == mask.shape else {
        throw .shapeMismatch(operation: "\(operation) mask", expected: Array(shape.prefix(Swift.max(mask.rank, 1))), found: mask.shape)
    }
    for (i, w) in mask.scalars.enumerated() where !(w.isFinite && w >= 0) {
        throw .invalidMask(index: i, value: Double(w))
    }
    return (mask.scalars, shape.dropFirst(mask.rank).reduce(1, *))
}

/// The denominator `W = Σ w · blockSize` (or the element count without a mask).
func maskTotal<Scalar: NeuralScalar>(_ weights: [Scalar]?, blockSize: Int, count: Int) -> Double {
    guard let weights else { return Double(count) }
    return weights.reduce(0.0) { $0 + Double($1) } * Double(blockSize)
}
