// GeneratorTests.swift — same seed ⇒ identical arrays, and one sanity property per generator.

import Testing
import Evaluation
import LinearAlgebra
import TestSupport

@Suite struct InputSignalTests {
    static let designs: [InputSignal] = [
        .multisine(period: 64, minHarmonic: 1, maxHarmonic: 10, rms: 2),
        .prbs(order: 7, hold: 3, amplitude: 0.5),
        .filteredNoise(cutoff: 0.2, std: 1.5),
        .steps(low: -1, high: 2, minHold: 3, maxHold: 8),
    ]

    @Test(arguments: designs)
    func sameSeedSameSignal(_ d: InputSignal) {
        var r1 = SplitMix64(seed: 42), r2 = SplitMix64(seed: 42), r3 = SplitMix64(seed: 43)
        let a = d.generate(length: 256, channels: 2, rng: &r1)
        let b = d.generate(length: 256, channels: 2, rng: &r2)
        let c = d.generate(length: 256, channels: 2, rng: &r3)
        #expect(a == b)  // bit-identical: same seed, same draws
        #expect(a != c)
        #expect(a.rows == 256 && a.cols == 2)
    }

    @Test func multisineHasRequestedRMSOverOnePeriod() {
        var rng = SplitMix64(seed: 1)
        let u = InputSignal.multisine(period: 64, minHarmonic: 1, maxHarmonic: 10, rms: 2).generate(length: 128, rng: &rng)
        let rms = (u.elements.prefix(64).reduce(0) { $0 + $1 * $1 } / 64).squareRoot()
        expectClose(rms, 2, rtol: 1e-12)
        expectClose(Array(u.elements.prefix(64)), Array(u.elements.suffix(64)), rtol: 1e-9, atol: 1e-9)  // periodic; cos of t vs t+N rounds differently
    }

    @Test func prbsRegistersAreMaximalLength() {
        for order in 2...16 { #expect(InputSignal.prbsPeriod(order: order) == (1 << order) - 1, "order \(order)") }
        var rng = SplitMix64(seed: 3)
        let u = InputSignal.prbs(order: 5, hold: 2, amplitude: 0.5).generate(length: 124, rng: &rng)
        #expect(u.elements.allSatisfy { $0 == 0.5 || $0 == -0.5 })
        #expect(stride(from: 0, to: 124, by: 2).allSatisfy { u.elements[$0] == u.elements[$0 + 1] })  // hold of 2
        #expect(Array(u.elements[0..<62]) == Array(u.elements[62..<124]))  // period 31 bits × 2
    }

    @Test func filteredNoiseAndStepsProperties() {
        var rng = SplitMix64(seed: 5)
        let n = InputSignal.filteredNoise(cutoff: 0.1, std: 1.5).generate(length: 2000, rng: &rng).elements
        let mean = n.reduce(0, +) / 2000
        expectClose((n.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 2000).squareRoot(), 1.5, rtol: 1e-12)
        // Low-pass: the lag-1 autocorrelation of the filtered noise is near 1 (white noise: ~0).
        let lag1 = zip(n.dropFirst(), n).reduce(0) { $0 + ($1.0 - mean) * ($1.1 - mean) } / (2000 * 2.25)
        #expect(lag1 > 0.8)
        let s = InputSignal.steps(low: -1, high: 2, minHold: 3, maxHold: 8).generate(length: 500, rng: &rng).elements
        #expect(s.allSatisfy { $0 >= -1 && $0 < 2 })
        var runs: [Int] = [], run = 1
        for t in 1..<500 { if s[t] == s[t - 1] { run += 1 } else { runs.append(run); run = 1 } }
        #expect(runs.allSatisfy { $0 >= 3 && $0 <= 8 })
    }

    @Test func filterTransposedFormMatchesDifferenceEquation() {
        var rng = SplitMix64(seed: 9)
        let x = rng.normals(300)
        for f in [DigitalFilter.butterworthLowpass2(cutoff: 0.3), .resonator(radius: 0.9, angle: 0.4),
                  .firstOrderLowpass(pole: 0.7), DigitalFilter(b: [0.5, 0.25, 0.125, 1], a: [2, -0.5])] {
            expectClose(f.apply(x), f.applyDirect(x), rtol: 1e-12, atol: 1e-12)
        }
        // First-order low-pass by hand: y0 = 0.3·1 = 0.3, y1 = 0.7·0.3 + 0.3·0 = 0.21.
        expectClose(DigitalFilter.firstOrderLowpass(pole: 0.7).apply([1, 0]), [0.3, 0.21])
        expectClose(DigitalFilter.butterworthLowpass2(cutoff: 0.3).dcGain, 1)
    }
}

@Suite struct SystemGeneratorTests {
    static func fractions() throws -> SplitFractions { try SplitFractions(train: 0.6, validation: 0.2, test: 0.2) }

