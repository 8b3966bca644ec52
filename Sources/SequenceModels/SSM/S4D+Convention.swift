// S4D+Convention.swift — one S4D channel as a real LTI system in the lab's control convention.
//
// Two conventions for a discrete system:
//   S4 (this folder)   x[k]   = Ā x[k−1] + B̄ u[k],   y[k] = C x[k] + D u[k]   (input enters first)
//   control (StateSpace)  x[k+1] = A x[k] + B u[k],     y[k] = C x[k] + D u[k]   (output read first)
// Unrolling the S4 recursion from x[−1] = 0: x[k] = Σ_{j=0}^{k} Ā^j B̄ u[k−j], so
//     y[k] = Σ_j K_S4[j] u[k−j],   K_S4[0] = D + C B̄,   K_S4[j] = C Ā^j B̄  (j ≥ 1).
// The control kernel is h[0] = D_c, h[j] = C_c A_c^(j−1) B_c. Two exact correspondences:
//   (a) x_c[k] = x[k−1] (the S4 state one step late):
//         x_c[k+1] = x[k] = Ā x_c[k] + B̄ u[k],   y[k] = C(Ā x_c[k] + B̄ u[k]) + D u[k]
//       ⇒ (A_c, B_c, C_c, D_c) = (Ā, B̄, CĀ, D + CB̄),  h[j] = CĀ·Ā^(j−1)·B̄ = C Ā^j B̄ ✓
//   (b) x_c[k] = Ā x[k−1] = x[k] − B̄ u[k] (the state after decay, before the input):
//         x_c[k+1] = Ā x[k] = Ā x_c[k] + ĀB̄ u[k],   y[k] = C x_c[k] + (D + CB̄) u[k]
//       ⇒ (A_c, B_c, C_c, D_c) = (Ā, ĀB̄, C, D + CB̄),  h[j] = C Ā^(j−1) ĀB̄ = C Ā^j B̄ ✓
// Both have h = K_S4 tap for tap; the S4 convention only moves the feedthrough C B̄ into the
// kernel's first tap (so S4D's kernel K, which excludes D, starts at K[0] = 2 Re C B̄ ≠ 0).
//
// Realification: a complex mode x = p + iq with eigenvalue a + ib and output weight c gives the
// 2 × 2 block [[a, −b], [b, a]] acting on (p, q), input rows (Re b̄, Im b̄) and output columns
// (2 Re c, −2 Im c) — the factor 2 and the sign because 2 Re(c x) = 2 Re c · p − 2 Im c · q for
// the conjugate pair. A channel with P modes is a real system with 2P = N states, block diagonal.

import LinearAlgebra
import Numerics
import StateSpace

/// How the control-convention state relates to the S4 state (see S4D+Convention.swift).
public enum S4DStateCorrespondence: Sendable, CaseIterable {
    /// `x_c[k] = x[k−1]`: (Ā, B̄, CĀ, D + CB̄).
    case previousState
    /// `x_c[k] = Ā x[k−1]`: (Ā, ĀB̄, C, D + CB̄).
    case decayedState
}

extension S4DDiscreteSystem {
    /// Channel `h` as a real single-input single-output `DiscreteLTI` (N = 2P states, block-
    /// diagonal A) in the control convention, whose kernel equals this channel's S4D kernel with
    /// D added to tap 0.
    /// - Throws: `StateSpaceError` when the parameters are not finite.
    public func equivalentSystem(channel h: Int, correspondence: S4DStateCorrespondence = .previousState) throws(StateSpaceError) -> DiscreteLTI {
        precondition(h >= 0 && h < channels, "equivalentSystem: channel \(h) of \(channels)") // invariant: programmer misuse
        let P = modes, n = 2 * P
        var a = Matrix(rows: n, cols: n), b = Matrix(rows: n, cols: 1), c = Matrix(rows: 1, cols: n)
        var feedthrough = d[h]
        for q in 0..<P {
            let i = h * P + q
            let z = aBar[i]
            a[2 * q, 2 * q] = z.real
            a[2 * q, 2 * q + 1] = -z.imaginary
            a[2 * q + 1, 2 * q] = z.imaginary
            a[2 * q + 1, 2 * q + 1] = z.real
            let input: Complex<Double>, output: Complex<Double>
            switch correspondence {
            case .previousState: (input, output) = (bBar[i], self.c[i] * z)
            case .decayedState: (input, output) = (z * bBar[i], self.c[i])
            }
            b[2 * q, 0] = input.real
            b[2 * q + 1, 0] = input.imaginary
            c[0, 2 * q] = 2 * output.real
            c[0, 2 * q + 1] = -2 * output.imaginary
            feedthrough += 2 * (self.c[i] * bBar[i]).real
        }
        return try DiscreteLTI(a: a, b: b, c: c, d: Matrix(rows: 1, cols: 1, elements: [feedthrough]))
    }
}
