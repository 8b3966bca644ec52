// Stabilization.swift — making an identified discrete model stable for simulation.
//
// Identification from noisy or weakly exciting data can return a model with a pole just
// outside the unit circle, whose free-run simulation then diverges. As MATLAB's n4sid does for
// its simulation focus, each unstable pole λ is reflected to 1/λ̄ = λ/|λ|² (the same phase,
// modulus 1/|λ|; a pole on the circle is pulled to modulus 1 − margin), keeping the
// eigenvectors: A' = V Λ' V⁻¹ (real, since reflection preserves conjugate pairs).

import LinearAlgebra
import Numerics

extension DiscreteLTI {
    /// The system with every pole of modulus ≥ 1 reflected inside the unit circle, and how many
    /// poles were moved (0: `self` unchanged).
    /// - Throws: `.unsupported` when A is unstable and defective (no eigenvector basis to
    ///   reflect in).
    public func stabilized(margin: Double = 1e-3) throws(StateSpaceError) -> (system: DiscreteLTI, reflected: Int) {
        let e = try la { try a.eigen() }
        let moved = e.values.filter { $0.length >= 1 }.count
        guard moved > 0 else { return (self, 0) }
        let n = stateCount
        do throws(LinearAlgebraError) { _ = try e.vectors.lu() } catch {
            throw .unsupported("cannot stabilise: A is unstable and defective")
        }
        var scaled = e.vectors                                    // V Λ'
        for (j, lam) in e.values.enumerated() {
            let r = lam.length
            let target = r >= 1 ? (r > 1 ? lam * Complex(1 / (r * r), 0) : lam * Complex(1 - margin, 0)) : lam
            for i in 0..<n { scaled[i, j] = scaled[i, j] * target }
        }
        // A' V = V Λ'  ⇔  Vᵀ A'ᵀ = (V Λ')ᵀ: one complex solve.
        let vt = ComplexMatrix(rows: n, cols: n, elements: (0..<n).flatMap { i in (0..<n).map { j in e.vectors[j, i] } })
        let rhs = ComplexMatrix(rows: n, cols: n, elements: (0..<n).flatMap { i in (0..<n).map { j in scaled[j, i] } })
        let xt = try la { try vt.solve(rhs) }
        var a2 = Matrix(rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { a2[i, j] = xt[j, i].real } }
        return (try DiscreteLTI(a: a2, b: b, c: c, d: d, dt: dt, labels: labels), moved)
    }
}
