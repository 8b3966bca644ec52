// BalancedTruncation.swift — model reduction by balanced truncation (square-root method).
//
// Moore, "Principal component analysis in linear systems: controllability, observability, and
// model reduction" (IEEE TAC 1981); square-root algorithm of Laub, Heath, Paige & Ward (1987).
// With Wc = Lc Lcᵀ, Wo = Lo Loᵀ and the SVD Loᵀ Lc = U Σ Vᵀ, keep the r largest σ:
//   T = Lc V_r Σ_r^(−1/2),  T⁺ = Σ_r^(−1/2) U_rᵀ Loᵀ,   A_r = T⁺ A T, B_r = T⁺ B, C_r = C T, D_r = D.
// The reduced system is stable and balanced, and ‖G − G_r‖_∞ ≤ 2 Σ_{i>r} σ_i (continuous and
// discrete time alike).

import LinearAlgebra

/// A reduced system with the Hankel singular values of the original and the H∞ error bound.
public struct Reduction<System: LTISystem>: Sendable {
    public let system: System
    /// Hankel singular values of the full system, descending.
    public let hankelSingularValues: [Double]
    /// 2 Σ_{i>r} σ_i.
    public let errorBound: Double
}

func balancedProjection(_ wc: Matrix, _ wo: Matrix, order r: Int, _ m: StateSpaceMatrices)
    throws(StateSpaceError) -> (a: Matrix, b: Matrix, c: Matrix, hsv: [Double], bound: Double) {
    let n = m.stateCount
    guard r >= 0 && r <= n else { throw .invalidParameter(name: "order", reason: "must be in 0…\(n), got \(r)") }
    let lc = try psdFactor(wc), lo = try psdFactor(wo)
    let svd = try la { try Matrix.product(lo, .transpose, lc, .none).svd() }
    let s = svd.singularValues
    if r > 0 {
        guard s[r - 1] > s[0] * 1e-14 else {
            throw .invalidParameter(name: "order", reason: "\(r) exceeds the number of nonzero Hankel singular values (σ_\(r) = \(s[r - 1]))")
        }
    }
    var t = lc * svd.vt.transposed.submatrix(rows: 0..<n, cols: 0..<r)                 // n × r
    var ti = Matrix.product(svd.u.submatrix(rows: 0..<svd.u.rows, cols: 0..<r), .transpose, lo, .transpose)  // r × n
    for j in 0..<r {
        let f = 1 / s[j].squareRoot()
        for i in 0..<n { t[i, j] *= f; ti[j, i] *= f }
    }
    let bound = 2 * s[r...].reduce(0, +)
    return (ti * m.a * t, ti * m.b, m.c * t, s, bound)
}

extension ContinuousLTI {
    /// Balanced truncation to `order` states.
    /// - Throws: `.unstable` for an unstable system; `.invalidParameter` for an order outside
    ///   0…n or beyond the number of nonzero Hankel singular values.
    public func balancedTruncation(order: Int) throws(StateSpaceError) -> Reduction<ContinuousLTI> {
        let p = try balancedProjection(gramian(.controllability), gramian(.observability), order: order, matrices)
        return Reduction(system: try ContinuousLTI(a: p.a, b: p.b, c: p.c, d: d, labels: SignalLabels(name: labels.name, inputs: labels.inputs, outputs: labels.outputs)),
                         hankelSingularValues: p.hsv, errorBound: p.bound)
    }
}

extension DiscreteLTI {
    /// Balanced truncation to `order` states.
    /// - Throws: as for the continuous case.
    public func balancedTruncation(order: Int) throws(StateSpaceError) -> Reduction<DiscreteLTI> {
        let p = try balancedProjection(gramian(.controllability), gramian(.observability), order: order, matrices)
        return Reduction(system: try DiscreteLTI(a: p.a, b: p.b, c: p.c, d: d, dt: dt, labels: SignalLabels(name: labels.name, inputs: labels.inputs, outputs: labels.outputs)),
                         hankelSingularValues: p.hsv, errorBound: p.bound)
    }
}
