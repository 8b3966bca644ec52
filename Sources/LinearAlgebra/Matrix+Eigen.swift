// Matrix+Eigen.swift — eigenvalues and eigenvectors (dgeev), symmetric eigenproblem (dsyevd).

import CLAPACKE
import Numerics

/// `A V = V diag(values)`: eigenvalues in LAPACK's order (complex pairs adjacent, positive
/// imaginary part first) and unit-2-norm right eigenvectors as the columns of `vectors`.
public struct EigenDecomposition: Sendable {
    public let values: [Complex<Double>]
    public let vectors: ComplexMatrix
}

/// `A = Q diag(values) Qᵀ` for symmetric `A`: ascending eigenvalues, orthonormal columns of `vectors`.
public struct SymmetricEigenDecomposition: Sendable {
    public let values: [Double]
    public let vectors: Matrix
}

extension Matrix {
    /// Eigenvalues of a square matrix (dgeev without vectors).
    public func eigenvalues() throws(LinearAlgebraError) -> [Complex<Double>] {
        try geev(wantVectors: false).values
    }

    /// Eigenvalues and right eigenvectors (dgeev).
    /// - Complexity: O(n³).
    public func eigen() throws(LinearAlgebraError) -> EigenDecomposition {
        try geev(wantVectors: true)
    }

    private func geev(wantVectors: Bool) throws(LinearAlgebraError) -> EigenDecomposition {
        try requireSquare("eig")
        try requireFinite("eig")
        let n = rows
        if n == 0 { return EigenDecomposition(values: [], vectors: ComplexMatrix(rows: 0, cols: 0)) }
        var a = elements
        var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
        var vr = [Double](repeating: 0, count: wantVectors ? n * n : 1)
        var vl = [Double](repeating: 0, count: 1)
        let info = a.withUnsafeMutableBufferPointer { pa in
            wr.withUnsafeMutableBufferPointer { pwr in
                wi.withUnsafeMutableBufferPointer { pwi in
                    vr.withUnsafeMutableBufferPointer { pvr in
                        vl.withUnsafeMutableBufferPointer { pvl in
                            LAPACKE_dgeev(rowMajor, lapackChar("N"), lapackChar(wantVectors ? "V" : "N"), Int32(n),
                                          pa.baseAddress, Int32(n), pwr.baseAddress, pwi.baseAddress,
                                          pvl.baseAddress, 1, pvr.baseAddress, Int32(wantVectors ? n : 1))
                        }
                    }
                }
            }
        }
        try checkIllegal(info, "dgeev")
        if info > 0 { throw .notConverged(operation: "eig", info: info) }
        let values = (0..<n).map { Complex(wr[$0], wi[$0]) }
        var vectors = ComplexMatrix(rows: wantVectors ? n : 0, cols: wantVectors ? n : 0)
        if wantVectors {
            var j = 0
            while j < n {
                if wi[j] == 0 {
                    for i in 0..<n { vectors[i, j] = Complex(vr[i * n + j], 0) }
                    j += 1
                } else {
                    // Pair (j, j+1): v_j = VR[:, j] + i VR[:, j+1], v_{j+1} = conj(v_j).
                    for i in 0..<n {
                        let re = vr[i * n + j], im = vr[i * n + j + 1]
                        vectors[i, j] = Complex(re, im)
                        vectors[i, j + 1] = Complex(re, -im)
                    }
                    j += 2
                }
            }
        }
        return EigenDecomposition(values: values, vectors: vectors)
    }

    /// Eigen-decomposition of a symmetric matrix (dsyevd; only the lower triangle is read).
    public func symmetricEigen() throws(LinearAlgebraError) -> SymmetricEigenDecomposition {
        try requireSquare("symmetric eig")
        try requireFinite("symmetric eig")
        let n = rows
        if n == 0 { return SymmetricEigenDecomposition(values: [], vectors: self) }
        var a = self
        var w = [Double](repeating: 0, count: n)
        let info = a.elements.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyevd(rowMajor, lapackChar("V"), lapackChar("L"), Int32(n), pa.baseAddress, Int32(n), pw.baseAddress)
            }
        }
        try checkIllegal(info, "dsyevd")
        if info > 0 { throw .notConverged(operation: "symmetric eig", info: info) }
        return SymmetricEigenDecomposition(values: w, vectors: a)
    }

    /// Spectral radius `max |λ_i|`.
    public func spectralRadius() throws(LinearAlgebraError) -> Double {
        try eigenvalues().reduce(0) { Swift.max($0, $1.length) }
    }
}
