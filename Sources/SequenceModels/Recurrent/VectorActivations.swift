// VectorActivations.swift — σ and tanh on eight lanes at a time, for the gate kernels.
//
// Goals, in priority order:
//  1. Accuracy at the level of Float rounding: relative error ≤ 3·10⁻⁷ (≈ 2 ulp) wherever the
//     result is a normal Float, including tiny |x| where tanh x ≈ x, and exact saturation.
//  2. Speed on the baseline x86-64 target (SSE2, no FMA): only operations that map to packed
//     instructions. Two things the optimiser would otherwise turn into per-lane scalar code
//     are avoided: `pointwiseMin/Max` (IEEE NaN rules lane by lane) and lane selects whose
//     arms are expensive (`replacing(with:where:)` is a lane loop that LLVM if-converts into
//     branches). Every select here is a blend with an integer mask made by an arithmetic
//     shift, every clamp is such a blend.
//
// exp (only for arguments ≤ 0, so it never overflows): Cody–Waite range reduction
// x = n·ln 2 + r, |r| ≤ ln 2 / 2, with n rounded by adding and subtracting 1.5·2²³ (the sum's
// low mantissa bits are n); e^r by a degree-6 polynomial fitted for minimax relative error on
// [−ln 2/2, ln 2/2] (max 1.9·10⁻⁹); 2ⁿ assembled in the exponent field; x < −87 is clamped.
// σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0, with e = e^(−|x|).
// tanh |x| = −m/(2 + m) with m = e^(−2|x|) − 1 from expm1: the same reduction with
// e^r − 1 = r·Q(r) (degree 5, fitted, max relative error 1.1·10⁻⁸) and
// 2ⁿeʳ − 1 = 2ⁿ(eʳ − 1) + (2ⁿ − 1), so tanh x ≈ x keeps full relative accuracy for tiny x
// without a separate polynomial branch (which measured 16 % more instructions per LSTM unit).
// The coefficients were fitted for this file by iteratively reweighted least squares
// (Lawson's algorithm) on Chebyshev and uniform nodes.
//
// Reference: W. J. Cody and W. Waite, "Software Manual for the Elementary Functions" (1980),
// for the two-constant range reduction.

import LinearAlgebra

/// σ and tanh of eight Floats at once, accurate to a few ulp (see the file header).
public enum VectorActivations {
    public typealias Vector = SIMD8<Float>
    typealias Bits = SIMD8<Int32>

    @inline(__always) static func bits(_ v: Vector) -> Bits { unsafeBitCast(v, to: Bits.self) }
    @inline(__always) static func vector(_ b: Bits) -> Vector { unsafeBitCast(b, to: Vector.self) }

    /// `mask ? a : b` lane-wise for a mask of all-ones / all-zeros lanes.
    @inline(__always) static func blend(_ mask: Bits, _ a: Bits, _ b: Bits) -> Bits { (a & mask) | (b & ~mask) }

    /// `eˣ` for `x ≤ 0`; arguments below −87 give e⁻⁸⁷ (≈ 1.6·10⁻³⁸).
    @inline(__always)
    public static func expNonPositive(_ x: Vector) -> Vector {
        let xb = bits(x)
        // All ones where |x| > 87: non-negative floats order like their bit patterns.
        let beyond = (Bits(repeating: 0x42AE_0000) &- (xb & 0x7FFF_FFFF)) &>> 31
        let clamped = vector(blend(beyond, Bits(repeating: Int32(bitPattern: 0xC2AE_0000)), xb))   // −87
        // t = x·log₂e + 1.5·2²³ rounds x·log₂e to the nearest integer n, held in t's low bits.
        let shifter: Float = 12_582_912
        let t = clamped * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        // r = x − n·ln 2 with ln 2 split into a short head (exact products) and a tail.
        let r = clamped - n * 0.693_359_375 - n * -2.121_944_400_546_905_8e-4
        var p = Vector(repeating: 0.001_383_684_598_751_087_4)
        p = p * r + 0.008_374_815_977_384_558
        p = p * r + 0.041_668_225_580_089_376
        p = p * r + 0.166_664_201_678_628_9
        p = p * r + 0.499_999_920_797_255_86
        p = p * r + 1.000_000_036_323_614_8
        p = p * r + 1.000_000_000_554_174_5
        let scale = vector(((bits(t) &- 0x4B40_0000) &+ 127) &<< 23)          // 2ⁿ
        return p * scale
    }

