// HiPPO.swift — the HiPPO-LegS matrix and its normal-plus-low-rank (NPLR) decomposition, the
// source of the S4D-LegS initialisation.
//
// Gu, Dao, Ermon, Rudra, Ré, "HiPPO: Recurrent Memory with Optimal Polynomial Projections" (2020);
// Gu, Goel, Ré, "Efficiently Modeling Long Sequences with Structured State Spaces" (2022), §3.2;
// Gu, Gupta, Goel, Ré, "On the Parameterization and Initialization of Diagonal State Space
// Models" (2022), §4 (S4D-LegS).
//
// HiPPO-LegS, continuous time x' = A x + B u with N states (n, k = 0 ..< N):
//     A[n][k] = −√(2n+1) √(2k+1)   (n > k)
//             = −(n + 1)           (n = k)
//             = 0                  (n < k),          B[n] = √(2n+1).
// NPLR: with the rank-one factor P[n] = √(n + ½) (so P Pᵀ[n][k] = ½ √(2n+1) √(2k+1)),
//     S = A + P Pᵀ,   S[n][n] = −½,   S[n][k] = −½ √(2n+1) √(2k+1) · sign(n − k)  (n ≠ k),
// i.e. S = −½ I + (a real skew-symmetric matrix). S is normal, so S = V Λ V* with V unitary and
// every eigenvalue −½ + iω (ω real, in ± pairs), and
//     A = V (Λ − (V*P)(V*P)*) V*        (diagonal plus rank one in the basis V).
// S4D-LegS keeps the diagonal part Λ (one eigenvalue of each conjugate pair) and drops the
// low-rank term; B in the same basis is B̃ = V*B.

import LinearAlgebra
import Numerics

/// The HiPPO-LegS operator and its normal-plus-low-rank decomposition.
public enum HiPPO {
    /// The HiPPO-LegS state matrix `A` (N × N, lower triangular) and input vector `B` (N), from
    /// the closed form in the file header.
    /// - Complexity: O(N²).
    public static func legS(stateSize n: Int) -> (a: Matrix, b: [Double]) {
        precondition(n >= 0, "HiPPO.legS: state size \(n) < 0") // invariant: programmer misuse
        var a = Matrix(rows: n, cols: n)
        for i in 0..<n {
            for k in 0..<i { a[i, k] = -(Double(2 * i + 1) * Double(2 * k + 1)).squareRoot() }
            a[i, i] = -Double(i + 1)
        }
        return (a, (0..<n).map { Double(2 * $0 + 1).squareRoot() })
    }

    /// The NPLR decomposition `A = S − P Pᵀ` of HiPPO-LegS with `S = V Λ V*` normal.
    /// - Throws: `SequenceModelError.invalidConfiguration` if LAPACK's eigensolver fails (it
    ///   does not for these matrices; the error exists so a failure cannot trap).
    /// - Complexity: O(N³) (one dgeev).
    public static func legSNPLR(stateSize n: Int) throws(SequenceModelError) -> HiPPONPLR {
        precondition(n >= 0, "HiPPO.legSNPLR: state size \(n) < 0") // invariant: programmer misuse
        let (a, b) = legS(stateSize: n)
        let p = (0..<n).map { (Double($0) + 0.5).squareRoot() }
        var s = a
        for i in 0..<n { for k in 0..<n { s[i, k] += p[i] * p[k] } }
        let eigen: EigenDecomposition
        do { eigen = try s.eigen() } catch {
            throw .invalidConfiguration(name: "initialization", reason: "eigendecomposition of the HiPPO-LegS normal part (N = \(n)) failed: \(error)")
        }
        return HiPPONPLR(matrix: a, input: b, normal: s, lowRank: p, eigenvalues: eigen.values, eigenvectors: eigen.vectors)
    }
}

/// `A = S − P Pᵀ`, `S = V diag(Λ) V*` for HiPPO-LegS (see HiPPO.swift).
public struct HiPPONPLR: Sendable {
    /// The HiPPO-LegS matrix `A` (N × N).
    public let matrix: Matrix
    /// The HiPPO-LegS input vector `B` (N).
    public let input: [Double]
    /// The normal part `S = A + P Pᵀ = −½ I + skew-symmetric`.
    public let normal: Matrix
    /// The rank-one factor `P[n] = √(n + ½)`.
    public let lowRank: [Double]
    /// Λ, the N eigenvalues of `S` (LAPACK order: conjugate pairs adjacent, positive imaginary first).
    public let eigenvalues: [Complex<Double>]
    /// V, unit-norm eigenvectors of `S` as columns (unitary up to rounding: S is normal with
    /// distinct eigenvalues).
    public let eigenvectors: ComplexMatrix

    /// `V* v` for a real vector `v` (the vector in the eigenbasis).
    public func project(_ v: [Double]) -> [Complex<Double>] {
        let n = v.count
        return (0..<eigenvectors.cols).map { q in
            var s = Complex<Double>.zero
            for k in 0..<n { s = s + eigenvectors[k, q].conjugate * Complex(v[k], 0) }
            return s
        }
    }

    /// The S4D-LegS diagonal: the eigenvalues with positive imaginary part (one per conjugate
    /// pair, ascending imaginary part) and the matching entries of `B̃ = V*B`.
    public func diagonalHalf() -> (eigenvalues: [Complex<Double>], input: [Complex<Double>]) {
        let projected = project(input)
        let keep = eigenvalues.indices.filter { eigenvalues[$0].imaginary > 0 }
            .sorted { eigenvalues[$0].imaginary < eigenvalues[$1].imaginary }
        return (keep.map { eigenvalues[$0] }, keep.map { projected[$0] })
    }
}
