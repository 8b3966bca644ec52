import Baselines
import LinearAlgebra
import Numerics
import StateSpace
import TestSupport
import Testing

@Suite struct ARXRealizationTests {
    /// A fitted model with generic coefficients (noisy data, so no coefficient is special).
    static func fitted(_ a: [Matrix], _ b: [Matrix], na: Int, nb: Int, nk: Int, seed: UInt64) throws -> (ARXModel, IOSegment) {
        var rng = SplitMix64(seed: seed)
        let (u, y) = arxData(a: a, b: b, nk: nk, steps: 400, noise: 0.2, rng: &rng)
        let seg = try IOSegment(inputs: u, outputs: y)
        return (try ARXEstimator(orders: ARXOrders(na: na, nb: nb, nk: nk), alpha: 0.01).fit([seg]), seg)
    }

    @Test(arguments: [(2, 2, 1), (2, 2, 0), (1, 3, 2), (3, 1, 4), (0, 4, 1)])
    func realisationSimulatesTheFreeRunSISO(orders: (Int, Int, Int)) throws {
        let (model, seg) = try Self.fitted(sisoA, sisoB, na: orders.0, nb: orders.1, nk: orders.2, seed: 31)
        try checkRealisation(model, seg)
    }

    @Test(arguments: [0, 1, 3])
    func realisationSimulatesTheFreeRunMIMO(nk: Int) throws {
        let (model, seg) = try Self.fitted(mimoA, mimoB, na: 2, nb: 2, nk: nk, seed: 32)
        try checkRealisation(model, seg)
    }

    func checkRealisation(_ model: ARXModel, _ seg: IOSegment) throws {
        let sys = try model.realization()
        #expect(sys.stateCount == model.orders.lagDepth * model.outputCount)
        // From rest: the LTI core's simulation equals the ARX recursion.
        let free = try model.simulate(seg, warmup: 0)
        let lti = try sys.simulate(seg.inputs, mode: .recurrent).outputs
        expectClose(lti, free, rtol: 1e-10, atol: 1e-10, "\(model.orders) from rest")
        // With a warm-up: the state built from the measured past continues the same recursion.
        for warmup in [1, 5, 17] {
            let sim = try model.simulate(seg, warmup: warmup)
            let x0 = try model.realizationState(pastInputs: head(seg.inputs, warmup), pastOutputs: head(seg.outputs, warmup))
            let cont = try sys.simulate(tail(seg.inputs, from: warmup), x0: x0).outputs
            expectClose(cont, tail(sim, from: warmup), rtol: 1e-10, atol: 1e-10, "\(model.orders) warm-up \(warmup)")
        }
    }

    @Test func polesAreTheRootsOfTheARPolynomial() throws {
        // Noiseless fit of the reference system: z² − 1.5 z + 0.7 = 0 → z = 0.75 ± j √0.1375.
        var rng = SplitMix64(seed: 33)
        let (u, y) = arxData(a: sisoA, b: sisoB, nk: 1, steps: 300, rng: &rng)
        let model = try ARXEstimator(orders: ARXOrders(na: 2, nb: 2, nk: 1)).fit([IOSegment(inputs: u, outputs: y)])
        let im = 0.1375.squareRoot()
        expectClose(sortedComplex(try model.poles()), [Complex(0.75, -im), Complex(0.75, im)], rtol: 1e-9, atol: 1e-9)
        // nk = 3 > na pads the denominator: two extra poles at 0.
        let delayed = arxData(a: sisoA, b: sisoB, nk: 3, steps: 300, rng: &rng)
        let m3 = try ARXEstimator(orders: ARXOrders(na: 2, nb: 2, nk: 3)).fit([IOSegment(inputs: delayed.u, outputs: delayed.y)])
        let poles = sortedComplex(try m3.poles())
        #expect(poles.count == 4)
        expectClose(poles.filter { $0.length < 1e-6 }.map(\.length), [0, 0], rtol: 0, atol: 1e-6)
    }

    @Test func frequencyResponseIsTheTransferFunction() throws {
        // H(z) = (b₀ z⁻¹ + b₁ z⁻²) / (1 − a₁ z⁻¹ − a₂ z⁻²), evaluated directly on the unit circle.
        var rng = SplitMix64(seed: 34)
        let (u, y) = arxData(a: sisoA, b: sisoB, nk: 1, steps: 300, rng: &rng)
        let model = try ARXEstimator(orders: ARXOrders(na: 2, nb: 2, nk: 1)).fit([IOSegment(inputs: u, outputs: y)], sampleTime: 0.5)
        let sys = try model.realization()
        #expect(sys.dt == 0.5)
        let omega = [0.0, 0.3, 1.0, 2.5, 6.0]
        let fr = try sys.frequencyResponse(omega: omega)
        for (f, w) in omega.enumerated() {
            let z1 = Complex(Double.cos(-w * 0.5), Double.sin(-w * 0.5)) // z⁻¹
            let z2 = z1 * z1
            let h = (Complex(1.0) * z1 + Complex(0.5) * z2) / (Complex(1.0) - Complex(1.5) * z1 + Complex(0.7) * z2)
            expectClose([fr[f, 0, 0]], [h], rtol: 1e-9, atol: 1e-9)
        }
    }

    @Test func interceptHasNoRealisation() throws {
        var rng = SplitMix64(seed: 35)
        let (u, y) = arxData(a: sisoA, b: sisoB, nk: 1, steps: 100, noise: 0.1, rng: &rng)
        let model = try ARXEstimator(orders: ARXOrders(na: 2, nb: 2, nk: 1), fitIntercept: true).fit([IOSegment(inputs: u, outputs: y)])
        #expect(throws: BaselineError.self) { try model.realization() }
        #expect(try model.poles().count == 2)
    }
}
