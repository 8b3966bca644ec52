// PackedLSTMKernels.swift — register-blocked micro-kernels for the LSTM time step.
//
// Goals, in priority order:
//  1. The same numbers as the BLAS path up to rounding (the tests compare them, in Float and
//     Double).
//  2. Keep the FMA units busy on the small per-step products (B·H·4H multiply-adds with B ≤ 32,
//     H ≤ a few hundred), where a BLAS call spends much of its time packing its operands and
//     setting up, every step.
//
// Forward (`forwardStep`): a tile is R batch rows × one block of 8 hidden units, held as
// R pairs of sixteen-lane accumulators (the i, f | g, o pre-activations of those units, started
// from the bias; PackedLSTMTile.swift). The depth loop runs over h_{t−1} (H) and then x_t (I),
// broadcasting one scalar per row and reading the 32 packed weights (PackedLSTMWeights) per
// depth index: R ≤ 3 rows on AVX2 (12 multiply-adds per 4 loads and 3 broadcasts, 15 of the 16
// registers), R ≤ 6 on AVX-512. The pre-activations are stored into `gates`, and the gate law
// (`gateLaw`, one call per row and block) overwrites them with the activated gates and stores
// c, tanh c and h. Hidden blocks are the outer loop, so a block's weights (≈ (H + I)·128 bytes)
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
// would be a libm call per lane). Row tiles of every height are the same inlined code with a
// constant R; the dead accumulators fold away.
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

    typealias T = PackedTileMath<S>

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
                let height = T.height(remaining: a.rows - r)
                switch height {
                case 6: forwardTile6(a, row: r, unit: j0, units: units, weights: w, bias: bias)
                case 5: forwardTile5(a, row: r, unit: j0, units: units, weights: w, bias: bias)
                case 4: forwardTile4(a, row: r, unit: j0, units: units, weights: w, bias: bias)
                case 3: forwardTile3(a, row: r, unit: j0, units: units, weights: w, bias: bias)
                case 2: forwardTile2(a, row: r, unit: j0, units: units, weights: w, bias: bias)
                default: forwardTile1(a, row: r, unit: j0, units: units, weights: w, bias: bias)
                }
                r += height
            }
            j0 += blockUnits
        }
    }

    @inline(__always)
    static func forwardTile(_ R: Int, _ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units: Int,
                            weights: UnsafePointer<S>, bias: UnsafePointer<S>) {
        let h = a.hiddenSize
        var t = PackedTile<S>(T.load(bias), T.load(bias + 16))
        T.accumulate(R, &t, a.hiddenPrevious + r * h, rowStride: h, depthStride: 1, depth: h, weights: weights, weightStride: 32)
        if a.inputSize > 0 {
            T.accumulate(R, &t, a.input + r * a.inputSize, rowStride: a.inputSize, depthStride: 1, depth: a.inputSize,
                         weights: weights + h * 32, weightStride: 32)
        }
        // The pre-activations go to their places in `gates` (L1-resident) and the gate law runs
        // over them in one loop for all R rows, so its code is not repeated per tile height.
        let n = units, g0 = a.gates + r * 4 * h + j0
        for k in 0..<R {
            let (p, q) = t.row(k), g = g0 + k * 4 * h
            if n == 8 {
                store(p.lowHalf, g); store(p.highHalf, g + h); store(q.lowHalf, g + 2 * h); store(q.highHalf, g + 3 * h)
            } else {
                store8(p.lowHalf, g, n); store8(p.highHalf, g + h, n); store8(q.lowHalf, g + 2 * h, n); store8(q.highHalf, g + 3 * h, n)
            }
        }
        finishRows(a, row: r, count: R, unit: j0, units: n)
    }

    /// The gate law on rows `r ..< r + count` of units `j0 ..< j0 + n`, whose pre-activations
    /// `forwardTile` left in `gates`.
    @inline(never)
    static func finishRows(_ a: PackedLSTMForwardStep<S>, row r: Int, count: Int, unit j0: Int, units n: Int) {
        let h = a.hiddenSize
        var k = r
        #if SSLAB_AVX512
        // Two rows per call on sixteen lanes: half the activation instructions per unit.
        while k + 2 <= r + count {
            finishPair(a, row: k, unit: j0, units: n)
            k += 2
        }
        #endif
        while k < r + count {
            let g = a.gates + k * 4 * h + j0
            finishRow(a, row: k, unit: j0, units: n, load8(g, n), load8(g + h, n), load8(g + 2 * h, n), load8(g + 3 * h, n))
            k += 1
        }
    }

    /// `finishRow` for rows r and r + 1 at once, row r in the low lanes.
    @inline(__always)
    static func finishPair(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units n: Int) {
        let h = a.hiddenSize, g0 = a.gates + r * 4 * h + j0, g1 = g0 + 4 * h
        @inline(__always) func pair(_ p: UnsafePointer<S>, _ q: UnsafePointer<S>) -> SIMD16<S> {
            SIMD16(lowHalf: load8(p, n), highHalf: load8(q, n))
        }
        @inline(__always) func put(_ v: SIMD16<S>, _ p: UnsafeMutablePointer<S>, _ q: UnsafeMutablePointer<S>) {
            store8(v.lowHalf, p, n); store8(v.highHalf, q, n)
        }
        let s = r * h + j0
        let c0 = UnsafePointer(g0), c1 = UnsafePointer(g1)
        let (i, f, g, o, c, tc) = gateLaw(pair(c0, c1), pair(c0 + h, c1 + h), pair(c0 + 2 * h, c1 + 2 * h), pair(c0 + 3 * h, c1 + 3 * h),
                                          pair(a.cellPrevious + s, a.cellPrevious + s + h))
        put(i, g0, g1); put(f, g0 + h, g1 + h); put(g, g0 + 2 * h, g1 + 2 * h); put(o, g0 + 3 * h, g1 + 3 * h)
        put(c, a.cell + s, a.cell + s + h); put(tc, a.tanhCell + s, a.tanhCell + s + h); put(o * tc, a.hidden + s, a.hidden + s + h)
    }

    /// The gate law on one row of a tile; stores the activated gates, c, tanh c and h.
    @inline(__always)
    static func finishRow(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units n: Int, _ pi: V, _ pf: V, _ pg: V, _ po: V) {
        let h = a.hiddenSize
        let s = r * h + j0, gates = a.gates + r * 4 * h + j0
        let (i, f, g, o, c, tc) = gateLaw(pi, pf, pg, po, load8(a.cellPrevious + s, n))
        if n == 8 {
            store(i, gates); store(f, gates + h); store(g, gates + 2 * h); store(o, gates + 3 * h)
            store(c, a.cell + s); store(tc, a.tanhCell + s); store(o * tc, a.hidden + s)
        } else {
            store8(i, gates, n); store8(f, gates + h, n); store8(g, gates + 2 * h, n); store8(o, gates + 3 * h, n)
            store8(c, a.cell + s, n); store8(tc, a.tanhCell + s, n); store8(o * tc, a.hidden + s, n)
        }
    }

    /// `i, f, g, o = σ(pi), σ(pf), tanh(pg), σ(po)`, `c = f ⊙ c₋ + i ⊙ g` and `tanh c`.
    ///
    /// Not inlined on purpose: inlined into the row loop, LLVM (Swift 6.3, AVX-512 targets)
    /// turned parts of the vector exponential into per-lane scalar code; as its own function
    /// it stays vectorised.
    @inline(never)
    static func gateLaw(_ pi: V, _ pf: V, _ pg: V, _ po: V, _ cPrevious: V) -> (V, V, V, V, V, V) {
        let i = M.sigmoid(pi), f = M.sigmoid(pf), g = M.tanh(pg), o = M.sigmoid(po)
        let c = f * cPrevious + i * g
        return (i, f, g, o, c, M.tanh(c))
    }

    /// `gateLaw` on sixteen lanes (two rows).
    @inline(never)
    static func gateLaw(_ pi: SIMD16<S>, _ pf: SIMD16<S>, _ pg: SIMD16<S>, _ po: SIMD16<S>, _ cPrevious: SIMD16<S>)
        -> (SIMD16<S>, SIMD16<S>, SIMD16<S>, SIMD16<S>, SIMD16<S>, SIMD16<S>) {
        let i = M.sigmoid(pi), f = M.sigmoid(pf), g = M.tanh(pg), o = M.sigmoid(po)
        let c = f * cPrevious + i * g
        return (i, f, g, o, c, M.tanh(c))
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

    /// `C (rows × columns) += A (rows × depth) · B (depth × columns)` in tiles of up to
    /// `PackedTileMath.maxRows` × 32, with `A[r, k] = a[r·aRowStride + k·aDepthStride]`, B row k
    /// at `b + k·bStride` (column panels of 32 at `b + p·bPanelStride`, each readable for 32
    /// columns) and C row r at `c + r·cStride`.
    /// - Complexity: 2·rows·depth·columns flops (columns rounded up to 32).
    static func product(rows: Int, columns: Int, depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int,
                        b: UnsafePointer<S>, bStride: Int, bPanelStride: Int, c: UnsafeMutablePointer<S>, cStride: Int) {
        var p = 0
        while p * panelColumns < columns {
            let width = Swift.min(panelColumns, columns - p * panelColumns)
            let bp = b + p * bPanelStride, cp = c + p * panelColumns
            var r = 0
            while r < rows {
                let height = T.height(remaining: rows - r)
                let ar = a + r * aRowStride, cr = cp + r * cStride
                switch height {
                case 6: productTile6(depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                case 5: productTile5(depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                case 4: productTile4(depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                case 3: productTile3(depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                case 2: productTile2(depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                default: productTile1(depth: depth, a: ar, aRowStride: aRowStride, aDepthStride: aDepthStride, b: bp, bStride: bStride, c: cr, cStride: cStride, columns: width)
                }
                r += height
            }
            p += 1
        }
    }

    @inline(__always)
    static func productTile(_ R: Int, depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int,
                            b: UnsafePointer<S>, bStride: Int, c: UnsafeMutablePointer<S>, cStride: Int, columns: Int) {
        var t = PackedTile<S>(.zero, .zero)
        for k in 0..<R {
            let row = c + k * cStride
            if columns == 32 { t.setRow(k, T.load(row), T.load(row + 16)) } else { t.setRow(k, T.loadPart(row, columns, 0), T.loadPart(row, columns, 1)) }
        }
        T.accumulate(R, &t, a, rowStride: aRowStride, depthStride: aDepthStride, depth: depth, weights: b, weightStride: bStride)
        for k in 0..<R {
            let row = c + k * cStride, (p, q) = t.row(k)
            if columns == 32 { T.store(p, row); T.store(q, row + 16) } else { T.storePart(p, row, columns, 0); T.storePart(q, row, columns, 1) }
        }
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
