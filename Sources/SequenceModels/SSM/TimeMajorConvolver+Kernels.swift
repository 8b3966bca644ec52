// TimeMajorConvolver+Kernels.swift — the per-tile loops of `TimeMajorConvolver`: moving two
// (L, W) blocks of time-major sequences into zero-padded complex rows (with the half-length
// twiddles) and back, and the spectrum products.
//
// Each generic entry point dispatches once on `FFTScalar.fftPrecision` and runs a loop over
// plain `Float`/`Double` pointers, so the loop is specialised even when the caller is not.
// Index arithmetic uses the wrapping operators: every index is below a buffer size the
// convolver computed (no overflow), and the checked ones were measured to keep the loops scalar.
//
// Float tiles of width 8 move as 8 × 8 blocks through registers (eight 8-lane loads, three
// rounds of lane shuffles, then (de)interleaving with the other sequence of the pair, eight
// 8-lane stores); everything else (Double, a narrower last tile, the last L mod 8 time steps)
// takes the plain element loop. The tests reach both through the
// convolver (widths H = 8k + r, lengths L ≢ 0 mod 8) against the direct convolution.

import Numerics
import Spectral

enum TileKernels {
    // MARK: Layout

    /// For t < L, g < w, with z = src0[t·stride + g] + i·src1[t·stride + g] (imaginary part 0
    /// when `src1` is nil) and ω^t = twiddles[t] + i·twiddles[L + t]:
    /// `even_g[t] = z`, `odd_g[t] = ω^t z`, and zeros for L ≤ t < m — two time-major (L, w)
    /// blocks into the 2w padded complex rows of length m (channel g's even row at scalar
    /// offset 4·g·m, its odd row 2m after it; interleaved re, im).
    /// - Complexity: O(w·m).
    @inline(__always)
    static func gather<S: FFTScalar>(_ src0: UnsafePointer<S>, _ src1: UnsafePointer<S>?, stride: Int, length L: Int, width w: Int,
                                     twiddles: UnsafePointer<S>, into rows: UnsafeMutablePointer<S>, rowLength m: Int) {
        var done = 0
        if S.fftPrecision == .single && w % 8 == 0 {
            let a = rebound(src0, Float.self), b = src1.map { rebound($0, Float.self) }
            let d = rebound(rows, Float.self), cr = rebound(twiddles, Float.self), ci = cr + L
            done = L & ~7
            var t = 0
            while t < done {
              for g0 in Swift.stride(from: 0, to: w, by: 8) {
                let re = Block8(a + (t &* stride &+ g0), stride).transposed()
                let im = b.map { Block8($0 + (t &* stride &+ g0), stride).transposed() } ?? Block8()
                let c = UnsafeRawPointer(cr + t).loadUnaligned(as: V8.self), e = UnsafeRawPointer(ci + t).loadUnaligned(as: V8.self)
                for g in 0..<8 {
                    let zr = re[g], zi = im[g]
                    let q = UnsafeMutableRawPointer(d + 2 &* (2 &* (g0 &+ g) &* m &+ t))
                    let (lo, hi) = interleave(zr, zi)
                    q.storeBytes(of: lo, as: V8.self)
                    q.storeBytes(of: hi, toByteOffset: 32, as: V8.self)
                    let (oddLo, oddHi) = interleave(zr * c - zi * e, zr * e + zi * c)
                    q.storeBytes(of: oddLo, toByteOffset: 8 &* m, as: V8.self)
                    q.storeBytes(of: oddHi, toByteOffset: 8 &* m &+ 32, as: V8.self)
                }
              }
                t &+= 8
            }
        }
        var t = done
        while t < L {
            let s0 = src0 + t &* stride, s1 = src1.map { $0 + t &* stride }
            let c = twiddles[t], e = twiddles[L &+ t]
            var g = 0
            while g < w {
                let i = 2 &* (2 &* g &* m &+ t), zr = s0[g], zi = s1?[g] ?? 0
                rows[i] = zr
                rows[i &+ 1] = zi
                rows[i &+ 2 &* m] = zr * c - zi * e
                rows[i &+ 2 &* m &+ 1] = zr * e + zi * c
                g &+= 1
            }
            t &+= 1
        }
        for row in 0..<(2 &* w) { (rows + 2 &* (row &* m &+ L)).update(repeating: 0, count: 2 &* (m &- L)) }
    }

