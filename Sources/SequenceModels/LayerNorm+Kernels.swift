// LayerNorm+Kernels.swift — the fused row kernels of LayerNorm on raw buffers.
//
// Per row of n elements, with W SIMD lanes (`Scalar.Lanes`) over the row and the last n mod W
// elements in scalar code:
//   forward   pass 1: μ = Σx / n;  pass 2: σ² = Σ(x − μ)² / n (two passes: no cancellation);
//             pass 3: y = ((x − μ) r) γ + β, r = 1/√(σ² + ε).
//   backward  pass 1: x̂ = (x − μ) r, g = γ ∂y, Σg, Σ g x̂, and the column sums ∂γ += ∂y x̂,
//             ∂β += ∂y;  pass 2: ∂x = r (g − Σg/n − x̂ Σgx̂/n).
// A row of the lab's widths (32 … 256) stays in L1 between passes, so each tensor is streamed
// from memory once. Sums run in W interleaved partial sums (a different rounding order from
// the reference's sequential sum; the tests compare within Float rounding).

import LinearAlgebra

enum LayerNormKernels {
    /// Row-wise forward into `out`, recording μ and r per row.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func forward<S: NeuralScalar>(_ x: UnsafeBufferPointer<S>, rows: Int, size n: Int, epsilon: S,
                                         gamma: Tensor<S>?, beta: Tensor<S>?, into out: UnsafeMutableBufferPointer<S>,
                                         means: UnsafeMutableBufferPointer<S>, inverseStd: UnsafeMutableBufferPointer<S>) {
        guard rows > 0, n > 0, let src = x.baseAddress, let dst = out.baseAddress else { return }
        let w = S.Lanes.scalarCount, full = n - n % w
        let inverseN = 1 / S(n)
        withAffine(gamma, beta, n) { pg, pb in
            for r in 0..<rows {
                let row = src + r * n, y = dst + r * n
                var acc = S.Lanes()
                var j = 0
                while j < full { acc += VectorMath.load(row + j); j += w }
                var total = acc.sum()
                while j < n { total += row[j]; j += 1 }
                let mean = total * inverseN
                let meanLanes = S.Lanes(repeating: mean)
                var squares = S.Lanes()
                j = 0
                while j < full { let d = VectorMath.load(row + j) - meanLanes; squares += d * d; j += w }
                var variance = squares.sum()
                while j < n { let d = row[j] - mean; variance += d * d; j += 1 }
                let inv = 1 / (variance * inverseN + epsilon).squareRoot()
                means[r] = mean
                inverseStd[r] = inv
                normalizeRow(row, width: n, mean: mean, inverseStd: inv, gamma: pg, beta: pb, into: y)
            }
        }
    }

    /// Pass 3 of the forward on one row: `y = ((x − μ) r) γ + β` (or `(x − μ) r` without the
    /// affine map). Shared by `forward` and by kernels that replay a forward from cached μ and r
    /// (SSM/FusedKernels.swift), so both produce the same bits.
    /// - Complexity: O(n).
    @inline(__always)
    static func normalizeRow<S: NeuralScalar>(_ row: UnsafePointer<S>, width n: Int, mean: S, inverseStd inv: S,
                                              gamma pg: UnsafePointer<S>?, beta pb: UnsafePointer<S>?,
                                              into y: UnsafeMutablePointer<S>) {
        let w = S.Lanes.scalarCount, full = n - n % w
        let meanLanes = S.Lanes(repeating: mean), invLanes = S.Lanes(repeating: inv)
        var j = 0
        if let pg, let pb {
            while j < full {
                let xhat = (VectorMath.load(row + j) - meanLanes) * invLanes
                VectorMath.store(xhat * VectorMath.load(pg + j) + VectorMath.load(pb + j), y + j)
                j += w
            }
            while j < n { y[j] = (row[j] - mean) * inv * pg[j] + pb[j]; j += 1 }
        } else {
            while j < full { VectorMath.store((VectorMath.load(row + j) - meanLanes) * invLanes, y + j); j += w }
            while j < n { y[j] = (row[j] - mean) * inv; j += 1 }
        }
    }

    /// Row-wise backward into `dx`; the column sums ∂γ and ∂β are *accumulated* into
    /// `weightGradient` and `biasGradient` (left untouched without the affine map).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func backward<S: NeuralScalar>(_ x: UnsafeBufferPointer<S>, outputGradient dy: UnsafeBufferPointer<S>,
                                          rows: Int, size n: Int, gamma: Tensor<S>?,
                                          means: UnsafeBufferPointer<S>, inverseStd: UnsafeBufferPointer<S>,
                                          into dx: UnsafeMutableBufferPointer<S>,
                                          weightGradient: UnsafeMutableBufferPointer<S>, biasGradient: UnsafeMutableBufferPointer<S>) {
        guard rows > 0, n > 0, let src = x.baseAddress, let grad = dy.baseAddress, let dst = dx.baseAddress else { return }
        let w = S.Lanes.scalarCount, full = n - n % w
        let inverseN = 1 / S(n)
        withAffine(gamma, nil, n) { pg, _ in
            let dGamma = weightGradient.baseAddress, dBeta = biasGradient.baseAddress
            for r in 0..<rows {
                let row = src + r * n, gy = grad + r * n, out = dst + r * n
                let mean = means[r], inv = inverseStd[r]
                let meanLanes = S.Lanes(repeating: mean), invLanes = S.Lanes(repeating: inv)
                var sumG = S.Lanes(), sumGH = S.Lanes()
                var tailG: S = 0, tailGH: S = 0
                var j = 0
                if let pg, let dGamma, let dBeta {
                    while j < full {
                        let xhat = (VectorMath.load(row + j) - meanLanes) * invLanes
                        let upstream = VectorMath.load(gy + j)
                        let g = upstream * VectorMath.load(pg + j)
                        sumG += g
                        sumGH += g * xhat
                        VectorMath.store(VectorMath.load(dGamma + j) + upstream * xhat, dGamma + j)
                        VectorMath.store(VectorMath.load(dBeta + j) + upstream, dBeta + j)
                        j += w
                    }
                    while j < n {
                        let xhat = (row[j] - mean) * inv
                        let g = gy[j] * pg[j]
                        tailG += g
                        tailGH += g * xhat
                        dGamma[j] += gy[j] * xhat
                        dBeta[j] += gy[j]
                        j += 1
                    }
                } else {
                    while j < full {
                        let g = VectorMath.load(gy + j)
                        sumG += g
                        sumGH += g * ((VectorMath.load(row + j) - meanLanes) * invLanes)
                        j += w
                    }
                    while j < n { tailG += gy[j]; tailGH += gy[j] * ((row[j] - mean) * inv); j += 1 }
                }
                let meanG = (sumG.sum() + tailG) * inverseN, meanGH = (sumGH.sum() + tailGH) * inverseN
                let meanGLanes = S.Lanes(repeating: meanG), meanGHLanes = S.Lanes(repeating: meanGH)
                j = 0
                while j < full {
                    let xhat = (VectorMath.load(row + j) - meanLanes) * invLanes
                    var g = VectorMath.load(gy + j)
                    if let pg { g = g * VectorMath.load(pg + j) }
                    VectorMath.store(invLanes * (g - meanGLanes - xhat * meanGHLanes), out + j)
                    j += w
                }
                while j < n {
                    let xhat = (row[j] - mean) * inv
                    let g = pg.map { gy[j] * $0[j] } ?? gy[j]
                    out[j] = inv * (g - meanG - xhat * meanGH)
                    j += 1
                }
            }
        }
    }

    /// Calls `body` with γ's and β's storage (nil when absent), each of length n.
    @inline(__always)
    static func withAffine<S: NeuralScalar>(_ gamma: Tensor<S>?, _ beta: Tensor<S>?, _ n: Int,
                                            _ body: (UnsafePointer<S>?, UnsafePointer<S>?) -> Void) {
        guard let gamma else { return body(nil, nil) }
        gamma.withUnsafeBufferPointer { pg in
            guard let beta else { return body(pg.baseAddress, nil) }
            beta.withUnsafeBufferPointer { pb in body(pg.baseAddress, pb.baseAddress) }
        }
    }
}
