import Baselines
import LinearAlgebra
import Numerics
import StateSpace
import TestSupport
import Testing

@Suite struct ARXTests {
    @Test func firByHand() throws {
        // y[k] = 2 u[k] − u[k−1] on u = (1, 0, 2, 1, −1): y = (2, −1, 4, 0, −3); the first row
        // has no full window and is left out, the other four determine (2, −1) exactly.
        let u = Matrix(rowsLiteral: [[1], [0], [2], [1], [-1]])
        let y = Matrix(rowsLiteral: [[2], [-1], [4], [0], [-3]])
        let model = try ARXEstimator.fir(taps: 2).fit([IOSegment(inputs: u, outputs: y)])
        expectClose(model.inputCoefficient(tap: 0).elements, [2], rtol: 1e-13, atol: 1e-13)
        expectClose(model.inputCoefficient(tap: 1).elements, [-1], rtol: 1e-13, atol: 1e-13)
        // Free run and one-step prediction coincide for FIR; u[−1] = 0 gives ŷ[0] = 2.
        let seg = try IOSegment(inputs: u, outputs: y)
        expectClose(try model.simulate(seg), y, rtol: 1e-13, atol: 1e-13)
        expectClose(try model.predictOneStep(seg), y, rtol: 1e-13, atol: 1e-13)
    }

    @Test func recoversSISOCoefficientsFromNoiselessData() throws {
        var rng = SplitMix64(seed: 21)
        let (u, y) = arxData(a: sisoA, b: sisoB, nk: 1, steps: 300, rng: &rng)
        let model = try ARXEstimator(orders: ARXOrders(na: 2, nb: 2, nk: 1)).fit([IOSegment(inputs: u, outputs: y)])
        expectClose([model.outputCoefficient(lag: 1)[0, 0], model.outputCoefficient(lag: 2)[0, 0]], [1.5, -0.7], rtol: 1e-10, atol: 1e-10)
        expectClose([model.inputCoefficient(tap: 0)[0, 0], model.inputCoefficient(tap: 1)[0, 0]], [1.0, 0.5], rtol: 1e-10, atol: 1e-10)
    }

    @Test func recoversMIMOCoefficients() throws {
        for nk in [0, 2] {
            var rng = SplitMix64(seed: 22)
            let (u, y) = arxData(a: mimoA, b: mimoB, nk: nk, steps: 400, rng: &rng)
            let model = try ARXEstimator(orders: ARXOrders(na: 2, nb: 2, nk: nk)).fit([IOSegment(inputs: u, outputs: y)])
            for i in 1...2 { expectClose(model.outputCoefficient(lag: i), mimoA[i - 1], rtol: 1e-9, atol: 1e-10, "A_\(i), nk \(nk)") }
            for j in 0...1 { expectClose(model.inputCoefficient(tap: j), mimoB[j], rtol: 1e-9, atol: 1e-10, "B_\(j), nk \(nk)") }
        }
    }

    @Test func outputOnlyARXIsAVectorAR() throws {
        // m = 0: y[k] = A₁ y[k−1] + A₂ y[k−2] + e[k], noise-driven; the noiseless free run from
        // the first two measured outputs follows the data only through the AR part, so check
        // the coefficients (noisy but long data) and the realisation with no inputs.
        var rng = SplitMix64(seed: 28)
        let n = 20_000
        var y = Matrix(rows: n, cols: 2)
        for k in 0..<n { for o in 0..<2 {
            var s = 0.5 * rng.uniform()
            for (i, a) in mimoA.enumerated() where k - 1 - i >= 0 { for o2 in 0..<2 { s += a[o, o2] * y[k - 1 - i, o2] } }
            y[k, o] = s
        } }
        let seg = try IOSegment(inputs: Matrix(rows: n, cols: 0), outputs: y)
        let model = try ARXEstimator(orders: ARXOrders(na: 2, nb: 0)).fit([seg])
        // Least-squares error ~ 1/√n ≈ 0.007 per coefficient; 0.03 is about four standard errors.
        for i in 1...2 { expectClose(model.outputCoefficient(lag: i), mimoA[i - 1], rtol: 0, atol: 0.03, "A_\(i)") }
        let sys = try model.realization()
        #expect(sys.inputCount == 0 && sys.stateCount == 4)
        let free = try model.simulate(seg, warmup: 2)
        let x0 = try model.realizationState(pastInputs: Matrix(rows: 2, cols: 0), pastOutputs: head(y, 2))
        expectClose(try sys.simulate(Matrix(rows: n - 2, cols: 0), x0: x0).outputs, tail(free, from: 2), rtol: 1e-10, atol: 1e-12)
    }

