// LayerNorm.swift — normalisation over the last dimension with a learned gain and shift.
//
// Ba, Kiros & Hinton, "Layer Normalization" (2016). Parameter names and defaults follow
// PyTorch's `nn.LayerNorm` ("weight" = γ = 1, "bias" = β = 0, ε = 1e-5, biased variance).
// The fused row kernels (three passes over a row in L1 forward, two backward, SIMD lanes, no
// temporary tensors) are in LayerNorm+Kernels.swift; LayerNorm+Reference.swift keeps the plain
// two-pass loops they are tested against.

import LinearAlgebra

/// For each row `x` of length n: `μ = mean(x)`, `σ² = mean((x − μ)²)`, `r = 1/√(σ² + ε)`,
/// `x̂ = (x − μ) r`, `y = γ ⊙ x̂ + β`.
///
/// Backward with `g = γ ⊙ ∂L/∂y`: `∂L/∂x = r (g − mean(g) − x̂ mean(g ⊙ x̂))`,
/// `∂L/∂γ += Σ_rows ∂L/∂y ⊙ x̂`, `∂L/∂β += Σ_rows ∂L/∂y`.
///
/// Forward cache: a reference to the input and μ, r per row (x̂ is recomputed in backward rather
/// than stored); the reference is released by `backward` (one backward per forward). Output and
/// gradient buffers are reused across calls (`Tensor.resize(to:)`).
/// - Complexity: O(count) forward and backward; forward reads x twice and writes y once,
///   backward reads x and ∂L/∂y twice and writes ∂L/∂x once.
public final class LayerNorm<Scalar: NeuralScalar>: Layer {
    /// The normalised (last) dimension.
    public let size: Int
    /// ε added to the variance.
    public let epsilon: Double
    /// γ, shape (size), or nil without the element-wise affine map.
    public let weight: Parameter<Scalar>?
    /// β, shape (size), or nil without the element-wise affine map.
    public let bias: Parameter<Scalar>?
    public var mode: LayerMode = .training

    private var input: Tensor<Scalar>?
    private var means: [Scalar] = []
    private var inverseStd: [Scalar] = []
    private var outputBuffer = Tensor<Scalar>(shape: [0])
    private var gradientBuffer = Tensor<Scalar>(shape: [0])
    private var weightSums: [Scalar] = []
    private var biasSums: [Scalar] = []

    public init(size: Int, epsilon: Double = 1e-5, affine: Bool = true) {
        self.size = size
        self.epsilon = epsilon
        weight = affine ? Parameter(Tensor(shape: [size], repeating: 1)) : nil
        bias = affine ? Parameter(Tensor(shape: [size])) : nil
    }

    public var namedParameters: [NamedParameter<Scalar>] {
        guard let weight, let bias else { return [] }
        return [NamedParameter("weight", weight), NamedParameter("bias", bias)]
    }

    public func outputShape(for inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        try requireLastDimension(inputShape, size, "LayerNorm")
        return inputShape
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank >= 1 && x.lastDimension == size, "LayerNorm(\(size)) got input \(x.shape)") // invariant: shapes checked by caller
        let n = size, rows = n == 0 ? 0 : x.count / n
        let eps = Scalar(epsilon)
        input = nil
        outputBuffer.resize(to: x.shape)
        if means.count != rows {
            means = [Scalar](repeating: 0, count: rows)
            inverseStd = means
        }
        let gamma = weight?.value, beta = bias?.value
        x.withUnsafeBufferPointer { px in
            outputBuffer.withUnsafeMutableBufferPointer { out in
                means.withUnsafeMutableBufferPointer { mu in
                    inverseStd.withUnsafeMutableBufferPointer { rs in
                        LayerNormKernels.forward(px, rows: rows, size: n, epsilon: eps, gamma: gamma, beta: beta,
                                                 into: out, means: mu, inverseStd: rs)
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
        guard let x = input else { preconditionFailure("LayerNorm.backward called before forward (or twice after one forward)") } // invariant: forward/backward pairing
        precondition(dy.shape == x.shape, "LayerNorm.backward: gradient \(dy.shape) for input \(x.shape)") // invariant: shapes checked by caller
        let n = size, rows = n == 0 ? 0 : x.count / n
        gradientBuffer.resize(to: x.shape)
        let affine = weight != nil
        if affine {
            if weightSums.count != n { weightSums = [Scalar](repeating: 0, count: n); biasSums = weightSums }
            for j in 0..<n { weightSums[j] = 0; biasSums[j] = 0 }
        }
        let gamma = weight?.value
        x.withUnsafeBufferPointer { px in
            dy.withUnsafeBufferPointer { g in
                gradientBuffer.withUnsafeMutableBufferPointer { dx in
                    means.withUnsafeBufferPointer { mu in
                        inverseStd.withUnsafeBufferPointer { rs in
                            weightSums.withUnsafeMutableBufferPointer { dGamma in
                                biasSums.withUnsafeMutableBufferPointer { dBeta in
                                    LayerNormKernels.backward(px, outputGradient: g, rows: rows, size: n, gamma: gamma,
                                                              means: mu, inverseStd: rs, into: dx,
                                                              weightGradient: dGamma, biasGradient: dBeta)
                                }
                            }
                        }
                    }
                }
            }
        }
        if let weight, let bias {
            weight.gradient.withUnsafeMutableBufferPointer { dst in for j in 0..<n { dst[j] += weightSums[j] } }
            bias.gradient.withUnsafeMutableBufferPointer { dst in for j in 0..<n { dst[j] += biasSums[j] } }
        }
        input = nil
        return gradientBuffer
    }
}
