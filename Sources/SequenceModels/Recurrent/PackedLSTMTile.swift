// PackedLSTMTile.swift — the register tile of the packed LSTM micro-kernels: up to six batch
// rows × 32 columns (four 8-lane gate vectors of one hidden block, or one 32-column product
// panel), held per row as two 16-lane halves [i f] and [g o].
//
// Sixteen lanes is the width of one AVX-512 register. On a target without AVX-512 a 16-lane
// operation becomes two 8-lane ones, exactly the instructions of four 8-lane accumulators per
// row, so the tile costs nothing there. Each lane still sees the same multiply-adds in the same
// order whatever the width, so the results do not depend on it (bit for bit).
//
// Tile height: with AVX-512 (`SSLAB_AVX512`, set with an AVX-512 `SSLAB_TARGET_CPU`, see
// Package.swift) up to 6 rows, 12 of the 32 registers as accumulators — enough independent
// multiply-add chains to cover the FMA latency on both pipes; otherwise up to 3 rows, 12 of the
// 16 AVX2 registers (the 8-lane halves).

/// The accumulators of an R × 32 tile, row by row: with AVX-512 `a` holds columns 0..<16 and
/// `b` 16..<32 of a row; without it, each row is four 8-lane quarters `i`, `f`, `g`, `o`
/// (separate values, so the register allocator sees twelve independent 8-lane accumulators —
/// 16-lane values there cost a spill per depth step, measured 2× slower).
struct PackedTile<S: SIMDScalar> {
    typealias W = SIMD16<S>
    #if SSLAB_AVX512
    var a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5: W

    @inline(__always)
    init(_ a: W, _ b: W) {
        (a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5) = (a, b, a, b, a, b, a, b, a, b, a, b)
    }

    /// Row `r` of the tile (r a constant after inlining).
    @inline(__always)
    func row(_ r: Int) -> (W, W) {
        switch r {
        case 0: return (a0, b0)
        case 1: return (a1, b1)
        case 2: return (a2, b2)
        case 3: return (a3, b3)
        case 4: return (a4, b4)
        default: return (a5, b5)
        }
    }

    @inline(__always)
    mutating func setRow(_ r: Int, _ a: W, _ b: W) {
        switch r {
        case 0: (a0, b0) = (a, b)
        case 1: (a1, b1) = (a, b)
        case 2: (a2, b2) = (a, b)
        case 3: (a3, b3) = (a, b)
        case 4: (a4, b4) = (a, b)
        default: (a5, b5) = (a, b)
        }
    }
    #else
    typealias Q = SIMD8<S>
    var i0, f0, g0, o0, i1, f1, g1, o1, i2, f2, g2, o2, i3, f3, g3, o3, i4, f4, g4, o4, i5, f5, g5, o5: Q

    @inline(__always)
    init(_ a: W, _ b: W) {
        let (i, f, g, o) = (a.lowHalf, a.highHalf, b.lowHalf, b.highHalf)
        (i0, f0, g0, o0) = (i, f, g, o)
        (i1, f1, g1, o1) = (i, f, g, o)
        (i2, f2, g2, o2) = (i, f, g, o)
        (i3, f3, g3, o3) = (i, f, g, o)
        (i4, f4, g4, o4) = (i, f, g, o)
        (i5, f5, g5, o5) = (i, f, g, o)
    }

    @inline(__always)
    func row(_ r: Int) -> (W, W) {
        switch r {
        case 0: return (W(lowHalf: i0, highHalf: f0), W(lowHalf: g0, highHalf: o0))
        case 1: return (W(lowHalf: i1, highHalf: f1), W(lowHalf: g1, highHalf: o1))
        case 2: return (W(lowHalf: i2, highHalf: f2), W(lowHalf: g2, highHalf: o2))
        case 3: return (W(lowHalf: i3, highHalf: f3), W(lowHalf: g3, highHalf: o3))
        case 4: return (W(lowHalf: i4, highHalf: f4), W(lowHalf: g4, highHalf: o4))
        default: return (W(lowHalf: i5, highHalf: f5), W(lowHalf: g5, highHalf: o5))
        }
    }

