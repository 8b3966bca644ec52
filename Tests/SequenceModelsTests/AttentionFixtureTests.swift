// CausalSelfAttention against PyTorch (Tests/Fixtures/torch/attention.json): the peers'
// attention workload at B = 2, T = 7, d = 8, heads 1 and 2, no biases, in float64.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

private struct AttentionFixture: Decodable {
    struct Gradients: Decodable { let x: [[[Double]]]; let Wqkv: [[Double]]; let Wo: [[Double]] }
    struct Case: Decodable {
        let heads: Int
        let d_head: Int
        let output: [[[Double]]]
        let attention: [[[[Double]]]]
        let loss: Double
        let grad: Gradients
    }
    struct Config: Decodable { let batch: Int; let seq_len: Int; let d_model: Int; let bias: Bool; let causal: Bool }
    let config: Config
    let x: [[[Double]]]
    let Wqkv: [[Double]]
    let Wo: [[Double]]
    let cases: [Case]
}

private func flat(_ a: [[[Double]]]) -> [Double] { a.flatMap { $0.flatMap { $0 } } }

@Suite struct AttentionFixtureTests {
    static let algorithms: [AttentionAlgorithm] = [.reference, .blocked(queryBlock: 3, keyBlock: 2), .blocked(headSize: 4)]

    @Test(arguments: algorithms)
    func matchesTorch(algorithm: AttentionAlgorithm) throws {
        let f = try Fixtures.load("torch/attention.json", as: AttentionFixture.self)
        let (B, T, d) = (f.config.batch, f.config.seq_len, f.config.d_model)
        #expect(!f.config.bias && f.config.causal)
        // The stored inputs are the documented SplitMix64 draws; check we read the same numbers.
        expectClose(flat(f.x), PeerDraw.uniform(31, B * T * d), rtol: 0, atol: 0)
        let x = Tensor<Double>(shape: [B, T, d], scalars: flat(f.x))
        for c in f.cases {
            var rng = SplitMix64(seed: 0)
            let layer = CausalSelfAttention<Double>(modelSize: d, heads: c.heads, bias: false, using: &rng)
            layer.algorithm = algorithm
            layer.qkvWeight.value = Tensor(shape: [d, 3 * d], scalars: f.Wqkv.flatMap { $0 })
            layer.outputWeight.value = Tensor(shape: [d, d], scalars: f.Wo.flatMap { $0 })
            let y = layer.forward(x)
            expectClose(y.scalars, flat(c.output), rtol: 1e-10, atol: 1e-12, "output, heads \(c.heads)")
            if algorithm == .reference {
                let expected = c.attention.flatMap { $0.flatMap { $0.flatMap { $0 } } }
                expectClose(layer.lastProbabilities!.scalars, expected, rtol: 1e-10, atol: 1e-12, "probabilities, heads \(c.heads)")
            }
            // loss = mean(y²), ∂loss/∂y = 2y / n
            let n = Double(y.count)
            expectClose(y.squaredNorm() / n, c.loss, rtol: 1e-10, atol: 0, "loss")
            layer.zeroGradients()
            let dx = layer.backward(y * (2 / n))
            expectClose(dx.scalars, flat(c.grad.x), rtol: 1e-10, atol: 1e-12, "∂x, heads \(c.heads)")
            expectClose(layer.qkvWeight.gradient.scalars, c.grad.Wqkv.flatMap { $0 }, rtol: 1e-10, atol: 1e-12, "∂Wqkv")
            expectClose(layer.outputWeight.gradient.scalars, c.grad.Wo.flatMap { $0 }, rtol: 1e-10, atol: 1e-12, "∂Wo")
        }
    }
}

/// The peers' `U(seed, n)`: n uniforms in [−1, 1) from a fresh SplitMix64.
enum PeerDraw {
    static func uniform(_ seed: UInt64, _ n: Int) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return rng.uniforms(n)
    }
}
