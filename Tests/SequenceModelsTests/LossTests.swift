import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

@Suite struct LossTests {
    static let regressionLosses: [any Loss] = [MeanSquaredError(), MeanAbsoluteError(), HuberLoss(delta: 0.5)]

    /// A (batch, time) 0/1 mask with some padded steps, as a dataset of unequal lengths gives.
    static func paddingMask() -> Tensor<Double> {
        Tensor(shape: [2, 4], scalars: [1, 1, 1, 0, 1, 1, 0, 0])
    }

    @Test(arguments: 0..<3, [false, true])
    func regressionGradients(index: Int, masked: Bool) throws {
        var rng = SplitMix64(seed: 40 + UInt64(index))
        let p = Tensor<Double>.uniform([2, 4, 3], using: &rng), t = Tensor<Double>.uniform([2, 4, 3], using: &rng)
        try checkLossGradient(Self.regressionLosses[index], prediction: p, target: t, mask: masked ? Self.paddingMask() : nil)
    }

    @Test(arguments: [false, true])
    func crossEntropyGradient(masked: Bool) throws {
        var rng = SplitMix64(seed: 45)
        let logits = Tensor<Double>.uniform([2, 4, 5], -3, 3, using: &rng)
        let labels = Tensor<Double>(shape: [2, 4], scalars: [0, 4, 2, 2, 1, 3, 0, 4])
        try checkLossGradient(SoftmaxCrossEntropy(), prediction: logits, target: labels, mask: masked ? Self.paddingMask() : nil)
    }

    @Test func knownValues() throws {
        let p = Tensor<Double>(shape: [4], scalars: [0, 1, 2, -3]), t = Tensor<Double>(shape: [4], scalars: [0.5, 1, 0, 0])
        // Residuals −0.5, 0, 2, −3.
        expectClose(try MeanSquaredError().evaluate(p, t).value, (0.25 + 0 + 4 + 9) / 4)
        expectClose(try MeanAbsoluteError().evaluate(p, t).value, (0.5 + 0 + 2 + 3) / 4)
        expectClose(try HuberLoss(delta: 1).evaluate(p, t).value, (0.125 + 0 + 1.5 + 2.5) / 4)
        // Cross-entropy of logits (0, ln 3) with label 1: −log(3/4).
        let ce = try SoftmaxCrossEntropy().evaluate(Tensor<Double>(shape: [1, 2], scalars: [0, Double.log(3)]),
                                                    Tensor<Double>(shape: [1], scalars: [1]))
        expectClose(ce.value, -Double.log(0.75), rtol: 1e-14)
        expectClose(ce.gradient.scalars, [0.25, -0.25], rtol: 1e-14, atol: 1e-15)
    }

    /// The masked loss equals the plain loss over the unmasked steps only.
    @Test(arguments: 0..<3)
    func maskMeansOverUnmaskedElements(index: Int) throws {
        var rng = SplitMix64(seed: 50)
        let p = Tensor<Double>.uniform([2, 4, 3], using: &rng), t = Tensor<Double>.uniform([2, 4, 3], using: &rng)
        let mask = Self.paddingMask()
        var keptP = [Double](), keptT = [Double]()
        for i in 0..<8 where mask[flat: i] == 1 {
            keptP += p.scalars[(i * 3)..<(i * 3 + 3)]
            keptT += t.scalars[(i * 3)..<(i * 3 + 3)]
        }
        let loss = Self.regressionLosses[index]
        let masked = try loss.evaluate(p, t, mask: mask)
        let subset = try loss.evaluate(Tensor(shape: [keptP.count], scalars: keptP), Tensor(shape: [keptT.count], scalars: keptT))
        expectClose(masked.value, subset.value, rtol: 1e-14)
        expectClose(masked.weight, 15)
        for i in 0..<8 where mask[flat: i] == 0 {
            #expect(masked.gradient.scalars[(i * 3)..<(i * 3 + 3)].allSatisfy { $0 == 0 })
        }
    }

    @Test func fullyMaskedBatchIsZero() throws {
        let r = try MeanSquaredError().evaluate(Tensor<Double>(shape: [1, 2], repeating: 1), Tensor(shape: [1, 2]),
                                                mask: Tensor(shape: [1], repeating: 0))
        #expect(r.value == 0 && r.weight == 0 && r.gradient.scalars.allSatisfy { $0 == 0 })
    }

    @Test func badDataThrows() {
        let p = Tensor<Float>(shape: [2, 3])
        #expect(throws: SequenceModelError.shapeMismatch(operation: "MSE target", expected: [2, 3], found: [3, 2])) {
            try MeanSquaredError().evaluate(p, Tensor(shape: [3, 2]))
        }
        #expect(throws: SequenceModelError.invalidMask(index: 1, value: -1)) {
            try MeanSquaredError().evaluate(p, p, mask: Tensor(shape: [2], scalars: [1, -1]))
        }
        #expect(throws: SequenceModelError.shapeMismatch(operation: "MSE mask", expected: [2], found: [3])) {
            try MeanSquaredError().evaluate(p, p, mask: Tensor(shape: [3], scalars: [1, 1, 1]))
        }
        #expect(throws: SequenceModelError.invalidClassLabel(index: 1, value: 3, classes: 3)) {
            try SoftmaxCrossEntropy().evaluate(p, Tensor(shape: [2], scalars: [0, 3]))
        }
    }

    @Test func crossEntropyIsStableForHugeLogits() throws {
        let r = try SoftmaxCrossEntropy().evaluate(Tensor<Float>(shape: [1, 3], scalars: [1000, 0, -1000]),
                                                   Tensor(shape: [1], scalars: [0]))
        #expect(r.value.isFinite && r.gradient.isFinite)
        expectClose(r.value, 0, atol: 1e-6)
    }
}
