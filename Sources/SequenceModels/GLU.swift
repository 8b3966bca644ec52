// GLU.swift — the gated linear unit on the last dimension.
//
// Dauphin et al., "Language Modeling with Gated Convolutional Networks" (2017). Same split as
// PyTorch's `nn.GLU(dim=-1)`: the first half is the value, the second half the gate. S4/S4D
// blocks use it after their output projection.

import LinearAlgebra

/// Input `[a | b]` of width 2n → `y = a ⊙ σ(b)` of width n.
/// Backward: `∂L/∂a = ∂L/∂y ⊙ σ(b)`, `∂L/∂b = ∂L/∂y ⊙ a ⊙ σ(b) (1 − σ(b))`.
/// - Complexity: O(count).
public final class GLU<Scalar: NeuralScalar>: Layer {
    public var mode: LayerMode = .training
    private var input: Tensor<Scalar>?
    private var gate: Tensor<Scalar>?

    public init() {}

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        guard let last = inputShape.last, last % 2 == 0 else {
            throw .invalidConfiguration(name: "GLU input", reason: "last dimension of \(inputShape) must be even")
        }
        return Array(inputShape.dropLast()) + [last / 2]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank >= 1 && x.lastDimension % 2 == 0, "GLU needs an even last dimension, got \(x.shape)") // invariant: shapes checked by caller
        let n = x.lastDimension / 2, rows = n == 0 ? 0 : x.count / (2 * n)
        let outShape = Array(x.shape.dropLast()) + [n]
        var sig = Tensor<Scalar>(shape: outShape)
        let y = Tensor<Scalar>(shape: outShape) { out in
            x.withUnsafeBufferPointer { px in
                sig.withUnsafeMutableBufferPointer { ps in
                    for r in 0..<rows {
                        for j in 0..<n {
                            let s = ActivationKind.sigmoid(px[r * 2 * n + n + j])
                            ps[r * n + j] = s
                            out[r * n + j] = px[r * 2 * n + j] * s
                        }
                    }
                }
            }
        }
        input = x
        gate = sig
        return y
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input, let sig = gate else { preconditionFailure("GLU.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == sig.shape, "GLU.backward: gradient \(dy.shape) for output \(sig.shape)") // invariant: shapes checked by caller
        let n = sig.lastDimension, rows = n == 0 ? 0 : sig.count / n
        return Tensor(shape: x.shape) { dx in
            x.withUnsafeBufferPointer { px in
                sig.withUnsafeBufferPointer { ps in
                    dy.withUnsafeBufferPointer { g in
                        for r in 0..<rows {
                            for j in 0..<n {
                                let s = ps[r * n + j], gy = g[r * n + j]
                                dx[r * 2 * n + j] = gy * s
                                dx[r * 2 * n + n + j] = gy * px[r * 2 * n + j] * s * (1 - s)
                            }
                        }
                    }
                }
            }
        }
    }
}
