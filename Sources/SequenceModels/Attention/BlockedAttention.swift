// BlockedAttention.swift — causal attention in query × key blocks with an online softmax,
// the fast path of `CausalSelfAttention` (the plain path is ReferenceAttention.swift).
//
// Dao et al., "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"
// (2022) and Dao, "FlashAttention-2" (2023), transcribed for a CPU with BLAS: per (sequence,
// head), the queries are cut into blocks of `queryBlock` rows and each block runs over the key
// blocks of `keyBlock` columns it may see (up to the diagonal when causal). Only a
// queryBlock × keyBlock tile of scores ever exists, so the memory is O(T·d) per head instead
// of O(T²); the forward keeps one log-sum-exp per query row, and the backward recomputes the
// probabilities from it.
//
// Forward, per query row t, over key blocks K_c with scores s = q_t·k / √dₕ:
//     m' = max(m, max_c s),  ℓ ← ℓ·e^(m−m') + Σ_c e^(s−m'),  a ← a·e^(m−m') + Σ_c e^(s−m') v,  m ← m'
//     o_t = a / ℓ,  L_t = m + log ℓ
// Backward, with P = e^(s − L_t) recomputed and D_t = Σ_c ∂o_t,c · o_t,c (= Σ_s P_ts ∂P_ts):
//     ∂V += Pᵀ ∂O,  ∂P = ∂O Vᵀ,  ∂S = P ⊙ (∂P − D),  ∂Q += ∂S K / √dₕ,  ∂K += ∂Sᵀ Q / √dₕ.
// Hidden keys (after t when causal, or masked out) get probability exactly 0; a query that sees
// no key at all gets output 0, L = −∞ and zero gradients.
// The kernel works in base 2 (SoftmaxKernels): the score product carries log₂e in its scale,
// so m, L and the exponentials are base-2 quantities; ∂S is unchanged because P is.

import LinearAlgebra

/// log₂e, folded into the score scale of the base-2 softmax.
let log2e = 1.442_695_040_888_963_4

/// Tile sizes of the blocked kernel.
struct AttentionTiles {
    let queryBlock: Int
    let keyBlock: Int
}

/// The blocked forward pass: merged head outputs and per-row log-sum-exp.
struct BlockedAttentionForward: ScalarSpecialized, @unchecked Sendable {   // items write disjoint memory
    let problem: AttentionProblem
    let tiles: AttentionTiles
    let concurrent: Bool
    /// (B, T, 3d) projections.
    let qkv: UnsafeRawPointer
    /// (B, T) key mask or nil.
    let keep: UnsafePointer<Bool>?
    /// (B, T, d) output, every element written.
    let merged: UnsafeMutableRawPointer
    /// (B, h, T) base-2 log-sum-exp per query row, every element written.
    let logSumExp: UnsafeMutableRawPointer

    func callAsFunction<S: NeuralScalar>(_: S.Type) {
        ParallelWork.forEach(problem.items, concurrent: concurrent) { item in forward(S.self, item: item) }
    }