    @inline(__always)
    mutating func setRow(_ r: Int, _ a: W, _ b: W) {
        switch r {
        case 0: (i0, f0, g0, o0) = (a.lowHalf, a.highHalf, b.lowHalf, b.highHalf)
        case 1: (i1, f1, g1, o1) = (a.lowHalf, a.highHalf, b.lowHalf, b.highHalf)
        case 2: (i2, f2, g2, o2) = (a.lowHalf, a.highHalf, b.lowHalf, b.highHalf)
        case 3: (i3, f3, g3, o3) = (a.lowHalf, a.highHalf, b.lowHalf, b.highHalf)
        case 4: (i4, f4, g4, o4) = (a.lowHalf, a.highHalf, b.lowHalf, b.highHalf)
        default: (i5, f5, g5, o5) = (a.lowHalf, a.highHalf, b.lowHalf, b.highHalf)
        }
    }
    #endif
}

enum PackedTileMath<S: SIMDScalar & FloatingPoint> {
    typealias W = SIMD16<S>

    /// The most rows a tile holds in this build (see the file header).
    static var maxRows: Int {
        #if SSLAB_AVX512
        return 6
        #else
        return 3
        #endif
    }

    /// The height of the next tile with `n` rows left: full tiles, and the last two tiles
    /// balanced when fewer than two full ones remain (4 rows as 2 + 2 when at most 3 fit).
    @inline(__always)
    static func height(remaining n: Int) -> Int {
        let m = maxRows
        if n <= m { return n }
        return n < 2 * m ? (n + 1) / 2 : m
    }

    @inline(__always)
    static func madd(_ acc: inout W, _ x: W, _ w: W) {
        #if SSLAB_FMA
        acc.addProduct(x, w)
        #else
        acc += x * w
        #endif
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<S>) -> W { UnsafeRawPointer(p).loadUnaligned(as: W.self) }

