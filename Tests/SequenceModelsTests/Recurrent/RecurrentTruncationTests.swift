// Truncated backpropagation through time: k ≥ T gives the full gradient, k < T changes it,
// equals stateful chunked calls with summed gradients, and matches a hand derivation on a
// one-unit Elman RNN.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct RecurrentTruncationTests {
    /// All gradients of one forward/backward: input, initial states, parameters (flattened).
    static func gradients<A: RecurrentArchitecture>(_ layer: RecurrentLayer<A>, _ x: Tensor<A.Scalar>, _ g: Tensor<A.Scalar>,
                                                    initial: [A.State]) -> [[Double]] {
        _ = layer.forward(x, initialState: initial)
        layer.zeroGradients()
        let dx = layer.backward(g)
        return ([dx] + stateTensors(layer.initialStateGradient, A.self) + layer.namedParameters.map(\.parameter.gradient))
            .map { $0.scalars.map { Double($0) } }
    }

    struct Window: RecurrentArchitectureVisitor {
        func visit<A: RecurrentArchitecture>(_: A.Type) where A.Scalar == Double {
            var rng = SplitMix64(seed: 400)
            let layer = RecurrentLayer<A>(inputSize: 2, hiddenSize: 5, layers: 2, using: &rng)
            let t = 9
            let x = Tensor<Double>.uniform([3, t, 2], using: &rng), g = Tensor<Double>.uniform([3, t, 5], using: &rng)
            let initial = randomStates(layer, batch: 3, using: &rng)
            let full = gradients(layer, x, g, initial: initial)

            // k ≥ T: nothing is cut.
            for k in [t, t + 3] {
                layer.truncation = k
                for (a, b) in zip(gradients(layer, x, g, initial: initial), full) { expectClose(a, b, rtol: 1e-15, atol: 0, "k = \(k)") }
            }

            // k < T: the recurrent weight gradient and the initial-state gradient change.
            layer.truncation = 4
            let truncated = gradients(layer, x, g, initial: initial)
            let whhIndex = 1 + (A.kind.hasCellState ? 4 : 2) + 1      // dx, states, weight_ih_l0, weight_hh_l0
            #expect(relativeError(truncated[whhIndex], full[whhIndex]) > 1e-3, "∂L/∂weight_hh_l0 unchanged by truncation")
            #expect(relativeError(truncated[1], full[1]) > 1e-3, "∂L/∂h0 unchanged by truncation")

            // k < T equals chunks [0, 4), [4, 8), [8, 9) run as stateful calls, gradients summed.
            let chunked = RecurrentLayer<A>(inputSize: 2, hiddenSize: 5, layers: 2, using: &rng)
            for (p, q) in zip(chunked.namedParameters, layer.namedParameters) { p.parameter.value = q.parameter.value }
            chunked.isStateful = true
            chunked.zeroGradients()
            var dxParts: [Tensor<Double>] = []
            var initialGradient: [Tensor<Double>] = []
            for (c, range) in [0..<4, 4..<8, 8..<9].enumerated() {
                _ = chunked.forward(timeSlice(x, range), initialState: c == 0 ? initial : nil)
                dxParts.append(chunked.backward(timeSlice(g, range)))
                if c == 0 { initialGradient = stateTensors(chunked.initialStateGradient, A.self) }
            }
            let expected = ([concatenateTime(dxParts)] + initialGradient + chunked.namedParameters.map(\.parameter.gradient)).map(\.scalars)
            for (a, b) in zip(truncated, expected) { expectClose(a, b, rtol: 1e-13, atol: 1e-15, "truncated vs chunked") }
        }
    }

    @Test(arguments: RecurrentKind.allCases)
    func truncationWindow(kind: RecurrentKind) {
        forEachArchitecture(kind, Window())
    }

    /// One-unit Elman RNN, T = 3, k = 2, loss L = Σ_t r_t h_t with h_t = tanh(w x_t + u h_{t−1} + b),
    /// b = b_ih + b_hh, a_t = 1 − h_t². Chunks [0, 2) and [2, 3): the cut at t = 2 stops the
    /// recurrent path from step 2 into h_1, so with δ_t = ∂L/∂(pre-activation at t):
    ///     truncated: δ_2 = r_2 a_2,               δ_1 = r_1 a_1,               δ_0 = (r_0 + u δ_1) a_0
    ///     full:      δ_2 = r_2 a_2,               δ_1 = (r_1 + u δ_2) a_1,     δ_0 = (r_0 + u δ_1) a_0
    /// and in both: ∂L/∂u = Σ δ_t h_{t−1}, ∂L/∂w = Σ δ_t x_t, ∂L/∂b_ih = ∂L/∂b_hh = Σ δ_t,
    /// ∂L/∂x_t = w δ_t, ∂L/∂h_{−1} = u δ_0.
    @Test func handDerivedTruncation() {
        let (w, u, bih, bhh) = (0.7, -1.3, 0.2, -0.05)
        let xs = [0.5, -0.8, 0.3], r = [0.9, -0.4, 1.1], hInit = 0.25
        var h = [hInit]                                             // h[t + 1] = h_t
        for t in 0..<3 { h.append(Double.tanh(w * xs[t] + u * h[t] + bih + bhh)) }
        let a = (1...3).map { 1 - h[$0] * h[$0] }
        func expected(truncated: Bool) -> [Double] {
            let d2 = r[2] * a[2]
            let d1 = (r[1] + (truncated ? 0 : u * d2)) * a[1]
            let d0 = (r[0] + u * d1) * a[0]
            let d = [d0, d1, d2]
            let dx = d.map { w * $0 }
            return dx + [u * d0, d.indices.reduce(0) { $0 + d[$1] * xs[$1] }, d.indices.reduce(0) { $0 + d[$1] * h[$1] },
                         d.reduce(0, +), d.reduce(0, +)]
        }
        var rng = SplitMix64(seed: 410)
        let rnn = ElmanRNN<Double>(inputSize: 1, hiddenSize: 1, using: &rng)
        rnn.layers[0].weightIH.value = Tensor(shape: [1, 1], scalars: [w])
        rnn.layers[0].weightHH.value = Tensor(shape: [1, 1], scalars: [u])
        rnn.layers[0].biasIH.value = Tensor(shape: [1], scalars: [bih])
        rnn.layers[0].biasHH.value = Tensor(shape: [1], scalars: [bhh])
        let x = Tensor(shape: [1, 3, 1], scalars: xs), g = Tensor(shape: [1, 3, 1], scalars: r)
        let initial = [HiddenState(hidden: Tensor(shape: [1, 1], scalars: [hInit]))]
        for truncated in [false, true] {
            rnn.truncation = truncated ? 2 : nil
            let y = rnn.forward(x, initialState: initial)
            expectClose(y.scalars, Array(h[1...]), rtol: 1e-15, atol: 0, "forward is unchanged by truncation")
            rnn.zeroGradients()
            let dx = rnn.backward(g)
            let got = dx.scalars + [rnn.initialStateGradient[0].hidden[0, 0], rnn.layers[0].weightIH.gradient[0, 0],
                                    rnn.layers[0].weightHH.gradient[0, 0], rnn.layers[0].biasIH.gradient[0], rnn.layers[0].biasHH.gradient[0]]
            expectClose(got, expected(truncated: truncated), rtol: 1e-14, atol: 1e-16, truncated ? "truncated" : "full")
        }
    }
}
