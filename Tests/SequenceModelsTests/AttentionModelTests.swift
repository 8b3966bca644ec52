// Positional encodings, the pre-norm Transformer block and the Transformer model: gradients by
// finite differences (Double), known values, causality, parameter names, model files.

import Foundation
import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct AttentionModelTests {
    @Test func sinusoidalValues() {
        let layer = SinusoidalPositionalEncoding<Double>(size: 5)
        let p = layer.encodings(length: 4)
        // p_t[2i] = sin(t·10000^(−2i/5)), p_t[2i+1] = cos(…); d = 5 leaves a lone sine at i = 4.
        for t in 0..<4 {
            for i in [0, 2, 4] {
                let angle = Double(t) / Double.pow(10_000, Double(i) / 5)
                expectClose(p[t, i], Double.sin(angle), rtol: 1e-15, atol: 1e-15)
                if i + 1 < 5 { expectClose(p[t, i + 1], Double.cos(angle), rtol: 1e-15, atol: 1e-15) }
            }
        }
        var rng = SplitMix64(seed: 81)
        let x = Tensor<Double>.uniform([2, 4, 5], using: &rng)
        let y = layer.forward(x)
        expectClose(y.scalars, (0..<40).map { x[flat: $0] + p[flat: $0 % 20] }, rtol: 1e-15, atol: 1e-15)
        checkLayerGradients(layer, input: x, seed: 82)
        // Longer sequences grow the table consistently.
        _ = layer.forward(Tensor<Double>(shape: [1, 9, 5]))
        expectClose(layer.forward(x).scalars, y.scalars, rtol: 0, atol: 0)
    }

    @Test func learnedPositions() throws {
        var rng = SplitMix64(seed: 83)
        let layer = LearnedPositionalEncoding<Double>(maxLength: 6, size: 3, using: &rng)
        checkLayerGradients(layer, input: .uniform([3, 5, 3], using: &rng), seed: 84)
        #expect(try layer.outputShape(for: [2, 6, 3]) == [2, 6, 3])
        #expect(throws: SequenceModelError.invalidConfiguration(name: "sequence length", reason: "7 exceeds the learned positional table of 6 positions")) {
            try layer.outputShape(for: [2, 7, 3])
        }
    }

    @Test(arguments: [AttentionAlgorithm.reference, .blocked(queryBlock: 3, keyBlock: 2)])
    func transformerBlockWithDropout(algorithm: AttentionAlgorithm) {
        var rng = SplitMix64(seed: 85)
        let block = TransformerBlock<Double>(size: 8, heads: 2, hiddenSize: 16, dropout: 0.2, using: &rng)
        block.attention.algorithm = algorithm
        #expect(block.namedParameters.map(\.name) == [
            "norm.weight", "norm.bias", "attention.qkv.weight", "attention.qkv.bias", "attention.out.weight", "attention.out.bias",
            "ffn.norm.weight", "ffn.norm.bias", "ffn.linear1.weight", "ffn.linear1.bias", "ffn.linear2.weight", "ffn.linear2.bias",
        ])
        let starts = (block.dropout.generator, block.feedForward.dropout.generator)
        // Replay the same dropout masks on every forward so the finite differences see one function.
        checkLayerGradients(block, input: .uniform([2, 5, 8], using: &rng), seed: 86, beforeForward: {
            block.dropout.generator = starts.0
            block.feedForward.dropout.generator = starts.1
        })
    }

    @Test(arguments: [TransformerConfiguration.Positions.learned, .sinusoidal, .none])
    func transformerOnFeatures(positions: TransformerConfiguration.Positions) throws {
        let config = TransformerConfiguration(input: .features(size: 3), outputSize: 2, modelSize: 8, heads: 2, depth: 2,
                                              expansion: 2, positions: positions, maxLength: 10)
        let model = try Transformer<Double>(configuration: config, seed: 87)
        var rng = SplitMix64(seed: 88)
        for p in model.parameters where p.shape.count == 1 { p.value = .uniform(p.shape, -0.3, 0.3, using: &rng) }
        checkLayerGradients(model, input: .uniform([2, 6, 3], using: &rng), seed: 89)
        #expect(try model.outputShape(for: [4, 10, 3]) == [4, 10, 2])
    }

    @Test func transformerOnTokensWithKeyMask() throws {
        let config = TransformerConfiguration(input: .tokens(vocabularySize: 5), outputSize: 3, modelSize: 8, heads: 4,
                                              depth: 1, expansion: 2, positions: .learned, maxLength: 8)
        let model = try Transformer<Double>(configuration: config, seed: 90)
        let tokens = Tensor<Double>(shape: [2, 6], scalars: [0, 4, 2, 2, 1, 3, 3, 3, 0, 1, 4, 4])
        try model.validateInput(tokens)
        try model.setKeyMask(Tensor(shape: [2, 6], scalars: [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]))
        checkLayerGradients(model, input: tokens, seed: 91, checkInput: false)
        #expect(model.namedParameters.map(\.name).prefix(3) == ["input.weight", "positions.weight", "blocks.0.norm.weight"])
        #expect(throws: SequenceModelError.invalidToken(index: 1, value: 5, vocabularySize: 5)) {
            try model.validateInput(Tensor(shape: [1, 2], scalars: [0, 5]))
        }
        #expect(throws: SequenceModelError.shapeMismatch(operation: "Transformer token input (batch, time)", expected: [-1, -1], found: [1, 2, 1])) {
            try model.outputShape(for: [1, 2, 1])
        }
    }

    @Test func transformerIsCausal() throws {
        let config = TransformerConfiguration(input: .features(size: 2), outputSize: 2, modelSize: 8, heads: 2, depth: 2)
        let model = try Transformer<Double>(configuration: config, seed: 92)
        var rng = SplitMix64(seed: 93)
        let x = Tensor<Double>.uniform([1, 10, 2], using: &rng)
        var changed = x
        for t in 6..<10 { changed[0, t, 0] += 1 }
        let y0 = model.forward(x), y1 = model.forward(changed)
        expectClose(Array(y1.scalars[0..<12]), Array(y0.scalars[0..<12]), rtol: 0, atol: 0, "outputs 0…5")
        #expect(relativeError(Array(y1.scalars[12...]), Array(y0.scalars[12...])) > 1e-3)
    }

    @Test func configurationIsValidated() {
        #expect(throws: SequenceModelError.invalidConfiguration(name: "heads", reason: "3 heads do not divide modelSize 8")) {
            try Transformer<Float>(configuration: TransformerConfiguration(input: .features(size: 1), outputSize: 1, modelSize: 8, heads: 3), seed: 1)
        }
        #expect(throws: SequenceModelError.invalidConfiguration(name: "input.vocabularySize", reason: "must be ≥ 1, got 0")) {
            try Transformer<Float>(configuration: TransformerConfiguration(input: .tokens(vocabularySize: 0), outputSize: 1), seed: 1)
        }
    }

    @Test func transformerRoundTripsThroughAModelFile() throws {
        let config = TransformerConfiguration(input: .tokens(vocabularySize: 7), outputSize: 3, modelSize: 8, heads: 2,
                                              depth: 2, positions: .learned, maxLength: 16, dropout: 0.1)
        let model = try Transformer<Float>(configuration: config, seed: 94)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("transformer.sslm")
        try ModelFile.save(model, to: url)
        let loaded = try ModelFile.load(Transformer<Float>.self, from: url)
        #expect(loaded.configuration == config)
        model.mode = .inference
        loaded.mode = .inference
        let tokens = Tensor<Float>(shape: [2, 5], scalars: [0, 1, 2, 3, 4, 6, 5, 4, 3, 2])
        // Same weights, same arithmetic: bitwise-equal outputs are the property under test.
        #expect(loaded.forward(tokens) == model.forward(tokens))
    }
}
