// The SSM kernel machinery: HiPPO-LegS and its NPLR form, the S4D initialisations, the
// Vandermonde kernel (blocked GEMM path against the direct reference, forward and adjoint), and
// the convention relation: S4D's kernel equals the LTI core's kernel of the equivalent real
// block-diagonal system.

import LinearAlgebra
import Numerics
import SequenceModels
import StateSpace
import TestSupport
import Testing

@Suite struct SSMKernelTests {
    @Test func hippoLegSMatchesClosedFormWrittenOut() {
        // N = 4 written out by hand from A[n][k] = −√(2n+1)√(2k+1) (n > k), −(n+1) (n = k), 0 (n < k).
        let r3 = 3.0.squareRoot(), r5 = 5.0.squareRoot(), r7 = 7.0.squareRoot()
        let expected: [[Double]] = [[-1, 0, 0, 0],
                                    [-r3, -2, 0, 0],
                                    [-r5, -(15.0).squareRoot(), -3, 0],
                                    [-r7, -(21.0).squareRoot(), -(35.0).squareRoot(), -4]]
        let (a, b) = HiPPO.legS(stateSize: 4)
        expectClose(a.elements, expected.flatMap { $0 }, rtol: 1e-15, atol: 0)
        expectClose(b, [1, r3, r5, r7], rtol: 1e-15, atol: 0)
        // Eigenvalues of the (triangular) LegS matrix are −1, −2, …, −N.
        let big = HiPPO.legS(stateSize: 12).a
        expectClose(big.diagonalElements, (1...12).map { -Double($0) }, rtol: 0, atol: 0)
    }

    @Test(arguments: [4, 8, 16])
    func hippoNPLRIsNormalPlusLowRank(n: Int) throws {
        let f = try HiPPO.legSNPLR(stateSize: n)
        let s = f.normal
        // S = −½ I + skew-symmetric, hence normal.
        expectClose((s + s.transposed).elements, (-1 * Matrix.identity(n)).elements, rtol: 0, atol: 1e-13)
        expectClose((s * s.transposed).elements, (s.transposed * s).elements, rtol: 1e-13, atol: 1e-12)
        // A = S − P Pᵀ exactly as constructed, P[n] = √(n + ½).
        expectClose(f.lowRank, (0..<n).map { (Double($0) + 0.5).squareRoot() }, rtol: 1e-15, atol: 0)
        let pp = Matrix(rows: n, cols: n, elements: (0..<(n * n)).map { f.lowRank[$0 / n] * f.lowRank[$0 % n] })
        expectClose((s - pp).elements, f.matrix.elements, rtol: 1e-14, atol: 1e-13)
        // Every eigenvalue of S has real part −½; they come in conjugate pairs.
        expectClose(f.eigenvalues.map(\.real), [Double](repeating: -0.5, count: n), rtol: 0, atol: 1e-12)
        let half = f.diagonalHalf()
        #expect(half.eigenvalues.count == n / 2 && half.eigenvalues.allSatisfy { $0.imaginary > 0 })
        // V unitary and A = V (Λ − (V*P)(V*P)*) V*.
        let v = f.eigenvectors
        var vh = ComplexMatrix(rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { vh[i, j] = v[j, i].conjugate } }
        let gram = vh * v
        expectClose(gram.real.elements, Matrix.identity(n).elements, rtol: 0, atol: 1e-12)
        expectClose(gram.imaginary.elements, [Double](repeating: 0, count: n * n), rtol: 0, atol: 1e-12)
        let q = f.project(f.lowRank)
        var inner = ComplexMatrix(rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { inner[i, j] = (i == j ? f.eigenvalues[i] : .zero) - q[i] * q[j].conjugate } }
        let rebuilt = v * inner * vh
        expectClose(rebuilt.real.elements, f.matrix.elements, rtol: 0, atol: 1e-11 * Double(n))
        expectClose(rebuilt.imaginary.elements, [Double](repeating: 0, count: n * n), rtol: 0, atol: 1e-11 * Double(n))
    }

