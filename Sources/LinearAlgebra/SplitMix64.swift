// SplitMix64.swift — the seeded generator every random draw in the lab comes from.
//
// Steele, Lea & Flood, "Fast splittable pseudorandom number generators" (OOPSLA 2014).
// The stream is bit-identical to the `U(seed, n, lo, hi)` of ../shared/peers/README.md:
// output i (1-based) mixes `seed + i · 0x9E3779B97F4A7C15`, and a uniform Double is
// `(z >> 11) · 2^-53`. So benchmark data built here equals the peers' data exactly.

import Numerics

/// A seeded 64-bit generator (SplitMix64). Same seed, same numbers, on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The current state; the next output mixes `state + 0x9E3779B97F4A7C15`.
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform Double in [lo, hi).
    @inlinable
    public mutating func uniform(_ lo: Double = -1, _ hi: Double = 1) -> Double { lo + (hi - lo) * nextUnit() }

    /// A standard normal draw (Box–Muller; uses two uniforms per call, no cached spare, so the
    /// stream position depends only on the number of calls).
    public mutating func normal() -> Double {
        var u1 = nextUnit()
        while u1 <= 0 { u1 = nextUnit() }
        let u2 = nextUnit()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }

    /// A fresh generator whose stream is independent of this one's (seeded from one output).
    public mutating func split() -> SplitMix64 { SplitMix64(seed: next()) }

    /// `n` uniforms in [lo, hi): the peers' `U(seed, n, lo, hi)` when called on a fresh generator.
    public mutating func uniforms(_ n: Int, _ lo: Double = -1, _ hi: Double = 1) -> [Double] {
        (0..<n).map { _ in uniform(lo, hi) }
    }

    /// `n` standard normal draws.
    public mutating func normals(_ n: Int) -> [Double] { (0..<n).map { _ in normal() } }
}

extension Matrix {
    /// A `rows × cols` matrix of uniforms in [lo, hi), filled row-major from `rng`.
    public static func uniform(_ rows: Int, _ cols: Int, _ lo: Double = -1, _ hi: Double = 1,
                               using rng: inout SplitMix64) -> Matrix {
        Matrix(rows: rows, cols: cols, elements: rng.uniforms(rows * cols, lo, hi))
    }

    /// A `rows × cols` matrix of standard normals, filled row-major from `rng`.
    public static func normal(_ rows: Int, _ cols: Int, using rng: inout SplitMix64) -> Matrix {
        Matrix(rows: rows, cols: cols, elements: rng.normals(rows * cols))
    }
}
