// PackedLSTMKernels.swift — register-blocked micro-kernels for the LSTM time step.
//
// Goals, in priority order:
//  1. The same numbers as the BLAS path up to rounding (the tests compare them, in Float and
//     Double).
//  2. Keep the FMA units busy on the small per-step products (B·H·4H multiply-adds with B ≤ 32,
//     H ≤ a few hundred), where a BLAS call spends much of its time packing its operands and
//     setting up, every step.
//
// Forward (`forwardStep`): a tile is R ≤ 3 batch rows × one block of 8 hidden units, held as
// 4·R eight-lane accumulators (the i, f, g, o pre-activations of those units, started from the
// bias). The depth loop runs over h_{t−1} (H) and then x_t (I), broadcasting one scalar per row
// and reading four vectors of the packed weights (PackedLSTMWeights) per depth index: 12
// multiply-adds per 4 loads and 3 broadcasts for R = 3, 15 of the 16 AVX2 registers. The gate
// law is applied to the tile while it is in registers and the activated gates, c, tanh c and h
// are stored once. Hidden blocks are the outer loop, so a block's weights (≈ (H + I)·128 bytes)
// stay in L1 while all row tiles stream over them.
//
// Backward: `backwardPointwise` turns ∂L/∂h_t (and the carried ∂L/∂c_t) into the rows of
// δ = ∂L/∂pre-activations in a scratch block D (rows × ldD, zero beyond 4H); then three products
// of the same tile shape, `productTile`, C[R × 32] += A[R × K] · B[K × 32] (A read through two
// strides, so Aᵀ costs nothing):
//     ∂L/∂h_{t−1} += D · W_hh           A = D, B = W_hh in column panels of 32
//     ∂W_hhᵀ      += h_{t−1}ᵀ · D       A = h_{t−1}ᵀ, B = D, C = a per-partition accumulator
//     ∂W_ihᵀ      += x_tᵀ · D
// and ∂L/∂x_t = D · W_ih, by dot products along 4H when I is small (`rowDots`) and by tiles
// otherwise. Accumulating the weight gradients per step, while D and h_{t−1} are in L1, keeps
// the (T, B, 4H) array of δ out of memory altogether.
//
// Multiply-add: with `SSLAB_FMA` (the build targets a CPU with FMA, see Package.swift) one fused
// instruction; otherwise a multiply and an add (on the baseline target a fused `addProduct`
// would be a libm call per lane). Row tiles of 3, 2 and 1 rows are the same inlined code with
// a constant R; the dead accumulators fold away.
//
// Reference: K. Goto and R. A. van de Geijn, "Anatomy of High-Performance Matrix
// Multiplication" (2008), for packing panels and register blocking.

import LinearAlgebra

/// Pointers of one forward time step of one batch partition (rows 0..<rows at the given
/// pointers; row strides H, I and 4H).
struct PackedLSTMForwardStep<S> {
    var hiddenPrevious: UnsafePointer<S>
    var input: UnsafePointer<S>
    var cellPrevious: UnsafePointer<S>
    var gates: UnsafeMutablePointer<S>
    var cell: UnsafeMutablePointer<S>
    var tanhCell: UnsafeMutablePointer<S>
    var hidden: UnsafeMutablePointer<S>
    /// `PackedLSTMWeights.forward` and `.bias`.
    var weights: UnsafePointer<S>
    var bias: UnsafePointer<S>
    var rows: Int, hiddenSize: Int, inputSize: Int
}

enum PackedLSTMKernels<M: GateMath> {
    typealias S = M.Scalar
    typealias V = SIMD8<M.Scalar>

    /// Hidden units per forward block and columns per product panel.
    static var blockUnits: Int { 8 }
    static var panelColumns: Int { 32 }

