// VectorMath+Float.swift — the single-precision kernels, eight lanes at a time.
//
// Methods, error bounds and the reasons behind the branch-free forms are in VectorMath.swift.
// Coefficients: Tests/Fixtures/generate/vector_math_coefficients.py (minimax, relative error;
// the fitted error of each polynomial is noted beside it). Every product and sum below is a
// separate multiply and add: no fused multiply-add is assumed (baseline x86-64 has none).

import LinearAlgebra

extension VectorMath {
    public typealias FloatLanes = SIMD8<Float>
    typealias FloatBits = SIMD8<Int32>

    @inline(__always) static func bits(_ v: FloatLanes) -> FloatBits { unsafeBitCast(v, to: FloatBits.self) }
    @inline(__always) static func lanes(_ b: FloatBits) -> FloatLanes { unsafeBitCast(b, to: FloatLanes.self) }

    // Lane selection. Every mask is an all-ones/all-zeros integer lane made by an arithmetic
    // shift of a difference of bit patterns (IEEE magnitudes order like their bit patterns),
    // and every select is `(a & m) | (b & ~m)`. Float comparisons (`.<`) with
    // `replacing(with:where:)` — a lane loop in the standard library — were measured to leave
    // LLVM with partly scalar code in these kernels; integer masks vectorise on SSE2 and AVX2.

    @inline(__always) static func splat(_ v: Float) -> FloatBits { FloatBits(repeating: Int32(bitPattern: v.bitPattern)) }
    @inline(__always) static var signBit: FloatBits { FloatBits(repeating: Int32(bitPattern: 0x8000_0000)) }

    /// |x| with the sign bit cleared (NaN stays NaN).
    @inline(__always) static func magnitude(_ x: FloatLanes) -> FloatLanes { lanes(bits(x) & 0x7FFF_FFFF) }

    /// All-ones lanes where the sign bit of x is set (x < 0, x = −0 or a negative NaN).
    @inline(__always) static func signMask(_ x: FloatLanes) -> FloatBits { bits(x) &>> 31 }

    /// All-ones lanes where `a < c`, for `a ≥ 0` (a NaN is not below) and `c > 0`.
    @inline(__always) static func below(_ a: FloatLanes, _ c: Float) -> FloatBits { (bits(a) &- splat(c)) &>> 31 }

    /// All-ones lanes where `a < c` or a is NaN (lanes to keep when limiting a to c), `a ≥ 0`.
    @inline(__always)
    static func within(_ a: FloatBits, _ c: FloatBits) -> FloatBits { ((a &- c) | (0x7F80_0000 &- a)) &>> 31 }

    /// `m ? a : b` lane-wise.
    @inline(__always)
    static func blend(_ m: FloatBits, _ a: FloatLanes, _ b: FloatLanes) -> FloatLanes { lanes((bits(a) & m) | (bits(b) & ~m)) }

    /// `min(a, c)` for `a ≥ 0`, NaN kept.
    @inline(__always)
    static func limit(_ a: FloatLanes, _ c: Float) -> FloatLanes {
        let keep = within(bits(a), splat(c))
        return lanes((bits(a) & keep) | (splat(c) & ~keep))
    }

    /// `x` clamped to `[−c, c]`, NaN kept.
    @inline(__always)
    static func clamp(_ x: FloatLanes, _ c: Float) -> FloatLanes {
        lanes(bits(limit(magnitude(x), c)) | (bits(x) & signBit))
    }

    /// `max(x, −c)`, NaN kept.
    @inline(__always)
    static func floor(_ x: FloatLanes, _ c: Float) -> FloatLanes {
        let replace = signMask(x) & ~within(bits(x) & 0x7FFF_FFFF, splat(c))
        return lanes((splat(-c) & replace) | (bits(x) & ~replace))
    }

    /// `x²` as an unevaluated sum `hi + lo` with `hi = fl(x²)`, exact for |x| < 2⁶⁰ (Dekker's
    /// product with Veltkamp's split at 2¹² + 1; no FMA).
    @inline(__always)
    static func exactSquare(_ x: FloatLanes) -> (hi: FloatLanes, lo: FloatLanes) {
        let c = x * 4097
        let head = c - (c - x)
        let tail = x - head
        let hi = x * x
        let lo = ((head * head - hi) + 2 * head * tail) + tail * tail
        return (hi, lo)
    }

