// Backpropagation through time of LSTM, GRU and Elman RNN against central finite differences
// in Double: inputs, initial states, final-state loss terms and every parameter, for single
// and stacked layers, both kernel paths, and hidden sizes with and without a partial SIMD chunk.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct RecurrentGradientTests {
    struct Check: RecurrentArchitectureVisitor {
        var layers = 1
        var hidden = 5
        var path = RecurrentKernelPath.fast
        var initialization = RecurrentInitialization.recommended
        var seed: UInt64 = 100

        func visit<A: RecurrentArchitecture>(_: A.Type) where A.Scalar == Double {
            var rng = SplitMix64(seed: seed)
            let layer = RecurrentLayer<A>(inputSize: 3, hiddenSize: hidden, layers: layers, initialization: initialization, using: &rng)
            layer.kernelPath = path
            checkRecurrentGradients(layer, batch: 2, time: 5, seed: seed + 1)
        }
    }

    @Test(arguments: RecurrentKind.allCases, [1, 2])
    func gradients(kind: RecurrentKind, layers: Int) {
        forEachArchitecture(kind, Check(layers: layers, seed: 100 + UInt64(layers)))
    }

    @Test(arguments: RecurrentKind.allCases)
    func referencePathGradients(kind: RecurrentKind) {
        forEachArchitecture(kind, Check(layers: 2, path: .reference, seed: 110))
    }

    /// H = 11 = one full 8-lane chunk plus a partial one; PyTorch's initialisation.
    @Test(arguments: RecurrentKind.allCases)
    func gradientsWithPartialChunk(kind: RecurrentKind) {
        forEachArchitecture(kind, Check(layers: 1, hidden: 11, initialization: .pytorch, seed: 120))
    }

    /// Through the plain `Layer` API (zero initial state) with the suite's shared checker.
    @Test func layerProtocolGradients() {
        var rng = SplitMix64(seed: 130)
        let lstm = LSTM<Double>(inputSize: 2, hiddenSize: 4, layers: 2, using: &rng)
        checkLayerGradients(lstm, input: .uniform([3, 6, 2], using: &rng), seed: 131)
    }

    /// Gradients accumulate: two backward passes add up, as the `Layer` contract requires.
    @Test func gradientsAccumulate() {
        var rng = SplitMix64(seed: 140)
        let gru = GRU<Double>(inputSize: 2, hiddenSize: 3, using: &rng)
        let x = Tensor<Double>.uniform([2, 4, 2], using: &rng), g = Tensor<Double>.uniform([2, 4, 3], using: &rng)
        _ = gru.forward(x)
        gru.zeroGradients()
        _ = gru.backward(g)
        let once = gru.namedParameters.map(\.parameter.gradient)
        _ = gru.forward(x)
        _ = gru.backward(g)
        for (p, first) in zip(gru.namedParameters, once) {
            expectClose(p.parameter.gradient.scalars, (first * 2).scalars, rtol: 1e-14, atol: 1e-15, "\(p.name)")
        }
    }
}
