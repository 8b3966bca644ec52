// Tensor+RowBroadcast.swift — allocation and bias broadcasts that stay fast when called from
// unspecialised generic layer code: zero fill by memset (an unspecialised `[Scalar](repeating:
// 0, count:)` copies element by element through a value witness, measured at 7% of an
// attention step) and bias broadcasts by BLAS (rank-1 update and gemv). Candidates for the
// core (Tensor+Arithmetic.swift has loop versions).

import LinearAlgebra

extension Tensor {
    /// A tensor of zeros (IEEE 754 zero is the all-zero bit pattern, so this is a memset).
    static func zeroFilled(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape) { buffer in
            UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// `self[r, :] += v` for every row r of the (…, n) tensor (`ger` with a ones vector).
    /// - Complexity: O(count).
    mutating func addToEveryRow(_ v: Tensor) {
        let n = lastDimension, rows = n == 0 ? 0 : count / n
        precondition(v.count == n, "addToEveryRow: vector of \(v.count) for rows of \(n)") // invariant: shapes checked by caller
        guard rows > 0 else { return }
        let ones = [Scalar](repeating: 1, count: rows)
        ones.withUnsafeBufferPointer { po in
            v.withUnsafeBufferPointer { pv in
                withUnsafeMutableBufferPointer { pa in
                    Scalar.ger(m: rows, n: n, alpha: 1, x: po.baseAddress!, incx: 1, y: pv.baseAddress!, incy: 1,
                               a: pa.baseAddress!, lda: n)
                }
            }
        }
    }

    /// `out[j] += Σ_r self[r, j]` over every row of the (…, n) tensor (`gemv` with a ones vector).
    /// - Complexity: O(count).
    func accumulateColumnSums(into out: inout Tensor) {
        let n = lastDimension, rows = n == 0 ? 0 : count / n
        precondition(out.count == n, "accumulateColumnSums: output of \(out.count) for rows of \(n)") // invariant: shapes checked by caller
        guard rows > 0 else { return }
        let ones = [Scalar](repeating: 1, count: rows)
        ones.withUnsafeBufferPointer { po in
            withUnsafeBufferPointer { pa in
                out.withUnsafeMutableBufferPointer { py in
                    Scalar.gemv(.transpose, m: rows, n: n, alpha: 1, a: pa.baseAddress!, lda: n,
                                x: po.baseAddress!, incx: 1, beta: 1, y: py.baseAddress!, incy: 1)
                }
            }
        }
    }
}
