// The blocked (online-softmax) attention kernel against the reference (explicit T × T) kernel,
// causality, precision and determinism of CausalSelfAttention.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

/// Forward output, input gradient and parameter gradients of one forward/backward.
private func run<S: NeuralScalar>(_ layer: CausalSelfAttention<S>, _ x: Tensor<S>, _ g: Tensor<S>) -> [[Double]] {
    layer.zeroGradients()
    let y = layer.forward(x)
    let dx = layer.backward(g)
    return [y, dx].map { $0.scalars.map(Double.init) } + layer.parameters.map { $0.gradient.scalars.map(Double.init) }
}

private func makeLayer<S: NeuralScalar>(_: S.Type, width: Int, heads: Int, causal: Bool = true, seed: UInt64) -> CausalSelfAttention<S> {
    var rng = SplitMix64(seed: seed)
    let layer = CausalSelfAttention<S>(modelSize: width, heads: heads, causal: causal, using: &rng)
    for p in [layer.qkvBias!, layer.outputBias!] { p.value = .uniform(p.shape, -0.5, 0.5, using: &rng) }
    return layer
}

@Suite struct AttentionKernelTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        let batch, time, width, heads, queryBlock, keyBlock: Int
        let causal: Bool
        var testDescription: String { "B\(batch) T\(time) d\(width) h\(heads) tiles \(queryBlock)×\(keyBlock) causal \(causal)" }
    }

    static let shapes: [Shape] = [
        Shape(batch: 2, time: 37, width: 8, heads: 2, queryBlock: 8, keyBlock: 5, causal: true),     // ragged tiles
        Shape(batch: 1, time: 64, width: 12, heads: 3, queryBlock: 16, keyBlock: 16, causal: true),  // aligned tiles
        Shape(batch: 3, time: 20, width: 8, heads: 1, queryBlock: 64, keyBlock: 512, causal: true),  // one tile
        Shape(batch: 2, time: 33, width: 8, heads: 4, queryBlock: 4, keyBlock: 7, causal: false),
    ]

    @Test(arguments: shapes)
    func blockedEqualsReference(shape s: Shape) {
        var rng = SplitMix64(seed: 51)
        let x = Tensor<Double>.uniform([s.batch, s.time, s.width], -2, 2, using: &rng)
        let g = Tensor<Double>.uniform([s.batch, s.time, s.width], using: &rng)
        let layer = makeLayer(Double.self, width: s.width, heads: s.heads, causal: s.causal, seed: 52)
        layer.algorithm = .reference
        let reference = run(layer, x, g)
        layer.algorithm = .blocked(queryBlock: s.queryBlock, keyBlock: s.keyBlock)
        let blocked = run(layer, x, g)
        #expect(layer.lastProbabilities == nil, "the blocked kernel keeps no T × T probabilities")
        for (i, (a, b)) in zip(blocked, reference).enumerated() {
            // Same mathematics, different summation order and a base-2 softmax: ~1e-15 apart.
            expectClose(a, b, rtol: 1e-12, atol: 1e-13, "tensor \(i) of [output, ∂x, ∂params…]")
        }
    }

    @Test func blockedAgreesWithReferenceUnderKeyMask() throws {
        var rng = SplitMix64(seed: 53)
        let (B, T) = (3, 19)
        let x = Tensor<Double>.uniform([B, T, 8], using: &rng)
        let g = Tensor<Double>.uniform([B, T, 8], using: &rng)
        let mask = Tensor<Double>.bernoulli([B, T], probability: 0.7, using: &rng)
        let layer = makeLayer(Double.self, width: 8, heads: 2, seed: 54)
        try layer.setKeyMask(mask)
        layer.algorithm = .reference
        let reference = run(layer, x, g)
        layer.algorithm = .blocked(queryBlock: 5, keyBlock: 3)
        let blocked = run(layer, x, g)
        for (a, b) in zip(blocked, reference) { expectClose(a, b, rtol: 1e-12, atol: 1e-13) }
    }

    @Test func floatBlockedMatchesDoubleReference() {
        var rng = SplitMix64(seed: 55)
        let x = Tensor<Double>.uniform([2, 150, 16], -2, 2, using: &rng)
        let g = Tensor<Double>.uniform([2, 150, 16], using: &rng)
        let exact = makeLayer(Double.self, width: 16, heads: 4, seed: 56)
        exact.algorithm = .reference
        let single = makeLayer(Float.self, width: 16, heads: 4, seed: 56)
        single.algorithm = .blocked(queryBlock: 32, keyBlock: 48)
        let reference = run(exact, x, g)
        let fast = run(single, Tensor(converting: x), Tensor(converting: g))
        for (i, (a, b)) in zip(fast, reference).enumerated() {
            // Float storage and arithmetic (ε = 6e-8) over sums of ~150 terms, plus the 1.6-ulp 2^x:
            // measured ≤ 5e-7, so 5e-6 leaves a 10× margin.
            #expect(relativeError(a, b) < 5e-6, "tensor \(i): relative error \(relativeError(a, b))")
        }
    }

    @Test(arguments: [AttentionAlgorithm.reference, .blocked(queryBlock: 4, keyBlock: 3)])
    func outputAtTIgnoresLaterInputs(algorithm: AttentionAlgorithm) {
        var rng = SplitMix64(seed: 57)
        let layer = makeLayer(Double.self, width: 6, heads: 2, seed: 58)
        layer.algorithm = algorithm
        let (T, cut) = (12, 5)
        let x = Tensor<Double>.uniform([2, T, 6], using: &rng)
        var changed = x
        for b in 0..<2 { for t in (cut + 1)..<T { for f in 0..<6 { changed[b, t, f] = rng.uniform(-3, 3) } } }
        let y0 = layer.forward(x), y1 = layer.forward(changed)
        for b in 0..<2 {
            for t in 0..<T {
                let row0 = (0..<6).map { y0[b, t, $0] }, row1 = (0..<6).map { y1[b, t, $0] }
                if t <= cut {
                    expectClose(row1, row0, rtol: 0, atol: 0, "t = \(t) must not see inputs after \(cut)")
                } else {
                    #expect(relativeError(row1, row0) > 1e-3, "t = \(t) does see the changed inputs")
                }
            }
        }
    }

    /// A batch of 8 × 70 = 560 rows runs its projections in row blocks; one sequence (70 rows)
    /// in a single block. Outputs and ∂x must agree per sequence, weight gradients must be the
    /// sum over sequences.
    @Test func batchEqualsSequenceBySequence() {
        var rng = SplitMix64(seed: 66)
        let (B, T, d) = (8, 70, 8)
        let x = Tensor<Double>.uniform([B, T, d], using: &rng)
        let g = Tensor<Double>.uniform([B, T, d], using: &rng)
        let layer = makeLayer(Double.self, width: d, heads: 2, seed: 67)
        let whole = run(layer, x, g)
        var gradientSums = layer.parameters.map { [Double](repeating: 0, count: $0.value.count) }
        for b in 0..<B {
            let part = run(layer, x.slice(first: b..<(b + 1)), g.slice(first: b..<(b + 1)))
            let rows = (b * T * d)..<((b + 1) * T * d)
            expectClose(part[0], Array(whole[0][rows]), rtol: 1e-13, atol: 1e-14, "output of sequence \(b)")
            expectClose(part[1], Array(whole[1][rows]), rtol: 1e-13, atol: 1e-14, "∂x of sequence \(b)")
            for k in gradientSums.indices { for i in gradientSums[k].indices { gradientSums[k][i] += part[2 + k][i] } }
        }
        for k in gradientSums.indices { expectClose(whole[2 + k], gradientSums[k], rtol: 1e-12, atol: 1e-13, "parameter \(k)") }
    }

    @Test func concurrentHeadsAreBitwiseIdenticalToSerial() {
        var rng = SplitMix64(seed: 59)
        let x = Tensor<Float>.uniform([8, 70, 16], using: &rng)     // 560 rows: projections in 2 row blocks
        let g = Tensor<Float>.uniform([8, 70, 16], using: &rng)
        let layer = makeLayer(Float.self, width: 16, heads: 4, seed: 60)
        layer.algorithm = .blocked(queryBlock: 16, keyBlock: 24)
        layer.runsConcurrently = false
        let serial = run(layer, x, g)
        layer.runsConcurrently = true
        let concurrent = run(layer, x, g)
        // Bitwise identity is the property under test: items write disjoint memory in a fixed order.
        #expect(serial == concurrent)
    }

    @Test func fullyMaskedQueriesOutputTheBias() throws {
        var rng = SplitMix64(seed: 61)
        let layer = makeLayer(Double.self, width: 4, heads: 2, seed: 62)
        // Left padding: under a causal mask, queries 0 and 1 see no key at all.
        try layer.setKeyMask(Tensor(shape: [1, 5], scalars: [0, 0, 1, 1, 1]))
        let x = Tensor<Double>.uniform([1, 5, 4], using: &rng)
        for algorithm in [AttentionAlgorithm.reference, .blocked(queryBlock: 2, keyBlock: 2)] {
            layer.algorithm = algorithm
            let y = layer.forward(x)
            for t in 0..<2 {
                // O = 0 there, so y = 0 · Wo + b_o.
                expectClose((0..<4).map { y[0, t, $0] }, layer.outputBias!.value.scalars, rtol: 0, atol: 0)
            }
            #expect(y.isFinite)
        }
    }

    @Test func rejectsBadMasksAndShapes() throws {
        var rng = SplitMix64(seed: 63)
        let layer = CausalSelfAttention<Float>(modelSize: 8, heads: 2, using: &rng)
        #expect(throws: SequenceModelError.invalidMask(index: 1, value: 0.5)) {
            try layer.setKeyMask(Tensor(shape: [1, 3], scalars: [1, 0.5, 1]))
        }
        try layer.setKeyMask(Tensor(shape: [2, 3], repeating: 1))
        #expect(throws: SequenceModelError.shapeMismatch(operation: "attention key mask", expected: [2, 4], found: [2, 3])) {
            try layer.outputShape(for: [2, 4, 8])
        }
        #expect(throws: SequenceModelError.shapeMismatch(operation: "CausalSelfAttention input", expected: [2, 3, 8], found: [2, 3, 6])) {
            try layer.outputShape(for: [2, 3, 6])
        }
        #expect(try layer.outputShape(for: [2, 3, 8]) == [2, 3, 8])
        try layer.setKeyMask(nil)
        #expect(try layer.outputShape(for: [5, 9, 8]) == [5, 9, 8])
    }
}

