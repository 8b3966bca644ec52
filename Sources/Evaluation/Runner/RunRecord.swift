// RunRecord.swift — one line of records.jsonl: the outcome of one (dataset, model, seed) run.
// Results are data: tables and plots are made from these records, never inside the runner.

import Foundation

/// The record of one finished run (successful or failed).
public struct RunRecord: Codable, Sendable, Equatable {
    public var experiment: String
    public var dataset: String
    public var task: String
    public var model: String
    public var kind: String
    public var seed: UInt64
    /// "ok" or "failed".
    public var status: String
    /// Why the run failed (nil when ok).
    public var reason: String?
    /// Metric name → value (nil when undefined, e.g. R² of a constant truth).
    public var metrics: [String: Double?]
    /// Fitted scalar parameters.
    public var parameters: Int?
    public var trainSeconds: Double?
    /// Time to predict the whole test part.
    public var inferenceSeconds: Double?
    /// Step-by-step (recurrent) inference time per step, batch 1.
    public var recurrentStepSeconds: Double?
    /// Whole-sequence (convolution / parallel) inference time per test-length sequence.
    public var sequenceSeconds: Double?
    /// The model's hyperparameters as given in the experiment file (values as text).
    public var hyperparameters: [String: String]
    /// Choices the model made while fitting (e.g. a selected order).
    public var chosen: [String: String]
    /// Learning curve (neural models).
    public var trainLoss: [Double]?
    public var validationLoss: [Double]?
    /// Scored test points (rows × outputs, or test series).
    public var testPoints: Int?
    /// Predictions against truth for plots, relative to the output directory.
    public var predictionFile: String?
    /// Digest of the dataset and model specifications: a record counts as done for a resumed
    /// run only when the specifications are unchanged.
    public var specDigest: String
    /// ISO 8601 time the run finished.
    public var finishedAt: String

    enum CodingKeys: String, CodingKey {
        case experiment, dataset, task, model, kind, seed, status, reason, metrics, parameters
        case trainSeconds = "train_seconds", inferenceSeconds = "inference_seconds"
        case recurrentStepSeconds = "recurrent_step_seconds", sequenceSeconds = "sequence_seconds"
        case hyperparameters, chosen, trainLoss = "train_loss", validationLoss = "validation_loss"
        case testPoints = "test_points", predictionFile = "prediction_file", specDigest = "spec_digest"
        case finishedAt = "finished_at"
    }

    /// The identity of a run within an experiment.
    public var key: RunKey { RunKey(dataset: dataset, model: model, seed: seed) }

    /// The record as one compact JSON line (no trailing newline), keys sorted.
    public func jsonLine() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var copy = self
        // JSON has no NaN/Inf: undefined metrics and timings become null.
        copy.metrics = metrics.mapValues { v in v.flatMap { $0.isFinite ? $0 : nil } }
        for kp in [\RunRecord.trainSeconds, \.inferenceSeconds, \.recurrentStepSeconds, \.sequenceSeconds] {
            if let v = copy[keyPath: kp], !v.isFinite { copy[keyPath: kp] = nil }
        }
        copy.trainLoss = trainLoss?.map { $0.isFinite ? $0 : Double.greatestFiniteMagnitude }
        copy.validationLoss = validationLoss?.map { $0.isFinite ? $0 : Double.greatestFiniteMagnitude }
        return String(decoding: try e.encode(copy), as: UTF8.self)
    }
}

/// (dataset, model, seed): one cell of an experiment.
public struct RunKey: Hashable, Sendable, CustomStringConvertible {
    public var dataset: String
    public var model: String
    public var seed: UInt64
    public init(dataset: String, model: String, seed: UInt64) { self.dataset = dataset; self.model = model; self.seed = seed }
    public var description: String { "\(dataset) · \(model) · seed \(seed)" }
}
