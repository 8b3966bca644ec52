// ContinuousLTI.swift — continuous-time system  ẋ = A x + B u,  y = C x + D u.

import LinearAlgebra

/// A continuous-time LTI system `ẋ = A x + B u`, `y = C x + D u`.
public struct ContinuousLTI: LTISystem, Equatable {
    public let matrices: StateSpaceMatrices
    public var labels: SignalLabels

    /// Validates shapes (A n×n, B n×m, C p×n, D p×m) and finiteness.
    public init(a: Matrix, b: Matrix, c: Matrix, d: Matrix, labels: SignalLabels = SignalLabels()) throws(StateSpaceError) {
        matrices = try StateSpaceMatrices(a: a, b: b, c: c, d: d)
        self.labels = labels
    }

    /// A system with `D = 0`.
    public init(a: Matrix, b: Matrix, c: Matrix, labels: SignalLabels = SignalLabels()) throws(StateSpaceError) {
        try self.init(a: a, b: b, c: c, d: Matrix(rows: c.rows, cols: b.cols), labels: labels)
    }

    /// Asymptotically stable: every pole has negative real part.
    public func isStable() throws(StateSpaceError) -> Bool { try maxRealPart() < 0 }

    /// The largest real part of the poles (the stability margin's sign).
    public func maxRealPart() throws(StateSpaceError) -> Double {
        try poles().map(\.real).max() ?? -.infinity
    }
}

extension ContinuousLTI: CustomStringConvertible {
    public var description: String {
        "ContinuousLTI(n: \(stateCount), m: \(inputCount), p: \(outputCount))"
    }
}