    /// For t < L, g < w, with w_g[t] = even_g[t] + ω^(−t) odd_g[t] (the inverse transform's
    /// first L values, see TimeMajorConvolver.swift): `dst0[t·stride + g] = Re w_g[t]` and, when
    /// `dst1` is given, `dst1[t·stride + g] = Im w_g[t]` — back into two time-major (L, w) blocks.
    /// - Complexity: O(w·L).
    @inline(__always)
    static func scatter<S: FFTScalar>(_ rows: UnsafePointer<S>, rowLength m: Int, length L: Int, width w: Int, twiddles: UnsafePointer<S>,
                                      into dst0: UnsafeMutablePointer<S>, _ dst1: UnsafeMutablePointer<S>?, stride: Int) {
        var done = 0
        if S.fftPrecision == .single && w % 8 == 0 {
            let s = rebound(rows, Float.self), cr = rebound(twiddles, Float.self), ci = cr + L
            let a = rebound(dst0, Float.self), b = dst1.map { rebound($0, Float.self) }
            done = L & ~7
            var t = 0
            while t < done {
              for g0 in Swift.stride(from: 0, to: w, by: 8) {
                let c = UnsafeRawPointer(cr + t).loadUnaligned(as: V8.self), e = UnsafeRawPointer(ci + t).loadUnaligned(as: V8.self)
                var re = Block8(), im = Block8()
                for g in 0..<8 {
                    let p = UnsafeRawPointer(s + 2 &* (2 &* (g0 &+ g) &* m &+ t))
                    let (er, ei) = deinterleave(p.loadUnaligned(as: V8.self), p.loadUnaligned(fromByteOffset: 32, as: V8.self))
                    let (or, oi) = deinterleave(p.loadUnaligned(fromByteOffset: 8 &* m, as: V8.self),
                                                p.loadUnaligned(fromByteOffset: 8 &* m &+ 32, as: V8.self))
                    re[g] = er + c * or + e * oi
                    im[g] = ei + c * oi - e * or
                }
                re.transposed().store(a + (t &* stride &+ g0), stride)
                if let b { im.transposed().store(b + (t &* stride &+ g0), stride) }
              }
                t &+= 8
            }
        }
        var t = done
        while t < L {
            let d0 = dst0 + t &* stride, d1 = dst1.map { $0 + t &* stride }
            let c = twiddles[t], e = twiddles[L &+ t]
            var g = 0
            while g < w {
                let i = 2 &* (2 &* g &* m &+ t), j = i &+ 2 &* m
                d0[g] = rows[i] + c * rows[j] + e * rows[j &+ 1]
                d1?[g] = rows[i &+ 1] + c * rows[j &+ 1] - e * rows[j]
                g &+= 1
            }
            t &+= 1
        }
    }

    @inline(__always)
    private static func rebound<S, T>(_ p: UnsafePointer<S>, _: T.Type) -> UnsafePointer<T> {
        UnsafeRawPointer(p).assumingMemoryBound(to: T.self)
    }

