// DenseLTILayer+Kernel.swift — reverse mode through the kernel of a discrete LTI system.
//
// The kernel h[0] = D, h[k] = C A^(k−1) B (k = 1 ..< L) is the power recursion
//     X_0 = B,   X_j = A X_(j−1),   h[j+1] = C X_j          (j = 0 ..< L−1; X_j = A^j B is n × m)
// Given G_k = ∂ℓ/∂h[k] (p × m), reverse mode runs the recursion backwards with the adjoints
// Λ_j = ∂ℓ/∂X_j (n × m):
//     Λ_(L−2) = Cᵀ G_(L−1),     Λ_j = Cᵀ G_(j+1) + Aᵀ Λ_(j+1)
// and collects
//     ∂ℓ/∂D = G_0,   ∂ℓ/∂C = Σ_j G_(j+1) X_jᵀ,   ∂ℓ/∂B = Λ_0,   ∂ℓ/∂A = Σ_(j≥1) Λ_j X_(j−1)ᵀ.
// (Unrolled: ∂ℓ/∂A = Σ_k Σ_(i=0)^(k−2) (C A^i)ᵀ G_k (A^(k−2−i) B)ᵀ — `reference` sums this
// directly.) Storing all X_j and Λ_j side by side as n × (L−1)m matrices turns the three sums
// into single GEMMs; only the two recursions are step by step.
// - Complexity: 2·L·n²·m flops in the recursions (n×n by n×m GEMMs), 2·L·m·n·(2n + 2p) in the
//   collecting GEMMs; memory 2·L·n·m doubles.

import LinearAlgebra

/// Gradients of ℓ with respect to (A, B, C, D) given ∂ℓ/∂h for the kernel of a discrete system.
public enum LTIKernelAdjoint {
    /// The fast path (file header). `kernelGradient` has StateSpace's kernel layout (L, p, m).
    public static func gradients(a: Matrix, b: Matrix, c: Matrix, kernelGradient g: [Double], length L: Int)
        -> (a: Matrix, b: Matrix, c: Matrix, d: Matrix) {
        let n = a.rows, m = b.cols, p = c.rows, pm = p * m
        precondition(a.cols == n && b.rows == n && c.cols == n && g.count == L * pm && L >= 1, "LTIKernelAdjoint: shapes A \(a.rows)×\(a.cols), B \(b.rows)×\(b.cols), C \(c.rows)×\(c.cols), \(g.count) gradient taps for L \(L)") // invariant: programmer misuse
        var gA = Matrix(rows: n, cols: n), gB = Matrix(rows: n, cols: m), gC = Matrix(rows: p, cols: n)
        let gD = Matrix(rows: p, cols: m, elements: Array(g[0..<pm]))
        guard L >= 2, n > 0, m > 0 else { return (gA, gB, gC, gD) }
        let w = (L - 1) * m
        var x = [Double](repeating: 0, count: n * w)        // [X_0 … X_(L−2)]      (n × W)
        var gcat = [Double](repeating: 0, count: p * w)     // [G_1 … G_(L−1)]      (p × W)
        var lam = [Double](repeating: 0, count: n * w)      // [Λ_0 … Λ_(L−2)]      (n × W)
        for r in 0..<n { for i in 0..<m { x[r * w + i] = b[r, i] } }
        for k in 1..<L { for o in 0..<p { for i in 0..<m { gcat[o * w + (k - 1) * m + i] = g[k * pm + o * m + i] } } }
        a.elements.withUnsafeBufferPointer { pa in
            c.elements.withUnsafeBufferPointer { pc in
                x.withUnsafeMutableBufferPointer { px in
                    gcat.withUnsafeBufferPointer { pg in
                        lam.withUnsafeMutableBufferPointer { pl in
                            let A = pa.baseAddress!, C = pc.baseAddress!, X = px.baseAddress!, G = pg.baseAddress!, Lam = pl.baseAddress!
                            // X_j = A X_(j−1)
                            for j in 1..<(L - 1) {
                                Double.gemm(.none, .none, m: n, n: m, k: n, alpha: 1, a: A, lda: n, b: X + (j - 1) * m, ldb: w,
                                            beta: 0, c: X + j * m, ldc: w)
                            }
                            // Λ = Cᵀ [G_1 …] then Λ_j += Aᵀ Λ_(j+1), backwards.
                            Double.gemm(.transpose, .none, m: n, n: w, k: p, alpha: 1, a: C, lda: n, b: G, ldb: w, beta: 0, c: Lam, ldc: w)
                            if L >= 3 {
                                for j in stride(from: L - 3, through: 0, by: -1) {
                                    Double.gemm(.transpose, .none, m: n, n: m, k: n, alpha: 1, a: A, lda: n, b: Lam + (j + 1) * m, ldb: w,
                                                beta: 1, c: Lam + j * m, ldc: w)
                                }
                            }
                            gC.elements.withUnsafeMutableBufferPointer { out in     // Σ_j G_(j+1) X_jᵀ
                                Double.gemm(.none, .transpose, m: p, n: n, k: w, alpha: 1, a: G, lda: w, b: X, ldb: w, beta: 0,
                                            c: out.baseAddress!, ldc: n)
                            }
                            if L >= 3 {
                                gA.elements.withUnsafeMutableBufferPointer { out in  // Σ_(j≥1) Λ_j X_(j−1)ᵀ
                                    Double.gemm(.none, .transpose, m: n, n: n, k: (L - 2) * m, alpha: 1, a: Lam + m, lda: w, b: X, ldb: w,
                                                beta: 0, c: out.baseAddress!, ldc: n)
                                }
                            }
                        }
                    }
                }
            }
        }
        for r in 0..<n { for i in 0..<m { gB[r, i] = lam[r * w + i] } }
        return (gA, gB, gC, gD)
    }

