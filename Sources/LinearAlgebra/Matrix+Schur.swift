// Matrix+Schur.swift — real Schur decomposition (dgees) and the Sylvester equation (dtrsyl).
//
// Bartels & Stewart, "Solution of the matrix equation AX + XB = C" (CACM 1972): reduce both
// coefficients to real Schur form, solve the quasi-triangular system, transform back.

import CLAPACKE
import Numerics

/// Real Schur form `A = Z T Zᵀ`: `T` quasi-upper-triangular (1×1 and 2×2 diagonal blocks),
/// `Z` orthogonal, and the eigenvalues read off `T`'s diagonal blocks.
public struct SchurDecomposition: Sendable {
    public let t: Matrix
    public let z: Matrix
    public let eigenvalues: [Complex<Double>]
}

extension Matrix {
    /// Real Schur decomposition (dgees, no ordering).
    public func schur() throws(LinearAlgebraError) -> SchurDecomposition {
        try requireSquare("Schur")
        try requireFinite("Schur")
        let n = rows
        if n == 0 { return SchurDecomposition(t: self, z: self, eigenvalues: []) }
        var a = elements
        var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
        var vs = [Double](repeating: 0, count: n * n)
        var sdim: Int32 = 0
        let info = a.withUnsafeMutableBufferPointer { pa in
            wr.withUnsafeMutableBufferPointer { pwr in
                wi.withUnsafeMutableBufferPointer { pwi in
                    vs.withUnsafeMutableBufferPointer { pvs in
                        LAPACKE_dgees(rowMajor, lapackChar("V"), lapackChar("N"), nil, Int32(n), pa.baseAddress, Int32(n),
                                      &sdim, pwr.baseAddress, pwi.baseAddress, pvs.baseAddress, Int32(n))
                    }
                }
            }
        }
        try checkIllegal(info, "dgees")
        if info > 0 { throw .notConverged(operation: "Schur", info: info) }
        return SchurDecomposition(t: Matrix(rows: n, cols: n, elements: a), z: Matrix(rows: n, cols: n, elements: vs),
                                  eigenvalues: (0..<n).map { Complex(wr[$0], wi[$0]) })
    }
}

/// Solves the Sylvester equation `A X + X B = C` (Bartels–Stewart with LAPACK dtrsyl).
/// `A` is `m × m`, `B` is `n × n`, `C` is `m × n`.
/// - Throws: `.noUniqueSolution` when `A` and `−B` have (nearly) common eigenvalues.
/// - Complexity: O(m³ + n³ + m n (m + n)).
public func solveSylvester(_ a: Matrix, _ b: Matrix, _ c: Matrix) throws(LinearAlgebraError) -> Matrix {
    guard a.isSquare, b.isSquare, c.rows == a.rows, c.cols == b.rows else {
        throw .shapeMismatch(operation: "Sylvester", details: "A \(a.rows)×\(a.cols), B \(b.rows)×\(b.cols), C \(c.rows)×\(c.cols)")
    }
    if c.isEmpty { return c }
    let sa = try a.schur(), sb = try b.schur()
    // T_A Y + Y T_B = Z_Aᵀ C Z_B, X = Z_A Y Z_Bᵀ.
    var f = Matrix.product(Matrix.product(sa.z, .transpose, c, .none), .none, sb.z, .none)
    let m = a.rows, n = b.rows
    var scale = 1.0
    let info = sa.t.elements.withUnsafeBufferPointer { pa in
        sb.t.elements.withUnsafeBufferPointer { pb in
            f.elements.withUnsafeMutableBufferPointer { pf in
                LAPACKE_dtrsyl(rowMajor, lapackChar("N"), lapackChar("N"), 1, Int32(m), Int32(n),
                               pa.baseAddress, Int32(m), pb.baseAddress, Int32(n), pf.baseAddress, Int32(n), &scale)
            }
        }
    }
    try checkIllegal(info, "dtrsyl")
    if info > 0 { throw .noUniqueSolution(operation: "Sylvester") }
    let y = f / scale
    return Matrix.product(sa.z * y, .none, sb.z, .transpose)
}