    @inline(__always)
    private static func rebound<S, T>(_ p: UnsafeMutablePointer<S>, _: T.Type) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: T.self)
    }

    typealias V8 = SIMD8<Float>

    /// Eight rows of eight Floats in registers.
    struct Block8 {
        var v0 = V8(), v1 = V8(), v2 = V8(), v3 = V8(), v4 = V8(), v5 = V8(), v6 = V8(), v7 = V8()

        init() {}

        /// Rows `p[i·stride ..< i·stride + 8]`, i < 8.
        @inline(__always)
        init(_ p: UnsafePointer<Float>, _ stride: Int) {
            let r = UnsafeRawPointer(p), s = 4 &* stride
            v0 = r.loadUnaligned(as: V8.self); v1 = r.loadUnaligned(fromByteOffset: s, as: V8.self)
            v2 = r.loadUnaligned(fromByteOffset: 2 &* s, as: V8.self); v3 = r.loadUnaligned(fromByteOffset: 3 &* s, as: V8.self)
            v4 = r.loadUnaligned(fromByteOffset: 4 &* s, as: V8.self); v5 = r.loadUnaligned(fromByteOffset: 5 &* s, as: V8.self)
            v6 = r.loadUnaligned(fromByteOffset: 6 &* s, as: V8.self); v7 = r.loadUnaligned(fromByteOffset: 7 &* s, as: V8.self)
        }

        /// Stores row i at `p[i·stride ..< i·stride + 8]`.
        @inline(__always)
        func store(_ p: UnsafeMutablePointer<Float>, _ stride: Int) {
            let q = UnsafeMutableRawPointer(p), s = 4 &* stride
            q.storeBytes(of: v0, as: V8.self); q.storeBytes(of: v1, toByteOffset: s, as: V8.self)
            q.storeBytes(of: v2, toByteOffset: 2 &* s, as: V8.self); q.storeBytes(of: v3, toByteOffset: 3 &* s, as: V8.self)
            q.storeBytes(of: v4, toByteOffset: 4 &* s, as: V8.self); q.storeBytes(of: v5, toByteOffset: 5 &* s, as: V8.self)
            q.storeBytes(of: v6, toByteOffset: 6 &* s, as: V8.self); q.storeBytes(of: v7, toByteOffset: 7 &* s, as: V8.self)
        }

        @inline(__always)
        subscript(i: Int) -> V8 {
            get {
                switch i {
                case 0: return v0
                case 1: return v1
                case 2: return v2
                case 3: return v3
                case 4: return v4
                case 5: return v5
                case 6: return v6
                default: return v7
                }
            }
            set {
                switch i {
                case 0: v0 = newValue
                case 1: v1 = newValue
                case 2: v2 = newValue
                case 3: v3 = newValue
                case 4: v4 = newValue
                case 5: v5 = newValue
                case 6: v6 = newValue
                default: v7 = newValue
                }
            }
        }

        /// The 8 × 8 transpose: interleave pairs of rows, then pairs of pairs, then exchange
        /// 128-bit halves (the AVX unpack / shuffle / permute2f128 sequence, written as lane
        /// selections LLVM lowers to those instructions).
        @inline(__always)
        func transposed() -> Block8 {
            let t0 = unpackLow(v0, v1), t1 = unpackHigh(v0, v1), t2 = unpackLow(v2, v3), t3 = unpackHigh(v2, v3)
            let t4 = unpackLow(v4, v5), t5 = unpackHigh(v4, v5), t6 = unpackLow(v6, v7), t7 = unpackHigh(v6, v7)
            let u0 = pairLow(t0, t2), u1 = pairHigh(t0, t2), u2 = pairLow(t1, t3), u3 = pairHigh(t1, t3)
            let u4 = pairLow(t4, t6), u5 = pairHigh(t4, t6), u6 = pairLow(t5, t7), u7 = pairHigh(t5, t7)
            var out = Block8()
            out.v0 = halvesLow(u0, u4); out.v1 = halvesLow(u1, u5); out.v2 = halvesLow(u2, u6); out.v3 = halvesLow(u3, u7)
            out.v4 = halvesHigh(u0, u4); out.v5 = halvesHigh(u1, u5); out.v6 = halvesHigh(u2, u6); out.v7 = halvesHigh(u3, u7)
            return out
        }
    }

    /// (re, im) → the interleaved [re0 im0 … re3 im3], [re4 im4 … re7 im7].
    @inline(__always)
    static func interleave(_ re: V8, _ im: V8) -> (V8, V8) {
        let u = unpackLow(re, im), v = unpackHigh(re, im)
        return (halvesLow(u, v), halvesHigh(u, v))
    }

    /// The inverse of `interleave`.
    @inline(__always)
    static func deinterleave(_ lo: V8, _ hi: V8) -> (V8, V8) {
        (V8(lo[0], lo[2], lo[4], lo[6], hi[0], hi[2], hi[4], hi[6]), V8(lo[1], lo[3], lo[5], lo[7], hi[1], hi[3], hi[5], hi[7]))
    }

    @inline(__always) static func unpackLow(_ a: V8, _ b: V8) -> V8 { V8(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]) }
    @inline(__always) static func unpackHigh(_ a: V8, _ b: V8) -> V8 { V8(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]) }
    @inline(__always) static func pairLow(_ a: V8, _ b: V8) -> V8 { V8(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]) }
    @inline(__always) static func pairHigh(_ a: V8, _ b: V8) -> V8 { V8(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]) }
    @inline(__always) static func halvesLow(_ a: V8, _ b: V8) -> V8 { V8(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]) }
    @inline(__always) static func halvesHigh(_ a: V8, _ b: V8) -> V8 { V8(a[4], a[5], a[6], a[7], b[4], b[5], b[6], b[7]) }

    // MARK: Spectrum products (interleaved re, im)

    /// `s[i] = s[i] · k[i]` for `count` complex values.
    /// - Complexity: O(count).
    @inline(__always)
    static func multiply<S: FFTScalar>(_ s: UnsafeMutablePointer<S>, by k: UnsafePointer<S>, count: Int) {
        switch S.fftPrecision {
        case .single: multiplyLoop(rebound(s, Float.self), rebound(k, Float.self), count)
        case .double: multiplyLoop(rebound(s, Double.self), rebound(k, Double.self), count)
        }
    }

    /// For `count` complex values: `acc[i] (+)= conj(x[i]) · g[i]` (assigning when not
    /// `accumulating`), then `g[i] = conj(k[i]) · g[i]` — both adjoint products of one tile in
    /// one pass.
    /// - Complexity: O(count).
    @inline(__always)
    static func correlate<S: FFTScalar>(_ x: UnsafePointer<S>, _ g: UnsafeMutablePointer<S>, kernel k: UnsafePointer<S>,
                                        accumulating: Bool, into acc: UnsafeMutablePointer<S>, count: Int) {
        switch S.fftPrecision {
        case .single:
            correlateLoop(rebound(x, Float.self), rebound(g, Float.self), rebound(k, Float.self), accumulating, rebound(acc, Float.self), count)
        case .double:
            correlateLoop(rebound(x, Double.self), rebound(g, Double.self), rebound(k, Double.self), accumulating, rebound(acc, Double.self), count)
        }
    }

    @inline(__always)
    private static func multiplyLoop<T: BinaryFloatingPoint>(_ s: UnsafeMutablePointer<T>, _ k: UnsafePointer<T>, _ count: Int) {
        var i = 0
        while i < count {
            let re = 2 &* i, im = re &+ 1
            let sr = s[re], si = s[im], kr = k[re], ki = k[im]
            s[re] = sr * kr - si * ki
            s[im] = sr * ki + si * kr
            i &+= 1
        }
    }

    @inline(__always)
    private static func correlateLoop<T: BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: UnsafeMutablePointer<T>, _ k: UnsafePointer<T>,
                                                              _ accumulating: Bool, _ acc: UnsafeMutablePointer<T>, _ count: Int) {
        if accumulating {
            var i = 0
            while i < count {
                let re = 2 &* i, im = re &+ 1
                let xr = x[re], xi = x[im], gr = g[re], gi = g[im], kr = k[re], ki = k[im]
                acc[re] += xr * gr + xi * gi
                acc[im] += xr * gi - xi * gr
                g[re] = kr * gr + ki * gi
                g[im] = kr * gi - ki * gr
                i &+= 1
            }
        } else {
            var i = 0
            while i < count {
                let re = 2 &* i, im = re &+ 1
                let xr = x[re], xi = x[im], gr = g[re], gi = g[im], kr = k[re], ki = k[im]
                acc[re] = xr * gr + xi * gi
                acc[im] = xr * gi - xi * gr
                g[re] = kr * gr + ki * gi
                g[im] = kr * gi - ki * gr
                i &+= 1
            }
        }
    }
}
