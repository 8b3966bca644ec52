// Every layer's backward pass against central finite differences (GradientCheck.swift), in
// Double, for inputs and parameters, on seeded random inputs of (batch, time, features) shape.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct LayerGradientTests {
    @Test(arguments: ActivationKind.allCases)
    func activation(kind: ActivationKind) {
        var rng = SplitMix64(seed: 21)
        checkLayerGradients(Activation<Double>(kind), input: .uniform([2, 3, 4], -3, 3, using: &rng), seed: 22)
    }

    @Test(arguments: [LayerMode.training, .inference])
    func dropout(mode: LayerMode) {
        var rng = SplitMix64(seed: 23)
        let layer = Dropout<Double>(rate: 0.3, seed: 5)
        layer.mode = mode
        let start = layer.generator
        // Replay the same mask on every forward so the finite differences see one function.
        checkLayerGradients(layer, input: .uniform([2, 4, 5], using: &rng), seed: 24,
                            beforeForward: { layer.generator = start })
    }

    @Test(arguments: [true, false])
    func layerNorm(affine: Bool) {
        var rng = SplitMix64(seed: 25)
        let layer = LayerNorm<Double>(size: 6, affine: affine)
        if affine {
            // Move γ, β away from 1, 0 so their gradients are exercised in general position.
            layer.weight!.value = .uniform([6], 0.5, 1.5, using: &rng)
            layer.bias!.value = .uniform([6], using: &rng)
        }
        checkLayerGradients(layer, input: .uniform([2, 3, 6], -2, 2, using: &rng), seed: 26)
    }

    @Test func embedding() throws {
        var rng = SplitMix64(seed: 27)
        let layer = Embedding<Double>(vocabularySize: 7, embeddingSize: 3, using: &rng)
        let ids = Tensor<Double>(shape: [2, 4], scalars: [0, 3, 3, 6, 1, 0, 5, 3])
        try layer.validate(ids)
        checkLayerGradients(layer, input: ids, seed: 28, checkInput: false)
        #expect(layer.forward(ids).shape == [2, 4, 3])
    }

    @Test func embeddingRejectsBadIds() {
        var rng = SplitMix64(seed: 27)
        let layer = Embedding<Float>(vocabularySize: 7, embeddingSize: 3, using: &rng)
        #expect(throws: SequenceModelError.invalidToken(index: 2, value: 7, vocabularySize: 7)) {
            try layer.validate(Tensor(shape: [3], scalars: [0, 6, 7]))
        }
        #expect(throws: SequenceModelError.invalidToken(index: 0, value: 1.5, vocabularySize: 7)) {
            try layer.validate(Tensor(shape: [1], scalars: [1.5]))
        }
    }

    @Test func glu() {
        var rng = SplitMix64(seed: 29)
        checkLayerGradients(GLU<Double>(), input: .uniform([2, 3, 8], -2, 2, using: &rng), seed: 30)
    }

    @Test func sequentialAndResidual() {
        var rng = SplitMix64(seed: 31)
        let body = Sequential<Double>([Linear(inputSize: 5, outputSize: 7, using: &rng), Activation(.tanh),
                                       Linear(inputSize: 7, outputSize: 5, using: &rng)])
        let model = Sequential<Double>([Residual(body), LayerNorm(size: 5), Activation(.geluTanh)])
        #expect(model.namedParameters.map(\.name) == ["0.0.weight", "0.0.bias", "0.2.weight", "0.2.bias", "1.weight", "1.bias"])
        checkLayerGradients(model, input: .uniform([3, 2, 5], using: &rng), seed: 32)
    }

    @Test func feedForwardBlockWithDropout() {
        var rng = SplitMix64(seed: 33)
        let block = FeedForwardBlock<Double>(size: 4, hiddenSize: 8, activation: .gelu, dropout: 0.2, using: &rng)
        let start = block.dropout.generator
        checkLayerGradients(block, input: .uniform([2, 3, 4], using: &rng), seed: 34,
                            beforeForward: { block.dropout.generator = start })
    }

    @Test func mlp() throws {
        let config = MLPConfiguration(inputSize: 3, outputSize: 2, width: 6, depth: 2, expansion: 2, activation: .relu)
        let model = try MLP<Double>(configuration: config, seed: 35)
        #expect(model.namedParameters.map(\.name).prefix(4) == ["input.weight", "input.bias", "blocks.0.norm.weight", "blocks.0.norm.bias"])
        var rng = SplitMix64(seed: 36)
        checkLayerGradients(model, input: .uniform([2, 4, 3], using: &rng), seed: 37)
        #expect(try model.outputShape(for: [2, 4, 3]) == [2, 4, 2])
    }

    @Test func dropoutIsIdentityInInferenceAndUnbiasedInTraining() {
        let layer = Dropout<Double>(rate: 0.25, seed: 1)
        let x = Tensor<Double>(shape: [10_000], repeating: 1)
        layer.mode = .inference
        #expect(layer.forward(x) == x)
        layer.mode = .training
        let y = layer.forward(x)
        let kept = y.scalars.filter { $0 != 0 }.count
        // 10 000 Bernoulli(0.75) draws: standard deviation ≈ 43, so ±250 is ~6σ.
        #expect(abs(kept - 7500) < 250)
        expectClose(y.scalars.filter { $0 != 0 }.first ?? 0, 1 / 0.75)
    }

    @Test func geluVariantsAgreeClosely() {
        var rng = SplitMix64(seed: 38)
        let x = Tensor<Double>.uniform([200], -4, 4, using: &rng)
        let exact = Activation<Double>(.gelu).forward(x), approx = Activation<Double>(.geluTanh).forward(x)
        // The tanh form approximates x Φ(x) to within ~1e-3 on [−4, 4] (Hendrycks & Gimpel).
        expectClose(approx.scalars, exact.scalars, rtol: 0, atol: 1e-3)
        // Known value: GELU(1) = Φ(1) = 0.8413447460685429.
        expectClose(Activation<Double>(.gelu).forward(Tensor(scalar: 1)).scalars[0], 0.8413447460685429, rtol: 1e-14)
    }
}
