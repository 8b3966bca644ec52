// The dense LTI layer: MIMO FFT convolution against direct sums, the kernel's reverse mode
// against the unrolled reference, backward against finite differences (input, A, B, C, D),
// convolution mode == recurrent mode == StateSpace's simulation, and a stable start.

import LinearAlgebra
import Numerics
import SequenceModels
import Spectral
import StateSpace
import TestSupport
import Testing

@Suite struct SSMDenseLTITests {
    @Test(arguments: [1, 5, 33])
    func mimoConvolverMatchesDirectSums(length: Int) {
        var rng = SplitMix64(seed: 81)
        let (B, m, p) = (2, 3, 2)
        let u = rng.uniforms(B * m * length), k = rng.uniforms(p * m * length), gy = rng.uniforms(B * p * length)
        let ref = BatchedMIMOConvolver<Double>.reference(batch: B, inputs: m, outputs: p, length: length, u: u, kernels: k, outputGradient: gy)
        let conv = BatchedMIMOConvolver<Double>(batch: B, inputs: m, outputs: p, length: length)
        var y = [Double](repeating: 0, count: B * p * length)
        var gu = [Double](repeating: 0, count: B * m * length), gk = [Double](repeating: 0, count: p * m * length)
        u.withUnsafeBufferPointer { pu in k.withUnsafeBufferPointer { pk in y.withUnsafeMutableBufferPointer { conv.forward(pu, kernels: pk, into: $0) } } }
        gy.withUnsafeBufferPointer { g in gu.withUnsafeMutableBufferPointer { a in gk.withUnsafeMutableBufferPointer { conv.backward(outputGradient: g, inputGradient: a, kernelGradient: $0) } } }
        // FFT rounding: ~ε log n relative to the largest output.
        #expect(relativeError(y, ref.y) < 1e-13)
        #expect(relativeError(gu, ref.inputGradient) < 1e-13)
        #expect(relativeError(gk, ref.kernelGradient) < 1e-13)
    }

    @Test(arguments: [1, 2, 3, 12])
    func kernelAdjointMatchesUnrolledReference(length: Int) throws {
        var rng = SplitMix64(seed: 82)
        let (n, m, p) = (4, 2, 3)
        let a = 0.4 * Matrix.uniform(n, n, using: &rng), b = Matrix.uniform(n, m, using: &rng), c = Matrix.uniform(p, n, using: &rng)
        let g = rng.uniforms(length * p * m)
        let fast = LTIKernelAdjoint.gradients(a: a, b: b, c: c, kernelGradient: g, length: length)
        let ref = LTIKernelAdjoint.reference(a: a, b: b, c: c, kernelGradient: g, length: length)
        expectClose(fast.a.elements, ref.a.elements, rtol: 1e-12, atol: 1e-13)
        expectClose(fast.b.elements, ref.b.elements, rtol: 1e-12, atol: 1e-13)
        expectClose(fast.c.elements, ref.c.elements, rtol: 1e-12, atol: 1e-13)
        expectClose(fast.d.elements, ref.d.elements, rtol: 0, atol: 0)
    }

    @Test func backwardMatchesFiniteDifferences() throws {
        var rng = SplitMix64(seed: 83)
        let layer = try DenseLTILayer<Double>(configuration: DenseLTIConfiguration(inputSize: 2, outputSize: 3, stateSize: 4), using: &rng)
        #expect(layer.namedParameters.map(\.name) == ["A", "B", "C", "D"])
        checkLayerGradients(layer, input: .uniform([2, 11, 2], using: &rng), seed: 84)
    }

    func modeDeviations<S: NeuralScalar & FFTScalar>(_ type: S.Type) throws -> (recurrent: Double, stateSpace: Double) {
        var rng = SplitMix64(seed: 85)
        let layer = try DenseLTILayer<S>(configuration: DenseLTIConfiguration(inputSize: 2, outputSize: 2, stateSize: 6, spectralRadius: 0.95), using: &rng)
        let x = Tensor<S>.uniform([3, 120, 2], using: &rng)
        let conv = layer.forward(x)
        let (rec, _) = layer.recurrentCell().run(x)
        let convD = conv.scalars.map { Double($0) }
        // StateSpace's own recurrent simulation of the same system, sequence by sequence.
        let sys = try #require(layer.system())
        var simulated: [Double] = []
        for b in 0..<3 {
            let u = Matrix(rows: 120, cols: 2, elements: (0..<240).map { Double(x[flat: b * 240 + $0]) })
            simulated += try sys.simulate(u, mode: .recurrent).outputs.elements
        }
        return (relativeError(rec.scalars.map { Double($0) }, convD), relativeError(convD, simulated))
    }

    @Test func convolutionModeEqualsRecurrentModeAndSimulation() throws {
        let double = try modeDeviations(Double.self)
        #expect(double.recurrent < 1e-12 && double.stateSpace < 1e-12)
        // Float: FFT rounding and a 120-step Float recursion, ~1e-6 relative.
        let float = try modeDeviations(Float.self)
        #expect(float.recurrent < 1e-4 && float.stateSpace < 1e-4)
    }

    @Test func startsStable() throws {
        var rng = SplitMix64(seed: 86)
        let layer = try DenseLTILayer<Float>(configuration: DenseLTIConfiguration(inputSize: 1, outputSize: 1, stateSize: 16, spectralRadius: 0.9), using: &rng)
        let radius = try #require(layer.system()).spectralRadius()
        #expect(Swift.abs(radius - 0.9) < 1e-6)
        #expect(throws: SequenceModelError.self) {
            _ = try DenseLTILayer<Float>(configuration: DenseLTIConfiguration(inputSize: 1, outputSize: 1, stateSize: 4, spectralRadius: 1), using: &rng)
        }
        // Non-finite parameters give a NaN kernel (hence NaN outputs), not a trap.
        layer.a.value[flat: 0] = .nan
        #expect(layer.kernel(length: 3).allSatisfy { $0.isNaN })
    }
}