    /// `e^(hi + lo) · 2^offset` for a small correction `|lo| ≤ 2⁻²⁰ |hi|`. A positive `offset`
    /// keeps a result that is about to be multiplied by a large factor out of the subnormal
    /// range (the caller scales back once, at the end).
    ///
    /// `hi` is clamped to [−140, 89] (beyond it the result is 0 or +∞ either way, also after an
    /// `offset` ≤ 32 and the caller's unscaling), then
    /// `x = n ln 2 + r` with `n = round(x log₂e)` (the 1.5·2²³ shifter leaves n in the low
    /// mantissa bits), `r` by Cody–Waite with a 16-bit head of ln 2 (n·head is exact), and
    /// `e^r = 1 + r + r² Q(r)` (Q: degree 4, fitted error 3.1e-9). `2ⁿ` is applied as two
    /// factors `2^⌊n/2⌋ · 2^(n−⌊n/2⌋)`, each a normal number, so results that overflow give +∞
    /// and results in the subnormal range are rounded once.
    @inline(__always)
    static func exp(hi: FloatLanes, lo: FloatLanes, offset: Int32 = 0) -> FloatLanes {
        let (t, r) = expReduce(hi)
        return expFinish(r + lo, t, offset: offset)
    }

    /// `eˣ · 2^offset` (the argument without a correction term: adding a constant zero vector
    /// measurably derails LLVM's vector code generation).
    @inline(__always)
    static func exp(_ x: FloatLanes, offset: Int32) -> FloatLanes {
        let (t, r) = expReduce(x)
        return expFinish(r, t, offset: offset)
    }

    /// `eˣ`, within 1 ulp (see VectorMath.swift). `exp(−∞) = 0`, `exp(+∞) = +∞`, NaN → NaN.
    @inline(__always)
    public static func exp(_ x: FloatLanes) -> FloatLanes { exp(x, offset: 0) }

