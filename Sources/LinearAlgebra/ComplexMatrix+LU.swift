// ComplexMatrix+LU.swift — complex LU factorisation (zgetrf) with a condition estimate
// (zgecon) and solves (zgetrs), for callers that need both V⁻¹B and cond(V) from one
// factorisation (the modal form of a state-space system).

import CLAPACKE
import Numerics

/// `P A = L U` of a complex square matrix.
public struct ComplexLUFactorization: Sendable {
    let packed: [Complex<Double>]
    let pivots: [Int32]
    public let order: Int
    /// 1-norm of the factorised matrix (for the condition estimate).
    let norm1: Double

    /// Solves `A X = B`.
    public func solve(_ b: ComplexMatrix) throws(LinearAlgebraError) -> ComplexMatrix {
        guard b.rows == order else { throw .shapeMismatch(operation: "complex LU solve", details: "A is \(order)×\(order), B has \(b.rows) rows") }
        if order == 0 || b.cols == 0 { return b }
        var x = b.elements
        var a = packed
        let info = a.withUnsafeMutableBytes { ra in
            x.withUnsafeMutableBytes { rx in
                pivots.withUnsafeBufferPointer { pp in
                    LAPACKE_zgetrs(rowMajor, lapackChar("N"), Int32(order), Int32(b.cols),
                                   ra.baseAddress!.assumingMemoryBound(to: _lapack_complex_double.self), Int32(order), pp.baseAddress,
                                   rx.baseAddress!.assumingMemoryBound(to: _lapack_complex_double.self), Int32(b.cols))
                }
            }
        }
        try checkIllegal(info, "zgetrs")
        return ComplexMatrix(rows: b.rows, cols: b.cols, elements: x)
    }

    /// Estimate of 1 / cond₁(A) (zgecon); within a small factor of the true value.
    public func reciprocalCondition() throws(LinearAlgebraError) -> Double {
        if order == 0 { return 1 }
        var a = packed
        var rcond = 0.0
        let info = a.withUnsafeMutableBytes { ra in
            LAPACKE_zgecon(rowMajor, lapackChar("1"), Int32(order),
                           ra.baseAddress!.assumingMemoryBound(to: _lapack_complex_double.self), Int32(order), norm1, &rcond)
        }
        try checkIllegal(info, "zgecon")
        return rcond
    }
}

extension ComplexMatrix {
    /// LU factorisation with partial pivoting.
    /// - Throws: `.singular` for an exactly singular matrix, `.nonFinite` on NaN/Inf.
    public func lu() throws(LinearAlgebraError) -> ComplexLUFactorization {
        guard rows == cols else { throw .shapeMismatch(operation: "complex LU", details: "expected a square matrix, got \(rows)×\(cols)") }
        guard elements.allSatisfy({ $0.isFinite }) else { throw .nonFinite(operation: "complex LU") }
        var norm = 0.0
        for j in 0..<cols {
            var s = 0.0
            for i in 0..<rows { s += elements[i * cols + j].length }
            norm = Swift.max(norm, s)
        }
        var a = elements
        var piv = [Int32](repeating: 0, count: rows)
        if rows > 0 {
            let info = a.withUnsafeMutableBytes { ra in
                piv.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_zgetrf(rowMajor, Int32(rows), Int32(rows),
                                   ra.baseAddress!.assumingMemoryBound(to: _lapack_complex_double.self), Int32(rows), pp.baseAddress)
                }
            }
            try checkIllegal(info, "zgetrf")
            if info > 0 { throw .singular(operation: "complex LU", pivot: Int(info)) }
        }
        return ComplexLUFactorization(packed: a, pivots: piv, order: rows, norm1: norm)
    }
}
