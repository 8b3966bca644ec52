// CSVTable.swift — the lab's CSV reader: one header row, one row per time step.
//
// Format (DESIGN.md "Signals"): `,` separator, `\n` or `\r\n` line ends, no quoting, a header
// line naming every column. Blank lines are skipped (they still count for line numbers), so a
// trailing newline is fine. Cells are trimmed of surrounding spaces and tabs.
//
// The table keeps every cell as text, column by column; numeric conversion happens when a
// column is asked for as numbers, so the error for a bad cell names the line and the column the
// caller wanted. Line numbers are 1-based and count the header as line 1.

import Foundation
import LinearAlgebra

/// A CSV file read into memory as text columns.
public struct CSVTable: Sendable {
    /// The path used in error messages.
    public let path: String
    /// Column names, in file order.
    public let header: [String]
    /// `cells[c][r]`: the text of column `c`, data row `r` (column-major).
    public let cells: [[String]]
    /// `lineNumbers[r]`: the 1-based line of data row `r` in the file.
    public let lineNumbers: [Int]

    /// Number of data rows.
    public var rowCount: Int { lineNumbers.count }

    /// Reads and splits `url`.
    /// - Throws: `DataFileError.missingFile`, `.unreadable`, `.emptyFile`, `.noDataRows`,
    ///   `.duplicateColumn`, `.raggedRow` (with the line number and both cell counts).
    /// - Complexity: O(file size).
    public static func read(_ url: URL) throws(DataFileError) -> CSVTable {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missingFile(path: path)
        }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "is a directory") }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try parse(data, path: path)
    }

    /// Splits CSV bytes that came from `path` (used in messages). See `read(_:)`.
    public static func parse(_ data: Data, path: String) throws(DataFileError) -> CSVTable {
        let bytes = [UInt8](data)
        if String(validating: bytes, as: UTF8.self) == nil {
            throw .unreadable(path: path, reason: "not valid UTF-8 text")
        }
        var header: [String]? = nil
        var columns: [[String]] = []
        var lines: [Int] = []
        var lineNumber = 0
        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let cells = splitCells(bytes, start, lineEnd)
            start = end + 1
            if cells.count == 1 && cells[0].isEmpty { continue }  // blank line
            if header == nil {
                var seen = Set<String>()
                for name in cells where !seen.insert(name).inserted {
                    throw .duplicateColumn(path: path, name: name)
                }
                header = cells
                columns = Array(repeating: [], count: cells.count)
                continue
            }
            guard cells.count == columns.count else {
                throw .raggedRow(path: path, line: lineNumber, expected: columns.count, found: cells.count)
            }
            for (c, cell) in cells.enumerated() { columns[c].append(cell) }
            lines.append(lineNumber)
        }
        guard let header else { throw .emptyFile(path: path) }
        guard !lines.isEmpty else { throw .noDataRows(path: path) }
        return CSVTable(path: path, header: header, cells: columns, lineNumbers: lines)
    }

    private static func splitCells(_ bytes: [UInt8], _ from: Int, _ to: Int) -> [String] {
        var cells: [String] = []
        var cellStart = from
        var i = from
        while i <= to {
            if i == to || bytes[i] == UInt8(ascii: ",") {
                var a = cellStart, b = i
                while a < b && (bytes[a] == 0x20 || bytes[a] == 0x09) { a += 1 }
                while b > a && (bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09) { b -= 1 }
                cells.append(String(decoding: bytes[a..<b], as: UTF8.self))
                cellStart = i + 1
            }
            i += 1
        }
        return cells
    }

    /// Whether the header has a column called `name`.
    public func hasColumn(_ name: String) -> Bool { header.contains(name) }

    /// The index of column `name`.
    /// - Throws: `DataFileError.unknownColumn` listing the header.
    public func columnIndex(_ name: String) throws(DataFileError) -> Int {
        guard let c = header.firstIndex(of: name) else {
            throw .unknownColumn(path: path, name: name, valid: header)
        }
        return c
    }

    /// The cells of column `name` as text.
    public func text(_ name: String) throws(DataFileError) -> [String] {
        cells[try columnIndex(name)]
    }

    /// The cells of column `name` as finite numbers.
    /// - Throws: `.unknownColumn`, `.nonNumeric` (empty cells included) or `.nonFinite`, naming the
    ///   line and column of the first bad cell.
    public func numbers(_ name: String) throws(DataFileError) -> [Double] {
        let column = cells[try columnIndex(name)]
        var out = [Double]()
        out.reserveCapacity(column.count)
        for (r, cell) in column.enumerated() {
            guard let v = Double(cell) else {
                throw .nonNumeric(path: path, line: lineNumbers[r], column: name, value: cell)
            }
            guard v.isFinite else {
                throw .nonFinite(path: path, line: lineNumbers[r], column: name, value: cell)
            }
            out.append(v)
        }
        return out
    }

    /// The columns `names` as a time-major `(rowCount, names.count)` matrix.
    /// - Throws: as `numbers(_:)`.
    public func matrix(_ names: [String]) throws(DataFileError) -> Matrix {
        var m = Matrix(rows: rowCount, cols: names.count)
        for (j, name) in names.enumerated() {
            let v = try numbers(name)
            for i in 0..<rowCount { m.elements[i * names.count + j] = v[i] }
        }
        return m
    }
}
