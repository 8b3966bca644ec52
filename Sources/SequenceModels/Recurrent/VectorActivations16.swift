// VectorActivations16.swift — the sixteen-lane twin of VectorActivations (one AVX-512
// register), for the packed LSTM's gate law on two batch rows at once.
//
// The formulas, constants and their derivation are those of VectorActivations.swift (see its
// header); only the lane count differs. Swift's SIMD operations are concrete per lane count:
// written once over a generic SIMD type, the same code compiled to calls and lane loops
// (measured), hence the copy. Keep the two in step; the bitwise test in RecurrentKernelTests
// fails if they drift.

import LinearAlgebra

/// σ and tanh of sixteen Floats at once: `VectorActivations` lane for lane (the same operations
/// in the same order, so the same results bit for bit; RecurrentKernelTests checks that).
public enum VectorActivations16 {
    public typealias Vector = SIMD16<Float>
    typealias Bits = SIMD16<Int32>

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
