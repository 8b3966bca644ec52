// VectorMath+Double.swift — the double-precision kernels, four lanes at a time.
//
// The same methods as VectorMath+Float.swift with longer polynomials (fitted errors ≤ 1e-17,
// below Double's half ulp) and the double-precision constants; see VectorMath.swift for the
// error bounds. Separate multiplies and adds throughout (no FMA assumed).

import LinearAlgebra

extension VectorMath {
    public typealias DoubleLanes = SIMD4<Double>
    typealias DoubleBits = SIMD4<Int64>

    @inline(__always) static func bits(_ v: DoubleLanes) -> DoubleBits { unsafeBitCast(v, to: DoubleBits.self) }
    @inline(__always) static func lanes(_ b: DoubleBits) -> DoubleLanes { unsafeBitCast(b, to: DoubleLanes.self) }
    @inline(__always) static var doubleSign: Int64 { Int64(bitPattern: 0x8000_0000_0000_0000) }
    @inline(__always) static func splat(_ v: Double) -> DoubleBits { DoubleBits(repeating: Int64(bitPattern: v.bitPattern)) }

    @inline(__always) static func magnitude(_ x: DoubleLanes) -> DoubleLanes { lanes(bits(x) & 0x7FFF_FFFF_FFFF_FFFF) }

    // Lane selection with integer masks, as in the Float file.
    @inline(__always) static func signMask(_ x: DoubleLanes) -> DoubleBits { bits(x) &>> 63 }
    @inline(__always) static func below(_ a: DoubleLanes, _ c: Double) -> DoubleBits { (bits(a) &- splat(c)) &>> 63 }
    @inline(__always)
    static func within(_ a: DoubleBits, _ c: DoubleBits) -> DoubleBits { ((a &- c) | (0x7FF0_0000_0000_0000 &- a)) &>> 63 }
    @inline(__always)
    static func blend(_ m: DoubleBits, _ a: DoubleLanes, _ b: DoubleLanes) -> DoubleLanes { lanes((bits(a) & m) | (bits(b) & ~m)) }
    @inline(__always)
    static func limit(_ a: DoubleLanes, _ c: Double) -> DoubleLanes {
        let keep = within(bits(a), splat(c))
        return lanes((bits(a) & keep) | (splat(c) & ~keep))
    }
    @inline(__always)
    static func clamp(_ x: DoubleLanes, _ c: Double) -> DoubleLanes {
        lanes(bits(limit(magnitude(x), c)) | (bits(x) & doubleSign))
    }
    @inline(__always)
    static func floor(_ x: DoubleLanes, _ c: Double) -> DoubleLanes {
        let replace = signMask(x) & ~within(bits(x) & 0x7FFF_FFFF_FFFF_FFFF, splat(c))
        return lanes((splat(-c) & replace) | (bits(x) & ~replace))
    }

    /// `x² = hi + lo` exactly (Dekker/Veltkamp with the split 2²⁷ + 1), for |x| < 2⁴⁹⁰.
    @inline(__always)
    static func exactSquare(_ x: DoubleLanes) -> (hi: DoubleLanes, lo: DoubleLanes) {
        let c = x * 134_217_729
        let head = c - (c - x)
        let tail = x - head
        let hi = x * x
        let lo = ((head * head - hi) + 2 * head * tail) + tail * tail
        return (hi, lo)
    }

    /// `e^(hi + lo) · 2^offset`: clamp to [−850, 710] (0 or +∞ beyond, also for offsets ≤ 128),
    /// `n = round(x log₂e)` by the 1.5·2⁵² shifter, Cody–Waite reduction with a 32-bit head of
    /// ln 2, `e^r = 1 + r + r² Q(r)` (Q degree 9, fitted error 7.9e-18), `2ⁿ` as two normal
    /// factors (see the Float version).
    @inline(__always)
    static func exp(hi: DoubleLanes, lo: DoubleLanes, offset: Int64 = 0) -> DoubleLanes {
        let (t, r) = expReduce(hi)
        return expFinish(r + lo, t, offset: offset)
    }

