// Tolerance.swift — the one approximate-equality helper of the test suite.
//
// Default tolerance: |a − b| ≤ atol + rtol · max(|a|, |b|) element-wise with rtol = 1e-12 and
// atol = 1e-12 (Double reference values). Any looser tolerance at a call site carries a
// comment saying why.

import Foundation
import LinearAlgebra
import Numerics
import Testing

/// Relative error `max|a − b| / max(max|b|, tiny)` of two arrays.
public func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "relativeError: counts \(a.count) and \(b.count) differ") // invariant: test misuse
    var num = 0.0, den = 0.0
    for (x, y) in zip(a, b) {
        num = max(num, abs(x - y))
        den = max(den, abs(y))
    }
    return num / max(den, .leastNormalMagnitude)
}

/// `true` when every pair satisfies `|a − b| ≤ atol + rtol · max(|a|, |b|)`.
public func isClose(_ a: [Double], _ b: [Double], rtol: Double = 1e-12, atol: Double = 1e-12) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        if x.isNaN || y.isNaN { return false }
        if x == y { continue }
        if abs(x - y) > atol + rtol * max(abs(x), abs(y)) { return false }
    }
    return true
}

/// Expects `a ≈ b` element-wise; on failure records the worst element.
public func expectClose(_ a: [Double], _ b: [Double], rtol: Double = 1e-12, atol: Double = 1e-12,
                        _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    guard a.count == b.count else {
        Issue.record("count \(a.count) ≠ \(b.count) \(comment.map { "— \($0)" } ?? "")", sourceLocation: sourceLocation)
        return
    }
    var worst = -1, worstExcess = 0.0
    for (i, (x, y)) in zip(a, b).enumerated() {
        let bound = atol + rtol * max(abs(x), abs(y))
        let diff = x.isNaN || y.isNaN ? Double.infinity : abs(x - y)
        if diff > bound && diff - bound >= worstExcess { worst = i; worstExcess = diff - bound }
    }
    if worst >= 0 {
        Issue.record("not close at [\(worst)]: \(a[worst]) vs \(b[worst]) (rtol \(rtol), atol \(atol), rel err \(relativeError(a, b))) \(comment.map { "— \($0)" } ?? "")",
                     sourceLocation: sourceLocation)
    }
}

public func expectClose(_ a: Double, _ b: Double, rtol: Double = 1e-12, atol: Double = 1e-12,
                        _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    expectClose([a], [b], rtol: rtol, atol: atol, comment, sourceLocation: sourceLocation)
}

public func expectClose(_ a: Matrix, _ b: Matrix, rtol: Double = 1e-12, atol: Double = 1e-12,
                        _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    guard a.rows == b.rows, a.cols == b.cols else {
        Issue.record("shape \(a.rows)×\(a.cols) ≠ \(b.rows)×\(b.cols) \(comment.map { "— \($0)" } ?? "")", sourceLocation: sourceLocation)
        return
    }
    expectClose(a.elements, b.elements, rtol: rtol, atol: atol, comment, sourceLocation: sourceLocation)
}

public func expectClose(_ a: [Complex<Double>], _ b: [Complex<Double>], rtol: Double = 1e-12, atol: Double = 1e-12,
                        _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    expectClose(a.flatMap { [$0.real, $0.imaginary] }, b.flatMap { [$0.real, $0.imaginary] },
                rtol: rtol, atol: atol, comment, sourceLocation: sourceLocation)
}

/// Sorts complex numbers by (real, imaginary) so eigenvalue lists from different tools compare.
public func sortedComplex(_ z: [Complex<Double>]) -> [Complex<Double>] {
    z.sorted { ($0.real, $0.imaginary) < ($1.real, $1.imaginary) }
}
