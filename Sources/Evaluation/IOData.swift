// IOData.swift — an input/output (system-identification) dataset with its split.
//
// Conventions (datasets/README.md): inputs are the `u…` channels, outputs the `y…` channels,
// `record` marks independent experiments. A simulation task feeds a model the inputs of one
// segment from a fresh state and compares its outputs after `warmup` steps; a prediction task
// may also use past measured outputs. Both never cross a segment boundary.

import LinearAlgebra

/// Inputs and outputs over time, split into train / validation / test segments.
public struct IOData: Sendable {
    /// Dataset name (catalog name, experiment name or generator).
    public var name: String
    /// The table the data came from (all channels, text columns, line numbers).
    public var table: SignalTable
    public var inputNames: [String]
    public var outputNames: [String]
    /// `(L, inputNames.count)`.
    public var inputs: Matrix
    /// `(L, outputNames.count)`.
    public var outputs: Matrix
    /// The split; every segment lies inside one record.
    public var split: DataSplit
    /// Steps at the start of every segment that initialise the state and are not scored.
    public var warmup: Int
    /// Sampling interval in seconds, when known.
    public var sampleTime: Double?
    /// The system that generated the data (generated datasets only): the oracle model runs it.
    public var system: (any SystemSimulator)?

    /// Picks `inputs`/`outputs` from `table`.
    /// - Throws: `DataFileError.unknownColumn` for a name that is not a numeric channel.
    public init(name: String, table: SignalTable, inputNames: [String], outputNames: [String],
                split: DataSplit, warmup: Int = 0, sampleTime: Double? = nil) throws(DataFileError) {
        precondition(warmup >= 0, "warm-up must be non-negative") // invariant: validated by the experiment parser
        self.name = name
        self.table = table
        self.inputNames = inputNames
        self.outputNames = outputNames
        self.inputs = try table.channels(inputNames)
        self.outputs = try table.channels(outputNames)
        self.split = split
        self.warmup = warmup
        self.sampleTime = sampleTime
    }

    /// Number of time steps in the whole dataset.
    public var length: Int { inputs.rows }

    /// Inputs of one segment, `(segment.count, m)`.
    public func inputs(of segment: Segment) -> Matrix { inputs.slicingRows(segment.range) }

    /// Outputs of one segment, `(segment.count, p)`.
    public func outputs(of segment: Segment) -> Matrix { outputs.slicingRows(segment.range) }

    /// The rows of `segment` that are scored (all but the warm-up).
    public func scoredRows(of segment: Segment) -> Range<Int> { segment.scored(warmup: warmup) }
}
