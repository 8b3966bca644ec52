// SoftmaxKernels.swift — the row operations of a softmax on raw buffers: maximum, shifted
// exponential with its sum, and a vectorisable single-precision exponential.
//
// Goals, in priority order: (1) results equal to exp/sum up to rounding (the Float exponential
// is within ~1 ulp of the exact value; Double uses the C library's `exp`); (2) loops the
// compiler vectorises on the baseline x86-64 target (SSE2): no calls, no branches inside the
// element loop, explicit SIMD accumulators for reductions.

import Numerics

enum SoftmaxKernels {
    /// e^x in single precision for the softmax domain, by range reduction and a polynomial:
    /// `x = n·ln 2 + r` with `n = round(x / ln 2)`, |r| ≤ ln 2 / 2, `ln 2` split in two parts
    /// (Cody & Waite, "Software Manual for the Elementary Functions", 1980), `e^r` by the
    /// degree-6 minimax polynomial of Cephes' `expf` (Moshier, "Methods and Programs for
    /// Mathematical Functions", 1989), and `2ⁿ` assembled in the exponent bits. The rounding of
    /// `x / ln 2` uses the 1.5·2²³ shifter (no SSE4.1 `round` needed). Relative error ≤ 1e-7
    /// on [−87, 88]; below −87 the result is flushed to 0 (e^−87 ≈ 1.6e−38), above 88 it is
    /// clamped (not reached by a softmax, whose arguments are ≤ 0).
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let xc = Swift.min(Swift.max(x, -87.0), 88.0)
        let t = xc * 1.442_695_040_888_963_4 + 12_582_912.0       // n + 1.5·2²³, rounded to nearest
        let n = t - 12_582_912.0
        var r = xc - n * 0.693_359_375                           // ln 2 = 0.693359375 − 2.12194440e−4
        r = r + n * 2.121_944_40e-4
        var p: Float = 1.987_569_150_0e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let er = p * (r * r) + r + 1
        let twoN = Float(bitPattern: (t.bitPattern &- 0x4B40_0000 &+ 127) << 23)
        let y = er * twoN
        return x < -87.0 ? 0 : y
    }

    /// `max_i p[i]` over `n ≥ 1` elements (−∞ entries allowed).
    /// - Complexity: O(n).
    @inline(__always)
    static func maximum<S: NeuralScalar>(_ p: UnsafePointer<S>, _ n: Int) -> S {
        if S.self == Float.self {
            let f = UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
            var acc = SIMD8<Float>(repeating: -.infinity)
            var i = 0
            while i + 8 <= n {
                acc = pointwiseMax(acc, UnsafeRawPointer(f + i).loadUnaligned(as: SIMD8<Float>.self))
                i += 8
            }
            var m = acc.max()
            while i < n { m = Swift.max(m, f[i]); i += 1 }
            return S(m)
        }
        var m = p[0]
        for i in 1..<Swift.max(n, 1) where p[i] > m { m = p[i] }
        return m
    }

    /// `p[i] ← exp(p[i] − shift)` for `i < n`, returning `Σ_i p[i]` after the update.
    /// `shift` must be finite; entries equal to −∞ become 0.
    /// - Complexity: O(n) with one exponential per element.
    @inline(__always)
    static func exponentiate<S: NeuralScalar>(_ p: UnsafeMutablePointer<S>, _ n: Int, shift: S) -> S {
        if S.self == Float.self {
            let f = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
            let s = Float(shift)
            for i in 0..<n { f[i] = exp(f[i] - s) }          // vectorised (no reduction inside)
            return S(sum(UnsafePointer(f), n))
        }
        var total: S = 0
        for i in 0..<n {
            let e = S.exp(p[i] - shift)
            p[i] = e
            total += e
        }
        return total
    }

    /// `Σ_i p[i]` in single precision with eight partial sums.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= n {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var s = acc.sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    /// `e^x` for any scalar: the fast single-precision form for Float, the C library's otherwise.
    @inline(__always)
    static func scalarExp<S: NeuralScalar>(_ x: S) -> S {
        if S.self == Float.self { return S(exp(Float(x))) }
        return S.exp(x)
    }
}
