// Matrix+Arithmetic.swift — element-wise arithmetic, BLAS-backed products, slicing, norms.
//
// Shape mismatches between operands are programmer errors here (`precondition`): user data
// reaches these operators only after a constructor has validated its shape.

extension Matrix {
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "matrix +: \(a.rows)×\(a.cols) vs \(b.rows)×\(b.cols)") // invariant: shapes checked by caller
        var r = a
        for i in r.elements.indices { r.elements[i] += b.elements[i] }
        return r
    }

    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "matrix -: \(a.rows)×\(a.cols) vs \(b.rows)×\(b.cols)") // invariant: shapes checked by caller
        var r = a
        for i in r.elements.indices { r.elements[i] -= b.elements[i] }
        return r
    }

    public static prefix func - (a: Matrix) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, elements: a.elements.map { -$0 })
    }

    public static func * (s: Double, a: Matrix) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, elements: a.elements.map { s * $0 })
    }

    public static func * (a: Matrix, s: Double) -> Matrix { s * a }

    public static func / (a: Matrix, s: Double) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, elements: a.elements.map { $0 / s })
    }

    public static func += (a: inout Matrix, b: Matrix) { a = a + b }
    public static func -= (a: inout Matrix, b: Matrix) { a = a - b }

    /// Matrix product `a · b` (BLAS dgemm).
    /// - Complexity: O(a.rows · a.cols · b.cols).
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "matrix product: \(a.rows)×\(a.cols) · \(b.rows)×\(b.cols)") // invariant: shapes checked by caller
        return Matrix.product(a, .none, b, .none)
    }

    /// `op(a) · op(b)` with optional transposition of either operand, without forming the transpose.
    public static func product(_ a: Matrix, _ ta: Transpose, _ b: Matrix, _ tb: Transpose) -> Matrix {
        let m = ta == .none ? a.rows : a.cols
        let k = ta == .none ? a.cols : a.rows
        let kb = tb == .none ? b.rows : b.cols
        let n = tb == .none ? b.cols : b.rows
        precondition(k == kb, "matrix product: inner dimensions \(k) and \(kb) differ") // invariant: shapes checked by caller
        var c = Matrix(rows: m, cols: n)
        if m == 0 || n == 0 { return c }
        if k == 0 { return c }
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    Double.gemm(ta, tb, m: m, n: n, k: k, alpha: 1,
                                a: pa.baseAddress!, lda: Swift.max(1, a.cols),
                                b: pb.baseAddress!, ldb: Swift.max(1, b.cols),
                                beta: 0, c: pc.baseAddress!, ldc: Swift.max(1, n))
                }
            }
        }
        return c
    }

    /// Matrix–vector product `a · x` (BLAS dgemv).
    public static func * (a: Matrix, x: [Double]) -> [Double] {
        precondition(a.cols == x.count, "matrix-vector product: \(a.rows)×\(a.cols) · \(x.count)") // invariant: shapes checked by caller
        var y = [Double](repeating: 0, count: a.rows)
        if a.rows == 0 || a.cols == 0 { return y }
        a.elements.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    Double.gemv(.none, m: a.rows, n: a.cols, alpha: 1, a: pa.baseAddress!, lda: a.cols,
                                x: px.baseAddress!, incx: 1, beta: 0, y: py.baseAddress!, incy: 1)
                }
            }
        }
        return y
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows {
            for j in 0..<cols { t.elements[j * rows + i] = elements[i * cols + j] }
        }
        return t
    }

    /// The sum of the diagonal.
    public var trace: Double { diagonalElements.reduce(0, +) }

    /// `self` raised to a non-negative integer power by repeated squaring.
    /// - Complexity: O(n³ log p).
    public func power(_ p: Int) -> Matrix {
        precondition(isSquare && p >= 0, "power needs a square matrix and p ≥ 0") // invariant: programmer misuse
        var result = Matrix.identity(rows)
        var base = self
        var e = p
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            e >>= 1
            if e > 0 { base = base * base }
        }
        return result
    }

    // MARK: Slicing and assembly

    /// The block of rows `r` and columns `c`.
    public func submatrix(rows r: Range<Int>, cols c: Range<Int>) -> Matrix {
        precondition(r.lowerBound >= 0 && r.upperBound <= rows && c.lowerBound >= 0 && c.upperBound <= cols, "submatrix out of range") // invariant: programmer misuse
        var out = Matrix(rows: r.count, cols: c.count)
        for (oi, i) in r.enumerated() {
            for (oj, j) in c.enumerated() { out.elements[oi * c.count + oj] = elements[i * cols + j] }
        }
        return out
    }

    /// Writes `block` into `self` with its top-left corner at `(row, col)`.
    public mutating func setBlock(_ block: Matrix, at row: Int, _ col: Int) {
        precondition(row + block.rows <= rows && col + block.cols <= cols, "block does not fit") // invariant: programmer misuse
        for i in 0..<block.rows {
            for j in 0..<block.cols { elements[(row + i) * cols + col + j] = block.elements[i * block.cols + j] }
        }
    }

    /// Horizontal concatenation `[a b …]`.
    public static func hcat(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, cols: 0) }
        precondition(parts.allSatisfy { $0.rows == first.rows }, "hcat: row counts differ") // invariant: programmer misuse
        var out = Matrix(rows: first.rows, cols: parts.reduce(0) { $0 + $1.cols })
        var c = 0
        for p in parts { out.setBlock(p, at: 0, c); c += p.cols }
        return out
    }

    /// Vertical concatenation `[a; b; …]`.
    public static func vcat(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, cols: 0) }
        precondition(parts.allSatisfy { $0.cols == first.cols }, "vcat: column counts differ") // invariant: programmer misuse
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, cols: first.cols, elements: parts.flatMap { $0.elements })
    }

    // MARK: Norms

    /// Frobenius norm.
    public var frobeniusNorm: Double {
        guard !elements.isEmpty else { return 0 }
        return elements.withUnsafeBufferPointer { Double.nrm2(n: $0.count, x: $0.baseAddress!, incx: 1) }
    }

    /// Induced 1-norm (largest column sum of absolute values).
    public var norm1: Double {
        var best = 0.0
        for j in 0..<cols {
            var s = 0.0
            for i in 0..<rows { s += Swift.abs(elements[i * cols + j]) }
            best = Swift.max(best, s)
        }
        return best
    }

    /// Induced ∞-norm (largest row sum of absolute values).
    public var normInf: Double {
        var best = 0.0
        for i in 0..<rows {
            var s = 0.0
            for j in 0..<cols { s += Swift.abs(elements[i * cols + j]) }
            best = Swift.max(best, s)
        }
        return best
    }

    /// Largest absolute element.
    public var maxAbs: Double { elements.reduce(0) { Swift.max($0, Swift.abs($1)) } }
}