    /// `eˣ · 2^offset`.
    @inline(__always)
    static func exp(_ x: DoubleLanes, offset: Int64) -> DoubleLanes {
        let (t, r) = expReduce(x)
        return expFinish(r, t, offset: offset)
    }

    /// `eˣ`, within 1 ulp.
    @inline(__always)
    public static func exp(_ x: DoubleLanes) -> DoubleLanes { exp(x, offset: 0) }

    /// The reduction without the clamp, for arguments known to lie in [−850, 710] (or NaN).
    @inline(__always)
    static func expReduceInRange(_ x: DoubleLanes) -> (t: DoubleLanes, r: DoubleLanes) {
        let shifter = 6_755_399_441_055_744.0                            // 1.5 · 2⁵²
        let t = x * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        return (t, (x - n * 6.931_471_803_691_238_164_90e-1) - n * 1.908_214_929_270_587_700_02e-10)
    }

    @inline(__always)
    static func expReduce(_ hi: DoubleLanes) -> (t: DoubleLanes, r: DoubleLanes) {
        let sign = signMask(hi)
        let bound = (splat(850) & sign) | (splat(710) & ~sign)
        let magnitudeBits = bits(hi) & 0x7FFF_FFFF_FFFF_FFFF
        let keep = within(magnitudeBits, bound)
        let x = lanes(((magnitudeBits & keep) | (bound & ~keep)) | (bits(hi) & doubleSign))
        let shifter = 6_755_399_441_055_744.0                            // 1.5 · 2⁵²
        let t = x * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        return (t, (x - n * 6.931_471_803_691_238_164_90e-1) - n * 1.908_214_929_270_587_700_02e-10)
    }

    @inline(__always)
    static func expFinish(_ r: DoubleLanes, _ t: DoubleLanes, offset: Int64) -> DoubleLanes {
        var q = DoubleLanes(repeating: 2.511_027_040_885_980_483_6e-8)
        q = q * r + 2.763_294_263_209_552_034_7e-7
        q = q * r + 2.755_724_175_057_552_666_7e-6
        q = q * r + 2.480_148_656_349_907_870_5e-5
        q = q * r + 1.984_126_988_711_007_271_3e-4
        q = q * r + 1.388_888_894_849_623_804_8e-3
        q = q * r + 8.333_333_333_322_037_106_4e-3
        q = q * r + 4.166_666_666_651_977_623_6e-2
        q = q * r + 1.666_666_666_666_667_468e-1
        q = q * r + 5.000_000_000_000_010_420_5e-1
        let p = 1 + (r + r * r * q)
        let k = bits(t) &- 0x4338_0000_0000_0000                          // n
        let k1 = k &>> 1, k2 = (k &- k1) &+ offset
        return p * lanes((k1 &+ 1023) &<< 52) * lanes((k2 &+ 1023) &<< 52)
    }

    /// `tanh x`: odd polynomial `a + a·u·P(u)` (P degree 10, fitted error 1.0e-17) below 0.625,
    /// else `(1 − e)/(1 + e)`, `e = e^(−2|x|)`.
    @inline(__always)
    public static func tanh(_ x: DoubleLanes) -> DoubleLanes {
        let a = magnitude(x)
        let e = exp(-2 * limit(a, 20))                                       // tanh 20 = 1 in Double
        let large = (1 - e) / (1 + e)
        let u = a * a
        var p = DoubleLanes(repeating: -1.607_256_771_245_935_805_6e-5)
        p = p * u + 7.714_436_258_159_063_9e-5
        p = p * u - 2.285_642_074_827_703_372_7e-4
        p = p * u + 5.863_165_384_932_964_478_2e-4
        p = p * u - 1.454_958_877_401_997_652_6e-3
        p = p * u + 3.591_989_173_694_118_019_3e-3
        p = p * u - 8.863_221_002_614_121_702_1e-3
        p = p * u + 2.186_948_757_609_314_641_8e-2
        p = p * u - 5.396_825_393_126_762_288_4e-2
        p = p * u + 1.333_333_333_326_209_109_9e-1
        p = p * u - 3.333_333_333_333_285_526_3e-1
        let small = a + a * (u * p)
        let y = blend(below(a, 0.625), small, large)
        return lanes(bits(y) | (bits(x) & doubleSign))
    }

