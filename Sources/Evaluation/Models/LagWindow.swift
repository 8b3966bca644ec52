// LagWindow.swift — the lag embedding that turns a memoryless per-step network (the MLP) into
// a finite-memory sequence model: at every step it stacks the last `order` input vectors.
// Parameter-free and causal, so it composes with any per-step network in a `Sequential`.

import LinearAlgebra
import SequenceModels

/// `y[b, t, j·F + f] = x[b, t − j, f]` for `j = 0 ..< order` (zero when `t − j < 0`), mapping
/// (batch, time, F) to (batch, time, F·order). Backward is the adjoint:
/// `∂L/∂x[b, t, f] = Σ_j ∂L/∂y[b, t + j, j·F + f]` over `t + j < T`.
/// - Complexity: O(B·T·F·order) copies, forward and backward.
public final class LagWindow<Scalar: NeuralScalar>: Layer {
    /// Steps stacked per output step (the current one included).
    public let order: Int
    /// F, features per input step.
    public let inputSize: Int
    public var mode: LayerMode = .training
    private var inputShape: [Int]?

    public init(inputSize: Int, order: Int) {
        precondition(inputSize >= 1 && order >= 1, "LagWindow needs inputSize ≥ 1 and order ≥ 1, got \(inputSize), \(order)") // invariant: settings are validated
        self.inputSize = inputSize
        self.order = order
    }

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard inputShape.count == 3, inputShape[2] == inputSize else {
            throw .shapeMismatch(operation: "LagWindow input (batch, time, features)", expected: [-1, -1, inputSize], found: inputShape)
        }
        return [inputShape[0], inputShape[1], inputSize * order]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 3 && x.shape[2] == inputSize, "LagWindow(F: \(inputSize)) needs (batch, time, \(inputSize)), got \(x.shape)") // invariant: shapes checked by caller
        inputShape = x.shape
        let B = x.shape[0], T = x.shape[1], F = inputSize, K = order, W = F * K
        return Tensor(shape: [B, T, W]) { y in
            x.withUnsafeBufferPointer { px in
                for b in 0..<B {
                    for t in 0..<T {
                        let row = (b * T + t) * W
                        for j in 0..<K {
                            if t - j >= 0 {
                                let src = (b * T + t - j) * F
                                for f in 0..<F { y[row + j * F + f] = px[src + f] }
                            } else {
                                for f in 0..<F { y[row + j * F + f] = 0 }
                            }
                        }
                    }
                }
            }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("LagWindow.backward called before forward") } // invariant: forward/backward pairing
        let B = shape[0], T = shape[1], F = inputSize, K = order, W = F * K
        precondition(dy.shape == [B, T, W], "LagWindow.backward: gradient \(dy.shape) for output [\(B), \(T), \(W)]") // invariant: shapes checked by caller
        var dx = Tensor<Scalar>(shape: shape)
        dy.withUnsafeBufferPointer { g in
            dx.withUnsafeMutableBufferPointer { out in
                for b in 0..<B {
                    for t in 0..<T {
                        let dst = (b * T + t) * F
                        for j in 0..<K where t + j < T {
                            let src = (b * T + t + j) * W + j * F
                            for f in 0..<F { out[dst + f] += g[src + f] }
                        }
                    }
                }
            }
        }
        return dx
    }
}
