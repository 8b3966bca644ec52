// CausalSelfAttention backward against central finite differences (GradientCheck.swift), in
// Double, for the input and every parameter: both kernels, with and without biases, causal and
// not, with and without a key mask; tiles smaller than the sequence so the online softmax
// rescales across key blocks.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct AttentionGradientTests {
    static let algorithms: [AttentionAlgorithm] = [.reference, .blocked(queryBlock: 4, keyBlock: 3)]

    /// Moves the zero-initialised biases to general position so their gradients are exercised.
    static func randomizeBiases(_ layer: CausalSelfAttention<Double>, using rng: inout SplitMix64) {
        for p in [layer.qkvBias, layer.outputBias].compactMap({ $0 }) {
            p.value = .uniform(p.shape, -0.5, 0.5, using: &rng)
        }
    }

    @Test(arguments: algorithms, [true, false])
    func causal(algorithm: AttentionAlgorithm, bias: Bool) {
        var rng = SplitMix64(seed: 41)
        let layer = CausalSelfAttention<Double>(modelSize: 6, heads: 2, bias: bias, using: &rng)
        layer.algorithm = algorithm
        Self.randomizeBiases(layer, using: &rng)
        checkLayerGradients(layer, input: .uniform([2, 9, 6], using: &rng), seed: 42)
    }

    @Test(arguments: algorithms)
    func notCausal(algorithm: AttentionAlgorithm) {
        var rng = SplitMix64(seed: 43)
        let layer = CausalSelfAttention<Double>(modelSize: 4, heads: 1, causal: false, using: &rng)
        layer.algorithm = algorithm
        Self.randomizeBiases(layer, using: &rng)
        checkLayerGradients(layer, input: .uniform([2, 7, 4], using: &rng), seed: 44)
    }

    @Test(arguments: algorithms, [true, false])
    func keyMask(algorithm: AttentionAlgorithm, causal: Bool) throws {
        var rng = SplitMix64(seed: 45)
        let layer = CausalSelfAttention<Double>(modelSize: 6, heads: 3, causal: causal, using: &rng)
        layer.algorithm = algorithm
        Self.randomizeBiases(layer, using: &rng)
        // Sequence 0: left padding (its first two queries see no key when causal);
        // sequence 1: right padding and a hole in the middle.
        let mask = Tensor<Double>(shape: [2, 8], scalars: [0, 0, 1, 1, 1, 1, 1, 1,
                                                            1, 1, 1, 0, 1, 1, 0, 0])
        try layer.setKeyMask(mask)
        checkLayerGradients(layer, input: .uniform([2, 8, 6], using: &rng), seed: 46)
    }
}