    /// - Complexity: ≈ 2·T²·dₕ flops (causal half of 4·T²·dₕ) and T²/2 exponentials per item.
    private func forward<S: NeuralScalar>(_: S.Type, item: Int) {
        let p = problem, dh = p.headSize, ld = p.qkvStride, d = p.modelSize, T = p.time
        let br = tiles.queryBlock, bc = tiles.keyBlock
        let (b, qkvOffset, mergedOffset) = p.offsets(item: item)
        let q = qkv.assumingMemoryBound(to: S.self) + qkvOffset, k = q + d, v = q + 2 * d
        let out = merged.assumingMemoryBound(to: S.self) + mergedOffset
        let lse = logSumExp.assumingMemoryBound(to: S.self) + item * T
        let keepRow = keep.map { $0 + b * T }
        let scale2 = S(p.scale * log2e)

        let scores = UnsafeMutablePointer<S>.allocate(capacity: br * bc)   // tile of s·log₂e, then of P
        let acc = UnsafeMutablePointer<S>.allocate(capacity: br * dh)      // un-normalised outputs
        let rowMax = UnsafeMutablePointer<S>.allocate(capacity: br)
        let rowSum = UnsafeMutablePointer<S>.allocate(capacity: br)
        defer { scores.deallocate(); acc.deallocate(); rowMax.deallocate(); rowSum.deallocate() }

        for q0 in stride(from: 0, to: T, by: br) {
            let rows = Swift.min(br, T - q0)
            acc.update(repeating: 0, count: rows * dh)
            rowMax.update(repeating: -.infinity, count: rows)
            rowSum.update(repeating: 0, count: rows)
            let keyEnd = p.causal ? q0 + rows : T
            for k0 in stride(from: 0, to: keyEnd, by: bc) {
                let cols = Swift.min(bc, keyEnd - k0)
                S.gemm(.none, .transpose, m: rows, n: cols, k: dh, alpha: scale2, a: q + q0 * ld, lda: ld,
                       b: k + k0 * ld, ldb: ld, beta: 0, c: scores, ldc: cols)             // (rows, cols)
                for r in 0..<rows {
                    let row = scores + r * cols
                    let visible = p.visibleKeys(query: q0 + r, keyStart: k0, count: cols)
                    if let keepRow {
                        for c in 0..<visible where !keepRow[k0 + c] { row[c] = -.infinity }
                    }
                    for c in visible..<cols { row[c] = 0 }
                    guard visible > 0 else { continue }
                    let previous = rowMax[r]
                    let newMax = Swift.max(previous, SoftmaxKernels.maximum(row, visible))
                    guard newMax > -.infinity else {                  // every visible key masked
                        row.update(repeating: 0, count: visible)
                        continue
                    }
                    let blockSum = SoftmaxKernels.exponentiate2(row, visible, shift: newMax)
                    if newMax == previous {
                        rowSum[r] += blockSum
                    } else {
                        let alpha = SoftmaxKernels.scalarExp2(previous - newMax)  // 0 when previous = −∞
                        rowSum[r] = rowSum[r] * alpha + blockSum
                        let a = acc + r * dh
                        for c in 0..<dh { a[c] *= alpha }
                        rowMax[r] = newMax
                    }
                }
                S.gemm(.none, .none, m: rows, n: dh, k: cols, alpha: 1, a: scores, lda: cols,
                       b: v + k0 * ld, ldb: ld, beta: 1, c: acc, ldc: dh)                 // (rows, dₕ)
            }
            for r in 0..<rows {
                let l = rowSum[r]
                let inverse: S = l > 0 ? 1 / l : 0
                let a = acc + r * dh, o = out + (q0 + r) * d
                for c in 0..<dh { o[c] = a[c] * inverse }
                lse[q0 + r] = l > 0 ? rowMax[r] + S.log2(l) : -.infinity
            }
        }
    }
}

/// The blocked backward pass: accumulates ∂q, ∂k, ∂v into a zeroed (B, T, 3d) buffer.
struct BlockedAttentionBackward: ScalarSpecialized, @unchecked Sendable {  // items write disjoint memory
    let problem: AttentionProblem
    let tiles: AttentionTiles
    let concurrent: Bool
    let qkv: UnsafeRawPointer
    let keep: UnsafePointer<Bool>?
    /// Forward outputs (B, T, d) and their gradient (B, T, d).
    let merged: UnsafeRawPointer
    let mergedGradient: UnsafeRawPointer
    /// (B, h, T) from the forward.
    let logSumExp: UnsafeRawPointer
    /// (B, T, 3d), zero on entry; receives ∂q, ∂k, ∂v.
    let qkvGradient: UnsafeMutableRawPointer

    func callAsFunction<S: NeuralScalar>(_: S.Type) {
        ParallelWork.forEach(problem.items, concurrent: concurrent) { item in backward(S.self, item: item) }
    }

