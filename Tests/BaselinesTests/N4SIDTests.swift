import Baselines
import LinearAlgebra
import Numerics
import StateSpace
import TestSupport
import Testing

@Suite struct N4SIDTests {
    /// Inputs U(−1, 1) and the noiseless response of `sys` from rest, plus uniform output noise
    /// of amplitude `noise` (standard deviation noise/√3).
    static func data(_ sys: DiscreteLTI, steps: Int, noise: Double = 0, rng: inout SplitMix64) throws -> IOSegment {
        let u = Matrix.uniform(steps, sys.inputCount, using: &rng)
        var y = try sys.simulate(u).outputs
        if noise > 0 { for e in y.elements.indices { y.elements[e] += noise * rng.uniform() } }
        return try IOSegment(inputs: u, outputs: y)
    }

    static func system(order n: Int, inputs m: Int, outputs p: Int, seed: UInt64) throws -> DiscreteLTI {
        var rng = SplitMix64(seed: seed)
        return try DiscreteLTI.randomStable(order: n, inputs: m, outputs: p, radius: 0.5...0.95, dt: 0.1, using: &rng)
    }

    /// max over true poles of the distance to the nearest estimated pole, and vice versa.
    static func poleMismatch(_ estimated: [Complex<Double>], _ truth: [Complex<Double>]) -> Double {
        func oneWay(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
            a.map { x in b.map { (x - $0).length }.min() ?? .infinity }.max() ?? 0
        }
        return Swift.max(oneWay(estimated, truth), oneWay(truth, estimated))
    }

    static func rms(_ m: Matrix) -> Double {
        (m.elements.reduce(0) { $0 + $1 * $1 } / Double(Swift.max(1, m.elements.count))).squareRoot()
    }

    @Test func recoversPolesAndFrequencyResponseSISO() throws {
        let truth = try Self.system(order: 4, inputs: 1, outputs: 1, seed: 61)
        var rng = SplitMix64(seed: 62)
        let seg = try Self.data(truth, steps: 3000, rng: &rng)
        let model = try N4SID(order: .fixed(4)).identify([seg], sampleTime: 0.1)
        let poles = sortedComplex(try model.system.poles()), expected = sortedComplex(try truth.poles())
        expectClose(poles, expected, rtol: 1e-6, atol: 1e-6)
        #expect(model.system.dt == 0.1)
        let omega = logspace(-2, Double.log10(Double.pi / 0.1), count: 25)
        let h = try model.system.frequencyResponse(omega: omega), h0 = try truth.frequencyResponse(omega: omega)
        expectClose(h.values, h0.values, rtol: 1e-6, atol: 1e-6)
    }
}


extension N4SIDTests {
    @Test(arguments: [(6, 2, 2, UInt64(63)), (5, 2, 3, UInt64(64))])
    func recoversPolesAndFrequencyResponseMIMO(shape: (Int, Int, Int, UInt64)) throws {
        let (n, m, p, seed) = shape
        let truth = try Self.system(order: n, inputs: m, outputs: p, seed: seed)
        var rng = SplitMix64(seed: 65)
        let seg = try Self.data(truth, steps: 4000, rng: &rng)
        let model = try N4SID(order: .fixed(n)).identify([seg], sampleTime: 0.1)
        #expect(model.system.stateCount == n && model.inputCount == m && model.outputCount == p)
        expectClose(sortedComplex(try model.system.poles()), sortedComplex(try truth.poles()), rtol: 1e-6, atol: 1e-6)
        let omega = logspace(-2, Double.log10(Double.pi / 0.1), count: 25)
        expectClose(try model.system.frequencyResponse(omega: omega).values, try truth.frequencyResponse(omega: omega).values, rtol: 1e-6, atol: 1e-6)
        // The truth has D = 0; the estimate finds it.
        #expect(model.system.d.maxAbs < 1e-8)
    }

    @Test func recoversAFeedthrough() throws {
        var rng = SplitMix64(seed: 67)
        let truth = try DiscreteLTI.randomStable(order: 3, inputs: 2, outputs: 2, feedthrough: true, using: &rng)
        let seg = try Self.data(truth, steps: 2000, rng: &rng)
        let model = try N4SID(order: .fixed(3)).identify([seg])
        expectClose(model.system.d, truth.d, rtol: 1e-8, atol: 1e-8)
        expectClose(sortedComplex(try model.system.poles()), sortedComplex(try truth.poles()), rtol: 1e-6, atol: 1e-6)
        expectClose(try model.simulate(seg), seg.outputs, rtol: 1e-8, atol: 1e-8)
        // Forced to D = 0, the strictly proper model cannot explain the direct term u[k] → y[k].
        let strict = try N4SID(order: .fixed(3), estimateFeedthrough: false).identify([seg])
        #expect(strict.system.d.maxAbs == 0)
        #expect(relativeError(try strict.simulate(seg).elements, seg.outputs.elements) > 1e-2)
    }

