// Matrix+SVD.swift — singular value decomposition (dgesdd), rank, pseudo-inverse,
// QR (dgeqrf + dorgqr) and least squares (dgelsd).

import CLAPACKE

/// Thin SVD `A = U diag(s) Vᵀ`, `k = min(m, n)`: `U` is `m × k`, `s` descending, `Vt` is `k × n`.
public struct SingularValueDecomposition: Sendable {
    public let u: Matrix
    public let singularValues: [Double]
    public let vt: Matrix
}

/// Thin QR `A = Q R`: `Q` is `m × k` with orthonormal columns, `R` is `k × n` upper triangular, `k = min(m, n)`.
public struct QRDecomposition: Sendable {
    public let q: Matrix
    public let r: Matrix
}

/// Least-squares solution of `A X ≈ B` with the effective rank used.
public struct LeastSquaresSolution: Sendable {
    public let solution: Matrix
    public let rank: Int
    public let singularValues: [Double]
}

extension Matrix {
    /// Thin SVD by divide and conquer (dgesdd).
    public func svd() throws(LinearAlgebraError) -> SingularValueDecomposition {
        try requireFinite("SVD")
        let m = rows, n = cols, k = Swift.min(m, n)
        if k == 0 {
            return SingularValueDecomposition(u: Matrix(rows: m, cols: 0), singularValues: [], vt: Matrix(rows: 0, cols: n))
        }
        var a = elements
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: m * k)
        var vt = [Double](repeating: 0, count: k * n)
        let info = a.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                u.withUnsafeMutableBufferPointer { pu in
                    vt.withUnsafeMutableBufferPointer { pvt in
                        LAPACKE_dgesdd(rowMajor, lapackChar("S"), Int32(m), Int32(n), pa.baseAddress, Int32(n),
                                       ps.baseAddress, pu.baseAddress, Int32(k), pvt.baseAddress, Int32(n))
                    }
                }
            }
        }
        try checkIllegal(info, "dgesdd")
        if info > 0 { throw .notConverged(operation: "SVD", info: info) }
        return SingularValueDecomposition(u: Matrix(rows: m, cols: k, elements: u), singularValues: s,
                                          vt: Matrix(rows: k, cols: n, elements: vt))
    }

    /// Singular values, descending.
    public func singularValues() throws(LinearAlgebraError) -> [Double] {
        try requireFinite("singular values")
        let m = rows, n = cols, k = Swift.min(m, n)
        if k == 0 { return [] }
        var a = elements
        var s = [Double](repeating: 0, count: k)
        // LAPACKE 3.11 checks ldvt ≥ n in row-major even for jobz = 'N' (vt is never touched).
        var dummy = [Double](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                dummy.withUnsafeMutableBufferPointer { pd in
                    LAPACKE_dgesdd(rowMajor, lapackChar("N"), Int32(m), Int32(n), pa.baseAddress, Int32(n),
                                   ps.baseAddress, pd.baseAddress, 1, pd.baseAddress, Int32(n))
                }
            }
        }
        try checkIllegal(info, "dgesdd")
        if info > 0 { throw .notConverged(operation: "singular values", info: info) }
        return s
    }

    /// Numerical rank: singular values above `tolerance`, by default
    /// `max(m, n) · σ_max · ε` (the numpy.linalg.matrix_rank and MATLAB rank default).
    public func rank(tolerance: Double? = nil) throws(LinearAlgebraError) -> Int {
        let s = try singularValues()
        guard let smax = s.first else { return 0 }
        let tol = tolerance ?? Double(Swift.max(rows, cols)) * smax * Double.ulpOfOne
        return s.filter { $0 > tol }.count
    }

    /// 2-norm condition number `σ_max / σ_min` (infinite when singular).
    public func conditionNumber() throws(LinearAlgebraError) -> Double {
        let s = try singularValues()
        guard let smax = s.first, let smin = s.last else { return 0 }
        return smin == 0 ? .infinity : smax / smin
    }

    /// Moore–Penrose pseudo-inverse (singular values below `rcond · σ_max` are treated as zero).
    public func pseudoInverse(rcond: Double = 1e-15) throws(LinearAlgebraError) -> Matrix {
        let d = try svd()
        let smax = d.singularValues.first ?? 0
        var vts = d.vt // row i scaled by 1/s_i
        for (i, s) in d.singularValues.enumerated() {
            let inv = s > rcond * smax ? 1 / s : 0
            for j in 0..<vts.cols { vts[i, j] *= inv }
        }
        return Matrix.product(vts, .transpose, d.u, .transpose)
    }

    /// Thin QR factorisation (dgeqrf + dorgqr).
    public func qr() throws(LinearAlgebraError) -> QRDecomposition {
        try requireFinite("QR")
        let m = rows, n = cols, k = Swift.min(m, n)
        if k == 0 { return QRDecomposition(q: Matrix(rows: m, cols: 0), r: Matrix(rows: 0, cols: n)) }
        var a = elements
        var tau = [Double](repeating: 0, count: k)
        var info = a.withUnsafeMutableBufferPointer { pa in
            tau.withUnsafeMutableBufferPointer { pt in
                LAPACKE_dgeqrf(rowMajor, Int32(m), Int32(n), pa.baseAddress, Int32(n), pt.baseAddress)
            }
        }
        try checkIllegal(info, "dgeqrf")
        var r = Matrix(rows: k, cols: n)
        for i in 0..<k { for j in i..<n { r[i, j] = a[i * n + j] } }
        // Q: the first k columns of the m × n (or m × m) reflector product.
        var q = [Double](repeating: 0, count: m * k)
        for i in 0..<m { for j in 0..<k { q[i * k + j] = a[i * n + j] } }
        info = q.withUnsafeMutableBufferPointer { pq in
            tau.withUnsafeMutableBufferPointer { pt in
                LAPACKE_dorgqr(rowMajor, Int32(m), Int32(k), Int32(k), pq.baseAddress, Int32(k), pt.baseAddress)
            }
        }
        try checkIllegal(info, "dorgqr")
        return QRDecomposition(q: Matrix(rows: m, cols: k, elements: q), r: r)
    }

    /// Minimum-norm least-squares solution of `self · X ≈ B` by SVD (dgelsd).
    /// Singular values below `rcond · σ_max` are treated as zero (`rcond < 0`: machine precision).
    public func leastSquares(_ b: Matrix, rcond: Double = -1) throws(LinearAlgebraError) -> LeastSquaresSolution {
        guard b.rows == rows else { throw .shapeMismatch(operation: "least squares", details: "A is \(rows)×\(cols), B has \(b.rows) rows") }
        try requireFinite("least squares")
        try b.requireFinite("least squares")
        let m = rows, n = cols, nrhs = b.cols
        if m == 0 || n == 0 || nrhs == 0 {
            return LeastSquaresSolution(solution: Matrix(rows: n, cols: nrhs), rank: 0, singularValues: [])
        }
        let ldb = Swift.max(m, n)
        var a = elements
        var bb = [Double](repeating: 0, count: ldb * nrhs)
        for i in 0..<m { for j in 0..<nrhs { bb[i * nrhs + j] = b[i, j] } }
        var s = [Double](repeating: 0, count: Swift.min(m, n))
        var rank: Int32 = 0
        let info = a.withUnsafeMutableBufferPointer { pa in
            bb.withUnsafeMutableBufferPointer { pb in
                s.withUnsafeMutableBufferPointer { ps in
                    LAPACKE_dgelsd(rowMajor, Int32(m), Int32(n), Int32(nrhs), pa.baseAddress, Int32(n),
                                   pb.baseAddress, Int32(nrhs), ps.baseAddress, rcond, &rank)
                }
            }
        }
        try checkIllegal(info, "dgelsd")
        if info > 0 { throw .notConverged(operation: "least squares", info: info) }
        let x = Matrix(rows: n, cols: nrhs, elements: Array(bb[0..<(n * nrhs)]))
        return LeastSquaresSolution(solution: x, rank: Int(rank), singularValues: s)
    }
}
