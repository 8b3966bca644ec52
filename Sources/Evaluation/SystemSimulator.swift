// SystemSimulator.swift — the extension point for synthetic input/output systems.
//
// A generator of system-identification data is anything that maps an input signal to an
// output signal from a fixed initial state. The nonlinear generators of this module
// (Wiener–Hammerstein, Duffing, cascaded tanks) conform; the random stable LTI generator is to
// be added on top of the StateSpace module by conforming a type to `SystemSimulator` and
// registering the name "lti" (already reserved in `GeneratorKind`). `SyntheticIO` turns any
// simulator into an `IOData` with the same splits and conventions as the real benchmarks.

import LinearAlgebra

/// A deterministic input→output system simulated from its initial state.
public protocol SystemSimulator: Sendable {
    /// Number of input channels m.
    var inputCount: Int { get }
    /// Number of output channels p.
    var outputCount: Int { get }
    /// Sampling interval in seconds (or time units), when meaningful.
    var sampleTime: Double? { get }
    /// The outputs `(L, p)` for inputs `(L, m)`, starting from the system's initial state.
    func simulate(_ input: Matrix) -> Matrix
}

/// Builds identification datasets from a simulator.
public enum SyntheticIO {
    /// Simulates `system` on an input from `signal` (+ `offset`) and adds white Gaussian
    /// measurement noise of std `noiseStd` to the outputs. Channels are named `u`/`y` when
    /// single, else `u1…um` / `y1…yp`. The split is by `fractions` of the one record.
    /// Draw order from `rng`: the input channels, then the noise.
    /// - Throws: `SplitError` when the fractions leave a part empty for this length.
    public static func dataset(name: String, system: any SystemSimulator, signal: InputSignal, offset: Double = 0,
                               length: Int, noiseStd: Double = 0, fractions: SplitFractions, warmup: Int = 0,
                               rng: inout SplitMix64) throws(SplitError) -> IOData {
        precondition(noiseStd >= 0 && length > 0 && warmup >= 0, "invalid synthetic dataset parameters") // invariant: validated by the parser
        var u = signal.generate(length: length, channels: system.inputCount, rng: &rng)
        for i in u.elements.indices { u.elements[i] += offset }
        var y = system.simulate(u)
        if noiseStd > 0 { for i in y.elements.indices { y.elements[i] += noiseStd * rng.normal() } }
        let m = system.inputCount, p = system.outputCount
        let uNames = m == 1 ? ["u"] : (1...m).map { "u\($0)" }
        let yNames = p == 1 ? ["y"] : (1...p).map { "y\($0)" }
        var values = Matrix(rows: length, cols: m + p)
        for t in 0..<length {
            for j in 0..<m { values.elements[t * (m + p) + j] = u.elements[t * m + j] }
            for j in 0..<p { values.elements[t * (m + p) + m + j] = y.elements[t * p + j] }
        }
        let table = SignalTable(source: "generator \(name)", channelNames: uNames + yNames, values: values)
        let split = try DataSplit.byFractions(length: length, fractions: fractions, source: table.source)
        do {
            var data = try IOData(name: name, table: table, inputNames: uNames, outputNames: yNames, split: split,
                                  warmup: warmup, sampleTime: system.sampleTime)
            data.system = system
            return data
        } catch {
            preconditionFailure("generated channel names are always present: \(error)") // invariant: names built above
        }
    }
}

/// One classical Runge–Kutta (RK4) step of ẋ = f(x) with step h.
@inline(__always)
func rk4Step(_ x: [Double], _ h: Double, _ f: ([Double]) -> [Double]) -> [Double] {
    let k1 = f(x)
    let k2 = f(zip(x, k1).map { $0 + h / 2 * $1 })
    let k3 = f(zip(x, k2).map { $0 + h / 2 * $1 })
    let k4 = f(zip(x, k3).map { $0 + h * $1 })
    return (0..<x.count).map { x[$0] + h / 6 * (k1[$0] + 2 * k2[$0] + 2 * k3[$0] + k4[$0]) }
}
