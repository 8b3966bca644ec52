// VandermondeKernel.swift — the convolution kernel of H diagonal complex state-space channels,
// and its adjoint, by Vandermonde products (Double).
//
// Channel h has P complex modes with discrete eigenvalues z_{h,n} (= Ā) and weights
// W_{h,n} (= C B̄). Each mode stands for a conjugate pair, so the kernel reads twice the real part:
//     K[h][l] = 2 Re Σ_n W_{h,n} z_{h,n}^l,        l = 0 ..< L,
// i.e. K_h = 2 Re(W_hᵀ V_h) with the Vandermonde matrix V_h[n][l] = z_n^l.
//
// Adjoint. Given G[h][l] = ∂ℓ/∂K[h][l], write for a complex variable w = a + ib
// "∂ℓ/∂w" := ∂ℓ/∂a + i ∂ℓ/∂b. For ℓ = Re(w q) this is conj(q), and for w = φ(v) holomorphic,
// ∂ℓ/∂v = conj(φ'(v)) ∂ℓ/∂w (the chain rule used throughout SSM/). With the polynomials
//     S_n = Σ_l G[l] z_n^l,       S'_n = dS_n/dz_n = Σ_{l≥1} l G[l] z_n^(l−1),
// ℓ = Σ_l G[l] K[l] = 2 Re Σ_n W_n S_n(z_n), so
//     ∂ℓ/∂W_n = 2 conj(S_n),        ∂ℓ/∂z_n = 2 conj(W_n S'_n).
//
// Two methods, checked against each other by the tests:
//   direct   powers z^l by repeated multiplication, one mode at a time: O(H P L) complex
//            multiply-adds on a serial dependency chain. The reference.
//   blocked  the two-level split l = j·c + r (c the power of two with c² ≥ L, J = ⌈L/c⌉):
//            z^l = z^(jc) · z^r, so K_h viewed as a J × c matrix is
//                [2 Re(W z^(jc)) , −2 Im(W z^(jc))] (J × 2P) · [Re z^r ; Im z^r] (2P × c),
//            one real GEMM per channel: the same 4·H·P·L flops, at BLAS speed, plus
//            O(H P √L) for the two power tables. The adjoint is the transposed product
//            [G ; G⁺] (2J × c) · [Re z^r ; Im z^r]ᵀ (c × 2P), with G⁺[l] = (l+1) G[l+1] (so that
//            S'_n = Σ_l G⁺[l] z^l), followed by the sums over j with the weights z^(jc).
// Powers below 1e-150 in magnitude are flushed to zero in the blocked tables, so no product of
// two table entries is subnormal (contributions that small are far below any Float output).

import Dispatch
import LinearAlgebra
import Numerics

/// How `VandermondeKernel` evaluates its products.
public enum VandermondeMethod: String, Sendable, CaseIterable {
    /// Repeated multiplication per mode (reference).
    case direct
    /// Two-level split into one GEMM per channel.
    case blocked
}

/// `K[h][l] = 2 Re Σ_n W[h][n] z[h][n]^l` and its adjoint (see VandermondeKernel.swift).
public struct VandermondeKernel: Sendable {
    /// H.
    public let channels: Int
    /// P, complex modes per channel.
    public let modes: Int
    /// z[h·P + n], the discrete eigenvalues.
    public var eigenvalues: [Complex<Double>]
    /// W[h·P + n], the mode weights.
    public var weights: [Complex<Double>]

    public init(channels: Int, modes: Int, eigenvalues: [Complex<Double>], weights: [Complex<Double>]) {
        precondition(channels >= 0 && modes >= 0 && eigenvalues.count == channels * modes && weights.count == channels * modes, "VandermondeKernel: \(eigenvalues.count) eigenvalues and \(weights.count) weights for \(channels) × \(modes) modes") // invariant: programmer misuse
        self.channels = channels
        self.modes = modes
        self.eigenvalues = eigenvalues
        self.weights = weights
    }

    /// The kernel `K` (H, L), row-major. `.blocked` splits the channels into `parallelism`
    /// contiguous ranges run on as many threads (channels are independent, so the result does not
    /// depend on `parallelism`).
    /// - Complexity: 4·H·P·L flops (`.blocked` in GEMMs, `.direct` in a serial loop).
    public func kernel(length: Int, method: VandermondeMethod = .blocked, parallelism: Int = 1) -> [Double] {
        precondition(length >= 0, "VandermondeKernel.kernel: length \(length) < 0") // invariant: programmer misuse
        var out = [Double](repeating: 0, count: channels * length)
        guard length > 0, modes > 0 else { return out }
        switch method {
        case .direct: directKernel(length, &out)
        case .blocked:
            out.withUnsafeMutableBufferPointer { po in
                let base = UncheckedSendable(po.baseAddress!)
                VandermondeKernel.forEachRange(channels, parallelism) { blockedKernel($0, length, base.value) }
            }
        }
        return out
    }

