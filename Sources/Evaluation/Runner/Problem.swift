// Problem.swift — a loaded dataset prepared for models: split into train / validation / test
// and normalised with statistics of the training part only (ZScore). Models see only this;
// the runner scores their predictions in original units.
//
// The task decides what a model must produce for the test part:
//   simulation    outputs of every test segment from its inputs alone (free run); the first
//                 `warmup` outputs of a segment are given (to initialise a state) and not scored
//   prediction    y[t] from u[0…t] and y[0…t−k] (k = `horizon` steps ahead); rows before
//                 max(warmup, k) are not scored
//   forecast      the next H values after each origin of the test part from the history before it
//   classification one label per test series
//   sequence      per-step targets of generated long-range tasks at the scored steps

import LinearAlgebra

// A contiguous piece of an input/output record is Baselines' `IOSegment` (validated: equal row
// counts, finite values), so the classical identification methods take the problem's segments
// as they are.
import Baselines

/// System identification data (simulation and k-step-ahead prediction).
public struct IOProblem: Sendable {
    public var task: TaskKind
    /// k for prediction (steps ahead); 1 for simulation.
    public var horizon: Int
    public var warmup: Int
    public var sampleTime: Double?
    public var inputCount: Int
    public var outputCount: Int
    public var train: [IOSegment]
    public var validation: [IOSegment]
    public var test: [IOSegment]
    public var inputScaler: ZScore
    public var outputScaler: ZScore
    /// The generating system, for generated data (the oracle runs it on raw inputs).
    public var system: (any SystemSimulator)?
    /// Raw (unnormalised) inputs of each test segment, and the row where it starts in its
    /// record (the oracle simulates the record from its start).
    public var rawRecordInputs: Matrix?
    public var testStarts: [Int]
}

/// A series to forecast.
public struct ForecastProblem: Sendable {
    /// The whole series, normalised (rows = time, columns = channels).
    public var series: Matrix
    public var channelCount: Int { series.cols }
    /// Row ranges of each part.
    public var train: [Range<Int>]
    public var validation: [Range<Int>]
    public var test: [Range<Int>]
    /// First row of the record each row belongs to (history never crosses a record).
    public var recordStart: [Int]
    public var horizon: Int
    /// Observed window a model may look back over (nil: the model decides).
    public var context: Int?
    public var season: Int
    public var scaler: ZScore
    /// Forecast origins of the test part: each origin o asks for rows o ..< o + horizon from
    /// rows recordStart[o] ..< o.
    public var testOrigins: [Int]
}

/// Labelled series.
public struct ClassificationProblem: Sendable {
    public struct Example: Sendable {
        public var values: Matrix
        public var label: Int
    }
    public var classes: [String]
    public var channelCount: Int
    public var train: [Example]
    public var validation: [Example]
    public var test: [Example]
}

/// Generated long-range sequence tasks (inputs and targets as stored: tokens one-hot).
public struct SequenceProblem: Sendable {
    public var train: [SequenceExample]
    public var validation: [SequenceExample]
    public var test: [SequenceExample]
    /// Number of token classes, or nil for real-valued targets (adding problem).
    public var classCount: Int?
    public var inputCount: Int
    public var outputCount: Int
}

/// What a model is given.
public enum Problem: Sendable {
    case io(IOProblem)
    case forecast(ForecastProblem)
    case classification(ClassificationProblem)
    case sequence(SequenceProblem)

    public var task: TaskKind {
        switch self {
        case let .io(p): return p.task
        case .forecast: return .forecast
        case .classification: return .classification
        case .sequence: return .sequence
        }
    }
}

/// What a model returns for the test part (normalised units, like its inputs).
public enum Prediction: Sendable {
    /// One (length × outputs) matrix per test segment.
    case io([Matrix])
    /// One (horizon × channels) matrix per test origin.
    case forecast([Matrix])
    /// One class index per test series.
    case classification([Int])
    /// One (T × outputs) matrix per test example (logits or scores for token tasks).
    case sequence([Matrix])
}
