// LTISystem.swift — what continuous and discrete systems share: validated (A, B, C, D).
//
// A system is valid by construction: A is n×n, B is n×m, C is p×n, D is p×m, every entry is
// finite. The timebase is part of the type (`ContinuousLTI` vs `DiscreteLTI`), so a discrete
// system cannot be discretised again.

import LinearAlgebra

/// The validated matrices of a state-space realisation.
public struct StateSpaceMatrices: Equatable, Sendable {
    public let a: Matrix, b: Matrix, c: Matrix, d: Matrix

    /// Validates shapes and finiteness.
    public init(a: Matrix, b: Matrix, c: Matrix, d: Matrix) throws(StateSpaceError) {
        guard a.rows == a.cols else { throw .dimensionMismatch("A must be square, got \(a.rows)×\(a.cols)") }
        let n = a.rows
        guard b.rows == n else { throw .dimensionMismatch("rows of A (\(n)) and B (\(b.rows)) differ") }
        guard c.cols == n else { throw .dimensionMismatch("columns of C (\(c.cols)) and states (\(n)) differ") }
        guard d.rows == c.rows else { throw .dimensionMismatch("rows of C (\(c.rows)) and D (\(d.rows)) differ") }
        guard d.cols == b.cols else { throw .dimensionMismatch("columns of B (\(b.cols)) and D (\(d.cols)) differ") }
        for (name, mat) in [("A", a), ("B", b), ("C", c), ("D", d)] where !mat.isFinite {
            throw .nonFinite(matrix: name)
        }
        self.a = a; self.b = b; self.c = c; self.d = d
    }

    public var stateCount: Int { a.rows }
    public var inputCount: Int { b.cols }
    public var outputCount: Int { c.rows }
}

/// Optional names of a system and its signals (from the JSON `name`, `inputs`, `outputs`, `states`).
public struct SignalLabels: Equatable, Sendable {
    public var name: String?
    public var inputs: [String]?
    public var outputs: [String]?
    public var states: [String]?
    public init(name: String? = nil, inputs: [String]? = nil, outputs: [String]? = nil, states: [String]? = nil) {
        self.name = name; self.inputs = inputs; self.outputs = outputs; self.states = states
    }
}

/// A linear time-invariant system in state-space form.
public protocol LTISystem: Sendable {
    var matrices: StateSpaceMatrices { get }
    var labels: SignalLabels { get set }
}

extension LTISystem {
    public var a: Matrix { matrices.a }
    public var b: Matrix { matrices.b }
    public var c: Matrix { matrices.c }
    public var d: Matrix { matrices.d }
    /// Number of states n.
    public var stateCount: Int { matrices.stateCount }
    /// Number of inputs m.
    public var inputCount: Int { matrices.inputCount }
    /// Number of outputs p.
    public var outputCount: Int { matrices.outputCount }

    /// Eigenvalues of A.
    public func poles() throws(StateSpaceError) -> [Complex<Double>] { try la { try a.eigenvalues() } }
}

import Numerics