    @Test(arguments: [(4, 1, 1, UInt64(61)), (6, 2, 2, UInt64(63)), (5, 2, 3, UInt64(64))])
    func automaticOrderIsTheTrueOrderOnCleanData(shape: (Int, Int, Int, UInt64)) throws {
        let (n, m, p, seed) = shape
        let truth = try Self.system(order: n, inputs: m, outputs: p, seed: seed)
        var rng = SplitMix64(seed: 65)
        let model = try N4SID().identify([try Self.data(truth, steps: 4000, rng: &rng)])
        #expect(model.order == n)
        #expect(model.orderWasSelected)
        #expect(model.blockRows == 10)
        #expect(model.singularValues[n] < 1e-8 * model.singularValues[n - 1])
    }

    @Test func noisyDataStillGiveTheDominantPoles() throws {
        // Output noise with a standard deviation of 10 % of the output RMS, 5000 samples. The
        // subspace estimate is consistent but not exact: the measured pole errors were 0.0063
        // (SISO) and 0.0012 (MIMO), the frequency-response errors 0.5 % of the peak gain; the
        // tolerances leave a factor of 3–4.
        for (n, m, p, seed, tolerance) in [(4, 1, 1, UInt64(70), 0.02), (5, 2, 3, UInt64(64), 0.005)] {
            let truth = try Self.system(order: n, inputs: m, outputs: p, seed: seed)
            var rng = SplitMix64(seed: 66)
            let clean = try Self.data(truth, steps: 5000, rng: &rng)
            rng = SplitMix64(seed: 66)
            let noisy = try Self.data(truth, steps: 5000, noise: 0.1 * Self.rms(clean.outputs) * 3.0.squareRoot(), rng: &rng)
            let model = try N4SID(order: .fixed(n)).identify([noisy], sampleTime: truth.dt)
            let mismatch = Self.poleMismatch(try model.system.poles(), try truth.poles())
            #expect(mismatch < tolerance, "n \(n) m \(m) p \(p): pole mismatch \(mismatch)")
            // The frequency response follows (max error relative to the peak gain).
            let omega = logspace(-2, Double.log10(Double.pi / truth.dt), count: 40)
            let h = try model.system.frequencyResponse(omega: omega).values, h0 = try truth.frequencyResponse(omega: omega).values
            let err = zip(h, h0).map { ($0 - $1).length }.max()!, peak = h0.map { $0.length }.max()!
            #expect(err < 0.02 * peak, "n \(n): frequency response error \(err / peak) of the peak")
        }
    }

    @Test func severalRecordsAndTheirInitialStates() throws {
        // Two records that start from different non-zero states: identified together, the model
        // reproduces each from its own least-squares initial state.
        let truth = try Self.system(order: 4, inputs: 1, outputs: 1, seed: 70)
        var rng = SplitMix64(seed: 68)
        var segments: [IOSegment] = []
        for length in [1500, 1200] {
            let u = Matrix.uniform(length, 1, using: &rng)
            let y = try truth.simulate(u, x0: rng.uniforms(4, -3, 3)).outputs
            segments.append(try IOSegment(inputs: u, outputs: y))
        }
        let model = try N4SID(order: .fixed(4)).identify(segments)
        expectClose(sortedComplex(try model.system.poles()), sortedComplex(try truth.poles()), rtol: 1e-6, atol: 1e-6)
        #expect(model.initialStates.count == 2)
        for (s, seg) in segments.enumerated() {
            let y = try model.system.simulate(seg.inputs, x0: model.initialStates[s]).outputs
            expectClose(y, seg.outputs, rtol: 1e-8, atol: 1e-8, "segment \(s)")
        }
    }

    @Test func simulationInitialisesTheStateFromTheWarmup() throws {
        let truth = try Self.system(order: 4, inputs: 1, outputs: 1, seed: 70)
        var rng = SplitMix64(seed: 69)
        let model = try N4SID(order: .fixed(4)).identify([try Self.data(truth, steps: 2000, rng: &rng)])
        // A test record that starts away from rest.
        let u = Matrix.uniform(300, 1, using: &rng)
        let y = try truth.simulate(u, x0: [1, -2, 0.5, 2]).outputs
        let test = try IOSegment(inputs: u, outputs: y)
        let sim = try model.simulate(test, warmup: 20)
        expectClose(head(sim, 20), head(y, 20), rtol: 0, atol: 0)
        expectClose(tail(sim, from: 20), tail(y, from: 20), rtol: 1e-7, atol: 1e-7)
        // From rest the first steps miss the initial condition.
        let cold = try model.simulate(test, warmup: 0)
        #expect(relativeError(head(cold, 20).elements, head(y, 20).elements) > 1e-2)
    }

