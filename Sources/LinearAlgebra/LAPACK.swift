// LAPACK.swift — shared plumbing for the LAPACKE wrappers.
//
// Every wrapper copies its inputs (LAPACKE overwrites them), calls the routine in row-major
// layout, and turns `info` into a typed error inside the wrapper. Pointers never escape.

import CLAPACKE

@usableFromInline let rowMajor = Int32(LAPACK_ROW_MAJOR)

@inlinable func lapackChar(_ c: Character) -> CChar { CChar(UInt8(ascii: c.unicodeScalars.first!)) }

/// Maps a negative `info` (illegal argument) to an error; positive values are routine-specific.
@usableFromInline
func checkIllegal(_ info: Int32, _ routine: String) throws(LinearAlgebraError) {
    if info < 0 { throw .illegalArgument(routine: routine, position: -info) }
}

extension Matrix {
    /// Throws `.nonFinite` when any element is NaN or infinite (LAPACK's behaviour on such input
    /// is undefined: it may loop or return garbage).
    @usableFromInline
    func requireFinite(_ operation: String) throws(LinearAlgebraError) {
        guard isFinite else { throw .nonFinite(operation: operation) }
    }

    @usableFromInline
    func requireSquare(_ operation: String) throws(LinearAlgebraError) {
        guard isSquare else { throw .shapeMismatch(operation: operation, details: "expected a square matrix, got \(rows)×\(cols)") }
    }
}
