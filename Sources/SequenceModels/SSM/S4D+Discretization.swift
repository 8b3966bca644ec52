// S4D+Discretization.swift — from the learnable parameters to the discrete diagonal system
// (Ā, B̄, C) of every channel, and the reverse-mode derivative of that map. In Double.
//
// Per channel h and mode n, with Δ = exp(log_dt[h]) and A = −exp(log_A_real[h][n]) + i A_imag[h][n]:
//   zero-order hold  Ā = exp(ΔA),                E = (Ā − 1)/A,     B̄ = E·B
//   bilinear         d = 1 − ΔA/2,  Ā = (1 + ΔA/2)/d,                B̄ = Δ B / d
// and the kernel weights W = C·B̄ (VandermondeKernel.swift takes it from there).
//
// Reverse mode. With ∂ℓ/∂w := ∂ℓ/∂Re w + i ∂ℓ/∂Im w for complex w, the chain rule through a
// holomorphic w = φ(v) is ∂ℓ/∂v = conj(φ'(v)) ∂ℓ/∂w, and through a real t it is
// ∂ℓ/∂t = Re(conj(∂ℓ/∂w) dw/dt). Given gW = ∂ℓ/∂W and gz = ∂ℓ/∂Ā from the kernel adjoint:
//   gC = conj(B̄) gW,    gB̄ = conj(C) gW
//   zero-order hold  dĀ/dA = ΔĀ,   dB̄/dA = B (ΔĀ − E)/A,   dĀ/dΔ = AĀ,     dB̄/dΔ = Ā B,   dB̄/dB = E
//   bilinear         dĀ/dA = Δ/d², dB̄/dA = Δ² B/(2d²),     dĀ/dΔ = A/d²,   dB̄/dΔ = B/d²,  dB̄/dB = Δ/d
//   gA = conj(dĀ/dA) gz + conj(dB̄/dA) gB̄,     gB = conj(dB̄/dB) gB̄
//   ∂ℓ/∂Δ = Σ_n Re(conj(gz) dĀ/dΔ + conj(gB̄) dB̄/dΔ)
// and finally ∂ℓ/∂log_dt = Δ ∂ℓ/∂Δ, ∂ℓ/∂log_A_real = −exp(log_A_real) Re gA, ∂ℓ/∂A_imag = Im gA,
// ∂ℓ/∂B = (Re gB, Im gB), ∂ℓ/∂C = (Re gC, Im gC).

import LinearAlgebra
import Numerics

/// The discrete diagonal system of an S4D layer, per channel h and mode n (index h·P + n), in
/// the S4 convention `x[k] = Ā x[k−1] + B̄ u[k]`, `y[k] = 2 Re(C x[k]) + D u[k]`.
public struct S4DDiscreteSystem: Sendable {
    /// H and P (= N/2).
    public let channels: Int, modes: Int
    /// Δ per channel.
    public let step: [Double]
    /// Continuous A, B and C per mode.
    public let a: [Complex<Double>], b: [Complex<Double>], c: [Complex<Double>]
    /// Ā, B̄ per mode.
    public let aBar: [Complex<Double>], bBar: [Complex<Double>]
    /// D per channel.
    public let d: [Double]
    /// The rule that produced Ā, B̄.
    public let discretization: SSMDiscretization

    /// W = C·B̄ per mode.
    public var weights: [Complex<Double>] { zip(c, bBar).map { $0 * $1 } }

    /// The Vandermonde kernel of this system (without D).
    public var vandermonde: VandermondeKernel {
        VandermondeKernel(channels: channels, modes: modes, eigenvalues: aBar, weights: weights)
    }
}