    /// `σ(x)`, within 2.5 ulp (see the Float version).
    @inline(__always)
    public static func sigmoid(_ x: DoubleLanes) -> DoubleLanes {
        let e = exp(lanes(bits(x) | doubleSign))
        let d = 1 / (1 + e)
        return blend(signMask(x), e * d, d)
    }

    /// `erf a` for a < ½ (`a·P(u)`, P degree 8, fitted error 3.9e-18) and `erfc a = e^(−a²)·R(a)`
    /// for a ≥ ½: `R(a) = N(a − 1.3)` on [½, 2] (degree 18, fitted error 3.7e-17) and
    /// `R(a) = v·F(t)`, `v = 1/a`, `t = 2/(2 + a)` beyond (degree 17, fitted error 1.4e-17;
    /// `a·R(a)` varies slowly in t, so the rounding of t is not amplified).
    @inline(__always)
    static func erfParts(_ a: DoubleLanes) -> (erfSmall: DoubleLanes, scaledErfc: DoubleLanes) {
        let u = a * a
        var p = DoubleLanes(repeating: 1.4723215391093807567e-6)
        p = p * u - 1.4845583738877247499e-5
        p = p * u + 1.2053324313507044257e-4
        p = p * u - 8.5482975243881116614e-4
        p = p * u + 0.0052239773703262286459
        p = p * u - 0.026866170632715778067
        p = p * u + 0.1128379167092481273
        p = p * u - 0.37612638903183467074
        p = p * u + 1.1283791670955125695
        let w = a - 1.3
        var near = DoubleLanes(repeating: 3.2905425416998517290e-9)
        near = near * w - 9.7273281396932016529e-9
        near = near * w + 2.8497831523575246800e-8
        near = near * w - 1.0853842578387025331e-7
        near = near * w + 3.8896165084582073871e-7
        near = near * w - 1.3293407569808477056e-6
        near = near * w + 4.4365542607917357182e-6
        near = near * w - 1.4403688104541412445e-5
        near = near * w + 4.5349930317163344912e-5
        near = near * w - 1.3817646549506691663e-4
        near = near * w + 4.0637768188607284917e-4
        near = near * w - 0.0011500848673931637138
        near = near * w + 0.0031206212412981039652
        near = near * w - 0.0080821046703090169203
        near = near * w + 0.019868599781931920056
        near = near * w - 0.046034441391247061272
        near = near * w + 0.099581973372912965569
        near = near * w - 0.19850822747167791266
        near = near * w + 0.35764266908609030644
        let v = 1 / a
        let t = 2 / (2 + a)
        var far = DoubleLanes(repeating: -0.44608194295128563746)
        far = far * t + 1.7325258993105649011
        far = far * t - 2.4889883244783946708
        far = far * t + 1.0445402004130600628
        far = far * t + 1.2132173593311595
        far = far * t - 1.73826181512240811
        far = far * t + 0.90896856609743184363
        far = far * t - 0.43918991540892877447
        far = far * t + 0.2479782278199834321
        far = far * t + 0.065838699093664341203
        far = far * t + 0.012671400207951788824
        far = far * t - 0.1055217161145894662
        far = far * t - 0.17622145923180745081
        far = far * t - 0.18513153758202196803
        far = far * t - 0.1410470142480403297
        far = far * t - 0.070523712379293398307
        far = far * t + 3.3016919155531196831e-10
        far = far * t + 0.56418958354431735601
        let r = blend(below(a, 2), near, v * far)
        return (a * p, r)
    }

