// DataSplit.swift — train / validation / test parts of a time-series dataset.
//
// Two ways to split, both respecting record boundaries:
//  * by a split column: rows keep the label written in the file (`SplitRole(label:)` maps it);
//  * by time fractions: the first `train` fraction of each record's rows … the last `test`.
// Datasets that only ship train and test get a validation part carved from the END of the
// training rows (`carvingValidation(fraction:)`; the lab's default fraction is
// `DataSplit.defaultValidationFraction` = 0.2), so validation is always later in time than
// the rows a model is fitted on.

/// Fractions of the rows for train, validation and test (non-negative, summing to 1).
public struct SplitFractions: Sendable, Equatable {
    public let train: Double
    public let validation: Double
    public let test: Double

    /// - Throws: `SplitError.invalidFractions` unless all three are finite, ≥ 0, train and test
    ///   > 0, and they sum to 1 within 1e-9.
    public init(train: Double, validation: Double, test: Double) throws(SplitError) {
        let all = [train, validation, test]
        guard all.allSatisfy({ $0.isFinite && $0 >= 0 }), train > 0, test > 0,
              abs(all.reduce(0, +) - 1) <= 1e-9
        else { throw .invalidFractions(all) }
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// A split that cannot be built from the data given.
public enum SplitError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidFractions([Double])
    case invalidValidationFraction(Double)
    /// A part has no rows (`part` is train, validation or test); `source` names the data.
    case emptyPart(source: String, part: String)
    /// Split labels and rows disagree in count (a programmer would normally catch this).
    case lengthMismatch(source: String, rows: Int, labels: Int)

    public var description: String {
        switch self {
        case let .invalidFractions(f):
            return "split fractions \(f) must be non-negative, with train and test > 0, and sum to 1"
        case let .invalidValidationFraction(f):
            return "validation fraction \(f) must lie strictly between 0 and 1"
        case let .emptyPart(source, part):
            return "\(source): the \(part) part of the split has no rows"
        case let .lengthMismatch(source, rows, labels):
            return "\(source): \(labels) split labels for \(rows) rows"
        }
    }
}

/// The segments of each part of a split. Segments never cross a record boundary.
public struct DataSplit: Sendable, Equatable {
    /// The fraction of training rows carved off for validation when the data has none.
    public static let defaultValidationFraction = 0.2

    public var train: [Segment]
    public var validation: [Segment]
    public var test: [Segment]

