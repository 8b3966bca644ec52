import Foundation
import LinearAlgebra
import Numerics
import StateSpace
import TestSupport
import Testing

/// Plain O(L²) DFT of a real series: X_k = Σ_t x_t e^{−2πi k t / L}.
func dft(_ x: [Double]) -> [Complex<Double>] {
    let n = x.count
    return (0..<n).map { k in
        var s = Complex<Double>.zero
        for (t, v) in x.enumerated() {
            let ang = -2 * Double.pi * Double(k * t % n) / Double(n)
            s = s + Complex(v * cos(ang), v * sin(ang))
        }
        return s
    }
}

@Suite struct FrequencyResponseTests {
    @Test func dftOfDecayedKernelIsFrequencyResponse() throws {
        // For ρ(A) ≤ 0.8 the kernel has decayed below 1e-30 after 400 taps, so its DFT equals
        // H(e^{jω dt}) on the DFT grid.
        let sys = try randomDiscrete(6, 2, 2, seed: 31, radius: 0.3...0.8)
        let length = 400
        let h = try sys.kernel(length: length)
        let grid = sys.dftGrid(length)
        let fr = try sys.frequencyResponse(omega: grid)
        for o in 0..<2 { for i in 0..<2 {
            let spec = dft(h.series(output: o, input: i))
            let resp = (0..<length).map { fr[$0, o, i] }
            expectClose(spec, resp, rtol: 1e-10, atol: 1e-12)
        } }
    }

    @Test func continuousResponseOfFirstOrderLag() throws {
        // H(s) = 1 / (τ s + 1): |H(jω)| = 1/√(1 + (ωτ)²), phase = −atan(ωτ).
        let tau = 0.5
        let sys = try ContinuousLTI(a: Matrix(rowsLiteral: [[-1 / tau]]), b: Matrix(rowsLiteral: [[1 / tau]]), c: Matrix(rowsLiteral: [[1]]))
        let omega = [0.1, 1, 2, 10, 100]
        let fr = try sys.frequencyResponse(omega: omega)
        expectClose(fr.magnitudeDB(output: 0, input: 0), omega.map { -10 * log10(1 + ($0 * tau) * ($0 * tau)) }, rtol: 1e-12, atol: 1e-12)
        expectClose(fr.phaseDegrees(output: 0, input: 0), omega.map { -atan($0 * tau) * 180 / .pi }, rtol: 1e-12, atol: 1e-12)
    }

    @Test func phaseIsUnwrapped() throws {
        // A triple pole: the phase runs to −270°, past −180°, without a jump.
        let sys = try ContinuousLTI(TransferFunction(numerator: [1], denominator: [1, 3, 3, 1]))
        let ph = try sys.frequencyResponse(omega: logspace(-2, 2, count: 200)).phaseDegrees(output: 0, input: 0)
        #expect(ph.last! < -260 && ph.last! > -271)
        for k in 1..<ph.count { #expect(abs(ph[k] - ph[k - 1]) < 20) }
    }

    @Test func poleOnAxisIsError() throws {
        let integrator = try ContinuousLTI(a: Matrix(rowsLiteral: [[0]]), b: Matrix(rowsLiteral: [[1]]), c: Matrix(rowsLiteral: [[1]]))
        #expect(throws: StateSpaceError.self) { try integrator.frequencyResponse(omega: [0]) }
        #expect(throws: StateSpaceError.self) { try integrator.frequencyResponse(omega: [.nan]) }
    }
}

@Suite struct AnalysisTests {
    @Test func gramiansSolveTheirLyapunovEquations() throws {
        let c = try randomContinuous(6, 2, 2, seed: 41)
        let wc = try c.gramian(.controllability), wo = try c.gramian(.observability)
        let rc = c.a * wc + wc * c.a.transposed + c.b * c.b.transposed
        let ro = c.a.transposed * wo + wo * c.a + c.c.transposed * c.c
        #expect(rc.maxAbs < 1e-12 * max(1, wc.maxAbs) && ro.maxAbs < 1e-12 * max(1, wo.maxAbs))
        let d = try randomDiscrete(6, 2, 2, seed: 42)
        let dwc = try d.gramian(.controllability), dwo = try d.gramian(.observability)
        #expect((d.a * dwc * d.a.transposed - dwc + d.b * d.b.transposed).maxAbs < 1e-12 * max(1, dwc.maxAbs))
        #expect((d.a.transposed * dwo * d.a - dwo + d.c.transposed * d.c).maxAbs < 1e-12 * max(1, dwo.maxAbs))
    }

    @Test func hankelValuesAreSqrtEigenvaluesOfGramianProduct() throws {
        let d = try randomDiscrete(5, 1, 1, seed: 43)
        let hsv = try d.hankelSingularValues()
        let ev = try (d.gramian(.controllability) * d.gramian(.observability)).eigenvalues().map { $0.real.squareRoot() }
        // eig(Wc Wo) (the reference here) is accurate only relative to the largest value: the
        // square-root method is the more accurate one for the small σ, so compare absolutely.
        expectClose(hsv, ev.sorted(by: >), rtol: 1e-9, atol: 1e-9 * hsv[0])
    }

    @Test func unstableSystemHasNoGramian() throws {
        let s = try ContinuousLTI(a: Matrix(rowsLiteral: [[0.1]]), b: Matrix(rowsLiteral: [[1]]), c: Matrix(rowsLiteral: [[1]]))
        #expect(throws: StateSpaceError.self) { try s.gramian(.controllability) }
    }

