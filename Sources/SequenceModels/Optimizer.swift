// Optimizer.swift — the optimiser protocol, learning-rate resolution per group, gradient clipping.
//
// Optimisers hold the model's `Parameter` objects (the same references the layers use) and
// per-parameter state arrays in the same order, and update `value` in place from `gradient`.
// Hyperparameters resolve per parameter group (ParameterGroup): the group's own learning rate
// or weight decay if set, the optimiser's otherwise; a schedule then multiplies every group's
// learning rate by `learningRateFactor` (as PyTorch's LambdaLR scales each group's base lr).
//
// Arithmetic order: every update is computed in the parameter's precision in the same order
// of operations as PyTorch's single-tensor (foreach=False) implementations, with scalar
// coefficients (bias corrections, 1 − β) computed in Double and rounded once, as PyTorch does
// with Python floats. The update rules are written out in each optimiser's doc comment.

import LinearAlgebra

/// A first-order optimiser over a fixed list of parameters.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: NeuralScalar
    /// The parameters updated by `step()`, in the order of the optimiser's state.
    var parameters: [Parameter<Scalar>] { get }
    /// Base learning rate for groups without their own.
    var learningRate: Double { get set }
    /// Multiplier applied to every group's learning rate (set by a schedule). Default 1.
    var learningRateFactor: Double { get set }
    /// Number of `step()` calls so far.
    var stepCount: Int { get }
    /// Applies one update to every parameter from its current gradient.
    func step()
}

extension Optimizer {
    /// Zeroes every parameter's gradient.
    public func zeroGradients() {
        for p in parameters { p.zeroGradient() }
    }

    /// The learning rate in effect for `group` now: `(group.learningRate ?? learningRate) · factor`.
    public func effectiveLearningRate(for group: ParameterGroup) -> Double {
        (group.learningRate ?? learningRate) * learningRateFactor
    }
}

/// Rescales all gradients so their global L2 norm is at most `maxNorm`, as PyTorch's
/// `clip_grad_norm_`: `n = ‖(‖g₁‖, …, ‖g_k‖)‖₂`, `c = min(1, maxNorm / (n + 1e-6))`, `gᵢ ← c gᵢ`.
/// Returns `n`, the norm before clipping (non-finite when a gradient is; gradients are then
/// multiplied by a non-finite factor, so callers should check the result).
/// - Complexity: two passes over all gradients.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
@discardableResult
public func clipGradientNorm<Scalar: NeuralScalar>(_ parameters: [Parameter<Scalar>], maxNorm: Double) -> Double {
    var sumSquares: Scalar = 0
    for p in parameters {
        let n = p.gradient.withUnsafeBufferPointer { g in
            g.isEmpty ? 0 : Scalar.nrm2(n: g.count, x: g.baseAddress!, incx: 1)
        }
        sumSquares += n * n
    }
    let total = sumSquares.squareRoot()
    let coefficient = Swift.min(Scalar(maxNorm) / (total + Scalar(1e-6)), 1)
    for p in parameters { p.gradient *= coefficient }
    return Double(total)
}
