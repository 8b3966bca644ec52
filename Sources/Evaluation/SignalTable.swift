// SignalTable.swift — the dataset model: named numeric channels over time plus text columns.
//
// One row per time step. Numeric channels form a time-major `(L, C)` matrix; the text columns
// the lab understands are `split`, `record`, `label`, `series_id`, and a time key such as
// `month` that is kept as text. Every other column must be numeric and finite.

import Foundation
import LinearAlgebra

/// Numeric channels and text columns of one file, row r = time step r.
public struct SignalTable: Sendable {
    /// The columns read as text unless told otherwise.
    public static let standardTextColumns: Set<String> = ["split", "record", "label", "series_id"]

    /// Where the data came from (a file path, or a generator description); used in messages.
    public var source: String
    /// Names of the numeric channels, in file order.
    public var channelNames: [String]
    /// `(rowCount, channelNames.count)`, time-major.
    public var values: Matrix
    /// Text columns by name, each with `rowCount` entries.
    public var textColumns: [String: [String]]
    /// 1-based source line of each row (nil for generated data).
    public var lineNumbers: [Int]?

    public init(source: String, channelNames: [String], values: Matrix,
                textColumns: [String: [String]] = [:], lineNumbers: [Int]? = nil) {
        precondition(values.cols == channelNames.count, "\(channelNames.count) names for \(values.cols) channels") // invariant: programmer misuse
        precondition(textColumns.values.allSatisfy { $0.count == values.rows }, "text column length differs from row count") // invariant: programmer misuse
        self.source = source
        self.channelNames = channelNames
        self.values = values
        self.textColumns = textColumns
        self.lineNumbers = lineNumbers
    }

    /// Number of time steps.
    public var rowCount: Int { values.rows }

    /// Reads a CSV file: columns in `textColumns` are kept as text, every other column must be
    /// numeric and finite.
    /// - Throws: any `DataFileError` of `CSVTable.read` and `CSVTable.numbers`.
    public static func read(_ url: URL, textColumns: Set<String> = standardTextColumns) throws(DataFileError) -> SignalTable {
        try SignalTable(csv: CSVTable.read(url), textColumns: textColumns)
    }

    /// Converts a read CSV table (see `read(_:textColumns:)`).
    public init(csv: CSVTable, textColumns: Set<String> = standardTextColumns) throws(DataFileError) {
        let numericNames = csv.header.filter { !textColumns.contains($0) }
        var text: [String: [String]] = [:]
        for name in csv.header where textColumns.contains(name) { text[name] = try csv.text(name) }
        self.init(source: csv.path, channelNames: numericNames, values: try csv.matrix(numericNames),
                  textColumns: text, lineNumbers: csv.lineNumbers)
    }

    /// The channels `names` as a `(rowCount, names.count)` matrix.
    /// - Throws: `DataFileError.unknownColumn` listing the numeric channels.
    public func channels(_ names: [String]) throws(DataFileError) -> Matrix {
        var idx: [Int] = []
        for name in names {
            guard let j = channelNames.firstIndex(of: name) else {
                throw .unknownColumn(path: source, name: name, valid: channelNames)
            }
            idx.append(j)
        }
        var m = Matrix(rows: rowCount, cols: names.count)
        let c = values.cols
        for i in 0..<rowCount { for (k, j) in idx.enumerated() { m.elements[i * names.count + k] = values.elements[i * c + j] } }
        return m
    }

    /// One channel as a vector.
    public func channel(_ name: String) throws(DataFileError) -> [Double] { try channels([name]).elements }

    /// A text column.
    /// - Throws: `DataFileError.unknownColumn` listing the text columns.
    public func text(_ name: String) throws(DataFileError) -> [String] {
        guard let t = textColumns[name] else {
            throw .unknownColumn(path: source, name: name, valid: textColumns.keys.sorted())
        }
        return t
    }

    /// The 1-based source line of row `r`, or `r + 2` (header + 1-based) for generated data.
    public func line(ofRow r: Int) -> Int { lineNumbers?[r] ?? r + 2 }
}

extension Matrix {
    /// Rows `range` of a time-major matrix, as a new matrix.
    public func slicingRows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range \(range) outside 0..<\(rows)") // invariant: programmer misuse
        return Matrix(rows: range.count, cols: cols,
                      elements: Array(elements[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }
}
