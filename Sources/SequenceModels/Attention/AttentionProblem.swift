// AttentionProblem.swift — the shapes and buffer layout shared by the attention kernels.
//
// Layout (all row-major, time-major per sequence):
//   qkv    (B, T, 3d): columns [0, d) = q, [d, 2d) = k, [2d, 3d) = v; head j owns columns
//          j·dₕ ..< (j+1)·dₕ of each block (dₕ = d / h).
//   merged (B, T, d):  head j's output in columns j·dₕ ..< (j+1)·dₕ.
//   keep   (B, T):     optional key mask, `false` = this position may not be attended to.
// A kernel's work item is one (sequence b, head j) pair; it reads and writes only rows of
// sequence b and columns of head j, so items are independent.

/// Shapes of one multi-head attention problem.
struct AttentionProblem {
    let batch: Int
    let time: Int
    let modelSize: Int
    let heads: Int
    let causal: Bool

    var headSize: Int { modelSize / heads }
    /// Row stride of the qkv buffer.
    var qkvStride: Int { 3 * modelSize }
    /// The score scale 1/√dₕ.
    var scale: Double { 1 / Double(headSize).squareRoot() }
    /// Work items: one per (sequence, head).
    var items: Int { batch * heads }

    /// Element offsets of (sequence b, head j) in qkv (its q block; k is `+ d`, v `+ 2d`) and
    /// in merged.
    func offsets(item: Int) -> (b: Int, qkv: Int, merged: Int) {
        let b = item / heads, j = item % heads
        return (b, b * time * qkvStride + j * headSize, b * time * modelSize + j * headSize)
    }

    /// Keys attended by query row `t` within the key range `[k0, k0 + cols)`: the causal
    /// prefix `[k0, min(k0 + cols, t + 1))`, or all `cols`.
    @inline(__always)
    func visibleKeys(query t: Int, keyStart k0: Int, count cols: Int) -> Int {
        causal ? Swift.max(0, Swift.min(cols, t + 1 - k0)) : cols
    }
}
