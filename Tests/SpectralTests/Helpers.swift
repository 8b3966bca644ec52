// Helpers.swift — reference transforms and seeded data for the Spectral tests.
//
// The references here are written independently of the library (plain O(n²) sums in Double,
// time-major loops), so agreement is evidence, not a tautology.

import LinearAlgebra
import Numerics
import TestSupport
import Testing

/// Seeded uniforms in [-1, 1).
func uniforms(_ n: Int, seed: UInt64) -> [Double] {
    var rng = SplitMix64(seed: seed)
    return rng.uniforms(n)
}

/// Seeded complex uniforms in [-1, 1)².
func complexUniforms(_ n: Int, seed: UInt64) -> [Complex<Double>] {
    var rng = SplitMix64(seed: seed)
    return (0..<n).map { _ in Complex(rng.uniform(), rng.uniform()) }
}

/// The defining DFT sum X[k] = Σ_j x[j] e^{sign·2πi jk/n} in Double, with the exponent reduced
/// mod n so the twiddles are accurate to an ulp.
func referenceDFT(_ x: [Complex<Double>], sign: Double = -1) -> [Complex<Double>] {
    let n = x.count
    return (0..<n).map { k in
        var sum = Complex<Double>.zero
        for j in 0..<n {
            let angle = sign * 2 * Double.pi * Double((j * k) % n) / Double(n)
            sum += x[j] * Complex(Double.cos(angle), Double.sin(angle))
        }
        return sum
    }
}

/// y[t] = Σ_{j ≤ min(t, K−1)} k[j] x[t−j], looping over output time (the library loops over taps).
func referenceCausalConvolution(_ x: [Double], _ k: [Double]) -> [Double] {
    (0..<x.count).map { t in
        var sum = 0.0
        var j = 0
        while j <= t && j < k.count {
            sum += k[j] * x[t - j]
            j += 1
        }
        return sum
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}

func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }

/// Expects `a ≈ b` relative to the size of the whole reference signal: FFT rounding error scales
/// with the signal's norm, not with each sample, so small samples get the absolute slack
/// `rtol · max|b|` (1e-12 relative for Double).
func expectSignalsClose(_ a: [Double], _ b: [Double], rtol: Double = 1e-12, _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    expectClose(a, b, rtol: rtol, atol: rtol * max(maxAbs(b), 1), comment, sourceLocation: sourceLocation)
}

func flatten(_ z: [Complex<Double>]) -> [Double] { z.flatMap { [$0.real, $0.imaginary] } }

func flatten(_ z: [Complex<Float>]) -> [Double] { z.flatMap { [Double($0.real), Double($0.imaginary)] } }
