// StateSpaceError.swift — typed errors for systems built from user data and for numerical
// failures in the control core.

import LinearAlgebra

/// A problem with a system, a signal, or a computation of the control core.
public enum StateSpaceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Matrix shapes do not fit together ("rows of A (3) and B (2) differ").
    case dimensionMismatch(String)
    /// A matrix or parameter contains NaN or infinity.
    case nonFinite(matrix: String)
    /// A sample time that is not a positive finite number.
    case invalidSampleTime(Double)
    /// A parameter outside its domain (e.g. a gbt alpha outside [0, 1], a negative length).
    case invalidParameter(name: String, reason: String)
    /// An input signal whose width does not match the number of inputs.
    case inputMismatch(expectedInputs: Int, foundColumns: Int)
    /// An initial state of the wrong length.
    case initialStateMismatch(expected: Int, found: Int)
    /// The operation needs a stable system.
    case unstable(String)
    /// The operation is not defined for this system (e.g. d2c of a system with an eigenvalue on
    /// the negative real axis, a transfer function of a MIMO system).
    case unsupported(String)
    /// A linear-algebra routine failed.
    case linearAlgebra(LinearAlgebraError)

    public var description: String {
        switch self {
        case let .dimensionMismatch(s): return s
        case let .nonFinite(m): return "\(m) contains NaN or infinity"
        case let .invalidSampleTime(dt): return "sample time dt must be a positive finite number, got \(dt)"
        case let .invalidParameter(name, reason): return "\(name): \(reason)"
        case let .inputMismatch(e, f): return "input has \(f) column(s), the system has \(e) input(s)"
        case let .initialStateMismatch(e, f): return "initial state has \(f) value(s), the system has \(e) state(s)"
        case let .unstable(s): return s
        case let .unsupported(s): return s
        case let .linearAlgebra(e): return e.description
        }
    }
}

/// Runs a LinearAlgebra computation, wrapping its `LinearAlgebraError` (closures infer untyped
/// `throws`, so the cast happens here once).
@inlinable
func la<T>(_ body: () throws -> T) throws(StateSpaceError) -> T {
    do { return try body() } catch let e as LinearAlgebraError { throw .linearAlgebra(e) } catch let e as StateSpaceError {
        throw e
    } catch { throw .unsupported("\(error)") }
}
