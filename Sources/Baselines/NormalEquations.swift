// NormalEquations.swift — the pieces of the ridge normal equations, computed without copying
// the design matrix:
//
//     G = X̃ᵀX̃,   R = X̃ᵀỸ,   X̃ = X − 1 μᵀ,  Ỹ = Y − 1 νᵀ   (μ, ν column means; zero without intercept)
//
// Without an intercept G and R are one GEMM each over X itself. With one, the rows are centred
// in chunks of `chunkRows` into a small reused workspace and accumulated (GEMM with β = 1):
// centring first keeps the products well conditioned, unlike G = XᵀX − n μμᵀ, which cancels
// when the means dominate the spread. Plus the Cholesky solve of (G + αI) W = R by forward and
// back substitution on the factor L (G + αI = L Lᵀ).

import LinearAlgebra

enum NormalEquations {
    /// Rows per centred chunk: 256 rows × 64 columns is 128 KiB, inside L2.
    static let chunkRows = 256

    /// Column means of a matrix (zeros for no rows).
    static func columnMeans(_ x: Matrix) -> [Double] {
        var mean = [Double](repeating: 0, count: x.cols)
        guard x.rows > 0 else { return mean }
        x.elements.withUnsafeBufferPointer { px in
            for i in 0..<x.rows {
                let row = i * x.cols
                for j in 0..<x.cols { mean[j] += px[row + j] }
            }
        }
        let inv = 1 / Double(x.rows)
        for j in 0..<x.cols { mean[j] *= inv }
        return mean
    }

    /// `(G, R)` as in the file header; `xMean`/`yMean` nil means no centring.
    /// - Complexity: O(n d (d + q)) flops in BLAS; O(chunkRows · (d + q)) extra memory when centring.
    static func crossProducts(_ x: Matrix, _ y: Matrix, xMean: [Double]?, yMean: [Double]?) -> (gram: Matrix, cross: Matrix) {
        let n = x.rows, d = x.cols, q = y.cols
        guard let xMean, let yMean else {
            return (Matrix.product(x, .transpose, x, .none), Matrix.product(x, .transpose, y, .none))
        }
        var gram = Matrix(rows: d, cols: d)
        var cross = Matrix(rows: d, cols: q)
        guard n > 0, d > 0 else { return (gram, cross) }
        let chunk = Swift.min(chunkRows, n)
        var wx = [Double](repeating: 0, count: chunk * d)
        var wy = [Double](repeating: 0, count: chunk * Swift.max(q, 1))
        x.elements.withUnsafeBufferPointer { px in
            y.elements.withUnsafeBufferPointer { py in
                gram.elements.withUnsafeMutableBufferPointer { pg in
                    cross.elements.withUnsafeMutableBufferPointer { pc in
                        wx.withUnsafeMutableBufferPointer { bx in
                            wy.withUnsafeMutableBufferPointer { by in
                                var r0 = 0
                                while r0 < n {
                                    let len = Swift.min(chunk, n - r0)
                                    for i in 0..<len {
                                        let src = (r0 + i) * d, dst = i * d
                                        for j in 0..<d { bx[dst + j] = px[src + j] - xMean[j] }
                                        let srcY = (r0 + i) * q, dstY = i * q
                                        for j in 0..<q { by[dstY + j] = py[srcY + j] - yMean[j] }
                                    }
                                    Double.gemm(.transpose, .none, m: d, n: d, k: len, alpha: 1, a: bx.baseAddress!, lda: d,
                                                b: bx.baseAddress!, ldb: d, beta: 1, c: pg.baseAddress!, ldc: d)
                                    if q > 0 {
                                        Double.gemm(.transpose, .none, m: d, n: q, k: len, alpha: 1, a: bx.baseAddress!, lda: d,
                                                    b: by.baseAddress!, ldb: q, beta: 1, c: pc.baseAddress!, ldc: q)
                                    }
                                    r0 += len
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gram, cross)
    }

    /// Solves `L Lᵀ W = R` for lower-triangular `L` with a positive diagonal (forward then back
    /// substitution, column by column of R).
    /// - Complexity: O(d² q).
    static func choleskySolve(_ l: Matrix, _ r: Matrix) -> Matrix {
        let d = l.rows, q = r.cols
        precondition(l.cols == d && r.rows == d, "choleskySolve: L is \(l.rows)×\(l.cols), R is \(r.rows)×\(r.cols)") // invariant: built by the caller
        var w = r
        l.elements.withUnsafeBufferPointer { pl in
            w.elements.withUnsafeMutableBufferPointer { pw in
                for c in 0..<q {
                    // L z = r
                    for i in 0..<d {
                        var s = pw[i * q + c]
                        for k in 0..<i { s -= pl[i * d + k] * pw[k * q + c] }
                        pw[i * q + c] = s / pl[i * d + i]
                    }
                    // Lᵀ w = z
                    for i in stride(from: d - 1, through: 0, by: -1) {
                        var s = pw[i * q + c]
                        for k in (i + 1)..<Swift.max(i + 1, d) { s -= pl[k * d + i] * pw[k * q + c] }
                        pw[i * q + c] = s / pl[i * d + i]
                    }
                }
            }
        }
        return w
    }

    /// Solves the upper-triangular system `R x = b` (back substitution) for each column of `b`;
    /// `nil` when a diagonal entry is below `tolerance` in magnitude.
    static func upperSolve(_ r: Matrix, _ b: Matrix, tolerance: Double) -> Matrix? {
        let d = r.rows, q = b.cols
        precondition(r.cols == d && b.rows == d, "upperSolve: shapes") // invariant: built by the caller
        for i in 0..<d where Swift.abs(r[i, i]) <= tolerance { return nil }
        var x = b
        for c in 0..<q {
            for i in stride(from: d - 1, through: 0, by: -1) {
                var s = x[i, c]
                for k in (i + 1)..<Swift.max(i + 1, d) { s -= r[i, k] * x[k, c] }
                x[i, c] = s / r[i, i]
            }
        }
        return x
    }
}