    /// `t = n + 1.5·2²³` and `r = x − n ln 2` for an argument the caller knows to lie in
    /// [−140, 89] or to be NaN (no clamp).
    @inline(__always)
    static func expReduceInRange(_ x: FloatLanes) -> (t: FloatLanes, r: FloatLanes) {
        let shifter: Float = 12_582_912                                  // 1.5 · 2²³
        let t = x * 1.442_695_04 + shifter
        let n = t - shifter
        return (t, (x - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6)
    }

    /// The clamped argument's `t = n + 1.5·2²³` and `r = x − n ln 2`.
    @inline(__always)
    static func expReduce(_ hi: FloatLanes) -> (t: FloatLanes, r: FloatLanes) {
        // Clamp to [−140, 89]: limit |hi| to 140 or 89 by sign, NaN kept.
        let sign = signMask(hi)
        let bound = (splat(140) & sign) | (splat(89) & ~sign)
        let magnitudeBits = bits(hi) & 0x7FFF_FFFF
        let keep = within(magnitudeBits, bound)
        let x = lanes(((magnitudeBits & keep) | (bound & ~keep)) | (bits(hi) & signBit))
        let shifter: Float = 12_582_912                                  // 1.5 · 2²³
        let t = x * 1.442_695_04 + shifter
        let n = t - shifter
        return (t, (x - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6)
    }

    /// `e^r · 2^(n + offset)`.
    @inline(__always)
    static func expFinish(_ r: FloatLanes, _ t: FloatLanes, offset: Int32) -> FloatLanes {
        var q = FloatLanes(repeating: 0.001_381_432_021)
        q = q * r + 0.008_368_851_082
        q = q * r + 0.041_668_401_09
        q = q * r + 0.166_665_195_2
        q = q * r + 0.499_999_933_7
        let p = 1 + (r + r * r * q)
        let k = bits(t) &- 0x4B40_0000                                   // n
        let k1 = k &>> 1, k2 = (k &- k1) &+ offset
        return p * lanes((k1 &+ 127) &<< 23) * lanes((k2 &+ 127) &<< 23)
    }

    /// `tanh x`: `a + a·u·P(u)` (u = a², P degree 4, fitted error 4.4e-9) for |x| < 0.625, else
    /// `(1 − e)/(1 + e)` with `e = e^(−2|x|)` (e ≤ 0.29: no cancellation), sign of x restored.
    @inline(__always)
    public static func tanh(_ x: FloatLanes) -> FloatLanes {
        let a = magnitude(x)
        let e = exp(-2 * limit(a, 10))                                       // tanh 10 = 1 in Float
        let large = (1 - e) / (1 + e)
        let u = a * a
        var p = FloatLanes(repeating: -0.005_704_986_98)
        p = p * u + 0.020_639_087_21
        p = p * u - 0.053_739_715_07
        p = p * u + 0.133_314_422
        p = p * u - 0.333_332_819_4
        let small = a + a * (u * p)
        let y = blend(below(a, 0.625), small, large)
        return lanes(bits(y) | (bits(x) & signBit))
    }

    /// `σ(x) = 1/(1 + e^(−x))`, within 2.5 ulp: with `e = e^(−|x|)` (never overflows), `1/(1 + e)`
    /// for x ≥ 0 and `e/(1 + e)` for x < 0. σ(−∞) = 0, σ(+∞) = 1.
    @inline(__always)
    public static func sigmoid(_ x: FloatLanes) -> FloatLanes {
        let e = exp(lanes(bits(x) | signBit))                                // e^(−|x|)
        let d = 1 / (1 + e)
        return blend(signMask(x), e * d, d)
    }

    /// For `a = |z|` (clamped to [0, 10.3]): `erf a` for a < ½ as `a·P(u)`, u = a² (P degree 4,
    /// fitted error 1.4e-9), and `erfc a = e^(−a²)·R(a)` for a ≥ ½, with `R(a) = N(a − 1.3)` on
    /// [½, 2] (degree 9 by Estrin's scheme, fitted error 1.8e-8; the exact input a keeps
    /// rounding from being amplified) and `R(a) = v·F(v)`, `v = 1/a`, beyond (degree 7, fitted error 1.3e-8; powers of v
    /// itself: a reciprocal followed by a constant shift derails LLVM's vector code).
    /// Returns `erf a` (meaningful for a < ½) and `R(a)` (for a ≥ ½); callers multiply R by
    /// `e^(−a²)` formed from an exactly squared argument.
    @inline(__always)
    static func erfParts(_ a: FloatLanes) -> (erfSmall: FloatLanes, scaledErfc: FloatLanes) {
        let u = a * a
        var p = FloatLanes(repeating: 0.004_717_990_1)
        p = p * u - 0.026_757_184_28
        p = p * u + 0.112_828_228_1
        p = p * u - 0.376_126_085_7
        p = p * u + 1.128_379_166
        // Estrin's scheme: shorter dependency chains than Horner, and a ten-term Horner chain
        // here was measured to be split by LLVM into shuffled 128-bit halves.
        let w = a - 1.3
        let w2 = w * w, w4 = w2 * w2, w8 = w4 * w4
        let n01 = w * -0.198_508_269_9 + 0.357_642_674_7
        let n23 = w * -0.046_033_053_18 + 0.099_581_485_25
        let n45 = w * -0.008_093_950_146 + 0.019_875_400_06
        let n67 = w * -0.001_112_031_724 + 0.003_087_192_353
        let n89 = w * -0.000_184_962_488_6 + 0.000_473_589_884_5
        let near = (n01 + w2 * n23) + w4 * (n45 + w2 * n67) + w8 * n89
        let v = 1 / a
        var far = FloatLanes(repeating: -0.1752576917)
        far = far * v + 0.6895279798
        far = far * v - 1.071542339
        far = far * v + 0.7610661626
        far = far * v - 0.06343669452
        far = far * v - 0.2749889044
        far = far * v - 0.0004365746963
        far = far * v + 0.5642008484
        let r = blend(below(a, 2), near, v * far)
        return (a * p, r)
    }

    /// `erf x`, within 2 ulp; erf(±∞) = ±1.
    @inline(__always)
    public static func erf(_ x: FloatLanes) -> FloatLanes {
        let a = limit(magnitude(x), 10.3)
        let (hi, lo) = exactSquare(a)
        let (small, scaled) = erfParts(a)
        let tail = exp(hi: -hi, lo: -lo) * scaled                                 // erfc a
        let y = blend(below(a, 0.5), small, 1 - tail)
        return lanes(bits(y) | (bits(x) & signBit))
    }

    /// `erfc x = 1 − erf x` without cancellation for large x, within 4 ulp where normal.
    @inline(__always)
    public static func erfc(_ x: FloatLanes) -> FloatLanes {
        let a = limit(magnitude(x), 10.3)
        let (hi, lo) = exactSquare(a)
        let (small, scaled) = erfParts(a)
        let tail = exp(hi: -hi, lo: -lo) * scaled
        let isSmall = below(a, 0.5)
        let positive = blend(isSmall, 1 - small, tail)                            // erfc |x|
        let negative = blend(isSmall, 1 + small, 2 - tail)                        // erfc −|x|
        return blend(signMask(x), negative, positive)
    }

    /// 2³² and 2⁻³²: the scale that keeps `e^(−x²/2)` (and σ's `e^(−|v|)`) normal on the GELU
    /// tails, so that multiplying it by x rounds once instead of magnifying a subnormal's error.
    @inline(__always) static var tailScaleExponent: Int32 { 32 }
    @inline(__always) static var tailUnscale: Float { 2.328_306_436_538_696_3e-10 }

    /// Exact GELU `x Φ(x)` and its derivative `Φ(x) + x φ(x)`, with `Φ(−|x|) = ½ erfc(|x|/√2)`
    /// from the erfc tail (so the left tail keeps relative accuracy) and `φ(x) = e^(−x²/2)/√(2π)`
    /// sharing the tail's exponential of the exactly squared x. On the left tail the value is
    /// formed as `(x e^(−x²/2)) · ½R` so that it does not pass through a subnormal Φ. Inputs
    /// beyond ±14.5 (where Φ(−|x|) underflows) are clamped inside the formulas; the value keeps
    /// `x` above +14.5.
    @inline(__always)
    public static func gelu(_ x: FloatLanes) -> (value: FloatLanes, derivative: FloatLanes) {
        let xc = clamp(x, 14.5)
        let a = magnitude(xc) * 0.707_106_781_186_547_5
        let (hi, lo) = exactSquare(xc)
        // 2³² e^(−x²/2); −x²/2 ≥ −105.2 after the clamp, so the exponential needs no clamp.
        let (t, r) = expReduceInRange(-0.5 * hi)
        let scaledE = expFinish(r + -0.5 * lo, t, offset: tailScaleExponent)
        let (small, scaled) = erfParts(a)
        let isSmall = below(a, 0.5)
        let halfScaled = 0.5 * scaled
        let q = blend(isSmall, 0.5 - 0.5 * small, (scaledE * halfScaled) * tailUnscale)   // Φ(−|x|)
        let negative = signMask(xc)
        let cdf = blend(negative, q, 1 - q)
        // The value's factor x: clamped on the left (where Φ underflows, so −∞ gives −0, not
        // −∞ · 0), unclamped on the right (GELU(+∞) = +∞).
        let xv = blend(negative, xc, x)
        let leftTail = ((xv * scaledE) * halfScaled) * tailUnscale
        let central = xv * cdf
        let value = blend(negative & ~isSmall, leftTail, central)
        return (value, cdf + ((xc * 0.398_942_280_401_432_7) * scaledE) * tailUnscale)
    }

    /// Tanh-approximation GELU `½ x (1 + tanh u) = x σ(2u)`, `u = √(2/π)(x + 0.044715 x³)`, and
    /// its derivative `σ(2u) + x · 2σ(2u)(1 − σ(2u)) · √(2/π)(1 + 3·0.044715 x²)`, with σ and
    /// σ(1 − σ) = e/(1 + e)² from `e = e^(−|2u|)` (no cancellation near σ = 1; e kept scaled by
    /// 2³² on the left tail). Inputs beyond ±12 (where σ(2u) is 0 or 1 in Float) are clamped
    /// inside the formulas.
    @inline(__always)
    public static func geluTanh(_ x: FloatLanes) -> (value: FloatLanes, derivative: FloatLanes) {
        let xc = clamp(x, 12)
        let x2 = xc * xc
        let c: Float = 0.797_884_560_802_865_4, k: Float = 0.044_715
        let v = 2 * (c * (xc + k * x2 * xc))
        let scaledE = exp(lanes(bits(v) | signBit), offset: tailScaleExponent)
        let e = scaledE * tailUnscale                                          // e^(−|2u|)
        let d = 1 / (1 + e)
        let scaledLeft = scaledE * d                                           // 2³² σ(2u) for u < 0
        let negative = signMask(v)
        let s = blend(negative, scaledLeft * tailUnscale, d)
        let xv = floor(x, 12)
        let value = blend(negative, (xv * scaledLeft) * tailUnscale, xv * s)
        let slopeFactor = (2 * xc) * (c * (1 + 3 * k * x2))
        return (value, s + ((slopeFactor * scaledLeft) * d) * tailUnscale)
    }
}