    /// The unrolled sums of the file header with explicit matrix powers (no recursion reuse):
    /// O(L² n³) — for tests only.
    public static func reference(a: Matrix, b: Matrix, c: Matrix, kernelGradient g: [Double], length L: Int)
        -> (a: Matrix, b: Matrix, c: Matrix, d: Matrix) {
        let n = a.rows, m = b.cols, p = c.rows, pm = p * m
        var gA = Matrix(rows: n, cols: n), gB = Matrix(rows: n, cols: m), gC = Matrix(rows: p, cols: n)
        let gD = Matrix(rows: p, cols: m, elements: Array(g[0..<pm]))
        for k in 1..<Swift.max(1, L) {
            let gk = Matrix(rows: p, cols: m, elements: Array(g[(k * pm)..<((k + 1) * pm)]))
            let power = a.power(k - 1)                                   // A^(k−1)
            gC += gk * (power * b).transposed                             // ∂/∂C tr(Gᵀ C A^(k−1) B)
            gB += (c * power).transposed * gk                             // ∂/∂B
            if k >= 2 {
                for i in 0...(k - 2) {                                    // A^(k−1) = A^i · A · A^(k−2−i)
                    gA += (c * a.power(i)).transposed * gk * (a.power(k - 2 - i) * b).transposed
                }
            }
        }
        return (gA, gB, gC, gD)
    }
}

extension DenseLTILayer {
    /// Adds ∂ℓ/∂(A, B, C, D) for `gh = ∂ℓ/∂h` (L, p, m) to the parameter gradients.
    func accumulateKernelGradients(_ gh: [Double], length L: Int) {
        guard L > 0 else { return }   // an empty sequence has no kernel taps to differentiate
        let n = configuration.stateSize, m = configuration.inputSize, p = configuration.outputSize
        func matrix(_ t: Tensor<Scalar>, _ r: Int, _ c: Int) -> Matrix { Matrix(rows: r, cols: c, elements: t.scalars.map { Double($0) }) }
        let grads = LTIKernelAdjoint.gradients(a: matrix(a.value, n, n), b: matrix(b.value, n, m), c: matrix(c.value, p, n),
                                               kernelGradient: gh, length: L)
        for (param, g) in [(a, grads.a), (b, grads.b), (c, grads.c), (d, grads.d)] {
            param.gradient.withUnsafeMutableBufferPointer { dst in
                for i in 0..<g.elements.count { dst[i] += Scalar(g.elements[i]) }
            }
        }
    }
}
