// SystemFile.swift — the system JSON format:
//
//   {"A": [[..]], "B": [[..]], "C": [[..]], "D": [[..]], "dt": 0.1,
//    "name": "…", "inputs": ["…"], "outputs": ["…"], "states": ["…"]}
//
// Row-major nested arrays. `dt` absent or null: continuous time; a positive number: discrete
// time with that sample time. A, B, C, D are required; any other key is an error (typos such as
// "Dt" are caught), as are non-numbers, NaN/Inf (not JSON), ragged rows and shapes that do not
// fit. Numbers are written with Swift's shortest round-trip representation.

import Foundation
import LinearAlgebra

/// A system read from a file: its timebase decides the type.
public enum AnySystem: Sendable {
    case continuous(ContinuousLTI)
    case discrete(DiscreteLTI)

    public var matrices: StateSpaceMatrices {
        switch self {
        case let .continuous(s): return s.matrices
        case let .discrete(s): return s.matrices
        }
    }
}

/// A problem reading or writing a system file; the description names the file and key.
public struct SystemFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

public enum SystemFile {
    static let validKeys = ["A", "B", "C", "D", "dt", "name", "inputs", "outputs", "states"]

    /// Reads and validates a system file.
    public static func read(path: String) throws(SystemFileError) -> AnySystem {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read file" : "no such file"
            throw SystemFileError(path: path, message: reason)
        }
        return try decode(data, path: path)
    }

    /// Decodes and validates system JSON; `path` labels error messages.
    public static func decode(_ data: Data, path: String = "<system>") throws(SystemFileError) -> AnySystem {
        let raw: RawSystem
        do { raw = try JSONDecoder().decode(RawSystem.self, from: data) } catch let error as DecodingError {
            throw SystemFileError(path: path, message: describe(error))
        } catch {
            throw SystemFileError(path: path, message: "invalid JSON (\(error.localizedDescription))")
        }
        func matrix(_ key: String, _ rows: [[Double]]) throws(SystemFileError) -> Matrix {
            do { return try Matrix(rows) } catch {
                throw SystemFileError(path: path, message: "key '\(key)': \(error.description)")
            }
        }
        let a = try matrix("A", raw.A), b = try matrix("B", raw.B), c = try matrix("C", raw.C), d = try matrix("D", raw.D)
        let labels = SignalLabels(name: raw.name, inputs: raw.inputs, outputs: raw.outputs, states: raw.states)
        let system: AnySystem
        do throws(StateSpaceError) {
            if let dt = raw.dt {
                system = .discrete(try DiscreteLTI(a: a, b: b, c: c, d: d, dt: dt, labels: labels))
            } else {
                system = .continuous(try ContinuousLTI(a: a, b: b, c: c, d: d, labels: labels))
            }
        } catch {
            let key: String
            if case .invalidSampleTime = error { key = "key 'dt': " } else { key = "" }
            throw SystemFileError(path: path, message: key + error.description)
        }
        try checkLabels(labels, system.matrices, path: path)
        return system
    }

    static func checkLabels(_ l: SignalLabels, _ m: StateSpaceMatrices, path: String) throws(SystemFileError) {
        for (key, list, count) in [("inputs", l.inputs, m.inputCount), ("outputs", l.outputs, m.outputCount), ("states", l.states, m.stateCount)] {
            if let list, list.count != count {
                throw SystemFileError(path: path, message: "key '\(key)': \(list.count) label(s) for \(count) \(key)")
            }
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func pathString(_ p: [CodingKey]) -> String {
            var s = ""
            for k in p {
                if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
            }
            return s
        }
        switch error {
        case let .keyNotFound(key, ctx):
            let at = pathString(ctx.codingPath)
            return "missing key '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)")
        case let .typeMismatch(type, ctx):
            let want = type == Double.self ? "a number" : type == String.self ? "a string" : (String(describing: type).hasPrefix("Array") ? "a list" : "\(type)")
            return "key '\(pathString(ctx.codingPath))': expected \(want)"
        case let .valueNotFound(_, ctx):
            return "key '\(pathString(ctx.codingPath))': null is not allowed here"
        case let .dataCorrupted(ctx):
            if ctx.codingPath.isEmpty {
                let underlying = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return "invalid JSON" + (underlying.map { " (\($0))" } ?? (ctx.debugDescription.isEmpty ? "" : " (\(ctx.debugDescription))"))
            }
            return "key '\(pathString(ctx.codingPath))': \(ctx.debugDescription)"
        @unknown default:
            return "invalid system file"
        }
    }

    /// The JSON text of a system (keys A, B, C, D, dt, then labels when present).
    public static func encode(_ system: AnySystem) -> String {
        let m = system.matrices
        func mat(_ x: Matrix) -> String {
            if x.rows == 0 { return "[]" }
            return "[" + x.nestedRows.map { "[" + $0.map(number).joined(separator: ", ") + "]" }.joined(separator: ",\n        ") + "]"
        }
        var lines = ["  \"A\": \(mat(m.a))", "  \"B\": \(mat(m.b))", "  \"C\": \(mat(m.c))", "  \"D\": \(mat(m.d))"]
        let labels: SignalLabels
        switch system {
        case let .continuous(s): lines.append("  \"dt\": null"); labels = s.labels
        case let .discrete(s): lines.append("  \"dt\": \(number(s.dt))"); labels = s.labels
        }
        func str(_ s: String) -> String {
            let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        }
        if let n = labels.name { lines.append("  \"name\": \(str(n))") }
        for (key, list) in [("inputs", labels.inputs), ("outputs", labels.outputs), ("states", labels.states)] {
            if let list { lines.append("  \"\(key)\": [" + list.map(str).joined(separator: ", ") + "]") }
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// Shortest round-trip decimal for a finite Double ("0.1", "1e-05", "3.0").
    public static func number(_ x: Double) -> String { "\(x)" }
}

/// The decoded-but-unvalidated file content.
struct RawSystem: Decodable {
    let A: [[Double]], B: [[Double]], C: [[Double]], D: [[Double]]
    let dt: Double?
    let name: String?
    let inputs: [String]?, outputs: [String]?, states: [String]?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for k in c.allKeys where !SystemFile.validKeys.contains(k.stringValue) {
            throw DecodingError.dataCorruptedError(forKey: k, in: c,
                debugDescription: "unknown key; valid keys: \(SystemFile.validKeys.joined(separator: ", "))")
        }
        A = try c.decode([[Double]].self, forKey: Key(stringValue: "A"))
        B = try c.decode([[Double]].self, forKey: Key(stringValue: "B"))
        C = try c.decode([[Double]].self, forKey: Key(stringValue: "C"))
        D = try c.decode([[Double]].self, forKey: Key(stringValue: "D"))
        dt = try c.decodeIfPresent(Double.self, forKey: Key(stringValue: "dt"))
        name = try c.decodeIfPresent(String.self, forKey: Key(stringValue: "name"))
        inputs = try c.decodeIfPresent([String].self, forKey: Key(stringValue: "inputs"))
        outputs = try c.decodeIfPresent([String].self, forKey: Key(stringValue: "outputs"))
        states = try c.decodeIfPresent([String].self, forKey: Key(stringValue: "states"))
    }
}
