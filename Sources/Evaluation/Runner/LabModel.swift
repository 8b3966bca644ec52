// LabModel.swift — the one protocol every model of the lab conforms to, so that baselines,
// classical identification and neural families go through the same harness.
//
// Contract:
//  * `fit` sees the training and validation parts only (it may use validation for early
//    stopping or order selection) and must not read `test` (the runner keeps it for scoring;
//    for I/O and forecast problems the test inputs are there because prediction needs them).
//  * `predict` returns predictions for the test part in the problem's normalised units.
//  * Every random draw comes from `context.rng`; the same seed and data give the same
//    predictions (apart from timings).
//  * Errors and divergence are thrown (`RunError.failed` / `.diverged`): the runner records the
//    run as failed with the reason and goes on.

import LinearAlgebra

/// A model the runner can fit and evaluate.
public protocol LabModel: AnyObject {
    /// Trainable (or fitted) scalar parameters after `fit`.
    var parameterCount: Int { get }
    /// Whether this model can handle `task`.
    func supports(_ task: TaskKind) -> Bool
    /// Fits on the training part (validation for early stopping / selection).
    func fit(_ problem: Problem, context: inout FitContext) throws -> FitReport
    /// Predictions for the test part.
    func predict(_ problem: Problem) throws -> Prediction
}

/// Optional cost probes: a model that runs both as a recurrence and as a convolution reports
/// the time of one recurrent step and of one whole sequence in convolution mode.
public protocol InferenceCostProbe: LabModel {
    /// Seconds per time step of step-by-step (recurrent) inference, batch 1.
    func recurrentStepSeconds(_ problem: Problem) throws -> Double?
    /// Seconds to process one test-length sequence at once (convolution / parallel mode).
    func sequenceSeconds(_ problem: Problem) throws -> Double?
}

/// What `fit` may use besides the data.
public struct FitContext {
    /// The run's seeded generator (seed of the run).
    public var rng: SplitMix64
    /// Progress callback (e.g. "epoch 3/20 loss 0.12"); the runner shows it on a terminal.
    public var progress: (String) -> Void
    public init(rng: SplitMix64, progress: @escaping (String) -> Void = { _ in }) {
        self.rng = rng
        self.progress = progress
    }
}

/// What `fit` reports: choices it made and its learning curve.
public struct FitReport: Sendable {
    /// Hyperparameters chosen during fitting (e.g. an order selected on validation).
    public var chosen: [String: String] = [:]
    /// Training loss per epoch (neural models).
    public var trainLoss: [Double] = []
    /// Validation loss per epoch.
    public var validationLoss: [Double] = []
    public init(chosen: [String: String] = [:], trainLoss: [Double] = [], validationLoss: [Double] = []) {
        self.chosen = chosen
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
    }
}

/// A failure inside a run (recorded, not fatal to the experiment) or of the experiment setup.
public enum RunError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model cannot handle this dataset or task.
    case incompatible(String)
    /// Fitting or prediction failed.
    case failed(String)
    /// Training diverged (NaN or infinite loss).
    case diverged(String)
    /// The output directory holds something the runner will not overwrite.
    case outputDirectory(path: String, reason: String)

    public var description: String {
        switch self {
        case let .incompatible(s): return "incompatible: \(s)"
        case let .failed(s): return s
        case let .diverged(s): return "diverged: \(s)"
        case let .outputDirectory(path, reason): return "\(path): \(reason)"
        }
    }
}

/// Models that are linear time-invariant systems, or contain banks of them (an SSM's channels,
/// an identified state-space model), expose their impulse responses so the lab can plot their
/// kernels and frequency responses. Kernels are in the model's normalised units, h[0] first.
public protocol KernelReporting: LabModel {
    /// Up to `limit` named kernels of `length` taps (e.g. "layer1.ch3", "y1←u1").
    func kernels(length: Int, limit: Int) throws -> [(name: String, taps: [Double])]
}
