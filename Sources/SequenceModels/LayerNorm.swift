// LayerNorm.swift — normalisation over the last dimension with a learned gain and shift.
//
// Ba, Kiros & Hinton, "Layer Normalization" (2016). Parameter names and defaults follow
// PyTorch's `nn.LayerNorm` ("weight" = γ = 1, "bias" = β = 0, ε = 1e-5, biased variance).

import LinearAlgebra

/// For each row `x` of length n: `μ = mean(x)`, `σ² = mean((x − μ)²)`, `r = 1/√(σ² + ε)`,
/// `x̂ = (x − μ) r`, `y = γ ⊙ x̂ + β`.
///
/// Backward with `g = γ ⊙ ∂L/∂y`: `∂L/∂x = r (g − mean(g) − x̂ mean(g ⊙ x̂))`,
/// `∂L/∂γ += Σ_rows ∂L/∂y ⊙ x̂`, `∂L/∂β += Σ_rows ∂L/∂y`.
/// - Complexity: O(count) forward and backward.
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

    /// Forward cache: x̂ and r per row.
    private var normalized: Tensor<Scalar>?
    private var inverseStd: [Scalar] = []

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
        var rstd = [Scalar](repeating: 0, count: rows)
        let xhat = Tensor<Scalar>(shape: x.shape) { out in
            x.withUnsafeBufferPointer { px in
                for r in 0..<rows {
                    let base = r * n
                    var mean: Scalar = 0
                    for j in 0..<n { mean += px[base + j] }
                    mean /= Scalar(n)
                    var variance: Scalar = 0
                    for j in 0..<n { let d = px[base + j] - mean; variance += d * d }
                    variance /= Scalar(n)
                    let inv = 1 / (variance + eps).squareRoot()
                    rstd[r] = inv
                    for j in 0..<n { out[base + j] = (px[base + j] - mean) * inv }
                }
            }
        }
        normalized = xhat
        inverseStd = rstd
        guard let weight, let bias else { return xhat }
        var y = xhat.multiplying(lastAxis: weight.value)
        y.add(lastAxis: bias.value)
        return y
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let xhat = normalized else { preconditionFailure("LayerNorm.backward called before forward") } // invariant: forward/backward pairing
        precondition(dy.shape == xhat.shape, "LayerNorm.backward: gradient \(dy.shape) for input \(xhat.shape)") // invariant: shapes checked by caller
        let n = size, rows = n == 0 ? 0 : xhat.count / n
        let rstd = inverseStd
        if let weight, let bias {
            (dy * xhat).accumulateSumOverLeadingAxes(into: &weight.gradient)
            dy.accumulateSumOverLeadingAxes(into: &bias.gradient)
        }
        let g = weight.map { dy.multiplying(lastAxis: $0.value) } ?? dy
        return Tensor(shape: xhat.shape) { dx in
            g.withUnsafeBufferPointer { pg in
                xhat.withUnsafeBufferPointer { ph in
                    for r in 0..<rows {
                        let base = r * n
                        var meanG: Scalar = 0, meanGH: Scalar = 0
                        for j in 0..<n { meanG += pg[base + j]; meanGH += pg[base + j] * ph[base + j] }
                        meanG /= Scalar(n)
                        meanGH /= Scalar(n)
                        for j in 0..<n { dx[base + j] = rstd[r] * (pg[base + j] - meanG - ph[base + j] * meanGH) }
                    }
                }
            }
        }
    }
}
