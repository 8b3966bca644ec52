import LinearAlgebra
import SequenceModels
import TestSupport
import Testing

/// y = sin(3x) on [−1, 1], as (N, 1) inputs and targets.
private func sineData(_ n: Int, seed: UInt64) throws -> SequenceDataset<Float> {
    var rng = SplitMix64(seed: seed)
    let x = rng.uniforms(n)
    return try SequenceDataset(inputs: Tensor(validating: x.map { Float($0) }, shape: [n, 1]),
                               targets: Tensor(validating: x.map { Float(Double.sin(3 * $0)) }, shape: [n, 1]))
}

private func quietConfiguration() -> TrainingConfiguration {
    var c = TrainingConfiguration()
    c.progress = .never
    return c
}

@Suite struct TrainerTests {
    /// The residual MLP learns a static nonlinearity: validation MSE below 1e-4 within
    /// 1 200 Adam steps (150 epochs × 8 batches). sin(3x) has variance ≈ 0.52 on [−1, 1], so
    /// the bound is a 5 000-fold reduction; this run reaches ≈ 5e-6, a 20× margin for
    /// platform differences in Float rounding.
    @Test func mlpFitsSine() throws {
        let model = try MLP<Float>(configuration: MLPConfiguration(inputSize: 1, outputSize: 1, width: 32, depth: 2, activation: .tanh), seed: 3)
        var config = quietConfiguration()
        config.epochs = 150
        config.patience = nil
        config.schedule = .cosine(warmupSteps: 50, totalSteps: 1200, minimumFactor: 0.05)
        let history = try Trainer(configuration: config).fit(
            model, optimizer: Adam(parameters: model.parameters, learningRate: 1e-2), loss: MeanSquaredError(),
            training: try sineData(256, seed: 1), validation: try sineData(128, seed: 2))
        #expect(history.steps == 1200)
        #expect(history.epochs.count == 150 && history.stopReason == .completedEpochs)
        let final = try #require(history.bestLoss)
        #expect(final < 1e-4, "validation MSE \(final)")
        #expect(history.epochs[0].trainingLoss > 50 * final)
    }

    /// Same seeds, one BLAS thread ⇒ identical losses and weights (shuffling and dropout included).
    @Test func sameSeedSameRun() throws {
        func run() throws -> (TrainingHistory, [Tensor<Float>]) {
            let model = try MLP<Float>(configuration: MLPConfiguration(inputSize: 1, outputSize: 1, width: 8, depth: 1, dropout: 0.1), seed: 5)
            var config = quietConfiguration()
            config.epochs = 4
            config.batchSize = 16
            config.seed = 9
            config.gradientClipNorm = 1
            let h = try Trainer(configuration: config).fit(
                model, optimizer: AdamW(parameters: model.parameters, learningRate: 1e-2), loss: HuberLoss(),
                training: try sineData(64, seed: 1), validation: try sineData(32, seed: 2))
            return (h, model.parameterValues())
        }
        let (h1, w1) = try run(), (h2, w2) = try run()
        // Determinism is the property under test: exact equality is intended.
        #expect(h1.epochs.map(\.trainingLoss) == h2.epochs.map(\.trainingLoss))
        #expect(h1.epochs.map(\.validationLoss) == h2.epochs.map(\.validationLoss))
        #expect(w1 == w2)
    }

