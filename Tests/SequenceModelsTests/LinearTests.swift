import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct LinearTests {
    @Test(arguments: [true, false])
    func gradients(bias: Bool) {
        var rng = SplitMix64(seed: 1)
        let layer = Linear<Double>(inputSize: 4, outputSize: 3, bias: bias, using: &rng)
        checkLayerGradients(layer, input: .uniform([2, 5, 4], using: &rng), seed: 2)
    }

    @Test func forwardMatchesFormula() {
        var rng = SplitMix64(seed: 4)
        let layer = Linear<Double>(inputSize: 3, outputSize: 2, using: &rng)
        let x = Tensor<Double>.uniform([4, 3], using: &rng)
        let y = layer(x)
        let w = layer.weight.value, b = layer.bias!.value
        var expected = [Double]()
        for n in 0..<4 {
            for o in 0..<2 { expected.append((0..<3).reduce(b[o]) { $0 + x[n, $1] * w[o, $1] }) }
        }
        expectClose(y.scalars, expected, rtol: 1e-14, atol: 1e-15)
    }

    @Test func shapeInferenceThrowsForWrongWidth() throws {
        var rng = SplitMix64(seed: 1)
        let layer = Linear<Float>(inputSize: 4, outputSize: 3, using: &rng)
        #expect(try layer.outputShape(for: [2, 7, 4]) == [2, 7, 3])
        #expect(throws: SequenceModelError.shapeMismatch(operation: "Linear input", expected: [2, 7, 4], found: [2, 7, 5])) {
            try layer.outputShape(for: [2, 7, 5])
        }
    }

    @Test func sameSeedSameWeights() {
        var r1 = SplitMix64(seed: 8), r2 = SplitMix64(seed: 8)
        let a = Linear<Float>(inputSize: 16, outputSize: 8, using: &r1)
        let b = Linear<Float>(inputSize: 16, outputSize: 8, using: &r2)
        // Bitwise identity is the property under test.
        #expect(a.weight.value == b.weight.value && a.bias!.value == b.bias!.value)
    }
}