    /// Runs `body` on `parallelism` (at most `count`) contiguous ranges of 0 ..< count, concurrently
    /// when there are several. The bodies must write disjoint memory.
    static func forEachRange(_ count: Int, _ parallelism: Int, _ body: (Range<Int>) -> Void) {
        let parts = Swift.max(1, Swift.min(parallelism, count))
        if parts == 1 { return body(0..<count) }
        withoutActuallyEscaping(body) { escapable in
            let shared = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: parts) { shared.value(($0 * count / parts)..<(($0 + 1) * count / parts)) }
        }
    }

    /// The adjoint of `kernel`: from `G = ∂ℓ/∂K` (H, L) returns `∂ℓ/∂W` and `∂ℓ/∂z` (H·P each) in
    /// the convention of the file header (∂ℓ/∂Re + i ∂ℓ/∂Im).
    /// - Complexity: 8·H·P·L flops (`.blocked`: one GEMM of twice the kernel's size per channel).
    /// `parallelism` splits the channels over threads as in `kernel` (same result).
    public func adjoint(kernelGradient g: [Double], length: Int, method: VandermondeMethod = .blocked, parallelism: Int = 1)
        -> (weights: [Complex<Double>], eigenvalues: [Complex<Double>]) {
        precondition(g.count == channels * length, "VandermondeKernel.adjoint: \(g.count) gradient taps for (\(channels), \(length))") // invariant: programmer misuse
        var gw = [Complex<Double>](repeating: .zero, count: channels * modes)
        var gz = gw
        guard length > 0, modes > 0 else { return (gw, gz) }
        // s = S_n, sp = S'_n; then ∂ℓ/∂W = 2 conj(S), ∂ℓ/∂z = 2 conj(W S').
        let (s, sp) = method == .direct ? directPolynomials(g, length) : blockedPolynomials(g, length, parallelism: parallelism)
        for i in 0..<(channels * modes) {
            gw[i] = Complex(2 * s[i].real, -2 * s[i].imaginary)
            let ws = weights[i] * sp[i]
            gz[i] = Complex(2 * ws.real, -2 * ws.imaginary)
        }
        return (gw, gz)
    }

    // MARK: Direct (reference)

    private func directKernel(_ L: Int, _ out: inout [Double]) {
        let P = modes
        for h in 0..<channels {
            for n in 0..<P {
                let z = eigenvalues[h * P + n]
                var p = weights[h * P + n]          // W z^l
                for l in 0..<L {
                    out[h * L + l] += 2 * p.real
                    p = p * z
                }
            }
        }
    }

    /// S_n = Σ_l G[l] z^l and S'_n = Σ_{l≥1} l G[l] z^(l−1), mode by mode.
    private func directPolynomials(_ g: [Double], _ L: Int) -> ([Complex<Double>], [Complex<Double>]) {
        let P = modes
        var s = [Complex<Double>](repeating: .zero, count: channels * P), sp = s
        for h in 0..<channels {
            for n in 0..<P {
                let z = eigenvalues[h * P + n]
                var p = Complex<Double>.one          // z^l
                var acc = Complex<Double>.zero, accD = Complex<Double>.zero
                for l in 0..<L {
                    acc = acc + p.multiplied(by: g[h * L + l])
                    if l + 1 < L {
                        let weight: Double = Double(l + 1) * g[h * L + l + 1]
                        accD = accD + p.multiplied(by: weight)
                    }
                    p = p * z
                }
                s[h * P + n] = acc
                sp[h * P + n] = accD
            }
        }
        return (s, sp)
    }

    // MARK: Blocked (fast)

    /// Block width c (power of two, c² ≥ L) and block count J = ⌈L/c⌉.
    static func blocking(_ L: Int) -> (c: Int, j: Int) {
        var c = 1
        while c * c < L { c <<= 1 }
        return (c, (L + c - 1) / c)
    }

    static let flushBelow = 1e-150

    /// For channel h: the right table R (2P × c) = [Re z^r ; Im z^r] and the coarse powers
    /// z^(jc) (J × P, complex), flushed below `flushBelow`. The P modes' power chains run side
    /// by side (one step of every mode per round), so their multiplications overlap instead of
    /// waiting on one serial chain.
    private func tables(_ h: Int, _ c: Int, _ J: Int, right: inout [Double], coarse: inout [Complex<Double>]) {
        // |p| < 1e-150 ⇔ |p|² < 1e-300 (normal): the squared test avoids a scaled hypot per power.
        let P = modes, tiny2 = VandermondeKernel.flushBelow * VandermondeKernel.flushBelow
        guard P > 0 else { return }
        eigenvalues.withUnsafeBufferPointer { ev in
            right.withUnsafeMutableBufferPointer { R in
                coarse.withUnsafeMutableBufferPointer { Q in
                    withUnsafeTemporaryAllocation(of: Complex<Double>.self, capacity: 2 * P) { work in
                        let z = ev.baseAddress! + h * P, p = work.baseAddress!, q = p + P
                        for n in 0..<P { p[n] = .one; q[n] = .one }
                        for r in 0..<c {                        // p[n] = z_n^r
                            for n in 0..<P {
                                R[n * c + r] = p[n].real
                                R[(P + n) * c + r] = p[n].imaginary
                                let next = p[n] * z[n]
                                p[n] = next.lengthSquared < tiny2 ? .zero : next
                            }
                        }
                        for j in 0..<J {                        // p[n] = z_n^c, q[n] = z_n^(jc)
                            for n in 0..<P {
                                Q[j * P + n] = q[n]
                                let next = q[n] * p[n]
                                q[n] = next.lengthSquared < tiny2 ? .zero : next
                            }
                        }
                    }
                }
            }
        }
    }

    /// Rows `range` of K into `out` (H, L).
    private func blockedKernel(_ range: Range<Int>, _ L: Int, _ out: UnsafeMutablePointer<Double>) {
        let P = modes, (c, J) = VandermondeKernel.blocking(L)
        var right = [Double](repeating: 0, count: 2 * P * c)
        var coarse = [Complex<Double>](repeating: .zero, count: J * P)
        var left = [Double](repeating: 0, count: J * 2 * P)
        var block = [Double](repeating: 0, count: J * c)
        for h in range {
            tables(h, c, J, right: &right, coarse: &coarse)
            for j in 0..<J {
                for n in 0..<P {
                    let u = weights[h * P + n] * coarse[j * P + n]
                    left[j * 2 * P + n] = 2 * u.real
                    left[j * 2 * P + P + n] = -2 * u.imaginary
                }
            }
            left.withUnsafeBufferPointer { pl in
                right.withUnsafeBufferPointer { pr in
                    block.withUnsafeMutableBufferPointer { pb in
                        Double.gemm(.none, .none, m: J, n: c, k: 2 * P, alpha: 1, a: pl.baseAddress!, lda: 2 * P,
                                    b: pr.baseAddress!, ldb: c, beta: 0, c: pb.baseAddress!, ldc: c)
                    }
                }
            }
            for l in 0..<L { out[h * L + l] = block[l] }
        }
    }

    private func blockedPolynomials(_ g: [Double], _ L: Int, parallelism: Int) -> ([Complex<Double>], [Complex<Double>]) {
        var s = [Complex<Double>](repeating: .zero, count: channels * modes), sp = s
        s.withUnsafeMutableBufferPointer { ps in
            sp.withUnsafeMutableBufferPointer { psp in
                g.withUnsafeBufferPointer { pg in
                    let out = UncheckedSendable((ps.baseAddress!, psp.baseAddress!, pg.baseAddress!))
                    VandermondeKernel.forEachRange(channels, parallelism) { blockedPolynomials($0, out.value.2, L, out.value.0, out.value.1) }
                }
            }
        }
        return (s, sp)
    }

    /// S_n and S'_n of the channels in `range` into `s`, `sp` (H·P each).
    private func blockedPolynomials(_ range: Range<Int>, _ g: UnsafePointer<Double>, _ L: Int,
                                    _ s: UnsafeMutablePointer<Complex<Double>>, _ sp: UnsafeMutablePointer<Complex<Double>>) {
        let P = modes, (c, J) = VandermondeKernel.blocking(L)
        var right = [Double](repeating: 0, count: 2 * P * c)
        var coarse = [Complex<Double>](repeating: .zero, count: J * P)
        var stacked = [Double](repeating: 0, count: 2 * J * c)   // [G ; G⁺] (2J × c)
        var m = [Double](repeating: 0, count: 2 * J * 2 * P)     // (2J × 2P)
        for h in range {
            tables(h, c, J, right: &right, coarse: &coarse)
            for l in 0..<(J * c) {
                stacked[l] = l < L ? g[h * L + l] : 0
                stacked[J * c + l] = l + 1 < L ? Double(l + 1) * g[h * L + l + 1] : 0
            }
            stacked.withUnsafeBufferPointer { pg in
                right.withUnsafeBufferPointer { pr in
                    m.withUnsafeMutableBufferPointer { pm in
                        Double.gemm(.none, .transpose, m: 2 * J, n: 2 * P, k: c, alpha: 1, a: pg.baseAddress!, lda: c,
                                    b: pr.baseAddress!, ldb: c, beta: 0, c: pm.baseAddress!, ldc: 2 * P)
                    }
                }
            }
            for n in 0..<P {
                var acc = Complex<Double>.zero, accD = Complex<Double>.zero
                for j in 0..<J {
                    let q = coarse[j * P + n]
                    acc = acc + q * Complex(m[j * 2 * P + n], m[j * 2 * P + P + n])
                    accD = accD + q * Complex(m[(J + j) * 2 * P + n], m[(J + j) * 2 * P + P + n])
                }
                s[h * P + n] = acc
                sp[h * P + n] = accD
            }
        }
    }
}