    @Test func initialisationFormulas() throws {
        let n = 8
        let lin = try S4DInitialization.lin.diagonal(stateSize: n, learnableInput: false)
        expectClose(lin.a.map(\.real), [Double](repeating: -0.5, count: 4), rtol: 0, atol: 0)
        expectClose(lin.a.map(\.imaginary), [0, Double.pi, 2 * Double.pi, 3 * Double.pi], rtol: 1e-15, atol: 0)
        let inv = try S4DInitialization.inv.diagonal(stateSize: n, learnableInput: false)
        expectClose(inv.a.map(\.imaginary), (0..<4).map { 8 / Double.pi * (8 / Double(2 * $0 + 1) - 1) }, rtol: 1e-15, atol: 0)
        #expect(inv.b.allSatisfy { $0 == .one })
        let legs = try S4DInitialization.legS.diagonal(stateSize: n, learnableInput: true)
        let nplr = try HiPPO.legSNPLR(stateSize: n).diagonalHalf()
        expectClose(legs.a.map(\.imaginary), nplr.eigenvalues.map(\.imaginary), rtol: 0, atol: 0)
        expectClose(legs.b.map(\.length), nplr.input.map(\.length), rtol: 0, atol: 0)

        var rng = SplitMix64(seed: 3)
        let layer = try S4D<Double>(configuration: S4DConfiguration(channels: 50, stateSize: 8), using: &rng)
        let dts = layer.logStep.value.scalars.map { Double.exp($0) }
        #expect(dts.allSatisfy { $0 >= 1e-3 && $0 <= 1e-1 })
        #expect(layer.namedParameters.map(\.name) == ["log_dt", "log_A_real", "A_imag", "C", "D"])
        #expect(layer.logAReal.group.name == "ssm" && layer.logAReal.group.weightDecay == 0)
        #expect(layer.outputMatrix.group.name == "default")
    }

    static func randomVandermonde(channels: Int, modes: Int, using rng: inout SplitMix64) -> VandermondeKernel {
        // Magnitudes from fast-decaying (0.2) to nearly undamped (0.999), any phase.
        let z = (0..<(channels * modes)).map { _ in
            Complex<Double>.init(length: rng.uniform(0.2, 0.999), phase: rng.uniform(-Double.pi, Double.pi))
        }
        let w = (0..<(channels * modes)).map { _ in Complex(rng.normal(), rng.normal()) }
        return VandermondeKernel(channels: channels, modes: modes, eigenvalues: z, weights: w)
    }

    @Test(arguments: [1, 2, 7, 64, 100, 1000])
    func blockedVandermondeMatchesDirect(length: Int) {
        var rng = SplitMix64(seed: 11)
        let v = SSMKernelTests.randomVandermonde(channels: 3, modes: 5, using: &rng)
        let direct = v.kernel(length: length, method: .direct)
        let blocked = v.kernel(length: length, method: .blocked)
        // Both accumulate ~L roundings of size ε·Σ|W|; 1e-12 relative to the largest tap.
        #expect(relativeError(blocked, direct) < 1e-12)
        let g = rng.uniforms(3 * length)
        let a = v.adjoint(kernelGradient: g, length: length, method: .direct)
        let b = v.adjoint(kernelGradient: g, length: length, method: .blocked)
        #expect(relativeError(b.weights.flatMap { [$0.real, $0.imaginary] }, a.weights.flatMap { [$0.real, $0.imaginary] }) < 1e-12)
        #expect(relativeError(b.eigenvalues.flatMap { [$0.real, $0.imaginary] }, a.eigenvalues.flatMap { [$0.real, $0.imaginary] }) < 1e-12)
    }

    @Test(arguments: [2, 3, 8])
    func threadedBlockedVandermondeEqualsOneThread(parallelism: Int) {
        // Channels are independent, so splitting them over threads gives the same bits.
        var rng = SplitMix64(seed: 13)
        let v = SSMKernelTests.randomVandermonde(channels: 5, modes: 4, using: &rng)
        let L = 100
        expectClose(v.kernel(length: L, parallelism: parallelism), v.kernel(length: L), rtol: 0, atol: 0)
        let g = rng.uniforms(5 * L)
        let one = v.adjoint(kernelGradient: g, length: L), many = v.adjoint(kernelGradient: g, length: L, parallelism: parallelism)
        expectClose(many.weights.flatMap { [$0.real, $0.imaginary] }, one.weights.flatMap { [$0.real, $0.imaginary] }, rtol: 0, atol: 0)
        expectClose(many.eigenvalues.flatMap { [$0.real, $0.imaginary] }, one.eigenvalues.flatMap { [$0.real, $0.imaginary] }, rtol: 0, atol: 0)
    }

