// FrequencyResponse.swift — H at points on the imaginary axis / unit circle:
//
//   continuous  H(jω) = C (jω I − A)⁻¹ B + D
//   discrete    H(e^{jω dt}) = C (e^{jω dt} I − A)⁻¹ B + D      (ω in rad/s, dt in s)
//
// One complex LU solve per frequency (zgesv): O(n³ + n² m + n p m) per point.

import LinearAlgebra
import Numerics

/// Complex responses at each frequency: layout (frequency, output, input).
public struct FrequencyResponse: Sendable {
    /// Angular frequencies ω in rad/s.
    public let omega: [Double]
    public let outputs: Int, inputs: Int
    /// `values[(f * outputs + o) * inputs + i]` = H_{o,i}(ω_f).
    public let values: [Complex<Double>]

    @inlinable
    public subscript(f: Int, o: Int, i: Int) -> Complex<Double> { values[(f * outputs + o) * inputs + i] }

    /// |H| in decibels (20 log₁₀ |H|) for one pair, over frequency.
    public func magnitudeDB(output o: Int, input i: Int) -> [Double] {
        (0..<omega.count).map { 20 * Double.log10(self[$0, o, i].length) }
    }

    /// Phase in degrees for one pair, unwrapped along frequency (jumps > 180° removed, like numpy.unwrap).
    public func phaseDegrees(output o: Int, input i: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(omega.count)
        var offset = 0.0
        var prev: Double? = nil
        for f in 0..<omega.count {
            let h = self[f, o, i]
            let raw = Double.atan2(y: h.imaginary, x: h.real) * 180 / .pi
            if let pv = prev {
                var d = raw + offset - pv
                while d > 180 { offset -= 360; d -= 360 }
                while d < -180 { offset += 360; d += 360 }
            }
            let v = raw + offset
            out.append(v)
            prev = v
        }
        return out
    }
}

/// Evaluates C (s I − A)⁻¹ B + D at complex points s.
func transferAt(_ points: [Complex<Double>], omega: [Double], _ m: StateSpaceMatrices) throws(StateSpaceError) -> FrequencyResponse {
    let n = m.stateCount, p = m.outputCount, q = m.inputCount
    let ca = ComplexMatrix(m.a), cb = ComplexMatrix(m.b), cc = ComplexMatrix(m.c)
    var values = [Complex<Double>](repeating: .zero, count: points.count * p * q)
    for (f, s) in points.enumerated() {
        var h = ComplexMatrix(m.d)
        if n > 0 {
            var sia = ComplexMatrix(rows: n, cols: n)
            for i in 0..<n { for j in 0..<n { sia[i, j] = -ca[i, j] } ; sia[i, i] += s }
            let x: ComplexMatrix
            do throws(LinearAlgebraError) { x = try sia.solve(cb) } catch {
                if case .singular = error {
                    throw .unsupported("frequency \(omega[f]) rad/s is a pole of the system (sI − A is singular)")
                }
                throw .linearAlgebra(error)
            }
            h = h + cc * x
        }
        for e in 0..<(p * q) { values[f * p * q + e] = h.elements[e] }
    }
    return FrequencyResponse(omega: omega, outputs: p, inputs: q, values: values)
}

func validateOmega(_ omega: [Double]) throws(StateSpaceError) {
    for (i, w) in omega.enumerated() where !w.isFinite {
        throw .invalidParameter(name: "omega[\(i)]", reason: "frequency must be finite, got \(w)")
    }
}

extension ContinuousLTI {
    /// H(jω) at each ω (rad/s).
    /// - Throws: `.unsupported` when some jω is a pole.
    public func frequencyResponse(omega: [Double]) throws(StateSpaceError) -> FrequencyResponse {
        try validateOmega(omega)
        return try transferAt(omega.map { Complex(0, $0) }, omega: omega, matrices)
    }
}

extension DiscreteLTI {
    /// H(e^{jω dt}) at each ω (rad/s).
    /// - Throws: `.unsupported` when some e^{jω dt} is a pole.
    public func frequencyResponse(omega: [Double]) throws(StateSpaceError) -> FrequencyResponse {
        try validateOmega(omega)
        return try transferAt(omega.map { Complex(Double.cos($0 * dt), Double.sin($0 * dt)) }, omega: omega, matrices)
    }

    /// The frequency grid of an L-point DFT in rad/s: ω_k = 2π k / (L dt), k = 0..<L.
    public func dftGrid(_ length: Int) -> [Double] {
        (0..<length).map { 2 * Double.pi * Double($0) / (Double(length) * dt) }
    }
}

/// `count` logarithmically spaced values from 10^lo to 10^hi (numpy.logspace).
public func logspace(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [Double.pow(10, lo)] : [] }
    return (0..<count).map { Double.pow(10, lo + (hi - lo) * Double($0) / Double(count - 1)) }
}
