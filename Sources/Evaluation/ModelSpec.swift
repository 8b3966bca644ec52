// ModelSpec.swift — a `[[model]]` table of an experiment file.
//
// The kind is checked when the file is parsed; the other keys are hyperparameters, stored as
// typed values in an open dictionary (with their lines) and checked against the kind's schema
// by the runner (`ModelSpec.check(against:)`), since the model implementations own them.

/// A hyperparameter value: a TOML scalar or an array of them.
public indirect enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case array([ParameterValue])

    /// The value as a Double (integers convert).
    public var doubleValue: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }

    public var intValue: Int? { if case let .int(i) = self { return i }; return nil }
    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }

    /// The TOML type name used in messages.
    public var typeName: String {
        switch self {
        case .int: return "an integer"
        case .double: return "a float"
        case .string: return "a string"
        case .bool: return "a boolean"
        case .array: return "an array"
        }
    }

    public var description: String {
        switch self {
        case let .int(i): return String(i)
        case let .double(d): return String(d)
        case let .string(s): return "\"\(s)\""
        case let .bool(b): return String(b)
        case let .array(a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// The type a hyperparameter or generator option must have.
public enum ParameterType: String, Sendable, Equatable {
    case int = "an integer"
    /// A number: integers are accepted.
    case double = "a number"
    case string = "a string"
    case bool = "a boolean"
    case intArray = "an array of integers"
    case doubleArray = "an array of numbers"
    case stringArray = "an array of strings"

    /// Whether `value` has this type.
    public func accepts(_ value: ParameterValue) -> Bool {
        switch (self, value) {
        case (.int, .int), (.string, .string), (.bool, .bool): return true
        case (.double, .int), (.double, .double): return true
        case let (.intArray, .array(a)): return a.allSatisfy { $0.intValue != nil }
        case let (.doubleArray, .array(a)): return a.allSatisfy { $0.doubleValue != nil }
        case let (.stringArray, .array(a)): return a.allSatisfy { $0.stringValue != nil }
        default: return false
        }
    }
}

/// The model families an experiment can name.
public enum ModelKind: String, Sendable, CaseIterable {
    case mean, persistence, fir, arx, ar, n4sid, oracle, ssm, lti, rnn, gru, lstm, transformer, tcn, mlp

    /// The hyperparameters each kind is expected to take (for the runner to validate with
    /// `ModelSpec.check(against:)`):
    ///
    /// | kind | keys |
    /// |---|---|
    /// | mean, persistence, oracle | none |
    /// | fir | order, ridge |
    /// | arx | order, input_order, output_order, delay, ridge |
    /// | ar | order, ridge |
    /// | n4sid | state_dim, block_rows |
    /// | lti | state_dim, epochs, lr, batch_size, seq_len, weight_decay |
    /// | ssm | state_dim, dt_min, dt_max, hidden, layers, epochs, lr, batch_size, seq_len, dropout, weight_decay |
    /// | rnn, gru, lstm | hidden, layers, epochs, lr, batch_size, seq_len, dropout, weight_decay |
    /// | transformer | hidden, layers, heads, epochs, lr, batch_size, seq_len, dropout, weight_decay |
    /// | tcn | hidden, layers, kernel_size, epochs, lr, batch_size, seq_len, dropout, weight_decay |
    /// | mlp | order, hidden, layers, epochs, lr, batch_size, dropout, weight_decay |
    ///
    /// Types: order, input_order, output_order, delay, block_rows, state_dim, hidden, layers,
    /// heads, kernel_size, epochs, batch_size, seq_len are integers; lr, dropout, ridge,
    /// weight_decay are numbers.
    public var parameterSchema: [String: ParameterType] {
        let training: [String: ParameterType] = ["epochs": .int, "lr": .double, "batch_size": .int, "seq_len": .int,
                                                 "weight_decay": .double]
        let net = training.merging(["hidden": .int, "layers": .int, "dropout": .double]) { a, _ in a }
        switch self {
        case .mean, .persistence, .oracle: return [:]
        case .fir, .ar: return ["order": .int, "ridge": .double]
        case .arx: return ["order": .int, "input_order": .int, "output_order": .int, "delay": .int, "ridge": .double]
        case .n4sid: return ["state_dim": .int, "block_rows": .int]
        case .lti: return training.merging(["state_dim": .int]) { a, _ in a }
        case .ssm: return net.merging(["state_dim": .int, "dt_min": .double, "dt_max": .double]) { a, _ in a }
        case .rnn, .gru, .lstm: return net
        case .transformer: return net.merging(["heads": .int]) { a, _ in a }
        case .tcn: return net.merging(["kernel_size": .int]) { a, _ in a }
        case .mlp: return net.filter { $0.key != "seq_len" }.merging(["order": .int]) { a, _ in a }
        }
    }
}

/// One `[[model]]` table.
public struct ModelSpec: Sendable, Equatable {
    /// The experiment file (for messages).
    public var file: String
    public var name: String
    public var kind: ModelKind
    /// Every key other than `name` and `kind`.
    public var parameters: [String: ParameterValue]
    /// Line of the `[[model]]` header.
    public var line: Int
    /// Line of each parameter key.
    public var parameterLines: [String: Int]
    /// 1-based position among the models (for messages: "model 2").
    public var index: Int

    public init(file: String, name: String, kind: ModelKind, parameters: [String: ParameterValue] = [:],
                line: Int = 0, parameterLines: [String: Int] = [:], index: Int = 1) {
        self.file = file
        self.name = name
        self.kind = kind
        self.parameters = parameters
        self.line = line
        self.parameterLines = parameterLines
        self.index = index
    }

    /// "model 2 ('arx-10')", as used in messages.
    public var tableName: String { "model \(index) ('\(name)')" }

    /// Checks the parameters against `schema` (e.g. `kind.parameterSchema`).
    /// - Throws: `ExperimentError.unknownKey` (listing the valid keys) or `.wrongType`, for the
    ///   offending key that comes first in the file.
    public func check(against schema: [String: ParameterType]) throws(ExperimentError) {
        for key in parameters.keys.sorted(by: { (parameterLines[$0] ?? 0, $0) < (parameterLines[$1] ?? 0, $1) }) {
            let line = parameterLines[key] ?? self.line
            guard let type = schema[key] else {
                throw .unknownKey(file: file, line: line, key: key, table: tableName, valid: ["name", "kind"] + schema.keys.sorted())
            }
            let value = parameters[key]!
            guard type.accepts(value) else {
                throw .wrongType(file: file, line: line, key: key, table: tableName, expected: type.rawValue, found: value.typeName)
            }
        }
    }

    /// An integer parameter, or `fallback` when absent.
    public func int(_ key: String, default fallback: Int) -> Int { parameters[key]?.intValue ?? fallback }
    /// A numeric parameter, or `fallback` when absent.
    public func double(_ key: String, default fallback: Double) -> Double { parameters[key]?.doubleValue ?? fallback }
    /// A string parameter, or `fallback` when absent.
    public func string(_ key: String, default fallback: String) -> String { parameters[key]?.stringValue ?? fallback }
}
