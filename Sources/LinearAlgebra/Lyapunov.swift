// Lyapunov.swift — continuous and discrete Lyapunov equations in the control convention.
//
//   continuous:  A X + X Aᵀ + Q = 0      (python-control `lyap(A, Q)`; scipy's
//                                          solve_continuous_lyapunov(A, -Q))
//   discrete:    A X Aᵀ − X + Q = 0      (python-control `dlyap(A, Q)`; scipy's
//                                          solve_discrete_lyapunov(A, Q))
//
// Continuous: Bartels–Stewart (via `solveSylvester`). Discrete: the bilinear map
// M = (A + I)⁻¹(A − I), Q' = 2 (A + I)⁻¹ Q (Aᵀ + I)⁻¹ turns it into M X + X Mᵀ + Q' = 0 (the
// same reduction scipy uses for n > 10); when A has an eigenvalue near −1 that map is
// ill-conditioned and a Kronecker solve (I − A ⊗ A) vec X = vec Q is used for n ≤ 64.

extension Matrix {
    /// Solves `A X + X Aᵀ + Q = 0` for `X` (symmetric when `Q` is).
    /// - Throws: `.noUniqueSolution` when λ_i(A) + λ_j(A) ≈ 0 for some i, j.
    public static func lyapunovContinuous(_ a: Matrix, _ q: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard a.isSquare, q.rows == a.rows, q.cols == a.rows else {
            throw .shapeMismatch(operation: "continuous Lyapunov", details: "A \(a.rows)×\(a.cols), Q \(q.rows)×\(q.cols)")
        }
        let x = try solveSylvester(a, a.transposed, -q)
        return q == q.transposed ? x.symmetrized : x
    }

    /// Solves `A X Aᵀ − X + Q = 0` for `X` (symmetric when `Q` is).
    /// - Throws: `.noUniqueSolution` when λ_i(A) λ_j(A) ≈ 1 for some i, j.
    public static func lyapunovDiscrete(_ a: Matrix, _ q: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard a.isSquare, q.rows == a.rows, q.cols == a.rows else {
            throw .shapeMismatch(operation: "discrete Lyapunov", details: "A \(a.rows)×\(a.cols), Q \(q.rows)×\(q.cols)")
        }
        let n = a.rows
        if n == 0 { return q }
        let symmetric = q == q.transposed
        let ai = a + Matrix.identity(n)
        if try ai.reciprocalCondition() > 1e-8 {
            let lu = try ai.lu()
            let m = try lu.solve(a - Matrix.identity(n))           // (A + I)⁻¹ (A − I)
            let left = try lu.solve(q)                               // (A + I)⁻¹ Q
            let qp = 2 * (try ai.solveRight(left, transposedOf: true)) // · (Aᵀ + I)⁻¹
            let x = try lyapunovContinuous(m, qp)
            return symmetric ? x.symmetrized : x
        }
        guard n <= 64 else { throw .noUniqueSolution(operation: "discrete Lyapunov (A has an eigenvalue near −1)") }
        // (I − A ⊗ A) vec(X) = vec(Q) with row-major vec: vec(A X Aᵀ) = (A ⊗ A) vec(X).
        var k = Matrix.identity(n * n)
        for i in 0..<n { for j in 0..<n {
            let aij = a[i, j]
            if aij == 0 { continue }
            for p in 0..<n { for r in 0..<n { k[i * n + p, j * n + r] -= aij * a[p, r] } }
        } }
        let v: Matrix
        do throws(LinearAlgebraError) { v = try k.solve(Matrix.column(q.elements)) } catch {
            if case .singular = error { throw .noUniqueSolution(operation: "discrete Lyapunov") }
            throw error
        }
        let x = Matrix(rows: n, cols: n, elements: v.elements)
        return symmetric ? x.symmetrized : x
    }

    /// Solves `X · (selfᵀ if transposedOf else self) = B`.
    func solveRight(_ b: Matrix, transposedOf: Bool) throws(LinearAlgebraError) -> Matrix {
        // X Mᵀ = B  ⇔  M Xᵀ = Bᵀ.
        transposedOf ? try solve(b.transposed).transposed : try solveRight(b)
    }

    /// `(self + selfᵀ) / 2`.
    public var symmetrized: Matrix { 0.5 * (self + transposed) }
}
