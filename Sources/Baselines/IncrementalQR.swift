// IncrementalQR.swift — the R factor of a tall matrix whose rows arrive in a stream.
//
// For A = [A₁; A₂; …] (rows in chunks), R of A equals R of [R(A₁); A₂; …]: after every chunk
// the stack [R; chunk] is refactored and only its R kept (Demmel, Grigori, Hoemmen & Langou,
// "Communication-optimal parallel and sequential QR and LU factorizations", SIAM J. Sci.
// Comput. 2012, the sequential TSQR). Memory is O((c + chunk) · c) for c columns, however many
// rows there are, so Hankel matrices and regressors never need to be materialised. R is unique
// up to the signs of its rows, which no user of it here depends on.
// - Complexity: O(rows · c²) flops (about twice a one-shot Householder QR, since every flush
//   also forms the chunk's Q factor in LinearAlgebra's `qr`).

import LinearAlgebra

struct IncrementalQR {
    let cols: Int
    /// Rows per flush.
    let chunk: Int
    /// Rows 0..<rRows hold the current R, rows rRows..<rRows + pending the rows not yet folded in.
    private var buffer: [Double]
    private var rRows = 0
    private var pending = 0
    /// Rows appended in total.
    private(set) var rowCount = 0

    init(cols: Int, chunk: Int? = nil) {
        self.cols = cols
        self.chunk = chunk ?? Swift.max(4 * cols, 512)
        buffer = [Double](repeating: 0, count: (cols + self.chunk) * Swift.max(cols, 1))
    }

    /// Appends one row, written by `fill` into a zeroed buffer of `cols` entries.
    mutating func appendRow(_ fill: (UnsafeMutablePointer<Double>) -> Void) throws(BaselineError) {
        let start = (rRows + pending) * cols
        buffer.withUnsafeMutableBufferPointer { b in
            let row = b.baseAddress! + start
            row.update(repeating: 0, count: cols)
            fill(row)
        }
        pending += 1
        rowCount += 1
        if pending == chunk { try flush() }
    }

    /// Folds the pending rows into R.
    private mutating func flush() throws(BaselineError) {
        guard pending > 0 else { return }
        let rows = rRows + pending
        let stack = Matrix(rows: rows, cols: cols, elements: Array(buffer[0..<(rows * cols)]))
        guard stack.isFinite else { throw .singular("QR of the data matrix: the rows contain NaN or infinity (an unstable recursion?)") }
        let r = try la { () throws(LinearAlgebraError) in try stack.qr().r }
        for i in 0..<(r.rows * cols) { buffer[i] = r.elements[i] }
        rRows = r.rows
        pending = 0
    }

    /// The `cols × cols` upper-triangular R (rows beyond the rank of a short stream are zero).
    mutating func finish() throws(BaselineError) -> Matrix {
        try flush()
        var r = Matrix(rows: cols, cols: cols)
        for i in 0..<(rRows * cols) { r.elements[i] = buffer[i] }
        return r
    }
}
