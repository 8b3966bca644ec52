// TOMLDocument.swift — a TOML file as plain Swift values, with key lines.
//
// TOMLKit (a wrapper of toml++) does the parsing; its tree is copied at once into the `Value`
// enum below, so the rest of the module neither depends on TOMLKit types nor holds C++ nodes.
// Key lines come from `TOMLKeyLocator` (TOMLKit gives positions for syntax errors only).

import TOMLKit

/// A parsed TOML document.
public struct TOMLDocument: Sendable {
    /// A TOML value.
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case array([Value])
        case table([String: Value])
        /// A date, time or date-time, kept as its TOML text (experiment files use none).
        case dateTime(String)

        /// The TOML type name used in messages ("a string", "an integer", …).
        public var typeName: String {
            switch self {
            case .string: return "a string"
            case .int: return "an integer"
            case .double: return "a float"
            case .bool: return "a boolean"
            case .array: return "an array"
            case .table: return "a table"
            case .dateTime: return "a date-time"
            }
        }
    }

    /// The file name used in messages.
    public let file: String
    /// The top-level table.
    public let root: [String: Value]
    /// Source lines of keys.
    public let locator: TOMLKeyLocator

    /// Parses `text` (from `file`, for messages).
    /// - Throws: `ExperimentError.syntax` with the parser's line and column.
    public init(text: String, file: String) throws(ExperimentError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(file: file, line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw .syntax(file: file, line: 1, column: 1, message: "\(error)")
        }
        self.file = file
        self.root = TOMLDocument.convert(table)
        self.locator = TOMLKeyLocator(text: text)
    }

    private static func convert(_ table: TOMLTable) -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, value) in table { out[key] = convert(value) }
        return out
    }

    private static func convert(_ value: any TOMLValueConvertible) -> Value {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .int(value.int ?? 0)
        case .double: return .double(value.double ?? .nan)
        case .bool: return .bool(value.bool ?? false)
        case .array: return .array((value.array.map { Array($0) } ?? []).map { convert($0) })
        case .table: return .table(value.table.map { convert($0) } ?? [:])
        case .date, .time, .dateTime: return .dateTime(value.tomlValue.debugDescription)
        }
    }
}
