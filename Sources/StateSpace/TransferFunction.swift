// TransferFunction.swift — SISO rational transfer functions and their state-space realisations.
//
// Coefficients are highest power first (scipy.signal / MATLAB): num(s) / den(s) with
// den[0] ≠ 0. `tf2ss` gives scipy's controller canonical form
//   A = [−a₁ −a₂ … −aₙ; I 0],  B = e₁,  C = b̃ − b₀ a  (b̃ = num padded, divided by a₀),  D = b₀,
// and `ss2tf` uses det(sI − A + BC) = det(sI − A)(1 + C(sI − A)⁻¹B):
//   den = poly(A),  num = poly(A − BC) + (D − 1) den.

import LinearAlgebra
import Numerics

/// A SISO rational transfer function num/den (highest power first).
public struct TransferFunction: Equatable, Sendable {
    public let numerator: [Double]
    public let denominator: [Double]

    /// Validates: finite coefficients, non-zero leading denominator coefficient (after trimming
    /// leading zeros), proper (deg num ≤ deg den).
    public init(numerator: [Double], denominator: [Double]) throws(StateSpaceError) {
        let den = Array(denominator.drop { $0 == 0 })
        var num = Array(numerator.drop { $0 == 0 })
        if num.isEmpty { num = [0] }
        guard !den.isEmpty else { throw .invalidParameter(name: "denominator", reason: "must have a non-zero coefficient") }
        guard (num + den).allSatisfy(\.isFinite) else { throw .nonFinite(matrix: "transfer function coefficients") }
        guard num.count <= den.count else {
            throw .unsupported("improper transfer function (numerator degree \(num.count - 1) > denominator degree \(den.count - 1)) has no state-space realisation")
        }
        self.numerator = num
        self.denominator = den
    }

    /// The controller canonical realisation (A, B, C, D) of scipy.signal.tf2ss.
    public func realization() throws(StateSpaceError) -> StateSpaceMatrices {
        let a0 = denominator[0]
        let den = denominator.map { $0 / a0 }
        var num = [Double](repeating: 0, count: den.count - numerator.count) + numerator.map { $0 / a0 }
        let n = den.count - 1
        let d0 = num[0]
        if n == 0 {
            return try StateSpaceMatrices(a: Matrix(rows: 0, cols: 0), b: Matrix(rows: 0, cols: 1), c: Matrix(rows: 1, cols: 0),
                                          d: Matrix(rows: 1, cols: 1, elements: [d0]))
        }
        var a = Matrix(rows: n, cols: n)
        for j in 0..<n { a[0, j] = -den[j + 1] }
        for i in 1..<n { a[i, i - 1] = 1 }
        var b = Matrix(rows: n, cols: 1)
        b[0, 0] = 1
        for k in 1...n { num[k] -= d0 * den[k] }
        let c = Matrix(rows: 1, cols: n, elements: Array(num[1...]))
        return try StateSpaceMatrices(a: a, b: b, c: c, d: Matrix(rows: 1, cols: 1, elements: [d0]))
    }
}

/// Monic polynomial with the given roots (numpy.poly); real parts of the complex product.
public func polynomial(roots: [Complex<Double>]) -> [Double] {
    var coeffs: [Complex<Double>] = [.one]
    for r in roots {
        var next = coeffs + [.zero]
        for k in 1..<next.count { next[k] = next[k] - r * coeffs[k - 1] }
        coeffs = next
    }
    return coeffs.map(\.real)
}

extension LTISystem {
    /// The transfer function of a SISO system (scipy.signal.ss2tf).
    /// - Throws: `.unsupported` for a system that is not single-input single-output.
    public func transferFunction() throws(StateSpaceError) -> TransferFunction {
        guard inputCount == 1 && outputCount == 1 else {
            throw .unsupported("transfer function needs a SISO system, got \(outputCount) output(s) × \(inputCount) input(s)")
        }
        let den = polynomial(roots: try la { try a.eigenvalues() })
        let numPoly = polynomial(roots: try la { try (a - b * c).eigenvalues() })
        let dd = d[0, 0]
        let num = zip(numPoly, den).map { $0 + (dd - 1) * $1 }
        return try TransferFunction(numerator: num, denominator: den)
    }
}

extension ContinuousLTI {
    /// The controller canonical realisation of a transfer function.
    public init(_ tf: TransferFunction, labels: SignalLabels = SignalLabels()) throws(StateSpaceError) {
        let r = try tf.realization()
        try self.init(a: r.a, b: r.b, c: r.c, d: r.d, labels: labels)
    }
}

extension DiscreteLTI {
    /// The controller canonical realisation of a transfer function in z (sample time `dt`).
    public init(_ tf: TransferFunction, dt: Double, labels: SignalLabels = SignalLabels()) throws(StateSpaceError) {
        let r = try tf.realization()
        try self.init(a: r.a, b: r.b, c: r.c, d: r.d, dt: dt, labels: labels)
    }
}
