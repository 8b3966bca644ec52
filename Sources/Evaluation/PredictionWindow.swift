// PredictionWindow.swift — windows for k-step-ahead prediction and horizon-H forecasting.
//
// A window has an origin t (the first step the model does not observe), a context of C
// observed steps [t − C, t), and target steps:
//   * horizon H:        [t, t + H)            (forecast the next H values);
//   * k-step-ahead:     [t + k − 1, t + k)    (only the value k steps after the last observed).
// Windows are generated for origins t = first, first + stride, … inside one segment, subject to
//   - the context lies in the allowed history: t − C ≥ historyStart (for a sysid segment its own
//     first row, never across a record; for forecasting, the start of the record, since the
//     past is observed when forecasting);
//   - the origin lies in the segment, and every target row lies in the segment's scored part
//     [segment.start + warmup, segment.end), so warm-up steps are never scored.

/// Context and target rows of one prediction (indices into the whole dataset).
public struct PredictionWindow: Sendable, Hashable {
    /// Observed rows `[t − C, t)`.
    public let context: Range<Int>
    /// Rows to predict.
    public let target: Range<Int>

    public init(context: Range<Int>, target: Range<Int>) {
        self.context = context
        self.target = target
    }

    /// The origin t: the first unobserved step.
    public var origin: Int { context.upperBound }
}

/// Which steps after the origin are targets.
public enum PredictionTarget: Sendable, Hashable {
    /// The next `H` steps, `[t, t + H)`.
    case horizon(Int)
    /// The single step `t + k − 1` (k = 1: the next step).
    case kStepAhead(Int)

    /// Offsets of the target rows from the origin.
    public var offsets: Range<Int> {
        switch self {
        case let .horizon(h): return 0..<h
        case let .kStepAhead(k): return (k - 1)..<k
        }
    }
}

extension PredictionWindow {
    /// The windows of `segment` (see the file comment for the rules).
    /// - Parameters:
    ///   - target: `.horizon(H)` or `.kStepAhead(k)`, H, k ≥ 1.
    ///   - context: C ≥ 0 observed steps before each origin.
    ///   - historyStart: the earliest row a context may use (≤ segment start); defaults to the
    ///     segment start.
    ///   - warmup: steps at the segment start that are never targets.
    ///   - stride: distance between consecutive origins (≥ 1).
    /// - Complexity: O(number of windows).
    public static func windows(_ target: PredictionTarget, context: Int, in segment: Segment,
                               historyStart: Int? = nil, warmup: Int = 0, stride: Int = 1) -> [PredictionWindow] {
        let offsets = target.offsets
        precondition(offsets.lowerBound >= 0 && !offsets.isEmpty && context >= 0 && warmup >= 0 && stride >= 1, "invalid window parameters") // invariant: validated by the experiment parser
        let start = historyStart ?? segment.range.lowerBound
        precondition(start <= segment.range.lowerBound, "history must start at or before the segment") // invariant: programmer misuse
        let scoredStart = segment.range.lowerBound + warmup
        let first = max(segment.range.lowerBound, start + context, scoredStart - offsets.lowerBound)
        let last = segment.range.upperBound - offsets.upperBound  // last origin whose targets fit
        guard first <= last else { return [] }
        return Swift.stride(from: first, through: last, by: stride).map { t in
            PredictionWindow(context: (t - context)..<t, target: (t + offsets.lowerBound)..<(t + offsets.upperBound))
        }
    }
}

extension Segment {
    /// A scoring mask over the segment's rows: false for the first `warmup` steps, true after.
    public func scoringMask(warmup: Int) -> [Bool] {
        (0..<count).map { $0 >= warmup }
    }
}
