// LayerNorm+Reference.swift — the plain path of LayerNorm: sequential sums, x̂ materialised,
// the affine map and the gradient sums as separate tensor operations. The fused kernels of
// LayerNorm+Kernels.swift are tested against it; nothing on a hot path calls it.

import LinearAlgebra

extension LayerNorm {
    /// `y = γ ⊙ (x − μ) r + β` row by row (see the type's doc comment), with the layer's γ, β, ε.
    public func referenceForward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        referenceNormalize(x).output
    }

    /// `∂L/∂x` for upstream `dy` at input `x`, and `(∂L/∂γ, ∂L/∂β)` (not accumulated into the
    /// parameters; nil without the affine map).
    public func referenceBackward(_ x: Tensor<Scalar>, _ dy: Tensor<Scalar>)
        -> (input: Tensor<Scalar>, weight: Tensor<Scalar>?, bias: Tensor<Scalar>?) {
        let (_, xhat, rstd) = referenceNormalize(x)
        let n = size, rows = n == 0 ? 0 : x.count / n
        var gradients: (Tensor<Scalar>, Tensor<Scalar>)? = nil
        if weight != nil { gradients = ((dy * xhat).sumOverLeadingAxes(), dy.sumOverLeadingAxes()) }
        let g = weight.map { dy.multiplying(lastAxis: $0.value) } ?? dy
        let dx = Tensor<Scalar>(shape: x.shape) { dx in
            for r in 0..<rows {
                let base = r * n
                var meanG: Scalar = 0, meanGH: Scalar = 0
                for j in 0..<n { meanG += g.scalars[base + j]; meanGH += g.scalars[base + j] * xhat.scalars[base + j] }
                meanG /= Scalar(n)
                meanGH /= Scalar(n)
                for j in 0..<n { dx[base + j] = rstd[r] * (g.scalars[base + j] - meanG - xhat.scalars[base + j] * meanGH) }
            }
        }
        return (dx, gradients?.0, gradients?.1)
    }

    private func referenceNormalize(_ x: Tensor<Scalar>) -> (output: Tensor<Scalar>, xhat: Tensor<Scalar>, rstd: [Scalar]) {
        let n = size, rows = n == 0 ? 0 : x.count / n
        let eps = Scalar(epsilon)
        var rstd = [Scalar](repeating: 0, count: rows)
        let xhat = Tensor<Scalar>(shape: x.shape) { out in
            for r in 0..<rows {
                let base = r * n
                var mean: Scalar = 0
                for j in 0..<n { mean += x.scalars[base + j] }
                mean /= Scalar(n)
                var variance: Scalar = 0
                for j in 0..<n { let d = x.scalars[base + j] - mean; variance += d * d }
                variance /= Scalar(n)
                let inv = 1 / (variance + eps).squareRoot()
                rstd[r] = inv
                for j in 0..<n { out[base + j] = (x.scalars[base + j] - mean) * inv }
            }
        }
        guard let weight, let bias else { return (xhat, xhat, rstd) }
        var y = xhat.multiplying(lastAxis: weight.value)
        y.add(lastAxis: bias.value)
        return (y, xhat, rstd)
    }
}
