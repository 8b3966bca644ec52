// LinearAlgebraError.swift — typed errors for data-dependent failures in LinearAlgebra.
//
// Programmer misuse (mismatched shapes between matrices built in code) is a `precondition`;
// anything that depends on the numbers (a singular matrix, a QR iteration that fails to
// converge, a ragged user-supplied matrix) is one of these errors.

/// A failure of a linear-algebra routine that depends on the data, not on the program.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Rows of a nested-array matrix differ in length.
    case raggedRows(row: Int, expected: Int, found: Int)
    /// Operand shapes do not fit the operation.
    case shapeMismatch(operation: String, details: String)
    /// The matrix is exactly singular (LU pivot `pivot`, 1-based, is zero) or numerically singular.
    case singular(operation: String, pivot: Int)
    /// An iterative LAPACK routine (QR algorithm, SVD) did not converge.
    case notConverged(operation: String, info: Int32)
    /// The matrix is not positive definite (Cholesky failed at leading minor `order`).
    case notPositiveDefinite(order: Int)
    /// Input contains NaN or infinity.
    case nonFinite(operation: String)
    /// A Lyapunov or Sylvester equation has no unique solution (eigenvalues too close to the
    /// forbidden set: λ_i + λ_j = 0 in continuous time, λ_i λ_j = 1 in discrete time).
    case noUniqueSolution(operation: String)
    /// LAPACK reported an illegal argument: an internal bug, surfaced rather than trapped.
    case illegalArgument(routine: String, position: Int32)

    public var description: String {
        switch self {
        case let .raggedRows(row, expected, found):
            return "row \(row) has \(found) entries, expected \(expected)"
        case let .shapeMismatch(operation, details):
            return "\(operation): shape mismatch: \(details)"
        case let .singular(operation, pivot):
            return "\(operation): matrix is singular (zero pivot at \(pivot))"
        case let .notConverged(operation, info):
            return "\(operation): algorithm did not converge (LAPACK info \(info))"
        case let .notPositiveDefinite(order):
            return "matrix is not positive definite (leading minor of order \(order))"
        case let .nonFinite(operation):
            return "\(operation): input contains NaN or infinity"
        case let .noUniqueSolution(operation):
            return "\(operation): equation has no unique solution (eigenvalue condition violated)"
        case let .illegalArgument(routine, position):
            return "\(routine): illegal argument \(position) (internal error)"
        }
    }
}
