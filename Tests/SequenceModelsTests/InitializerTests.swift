import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct InitializerTests {
    /// Orthogonal weights: orthonormal rows when wide, orthonormal columns when tall.
    @Test(arguments: [[6, 6], [4, 9], [9, 4], [3, 2, 4]])
    func orthogonalIsOrthonormal(shape: [Int]) {
        var rng = SplitMix64(seed: 80)
        let w: Tensor<Double> = Initializer.orthogonal(gain: 2).tensor(shape, using: &rng)
        #expect(w.shape == shape)
        let rows = shape[0], cols = w.count / rows
        let m = w.reshaped([rows, cols])
        let gram = rows <= cols ? Tensor.matmul(m, .none, m, .transpose) : Tensor.matmul(m, .transpose, m, .none)
        let n = Swift.min(rows, cols)
        let identity4 = (0..<(n * n)).map { $0 / n == $0 % n ? 4.0 : 0 }   // gain² · I
        expectClose(gram.scalars, identity4, rtol: 0, atol: 1e-12)
    }

    @Test func boundsAndMoments() {
        var rng = SplitMix64(seed: 81)
        let shape = [200, 300]
        let glorot: Tensor<Double> = Initializer.glorotUniform().tensor(shape, using: &rng)
        let a = (6.0 / 500).squareRoot()
        #expect(glorot.scalars.allSatisfy { abs($0) <= a })
        // U(−a, a) has variance a²/3; 60 000 draws give a relative standard error ≈ 0.4 %.
        expectClose(glorot.squaredNorm() / Double(glorot.count), a * a / 3, rtol: 0.02)
        let he: Tensor<Double> = Initializer.heNormal().tensor(shape, using: &rng)
        expectClose(he.squaredNorm() / Double(he.count), 2.0 / 300, rtol: 0.02)
        let linear: Tensor<Double> = Initializer.linearDefault.tensor(shape, using: &rng)
        #expect(linear.scalars.allSatisfy { abs($0) <= 1 / 300.0.squareRoot() })
        #expect(Initializer.fans([8, 4, 3]) == (fanIn: 12, fanOut: 24))
    }

    @Test func sameSeedBitwiseIdentical() {
        for rule in [Initializer.glorotUniform(), .heUniform(), .orthogonal(), .normal(standardDeviation: 0.1)] {
            var r1 = SplitMix64(seed: 82), r2 = SplitMix64(seed: 82)
            let a: Tensor<Float> = rule.tensor([16, 12], using: &r1)
            let b: Tensor<Float> = rule.tensor([16, 12], using: &r2)
            // Bitwise identity is the property under test.
            #expect(a == b)
        }
    }

    @Test func forgetGateBias() {
        let bias = Parameter(Tensor<Float>(shape: [12]))
        Initializer.setForgetGateBias(bias, hiddenSize: 3)
        #expect(bias.value.scalars == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    }

    /// The same seed builds the same model in Float and Double (draws rounded once), so
    /// their outputs agree to Float precision.
    @Test func floatAndDoubleModelsAgree() throws {
        let config = MLPConfiguration(inputSize: 3, outputSize: 2, width: 16, depth: 2)
        let f = try MLP<Float>(configuration: config, seed: 83), d = try MLP<Double>(configuration: config, seed: 83)
        var rng = SplitMix64(seed: 84)
        let x = Tensor<Double>.uniform([4, 5, 3], using: &rng)
        // Float rounding through 2 blocks of width-16/32 products: relative error ~1e-6.
        expectClose(Tensor<Double>(converting: f.forward(Tensor(converting: x))).scalars, d.forward(x).scalars, rtol: 1e-4, atol: 1e-5)
    }
}
