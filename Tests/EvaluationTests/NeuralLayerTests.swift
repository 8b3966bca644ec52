// NeuralLayerTests.swift — the two layers the neural adapters add to the core's: the MLP's lag
// window (values, and backward as the exact adjoint) and masked mean pooling (gradients against
// central differences, and independence of the padding).

import Testing
import Evaluation
import LinearAlgebra
import SequenceModels
import TestSupport

@Suite struct NeuralLayerTests {
    static func dot(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double { zip(a.scalars, b.scalars).reduce(0) { $0 + $1.0 * $1.1 } }

    @Test func lagWindowStacksPastSteps() {
        let lag = LagWindow<Double>(inputSize: 2, order: 3)
        // One sequence of 4 steps, x[t] = (t, 10 t).
        let x = Tensor<Double>(shape: [1, 4, 2], scalars: [0, 0, 1, 10, 2, 20, 3, 30])
        let y = lag.forward(x)
        #expect(y.shape == [1, 4, 6])
        expectClose(y.scalars.map { $0 }, [0, 0, 0, 0, 0, 0,
                                           1, 10, 0, 0, 0, 0,
                                           2, 20, 1, 10, 0, 0,
                                           3, 30, 2, 20, 1, 10])
    }

    @Test func lagWindowBackwardIsTheAdjoint() {
        var rng = SplitMix64(seed: 4)
        let lag = LagWindow<Double>(inputSize: 3, order: 4)
        let x = Tensor<Double>.uniform([2, 7, 3], using: &rng), g = Tensor<Double>.uniform([2, 7, 12], using: &rng)
        let y = lag.forward(x), dx = lag.backward(g)
        // ⟨L x, g⟩ = ⟨x, Lᵀ g⟩ for the linear map L.
        expectClose(Self.dot(y, g), Self.dot(x, dx), rtol: 1e-13)
    }

    /// (batch 2, time 5, 3 features + validity): the second series is 3 steps long.
    static func paddedInput(_ rng: inout SplitMix64) -> Tensor<Double> {
        var x = Tensor<Double>.uniform([2, 5, 4], using: &rng)
        x.withUnsafeMutableBufferPointer { p in
            for t in 0..<5 { p[(0 * 5 + t) * 4 + 3] = 1 }
            for t in 0..<5 {
                p[(1 * 5 + t) * 4 + 3] = t < 3 ? 1 : 0
                if t >= 3 { for f in 0..<3 { p[(1 * 5 + t) * 4 + f] = 0 } }
            }
        }
        return x
    }

    @Test func maskedPoolingGradientsMatchFiniteDifferences() {
        var rng = SplitMix64(seed: 5)
        let body = Sequential<Double>([Linear(inputSize: 3, outputSize: 4, using: &rng), Activation(.tanh), Linear(inputSize: 4, outputSize: 2, using: &rng)])
        let pool = MaskedMeanPooling(body: body, featureCount: 3)
        let x = Self.paddedInput(&rng), g = Tensor<Double>.uniform([2, 2], using: &rng)
        func loss(_ x: Tensor<Double>) -> Double { Self.dot(pool.forward(x), g) }
        _ = pool.forward(x)
        pool.zeroGradients()
        let dx = pool.backward(g)
        let h = 1e-6
        // Input gradient on the feature channels (the validity channel is data: gradient 0).
        for i in 0..<x.count {
            var plus = x, minus = x
            plus.withUnsafeMutableBufferPointer { $0[i] += h }
            minus.withUnsafeMutableBufferPointer { $0[i] -= h }
            let numeric = i % 4 == 3 ? 0 : (loss(plus) - loss(minus)) / (2 * h)
            expectClose(dx.scalars[i], numeric, rtol: 1e-6, atol: 1e-8)
        }
        for named in pool.namedParameters {
            let p = named.parameter
            let analytic = p.gradient.scalars
            for i in 0..<p.value.count {
                let v = p.value.scalars[i]
                p.value.withUnsafeMutableBufferPointer { $0[i] = v + h }
                let lp = loss(x)
                p.value.withUnsafeMutableBufferPointer { $0[i] = v - h }
                let lm = loss(x)
                p.value.withUnsafeMutableBufferPointer { $0[i] = v }
                expectClose(analytic[i], (lp - lm) / (2 * h), rtol: 1e-6, atol: 1e-8)
            }
        }
    }

    @Test func maskedPoolingIgnoresPadding() {
        var rng = SplitMix64(seed: 6)
        let pool = MaskedMeanPooling(body: Linear<Double>(inputSize: 3, outputSize: 2, using: &rng), featureCount: 3)
        let padded = Self.paddedInput(&rng)
        let y = pool.forward(padded)
        // The second series alone, unpadded.
        let alone = Tensor<Double>(shape: [1, 3, 4], scalars: Array(padded.scalars[20..<32]))
        expectClose(Array(y.scalars[2..<4]), pool.forward(alone).scalars, rtol: 1e-14)
    }
}
