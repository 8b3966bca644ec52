// N4SID.swift — subspace identification of a discrete LTI system from input/output data.
//
// Van Overschee & De Moor, "N4SID: Subspace algorithms for the identification of combined
// deterministic-stochastic systems" (Automatica 30(1), 1994) and "Subspace Identification for
// Linear Systems: Theory, Implementation, Applications" (Kluwer, 1996), with unit weights
// (W₁ = I, W₂ = I: the N4SID choice). The model is
//
//     x[k+1] = A x[k] + B u[k] (+ K e[k]),     y[k] = C x[k] + D u[k] + e[k]
//
// and the steps are:
//  1. Block Hankel matrices with i block rows per half and one column per data window
//     (windows of 2i samples inside one segment; the columns of all segments side by side):
//     U_p = U_{0|i−1}, U_f = U_{i|2i−1}, Y_p, Y_f likewise, W_p = [U_p; Y_p]. Signals are scaled
//     per channel by their RMS first (undone on B, C, D), and the matrices by 1/√j.
//  2. The LQ factorisation [U_f; W_p; Y_f] = L Qᵀ, computed as the R factor of the transpose
//     by a streamed QR (IncrementalQR): neither the Hankel matrix nor its Q is formed in full.
//  3. The oblique projection of Y_f along U_f onto W_p, O_i = L₃₂ L₂₂^† W_p, whose column space
//     is that of the extended observability matrix Γ_i = [C; CA; …; CA^{i−1}]. Since
//     W_p = [L₂₁ L₂₂] Q₁₂ᵀ with orthonormal Q₁₂, the SVD of O_i is that of L₃₂ L₂₂^† [L₂₁ L₂₂].
//     L₂₂^† drops singular values below `projectionTolerance · σ_max` (on noiseless data W_p has
//     rank i·m + n only).
//  4. SVD O_i = U S Vᵀ; the order n is given, or chosen at the largest gap log(s_n / s_{n+1})
//     for n ≤ maxOrder; Γ_i = U₁ S₁^{1/2}.
//  5. C = the first block row of Γ_i; A from the shift invariance Γ̲ A = Γ̄ (Γ_i without its last
//     / first block row) by least squares.
//  6. B, D and the initial state x₀ of every segment by linear least squares on all the data:
//     y[k] = C A^k x₀ + Σ_{t<k} C A^{k−1−t} B u[t] + D u[k] is linear in (x₀, B, D); the
//     regressors come from the recursion W_c[k+1] = W_c[k] A + C u_c[k] (p × n per input c),
//     and the least-squares problem is solved by the same streamed QR.
// The noise model (K) is not estimated: the result is the deterministic part, a `DiscreteLTI`
// that the LTI core simulates.
//
// - Complexity: O(j c²) for the LQ (c = 2i(m + p) columns, j windows), O(c³) for the SVDs,
//   O(N p n (n + m)) for the regressors of step 6 plus O(N p q²) for its QR (q = S n + n m + p m
//   unknowns for S segments).

import LinearAlgebra
import Numerics
import StateSpace

/// Settings of an N4SID identification; `identify` produces an `N4SIDModel`.
public struct N4SID: Sendable, Equatable {
    /// How the model order is chosen.
    public enum Order: Sendable, Equatable {
        /// A given order n ≥ 1.
        case fixed(Int)
        /// The largest gap in the singular values, up to `maxOrder` (default (i − 1) p).
        case automatic(maxOrder: Int?)
    }

    public var order: Order
    /// Block rows i per half of the Hankel matrices (the past and future horizon); nil: 10, or
    /// more when the order needs it ((i − 1) p ≥ n).
    public var blockRows: Int?
    /// Estimate the direct feedthrough D (false: D = 0, a strictly proper model).
    public var estimateFeedthrough: Bool
    /// Relative cut-off for the pseudo-inverse of L₂₂ (step 3).
    public var projectionTolerance: Double

    public init(order: Order = .automatic(maxOrder: nil), blockRows: Int? = nil, estimateFeedthrough: Bool = true,
                projectionTolerance: Double = 1e-10) {
        self.order = order
        self.blockRows = blockRows
        self.estimateFeedthrough = estimateFeedthrough
        self.projectionTolerance = projectionTolerance
    }