    public init(train: [Segment], validation: [Segment], test: [Segment]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// The segments of `role`.
    public subscript(role: SplitRole) -> [Segment] {
        switch role {
        case .train: return train
        case .validation: return validation
        case .test: return test
        }
    }

    /// Total number of rows of `role`.
    public func rowCount(_ role: SplitRole) -> Int { self[role].reduce(0) { $0 + $1.count } }

    /// Maximal runs of rows with equal (record, label), in file order.
    public static func runs(labels: [String], records: [String]?) -> [Segment] {
        precondition(records == nil || records!.count == labels.count, "records and labels differ in count") // invariant: callers pass columns of one table
        guard !labels.isEmpty else { return [] }
        var out: [Segment] = []
        var start = 0
        for i in 1...labels.count where i == labels.count || labels[i] != labels[start] || records?[i] != records?[start] {
            out.append(Segment(range: start..<i, record: records?[start], label: labels[start]))
            start = i
        }
        return out
    }

    /// The split given by a column of labels (see `SplitRole(label:)`); rows whose label has no
    /// role are left out.
    /// - Throws: `SplitError.emptyPart` when no row is labelled train or none test.
    public static func byLabels(_ labels: [String], records: [String]? = nil,
                                source: String) throws(SplitError) -> DataSplit {
        guard !labels.isEmpty else { throw .emptyPart(source: source, part: "train") }
        if let records, records.count != labels.count {
            throw .lengthMismatch(source: source, rows: records.count, labels: labels.count)
        }
        var split = DataSplit(train: [], validation: [], test: [])
        for segment in runs(labels: labels, records: records) {
            switch SplitRole(label: segment.label) {
            case .train?: split.train.append(segment)
            case .validation?: split.validation.append(segment)
            case .test?: split.test.append(segment)
            case nil: break
            }
        }
        if split.train.isEmpty { throw .emptyPart(source: source, part: "train") }
        if split.test.isEmpty { throw .emptyPart(source: source, part: "test") }
        return split
    }

    /// The split by time fractions: within each record (or the whole series when `records` is
    /// nil), the first ⌊train·n⌉ rows train, the next ⌊validation·n⌉ validation, the rest test
    /// (⌊·⌉ = rounding to nearest).
    /// - Throws: `SplitError.emptyPart` when rounding leaves train or test (or a requested
    ///   validation part) with no rows.
    public static func byFractions(length: Int, records: [String]? = nil, fractions: SplitFractions,
                                   source: String) throws(SplitError) -> DataSplit {
        if let records, records.count != length {
            throw .lengthMismatch(source: source, rows: length, labels: records.count)
        }
        let recordRuns = length == 0 ? [] : runs(labels: records ?? Array(repeating: "", count: length), records: nil)
        var split = DataSplit(train: [], validation: [], test: [])
        for run in recordRuns {
            let n = run.count, a = run.range.lowerBound
            let nTrain = Int((fractions.train * Double(n)).rounded())
            let nVal = Int((fractions.validation * Double(n)).rounded())
            let record = records == nil ? nil : run.label
            let cut1 = a + min(nTrain, n), cut2 = min(a + nTrain + nVal, run.range.upperBound)
            if cut1 > a { split.train.append(Segment(range: a..<cut1, record: record, label: "train")) }
            if cut2 > cut1 { split.validation.append(Segment(range: cut1..<cut2, record: record, label: "validation")) }
            if run.range.upperBound > cut2 { split.test.append(Segment(range: cut2..<run.range.upperBound, record: record, label: "test")) }
        }
        if split.train.isEmpty { throw .emptyPart(source: source, part: "train") }
        if fractions.validation > 0 && split.validation.isEmpty { throw .emptyPart(source: source, part: "validation") }
        if split.test.isEmpty { throw .emptyPart(source: source, part: "test") }
        return split
    }

    /// This split with a validation part carved from the end of the training rows when it has
    /// none: the last ⌊fraction · N_train⌉ training rows (walking back through the training
    /// segments, splitting one if needed) become validation segments labelled `validation`.
    /// A split that already has validation rows is returned unchanged.
    /// - Throws: `SplitError.invalidValidationFraction` unless 0 < fraction < 1;
    ///   `.emptyPart` when rounding leaves train or validation empty.
    public func carvingValidation(fraction: Double = DataSplit.defaultValidationFraction,
                                  source: String) throws(SplitError) -> DataSplit {
        guard fraction > 0 && fraction < 1 else { throw .invalidValidationFraction(fraction) }
        if !validation.isEmpty { return self }
        var remaining = Int((fraction * Double(rowCount(.train))).rounded())
        if remaining == 0 { throw .emptyPart(source: source, part: "validation") }
        var newTrain = train
        var carved: [Segment] = []
        while remaining > 0, let last = newTrain.popLast() {
            let take = min(remaining, last.count)
            let cut = last.range.upperBound - take
            carved.insert(Segment(range: cut..<last.range.upperBound, record: last.record, label: "validation"), at: 0)
            if cut > last.range.lowerBound {
                newTrain.append(Segment(range: last.range.lowerBound..<cut, record: last.record, label: last.label))
            }
            remaining -= take
        }
        if newTrain.isEmpty { throw .emptyPart(source: source, part: "train") }
        return DataSplit(train: newTrain, validation: carved, test: test)
    }
}