    @Test func lagWindowsNeverStraddleRecords() throws {
        // Two records that both start mid-stream (burn-in dropped). Fitted as two segments the
        // noiseless recursion holds in every window; glued into one, the windows across the seam
        // mix the records and the fit is no longer exact.
        var rng = SplitMix64(seed: 23)
        let r1 = arxData(a: sisoA, b: sisoB, nk: 1, steps: 60, burnIn: 50, rng: &rng)
        let r2 = arxData(a: sisoA, b: sisoB, nk: 1, steps: 60, burnIn: 50, rng: &rng)
        let orders = try ARXOrders(na: 2, nb: 2, nk: 1)
        let separate = try ARXEstimator(orders: orders).fit([IOSegment(inputs: r1.u, outputs: r1.y), IOSegment(inputs: r2.u, outputs: r2.y)])
        expectClose(separate.regression.weights.elements, [1.5, -0.7, 1.0, 0.5], rtol: 1e-10, atol: 1e-10)
        let glued = try ARXEstimator(orders: orders).fit([IOSegment(inputs: Matrix.vcat([r1.u, r2.u]), outputs: Matrix.vcat([r1.y, r2.y]))])
        #expect(relativeError(glued.regression.weights.elements, [1.5, -0.7, 1.0, 0.5]) > 1e-4)
    }

    @Test func oneStepPredictionMatchesTheRegression() throws {
        // The prediction kernel and the design matrix are written separately: on the rows with a
        // full window, predictOneStep equals the ridge model applied to the lag windows.
        var rng = SplitMix64(seed: 24)
        let (u, y) = arxData(a: mimoA, b: mimoB, nk: 1, steps: 200, noise: 0.3, rng: &rng)
        let seg = try IOSegment(inputs: u, outputs: y)
        let model = try ARXEstimator(orders: ARXOrders(na: 3, nb: 2, nk: 1), alpha: 0.1, fitIntercept: true).fit([seg])
        let pred = try model.predictOneStep(seg, warmup: 0)
        // Build the windows here by hand: φ[k] = [y[k−1]; y[k−2]; y[k−3]; u[k−1]; u[k−2]].
        var x = Matrix(rows: 197, cols: 10)
        for k in 3..<200 {
            let row = y.row(k - 1) + y.row(k - 2) + y.row(k - 3) + u.row(k - 1) + u.row(k - 2)
            for (j, v) in row.enumerated() { x[k - 3, j] = v }
        }
        expectClose(tail(pred, from: 3), try model.regression.predict(x), rtol: 1e-12, atol: 1e-12)
        // Warm-up rows hold the measured outputs.
        expectClose(head(try model.predictOneStep(seg, warmup: 5), 5), head(y, 5), rtol: 0, atol: 0)
    }

    @Test func noiselessOneStepAndFreeRunReproduceTheData() throws {
        var rng = SplitMix64(seed: 25)
        let (u, y) = arxData(a: sisoA, b: sisoB, nk: 1, steps: 300, rng: &rng)
        let seg = try IOSegment(inputs: u, outputs: y)
        let model = try ARXEstimator(orders: ARXOrders(na: 2, nb: 2, nk: 1)).fit([seg])
        expectClose(try model.predictOneStep(seg), y, rtol: 1e-9, atol: 1e-9)
        // The data start at rest, so the free run from zero initial conditions is exact too.
        expectClose(try model.simulate(seg), y, rtol: 1e-8, atol: 1e-8)
    }

