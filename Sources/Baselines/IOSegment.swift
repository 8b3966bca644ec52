// IOSegment.swift — one independent record of aligned input/output signals.
//
// Data may come in several independent experiments. A baseline receives a list of segments
// and treats each as its own record: lag windows, Hankel columns and simulations never cross a
// segment boundary. Signals are time-major matrices (rows = time steps, columns = channels).

import LinearAlgebra

/// Inputs `u` (L × m) and outputs `y` (L × p) of one record, with the same number of rows and
/// finite values (checked once, here).
public struct IOSegment: Sendable, Equatable {
    /// `(L, m)`; `m` may be 0 (an output-only record, e.g. for a VAR-type ARX).
    public let inputs: Matrix
    /// `(L, p)`.
    public let outputs: Matrix

    /// Validates that both signals have the same number of rows and only finite values.
    /// - Parameter name: how messages refer to this segment ("segment 2", "test").
    /// - Throws: `.shapeMismatch` or `.nonFinite` (naming the row and column).
    public init(inputs: Matrix, outputs: Matrix, name: String = "segment") throws(BaselineError) {
        guard inputs.rows == outputs.rows else {
            throw .shapeMismatch("\(name): inputs have \(inputs.rows) rows, outputs have \(outputs.rows)")
        }
        try requireFinite(inputs, "\(name) inputs")
        try requireFinite(outputs, "\(name) outputs")
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Number of time steps L.
    public var length: Int { outputs.rows }
    /// Number of input channels m.
    public var inputCount: Int { inputs.cols }
    /// Number of output channels p.
    public var outputCount: Int { outputs.cols }
}

/// Checks that a list of segments is non-empty and that all share the channel counts.
/// - Returns: `(m, p)`.
func channelCounts(_ segments: [IOSegment], _ context: String) throws(BaselineError) -> (m: Int, p: Int) {
    guard let first = segments.first else { throw .tooFewSamples(context: "\(context): no segments", needed: 1, found: 0) }
    for (s, seg) in segments.enumerated() {
        guard seg.inputCount == first.inputCount, seg.outputCount == first.outputCount else {
            throw .shapeMismatch("\(context): segment \(s) has \(seg.inputCount) input(s) and \(seg.outputCount) output(s), segment 0 has \(first.inputCount) and \(first.outputCount)")
        }
    }
    guard first.outputCount > 0 else { throw .shapeMismatch("\(context): segments have no output channels") }
    return (first.inputCount, first.outputCount)
}

/// Checks a list of series (each L × channels) for equal widths and finite values.
/// - Returns: the channel count.
func seriesChannels(_ series: [Matrix], _ context: String) throws(BaselineError) -> Int {
    guard let first = series.first else { throw .tooFewSamples(context: "\(context): no segments", needed: 1, found: 0) }
    for (s, x) in series.enumerated() {
        guard x.cols == first.cols else {
            throw .shapeMismatch("\(context): segment \(s) has \(x.cols) channel(s), segment 0 has \(first.cols)")
        }
        try requireFinite(x, "\(context) segment \(s)")
    }
    guard first.cols > 0 else { throw .shapeMismatch("\(context): series have no channels") }
    return first.cols
}
