// DuffingOscillator.swift — a Silverbox-like forced Duffing oscillator.
//
//     ẍ + 2ζω₀ ẋ + ω₀² x + α x³ = u(t),      y = x
//
// (the Silverbox benchmark is an electronic realisation of this equation: Wigren & Schoukens,
// "Three free data sets for development and benchmarking in nonlinear system identification",
// ECC 2013). The input is held constant over each sample interval (zero-order hold) and the
// state (x, ẋ) is integrated with classical RK4 at the fine step Ts / substeps; the output is
// x at the sampling instants, starting from rest. Defaults: ω₀ = 1 rad/s, ζ = 0.05, α = 1
// (hardening), Ts = 0.2 s, 20 RK4 substeps.

import LinearAlgebra

/// The forced Duffing oscillator sampled with a zero-order-hold input.
public struct DuffingOscillator: SystemSimulator {
    public var naturalFrequency: Double
    public var damping: Double
    public var cubicStiffness: Double
    public var samplingInterval: Double
    public var substeps: Int

    public init(naturalFrequency: Double = 1, damping: Double = 0.05, cubicStiffness: Double = 1,
                samplingInterval: Double = 0.2, substeps: Int = 20) {
        precondition(naturalFrequency > 0 && damping >= 0 && samplingInterval > 0 && substeps >= 1, "invalid Duffing parameters") // invariant: validated by the parser
        self.naturalFrequency = naturalFrequency
        self.damping = damping
        self.cubicStiffness = cubicStiffness
        self.samplingInterval = samplingInterval
        self.substeps = substeps
    }

    public var inputCount: Int { 1 }
    public var outputCount: Int { 1 }
    public var sampleTime: Double? { samplingInterval }

    /// - Complexity: O(L · substeps).
    public func simulate(_ input: Matrix) -> Matrix {
        precondition(input.cols == 1, "the Duffing oscillator is SISO") // invariant: programmer misuse
        let w0 = naturalFrequency, z = damping, a = cubicStiffness
        let h = samplingInterval / Double(substeps)
        var state = [0.0, 0.0]
        var y = [Double](repeating: 0, count: input.rows)
        for t in 0..<input.rows {
            y[t] = state[0]
            let u = input.elements[t]
            for _ in 0..<substeps {
                state = rk4Step(state, h) { s in [s[1], u - 2 * z * w0 * s[1] - w0 * w0 * s[0] - a * s[0] * s[0] * s[0]] }
            }
        }
        return .column(y)
    }
}