extension S4D {
    /// The current parameters discretised (Double), per the rule in the configuration.
    /// - Complexity: O(H·P) complex exponentials or divisions.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func discreteSystem() -> S4DDiscreteSystem {
        let H = configuration.channels, P = configuration.modes
        let logDt = logStep.value, logRe = logAReal.value, im = aImag.value
        let bValues = inputMatrix.value, cValues = outputMatrix.value
        var step = [Double](repeating: 0, count: H)
        var a = [Complex<Double>](repeating: .zero, count: H * P), b = a, c = a, aBar = a, bBar = a
        for h in 0..<H {
            let dt = Double.exp(Double(logDt[flat: h]))
            step[h] = dt
            for n in 0..<P {
                let i = h * P + n
                let ai = Complex(-Double.exp(Double(logRe[flat: i])), Double(im[flat: i]))
                let bi = Complex(Double(bValues[flat: 2 * i]), Double(bValues[flat: 2 * i + 1]))
                a[i] = ai
                b[i] = bi
                c[i] = Complex(Double(cValues[flat: 2 * i]), Double(cValues[flat: 2 * i + 1]))
                let x = ai * Complex(dt, 0)
                switch configuration.discretization {
                case .zeroOrderHold:
                    let z = Complex.exp(x)
                    aBar[i] = z
                    bBar[i] = (z - .one) / ai * bi
                case .bilinear:
                    let half = x * Complex(0.5, 0)
                    let den = .one - half
                    aBar[i] = (.one + half) / den
                    bBar[i] = bi * Complex(dt, 0) / den
                }
            }
        }
        let d = (0..<H).map { Double(skip.value[flat: $0]) }
        return S4DDiscreteSystem(channels: H, modes: P, step: step, a: a, b: b, c: c, aBar: aBar, bBar: bBar, d: d,
                                 discretization: configuration.discretization)
    }

    /// Adds to the parameter gradients the reverse-mode derivative of the discretisation, given
    /// `gW = ∂ℓ/∂W` and `gz = ∂ℓ/∂Ā` (complex convention of the file header).
    /// - Complexity: O(H·P).
    func accumulateDiscretizationGradients(_ sys: S4DDiscreteSystem, weights gW: [Complex<Double>], eigenvalues gz: [Complex<Double>]) {
        let H = sys.channels, P = sys.modes
        let learnB = configuration.learnableInput
        var gLogDt = [Double](repeating: 0, count: H)
        var gLogRe = [Double](repeating: 0, count: H * P), gIm = gLogRe
        var gB = [Double](repeating: 0, count: 2 * H * P), gC = gB
        for h in 0..<H {
            let dt = sys.step[h], cdt = Complex(dt, 0)
            var gDelta = 0.0
            for n in 0..<P {
                let i = h * P + n
                let a = sys.a[i], b = sys.b[i], z = sys.aBar[i], bBar = sys.bBar[i]
                let gc = bBar.conjugate * gW[i]
                let gBBar = sys.c[i].conjugate * gW[i]
                let dzdA: Complex<Double>, dBdA: Complex<Double>, dzdDt: Complex<Double>, dBdDt: Complex<Double>, dBdB: Complex<Double>
                switch sys.discretization {
                case .zeroOrderHold:
                    let e = (z - .one) / a
                    dzdA = cdt * z
                    dBdA = b * (cdt * z - e) / a
                    dzdDt = a * z
                    dBdDt = z * b
                    dBdB = e
                case .bilinear:
                    let den = .one - a * Complex(dt / 2, 0)
                    let den2 = den * den
                    dzdA = cdt / den2
                    dBdA = b * Complex(dt * dt / 2, 0) / den2
                    dzdDt = a / den2
                    dBdDt = b / den2
                    dBdB = cdt / den
                }
                let ga = dzdA.conjugate * gz[i] + dBdA.conjugate * gBBar
                gDelta += (gz[i].conjugate * dzdDt).real + (gBBar.conjugate * dBdDt).real
                gLogRe[i] = a.real * ga.real          // ∂Re A/∂log_A_real = −exp(log_A_real) = Re A
                gIm[i] = ga.imaginary
                gC[2 * i] = gc.real
                gC[2 * i + 1] = gc.imaginary
                if learnB {
                    let gb = dBdB.conjugate * gBBar
                    gB[2 * i] = gb.real
                    gB[2 * i + 1] = gb.imaginary
                }
            }
            gLogDt[h] = dt * gDelta
        }
        S4D.accumulate(gLogDt, into: logStep)
        S4D.accumulate(gLogRe, into: logAReal)
        S4D.accumulate(gIm, into: aImag)
        S4D.accumulate(gC, into: outputMatrix)
        if learnB { S4D.accumulate(gB, into: inputMatrix) }
    }

    /// `p.gradient[i] += Scalar(g[i])`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func accumulate(_ g: [Double], into p: Parameter<Scalar>) {
        p.gradient.withUnsafeMutableBufferPointer { dst in
            for i in 0..<g.count { dst[i] += Scalar(g[i]) }
        }
    }
}