    @Test func controllabilityOfUncontrollableSystem() throws {
        // Second state has no input path and no coupling.
        let s = try ContinuousLTI(a: Matrix.diagonal([-1, -2]), b: Matrix(rowsLiteral: [[1], [0]]), c: Matrix(rowsLiteral: [[1, 1]]))
        #expect(try s.controllabilityRank() == 1)
        #expect(try !s.isControllable())
        #expect(try s.isObservable())
        #expect(s.controllabilityMatrix() == Matrix(rowsLiteral: [[1, -1], [0, 0]]))
    }

    @Test(arguments: [1, 3, 5])
    func balancedTruncationRespectsErrorBound(order: Int) throws {
        for sys in [AnySystem.continuous(try randomContinuous(8, 2, 2, seed: 44)), .discrete(try randomDiscrete(8, 2, 2, seed: 45))] {
            let omega = logspace(-3, 1.49, count: 300)
            let full: FrequencyResponse, red: FrequencyResponse, bound: Double
            switch sys {
            case let .continuous(s):
                let r = try s.balancedTruncation(order: order)
                #expect(r.system.stateCount == order)
                #expect(try r.system.isStable())
                full = try s.frequencyResponse(omega: omega); red = try r.system.frequencyResponse(omega: omega); bound = r.errorBound
            case let .discrete(s):
                let r = try s.balancedTruncation(order: order)
                #expect(try r.system.isStable())
                full = try s.frequencyResponse(omega: omega); red = try r.system.frequencyResponse(omega: omega); bound = r.errorBound
            }
            // Largest singular value of the error at each frequency ≤ ‖G − G_r‖_∞ ≤ bound.
            for f in 0..<omega.count {
                var e = Matrix(rows: 4, cols: 4)
                for o in 0..<2 { for i in 0..<2 {
                    let z = full[f, o, i] - red[f, o, i]
                    e[o, i] = z.real; e[o, i + 2] = -z.imaginary; e[o + 2, i] = z.imaginary; e[o + 2, i + 2] = z.real
                } }
                #expect(try e.singularValues()[0] <= bound * (1 + 1e-9))
            }
        }
    }

    @Test func fullOrderTruncationIsEquivalent() throws {
        let s = try randomDiscrete(4, 1, 1, seed: 46)
        let r = try s.balancedTruncation(order: 4)
        expectClose(try r.system.kernel(length: 50).values, try s.kernel(length: 50).values, rtol: 1e-10, atol: 1e-13)
        #expect(r.errorBound == 0)
    }
}

@Suite struct TransferFunctionTests {
    @Test func roundTripThroughStateSpace() throws {
        let tf = try TransferFunction(numerator: [2, 3, 1], denominator: [1, 4, 6, 4])
        let sys = try ContinuousLTI(tf)
        #expect(sys.a == Matrix(rowsLiteral: [[-4, -6, -4], [1, 0, 0], [0, 1, 0]]))
        let back = try sys.transferFunction()
        expectClose(back.denominator, [1, 4, 6, 4], atol: 1e-12)
        expectClose(back.numerator, [2, 3, 1], atol: 1e-12)
    }

    @Test func biproperKeepsFeedthrough() throws {
        let tf = try TransferFunction(numerator: [2, 1, 5], denominator: [1, 0.5, 3])
        let sys = try ContinuousLTI(tf)
        #expect(sys.d[0, 0] == 2)
        let fr = try sys.frequencyResponse(omega: [0.7])
        let s = Complex<Double>(0, 0.7)
        let expected = (2 * s * s + s + Complex(5, 0)) / (s * s + Complex(0.5, 0) * s + Complex(3, 0))
        expectClose([fr[0, 0, 0]], [expected], rtol: 1e-13)
    }

    @Test func improperAndMimoAreErrors() throws {
        #expect(throws: StateSpaceError.self) { try TransferFunction(numerator: [1, 0, 0], denominator: [1, 1]) }
        #expect(throws: StateSpaceError.self) { try randomContinuous(2, 2, 1, seed: 1).transferFunction() }
    }
}

@Suite struct StabilizationTests {
    @Test func unstablePolesAreReflectedAndStablePolesKept() throws {
        // Poles 1.25 e^{±0.6j} (unstable), 0.5 and −0.8 (stable).
        let pair = rotationPair(radius: 1.25, angle: 0.6)
        var a = Matrix(rows: 4, cols: 4)
        a.setBlock(pair, at: 0, 0); a[2, 2] = 0.5; a[3, 3] = -0.8
        var rng = SplitMix64(seed: 5)
        let q = try Matrix.uniform(4, 4, using: &rng).qr().q
        let sys = try DiscreteLTI(a: q * a * q.transposed, b: Matrix.uniform(4, 1, using: &rng), c: Matrix.uniform(1, 4, using: &rng))
        let (stable, moved) = try sys.stabilized()
        #expect(moved == 2)
        let poles = sortedComplex(try stable.poles())
        let expected = sortedComplex([Complex(0.5, 0), Complex(-0.8, 0),
                                      Complex(cos(0.6) / 1.25, sin(0.6) / 1.25), Complex(cos(0.6) / 1.25, -sin(0.6) / 1.25)])
        expectClose(poles, expected, atol: 1e-12)
        #expect(try stable.isStable())
        let (same, none) = try stable.stabilized()
        #expect(none == 0 && same.matrices == stable.matrices)
    }
}

func rotationPair(radius: Double, angle: Double) -> Matrix {
    Matrix(rowsLiteral: [[radius * cos(angle), -radius * sin(angle)], [radius * sin(angle), radius * cos(angle)]])
}
