// Convolutional layers: backward passes against central finite differences (GradientCheck.swift)
// in Double, the shifted-product convolution against the defining sums, causality, pooling
// values, shape errors.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct ConvolutionGradientTests {
    struct ConvCase: Sendable, CustomTestStringConvertible {
        let cin, cout, kernel, dilation, time: Int
        let bias: Bool
        var testDescription: String { "\(cin)→\(cout) k\(kernel) δ\(dilation) T\(time) bias \(bias)" }
    }

    static let convCases: [ConvCase] = [
        ConvCase(cin: 2, cout: 3, kernel: 3, dilation: 2, time: 9, bias: true),
        ConvCase(cin: 3, cout: 2, kernel: 2, dilation: 1, time: 6, bias: false),
        ConvCase(cin: 1, cout: 4, kernel: 4, dilation: 3, time: 7, bias: true),    // padding 9 > T: some taps never fire
        ConvCase(cin: 3, cout: 3, kernel: 1, dilation: 1, time: 5, bias: true),    // 1×1
    ]

    @Test(arguments: convCases, [ConvolutionAlgorithm.shiftedProducts, .reference])
    func causalConv1d(c: ConvCase, algorithm: ConvolutionAlgorithm) {
        var rng = SplitMix64(seed: 101)
        let layer = CausalConv1d<Double>(inputChannels: c.cin, outputChannels: c.cout, kernelSize: c.kernel,
                                         dilation: c.dilation, bias: c.bias, using: &rng)
        layer.algorithm = algorithm
        checkLayerGradients(layer, input: .uniform([2, c.time, c.cin], using: &rng), seed: 102)
    }

    @Test(arguments: convCases)
    func shiftedProductsEqualDefiningSums(c: ConvCase) {
        var rng = SplitMix64(seed: 103)
        let layer = CausalConv1d<Double>(inputChannels: c.cin, outputChannels: c.cout, kernelSize: c.kernel,
                                         dilation: c.dilation, bias: c.bias, using: &rng)
        let x = Tensor<Double>.uniform([3, c.time, c.cin], using: &rng)
        let g = Tensor<Double>.uniform([3, c.time, c.cout], using: &rng)
        var results: [[[Double]]] = []
        for algorithm in [ConvolutionAlgorithm.shiftedProducts, .reference] {
            layer.algorithm = algorithm
            layer.zeroGradients()
            let y = layer.forward(x), dx = layer.backward(g)
            results.append([y.scalars, dx.scalars] + layer.parameters.map(\.gradient.scalars))
        }
        for (a, b) in zip(results[0], results[1]) { expectClose(a, b, rtol: 1e-13, atol: 1e-14) }
    }

    @Test func convolutionIsCausal() {
        var rng = SplitMix64(seed: 104)
        let layer = CausalConv1d<Double>(inputChannels: 2, outputChannels: 2, kernelSize: 3, dilation: 2, using: &rng)
        let x = Tensor<Double>.uniform([1, 12, 2], using: &rng)
        var changed = x
        changed[0, 7, 1] += 1
        let y0 = layer.forward(x), y1 = layer.forward(changed)
        for t in 0..<12 {
            let row0 = [y0[0, t, 0], y0[0, t, 1]], row1 = [y1[0, t, 0], y1[0, t, 1]]
            // Input step 7 reaches outputs 7, 9, 11 (taps at lags 0, 2, 4) and nothing else.
            if [7, 9, 11].contains(t) { #expect(relativeError(row1, row0) > 1e-6, "t = \(t)") } else { expectClose(row1, row0, rtol: 0, atol: 0, "t = \(t)") }
        }
    }

    @Test(arguments: PoolingKind.allCases, [(2, nil), (3, 2), (4, 1)] as [(Int, Int?)])
    func temporalPool(kind: PoolingKind, window: (Int, Int?)) throws {
        var rng = SplitMix64(seed: 105)
        let layer = TemporalPool<Double>(kind, kernelSize: window.0, stride: window.1)
        let x = Tensor<Double>.uniform([2, 9, 3], using: &rng)      // distinct values: no ties for max
        let y = layer.forward(x)
        let stride = window.1 ?? window.0
        #expect(y.shape == (try layer.outputShape(for: x.shape)))
        for b in 0..<2 {
            for j in 0..<y.shape[1] {
                for c in 0..<3 {
                    let values = (0..<window.0).map { x[b, j * stride + $0, c] }
                    let expected = kind == .average ? values.reduce(0, +) / Double(window.0) : values.max()!
                    expectClose(y[b, j, c], expected, rtol: 1e-15, atol: 1e-15)
                }
            }
        }
        checkLayerGradients(layer, input: x, seed: 106)
    }

    @Test func temporalPoolRejectsShortSequences() {
        let layer = TemporalPool<Float>(.max, kernelSize: 4)
        #expect(throws: SequenceModelError.shapeMismatch(operation: "TemporalPool input (time ≥ kernel size 4)", expected: [2, 4, 3], found: [2, 3, 3])) {
            try layer.outputShape(for: [2, 3, 3])
        }
    }

    @Test func globalAveragePool() throws {
        var rng = SplitMix64(seed: 107)
        let layer = GlobalAveragePool<Double>()
        let x = Tensor<Double>.uniform([2, 5, 3], using: &rng)
        let y = layer.forward(x)
        for b in 0..<2 { for c in 0..<3 { expectClose(y[b, c], (0..<5).reduce(0) { $0 + x[b, $1, c] } / 5, rtol: 1e-15, atol: 1e-15) } }
        checkLayerGradients(layer, input: x, seed: 108)
        // A padding mask: sequence 0 keeps 3 steps, sequence 1 is all padding (→ 0).
        try layer.setMask(Tensor(shape: [2, 5], scalars: [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]))
        let masked = layer.forward(x)
        for c in 0..<3 {
            expectClose(masked[0, c], (x[0, 0, c] + x[0, 1, c] + x[0, 2, c]) / 3, rtol: 1e-15, atol: 1e-15)
            expectClose(masked[1, c], 0, rtol: 0, atol: 0)
        }
        checkLayerGradients(layer, input: x, seed: 109)
        #expect(throws: SequenceModelError.invalidMask(index: 1, value: -1)) { try layer.setMask(Tensor(shape: [1, 2], scalars: [1, -1])) }
        #expect(throws: SequenceModelError.shapeMismatch(operation: "pooling mask", expected: [2, 4], found: [2, 5])) {
            try layer.outputShape(for: [2, 4, 3])
        }
    }

    @Test(arguments: [(2, 3), (3, 3)] as [(Int, Int)])
    func temporalBlockWithDropout(channels: (Int, Int)) {
        var rng = SplitMix64(seed: 110)
        let block = TemporalBlock<Double>(inputChannels: channels.0, outputChannels: channels.1, kernelSize: 3, dilation: 2,
                                          activation: .gelu, dropout: 0.25, using: &rng)
        #expect((block.skip != nil) == (channels.0 != channels.1))
        #expect(block.receptiveFieldExtent == 8)
        let starts = (block.dropout1.generator, block.dropout2.generator)
        // Replay the dropout masks so the finite differences see one function (GELU: no kinks).
        checkLayerGradients(block, input: .uniform([2, 10, channels.0], using: &rng), seed: 111, beforeForward: {
            block.dropout1.generator = starts.0
            block.dropout2.generator = starts.1
        })
    }

    @Test(arguments: TCNConfiguration.Head.allCases)
    func tcn(head: TCNConfiguration.Head) throws {
        let config = TCNConfiguration(inputSize: 2, outputSize: 3, channels: 4, levels: 3, kernelSize: 2, activation: .tanh, head: head)
        let model = try TCN<Double>(configuration: config, seed: 112)
        #expect(config.receptiveField == 15)
        #expect(model.namedParameters.map(\.name).prefix(6) == ["blocks.0.conv1.weight", "blocks.0.conv1.bias", "blocks.0.conv2.weight",
                                                                 "blocks.0.conv2.bias", "blocks.0.skip.weight", "blocks.0.skip.bias"])
        var rng = SplitMix64(seed: 113)
        let x = Tensor<Double>.uniform([2, 11, 2], using: &rng)
        checkLayerGradients(model, input: x, seed: 114)
        #expect(try model.outputShape(for: [5, 20, 2]) == (head == .perStep ? [5, 20, 3] : [5, 3]))
        if head == .globalAverage {
            // Right padding: the mean covers 7 and 11 steps.
            try model.setPoolingMask(Tensor(shape: [2, 11], scalars: (0..<22).map { $0 < 7 || $0 >= 11 ? 1 : 0 }))
            checkLayerGradients(model, input: x, seed: 117)
        }
    }

    @Test func tcnIsCausalWithItsReceptiveField() throws {
        let config = TCNConfiguration(inputSize: 1, outputSize: 1, channels: 4, levels: 2, kernelSize: 3, activation: .tanh)
        let model = try TCN<Double>(configuration: config, seed: 115)
        var rng = SplitMix64(seed: 116)
        let x = Tensor<Double>.uniform([1, 30, 1], using: &rng)
        var changed = x
        changed[0, 10, 0] += 1
        let y0 = model.forward(x), y1 = model.forward(changed)
        // Receptive field 1 + 2·2·3 = 13: input 10 reaches outputs 10 ... 22 only.
        for t in 0..<30 {
            if (10...22).contains(t) { #expect(abs(y1[0, t, 0] - y0[0, t, 0]) > 0, "t = \(t)") } else { expectClose(y1[0, t, 0], y0[0, t, 0], rtol: 0, atol: 0, "t = \(t)") }
        }
    }

    @Test func tcnConfigurationIsValidated() {
        #expect(throws: SequenceModelError.invalidConfiguration(name: "kernelSize", reason: "must be ≥ 1, got 0")) {
            try TCN<Float>(configuration: TCNConfiguration(inputSize: 1, outputSize: 1, kernelSize: 0), seed: 1)
        }
        #expect(throws: SequenceModelError.invalidConfiguration(name: "dropout", reason: "must be in [0, 1), got 1.0")) {
            try TCN<Float>(configuration: TCNConfiguration(inputSize: 1, outputSize: 1, dropout: 1), seed: 1)
        }
    }
}
