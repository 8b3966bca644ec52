// RandomSystems.swift — seeded random stable systems.
//
// Discrete: A = Q · blockdiag(r_i R(θ_i)) · Qᵀ with Q a product of two Householder reflections
// (the construction of ../shared/peers `make_system`): dense, normal, eigenvalues r_i e^{±jθ_i}
// with r_i uniform in the given radius range (a real eigenvalue r for odd n). Continuous: the
// same with eigenvalues −σ_i ± jω_i. B, C uniform in [−1, 1) (C scaled by 1/√n), D as requested.

import LinearAlgebra
import Numerics

/// Q = H(v1) H(v2), H(v) = I − 2 v vᵀ / (vᵀ v).
func householderPair(_ n: Int, using rng: inout SplitMix64) -> Matrix {
    func h(_ v: [Double]) -> Matrix {
        let vv = v.reduce(0) { $0 + $1 * $1 }
        var m = Matrix.identity(n)
        for i in 0..<n { for j in 0..<n { m[i, j] -= 2 / vv * v[i] * v[j] } }
        return m
    }
    return h(rng.uniforms(n)) * h(rng.uniforms(n))
}

/// Block-diagonal matrix of 2×2 blocks [[re, −im], [im, re]] for each (re, im), plus a trailing
/// 1×1 block `single` when n is odd.
func rotationBlocks(_ pairs: [(Double, Double)], single: Double?) -> Matrix {
    let n = 2 * pairs.count + (single == nil ? 0 : 1)
    var m = Matrix(rows: n, cols: n)
    for (k, (re, im)) in pairs.enumerated() {
        m[2 * k, 2 * k] = re; m[2 * k, 2 * k + 1] = -im
        m[2 * k + 1, 2 * k] = im; m[2 * k + 1, 2 * k + 1] = re
    }
    if let s = single { m[n - 1, n - 1] = s }
    return m
}

extension DiscreteLTI {
    /// A seeded random stable discrete system with pole radii in `radius` and angles in
    /// (0, `maxAngle`) (rad/sample; π: anywhere on the disc; a small angle gives the slow,
    /// smooth dynamics of a finely sampled continuous system).
    /// - Throws: `.invalidParameter` for a negative size, a radius range outside [0, 1) or an
    ///   angle outside (0, π].
    public static func randomStable(order n: Int, inputs m: Int, outputs p: Int, radius: ClosedRange<Double> = 0.5...0.95,
                                    maxAngle: Double = .pi, feedthrough: Bool = false, dt: Double = 1,
                                    using rng: inout SplitMix64) throws(StateSpaceError) -> DiscreteLTI {
        guard n >= 0, m >= 0, p >= 0 else { throw .invalidParameter(name: "order/inputs/outputs", reason: "must be ≥ 0") }
        guard radius.lowerBound >= 0, radius.upperBound < 1 else { throw .invalidParameter(name: "radius", reason: "must lie in [0, 1)") }
        guard maxAngle > 0, maxAngle <= .pi else { throw .invalidParameter(name: "maxAngle", reason: "must lie in (0, π]") }
        var pairs: [(Double, Double)] = []
        for _ in 0..<(n / 2) {
            let r = rng.uniform(radius.lowerBound, radius.upperBound)
            let th = maxAngle * rng.nextUnit()
            pairs.append((r * Double.cos(th), r * Double.sin(th)))
        }
        // A real pole sits at angle 0 or π: negative only when the whole disc is allowed.
        var single: Double? = nil
        if n % 2 == 1 {
            let r = rng.uniform(radius.lowerBound, radius.upperBound)
            single = rng.nextUnit() < 0.5 && maxAngle >= .pi ? -r : r
        }
        let q = householderPair(n, using: &rng)
        let a = n == 0 ? Matrix(rows: 0, cols: 0) : q * rotationBlocks(pairs, single: single) * q.transposed
        let b = Matrix.uniform(n, m, using: &rng)
        let c = (1 / Swift.max(1, Double(n)).squareRoot()) * Matrix.uniform(p, n, using: &rng)
        let d = feedthrough ? Matrix.uniform(p, m, using: &rng) : Matrix(rows: p, cols: m)
        return try DiscreteLTI(a: a, b: b, c: c, d: d, dt: dt)
    }
}

extension ContinuousLTI {
    /// A seeded random stable continuous system with decay rates σ in `decay` and
    /// oscillation frequencies ω in [0, `maxFrequency`) (rad/s).
    public static func randomStable(order n: Int, inputs m: Int, outputs p: Int, decay: ClosedRange<Double> = 0.1...2,
                                    maxFrequency: Double = 5, feedthrough: Bool = false, using rng: inout SplitMix64) throws(StateSpaceError) -> ContinuousLTI {
        guard n >= 0, m >= 0, p >= 0 else { throw .invalidParameter(name: "order/inputs/outputs", reason: "must be ≥ 0") }
        guard decay.lowerBound > 0 else { throw .invalidParameter(name: "decay", reason: "must be > 0 for a stable system") }
        var pairs: [(Double, Double)] = []
        for _ in 0..<(n / 2) { pairs.append((-rng.uniform(decay.lowerBound, decay.upperBound), maxFrequency * rng.nextUnit())) }
        let single: Double? = n % 2 == 1 ? -rng.uniform(decay.lowerBound, decay.upperBound) : nil
        let q = householderPair(n, using: &rng)
        let a = n == 0 ? Matrix(rows: 0, cols: 0) : q * rotationBlocks(pairs, single: single) * q.transposed
        let b = Matrix.uniform(n, m, using: &rng)
        let c = (1 / Swift.max(1, Double(n)).squareRoot()) * Matrix.uniform(p, n, using: &rng)
        let d = feedthrough ? Matrix.uniform(p, m, using: &rng) : Matrix(rows: p, cols: m)
        return try ContinuousLTI(a: a, b: b, c: c, d: d)
    }
}