    /// Validation targets of the opposite sign: validation gets worse as training improves, so
    /// training stops after `patience` epochs past the best and restores the best weights.
    @Test func earlyStoppingRestoresBestWeights() throws {
        var rng = SplitMix64(seed: 4)
        let model = Linear<Double>(inputSize: 1, outputSize: 1, using: &rng)
        let x = Tensor<Double>.uniform([64, 1], using: &rng)
        let train = try SequenceDataset(inputs: x, targets: x)
        let valid = try SequenceDataset(inputs: x, targets: -x)
        var config = quietConfiguration()
        config.epochs = 50
        config.patience = 3
        let trainer = Trainer(configuration: config)
        let history = try trainer.fit(model, optimizer: SGD(parameters: model.parameters, learningRate: 0.05),
                                      loss: MeanSquaredError(), training: train, validation: valid)
        let best = try #require(history.bestEpoch)
        #expect(history.stopReason == .earlyStopping)
        #expect(history.epochs.count == best + 3)
        let restored = try trainer.evaluate(model, loss: MeanSquaredError(), on: valid)
        expectClose(restored, try #require(history.epochs[best - 1].validationLoss), rtol: 1e-14)
        expectClose(restored, try #require(history.bestLoss), rtol: 1e-14)
        #expect(history.epochs.allSatisfy { $0.validationLoss! >= restored })
    }

    @Test func nonFiniteLossStopsAndKeepsWeights() throws {
        var rng = SplitMix64(seed: 6)
        let model = Linear<Float>(inputSize: 2, outputSize: 1, using: &rng)
        let initial = model.parameterValues()
        var targets = Tensor<Float>.uniform([64, 1], using: &rng)
        targets[40, 0] = .nan
        let data = try SequenceDataset(inputs: .uniform([64, 2], using: &rng), targets: targets)
        var config = quietConfiguration()
        config.shuffle = false
        config.batchSize = 16
        do throws(TrainingError) {
            _ = try Trainer(configuration: config).fit(model, optimizer: SGD(parameters: model.parameters, learningRate: 0.1),
                                                       loss: MeanSquaredError(), training: data)
            Issue.record("a NaN target did not stop training")
        } catch {
            guard case let .nonFiniteLoss(epoch, batch, dataset, value, history) = error else { Issue.record("wrong error \(error)"); return }
            #expect(epoch == 1 && batch == 3 && dataset == "training" && value.isNaN && history.epochs.isEmpty)
        }
        // Two optimiser steps were taken before the NaN batch; the initial weights are back.
        #expect(model.parameterValues() == initial)
    }

    @Test func divergenceStopsAfterLastGoodEpoch() throws {
        var rng = SplitMix64(seed: 7)
        let model = Linear<Float>(inputSize: 4, outputSize: 1, using: &rng)
        let data = try SequenceDataset<Float>(inputs: .uniform([64, 4], -3, 3, using: &rng), targets: .uniform([64, 1], using: &rng))
        var config = quietConfiguration()
        config.epochs = 100
        config.patience = nil
        config.restoreBest = false
        do {
            // lr far above 2 / λ_max of the quadratic: the iterates grow geometrically until Float overflows.
            _ = try Trainer(configuration: config).fit(model, optimizer: SGD(parameters: model.parameters, learningRate: 3),
                                                       loss: MeanSquaredError(), training: data)
            Issue.record("divergent training did not stop")
        } catch {
            guard case let .nonFiniteLoss(epoch, _, _, _, history) = error else { Issue.record("wrong error \(error)"); return }
            #expect(epoch > 1 && history.epochs.count == epoch - 1)
        }
        #expect(model.parameters.allSatisfy { $0.value.isFinite })
    }

    @Test func badDataAndConfigurationThrow() throws {
        var rng = SplitMix64(seed: 8)
        let model = Linear<Float>(inputSize: 3, outputSize: 1, using: &rng)
        let opt = SGD(parameters: model.parameters, learningRate: 0.1)
        let wrongWidth = try SequenceDataset(inputs: Tensor<Float>(shape: [8, 2]), targets: Tensor(shape: [8, 1]))
        #expect(throws: TrainingError.self) {
            try Trainer(configuration: quietConfiguration()).fit(model, optimizer: opt, loss: MeanSquaredError(), training: wrongWidth)
        }
        var config = quietConfiguration()
        config.batchSize = 0
        let ok = try SequenceDataset(inputs: Tensor<Float>(shape: [8, 3]), targets: Tensor(shape: [8, 1]))
        do throws(TrainingError) {
            _ = try Trainer(configuration: config).fit(model, optimizer: opt, loss: MeanSquaredError(), training: ok)
            Issue.record("batch size 0 accepted")
        } catch {
            #expect(error.description == "training configuration: batchSize: must be ≥ 1, got 0")
        }
        #expect(throws: SequenceModelError.shapeMismatch(operation: "dataset targets", expected: [8, 1], found: [7, 1])) {
            try SequenceDataset(inputs: Tensor<Float>(shape: [8, 3]), targets: Tensor(shape: [7, 1]))
        }
    }

    /// Token ids out of range are caught before training starts, not by a trap in forward.
    @Test func tokenDataIsValidatedUpFront() throws {
        var rng = SplitMix64(seed: 9)
        let model = Sequential<Float>([Embedding(vocabularySize: 5, embeddingSize: 4, using: &rng),
                                       Linear(inputSize: 4, outputSize: 5, using: &rng)])
        let data = try SequenceDataset(inputs: Tensor<Float>(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]),
                                       targets: Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 0]))
        do throws(TrainingError) {
            _ = try Trainer(configuration: quietConfiguration()).fit(model, optimizer: SGD(parameters: model.parameters, learningRate: 0.1),
                                                                     loss: SoftmaxCrossEntropy(), training: data)
            Issue.record("token 5 of a 5-word vocabulary accepted")
        } catch {
            #expect(error.description == "training data: token id 5.0 at position 5 is not an integer in 0..<5")
        }
    }
}