    @Test func wienerHammersteinDeterministicAndMatchesBlocks() throws {
        var r1 = SplitMix64(seed: 11), r2 = SplitMix64(seed: 11)
        let wh = WienerHammerstein()
        let a = try SyntheticIO.dataset(name: "wh", system: wh, signal: .standard, length: 500, noiseStd: 0.01,
                                        fractions: try Self.fractions(), rng: &r1)
        let b = try SyntheticIO.dataset(name: "wh", system: wh, signal: .standard, length: 500, noiseStd: 0.01,
                                        fractions: try Self.fractions(), rng: &r2)
        #expect(a.outputs == b.outputs && a.inputs == b.inputs)
        #expect(a.split.rowCount(.train) == 300 && a.split.rowCount(.validation) == 100 && a.split.rowCount(.test) == 100)
        // Noise-free output equals G2(tanh(G1 u)) computed block by block.
        let y = wh.simulate(a.inputs).elements
        let manual = DigitalFilter.firstOrderLowpass(pole: 0.7).apply(
            DigitalFilter.resonator(radius: 0.9, angle: Double.pi / 8).apply(a.inputs.elements).map { Double.tanh($0) })
        expectClose(y, manual)
        // tanh bounds the middle signal, and G2 has unit DC gain with a positive impulse response: |y| < 1.
        #expect(y.allSatisfy { abs($0) < 1 })
    }

    @Test func duffingIsLinearForSmallInputsAndHardensForLarge() {
        // Sanity: with α = 0 the response scales exactly with the input (linearity); with α = 1
        // a 10× larger input gives clearly less than 10× the output (hardening spring).
        var rng = SplitMix64(seed: 2)
        let u = InputSignal.multisine(period: 256, minHarmonic: 1, maxHarmonic: 20, rms: 0.5).generate(length: 256, rng: &rng)
        let linear = DuffingOscillator(cubicStiffness: 0)
        var u10 = u; for i in u10.elements.indices { u10.elements[i] *= 10 }
        expectClose(linear.simulate(u10).elements, linear.simulate(u).elements.map { 10 * $0 }, rtol: 1e-10, atol: 1e-10)  // RK4 rounding
        let hard = DuffingOscillator()
        let peakSmall = hard.simulate(u).elements.map(abs).max()!, peakLarge = hard.simulate(u10).elements.map(abs).max()!
        #expect(peakLarge < 6 * peakSmall)
        #expect(hard.simulate(u) == hard.simulate(u))
    }

    @Test func cascadedTanksSaturateAndReachSteadyState() throws {
        let tanks = CascadedTanks()
        // Constant u = 4: steady levels (k4·u/k1)² = 4; after 1000 samples (4000 s ≫ τ ≈ 40 s).
        let y = tanks.simulate(Matrix.column(Array(repeating: 4, count: 1000))).elements
        expectClose(y.last!, 4, rtol: 1e-6)  // exponential approach, residual far below 1e-6
        // u = 8 would settle at 16 > x_max: the level saturates at exactly 10.
        let ySat = tanks.simulate(Matrix.column(Array(repeating: 8, count: 500))).elements
        #expect(ySat.allSatisfy { $0 >= 0 && $0 <= 10 })
        #expect(ySat.last == 10)
        var r1 = SplitMix64(seed: 4), r2 = SplitMix64(seed: 4)
        let d1 = try? SyntheticIO.dataset(name: "t", system: tanks, signal: .steps(low: 0, high: 8, minHold: 20, maxHold: 60),
                                          length: 300, fractions: try Self.fractions(), rng: &r1)
        let d2 = try? SyntheticIO.dataset(name: "t", system: tanks, signal: .steps(low: 0, high: 8, minHold: 20, maxHold: 60),
                                          length: 300, fractions: try Self.fractions(), rng: &r2)
        #expect(d1?.outputs == d2?.outputs)
    }

