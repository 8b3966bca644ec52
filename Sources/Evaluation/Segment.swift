// Segment.swift — a contiguous run of time steps that a model sees as one experiment.
//
// The sysid convention of the datasets (datasets/README.md): a `record` column marks
// independent experiments, and a model's state is reset at every record boundary: never
// simulate across records. A split part (train, validation, test) is therefore a list of
// segments, each contiguous in the file, within one record, under one split label. Each
// segment starts a fresh simulation whose first `warmup` steps initialise the state and are
// not scored.

/// The role a split label plays in an evaluation.
public enum SplitRole: String, Sendable, CaseIterable, Hashable {
    case train, validation, test

    /// The role of a split label as written in a data file:
    /// `train` → train; `val`, `valid`, `validation` → validation; `test` or any `test_…` (for
    /// example Silverbox's `test_arrow`) → test. Any other label (`unused`, sunspots' `extra`)
    /// has no role, and its rows are left out of the split.
    public init?(label: String) {
        switch label {
        case "train": self = .train
        case "val", "valid", "validation": self = .validation
        case "test": self = .test
        default:
            if label.hasPrefix("test_") { self = .test } else { return nil }
        }
    }
}

/// Rows `range` of a dataset, all in one record and under one split label.
public struct Segment: Sendable, Hashable, CustomStringConvertible {
    /// Row indices (0-based, into the whole dataset).
    public var range: Range<Int>
    /// The record (experiment) the rows belong to, when the data has records.
    public var record: String?
    /// The split label of the rows as written in the file (`train`, `test_arrow`, …), or the
    /// role name when the split came from fractions.
    public var label: String

    public init(range: Range<Int>, record: String? = nil, label: String) {
        self.range = range
        self.record = record
        self.label = label
    }

    /// Number of time steps.
    public var count: Int { range.count }

    /// The rows that are scored when the first `warmup` steps initialise the state: the
    /// segment without its first `min(warmup, count)` rows.
    public func scored(warmup: Int) -> Range<Int> {
        precondition(warmup >= 0, "warm-up must be non-negative") // invariant: validated by callers
        return (range.lowerBound + min(warmup, range.count))..<range.upperBound
    }

    public var description: String {
        "\(label)[\(range.lowerBound)..<\(range.upperBound)]" + (record.map { " (record \($0))" } ?? "")
    }
}
