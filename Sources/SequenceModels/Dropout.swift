// Dropout.swift — inverted dropout with its own seeded generator.
//
// Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting" (2014).
// Inverted form (as PyTorch): in training each element is kept with probability 1 − p and
// scaled by 1 / (1 − p), so inference is the identity and needs no rescaling.

import LinearAlgebra

/// `y = m ⊙ x / (1 − p)` with `m[i] ~ Bernoulli(1 − p)` in training; `y = x` in inference.
/// Backward: `∂L/∂x = m ⊙ ∂L/∂y / (1 − p)` with the mask of the last forward.
public final class Dropout<Scalar: NeuralScalar>: Layer {
    /// The drop probability `p` in [0, 1).
    public let rate: Double
    public var mode: LayerMode = .training
    /// The generator the masks come from; one uniform per element per training forward, in
    /// row-major order. Settable so a test can replay a mask.
    public var generator: SplitMix64
    /// Forward cache: the scaled mask `m / (1 − p)` (a buffer reused across calls), valid when
    /// `masked` (false when the last forward was the identity).
    private var scaledMask = Tensor<Scalar>(shape: [0])
    private var masked = false
    private var inputShape: [Int]?
    private var outputBuffer = Tensor<Scalar>(shape: [0])
    private var gradientBuffer = Tensor<Scalar>(shape: [0])

    public init(rate: Double, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "Dropout rate \(rate) must be in [0, 1)") // invariant: programmer misuse (configs are validated)
        self.rate = rate
        self.generator = SplitMix64(seed: seed)
    }

    public var namedParameters: [NamedParameter<Scalar>] { [] }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] { inputShape }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        inputShape = x.shape
        guard mode == .training && rate > 0 else {
            masked = false
            return x
        }
        let keep = 1 - rate
        let scale = Scalar(1 / keep)
        var rng = generator
        scaledMask.resize(to: x.shape)
        outputBuffer.resize(to: x.shape)
        x.withUnsafeBufferPointer { px in
            scaledMask.withUnsafeMutableBufferPointer { m in
                outputBuffer.withUnsafeMutableBufferPointer { y in
                    for i in 0..<m.count {
                        let factor: Scalar = rng.nextUnit() < keep ? scale : 0
                        m[i] = factor
                        y[i] = px[i] * factor
                    }
                }
            }
        }
        generator = rng
        masked = true
        return outputBuffer
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let shape = inputShape else { preconditionFailure("Dropout.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == shape, "Dropout.backward: gradient \(dy.shape) for input \(shape)") // invariant: shapes checked by caller
        guard masked else { return dy }
        gradientBuffer.resize(to: shape)
        dy.withUnsafeBufferPointer { g in
            scaledMask.withUnsafeBufferPointer { m in
                gradientBuffer.withUnsafeMutableBufferPointer { dx in
                    for i in 0..<dx.count { dx[i] = g[i] * m[i] }
                }
            }
        }
        return gradientBuffer
    }
}