    @Test func freeRunUsesOnlyTheWarmupOutputs() throws {
        var rng = SplitMix64(seed: 26)
        let (u, y) = arxData(a: sisoA, b: sisoB, nk: 1, steps: 100, burnIn: 40, rng: &rng)
        let model = try ARXEstimator(orders: ARXOrders(na: 2, nb: 2, nk: 1)).fit([IOSegment(inputs: u, outputs: y)])
        // Started mid-stream: with a warm-up of 2 (= the lag depth) every simulated step has its
        // whole window inside the record, so the free run is exact, and it reads no output after
        // the warm-up (scrambling them changes nothing).
        var scrambled = y
        for k in 2..<100 { scrambled[k, 0] = 1e3 }
        let sim = try model.simulate(IOSegment(inputs: u, outputs: scrambled), warmup: 2)
        expectClose(sim, y, rtol: 1e-8, atol: 1e-8)
        let same = try model.simulate(inputs: u, initialOutputs: head(y, 2))
        expectClose(same, sim, rtol: 0, atol: 0)
    }

    @Test func divergingFreeRunThrows() throws {
        // y[k] = 2 y[k−1] + u[k−1] overflows after ~1030 steps.
        let reg = try RidgeModel(weights: Matrix(rowsLiteral: [[2], [1]]), intercept: [0])
        let model = try ARXModel(orders: ARXOrders(na: 1, nb: 1, nk: 1), inputCount: 1, outputCount: 1, regression: reg)
        let u = Matrix(rows: 2000, cols: 1, repeating: 1)
        #expect(throws: BaselineError.self) { try model.simulate(inputs: u, initialOutputs: Matrix(rows: 0, cols: 1)) }
    }

    @Test func badDataAndSettingsThrow() throws {
        #expect(throws: BaselineError.self) { try ARXOrders(na: 0, nb: 0) }
        #expect(throws: BaselineError.self) { try ARXOrders(na: -1, nb: 2) }
        #expect(throws: BaselineError.self) { try ARXEstimator.fir(taps: 0) }
        var u = Matrix(rows: 10, cols: 1, repeating: 1)
        let y = Matrix(rows: 10, cols: 1, repeating: 2)
        // 10 rows, lag depth 4: 6 regression rows for 8 parameters.
        let orders = try ARXOrders(na: 4, nb: 4, nk: 1)
        #expect(throws: BaselineError.tooFewSamples(context: "ARX(na: 4, nb: 4, nk: 1) with 8 parameter(s) per output: regression rows (segment lengths minus lag depth 4, over 1 segment(s))", needed: 8, found: 6)) {
            try ARXEstimator(orders: orders).fit([IOSegment(inputs: u, outputs: y)])
        }
        u[3, 0] = .infinity
        #expect(throws: BaselineError.nonFinite(signal: "train 1 inputs", row: 3, column: 0)) { try IOSegment(inputs: u, outputs: y, name: "train 1") }
        #expect(throws: BaselineError.self) { try IOSegment(inputs: Matrix(rows: 9, cols: 1), outputs: y) }
        var rng = SplitMix64(seed: 27)
        let ok = try IOSegment(inputs: Matrix.uniform(10, 1, using: &rng), outputs: y)
        let twoIn = try IOSegment(inputs: Matrix(rows: 10, cols: 2), outputs: y)
        #expect(throws: BaselineError.self) { try ARXEstimator(orders: ARXOrders(na: 1, nb: 1)).fit([ok, twoIn]) }
        let model = try ARXEstimator(orders: ARXOrders(na: 1, nb: 1)).fit([ok])
        #expect(throws: BaselineError.self) { try model.simulate(ok, warmup: 11) }
        #expect(throws: BaselineError.self) { try model.simulate(ok, warmup: -1) }
        #expect(throws: BaselineError.self) { try model.simulate(twoIn) }
        #expect(throws: BaselineError.self) { try RidgeModel(weights: Matrix(rows: 2, cols: 1), intercept: [0, 0]) }
        let reg = try RidgeModel(weights: Matrix(rows: 3, cols: 1), intercept: [0])
        #expect(throws: BaselineError.self) { try ARXModel(orders: ARXOrders(na: 1, nb: 1), inputCount: 1, outputCount: 1, regression: reg) }
    }
}
