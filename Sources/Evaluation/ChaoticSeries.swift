// ChaoticSeries.swift — Mackey–Glass and Lorenz series for forecasting experiments.
//
// Mackey–Glass (Mackey & Glass, "Oscillation and chaos in physiological control systems",
// Science 1977), the delay-differential equation
//     ẋ(t) = β·x(t−τ) / (1 + x(t−τ)ⁿ) − γ·x(t),   β = 0.2, γ = 0.1, n = 10, τ = 17 (chaotic),
// with constant history x(t) = x₀ for t ≤ 0. Integration: classical RK4 with step h = 0.1
// (τ/h = 170 grid steps); the delayed value at the half step t − τ + h/2 is the mean of the two
// neighbouring grid values (linear interpolation), at t − τ and t − τ + h the grid values
// themselves. The first `transient` time units are discarded and x is sampled every
// `sampleInterval` time units (default 1). On the attractor the series stays within about
// [0.42, 1.32].
//
// Lorenz ("Deterministic nonperiodic flow", J. Atmos. Sci. 1963):
//     ẋ = σ(y − x),  ẏ = x(ρ − z) − y,  ż = xy − βz,   σ = 10, ρ = 28, β = 8/3,
// RK4 with step h = 0.01, sampled every `sampleInterval` (default 0.01 = every step) after a
// transient of 10 time units.
//
// The seed only moves the initial condition (x₀ ~ U[1.1, 1.3) for Mackey–Glass; (1, 1, 1) +
// U[−1, 1)³ for Lorenz); chaos makes distinct seeds give distinct series.

import LinearAlgebra

/// Chaotic benchmark series.
public enum ChaoticSeries {
    /// `count` samples of the Mackey–Glass series (see the file comment).
    /// - Complexity: O((transient + count · sampleInterval) / h).
    public static func mackeyGlass(count: Int, tau: Double = 17, beta: Double = 0.2, gamma: Double = 0.1, exponent: Double = 10,
                                   step h: Double = 0.1, sampleInterval: Double = 1, transient: Double = 1000,
                                   rng: inout SplitMix64) -> [Double] {
        let delay = Int((tau / h).rounded()), sub = Int((sampleInterval / h).rounded()), skip = Int((transient / h).rounded())
        precondition(count >= 0 && delay >= 1 && sub >= 1 && skip >= 0, "invalid Mackey–Glass parameters") // invariant: validated by the parser
        let x0 = rng.uniform(1.1, 1.3)
        let total = skip + count * sub
        var x = [Double](repeating: x0, count: delay + 1 + total)
        @inline(__always) func f(_ v: Double, _ d: Double) -> Double { beta * d / (1 + Double.pow(d, exponent)) - gamma * v }
        for i in delay..<(delay + total) {
            let d0 = x[i - delay], d1 = x[i - delay + 1], dm = (d0 + d1) / 2
            let k1 = f(x[i], d0)
            let k2 = f(x[i] + h / 2 * k1, dm)
            let k3 = f(x[i] + h / 2 * k2, dm)
            let k4 = f(x[i] + h * k3, d1)
            x[i + 1] = x[i] + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        }
        return (0..<count).map { x[delay + skip + $0 * sub] }
    }

    /// `count` samples of the Lorenz system as a `(count, 3)` matrix with columns x, y, z.
    /// - Complexity: O((transient + count · sampleInterval) / h).
    public static func lorenz(count: Int, sigma: Double = 10, rho: Double = 28, beta: Double = 8.0 / 3,
                              step h: Double = 0.01, sampleInterval: Double = 0.01, transient: Double = 10,
                              rng: inout SplitMix64) -> Matrix {
        let sub = Int((sampleInterval / h).rounded()), skip = Int((transient / h).rounded())
        precondition(count >= 0 && sub >= 1 && skip >= 0, "invalid Lorenz parameters") // invariant: validated by the parser
        var s = [1 + rng.uniform(), 1 + rng.uniform(), 1 + rng.uniform()]
        let field: ([Double]) -> [Double] = { v in [sigma * (v[1] - v[0]), v[0] * (rho - v[2]) - v[1], v[0] * v[1] - beta * v[2]] }
        for _ in 0..<skip { s = rk4Step(s, h, field) }
        var out = Matrix(rows: count, cols: 3)
        for t in 0..<count {
            out.elements[3 * t] = s[0]; out.elements[3 * t + 1] = s[1]; out.elements[3 * t + 2] = s[2]
            for _ in 0..<sub { s = rk4Step(s, h, field) }
        }
        return out
    }

    /// A forecasting dataset over generated channels, split by `fractions`.
    /// - Throws: `SplitError` when a part would be empty.
    public static func forecastData(name: String, values: Matrix, channelNames: [String], fractions: SplitFractions,
                                    seasonalPeriods: [Int] = []) throws(SplitError) -> ForecastData {
        let table = SignalTable(source: "generator \(name)", channelNames: channelNames, values: values)
        let split = try DataSplit.byFractions(length: values.rows, fractions: fractions, source: table.source)
        do {
            return try ForecastData(name: name, table: table, valueNames: channelNames, timeKeyName: nil, split: split,
                                    seasonalPeriods: seasonalPeriods)
        } catch {
            preconditionFailure("generated channel names are always present: \(error)") // invariant: names passed in
        }
    }
}
