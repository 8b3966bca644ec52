// Matrix+Solve.swift — LU-based solves, inverse, determinant, condition estimate, Cholesky.
//
// LAPACK: dgesv, dgetrf, dgetri, dgecon, dpotrf, dpotrs.

import CLAPACKE

/// An LU factorisation `P A = L U` (LAPACK dgetrf), reusable for several right-hand sides.
public struct LUFactorization: Sendable {
    /// Packed L (unit lower, below the diagonal) and U (on and above), row-major.
    public let packed: Matrix
    /// 1-based pivot indices as LAPACK returns them.
    public let pivots: [Int32]

    /// Solves `A X = B`.
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        let n = packed.rows
        guard b.rows == n else { throw .shapeMismatch(operation: "LU solve", details: "A is \(n)×\(n), B has \(b.rows) rows") }
        if n == 0 || b.cols == 0 { return b }
        var x = b
        let nrhs = b.cols
        let info = packed.elements.withUnsafeBufferPointer { pa in
            pivots.withUnsafeBufferPointer { pp in
                x.elements.withUnsafeMutableBufferPointer { px in
                    LAPACKE_dgetrs(rowMajor, lapackChar("N"), Int32(n), Int32(nrhs), pa.baseAddress, Int32(n),
                                   pp.baseAddress, px.baseAddress, Int32(nrhs))
                }
            }
        }
        try checkIllegal(info, "dgetrs")
        return x
    }

    /// The determinant of the factorised matrix.
    public var determinant: Double {
        var d = 1.0
        for i in 0..<packed.rows {
            d *= packed[i, i]
            if pivots[i] != Int32(i + 1) { d = -d }
        }
        return d
    }
}

extension Matrix {
    /// LU factorisation with partial pivoting.
    /// - Throws: `.singular` when a pivot is exactly zero, `.nonFinite` on NaN/Inf input.
    public func lu() throws(LinearAlgebraError) -> LUFactorization {
        try requireSquare("LU")
        try requireFinite("LU")
        var a = self
        let n = rows
        var piv = [Int32](repeating: 0, count: n)
        if n > 0 {
            let info = a.elements.withUnsafeMutableBufferPointer { pa in
                piv.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_dgetrf(rowMajor, Int32(n), Int32(n), pa.baseAddress, Int32(n), pp.baseAddress)
                }
            }
            try checkIllegal(info, "dgetrf")
            if info > 0 { throw .singular(operation: "LU", pivot: Int(info)) }
        }
        return LUFactorization(packed: a, pivots: piv)
    }

    /// Solves `self · X = B` by LU with partial pivoting (dgesv).
    /// - Complexity: O(n³ + n² · B.cols).
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        try requireSquare("solve")
        guard b.rows == rows else { throw .shapeMismatch(operation: "solve", details: "A is \(rows)×\(cols), B is \(b.rows)×\(b.cols)") }
        try requireFinite("solve")
        try b.requireFinite("solve")
        if rows == 0 || b.cols == 0 { return b }
        var a = self
        var x = b
        var piv = [Int32](repeating: 0, count: rows)
        let n = Int32(rows), nrhs = Int32(b.cols)
        let info = a.elements.withUnsafeMutableBufferPointer { pa in
            x.elements.withUnsafeMutableBufferPointer { px in
                piv.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_dgesv(rowMajor, n, nrhs, pa.baseAddress, n, pp.baseAddress, px.baseAddress, nrhs)
                }
            }
        }
        try checkIllegal(info, "dgesv")
        if info > 0 { throw .singular(operation: "solve", pivot: Int(info)) }
        return x
    }

    /// Solves `self · x = b` for a vector.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try solve(Matrix.column(b)).elements
    }

    /// Solves `X · self = B` (right division, `B / A` in MATLAB).
    public func solveRight(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        try transposed.solve(b.transposed).transposed
    }

    /// The inverse (dgetrf + dgetri).
    /// - Throws: `.singular` for a singular matrix.
    public func inverse() throws(LinearAlgebraError) -> Matrix {
        let f = try lu()
        var a = f.packed
        let n = rows
        if n == 0 { return a }
        let info = a.elements.withUnsafeMutableBufferPointer { pa in
            f.pivots.withUnsafeBufferPointer { pp in
                LAPACKE_dgetri(rowMajor, Int32(n), pa.baseAddress, Int32(n), pp.baseAddress)
            }
        }
        try checkIllegal(info, "dgetri")
        if info > 0 { throw .singular(operation: "inverse", pivot: Int(info)) }
        return a
    }

    /// The determinant (via LU; zero for an exactly singular matrix).
    public func determinant() throws(LinearAlgebraError) -> Double {
        do throws(LinearAlgebraError) {
            return try lu().determinant
        } catch {
            if case .singular = error { return 0 }
            throw error
        }
    }

    /// Estimate of the reciprocal condition number in the 1-norm (dgecon); 0 when singular.
    public func reciprocalCondition() throws(LinearAlgebraError) -> Double {
        try requireSquare("rcond")
        if rows == 0 { return 1 }
        let anorm = norm1
        let f: LUFactorization
        do throws(LinearAlgebraError) { f = try lu() } catch {
            if case .singular = error { return 0 }
            throw error
        }
        var rcond = 0.0
        let info = f.packed.elements.withUnsafeBufferPointer { pa in
            LAPACKE_dgecon(rowMajor, lapackChar("1"), Int32(rows), pa.baseAddress, Int32(rows), anorm, &rcond)
        }
        try checkIllegal(info, "dgecon")
        return rcond
    }

    /// Cholesky factor `L` (lower triangular, `A = L Lᵀ`) of a symmetric positive definite matrix.
    public func cholesky() throws(LinearAlgebraError) -> Matrix {
        try requireSquare("Cholesky")
        try requireFinite("Cholesky")
        var a = self
        let n = rows
        if n == 0 { return a }
        let info = a.elements.withUnsafeMutableBufferPointer { pa in
            LAPACKE_dpotrf(rowMajor, lapackChar("L"), Int32(n), pa.baseAddress, Int32(n))
        }
        try checkIllegal(info, "dpotrf")
        if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
        for i in 0..<n { for j in (i + 1)..<Swift.max(i + 1, n) { a[i, j] = 0 } }
        return a
    }

    /// Solves `self · X = B` for symmetric positive definite `self` (dposv).
    public func solveSPD(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        try requireSquare("SPD solve")
        guard b.rows == rows else { throw .shapeMismatch(operation: "SPD solve", details: "A is \(rows)×\(cols), B is \(b.rows)×\(b.cols)") }
        try requireFinite("SPD solve")
        if rows == 0 || b.cols == 0 { return b }
        var a = self
        var x = b
        let n = Int32(rows), nrhs = Int32(b.cols)
        let info = a.elements.withUnsafeMutableBufferPointer { pa in
            x.elements.withUnsafeMutableBufferPointer { px in
                LAPACKE_dposv(rowMajor, lapackChar("L"), n, nrhs, pa.baseAddress, n, px.baseAddress, nrhs)
            }
        }
        try checkIllegal(info, "dposv")
        if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
        return x
    }
}