    /// - Complexity: ≈ 5·T²·dₕ flops (causal half of 10·T²·dₕ) and T²/2 exponentials per item.
    private func backward<S: NeuralScalar>(_: S.Type, item: Int) {
        let p = problem, dh = p.headSize, ld = p.qkvStride, d = p.modelSize, T = p.time
        let br = tiles.queryBlock, bc = tiles.keyBlock
        let (b, qkvOffset, mergedOffset) = p.offsets(item: item)
        let q = qkv.assumingMemoryBound(to: S.self) + qkvOffset, k = q + d, v = q + 2 * d
        let dq = qkvGradient.assumingMemoryBound(to: S.self) + qkvOffset, dk = dq + d, dv = dq + 2 * d
        let o = merged.assumingMemoryBound(to: S.self) + mergedOffset
        let dO = mergedGradient.assumingMemoryBound(to: S.self) + mergedOffset
        let lse = logSumExp.assumingMemoryBound(to: S.self) + item * T
        let keepRow = keep.map { $0 + b * T }
        let scale = S(p.scale), scale2 = S(p.scale * log2e)

        let probabilities = UnsafeMutablePointer<S>.allocate(capacity: br * bc)
        let dScores = UnsafeMutablePointer<S>.allocate(capacity: br * bc)
        let rowDot = UnsafeMutablePointer<S>.allocate(capacity: T)
        defer { probabilities.deallocate(); dScores.deallocate(); rowDot.deallocate() }

        for t in 0..<T {                                                    // D_t = ∂o_t · o_t
            var s: S = 0
            for c in 0..<dh { s += dO[t * d + c] * o[t * d + c] }
            rowDot[t] = s
        }
        for q0 in stride(from: 0, to: T, by: br) {
            let rows = Swift.min(br, T - q0)
            let keyEnd = p.causal ? q0 + rows : T
            for k0 in stride(from: 0, to: keyEnd, by: bc) {
                let cols = Swift.min(bc, keyEnd - k0)
                let P = probabilities, dS = dScores
                S.gemm(.none, .transpose, m: rows, n: cols, k: dh, alpha: scale2, a: q + q0 * ld, lda: ld,
                       b: k + k0 * ld, ldb: ld, beta: 0, c: P, ldc: cols)                 // s·log₂e (rows, cols)
                for r in 0..<rows {
                    let row = P + r * cols
                    let shift = lse[q0 + r]
                    let visible = shift > -.infinity ? p.visibleKeys(query: q0 + r, keyStart: k0, count: cols) : 0
                    if let keepRow {
                        for c in 0..<visible where !keepRow[k0 + c] { row[c] = -.infinity }
                    }
                    SoftmaxKernels.exponentiate2InPlace(row, visible, shift: shift)    // P = 2^(s·log₂e − L)
                    for c in visible..<cols { row[c] = 0 }
                }
                S.gemm(.transpose, .none, m: cols, n: dh, k: rows, alpha: 1, a: P, lda: cols,
                       b: dO + q0 * d, ldb: d, beta: 1, c: dv + k0 * ld, ldc: ld)       // ∂V += Pᵀ ∂O
                S.gemm(.none, .transpose, m: rows, n: cols, k: dh, alpha: 1, a: dO + q0 * d, lda: d,
                       b: v + k0 * ld, ldb: ld, beta: 0, c: dS, ldc: cols)               // ∂P = ∂O Vᵀ
                for r in 0..<rows {
                    let pr = P + r * cols, dr = dS + r * cols, D = rowDot[q0 + r]
                    for c in 0..<cols { dr[c] = pr[c] * (dr[c] - D) }                  // ∂S
                }
                S.gemm(.none, .none, m: rows, n: dh, k: cols, alpha: scale, a: dS, lda: cols,
                       b: k + k0 * ld, ldb: ld, beta: 1, c: dq + q0 * ld, ldc: ld)       // ∂Q += ∂S K / √dₕ
                S.gemm(.transpose, .none, m: cols, n: dh, k: rows, alpha: scale, a: dS, lda: cols,
                       b: q + q0 * ld, ldb: ld, beta: 1, c: dk + k0 * ld, ldc: ld)       // ∂K += ∂Sᵀ Q / √dₕ
            }
        }
    }
}
