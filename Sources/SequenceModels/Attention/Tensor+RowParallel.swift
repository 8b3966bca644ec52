// Tensor+RowParallel.swift — the attention projections cut into row blocks that can run on the
// Dispatch workers.
//
// With OpenBLAS at one thread (the lab's test and training setting, and the attention benchmark's)
// a single projection gemm uses one core while the attention core uses all of them; at T = 256 the
// projections were the larger part of a step. Cutting the N = B·T rows into a fixed number of
// blocks makes them parallel work items. The cut depends only on N, never on the thread count,
// and weight gradients (which sum over rows) add the block partials in block order, so results do
// not depend on whether the blocks run concurrently. With OpenBLAS multithreaded the blocks run
// one after another and each gemm uses OpenBLAS's threads.

import LinearAlgebra

/// Row blocks of a projection with N rows: at most 8, at least 256 rows each.
struct RowBlocks {
    let rows: Int
    var count: Int { Swift.max(1, Swift.min(8, rows / 256)) }
    func range(_ i: Int) -> Range<Int> { (rows * i / count)..<(rows * (i + 1) / count) }
}

/// One block of `C = A · op(B)` or of the partial `P_i = A_iᵀ B_i`.
private struct RowBlockProducts: @unchecked Sendable {   // blocks write disjoint rows / partials
    let blocks: RowBlocks
    let a: UnsafeRawPointer, b: UnsafeRawPointer, c: UnsafeMutableRawPointer
    let aCols: Int, bCols: Int, tb: Transpose, outCols: Int

    /// Rows r of C = A rows r · op(B), A (N, aCols), op(B) (aCols, outCols).
    func rowBlock<S: BLASScalar>(_: S.Type, _ i: Int) {
        let r = blocks.range(i)
        guard !r.isEmpty else { return }
        S.gemm(.none, tb, m: r.count, n: outCols, k: aCols, alpha: 1,
               a: a.assumingMemoryBound(to: S.self) + r.lowerBound * aCols, lda: aCols,
               b: b.assumingMemoryBound(to: S.self), ldb: bCols, beta: 0,
               c: c.assumingMemoryBound(to: S.self) + r.lowerBound * outCols, ldc: outCols)
    }

    /// Partial i = A_iᵀ B_i (aCols × bCols) into slot i of C, for A (N, aCols), B (N, bCols).
    func transposedBlock<S: BLASScalar>(_: S.Type, _ i: Int) {
        let r = blocks.range(i)
        let slot = c.assumingMemoryBound(to: S.self) + i * aCols * bCols
        guard !r.isEmpty else { slot.update(repeating: 0, count: aCols * bCols); return }
        S.gemm(.transpose, .none, m: aCols, n: bCols, k: r.count, alpha: 1,
               a: a.assumingMemoryBound(to: S.self) + r.lowerBound * aCols, lda: aCols,
               b: b.assumingMemoryBound(to: S.self) + r.lowerBound * bCols, ldb: bCols, beta: 0, c: slot, ldc: bCols)
    }
}

extension Tensor {
    /// `A · op(B)` for A (N, k) and a weight B, in row blocks (concurrently when asked).
    /// - Complexity: 2·N·k·n flops.
    static func rowBlockProduct(_ a: Tensor, _ b: Tensor, _ tb: Transpose, concurrent: Bool) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "rowBlockProduct takes matrices") // invariant: callers reshape
        let outCols = tb == .none ? b.shape[1] : b.shape[0]
        let inner = tb == .none ? b.shape[0] : b.shape[1]
        precondition(a.shape[1] == inner, "rowBlockProduct: \(a.shape) · op(\(b.shape))") // invariant: shapes checked by caller
        let blocks = RowBlocks(rows: a.shape[0])
        var c = Tensor(shape: [a.shape[0], outCols]) { _ in }
        guard c.count > 0 else { return c }
        guard inner > 0 else { return zeroFilled(c.shape) }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    let work = RowBlockProducts(blocks: blocks, a: UnsafeRawPointer(pa.baseAddress!), b: UnsafeRawPointer(pb.baseAddress!),
                                                c: UnsafeMutableRawPointer(pc.baseAddress!), aCols: inner, bCols: b.shape[1],
                                                tb: tb, outCols: outCols)
                    ParallelWork.forEach(blocks.count, concurrent: concurrent) { work.rowBlock(Scalar.self, $0) }
                }
            }
        }
        return c
    }

    /// `C += Aᵀ B` for A (N, m), B (N, n): block partials over rows, added to C in block order.
    /// - Complexity: 2·N·m·n flops.
    static func accumulateRowBlockTransposedProduct(_ a: Tensor, _ b: Tensor, into c: inout Tensor, concurrent: Bool) {
        precondition(a.rank == 2 && b.rank == 2 && a.shape[0] == b.shape[0] && c.shape == [a.shape[1], b.shape[1]], "accumulateRowBlockTransposedProduct: \(a.shape)ᵀ · \(b.shape) into \(c.shape)") // invariant: shapes checked by caller
        let blocks = RowBlocks(rows: a.shape[0]), size = c.count
        guard size > 0, a.shape[0] > 0 else { return }
        var partials = Tensor(shape: [blocks.count, size]) { _ in }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                partials.withUnsafeMutableBufferPointer { pp in
                    let work = RowBlockProducts(blocks: blocks, a: UnsafeRawPointer(pa.baseAddress!), b: UnsafeRawPointer(pb.baseAddress!),
                                                c: UnsafeMutableRawPointer(pp.baseAddress!), aCols: a.shape[1], bCols: b.shape[1],
                                                tb: .none, outCols: b.shape[1])
                    ParallelWork.forEach(blocks.count, concurrent: concurrent) { work.transposedBlock(Scalar.self, $0) }
                }
            }
        }
        partials.withUnsafeBufferPointer { pp in
            c.withUnsafeMutableBufferPointer { pc in
                for i in 0..<blocks.count {
                    Scalar.axpy(n: size, alpha: 1, x: pp.baseAddress! + i * size, incx: 1, y: pc.baseAddress!, incy: 1)
                }
            }
        }
    }
}
