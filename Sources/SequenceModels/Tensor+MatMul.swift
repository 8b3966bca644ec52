// Tensor+MatMul.swift — BLAS-backed (batched) matrix products on contiguous tensors.
//
// A tensor of shape (…, r, c) is a stack of row-major r × c matrices. Products take
// transposition flags that go straight to gemm (`Transpose.transpose` means "use the
// transpose"), so no transpose is ever materialised. The fast path beside the reference:
//  • b of rank 2 (a shared weight) and a not transposed: all of a's leading dimensions fold
//    into the row count of ONE gemm, (B·T, k) · (k, n) — the Linear-layer case;
//  • otherwise: one gemm per batch entry on pointer offsets into the contiguous buffers.
// `matmulReference` is the plain triple loop the tests compare against.

import LinearAlgebra

extension Tensor {
    /// The (rows, cols) of `op(x)` for the trailing matrix of `x`.
    @inline(__always)
    static func opShape(_ x: Tensor, _ t: Transpose) -> (rows: Int, cols: Int) {
        let r = x.shape[x.rank - 2], c = x.shape[x.rank - 1]
        return t == .none ? (r, c) : (c, r)
    }

    /// The shape of `op(a) · op(b)`; batch dimensions come from whichever operand has them.
    public static func matmulShape(_ a: Tensor, _ ta: Transpose, _ b: Tensor, _ tb: Transpose) -> [Int] {
        precondition(a.rank >= 2 && b.rank >= 2, "matmul needs rank ≥ 2 operands, got \(a.shape) and \(b.shape)") // invariant: programmer misuse
        let (m, k) = opShape(a, ta)
        let (kb, n) = opShape(b, tb)
        precondition(k == kb, "matmul: inner dimensions \(k) (\(a.shape)) and \(kb) (\(b.shape)) differ") // invariant: shapes checked by caller
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        precondition(batchA.isEmpty || batchB.isEmpty || batchA == batchB, "matmul: batch dimensions \(batchA) and \(batchB) differ") // invariant: shapes checked by caller
        return (batchA.isEmpty ? batchB : batchA) + [m, n]
    }

    /// `a · b`, batched over leading dimensions (see the file header for the rules).
    public static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor { matmul(a, .none, b, .none) }

    /// `op(a) · op(b)`, batched over leading dimensions (see the file header for the rules).
    /// - Complexity: O(batch · m · n · k) flops in gemm.
    public static func matmul(_ a: Tensor, _ ta: Transpose, _ b: Tensor, _ tb: Transpose) -> Tensor {
        let shape = matmulShape(a, ta, b, tb)
        // gemm with beta = 0 never reads C (BLAS specification), so the storage needs no zero fill;
        // an empty inner dimension (k = 0) is the one case gemm is skipped, so fill that.
        let k = opShape(a, ta).cols
        var c = k == 0 ? Tensor(shape: shape) : Tensor(shape: shape) { _ in }
        matmul(a, ta, b, tb, into: &c, beta: 0)
        return c
    }

    /// `c = alpha · op(a) · op(b) + beta · c` into an existing tensor of the product's shape;
    /// `beta = 1` accumulates (weight gradients), `beta = 0` overwrites (no allocation).
    /// - Complexity: O(batch · m · n · k) flops in gemm.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func matmul(_ a: Tensor, _ ta: Transpose, _ b: Tensor, _ tb: Transpose,
                              into c: inout Tensor, alpha: Scalar = 1, beta: Scalar = 0) {
        let outShape = matmulShape(a, ta, b, tb)
        precondition(c.shape == outShape, "matmul into: output shape \(c.shape), product shape \(outShape)") // invariant: shapes checked by caller
        let (m, k) = opShape(a, ta)
        let n = outShape[outShape.count - 1]
        let lda = Swift.max(1, a.lastDimension), ldb = Swift.max(1, b.lastDimension), ldc = Swift.max(1, n)
        let batch = outShape.dropLast(2).reduce(1, *)
        if m == 0 || n == 0 || batch == 0 { return }
        let strideA = a.rank > 2 ? m * k : 0
        let strideB = b.rank > 2 ? k * n : 0
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    let baseA = pa.baseAddress!, baseB = pb.baseAddress!, baseC = pc.baseAddress!
                    if strideB == 0 && ta == .none {
                        // (…, m, k) rows are contiguous: one gemm with batch·m rows.
                        Scalar.gemm(.none, tb, m: batch * m, n: n, k: k, alpha: alpha, a: baseA, lda: lda,
                                    b: baseB, ldb: ldb, beta: beta, c: baseC, ldc: ldc)
                        return
                    }
                    for i in 0..<batch {
                        Scalar.gemm(ta, tb, m: m, n: n, k: k, alpha: alpha,
                                    a: baseA + i * strideA, lda: lda, b: baseB + i * strideB, ldb: ldb,
                                    beta: beta, c: baseC + i * m * n, ldc: ldc)
                    }
                }
            }
        }
    }

    /// The plain triple-loop reference for `matmul` (same shapes and flags), accumulating in
    /// the operands' precision. Used by the tests; not for production paths.
    /// - Complexity: O(batch · m · n · k).
    public static func matmulReference(_ a: Tensor, _ b: Tensor) -> Tensor { matmulReference(a, .none, b, .none) }

    /// The triple-loop reference for `matmul(a, ta, b, tb)`.
    public static func matmulReference(_ a: Tensor, _ ta: Transpose, _ b: Tensor, _ tb: Transpose) -> Tensor {
        let outShape = matmulShape(a, ta, b, tb)
        let (m, k) = opShape(a, ta)
        let n = outShape[outShape.count - 1]
        let batch = outShape.dropLast(2).reduce(1, *)
        let colsA = a.lastDimension, colsB = b.lastDimension
        let strideA = a.rank > 2 ? m * k : 0, strideB = b.rank > 2 ? k * n : 0
        var c = Tensor(shape: outShape)
        for bi in 0..<batch {
            for i in 0..<m {
                for j in 0..<n {
                    var s: Scalar = 0
                    for p in 0..<k {
                        let ia: Int = ta == .none ? i * colsA + p : p * colsA + i
                        let ib: Int = tb == .none ? p * colsB + j : j * colsB + p
                        let x: Scalar = a.scalars[bi * strideA + ia]
                        let y: Scalar = b.scalars[bi * strideB + ib]
                        s += x * y
                    }
                    c.scalars[bi * m * n + i * n + j] = s
                }
            }
        }
        return c
    }
}
