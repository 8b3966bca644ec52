// LayerBufferTests.swift — layers that reuse their output and gradient buffers across calls
// (`Tensor.resize(to:)`): a tensor returned earlier keeps its values through later calls, a
// caller mutating a returned output does not touch the layer's cache, and calls with other
// shapes give what a fresh layer gives.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct LayerBufferTests {
    /// Every layer that reuses buffers: outputs and input gradients returned earlier keep their
    /// values through later calls, and calls with other shapes give what a fresh layer gives.
    @Test func layersKeepReturnedTensorsAndHandleShapeChanges() {
        var rng = SplitMix64(seed: 81)
        let makers: [(String, (inout SplitMix64) -> any Layer<Double>)] = [
            ("linear", { Linear<Double>(inputSize: 6, outputSize: 6, using: &$0) }),
            ("layerNorm", { _ in LayerNorm<Double>(size: 6) }),
            ("gelu", { _ in Activation<Double>(.gelu) }),
            ("geluTanh", { _ in Activation<Double>(.geluTanh) }),
            ("tanh", { _ in Activation<Double>(.tanh) }),
            ("relu", { _ in Activation<Double>(.relu) }),
            ("dropout", { _ in Dropout<Double>(rate: 0.25, seed: 3) }),
            ("residual", { Residual<Double>(Linear<Double>(inputSize: 6, outputSize: 6, using: &$0)) }),
            ("feedForward", { FeedForwardBlock<Double>(size: 6, hiddenSize: 8, dropout: 0.1, using: &$0) }),
        ]
        for (name, make) in makers {
            var a = rng, b = rng
            let layer = make(&a), fresh = make(&b)
            rng = a
            for shape in [[2, 3, 6], [4, 6], [2, 3, 6]] {
                let x = Tensor<Double>.uniform(shape, -2, 2, using: &rng)
                let g = Tensor<Double>.uniform(shape, using: &rng)
                let y1 = layer.forward(x)
                let dx1 = layer.backward(g)
                let y1Values = y1.scalars, dx1Values = dx1.scalars
                let y2 = layer.forward(x * 0.5)
                let dx2 = layer.backward(g * 2)
                expectClose(y1.scalars, y1Values, rtol: 0, atol: 0, "\(name): first output after a second call, shape \(shape)")
                expectClose(dx1.scalars, dx1Values, rtol: 0, atol: 0, "\(name): first gradient after a second call")
                let yFresh1 = fresh.forward(x), dxFresh1 = fresh.backward(g)
                let yFresh2 = fresh.forward(x * 0.5), dxFresh2 = fresh.backward(g * 2)
                expectClose(y1.scalars, yFresh1.scalars, "\(name): output, shape \(shape)")
                expectClose(dx1.scalars, dxFresh1.scalars, "\(name): input gradient, shape \(shape)")
                expectClose(y2.scalars, yFresh2.scalars, "\(name): second output")
                expectClose(dx2.scalars, dxFresh2.scalars, "\(name): second input gradient")
            }
            for (p, q) in zip(layer.parameters, fresh.parameters) {
                expectClose(p.gradient.scalars, q.gradient.scalars, "\(name): accumulated parameter gradients")
            }
        }
    }

    /// A caller that mutates a returned output in place (a residual `h += x`) does not change
    /// the layer's cache: the backward pass still uses the forward's values.
    @Test func mutatingAReturnedOutputLeavesTheCacheAlone() {
        var rng = SplitMix64(seed: 82)
        for kind in [ActivationKind.tanh, .sigmoid, .relu] {
            let layer = Activation<Double>(kind), reference = Activation<Double>(kind)
            let x = Tensor<Double>.uniform([3, 5], -2, 2, using: &rng)
            let g = Tensor<Double>.uniform([3, 5], using: &rng)
            var y = layer.forward(x)
            y += x
            _ = reference.forward(x)
            expectClose(layer.backward(g).scalars, reference.backward(g).scalars, rtol: 0, atol: 0, "\(kind)")
        }
    }
}
