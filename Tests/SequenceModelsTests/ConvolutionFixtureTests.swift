// CausalConv1d against PyTorch (Tests/Fixtures/torch/conv1d.json): kernel 3, dilation 2,
// 2 → 3 channels, left padding 4, float64; loss = Σ output ⊙ R.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

private struct Conv1dFixture: Decodable {
    struct Config: Decodable {
        let in_channels, out_channels, kernel_size, dilation, left_padding, batch, seq_len: Int
    }
    struct Gradients: Decodable { let x: [[[Double]]]; let weight: [[[Double]]]; let bias: [Double] }
    let config: Config
    let x: [[[Double]]]
    let weight: [[[Double]]]
    let bias: [Double]
    let output: [[[Double]]]
    let R: [[[Double]]]
    let loss: Double
    let grad: Gradients
}

private func flat(_ a: [[[Double]]]) -> [Double] { a.flatMap { $0.flatMap { $0 } } }

@Suite struct ConvolutionFixtureTests {
    @Test(arguments: [ConvolutionAlgorithm.shiftedProducts, .reference])
    func matchesTorch(algorithm: ConvolutionAlgorithm) throws {
        let f = try Fixtures.load("torch/conv1d.json", as: Conv1dFixture.self)
        let c = f.config
        var rng = SplitMix64(seed: 0)
        let layer = CausalConv1d<Double>(inputChannels: c.in_channels, outputChannels: c.out_channels,
                                         kernelSize: c.kernel_size, dilation: c.dilation, using: &rng)
        layer.algorithm = algorithm
        #expect(layer.padding == c.left_padding)
        layer.weight.value = Tensor(shape: [c.out_channels, c.in_channels, c.kernel_size], scalars: flat(f.weight))
        layer.bias!.value = Tensor(shape: [c.out_channels], scalars: f.bias)
        let x = Tensor<Double>(shape: [c.batch, c.seq_len, c.in_channels], scalars: flat(f.x))
        let y = layer.forward(x)
        expectClose(y.scalars, flat(f.output), rtol: 1e-10, atol: 1e-12, "output")
        let r = Tensor<Double>(shape: y.shape, scalars: flat(f.R))
        expectClose(Tensor.dot(y, r), f.loss, rtol: 1e-10, atol: 1e-12, "loss")
        layer.zeroGradients()
        let dx = layer.backward(r)
        expectClose(dx.scalars, flat(f.grad.x), rtol: 1e-10, atol: 1e-12, "∂x")
        expectClose(layer.weight.gradient.scalars, flat(f.grad.weight), rtol: 1e-10, atol: 1e-12, "∂weight")
        expectClose(layer.bias!.gradient.scalars, f.grad.bias, rtol: 1e-10, atol: 1e-12, "∂bias")
    }
}
