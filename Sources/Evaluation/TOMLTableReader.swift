// TOMLTableReader.swift — typed access to one table of an experiment file, with errors that
// name the key, the table and the line.

/// Reads keys of one TOML table; every error carries the key's line.
struct TOMLTableReader {
    let document: TOMLDocument
    /// Locator path of the table ("" for the top level, "dataset[0]", …).
    let path: String
    /// The table's name in messages ("the top level", "dataset 1 ('x')").
    var tableName: String
    let values: [String: TOMLDocument.Value]

    var file: String { document.file }

    /// Line of the table header (1 for the top level).
    var headerLine: Int { path.isEmpty ? 1 : document.locator.line(of: path) ?? 1 }

    /// Line of `key` in this table (the header's when the key cannot be located).
    func line(_ key: String) -> Int {
        document.locator.lines[path.isEmpty ? key : path + "." + key] ?? headerLine
    }

    /// Keys present, in file order.
    var keysInFileOrder: [String] { values.keys.sorted { (line($0), $0) < (line($1), $1) } }

    /// Throws `unknownKey` for the first key (in file order) not in `allowed`.
    func checkKeys(_ allowed: [String]) throws(ExperimentError) {
        for key in keysInFileOrder where !allowed.contains(key) {
            throw .unknownKey(file: file, line: line(key), key: key, table: tableName, valid: allowed.sorted())
        }
    }

    func wrongType(_ key: String, _ expected: String) -> ExperimentError {
        .wrongType(file: file, line: line(key), key: key, table: tableName, expected: expected, found: values[key]?.typeName ?? "nothing")
    }

    func invalid(_ key: String, _ reason: String) -> ExperimentError {
        .invalidValue(file: file, line: line(key), key: key, table: tableName, reason: reason)
    }

    func missing(_ key: String) -> ExperimentError {
        .missingKey(file: file, line: headerLine, key: key, table: tableName)
    }

    func string(_ key: String) throws(ExperimentError) -> String? {
        guard let v = values[key] else { return nil }
        guard case let .string(s) = v else { throw wrongType(key, "a string") }
        return s
    }

    func int(_ key: String, atLeast minimum: Int? = nil) throws(ExperimentError) -> Int? {
        guard let v = values[key] else { return nil }
        guard case let .int(i) = v else { throw wrongType(key, "an integer") }
        if let minimum, i < minimum { throw invalid(key, "must be ≥ \(minimum), found \(i)") }
        return i
    }

    func double(_ key: String) throws(ExperimentError) -> Double? {
        switch values[key] {
        case nil: return nil
        case let .int(i)?: return Double(i)
        case let .double(d)?: return d
        default: throw wrongType(key, "a number")
        }
    }

    func bool(_ key: String) throws(ExperimentError) -> Bool? {
        guard let v = values[key] else { return nil }
        guard case let .bool(b) = v else { throw wrongType(key, "a boolean") }
        return b
    }

    func strings(_ key: String) throws(ExperimentError) -> [String]? {
        guard let v = values[key] else { return nil }
        guard case let .array(items) = v else { throw wrongType(key, "an array of strings") }
        var out: [String] = []
        for item in items {
            guard case let .string(s) = item else { throw wrongType(key, "an array of strings") }
            out.append(s)
        }
        return out
    }

    func ints(_ key: String) throws(ExperimentError) -> [Int]? {
        guard let v = values[key] else { return nil }
        guard case let .array(items) = v else { throw wrongType(key, "an array of integers") }
        var out: [Int] = []
        for item in items {
            guard case let .int(i) = item else { throw wrongType(key, "an array of integers") }
            out.append(i)
        }
        return out
    }

    func doubles(_ key: String) throws(ExperimentError) -> [Double]? {
        guard let v = values[key] else { return nil }
        guard case let .array(items) = v else { throw wrongType(key, "an array of numbers") }
        var out: [Double] = []
        for item in items {
            switch item {
            case let .int(i): out.append(Double(i))
            case let .double(d): out.append(d)
            default: throw wrongType(key, "an array of numbers")
            }
        }
        return out
    }

    /// A string key whose value must be one of `E`'s raw values.
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ what: String, as type: E.Type = E.self) throws(ExperimentError) -> E?
    where E.RawValue == String {
        guard let s = try string(key) else { return nil }
        guard let e = E(rawValue: s) else {
            throw .unknownChoice(file: file, line: line(key), key: key, table: tableName, value: s, what: what,
                                 valid: E.allCases.map(\.rawValue))
        }
        return e
    }

    /// The value converted to a hyperparameter / option value (tables and dates are rejected).
    func parameter(_ key: String) throws(ExperimentError) -> ParameterValue? {
        guard let v = values[key] else { return nil }
        guard let p = TOMLTableReader.convert(v) else {
            throw wrongType(key, "a number, string, boolean or an array of them")
        }
        return p
    }

    static func convert(_ v: TOMLDocument.Value) -> ParameterValue? {
        switch v {
        case let .int(i): return .int(i)
        case let .double(d): return .double(d)
        case let .string(s): return .string(s)
        case let .bool(b): return .bool(b)
        case let .array(a):
            var out: [ParameterValue] = []
            for item in a { guard let p = convert(item) else { return nil }; out.append(p) }
            return .array(out)
        case .table, .dateTime: return nil
        }
    }

    /// The tables of an array of tables (`[[dataset]]`) under `key`, as readers.
    func tableArray(_ key: String, element: String) throws(ExperimentError) -> [TOMLTableReader]? {
        guard let v = values[key] else { return nil }
        guard case let .array(items) = v else { throw wrongType(key, "an array of tables ([[\(key)]])") }
        var out: [TOMLTableReader] = []
        for (i, item) in items.enumerated() {
            guard case let .table(t) = item else { throw wrongType(key, "an array of tables ([[\(key)]])") }
            let name: String
            if case let .string(s)? = t["name"] { name = " ('\(s)')" } else { name = "" }
            let prefix = path.isEmpty ? key : path + "." + key
            out.append(TOMLTableReader(document: document, path: "\(prefix)[\(i)]", tableName: "\(element) \(i + 1)\(name)", values: t))
        }
        return out
    }
}