    /// Identifies (A, B, C, D) from the segments (each an independent record).
    /// - Parameter sampleTime: seconds per step, the `dt` of the returned system.
    /// - Throws: `.invalidParameter` (order, block rows, tolerance, sample time out of range),
    ///   `.tooFewSamples` (fewer Hankel columns than rows: Σ (L_s − 2i + 1) < 2i(m + p)),
    ///   `.singular` (an identically zero channel, a rank-deficient projection, diverging
    ///   regressors of an unstable estimate), `.shapeMismatch`.
    public func identify(_ segments: [IOSegment], sampleTime: Double = 1) throws(BaselineError) -> N4SIDModel {
        let (m, p) = try channelCounts(segments, "N4SID")
        guard m >= 1 else { throw .invalidParameter(name: "inputs", reason: "N4SID identifies the input-output map and needs at least one input channel") }
        guard sampleTime.isFinite, sampleTime > 0 else { throw .invalidParameter(name: "sampleTime", reason: "must be a positive finite number, got \(sampleTime)") }
        guard projectionTolerance > 0, projectionTolerance < 1 else {
            throw .invalidParameter(name: "projectionTolerance", reason: "must lie in (0, 1), got \(projectionTolerance)")
        }
        let i = try resolvedBlockRows(p)
        let maxOrder = (i - 1) * p
        switch order {
        case let .fixed(n):
            guard n >= 1, n <= maxOrder else {
                throw .invalidParameter(name: "order", reason: "must lie in 1...\(maxOrder) ((block rows − 1) · outputs with \(i) block rows), got \(n)")
            }
        case let .automatic(cap):
            if let cap { try requireAtLeast(cap, 1, "maxOrder") }
        }
        let windows = segments.reduce(0) { $0 + Swift.max(0, $1.length - 2 * i + 1) }
        let hankelRows = 2 * i * (m + p)
        guard windows >= hankelRows else {
            throw .tooFewSamples(context: "N4SID with \(i) block rows (\(hankelRows) Hankel rows, windows of \(2 * i) samples per segment): Hankel columns",
                                 needed: hankelRows, found: windows)
        }
        let scale = try channelScales(segments, m: m, p: p)
        let projection = try obliqueProjectionSVD(segments, blockRows: i, m: m, p: p, scale: scale)
        let n: Int
        switch order {
        case let .fixed(k): n = k
        case let .automatic(cap): n = Self.largestGap(projection.singularValues, maxOrder: Swift.min(cap ?? maxOrder, maxOrder))
        }
        let (a, c) = try shiftInvariance(projection.leftVectors, projection.singularValues, order: n, blockRows: i, p: p, outputScale: scale.y)
        let (b, d, x0) = try inputMatrices(segments, a: a, c: c, m: m, p: p)
        let system = try ss { () throws(StateSpaceError) in try DiscreteLTI(a: a, b: b, c: c, d: d, dt: sampleTime) }
        var selected = false
        if case .automatic = order { selected = true }
        return N4SIDModel(system: system, order: n, orderWasSelected: selected, singularValues: projection.singularValues,
                          blockRows: i, initialStates: x0)
    }

    /// The block rows to use for p outputs.
    func resolvedBlockRows(_ p: Int) throws(BaselineError) -> Int {
        if let i = blockRows {
            try requireAtLeast(i, 2, "blockRows")
            if case let .fixed(n) = order, (i - 1) * p < n {
                throw .invalidParameter(name: "blockRows", reason: "\(i) block rows observe at most (i − 1) · p = \((i - 1) * p) states, fewer than the order \(n)")
            }
            return i
        }
        if case let .fixed(n) = order { return Swift.max(10, (n + p - 1) / p + 1) }
        if case let .automatic(cap?) = order { return Swift.max(10, (cap + p - 1) / p + 1) }
        return 10
    }

    /// The order at the largest ratio s_n / s_{n+1}, n = 1…maxOrder (a zero s_{n+1} is an
    /// infinite gap; the first such n wins).
    static func largestGap(_ s: [Double], maxOrder: Int) -> Int {
        guard s.count >= 2 else { return 1 }
        var best = 1, bestGap = -Double.infinity
        for n in 1...Swift.max(1, Swift.min(maxOrder, s.count - 1)) {
            let gap = s[n] > 0 ? Double.log(s[n - 1] / s[n]) : .infinity
            if gap > bestGap { best = n; bestGap = gap }
            if gap == .infinity { break }
        }
        return best
    }
}
