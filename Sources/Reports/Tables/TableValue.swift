// TableValue.swift — the typed values of result records and table cells.
//
// Results are data: experiments write records (`[String: TableValue]`), and tables are derived
// from them. One enum serves both, so aggregated statistics drop straight into table cells.

/// A record of named values, e.g. one finished run: `["dataset": .text("cascade"), "rmse": .number(0.12)]`.
public typealias Record = [String: TableValue]

/// A mean, a sample standard deviation and the number of samples they summarise.
///
/// `std` is the **sample** standard deviation with Bessel's correction,
/// `s = sqrt( Σ (xᵢ − x̄)² / (n − 1) )`; it is NaN when `n < 2` (undefined from one sample).
public struct MeanStd: Hashable, Sendable, CustomStringConvertible {
    public var mean: Double
    public var std: Double
    public var n: Int

    public init(mean: Double, std: Double, n: Int) {
        self.mean = mean
        self.std = std
        self.n = n
    }

    /// Summary of `samples` (two-pass: mean first, then the corrected sum of squared deviations
    /// `Σd² − (Σd)²/n` with `d = x − x̄`, which cancels the rounding error of the mean).
    /// Non-finite samples propagate: one NaN (a diverged run) makes mean and std NaN.
    /// Empty input gives `n = 0` and NaN mean and std.
    /// - Complexity: O(n).
    public init(samples: [Double]) {
        let n = samples.count
        guard n > 0 else { self.init(mean: .nan, std: .nan, n: 0); return }
        let mean = samples.reduce(0, +) / Double(n)
        guard n > 1 else { self.init(mean: mean, std: .nan, n: 1); return }
        var sum = 0.0, sumSquares = 0.0
        for x in samples {
            let d = x - mean
            sum += d
            sumSquares += d * d
        }
        let variance = max(0, (sumSquares - sum * sum / Double(n)) / Double(n - 1))
        self.init(mean: mean, std: variance.squareRoot(), n: n)
    }

    public var description: String { "\(mean) ± \(std) (n=\(n))" }
}

/// One value of a record or one cell of a table.
public enum TableValue: Hashable, Sendable, CustomStringConvertible {
    case text(String)
    case number(Double)
    case integer(Int)
    case meanStd(MeanStd)
    /// No value (an absent metric, an empty cell).
    case missing

    /// The value used for ranking ("best" marking): the number, the integer, or the mean.
    public var rankingValue: Double? {
        switch self {
        case let .number(x): return x
        case let .integer(i): return Double(i)
        case let .meanStd(s): return s.mean
        case .text, .missing: return nil
        }
    }

    /// A short name of the case, for error messages.
    public var kindName: String {
        switch self {
        case .text: return "text"
        case .number: return "number"
        case .integer: return "integer"
        case .meanStd: return "mean±std"
        case .missing: return "missing"
        }
    }

    public var description: String {
        switch self {
        case let .text(s): return s
        case let .number(x): return x.description
        case let .integer(i): return String(i)
        case let .meanStd(s): return s.description
        case .missing: return ""
        }
    }
}

extension TableValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
}
