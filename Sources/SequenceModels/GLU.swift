// GLU.swift — the gated linear unit on the last dimension.
//
// Dauphin et al., "Language Modeling with Gated Convolutional Networks" (2017). Same split as
// PyTorch's `nn.GLU(dim=-1)`: the first half is the value, the second half the gate. S4/S4D
// blocks use it after their output projection.

import LinearAlgebra

/// Input `[a | b]` of width 2n → `y = a ⊙ σ(b)` of width n.
/// Backward: `∂L/∂a = ∂L/∂y ⊙ σ(b)`, `∂L/∂b = ∂L/∂y ⊙ a ⊙ σ(b) (1 − σ(b))`.
///
/// Forward cache: σ(b) (a buffer of the output's size, reused across calls) and a reference to
/// the input for `a`, released by `backward` (one backward per forward). σ runs eight Float
/// lanes at a time (`VectorMath.sigmoid`); `referenceForward` is the scalar libm path.
/// - Complexity: O(count), one pass forward and one backward.
public final class GLU<Scalar: NeuralScalar>: Layer {
    public var mode: LayerMode = .training
    private var input: Tensor<Scalar>?
    private var gate = Tensor<Scalar>(shape: [0])
    private var outputBuffer = Tensor<Scalar>(shape: [0])
    private var gradientBuffer = Tensor<Scalar>(shape: [0])

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
        input = nil
        gate.resize(to: outShape)
        outputBuffer.resize(to: outShape)
        x.withUnsafeBufferPointer { px in
            gate.withUnsafeMutableBufferPointer { ps in
                outputBuffer.withUnsafeMutableBufferPointer { out in
                    guard rows > 0, let src = px.baseAddress, let sig = ps.baseAddress, let dst = out.baseAddress else { return }
                    for r in 0..<rows {
                        // σ(b) into the gate row (SIMD, VectorMath), then y = a ⊙ σ(b); the row
                        // stays in L1 between the two loops.
                        let a = src + r * 2 * n, s = sig + r * n, y = dst + r * n
                        VectorMath.sigmoid(UnsafeBufferPointer(start: a + n, count: n), into: UnsafeMutableBufferPointer(start: s, count: n))
                        for j in 0..<n { y[j] = a[j] * s[j] }
                    }
                }
            }
        }
        input = x
        return outputBuffer
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input else { preconditionFailure("GLU.backward called before forward (or twice after one forward)") } // invariant: forward/backward pairing
        precondition(dy.shape == gate.shape, "GLU.backward: gradient \(dy.shape) for output \(gate.shape)") // invariant: shapes checked by caller
        let n = gate.lastDimension, rows = n == 0 ? 0 : gate.count / n
        gradientBuffer.resize(to: x.shape)
        let w = Scalar.Lanes.scalarCount, full = n - n % w
        x.withUnsafeBufferPointer { px in
            gate.withUnsafeBufferPointer { ps in
                dy.withUnsafeBufferPointer { pg in
                    gradientBuffer.withUnsafeMutableBufferPointer { pdx in
                        guard rows > 0, let src = px.baseAddress, let sig = ps.baseAddress, let up = pg.baseAddress,
                              let dst = pdx.baseAddress else { return }
                        for r in 0..<rows {
                            let a = src + r * 2 * n, s = sig + r * n, g = up + r * n, da = dst + r * 2 * n, db = da + n
                            var j = 0
                            while j < full {
                                let gv = VectorMath.load(g + j), sv = VectorMath.load(s + j)
                                VectorMath.store(gv * sv, da + j)
                                VectorMath.store(gv * VectorMath.load(a + j) * sv * (1 - sv), db + j)
                                j += w
                            }
                            while j < n {
                                da[j] = g[j] * s[j]
                                db[j] = g[j] * a[j] * s[j] * (1 - s[j])
                                j += 1
                            }
                        }
                    }
                }
            }
        }
        input = nil
        return gradientBuffer
    }

    /// The scalar reference: `y = a ⊙ σ(b)` with libm's `exp` one element at a time.
    public static func referenceForward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = x.lastDimension / 2, rows = n == 0 ? 0 : x.count / (2 * n)
        return Tensor(shape: Array(x.shape.dropLast()) + [n]) { out in
            for r in 0..<rows {
                for j in 0..<n { out[r * n + j] = x.scalars[r * 2 * n + j] * ActivationKind.sigmoid(x.scalars[r * 2 * n + n + j]) }
            }
        }
    }
}
