// ComplexMatrix.swift — dense row-major complex matrix (eigenvectors, frequency responses).
//
// Storage is `[Complex<Double>]`, whose 16-byte layout equals LAPACK's `{double re, im}`
// struct, so the buffers are rebound, not copied, at the C boundary.

import CLAPACKE
import Numerics

/// A dense, row-major matrix of `Complex<Double>` with value semantics.
public struct ComplexMatrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    /// Row-major elements: `(i, j)` at `i * cols + j`.
    public var elements: [Complex<Double>]

    public init(rows: Int, cols: Int, repeating value: Complex<Double> = .zero) {
        precondition(rows >= 0 && cols >= 0, "ComplexMatrix dimensions must be non-negative") // invariant: programmer misuse
        self.rows = rows
        self.cols = cols
        elements = [Complex<Double>](repeating: value, count: rows * cols)
    }

    public init(rows: Int, cols: Int, elements: [Complex<Double>]) {
        precondition(elements.count == rows * cols, "ComplexMatrix needs \(rows * cols) elements") // invariant: programmer misuse
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// The complex matrix with real part `re` and zero imaginary part.
    public init(_ re: Matrix) {
        self.init(rows: re.rows, cols: re.cols, elements: re.elements.map { Complex($0, 0) })
    }

    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, cols: n)
        for i in 0..<n { m.elements[i * n + i] = .one }
        return m
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Complex<Double> {
        get { elements[i * cols + j] }
        set { elements[i * cols + j] = newValue }
    }

    /// Real parts.
    public var real: Matrix { Matrix(rows: rows, cols: cols, elements: elements.map { $0.real }) }
    /// Imaginary parts.
    public var imaginary: Matrix { Matrix(rows: rows, cols: cols, elements: elements.map { $0.imaginary }) }

    /// Column `j`.
    public func column(_ j: Int) -> [Complex<Double>] { (0..<rows).map { elements[$0 * cols + j] } }

    /// Largest element modulus.
    public var maxAbs: Double { elements.reduce(0) { Swift.max($0, $1.length) } }

    public static func + (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "complex matrix +: shapes differ") // invariant: shapes checked by caller
        return ComplexMatrix(rows: a.rows, cols: a.cols, elements: zip(a.elements, b.elements).map { $0 + $1 })
    }

    public static func - (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "complex matrix -: shapes differ") // invariant: shapes checked by caller
        return ComplexMatrix(rows: a.rows, cols: a.cols, elements: zip(a.elements, b.elements).map { $0 - $1 })
    }

    /// Matrix product (zgemm through the LAPACK-compatible layout is not exposed by CBLAS'
    /// typed API here, so this is a plain triple loop: used for small matrices only).
    /// - Complexity: O(a.rows · a.cols · b.cols).
    public static func * (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.cols == b.rows, "complex matrix product: inner dimensions differ") // invariant: shapes checked by caller
        var c = ComplexMatrix(rows: a.rows, cols: b.cols)
        for i in 0..<a.rows {
            for k in 0..<a.cols {
                let aik = a.elements[i * a.cols + k]
                if aik == .zero { continue }
                for j in 0..<b.cols { c.elements[i * b.cols + j] += aik * b.elements[k * b.cols + j] }
            }
        }
        return c
    }

    /// Solves `self · X = B` by LU with partial pivoting (zgesv).
    public func solve(_ b: ComplexMatrix) throws(LinearAlgebraError) -> ComplexMatrix {
        guard rows == cols else { throw .shapeMismatch(operation: "complex solve", details: "expected a square matrix, got \(rows)×\(cols)") }
        guard b.rows == rows else { throw .shapeMismatch(operation: "complex solve", details: "A is \(rows)×\(cols), B has \(b.rows) rows") }
        guard elements.allSatisfy({ $0.isFinite }) else { throw .nonFinite(operation: "complex solve") }
        if rows == 0 || b.cols == 0 { return b }
        var a = elements
        var x = b.elements
        var piv = [Int32](repeating: 0, count: rows)
        let n = Int32(rows), nrhs = Int32(b.cols)
        let info = a.withUnsafeMutableBytes { ra in
            x.withUnsafeMutableBytes { rx in
                piv.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_zgesv(rowMajor, n, nrhs,
                                  ra.baseAddress!.assumingMemoryBound(to: _lapack_complex_double.self), n,
                                  pp.baseAddress,
                                  rx.baseAddress!.assumingMemoryBound(to: _lapack_complex_double.self), nrhs)
                }
            }
        }
        try checkIllegal(info, "zgesv")
        if info > 0 { throw .singular(operation: "complex solve", pivot: Int(info)) }
        return ComplexMatrix(rows: b.rows, cols: b.cols, elements: x)
    }
}
