// JSONValue.swift — a small ordered JSON value for machine-readable output (key order is kept so
// records read predictably; numbers use the shortest round-trip form).

/// An ordered JSON value.
public enum JSONValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }

    public static func == (l: JSONValue, r: JSONValue) -> Bool { l.text == r.text }

    /// Compact JSON text.
    public var text: String {
        switch self {
        case let .string(s): return JSONValue.quote(s)
        case let .number(x): return x.isFinite ? "\(x)" : "null"
        case let .integer(i): return "\(i)"
        case let .bool(b): return b ? "true" : "false"
        case .null: return "null"
        case let .array(a): return "[" + a.map(\.text).joined(separator: ", ") + "]"
        case let .object(o): return "{" + o.map { JSONValue.quote($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
        }
    }

    /// A JSON string literal with the required escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    /// Value of a key in an object.
    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o.first { $0.0 == key }?.1 }
        return nil
    }
}

import Foundation

extension JSONValue {
    /// Indented JSON text (2 spaces); arrays of scalars stay on one line.
    public var pretty: String { render(indent: 0) }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func render(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent + 2), close = String(repeating: " ", count: indent)
        switch self {
        case let .array(a):
            if a.isEmpty { return "[]" }
            if a.allSatisfy({ $0.isScalar }) || a.allSatisfy({ if case let .array(x) = $0 { return x.allSatisfy(\.isScalar) } else { return false } }) {
                return "[" + a.map(\.text).joined(separator: ", ") + "]"
            }
            return "[\n" + a.map { pad + $0.render(indent: indent + 2) }.joined(separator: ",\n") + "\n" + close + "]"
        case let .object(o):
            if o.isEmpty { return "{}" }
            return "{\n" + o.map { pad + JSONValue.quote($0.0) + ": " + $0.1.render(indent: indent + 2) }.joined(separator: ",\n") + "\n" + close + "}"
        default:
            return text
        }
    }
}
