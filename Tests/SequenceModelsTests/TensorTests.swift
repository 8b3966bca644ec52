import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct TensorTests {
    @Test func constructorsCheckUserShapes() throws {
        #expect(throws: SequenceModelError.scalarCountMismatch(shape: [2, 3], expected: 6, found: 5)) {
            try Tensor<Float>(validating: [1, 2, 3, 4, 5], shape: [2, 3])
        }
        #expect(throws: SequenceModelError.negativeDimension(shape: [2, -1])) {
            try Tensor<Float>(validating: [], shape: [2, -1])
        }
        #expect(throws: SequenceModelError.raggedInput(path: [1, 0], expected: 2, found: 1)) {
            try Tensor<Double>(sequences: [[[1, 2]], [[3]]])
        }
        let t = try Tensor<Double>(sequences: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
        #expect(t.shape == [2, 2, 2])
        #expect(t[1, 0, 1] == 6)
        #expect(t.strides == [4, 2, 1])
    }

    @Test func reshapeAndTranspose() throws {
        let t = Tensor<Double>(shape: [2, 2, 3], scalars: (0..<12).map(Double.init))
        #expect(t.reshaped([4, -1]).shape == [4, 3])
        let tt = t.transposedLastTwo()
        #expect(tt.shape == [2, 3, 2])
        for b in 0..<2 { for i in 0..<2 { for j in 0..<3 { #expect(tt[b, j, i] == t[b, i, j]) } } }
        #expect(tt.transposedLastTwo() == t)
    }

    @Test func reductions() {
        let t = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        expectClose(t.sum(), 21)
        expectClose(t.mean(), 3.5)
        expectClose(t.sum(axis: 0).scalars, [5, 7, 9])
        expectClose(t.sum(axis: 1).scalars, [6, 15])
        expectClose(t.sumOverLeadingAxes().scalars, [5, 7, 9])
        expectClose(t.squaredNorm(), 91)
        expectClose(t.adding(lastAxis: Tensor(shape: [3], scalars: [1, 0, -1])).scalars, [2, 2, 2, 5, 5, 5])
    }

    /// The gemm fast path (single folded gemm and per-batch loop) equals the triple loop for
    /// every transposition flag and batching pattern.
    @Test(arguments: [Transpose.none, .transpose], [Transpose.none, .transpose])
    func matmulMatchesReference(ta: Transpose, tb: Transpose) {
        var rng = SplitMix64(seed: 11)
        let (m, k, n) = (4, 5, 3)
        let a2 = Tensor<Double>.uniform(ta == .none ? [m, k] : [k, m], using: &rng)
        let a3 = Tensor<Double>.uniform(ta == .none ? [2, m, k] : [2, k, m], using: &rng)
        let b2 = Tensor<Double>.uniform(tb == .none ? [k, n] : [n, k], using: &rng)
        let b3 = Tensor<Double>.uniform(tb == .none ? [2, k, n] : [2, n, k], using: &rng)
        for (a, b) in [(a2, b2), (a3, b2), (a2, b3), (a3, b3)] {
            let fast = Tensor.matmul(a, ta, b, tb)
            let slow = Tensor.matmulReference(a, ta, b, tb)
            #expect(fast.shape == slow.shape)
            expectClose(fast.scalars, slow.scalars, rtol: 1e-13, atol: 1e-14)
        }
    }

    @Test func matmulAccumulatesWithBeta() {
        var rng = SplitMix64(seed: 3)
        let a = Tensor<Double>.uniform([3, 4], using: &rng), b = Tensor<Double>.uniform([4, 2], using: &rng)
        var c = Tensor<Double>.uniform([3, 2], using: &rng)
        let expected = Tensor.matmulReference(a, b) * 2 + c
        Tensor.matmul(a, .none, b, .none, into: &c, alpha: 2, beta: 1)
        expectClose(c.scalars, expected.scalars, rtol: 1e-13, atol: 1e-14)
    }

    @Test func floatMatmulAgreesWithDouble() {
        var rng = SplitMix64(seed: 5)
        let a = Tensor<Double>.uniform([2, 6, 8], using: &rng), b = Tensor<Double>.uniform([8, 7], using: &rng)
        let d = Tensor.matmul(a, b)
        let f = Tensor.matmul(Tensor<Float>(converting: a), Tensor<Float>(converting: b))
        // Float accumulation over k = 8 terms of size ≤ 1: error ~ 8 · 2⁻²⁴.
        expectClose(Tensor<Double>(converting: f).scalars, d.scalars, rtol: 1e-5, atol: 1e-5)
    }

    @Test func sameSeedSameTensor() {
        var r1 = SplitMix64(seed: 9), r2 = SplitMix64(seed: 9)
        // Bitwise identity is the property under test, so exact equality is intended.
        #expect(Tensor<Float>.normal([5, 7], using: &r1) == Tensor<Float>.normal([5, 7], using: &r2))
    }

    @Test func gatherAndSlice() {
        let t = Tensor<Double>(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])
        #expect(t.gather(first: [2, 0]).scalars == [4, 5, 0, 1])
        #expect(t.slice(first: 1..<3).scalars == [2, 3, 4, 5])
    }
}
