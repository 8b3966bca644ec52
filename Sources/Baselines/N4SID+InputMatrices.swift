// N4SID+InputMatrices.swift — step 6 of N4SID.swift: B, D and the initial states by linear
// least squares, given A and C.
//
// For segment s and step k,  y_s[k] = C A^k x₀ˢ + Σ_{t<k} C A^{k−1−t} B u_s[t] + D u_s[k].
// With P[k] = C A^k and W_c[k] = Σ_{t<k} C A^{k−1−t} u_c[t] (both p × n; P[k+1] = P[k] A,
// W_c[k+1] = W_c[k] A + C u_c[k]), output o at step k is the linear regression
//
//     y_o[k] = P[k]_{o,:} x₀ˢ + Σ_{r,c} W_c[k]_{o,r} B_{r,c} + Σ_c u_c[k] D_{o,c}
//
// over the unknowns θ = [x₀¹; …; x₀ˢ; vec_row(B); vec_row(D)]. The rows (one per step and
// output) stream into an IncrementalQR of [Φ | y]; θ solves R₁₁ θ = r₁₂ (dgelsd on the small
// triangle, so a rank-deficient problem still gets the minimum-norm answer).

import LinearAlgebra
import StateSpace

extension N4SID {
    /// `(B, D, x₀ per segment)` for the given A (n × n) and C (p × n).
    /// - Throws: `.singular` when the regressors overflow (an unstable A over long records).
    /// - Complexity: O(N p n (n m + n)) for the recursions, O(N p q²) for the QR, q unknowns.
    func inputMatrices(_ segments: [IOSegment], a: Matrix, c: Matrix, m: Int, p: Int) throws(BaselineError) -> (b: Matrix, d: Matrix, x0: [[Double]]) {
        let n = a.rows, segs = segments.count
        let bOffset = segs * n, dOffset = bOffset + n * m
        let unknowns = dOffset + (estimateFeedthrough ? p * m : 0)
        var qr = IncrementalQR(cols: unknowns + 1)
        var pk = Matrix(rows: p, cols: n), pNext = Matrix(rows: p, cols: n)
        var w = [Matrix](repeating: Matrix(rows: p, cols: n), count: m)
        var wNext = Matrix(rows: p, cols: n)
        let r: Matrix
        do throws(BaselineError) {
            for (s, seg) in segments.enumerated() {
                pk = c
                for ch in 0..<m { w[ch] = Matrix(rows: p, cols: n) }
                for k in 0..<seg.length {
                    for o in 0..<p {
                        try qr.appendRow { row in
                            for r in 0..<n { row[s * n + r] = pk[o, r] }
                            for r in 0..<n { for ch in 0..<m { row[bOffset + r * m + ch] = w[ch][o, r] } }
                            if estimateFeedthrough { for ch in 0..<m { row[dOffset + o * m + ch] = seg.inputs[k, ch] } }
                            row[unknowns] = seg.outputs[k, o]
                        }
                    }
                    // P ← P A;  W_c ← W_c A + C u_c[k]
                    Self.multiply(pk, a, into: &pNext)
                    swap(&pk, &pNext)
                    for ch in 0..<m {
                        Self.multiply(w[ch], a, into: &wNext)
                        let uc = seg.inputs[k, ch]
                        for e in 0..<(p * n) { wNext.elements[e] += c.elements[e] * uc }
                        swap(&w[ch], &wNext)
                    }
                }
            }
            r = try qr.finish()
        } catch {
            guard case .singular = error else { throw error }
            let rho = (try? a.spectralRadius()) ?? .nan
            throw .singular("N4SID: the least squares for B, D and x₀ diverged (non-finite regressors): the identified A has spectral radius \(rho)")
        }
        let r11 = r.submatrix(rows: 0..<unknowns, cols: 0..<unknowns)
        let r12 = r.submatrix(rows: 0..<unknowns, cols: unknowns..<(unknowns + 1))
        let theta = try la { () throws(LinearAlgebraError) in try r11.leastSquares(r12) }.solution.elements
        let x0 = (0..<segs).map { s in Array(theta[(s * n)..<((s + 1) * n)]) }
        let b = Matrix(rows: n, cols: m, elements: Array(theta[bOffset..<dOffset]))
        let d = estimateFeedthrough ? Matrix(rows: p, cols: m, elements: Array(theta[dOffset..<unknowns])) : Matrix(rows: p, cols: m)
        return (b, d, x0)
    }

    /// `out = x · a` for small matrices (plain loops: p × n times n × n, reused output).
    static func multiply(_ x: Matrix, _ a: Matrix, into out: inout Matrix) {
        let rows = x.rows, n = a.rows
        for i in 0..<rows {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += x[i, k] * a[k, j] }
                out[i, j] = s
            }
        }
    }
}