    @inline(__always)
    static func madd(_ acc: inout V, _ x: V, _ w: V) {
        #if SSLAB_FMA
        acc.addProduct(x, w)
        #else
        acc += x * w
        #endif
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<S>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<S>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// The tile heights for `rows` rows: threes, with a remainder of 4 as 2 + 2 and of 2 as 2.
    @inline(__always)
    static func tileHeight(remaining n: Int) -> Int { n == 4 ? 2 : Swift.min(3, n) }

    // MARK: forward

    /// One time step for all rows of a partition: `[i f g o] = [σ σ tanh σ](b + h₋ W_hhᵀ + x W_ihᵀ)`,
    /// `c = f ⊙ c₋ + i ⊙ g`, `h = o ⊙ tanh c`.
    /// - Complexity: 2·rows·(H + I)·4H flops and 5·rows·H activations.
    static func forwardStep(_ a: PackedLSTMForwardStep<S>) {
        let h = a.hiddenSize, depth = h + a.inputSize
        var j0 = 0
        while j0 < h {
            let block = j0 / blockUnits
            let w = a.weights + block * depth * 4 * blockUnits, bias = a.bias + block * 4 * blockUnits
            let units = Swift.min(blockUnits, h - j0)
            var r = 0
            while r < a.rows {
                let height = tileHeight(remaining: a.rows - r)
                switch height {
                case 3: forwardTile(3, a, row: r, unit: j0, units: units, weights: w, bias: bias)
                case 2: forwardTile(2, a, row: r, unit: j0, units: units, weights: w, bias: bias)
                default: forwardTile(1, a, row: r, unit: j0, units: units, weights: w, bias: bias)
                }
                r += height
            }
            j0 += blockUnits
        }
    }

    /// The accumulators of an R × (4 gates × 8 units) tile, row by row.
    struct GateTile {
        var i0, f0, g0, o0, i1, f1, g1, o1, i2, f2, g2, o2: V
    }

    @inline(__always)
    static func forwardTile(_ R: Int, _ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units: Int,
                            weights: UnsafePointer<S>, bias: UnsafePointer<S>) {
        let h = a.hiddenSize
        let bi = load(bias), bf = load(bias + 8), bg = load(bias + 16), bo = load(bias + 24)
        var t = GateTile(i0: bi, f0: bf, g0: bg, o0: bo, i1: bi, f1: bf, g1: bg, o1: bo, i2: bi, f2: bf, g2: bg, o2: bo)
        accumulate(R, &t, a.hiddenPrevious + r * h, stride: h, depth: h, weights: weights, weightStride: 32)
        if a.inputSize > 0 {
            accumulate(R, &t, a.input + r * a.inputSize, stride: a.inputSize, depth: a.inputSize, weights: weights + h * 32,
                       weightStride: 32)
        }
        finishRow(a, row: r, unit: j0, units: units, t.i0, t.f0, t.g0, t.o0)
        if R >= 2 { finishRow(a, row: r + 1, unit: j0, units: units, t.i1, t.f1, t.g1, t.o1) }
        if R >= 3 { finishRow(a, row: r + 2, unit: j0, units: units, t.i2, t.f2, t.g2, t.o2) }
    }

    /// The gate law on one row of a tile; stores the activated gates, c, tanh c and h.
    @inline(__always)
    static func finishRow(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units n: Int, _ pi: V, _ pf: V, _ pg: V, _ po: V) {
        let h = a.hiddenSize
        let i = M.sigmoid(pi), f = M.sigmoid(pf), g = M.tanh(pg), o = M.sigmoid(po)
        let s = r * h + j0, gates = a.gates + r * 4 * h + j0
        let c = f * load8(a.cellPrevious + s, n) + i * g
        let tc = M.tanh(c)
        if n == 8 {
            store(i, gates); store(f, gates + h); store(g, gates + 2 * h); store(o, gates + 3 * h)
            store(c, a.cell + s); store(tc, a.tanhCell + s); store(o * tc, a.hidden + s)
        } else {
            store8(i, gates, n); store8(f, gates + h, n); store8(g, gates + 2 * h, n); store8(o, gates + 3 * h, n)
            store8(c, a.cell + s, n); store8(tc, a.tanhCell + s, n); store8(o * tc, a.hidden + s, n)
        }
    }

    // MARK: backward

    /// δ for `rows` rows: with δc = δc₊ + δh ⊙ o ⊙ (1 − tanh²c), δi = δc g i(1−i),
    /// δf = δc c₋ f(1−f), δg = δc i (1−g²), δo = δh tanh c o(1−o) into `delta` (row stride
    /// `deltaStride`, gate blocks at 0, H, 2H, 3H); `cellGradient` becomes δc ⊙ f; the bias
    /// gradient accumulates. (The formulas of `FastGateKernels.lstmBackward`, not in place.)
    /// - Complexity: O(rows · H).
    static func backwardPointwise(rows: Int, hiddenSize h: Int, gates: UnsafePointer<S>, tanhCell: UnsafePointer<S>,
                                  cellPrevious: UnsafePointer<S>, hiddenGradient: UnsafePointer<S>,
                                  cellGradient: UnsafeMutablePointer<S>, delta: UnsafeMutablePointer<S>, deltaStride: Int,
                                  biasGradient db: UnsafeMutablePointer<S>) {
        for b in 0..<rows {
            let g4 = gates + b * 4 * h, d = delta + b * deltaStride, row = b * h
            @inline(__always) func update(_ j: Int, _ n: Int) {
                let i = load8(g4 + j, n), f = load8(g4 + h + j, n)
                let g = load8(g4 + 2 * h + j, n), o = load8(g4 + 3 * h + j, n)
                let tc = load8(tanhCell + row + j, n)
                let dh = load8(hiddenGradient + row + j, n)
                let dc = load8(cellGradient + row + j, n) + dh * o * (1 - tc * tc)
                let di = dc * g * i * (1 - i)
                let df = dc * load8(cellPrevious + row + j, n) * f * (1 - f)
                let dg = dc * i * (1 - g * g)
                let dout = dh * tc * o * (1 - o)
                store8(dc * f, cellGradient + row + j, n)
                store8(di, d + j, n); store8(df, d + h + j, n); store8(dg, d + 2 * h + j, n); store8(dout, d + 3 * h + j, n)
                store8(load8(db + j, n) + di, db + j, n)
                store8(load8(db + h + j, n) + df, db + h + j, n)
                store8(load8(db + 2 * h + j, n) + dg, db + 2 * h + j, n)
                store8(load8(db + 3 * h + j, n) + dout, db + 3 * h + j, n)
            }
            var j = 0
            while j + 8 <= h { update(j, 8); j += 8 }
            if j < h { update(j, h - j) }
        }
    }

    /// `C (rows × columns) += A (rows × depth) · B (depth × columns)` in tiles of up to 3 × 32,
    /// with `A[r, k] = a[r·aRowStride + k·aDepthStride]`, B row k at `b + k·bStride` (column
    /// panels of 32 at `b + p·bPanelStride`, each readable for 32 columns) and C row r at
    /// `c + r·cStride`.
    /// - Complexity: 2·rows·depth·columns flops (columns rounded up to 32).
    static func product(rows: Int, columns: Int, depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int,
                        b: UnsafePointer<S>, bStride: Int, bPanelStride: Int, c: UnsafeMutablePointer<S>, cStride: Int) {
        var p = 0
        while p * panelColumns < columns {
            let width = Swift.min(panelColumns, columns - p * panelColumns)
            let bp = b + p * bPanelStride, cp = c + p * panelColumns
            var r = 0
            while r < rows {
                let height = tileHeight(remaining: rows - r)
                let ar = a + r * aRowStride, cr = cp + r * cStride
                switch height {
                case 3: productTile(3, depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                case 2: productTile(2, depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                default: productTile(1, depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                }
                r += height
            }
            p += 1
        }
    }

    @inline(__always)
    static func productTile(_ R: Int, depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int,
                            b: UnsafePointer<S>, bStride: Int, c: UnsafeMutablePointer<S>, cStride: Int, columns: Int) {
        let c1 = c + cStride, c2 = c1 + cStride
        var t: GateTile
        if columns == 32 {
            t = GateTile(i0: load(c), f0: load(c + 8), g0: load(c + 16), o0: load(c + 24),
                         i1: R >= 2 ? load(c1) : V(), f1: R >= 2 ? load(c1 + 8) : V(), g1: R >= 2 ? load(c1 + 16) : V(), o1: R >= 2 ? load(c1 + 24) : V(),
                         i2: R >= 3 ? load(c2) : V(), f2: R >= 3 ? load(c2 + 8) : V(), g2: R >= 3 ? load(c2 + 16) : V(), o2: R >= 3 ? load(c2 + 24) : V())
        } else {
            t = GateTile(i0: V(), f0: V(), g0: V(), o0: V(), i1: V(), f1: V(), g1: V(), o1: V(), i2: V(), f2: V(), g2: V(), o2: V())
            t.i0 = loadPart(c, columns, 0); t.f0 = loadPart(c, columns, 1); t.g0 = loadPart(c, columns, 2); t.o0 = loadPart(c, columns, 3)
            if R >= 2 { t.i1 = loadPart(c1, columns, 0); t.f1 = loadPart(c1, columns, 1); t.g1 = loadPart(c1, columns, 2); t.o1 = loadPart(c1, columns, 3) }
            if R >= 3 { t.i2 = loadPart(c2, columns, 0); t.f2 = loadPart(c2, columns, 1); t.g2 = loadPart(c2, columns, 2); t.o2 = loadPart(c2, columns, 3) }
        }
        if aDepthStride == 1 {
            accumulate(R, &t, a, stride: aRowStride, depth: depth, weights: b, weightStride: bStride)
        } else {
            accumulateStrided(R, &t, a, rowStride: aRowStride, depthStride: aDepthStride, depth: depth, b: b, bStride: bStride)
        }
        if columns == 32 {
            store(t.i0, c); store(t.f0, c + 8); store(t.g0, c + 16); store(t.o0, c + 24)
            if R >= 2 { store(t.i1, c1); store(t.f1, c1 + 8); store(t.g1, c1 + 16); store(t.o1, c1 + 24) }
            if R >= 3 { store(t.i2, c2); store(t.f2, c2 + 8); store(t.g2, c2 + 16); store(t.o2, c2 + 24) }
        } else {
            storePart(t.i0, c, columns, 0); storePart(t.f0, c, columns, 1); storePart(t.g0, c, columns, 2); storePart(t.o0, c, columns, 3)
            if R >= 2 { storePart(t.i1, c1, columns, 0); storePart(t.f1, c1, columns, 1); storePart(t.g1, c1, columns, 2); storePart(t.o1, c1, columns, 3) }
            if R >= 3 { storePart(t.i2, c2, columns, 0); storePart(t.f2, c2, columns, 1); storePart(t.g2, c2, columns, 2); storePart(t.o2, c2, columns, 3) }
        }
    }

    /// `tile[r] += Σ_k a[r·stride + k] · w[k]` for k < depth and the first R rows, with w[k] the
    /// four vectors at `weights + k·weightStride`.
    @inline(__always)
    static func accumulate(_ R: Int, _ t: inout GateTile, _ a: UnsafePointer<S>, stride: Int, depth: Int,
                           weights: UnsafePointer<S>, weightStride: Int) {
        var w = weights
        let a1 = a + stride, a2 = a1 + stride
        for k in 0..<depth {
            let x0 = V(repeating: a[k])
            let x1 = R >= 2 ? V(repeating: a1[k]) : x0
            let x2 = R >= 3 ? V(repeating: a2[k]) : x0
            var v = load(w)
            madd(&t.i0, x0, v); if R >= 2 { madd(&t.i1, x1, v) }; if R >= 3 { madd(&t.i2, x2, v) }
            v = load(w + 8)
            madd(&t.f0, x0, v); if R >= 2 { madd(&t.f1, x1, v) }; if R >= 3 { madd(&t.f2, x2, v) }
            v = load(w + 16)
            madd(&t.g0, x0, v); if R >= 2 { madd(&t.g1, x1, v) }; if R >= 3 { madd(&t.g2, x2, v) }
            v = load(w + 24)
            madd(&t.o0, x0, v); if R >= 2 { madd(&t.o1, x1, v) }; if R >= 3 { madd(&t.o2, x2, v) }
            w += weightStride
        }
    }

    /// `accumulate` with A's depth index `depthStride` apart (A read transposed).
    @inline(__always)
    static func accumulateStrided(_ R: Int, _ t: inout GateTile, _ a: UnsafePointer<S>, rowStride: Int, depthStride: Int,
                                  depth: Int, b: UnsafePointer<S>, bStride: Int) {
        var w = b, x = a
        for _ in 0..<depth {
            let x0 = V(repeating: x[0])
            let x1 = R >= 2 ? V(repeating: x[rowStride]) : x0
            let x2 = R >= 3 ? V(repeating: x[2 * rowStride]) : x0
            var v = load(w)
            madd(&t.i0, x0, v); if R >= 2 { madd(&t.i1, x1, v) }; if R >= 3 { madd(&t.i2, x2, v) }
            v = load(w + 8)
            madd(&t.f0, x0, v); if R >= 2 { madd(&t.f1, x1, v) }; if R >= 3 { madd(&t.f2, x2, v) }
            v = load(w + 16)
            madd(&t.g0, x0, v); if R >= 2 { madd(&t.g1, x1, v) }; if R >= 3 { madd(&t.g2, x2, v) }
            v = load(w + 24)
            madd(&t.o0, x0, v); if R >= 2 { madd(&t.o1, x1, v) }; if R >= 3 { madd(&t.o2, x2, v) }
            w += bStride
            x += depthStride
        }
    }

    /// Lanes `8·v ..< 8·v + 8` of a row of `columns` scalars (zeros past the end).
    @inline(__always)
    static func loadPart(_ p: UnsafePointer<S>, _ columns: Int, _ v: Int) -> V {
        load8(p + 8 * v, Swift.max(0, Swift.min(8, columns - 8 * v)))
    }

    @inline(__always)
    static func loadPart(_ p: UnsafeMutablePointer<S>, _ columns: Int, _ v: Int) -> V { loadPart(UnsafePointer(p), columns, v) }

    @inline(__always)
    static func storePart(_ x: V, _ p: UnsafeMutablePointer<S>, _ columns: Int, _ v: Int) {
        store8(x, p + 8 * v, Swift.max(0, Swift.min(8, columns - 8 * v)))
    }

    /// `out[r·outStride + i] = Σ_m A[r·aStride + m] · Bt[i·btStride + m]` for m < length: the
    /// product with a narrow B (columns ≤ a few) as dot products along the long dimension.
    /// - Complexity: 2·rows·columns·length flops.
    static func rowDots(rows: Int, columns: Int, length: Int, a: UnsafePointer<S>, aStride: Int,
                        bt: UnsafePointer<S>, btStride: Int, out: UnsafeMutablePointer<S>, outStride: Int) {
        for r in 0..<rows {
            let ar = a + r * aStride
            for i in 0..<columns {
                let br = bt + i * btStride
                var s0 = V(), s1 = V(), s2 = V(), s3 = V()
                var m = 0
                while m + 32 <= length {
                    madd(&s0, load(ar + m), load(br + m)); madd(&s1, load(ar + m + 8), load(br + m + 8))
                    madd(&s2, load(ar + m + 16), load(br + m + 16)); madd(&s3, load(ar + m + 24), load(br + m + 24))
                    m += 32
                }
                while m < length {
                    let n = Swift.min(8, length - m)
                    madd(&s0, load8(ar + m, n), load8(br + m, n))
                    m += n
                }
                out[r * outStride + i] = ((s0 + s1) + (s2 + s3)).sum()
            }
        }
    }
}
