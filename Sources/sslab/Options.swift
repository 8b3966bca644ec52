// Options.swift — shared options and argument types.

import ArgumentParser
import Foundation
import StateSpaceLab

/// `--output FILE`: write there (atomically) instead of stdout.
struct OutputOption: ParsableArguments {
    @Option(name: [.short, .long], help: "Write the result to FILE (atomically) instead of stdout.")
    var output: String?

    /// Writes `text` to the output file or stdout.
    func emit(_ text: String) throws {
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// A comma-separated list of numbers; accepts `1e5` and `2^20`.
struct NumberList: ExpressibleByArgument {
    let values: [Double]
    init?(argument: String) {
        var out: [Double] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let t = part.trimmingCharacters(in: .whitespaces)
            guard let v = NumberList.parse(t), v.isFinite else { return nil }
            out.append(v)
        }
        guard !out.isEmpty else { return nil }
        values = out
    }

    static func parse(_ t: String) -> Double? {
        if let caret = t.firstIndex(of: "^"), let b = Double(t[..<caret]), let e = Double(t[t.index(after: caret)...]) {
            return Foundation.pow(b, e)
        }
        return Double(t)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A comma-separated list of non-negative integers (`100,1e4,2^16`).
struct LengthList: ExpressibleByArgument {
    let values: [Int]
    init?(argument: String) {
        guard let list = NumberList(argument: argument) else { return nil }
        var out: [Int] = []
        for v in list.values {
            guard v >= 0, v == v.rounded(), v < 1e12 else { return nil }
            out.append(Int(v))
        }
        values = out
    }
}

/// Reads a system file, turning its error into the CLI's one-line form.
func loadSystem(_ path: String) throws -> AnySystem { try SystemFile.read(path: path) }

/// A discrete system from a file; a continuous one is discretised when `dt` is given.
func loadDiscrete(_ path: String, dt: Double?, method: DiscretizationMethod = .zoh, command: String) throws -> DiscreteLTI {
    if let dt { try checkSampleTime(dt) }
    switch try loadSystem(path) {
    case let .discrete(s):
        if dt != nil { throw CLIError("\(path): the system is already discrete (dt = \(s.dt)); drop --dt") }
        return s
    case let .continuous(s):
        guard let dt else {
            throw CLIError("\(path): \(command) needs a discrete-time system (a \"dt\" key), or --dt T to discretise it (zoh)")
        }
        return try s.discretized(dt: dt, method: method)
    }
}

/// Formats a Double for CSV/JSON output: the shortest representation that round-trips.
@inline(__always) func num(_ x: Double) -> String { "\(x)" }

/// CSV text: a header row and one line per row.
func csvText(header: [String], rows: Int, cell: (Int, Int) -> String) -> String {
    var out = CSV.line(header) + "\n"
    out.reserveCapacity(rows * header.count * 20)
    for r in 0..<rows {
        out += (0..<header.count).map { cell(r, $0) }.joined(separator: ",")
        out += "\n"
    }
    return out
}

/// Column names y<o>_u<i> (1-based) for every output/input pair.
func pairNames(outputs p: Int, inputs m: Int, prefix: String = "") -> [String] {
    var names: [String] = []
    for o in 1...Swift.max(p, 1) where p > 0 { for i in 1...Swift.max(m, 1) where m > 0 { names.append("\(prefix)y\(o)_u\(i)") } }
    return names
}

/// The discretisation method from `--method` and `--alpha`.
func discretizationMethod(_ name: String, alpha: Double?) throws -> DiscretizationMethod {
    if alpha != nil, name != "gbt" { throw CLIError("--alpha applies only to --method gbt") }
    do { return try DiscretizationMethod(name: name, alpha: alpha) } catch {
        if case let .invalidParameter(param, reason) = error { throw CLIError("--\(param): \(reason)") }
        throw error
    }
}

/// `--dt` must be a positive finite number.
func checkSampleTime(_ dt: Double) throws {
    guard dt.isFinite, dt > 0 else { throw ValidationError("--dt must be a positive finite number, got \(dt)") }
}
