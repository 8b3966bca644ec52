// DiscreteLTI.swift — discrete-time system in the control convention:
//
//     x[k+1] = A x[k] + B u[k]
//     y[k]   = C x[k] + D u[k]
//
// with sample time dt > 0 (seconds per step). Its impulse response (kernel) is h[0] = D,
// h[k] = C A^(k-1) B, so y = h * u + (free response of x[0]).

import LinearAlgebra

/// A discrete-time LTI system `x[k+1] = A x[k] + B u[k]`, `y[k] = C x[k] + D u[k]`, sample time `dt`.
public struct DiscreteLTI: LTISystem, Equatable {
    public let matrices: StateSpaceMatrices
    public var labels: SignalLabels
    /// Sample time in seconds (> 0, finite).
    public let dt: Double

    /// Validates shapes, finiteness and `dt > 0`.
    public init(a: Matrix, b: Matrix, c: Matrix, d: Matrix, dt: Double = 1, labels: SignalLabels = SignalLabels()) throws(StateSpaceError) {
        guard dt.isFinite, dt > 0 else { throw .invalidSampleTime(dt) }
        matrices = try StateSpaceMatrices(a: a, b: b, c: c, d: d)
        self.dt = dt
        self.labels = labels
    }

    /// A system with `D = 0`.
    public init(a: Matrix, b: Matrix, c: Matrix, dt: Double = 1, labels: SignalLabels = SignalLabels()) throws(StateSpaceError) {
        try self.init(a: a, b: b, c: c, d: Matrix(rows: c.rows, cols: b.cols), dt: dt, labels: labels)
    }

    /// Spectral radius ρ(A) = max |λ_i|.
    public func spectralRadius() throws(StateSpaceError) -> Double {
        try poles().reduce(0) { Swift.max($0, $1.length) }
    }

    /// Asymptotically stable: ρ(A) < 1.
    public func isStable() throws(StateSpaceError) -> Bool { try spectralRadius() < 1 }
}

extension DiscreteLTI: CustomStringConvertible {
    public var description: String {
        "DiscreteLTI(n: \(stateCount), m: \(inputCount), p: \(outputCount), dt: \(dt))"
    }
}