    @Test func vandermondeAdjointIsTheTransposeOfTheKernel() {
        // ⟨G, K(W + εΔW, z)⟩ is linear in W, so the adjoint's W part is exact; check it and the
        // z part against central differences of ⟨G, K⟩.
        var rng = SplitMix64(seed: 12)
        let base = SSMKernelTests.randomVandermonde(channels: 2, modes: 3, using: &rng)
        let L = 40
        let g = rng.uniforms(2 * L)
        let (gw, gz) = base.adjoint(kernelGradient: g, length: L, method: .direct)
        func loss(_ v: VandermondeKernel) -> Double { zip(v.kernel(length: L, method: .direct), g).reduce(0) { $0 + $1.0 * $1.1 } }
        let h = 1e-6
        var numericW: [Double] = [], numericZ: [Double] = [], analyticW: [Double] = [], analyticZ: [Double] = []
        for i in 0..<6 {
            for (part, delta) in [(0, Complex<Double>(h, 0)), (1, Complex<Double>(0, h))] {
                var plus = base, minus = base
                plus.weights[i] = plus.weights[i] + delta
                minus.weights[i] = minus.weights[i] - delta
                numericW.append((loss(plus) - loss(minus)) / (2 * h))
                analyticW.append(part == 0 ? gw[i].real : gw[i].imaginary)
                plus = base; minus = base
                plus.eigenvalues[i] = plus.eigenvalues[i] + delta
                minus.eigenvalues[i] = minus.eigenvalues[i] - delta
                numericZ.append((loss(plus) - loss(minus)) / (2 * h))
                analyticZ.append(part == 0 ? gz[i].real : gz[i].imaginary)
            }
        }
        // Central differences, h = 1e-6, on a loss of size ~10: error ~1e-9 (GradientCheck.swift).
        expectClose(analyticW, numericW, rtol: 1e-6, atol: 1e-7)
        expectClose(analyticZ, numericZ, rtol: 1e-6, atol: 1e-7)
    }

    @Test(arguments: S4DInitialization.allCases, SSMDiscretization.allCases)
    func s4dKernelEqualsLTICoreKernelOfEquivalentSystem(initialization: S4DInitialization, discretization: SSMDiscretization) throws {
        var rng = SplitMix64(seed: 13)
        let config = S4DConfiguration(channels: 3, stateSize: 8, initialization: initialization, discretization: discretization,
                                      learnableInput: true)
        let layer = try S4D<Double>(configuration: config, using: &rng)
        // Perturb B away from its initial value so every part of the relation is exercised.
        layer.inputMatrix.value = .uniform([3, 4, 2], 0.5, 1.5, using: &rng)
        let L = 200
        let k = layer.kernel(length: L)
        let sys = layer.discreteSystem()
        for h in 0..<3 {
            var s4d = Array(k[(h * L)..<((h + 1) * L)])
            s4d[0] += sys.d[h]          // the S4D kernel excludes D; the control kernel has it at tap 0
            // Build the control-convention system here from the public discretisation
            // (x_c[k] = x[k−1]: A_c = blockdiag Ā, B_c = B̄, C_c = CĀ (×2, realified), D_c = D + 2Re CB̄),
            // independently of `equivalentSystem`.
            let P = sys.modes
            var a = Matrix(rows: 2 * P, cols: 2 * P), b = Matrix(rows: 2 * P, cols: 1), c = Matrix(rows: 1, cols: 2 * P)
            var dc = sys.d[h]
            for q in 0..<P {
                let i = h * P + q, z = sys.aBar[i], ca = sys.c[i] * z
                a[2 * q, 2 * q] = z.real; a[2 * q, 2 * q + 1] = -z.imaginary
                a[2 * q + 1, 2 * q] = z.imaginary; a[2 * q + 1, 2 * q + 1] = z.real
                b[2 * q, 0] = sys.bBar[i].real; b[2 * q + 1, 0] = sys.bBar[i].imaginary
                c[0, 2 * q] = 2 * ca.real; c[0, 2 * q + 1] = -2 * ca.imaginary
                dc += 2 * (sys.c[i] * sys.bBar[i]).real
            }
            let lti = try DiscreteLTI(a: a, b: b, c: c, d: Matrix(rows: 1, cols: 1, elements: [dc]))
            let reference = try lti.kernel(length: L, method: .power).values
            #expect(relativeError(s4d, reference) < 1e-12, "channel \(h)")
            for correspondence in S4DStateCorrespondence.allCases {
                let eq = try sys.equivalentSystem(channel: h, correspondence: correspondence)
                #expect(relativeError(try eq.kernel(length: L, method: .power).values, s4d) < 1e-12, "\(correspondence) channel \(h)")
            }
        }
    }
}
