// ExperimentError.swift — typed errors of experiment files.
//
// Every case carries the file and the 1-based line of the offending key (or of the table
// header when a required key is missing), and names the key; choices list the valid values.

/// A problem in an experiment file. `description` is one line: `<file>:<line>: <problem>`.
public enum ExperimentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The TOML parser rejected the text (line and column from the parser).
    case syntax(file: String, line: Int, column: Int, message: String)
    /// A key that the table does not accept.
    case unknownKey(file: String, line: Int, key: String, table: String, valid: [String])
    /// A key whose value has the wrong TOML type.
    case wrongType(file: String, line: Int, key: String, table: String, expected: String, found: String)
    /// A required key is absent; `line` is the table's header line.
    case missingKey(file: String, line: Int, key: String, table: String)
    /// A string value outside its set of choices (`what` says which set: "model kind", …).
    case unknownChoice(file: String, line: Int, key: String, table: String, value: String, what: String, valid: [String])
    /// A value of the right type that is out of range or inconsistent.
    case invalidValue(file: String, line: Int, key: String, table: String, reason: String)
    /// Two keys that exclude each other.
    case conflictingKeys(file: String, line: Int, keys: [String], table: String)
    /// A dataset or model name used twice.
    case duplicateName(file: String, line: Int, key: String, table: String, name: String)

    /// The line the error points at (0 for an unreadable file).
    public var line: Int {
        switch self {
        case .unreadable: return 0
        case let .syntax(_, line, _, _), let .unknownKey(_, line, _, _, _), let .wrongType(_, line, _, _, _, _),
             let .missingKey(_, line, _, _), let .unknownChoice(_, line, _, _, _, _, _), let .invalidValue(_, line, _, _, _),
             let .conflictingKeys(_, line, _, _), let .duplicateName(_, line, _, _, _):
            return line
        }
    }

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read experiment file: \(reason)"
        case let .syntax(file, line, column, message):
            return "\(file):\(line):\(column): TOML syntax error: \(message)"
        case let .unknownKey(file, line, key, table, valid):
            return "\(file):\(line): unknown key '\(key)' in \(table); valid keys: \(valid.joined(separator: ", "))"
        case let .wrongType(file, line, key, table, expected, found):
            return "\(file):\(line): key '\(key)' in \(table) must be \(expected), found \(found)"
        case let .missingKey(file, line, key, table):
            return "\(file):\(line): \(table) is missing the required key '\(key)'"
        case let .unknownChoice(file, line, key, table, value, what, valid):
            return "\(file):\(line): key '\(key)' in \(table): unknown \(what) '\(value)'; valid: \(valid.joined(separator: ", "))"
        case let .invalidValue(file, line, key, table, reason):
            return "\(file):\(line): key '\(key)' in \(table): \(reason)"
        case let .conflictingKeys(file, line, keys, table):
            return "\(file):\(line): keys \(keys.map { "'\($0)'" }.joined(separator: " and ")) in \(table) exclude each other; give one"
        case let .duplicateName(file, line, key, table, name):
            return "\(file):\(line): key '\(key)' in \(table): the name '\(name)' is used twice"
        }
    }
}