    /// `σ(x) = 1 / (1 + e^(−x))`.
    @inline(__always)
    public static func sigmoid(_ x: Vector) -> Vector {
        let xb = bits(x)
        let e = expNonPositive(vector(xb | Int32(bitPattern: 0x8000_0000)))      // e^(−|x|)
        let negative = xb &>> 31
        let numerator = vector(blend(negative, bits(e), bits(Vector(repeating: 1))))
        return numerator / (1 + e)
    }

    /// `eˣ − 1` for `x ≤ 0`, accurate also near 0; arguments below −87 give e⁻⁸⁷ − 1.
    @inline(__always)
    public static func expm1NonPositive(_ x: Vector) -> Vector {
        let xb = bits(x)
        let beyond = (Bits(repeating: 0x42AE_0000) &- (xb & 0x7FFF_FFFF)) &>> 31
        let clamped = vector(blend(beyond, Bits(repeating: Int32(bitPattern: 0xC2AE_0000)), xb))
        let shifter: Float = 12_582_912
        let t = clamped * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        let r = clamped - n * 0.693_359_375 - n * -2.121_944_400_546_905_8e-4
        // e^r − 1 = r·Q(r), Q of degree 5 (fitted; relative error 1.1·10⁻⁸), so no cancellation.
        var q = Vector(repeating: 0.001_388_887_273_776_176_7)
        q = q * r + 0.008_369_068_650_265_477
        q = q * r + 0.041_667_136_211_848_17
        q = q * r + 0.166_665_062_188_262
        q = q * r + 0.499_999_981_247_803_6
        q = q * r + 1.000_000_010_628_030_7
        q = q * r
        let scale = vector(((bits(t) &- 0x4B40_0000) &+ 127) &<< 23)          // 2ⁿ
        // 2ⁿ eʳ − 1 = 2ⁿ (eʳ − 1) + (2ⁿ − 1): no cancellation for n = 0 (small |x|).
        return scale * q + (scale - 1)
    }

    /// `tanh x = −m / (2 + m)` with `m = e^(−2|x|) − 1`, and x's sign.
    @inline(__always)
    public static func tanh(_ x: Vector) -> Vector {
        let xb = bits(x)
        let m = expm1NonPositive(-2 * vector(xb & 0x7FFF_FFFF))
        let magnitude = (0 - m) / (2 + m)
        // tanh is odd: put x's sign bit on |tanh x|.
        return vector(bits(magnitude) | (xb & Int32(bitPattern: 0x8000_0000)))
    }
}

/// The activations a gate kernel applies, eight lanes at a time.
protocol GateMath {
    associatedtype Scalar: NeuralScalar & SIMDScalar
    static func sigmoid(_ x: SIMD8<Scalar>) -> SIMD8<Scalar>
    static func tanh(_ x: SIMD8<Scalar>) -> SIMD8<Scalar>
    /// Sixteen lanes; the same values as the eight-lane functions on each half.
    static func sigmoid(_ x: SIMD16<Scalar>) -> SIMD16<Scalar>
    static func tanh(_ x: SIMD16<Scalar>) -> SIMD16<Scalar>
}

extension GateMath {
    @inline(__always) static func sigmoid(_ x: SIMD16<Scalar>) -> SIMD16<Scalar> {
        SIMD16(lowHalf: sigmoid(x.lowHalf), highHalf: sigmoid(x.highHalf))
    }
    @inline(__always) static func tanh(_ x: SIMD16<Scalar>) -> SIMD16<Scalar> {
        SIMD16(lowHalf: tanh(x.lowHalf), highHalf: tanh(x.highHalf))
    }
}

/// Float gates with `VectorActivations` (the fast path of `RecurrentKernelPath.fast`).
enum FastFloatGateMath: GateMath {
    typealias Scalar = Float
    @inline(__always) static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> { VectorActivations.sigmoid(x) }
    @inline(__always) static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> { VectorActivations.tanh(x) }
    @inline(__always) static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> { VectorActivations16.sigmoid(x) }
    @inline(__always) static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> { VectorActivations16.tanh(x) }
}

/// Lane-by-lane libm activations: the Double fast path (gradient checks and fixtures need
/// the last bits, and Double is not the performance precision).
enum LanewiseGateMath<Scalar: NeuralScalar & SIMDScalar>: GateMath {
    @inline(__always) static func sigmoid(_ x: SIMD8<Scalar>) -> SIMD8<Scalar> {
        var y = x
        for k in 0..<8 { y[k] = ActivationKind.sigmoid(x[k]) }
        return y
    }
    @inline(__always) static func tanh(_ x: SIMD8<Scalar>) -> SIMD8<Scalar> {
        var y = x
        for k in 0..<8 { y[k] = Scalar.tanh(x[k]) }
        return y
    }
}
