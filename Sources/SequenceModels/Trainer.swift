// Trainer.swift — the mini-batch training loop with validation, early stopping and checkpoints.
//
// Deterministic: the only randomness is the shuffling generator (seeded from the configuration)
// and whatever generators the model's layers own (dropout, seeded at construction). With one
// BLAS thread (OPENBLAS_NUM_THREADS=1) two runs with the same seeds give identical losses.

import Foundation
import LinearAlgebra

/// Trains a layer with an optimiser and a loss on a `SequenceDataset`.
public struct Trainer: Sendable {
    public var configuration: TrainingConfiguration

    public init(configuration: TrainingConfiguration = TrainingConfiguration()) {
        self.configuration = configuration
    }

    /// Runs up to `epochs` epochs of mini-batch training.
    ///
    /// Each epoch: shuffle (seeded), then per batch set the schedule's lr factor, zero the
    /// gradients, forward, loss, backward, optionally clip the global gradient norm, step. Then
    /// the validation loss in inference mode. The monitored loss (validation, else training)
    /// keeps a checkpoint of the best epoch's weights; `patience` epochs without improvement stop
    /// training. At the end the best weights are restored (`restoreBest`) and the model is left
    /// in inference mode.
    ///
    /// A NaN or infinite loss or gradient norm stops training with `TrainingError` and leaves
    /// the model with the last good weights: the best checkpoint when `restoreBest`, otherwise
    /// the weights at the end of the last completed epoch (the initial weights if none completed).
    /// - Throws: `TrainingError` for an invalid configuration, data that does not fit the model
    ///   or loss, or a non-finite loss.
    public func fit<M: Layer, O: Optimizer>(_ model: M, optimizer: O, loss: some Loss,
                                           training: SequenceDataset<M.Scalar>,
                                           validation: SequenceDataset<M.Scalar>? = nil) throws(TrainingError) -> TrainingHistory
    where O.Scalar == M.Scalar {
        let config = configuration
        do throws(SequenceModelError) { try config.validate() } catch { throw .invalidConfiguration(error) }
        try Trainer.check(model, loss, training, "training")
        if let validation { try Trainer.check(model, loss, validation, "validation") }

        var history = TrainingHistory()
        var rng = SplitMix64(seed: config.seed)
        var order = Array(0..<training.count)
        var best: [Tensor<M.Scalar>]?
        var lastGood = model.parameterValues()
        var sinceBest = 0
        let progress = config.progress == .automatic && isatty(STDERR_FILENO) != 0
        let parameters = model.parameters   // fixed list: no name building inside the loop

        func stop(_ error: TrainingError) -> TrainingError {
            model.setParameterValues(config.restoreBest ? (best ?? lastGood) : lastGood)
            model.mode = .inference
            return error
        }

        for epoch in 1...config.epochs {
            if config.shuffle { order.shuffle(using: &rng) }
            model.mode = .training
            let start = ContinuousClock.now
            var sum = 0.0, weight = 0.0
            var batchIndex = 0
            for lo in stride(from: 0, to: order.count, by: config.batchSize) {
                batchIndex += 1
                let (x, y, mask) = training.batch(Array(order[lo..<Swift.min(lo + config.batchSize, order.count)]))
                optimizer.learningRateFactor = config.schedule.factor(atStep: history.steps)
                for p in parameters { p.zeroGradient() }
                let result: LossResult<M.Scalar>
                do throws(SequenceModelError) { result = try loss.evaluate(model.forward(x), y, mask: mask) } catch {
                    throw stop(.invalidData(dataset: "training", error))
                }
                guard result.value.isFinite else {
                    throw stop(.nonFiniteLoss(epoch: epoch, batch: batchIndex, dataset: "training", value: result.value, history: history))
                }
                _ = model.backward(result.gradient)
                if let maxNorm = config.gradientClipNorm {
                    guard clipGradientNorm(parameters, maxNorm: maxNorm).isFinite else {
                        throw stop(.nonFiniteGradient(epoch: epoch, batch: batchIndex, history: history))
                    }
                }
                optimizer.step()
                history.steps += 1
                sum += result.value * result.weight
                weight += result.weight
            }
            let seconds = (ContinuousClock.now - start).seconds
            let trainingLoss = weight > 0 ? sum / weight : 0

            var validationLoss: Double?
            if let validation {
                let (value, batch) = try Trainer.meanLoss(model, loss, validation, "validation", batchSize: config.batchSize)
                guard value.isFinite else {
                    throw stop(.nonFiniteLoss(epoch: epoch, batch: batch, dataset: "validation", value: value, history: history))
                }
                validationLoss = value
            }
            lastGood = model.parameterValues()

            let monitored = validationLoss ?? trainingLoss
            if history.bestLoss.map({ monitored < $0 - config.minimumImprovement }) ?? true {
                history.bestLoss = monitored
                history.bestEpoch = epoch
                best = lastGood
                sinceBest = 0
            } else {
                sinceBest += 1
            }
            let record = EpochRecord(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validationLoss,
                                     learningRate: optimizer.learningRate * optimizer.learningRateFactor, seconds: seconds,
                                     sequencesPerSecond: seconds > 0 ? Double(training.count) / seconds : 0)
            history.epochs.append(record)
            if progress { Trainer.printProgress(record, of: config.epochs) }
            if let patience = config.patience, sinceBest >= patience {
                history.stopReason = .earlyStopping
                break
            }
        }
        if config.restoreBest, let best { model.setParameterValues(best) }
        model.mode = .inference
        return history
    }

