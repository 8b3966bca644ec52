// VectorActivations.swift — σ and tanh on eight lanes at a time, for the gate kernels.
//
// Goals, in priority order:
//  1. Accuracy at the level of Float rounding: relative error ≤ 3·10⁻⁷ (≈ 3 ulp) everywhere,
//     including tiny |x| where tanh x ≈ x, and exact saturation (σ → 0 or 1, tanh → ±1).
//  2. Speed on the baseline x86-64 target (SSE2, no FMA): only operations that map to packed
//     instructions — no per-lane libm calls, no float↔int conversion instructions.
//
// exp: Cody–Waite range reduction x = n·ln 2 + r, |r| ≤ ln 2 / 2, with n rounded by adding
// and subtracting 1.5·2²³ (the sum's low mantissa bits are n), e^r by a degree-6 polynomial
// fitted for minimax relative error on [−ln 2/2, ln 2/2] (max 1.9·10⁻⁹), and 2ⁿ assembled in
// the exponent field. tanh: for |x| < 0.625 an odd polynomial x·P(x²) (fitted, max relative
// error 3.9·10⁻⁹, so tanh x ≈ x keeps full relative accuracy), otherwise
// sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|), which has no cancellation there (e < 0.29).
// The coefficients were fitted for this file by iteratively reweighted least squares (Lawson).
//
// Reference: W. J. Cody and W. Waite, "Software Manual for the Elementary Functions" (1980),
// for the two-constant range reduction.

import LinearAlgebra

/// σ and tanh of eight Floats at once, accurate to a few ulp (see the file header).
public enum VectorActivations {
    public typealias Vector = SIMD8<Float>

    /// `eˣ` for `x` clamped to [−87, 88] (results stay normal and finite).
    @inlinable @inline(__always)
    public static func exp(_ x: Vector) -> Vector {
        // Compare-and-select, not pointwiseMin/Max: those keep IEEE NaN semantics lane by lane
        // and compile to scalar code.
        let low = Vector(repeating: -87), high = Vector(repeating: 88)
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
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
        let integer = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000   // n
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: Vector.self)     // 2ⁿ
        return p * scale
    }

    /// `σ(x) = 1 / (1 + e^(−x))`.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    /// `tanh x`.
    @inlinable @inline(__always)
    public static func tanh(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let magnitude = unsafeBitCast(bits & 0x7FFF_FFFF, to: Vector.self)
        let e = exp(-2 * magnitude)
        let large = (1 - e) / (1 + e)
        let u = x * x
        var p = Vector(repeating: -0.005_660_025_363_342_088)
        p = p * u + 0.020_591_028_337_297_39
        p = p * u + -0.053_721_084_014_965_63
        p = p * u + 0.133_311_278_158_523_14
        p = p * u + -0.333_332_605_468_449_9
        p = p * u + 0.999_999_996_079_252_5
        let small = magnitude * p
        let result = large.replacing(with: small, where: magnitude .< 0.625)
        // tanh is odd: put x's sign bit on |tanh x|.
        return unsafeBitCast(unsafeBitCast(result, to: SIMD8<UInt32>.self) | (bits & 0x8000_0000), to: Vector.self)
    }
}

/// The activations a gate kernel applies, eight lanes at a time.
protocol GateMath {
    associatedtype Scalar: NeuralScalar & SIMDScalar
    static func sigmoid(_ x: SIMD8<Scalar>) -> SIMD8<Scalar>
    static func tanh(_ x: SIMD8<Scalar>) -> SIMD8<Scalar>
}

/// Float gates with `VectorActivations` (the fast path of `RecurrentKernelPath.fast`).
enum FastFloatGateMath: GateMath {
    typealias Scalar = Float
    @inline(__always) static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> { VectorActivations.sigmoid(x) }
    @inline(__always) static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> { VectorActivations.tanh(x) }
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