    @Test func obliqueProjectionMatchesTheDenseDefinition() throws {
        // Reference path: the oblique projection O_i = [Y_f Π⊥] [W_p Π⊥]^† W_p with the
        // projector Π⊥ = I − U_fᵀ (U_f U_fᵀ)⁻¹ U_f formed densely from explicit block Hankel
        // matrices (same RMS scaling and 1/√j), against N4SID's streamed LQ. Noisy data, so W_p
        // has full rank and the pseudo-inverse is unambiguous.
        let truth = try Self.system(order: 2, inputs: 1, outputs: 2, seed: 75)
        var rng = SplitMix64(seed: 76)
        let seg = try Self.data(truth, steps: 160, noise: 0.05, rng: &rng)
        let i = 4, p = 2, j = 160 - 2 * i + 1
        let su = [Self.rms(seg.inputs)]
        let sy = (0..<p).map { o in Self.rms(Matrix.column(seg.outputs.column(o))) }
        func hankel(_ x: Matrix, _ scale: [Double], first: Int) -> Matrix {
            var h = Matrix(rows: i * x.cols, cols: j)
            for r in 0..<i { for t in 0..<j { for ch in 0..<x.cols { h[r * x.cols + ch, t] = x[first + r + t, ch] / scale[ch] / Double(j).squareRoot() } } }
            return h
        }
        let up = hankel(seg.inputs, su, first: 0), uf = hankel(seg.inputs, su, first: i)
        let yp = hankel(seg.outputs, sy, first: 0), yf = hankel(seg.outputs, sy, first: i)
        let wp = Matrix.vcat([up, yp])
        let gramInverse = try (uf * uf.transposed).inverse()
        let perp = Matrix.identity(j) - uf.transposed * gramInverse * uf
        let wpPerpInverse = try (wp * perp).pseudoInverse(rcond: 1e-10)
        let oblique = yf * perp * wpPerpInverse * wp
        let reference = try oblique.singularValues()
        let model = try N4SID(order: .fixed(2), blockRows: i).identify([seg])
        expectClose(model.singularValues, reference, rtol: 1e-9, atol: 1e-12)
    }

    @Test func badSettingsAndDataThrow() throws {
        let truth = try Self.system(order: 2, inputs: 1, outputs: 1, seed: 77)
        var rng = SplitMix64(seed: 78)
        let seg = try Self.data(truth, steps: 200, rng: &rng)
        // 10 block rows: windows of 20 samples, 40 Hankel rows; 30 samples give 11 columns.
        let short = try IOSegment(inputs: head(seg.inputs, 30), outputs: head(seg.outputs, 30))
        #expect(throws: BaselineError.tooFewSamples(context: "N4SID with 10 block rows (40 Hankel rows, windows of 20 samples per segment): Hankel columns", needed: 40, found: 11)) {
            try N4SID().identify([short])
        }
        #expect(throws: BaselineError.self) { try N4SID(order: .fixed(5), blockRows: 5).identify([seg]) }
        #expect(throws: BaselineError.self) { try N4SID(order: .fixed(0)).identify([seg]) }
        #expect(throws: BaselineError.self) { try N4SID(order: .automatic(maxOrder: 0)).identify([seg]) }
        #expect(throws: BaselineError.self) { try N4SID(blockRows: 1).identify([seg]) }
        #expect(throws: BaselineError.self) { try N4SID().identify([seg], sampleTime: 0) }
        #expect(throws: BaselineError.self) { try N4SID().identify([]) }
        let zeroInput = try IOSegment(inputs: Matrix(rows: 200, cols: 1), outputs: seg.outputs)
        #expect(throws: BaselineError.self) { try N4SID().identify([zeroInput]) }
        let noInput = try IOSegment(inputs: Matrix(rows: 200, cols: 0), outputs: seg.outputs)
        #expect(throws: BaselineError.self) { try N4SID().identify([noInput]) }
        let model = try N4SID(order: .fixed(2)).identify([seg])
        #expect(throws: BaselineError.self) { try model.simulate(seg, warmup: 201) }
        #expect(throws: BaselineError.self) { try model.simulate(noInput) }
    }
}