    @Test func mackeyGlassStaysOnItsAttractor() {
        var r1 = SplitMix64(seed: 17), r2 = SplitMix64(seed: 17), r3 = SplitMix64(seed: 18)
        let a = ChaoticSeries.mackeyGlass(count: 2000, rng: &r1)
        #expect(a == ChaoticSeries.mackeyGlass(count: 2000, rng: &r2))
        #expect(a != ChaoticSeries.mackeyGlass(count: 2000, rng: &r3))
        // Known range of the τ = 17 attractor: about [0.42, 1.32] (checked against an independent
        // numpy integration); allow a margin.
        #expect(a.allSatisfy { $0 > 0.35 && $0 < 1.4 })
        #expect(a.min()! < 0.6 && a.max()! > 1.2)  // it visits both ends: not a fixed point
    }

    @Test func lorenzStaysOnItsAttractor() throws {
        var r1 = SplitMix64(seed: 1), r2 = SplitMix64(seed: 1)
        let a = ChaoticSeries.lorenz(count: 3000, rng: &r1)
        #expect(a == ChaoticSeries.lorenz(count: 3000, rng: &r2))
        let x = a.column(0), z = a.column(2)
        #expect(x.allSatisfy { abs($0) < 25 } && z.allSatisfy { $0 > 0 && $0 < 55 })
        #expect(x.contains { $0 > 5 } && x.contains { $0 < -5 })  // both wings are visited
        let data = try? ChaoticSeries.forecastData(name: "lorenz", values: a, channelNames: ["x", "y", "z"], fractions: try Self.fractions())
        #expect(data?.split.rowCount(.test) == 600)
    }
}

@Suite struct LongRangeTaskTests {
    @Test func addingTargetIsSumOfMarkedValues() {
        var rng = SplitMix64(seed: 7)
        let set = LongRangeTask.adding(length: 50).generate(count: 20, rng: &rng)
        for ex in set.examples {
            let marked = (0..<50).filter { ex.inputs[$0, 1] == 1 }
            #expect(marked.count == 2)
            #expect(marked[0] < 25 && marked[1] >= 25)
            expectClose(ex.targets[49, 0], ex.inputs[marked[0], 0] + ex.inputs[marked[1], 0])
            #expect(ex.scored == (0..<50).map { $0 == 49 })
        }
        var again = SplitMix64(seed: 7)
        #expect(LongRangeTask.adding(length: 50).generate(count: 20, rng: &again).examples.map(\.inputs) == set.examples.map(\.inputs))
    }

    @Test func copyMemoryReproducesSymbolsAfterDelay() {
        var rng = SplitMix64(seed: 8)
        let set = LongRangeTask.copyMemory(delay: 30, symbols: 10, alphabet: 8).generate(count: 5, rng: &rng)
        #expect(set.classCount == 10)
        for ex in set.examples {
            let x = ex.inputTokens!, y = ex.targetTokens!
            #expect(x.count == 50)
            #expect(Array(y.suffix(10)) == Array(x.prefix(10)))
            #expect(x[39] == 9 && x.prefix(10).allSatisfy { (1...8).contains($0) })
            #expect(ex.scored.filter { $0 }.count == 10 && ex.scored.suffix(10).allSatisfy { $0 })
            #expect(ex.inputs.rows == 50 && ex.inputs.cols == 10 && ex.inputs[39, 9] == 1)
        }
    }

    @Test func selectiveCopyAndDelayedRecall() {
        var rng = SplitMix64(seed: 9)
        for ex in LongRangeTask.selectiveCopy(length: 40, symbols: 5, alphabet: 6).generate(count: 10, rng: &rng).examples {
            let x = ex.inputTokens!, y = ex.targetTokens!
            let data = x.prefix(40).filter { $0 != 0 }
            #expect(data.count == 5)
            #expect(Array(y.suffix(5)) == data)
            #expect(x.suffix(5).allSatisfy { $0 == 7 })
        }
        for ex in LongRangeTask.delayedRecall(length: 30, delay: 4).generate(count: 3, rng: &rng).examples {
            let x = ex.inputTokens!, y = ex.targetTokens!
            #expect((4..<30).allSatisfy { y[$0] == x[$0 - 4] })
            #expect(ex.scored == (0..<30).map { $0 >= 4 })
        }
    }
}
