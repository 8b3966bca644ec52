// DataFileError.swift — typed errors for reading data files (CSV tables and dataset folders).
//
// Every case names the file; those about a cell also name the 1-based line number (the header
// is line 1) and the column, so a user can open the file at the right place.

/// A problem with a user's data file or data directory. `description` is one line, starting
/// with the file path, ready for `sslab: <message>`.
public enum DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist.
    case missingFile(path: String)
    /// The file exists but could not be read (permissions, not UTF-8, a directory, …).
    case unreadable(path: String, reason: String)
    /// The file has no header line (zero bytes or only blank lines).
    case emptyFile(path: String)
    /// The header is present but no data row follows.
    case noDataRows(path: String)
    /// Two header cells carry the same name.
    case duplicateColumn(path: String, name: String)
    /// A data row has a different number of cells than the header.
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    /// A cell of a numeric column does not parse as a number.
    case nonNumeric(path: String, line: Int, column: String, value: String)
    /// A cell of a numeric column is NaN or ±infinity.
    case nonFinite(path: String, line: Int, column: String, value: String)
    /// A requested column is not in the header; `valid` lists the header.
    case unknownColumn(path: String, name: String, valid: [String])
    /// A cell holds a value the format does not allow (an unknown split label, a series whose
    /// label changes, a time index out of order, …).
    case invalidValue(path: String, line: Int, column: String, value: String, reason: String)
    /// The file's structure does not fit the dataset (no training rows, too short a series, …).
    case invalidStructure(path: String, reason: String)
    /// The file's SHA-256 differs from the one recorded in `datasets/sysid-checksums.txt`.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// The data directory for local-only datasets does not exist.
    case missingDataDirectory(path: String, hint: String)
    /// A dataset name that the catalog does not know.
    case unknownDataset(name: String, valid: [String])

    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): file not found"
        case let .unreadable(path, reason):
            return "\(path): cannot read file: \(reason)"
        case let .emptyFile(path):
            return "\(path): file is empty (expected a header line)"
        case let .noDataRows(path):
            return "\(path): header only, no data rows"
        case let .duplicateColumn(path, name):
            return "\(path):1: column '\(name)' appears more than once in the header"
        case let .raggedRow(path, line, expected, found):
            return "\(path):\(line): row has \(found) cells, the header has \(expected)"
        case let .nonNumeric(path, line, column, value):
            return "\(path):\(line): column '\(column)': '\(value)' is not a number"
        case let .nonFinite(path, line, column, value):
            return "\(path):\(line): column '\(column)': '\(value)' is not finite (NaN and infinity are not allowed)"
        case let .unknownColumn(path, name, valid):
            return "\(path): unknown column '\(name)'; valid columns: \(valid.joined(separator: ", "))"
        case let .invalidValue(path, line, column, value, reason):
            return "\(path):\(line): column '\(column)': '\(value)': \(reason)"
        case let .invalidStructure(path, reason):
            return "\(path): \(reason)"
        case let .checksumMismatch(path, expected, actual):
            return "\(path): SHA-256 \(actual) does not match the expected \(expected) (datasets/sysid-checksums.txt); re-run datasets/fetch-sysid.sh"
        case let .missingDataDirectory(path, hint):
            return "\(path): data directory not found; \(hint)"
        case let .unknownDataset(name, valid):
            return "unknown dataset '\(name)'; valid names: \(valid.joined(separator: ", "))"
        }
    }
}