@Suite struct AttentionEdgeCaseTests {
    @Test(arguments: [[0, 5, 8], [2, 0, 8]])
    func emptyInputs(shape: [Int]) {
        var rng = SplitMix64(seed: 64)
        let layer = CausalSelfAttention<Float>(modelSize: 8, heads: 2, using: &rng)
        for algorithm in [AttentionAlgorithm.reference, .blocked(headSize: 4)] {
            layer.algorithm = algorithm
            #expect(layer.forward(Tensor(shape: shape)).shape == shape)
            #expect(layer.backward(Tensor(shape: shape)).shape == shape)
        }
    }

    @Test func singleStepSeesOnlyItself() {
        var rng = SplitMix64(seed: 65)
        let layer = CausalSelfAttention<Double>(modelSize: 4, heads: 2, using: &rng)
        let x = Tensor<Double>.uniform([3, 1, 4], using: &rng)
        // With one key, softmax is 1: y = (x Wqkv)_v Wo (biases 0).
        let v = Tensor.matmul(x.reshaped([3, 4]), layer.qkvWeight.value).scalars
        let expected = Tensor.matmul(Tensor(shape: [3, 4], scalars: (0..<3).flatMap { Array(v[($0 * 12 + 8)..<($0 * 12 + 12)]) }),
                                     layer.outputWeight.value)
        for algorithm in [AttentionAlgorithm.reference, .blocked(headSize: 2)] {
            layer.algorithm = algorithm
            expectClose(layer.forward(x).scalars, expected.scalars, rtol: 1e-14, atol: 1e-15)
        }
    }
}
