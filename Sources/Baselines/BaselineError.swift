// BaselineError.swift — typed errors for the classical baselines.
//
// Everything that depends on the data (its shape, its values, the conditioning of the
// regression it leads to) is one of these errors; the library never traps on user data.
// Messages name the signal, the segment and the row or parameter that is wrong.

import LinearAlgebra
import StateSpace

/// A problem with the data given to a baseline, its settings, or the numerics of a fit.
public enum BaselineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A signal contains NaN or infinity (`signal` names it, e.g. "segment 2 outputs").
    case nonFinite(signal: String, row: Int, column: Int)
    /// Not enough samples for the requested model orders.
    case tooFewSamples(context: String, needed: Int, found: Int)
    /// Shapes that do not fit together (channel counts, row counts).
    case shapeMismatch(String)
    /// A setting outside its domain (a negative order, a negative ridge α, …).
    case invalidParameter(name: String, reason: String)
    /// The regression or projection is singular (e.g. the normal equations are not positive
    /// definite, an input is not persistently exciting).
    case singular(String)
    /// A free-run simulation produced NaN or infinity (an unstable model).
    case diverged(context: String, step: Int)
    /// The operation is not defined for this model.
    case unsupported(String)
    /// A linear-algebra routine failed.
    case linearAlgebra(LinearAlgebraError)
    /// A state-space routine failed.
    case stateSpace(StateSpaceError)

    public var description: String {
        switch self {
        case let .nonFinite(signal, row, column):
            return "\(signal): NaN or infinity at row \(row), column \(column)"
        case let .tooFewSamples(context, needed, found):
            return "\(context): needs at least \(needed) samples, got \(found)"
        case let .shapeMismatch(s): return s
        case let .invalidParameter(name, reason): return "\(name): \(reason)"
        case let .singular(s): return s
        case let .diverged(context, step): return "\(context): simulation diverged (non-finite output) at step \(step)"
        case let .unsupported(s): return s
        case let .linearAlgebra(e): return e.description
        case let .stateSpace(e): return e.description
        }
    }
}

/// Runs a LinearAlgebra computation, wrapping its error.
@inlinable
func la<T>(_ body: () throws(LinearAlgebraError) -> T) throws(BaselineError) -> T {
    do { return try body() } catch { throw .linearAlgebra(error) }
}

/// Runs a StateSpace computation, wrapping its error.
@inlinable
func ss<T>(_ body: () throws(StateSpaceError) -> T) throws(BaselineError) -> T {
    do { return try body() } catch { throw .stateSpace(error) }
}

/// Throws `.nonFinite` naming `signal` and the first offending row and column.
func requireFinite(_ m: Matrix, _ signal: String) throws(BaselineError) {
    if m.isFinite { return }
    for (idx, v) in m.elements.enumerated() where !v.isFinite {
        throw .nonFinite(signal: signal, row: idx / Swift.max(1, m.cols), column: idx % Swift.max(1, m.cols))
    }
}

/// Throws `.invalidParameter` unless `value ≥ minimum`.
func requireAtLeast(_ value: Int, _ minimum: Int, _ name: String) throws(BaselineError) {
    guard value >= minimum else { throw .invalidParameter(name: name, reason: "must be ≥ \(minimum), got \(value)") }
}

/// Throws `.invalidParameter` unless `alpha` is finite and ≥ 0.
func requireRidge(_ alpha: Double, _ name: String = "alpha") throws(BaselineError) {
    guard alpha.isFinite, alpha >= 0 else { throw .invalidParameter(name: name, reason: "ridge penalty must be finite and ≥ 0, got \(alpha)") }
}