    /// `erf x`, within 2 ulp.
    @inline(__always)
    public static func erf(_ x: DoubleLanes) -> DoubleLanes {
        let a = limit(magnitude(x), 27.6)
        let (hi, lo) = exactSquare(a)
        let (small, scaled) = erfParts(a)
        let tail = exp(hi: -hi, lo: -lo) * scaled                                 // erfc a
        let y = blend(below(a, 0.5), small, 1 - tail)
        return lanes(bits(y) | (bits(x) & doubleSign))
    }

    /// `erfc x`, within 4 ulp where normal.
    @inline(__always)
    public static func erfc(_ x: DoubleLanes) -> DoubleLanes {
        let a = limit(magnitude(x), 27.6)
        let (hi, lo) = exactSquare(a)
        let (small, scaled) = erfParts(a)
        let tail = exp(hi: -hi, lo: -lo) * scaled
        let isSmall = below(a, 0.5)
        let positive = blend(isSmall, 1 - small, tail)
        let negative = blend(isSmall, 1 + small, 2 - tail)
        return blend(signMask(x), negative, positive)
    }

    /// 2¹²⁸ and 2⁻¹²⁸: keeps the GELU tails' exponentials normal (see the Float version).
    @inline(__always) static var doubleTailScaleExponent: Int64 { 128 }
    @inline(__always) static var doubleTailUnscale: Double { 2.938_735_877_055_718_769_9e-39 }

    /// Exact GELU and its derivative (see the Float version); clamped beyond ±39.
    @inline(__always)
    public static func gelu(_ x: DoubleLanes) -> (value: DoubleLanes, derivative: DoubleLanes) {
        let xc = clamp(x, 39)
        let a = magnitude(xc) * 0.707_106_781_186_547_524_4
        let (hi, lo) = exactSquare(xc)
        let (t, r) = expReduceInRange(-0.5 * hi)                          // −x²/2 ≥ −760.5
        let scaledE = expFinish(r + -0.5 * lo, t, offset: doubleTailScaleExponent)
        let (small, scaled) = erfParts(a)
        let isSmall = below(a, 0.5)
        let halfScaled = 0.5 * scaled
        let q = blend(isSmall, 0.5 - 0.5 * small, (scaledE * halfScaled) * doubleTailUnscale)
        let negative = signMask(xc)
        let cdf = blend(negative, q, 1 - q)
        let xv = blend(negative, xc, x)
        let leftTail = ((xv * scaledE) * halfScaled) * doubleTailUnscale
        let central = xv * cdf
        let value = blend(negative & ~isSmall, leftTail, central)
        return (value, cdf + ((xc * 0.398_942_280_401_432_677_9) * scaledE) * doubleTailUnscale)
    }

    /// Tanh-approximation GELU and its derivative (see the Float version); clamped beyond ±24.
    @inline(__always)
    public static func geluTanh(_ x: DoubleLanes) -> (value: DoubleLanes, derivative: DoubleLanes) {
        let xc = clamp(x, 24)
        let x2 = xc * xc
        let c = 0.797_884_560_802_865_355_9, k = 0.044_715
        let v = 2 * (c * (xc + k * x2 * xc))
        let scaledE = exp(lanes(bits(v) | doubleSign), offset: doubleTailScaleExponent)
        let e = scaledE * doubleTailUnscale
        let d = 1 / (1 + e)
        let scaledLeft = scaledE * d
        let negative = signMask(v)
        let s = blend(negative, scaledLeft * doubleTailUnscale, d)
        let xv = floor(x, 24)
        let value = blend(negative, (xv * scaledLeft) * doubleTailUnscale, xv * s)
        let slopeFactor = (2 * xc) * (c * (1 + 3 * k * x2))
        return (value, s + ((slopeFactor * scaledLeft) * d) * doubleTailUnscale)
    }
}
