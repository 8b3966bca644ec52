// TrainingConfiguration.swift — the trainer's settings, its per-epoch history and its errors.

import LinearAlgebra

/// Where the per-epoch progress line goes.
public enum ProgressOutput: String, Codable, Hashable, Sendable {
    /// stderr when stderr is a terminal (`isatty`), nowhere otherwise (logs and pipes stay clean).
    case automatic
    /// Nowhere.
    case never
}

/// Settings of `Trainer.fit`. Every default is stated on its field.
public struct TrainingConfiguration: Codable, Hashable, Sendable {
    /// Maximum number of passes over the training set. Default 10.
    public var epochs: Int = 10
    /// Examples per optimiser step (the last batch of an epoch may be smaller). Default 32.
    public var batchSize: Int = 32
    /// Reshuffle the training set every epoch. Default true.
    public var shuffle: Bool = true
    /// Seed of the shuffling generator. Default 0.
    public var seed: UInt64 = 0
    /// Stop after this many epochs without improvement of the monitored loss (validation if
    /// given, else training); nil disables early stopping. Default 10.
    public var patience: Int? = 10
    /// An epoch improves when its monitored loss is below `best − minimumImprovement`. Default 0.
    public var minimumImprovement: Double = 0
    /// Clip the global gradient norm to this value before each step; nil: no clipping. Default nil.
    public var gradientClipNorm: Double? = nil
    /// Learning-rate multiplier per optimiser step. Default constant.
    public var schedule: LearningRateSchedule = .constant
    /// Restore the weights of the best epoch at the end. Default true.
    public var restoreBest: Bool = true
    /// Progress line destination. Default automatic.
    public var progress: ProgressOutput = .automatic

    public init() {}

    /// Throws for the first field out of range.
    public func validate() throws(SequenceModelError) {
        guard epochs >= 1 else { throw .invalidConfiguration(name: "epochs", reason: "must be ≥ 1, got \(epochs)") }
        guard batchSize >= 1 else { throw .invalidConfiguration(name: "batchSize", reason: "must be ≥ 1, got \(batchSize)") }
        if let patience, patience < 1 { throw .invalidConfiguration(name: "patience", reason: "must be ≥ 1, got \(patience)") }
        guard minimumImprovement >= 0 else {
            throw .invalidConfiguration(name: "minimumImprovement", reason: "must be ≥ 0, got \(minimumImprovement)")
        }
        if let c = gradientClipNorm, !(c > 0 && c.isFinite) {
            throw .invalidConfiguration(name: "gradientClipNorm", reason: "must be positive, got \(c)")
        }
        try schedule.validate()
    }
}

/// One epoch of training.
public struct EpochRecord: Codable, Hashable, Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean training loss over the epoch (weighted by each batch's unmasked elements), measured
    /// on the fly in training mode with the weights of each step.
    public var trainingLoss: Double
    /// Mean validation loss after the epoch in inference mode, if a validation set was given.
    public var validationLoss: Double?
    /// The base learning rate times the schedule factor at the epoch's last step.
    public var learningRate: Double
    /// Wall-clock seconds of the training pass (not validation).
    public var seconds: Double
    /// Training throughput: examples (sequences) per second.
    public var sequencesPerSecond: Double
}

/// Why training stopped.
public enum StopReason: String, Codable, Hashable, Sendable {
    case completedEpochs, earlyStopping
}

/// The outcome of `Trainer.fit`, as data.
public struct TrainingHistory: Codable, Hashable, Sendable {
    public var epochs: [EpochRecord] = []
    /// The epoch with the lowest monitored loss (nil before the first epoch completes).
    public var bestEpoch: Int?
    /// Its monitored loss.
    public var bestLoss: Double?
    /// Optimiser steps taken.
    public var steps = 0
    public var stopReason: StopReason = .completedEpochs
}

/// Why `Trainer.fit` could not train.
public enum TrainingError: Error, Sendable, CustomStringConvertible {
    /// The configuration is invalid.
    case invalidConfiguration(SequenceModelError)
    /// The named dataset ("training", "validation") does not fit the model or the loss.
    case invalidData(dataset: String, SequenceModelError)
    /// A loss became NaN or infinite. Training stopped and the model holds the last good weights
    /// (see `Trainer.fit`); `history` has the completed epochs.
    case nonFiniteLoss(epoch: Int, batch: Int, dataset: String, value: Double, history: TrainingHistory)
    /// The gradient norm became NaN or infinite (detected when clipping).
    case nonFiniteGradient(epoch: Int, batch: Int, history: TrainingHistory)

    public var description: String {
        switch self {
        case let .invalidConfiguration(e): return "training configuration: \(e)"
        case let .invalidData(dataset, e): return "\(dataset) data: \(e)"
        case let .nonFiniteLoss(epoch, batch, dataset, value, _):
            return "\(dataset) loss is \(value) at epoch \(epoch), batch \(batch); stopped and kept the last good weights"
        case let .nonFiniteGradient(epoch, batch, _):
            return "gradient norm is not finite at epoch \(epoch), batch \(batch); stopped and kept the last good weights"
        }
    }
}