    @inline(__always)
    static func store(_ v: W, _ p: UnsafeMutablePointer<S>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: W.self) }

    /// Columns `16·half ..< 16·half + 16` of a row of `columns` scalars (zeros past the end).
    @inline(__always)
    static func loadPart(_ p: UnsafePointer<S>, _ columns: Int, _ half: Int) -> W {
        let n = columns - 16 * half
        return W(lowHalf: load8(p + 16 * half, Swift.max(0, Swift.min(8, n))),
                 highHalf: load8(p + 16 * half + 8, Swift.max(0, Swift.min(8, n - 8))))
    }

    @inline(__always)
    static func storePart(_ v: W, _ p: UnsafeMutablePointer<S>, _ columns: Int, _ half: Int) {
        let n = columns - 16 * half
        store8(v.lowHalf, p + 16 * half, Swift.max(0, Swift.min(8, n)))
        store8(v.highHalf, p + 16 * half + 8, Swift.max(0, Swift.min(8, n - 8)))
    }

    /// `tile[r] += Σ_k a[r·rowStride + k·depthStride] · w[k]` for k < depth and the first R
    /// rows, with w[k] the 32 scalars at `weights + k·weightStride`.
    ///
    /// With AVX-512 the 32 weights are two registers. Without it, they are read eight at a
    /// time and each 8-lane quarter updated in turn: 12 accumulators, one weight vector and
    /// R ≤ 3 broadcasts fit the 16 AVX2 registers, where holding all 32 weights (four
    /// registers) spilled an accumulator to the stack in every iteration (measured 2× slower).
    /// - Complexity: 2·R·32·depth flops.
    @inline(__always)
    static func accumulate(_ R: Int, _ t: inout PackedTile<S>, _ a: UnsafePointer<S>, rowStride: Int, depthStride: Int,
                           depth: Int, weights: UnsafePointer<S>, weightStride: Int) {
        var w = weights, x = a
        let s1 = rowStride, s2 = 2 * rowStride, s3 = 3 * rowStride, s4 = 4 * rowStride, s5 = 5 * rowStride
        #if SSLAB_AVX512
        for _ in 0..<depth {
            let va = load(w), vb = load(w + 16)
            let x0 = W(repeating: x[0])
            madd(&t.a0, x0, va); madd(&t.b0, x0, vb)
            if R >= 2 { let x1 = W(repeating: x[s1]); madd(&t.a1, x1, va); madd(&t.b1, x1, vb) }
            if R >= 3 { let x2 = W(repeating: x[s2]); madd(&t.a2, x2, va); madd(&t.b2, x2, vb) }
            if R >= 4 { let x3 = W(repeating: x[s3]); madd(&t.a3, x3, va); madd(&t.b3, x3, vb) }
            if R >= 5 { let x4 = W(repeating: x[s4]); madd(&t.a4, x4, va); madd(&t.b4, x4, vb) }
            if R >= 6 { let x5 = W(repeating: x[s5]); madd(&t.a5, x5, va); madd(&t.b5, x5, vb) }
            w += weightStride
            x += depthStride
        }
        #else
        typealias H = SIMD8<S>
        for _ in 0..<depth {
            let x0 = H(repeating: x[0])
            let x1 = R >= 2 ? H(repeating: x[s1]) : x0, x2 = R >= 3 ? H(repeating: x[s2]) : x0
            let x3 = R >= 4 ? H(repeating: x[s3]) : x0, x4 = R >= 5 ? H(repeating: x[s4]) : x0
            let x5 = R >= 6 ? H(repeating: x[s5]) : x0
            var v = UnsafeRawPointer(w + 0).loadUnaligned(as: H.self)
            madd8(&t.i0, x0, v); if R >= 2 { madd8(&t.i1, x1, v) }; if R >= 3 { madd8(&t.i2, x2, v) }; if R >= 4 { madd8(&t.i3, x3, v) }; if R >= 5 { madd8(&t.i4, x4, v) }; if R >= 6 { madd8(&t.i5, x5, v) }
            v = UnsafeRawPointer(w + 8).loadUnaligned(as: H.self)
            madd8(&t.f0, x0, v); if R >= 2 { madd8(&t.f1, x1, v) }; if R >= 3 { madd8(&t.f2, x2, v) }; if R >= 4 { madd8(&t.f3, x3, v) }; if R >= 5 { madd8(&t.f4, x4, v) }; if R >= 6 { madd8(&t.f5, x5, v) }
            v = UnsafeRawPointer(w + 16).loadUnaligned(as: H.self)
            madd8(&t.g0, x0, v); if R >= 2 { madd8(&t.g1, x1, v) }; if R >= 3 { madd8(&t.g2, x2, v) }; if R >= 4 { madd8(&t.g3, x3, v) }; if R >= 5 { madd8(&t.g4, x4, v) }; if R >= 6 { madd8(&t.g5, x5, v) }
            v = UnsafeRawPointer(w + 24).loadUnaligned(as: H.self)
            madd8(&t.o0, x0, v); if R >= 2 { madd8(&t.o1, x1, v) }; if R >= 3 { madd8(&t.o2, x2, v) }; if R >= 4 { madd8(&t.o3, x3, v) }; if R >= 5 { madd8(&t.o4, x4, v) }; if R >= 6 { madd8(&t.o5, x5, v) }
            w += weightStride
            x += depthStride
        }
        #endif
    }

    @inline(__always)
    static func madd8(_ acc: inout SIMD8<S>, _ x: SIMD8<S>, _ w: SIMD8<S>) {
        #if SSLAB_FMA
        acc.addProduct(x, w)
        #else
        acc += x * w
        #endif
    }
}
