// Initialisation of the recurrent layers: orthogonal recurrent gate blocks and the LSTM
// forget-gate bias for `.recommended`, PyTorch's U(±1/√H) everywhere else, same seed same weights.

import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct RecurrentInitializationTests {
    @Test(arguments: RecurrentKind.allCases)
    func recommendedInitialization(kind: RecurrentKind) {
        let h = 6, g = kind.gateCount
        var rng = SplitMix64(seed: 600)
        let p = RecurrentLayerParameters<Double>(kind: kind, inputSize: 4, hiddenSize: h, initialization: .recommended, using: &rng)
        let bound = 1 / Double(h).squareRoot()
        // Each H × H gate block of W_hh is orthogonal: QᵀQ = I.
        for block in 0..<g {
            let q = Matrix(rows: h, cols: h, elements: Array(p.weightHH.value.scalars[(block * h * h)..<((block + 1) * h * h)]))
            expectClose(q.transposed * q, Matrix.identity(h), rtol: 0, atol: 1e-13, "block \(block)")
        }
        #expect(p.weightIH.value.scalars.allSatisfy { abs($0) <= bound })
        for j in 0..<(g * h) {
            let forget = kind == .lstm && j >= h && j < 2 * h
            if forget {
                // Forget-gate bias 1 in total: b_if = 1, b_hf = 0.
                #expect(p.biasIH.value[j] == 1 && p.biasHH.value[j] == 0, "forget slice at \(j)")
            } else {
                #expect(abs(p.biasIH.value[j]) <= bound && abs(p.biasHH.value[j]) <= bound, "bias at \(j)")
            }
        }
    }

    @Test func pytorchInitializationIsUniformEverywhere() {
        var rng = SplitMix64(seed: 610)
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 16, layers: 2, initialization: .pytorch, using: &rng)
        let bound = 1 / 4.0
        for p in lstm.namedParameters {
            #expect(p.parameter.value.scalars.allSatisfy { abs($0) <= bound }, "\(p.name)")
            // 16·… draws from U(−¼, ¼): the spread reaches well beyond half the bound.
            #expect(p.parameter.value.scalars.contains { abs($0) > bound / 2 }, "\(p.name)")
        }
    }

    @Test func sameSeedSameWeights() {
        var r1 = SplitMix64(seed: 620), r2 = SplitMix64(seed: 620)
        let a = GRU<Float>(inputSize: 5, hiddenSize: 7, layers: 2, using: &r1)
        let b = GRU<Float>(inputSize: 5, hiddenSize: 7, layers: 2, using: &r2)
        // Bitwise identity is the property under test.
        #expect(a.parameterValues() == b.parameterValues())
    }
}