    /// The mean loss of `model` on `dataset` in inference mode (mode is restored afterwards).
    /// - Throws: `TrainingError.invalidData` when the data does not fit.
    public func evaluate<M: Layer>(_ model: M, loss: some Loss, on dataset: SequenceDataset<M.Scalar>) throws(TrainingError) -> Double {
        try Trainer.check(model, loss, dataset, "evaluation")
        return try Trainer.meanLoss(model, loss, dataset, "evaluation", batchSize: configuration.batchSize).value
    }

    /// Mean loss in inference mode over batches in order; returns the first non-finite batch
    /// value (and its 1-based index) immediately.
    static func meanLoss<M: Layer>(_ model: M, _ loss: some Loss, _ data: SequenceDataset<M.Scalar>,
                                   _ name: String, batchSize: Int) throws(TrainingError) -> (value: Double, batch: Int) {
        let previous = model.mode
        model.mode = .inference
        defer { model.mode = previous }
        var sum = 0.0, weight = 0.0, batch = 0
        for lo in stride(from: 0, to: data.count, by: batchSize) {
            batch += 1
            let (x, y, mask) = data.batch(Array(lo..<Swift.min(lo + batchSize, data.count)))
            let result: LossResult<M.Scalar>
            do throws(SequenceModelError) { result = try loss.evaluate(model.forward(x), y, mask: mask) } catch {
                throw .invalidData(dataset: name, error)
            }
            guard result.value.isFinite else { return (result.value, batch) }
            sum += result.value * result.weight
            weight += result.weight
        }
        return (weight > 0 ? sum / weight : 0, batch)
    }

    /// Validates shapes (and token ids) of a whole dataset against the model and loss up front.
    static func check<M: Layer>(_ model: M, _ loss: some Loss, _ data: SequenceDataset<M.Scalar>,
                                _ name: String) throws(TrainingError) {
        do throws(SequenceModelError) {
            try model.validateInput(data.inputs)
            let out = try model.outputShape(for: data.inputs.shape)
            let expected = loss.targetShape(forPrediction: out)
            guard expected == data.targets.shape else {
                throw SequenceModelError.shapeMismatch(operation: "targets for the model's output \(out)", expected: expected, found: data.targets.shape)
            }
        } catch {
            throw .invalidData(dataset: name, error)
        }
    }

    static func printProgress(_ r: EpochRecord, of total: Int) {
        var line = "epoch \(r.epoch)/\(total)  loss \(format(r.trainingLoss))"
        if let v = r.validationLoss { line += "  val \(format(v))" }
        line += "  lr \(format(r.learningRate))  \(Int(r.sequencesPerSecond.rounded())) seq/s\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func format(_ x: Double) -> String { String(format: "%.4g", x) }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (s, attos) = components
        return Double(s) + Double(attos) * 1e-18
    }
}
