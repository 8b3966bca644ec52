// ReferenceAttention.swift — the plain path of `CausalSelfAttention`: explicit T × T scores and
// probabilities per (sequence, head), as in Vaswani et al., "Attention Is All You Need" (2017).
//
//     S = Q Kᵀ / √dₕ,  S_ts = −∞ for hidden keys (s > t when causal, or masked out),
//     P = softmax_row(S),  O = P V
// Backward (from the stored P, with the row dot product of P and ∂P, not the blocked kernel's
// D = rowsum(∂O ⊙ O), so the two paths check each other):
//     ∂V = Pᵀ ∂O,  ∂P = ∂O Vᵀ,  ∂S_ts = P_ts (∂P_ts − Σ_u P_tu ∂P_tu),  ∂Q = ∂S K / √dₕ,  ∂K = ∂Sᵀ Q / √dₕ.
// It keeps P, O(B·h·T²) memory, uses the C library's `exp` in both precisions, sums in index
// order and runs the items one after another.

import LinearAlgebra

/// The reference forward pass: merged outputs and the (B, h, T, T) probabilities.
struct ReferenceAttentionForward: ScalarSpecialized {
    let problem: AttentionProblem
    let qkv: UnsafeRawPointer
    let keep: UnsafePointer<Bool>?
    /// (B, T, d), every element written.
    let merged: UnsafeMutableRawPointer
    /// (B, h, T, T), every element written (0 for hidden keys).
    let probabilities: UnsafeMutableRawPointer

    func callAsFunction<S: NeuralScalar>(_: S.Type) {
        for item in 0..<problem.items { forward(S.self, item: item) }
    }

    /// - Complexity: 4·T²·dₕ flops and T² exponentials per item.
    private func forward<S: NeuralScalar>(_: S.Type, item: Int) {
        let p = problem, dh = p.headSize, ld = p.qkvStride, d = p.modelSize, T = p.time
        let (b, qkvOffset, mergedOffset) = p.offsets(item: item)
        let q = qkv.assumingMemoryBound(to: S.self) + qkvOffset, k = q + d, v = q + 2 * d
        let P = probabilities.assumingMemoryBound(to: S.self) + item * T * T
        S.gemm(.none, .transpose, m: T, n: T, k: dh, alpha: S(p.scale), a: q, lda: ld, b: k, ldb: ld,
               beta: 0, c: P, ldc: T)                                                    // S (T, T)
        for t in 0..<T {
            let row = P + t * T
            let visible = p.causal ? t + 1 : T
            var m = -S.infinity
            for s in 0..<visible where keep?[b * T + s] ?? true { m = Swift.max(m, row[s]) }
            var total: S = 0
            for s in 0..<T {
                let shown = s < visible && (keep?[b * T + s] ?? true) && m > -S.infinity
                row[s] = shown ? S.exp(row[s] - m) : 0
                total += row[s]
            }
            if total > 0 { for s in 0..<T { row[s] /= total } }
        }
        S.gemm(.none, .none, m: T, n: dh, k: T, alpha: 1, a: P, lda: T, b: v, ldb: ld,
               beta: 0, c: merged.assumingMemoryBound(to: S.self) + mergedOffset, ldc: d)   // O = P V
    }
}

/// The reference backward pass: writes ∂q, ∂k, ∂v into a (B, T, 3d) buffer.
struct ReferenceAttentionBackward: ScalarSpecialized {
    let problem: AttentionProblem
    let qkv: UnsafeRawPointer
    let probabilities: UnsafeRawPointer
    let mergedGradient: UnsafeRawPointer
    let qkvGradient: UnsafeMutableRawPointer

    func callAsFunction<S: NeuralScalar>(_: S.Type) {
        let T = problem.time
        let dP = UnsafeMutablePointer<S>.allocate(capacity: T * T)
        defer { dP.deallocate() }
        for item in 0..<problem.items { backward(S.self, item: item, workspace: dP) }
    }

    /// - Complexity: 8·T²·dₕ flops per item.
    private func backward<S: NeuralScalar>(_: S.Type, item: Int, workspace dP: UnsafeMutablePointer<S>) {
        let p = problem, dh = p.headSize, ld = p.qkvStride, d = p.modelSize, T = p.time
        let (_, qkvOffset, mergedOffset) = p.offsets(item: item)
        let q = qkv.assumingMemoryBound(to: S.self) + qkvOffset, k = q + d, v = q + 2 * d
        let dq = qkvGradient.assumingMemoryBound(to: S.self) + qkvOffset, dk = dq + d, dv = dq + 2 * d
        let dO = mergedGradient.assumingMemoryBound(to: S.self) + mergedOffset
        let P = probabilities.assumingMemoryBound(to: S.self) + item * T * T
        let scale = S(p.scale)
        S.gemm(.transpose, .none, m: T, n: dh, k: T, alpha: 1, a: P, lda: T, b: dO, ldb: d,
               beta: 0, c: dv, ldc: ld)                                                  // ∂V = Pᵀ ∂O
        S.gemm(.none, .transpose, m: T, n: T, k: dh, alpha: 1, a: dO, lda: d, b: v, ldb: ld,
               beta: 0, c: dP, ldc: T)                                                   // ∂P = ∂O Vᵀ
        for t in 0..<T {
            let pr = P + t * T, dr = dP + t * T
            var dot: S = 0
            for s in 0..<T { dot += pr[s] * dr[s] }
            for s in 0..<T { dr[s] = pr[s] * (dr[s] - dot) }                             // ∂S
        }
        S.gemm(.none, .none, m: T, n: dh, k: T, alpha: scale, a: dP, lda: T, b: k, ldb: ld,
               beta: 0, c: dq, ldc: ld)                                                  // ∂Q = ∂S K / √dₕ
        S.gemm(.transpose, .none, m: T, n: dh, k: T, alpha: scale, a: dP, lda: T, b: q, ldb: ld,
               beta: 0, c: dk, ldc: ld)                                                  // ∂K = ∂Sᵀ Q / √dₕ
    }
}
