// CascadedTanks.swift — two tanks in cascade with overflow, after the cascaded-tanks benchmark
// (Schoukens, Mattsson, Wigren & Noël, "Cascaded tanks benchmark combining soft and hard
// nonlinearities", 2016).
//
//     ẋ₁ = −k₁√x₁ + k₄u                    (upper tank level; pump input u ≥ 0)
//     ẋ₂ =  k₂√x₁ − k₃√x₂ + k₅·o            (lower tank level), y = x₂
//
// Overflow (the hard nonlinearity): a level is confined to [0, x_max]. When x₁ = x_max and its
// net inflow r = −k₁√x₁ + k₄u is positive, ẋ₁ = 0 and the overflow o = r spills, a fraction k₅
// of it into the lower tank; when x₂ = x_max and ẋ₂ > 0, ẋ₂ = 0 (the water is lost). The pump
// cannot run backwards: u is clipped at 0. Integration: RK4 at Ts / substeps with the input
// held over each sample (zero-order hold), levels clamped to [0, x_max] after every substep;
// the output is x₂ at the sampling instants, starting from empty tanks.
// Defaults: k₁ = k₂ = k₃ = 0.1, k₄ = 0.05, k₅ = 0.5, x_max = 10, Ts = 4 s, 10 substeps, for
// which a constant input u gives x₁ = x₂ = (k₄u / k₁)² = u²/4 (overflow from u ≈ 6.3).

import LinearAlgebra

/// Two cascaded tanks with overflow saturation.
public struct CascadedTanks: SystemSimulator {
    public var k1: Double, k2: Double, k3: Double, k4: Double, k5: Double
    public var maxLevel: Double
    public var samplingInterval: Double
    public var substeps: Int

    public init(k1: Double = 0.1, k2: Double = 0.1, k3: Double = 0.1, k4: Double = 0.05, k5: Double = 0.5,
                maxLevel: Double = 10, samplingInterval: Double = 4, substeps: Int = 10) {
        precondition([k1, k2, k3, k4].allSatisfy { $0 > 0 } && k5 >= 0 && k5 <= 1 && maxLevel > 0 && samplingInterval > 0 && substeps >= 1, // invariant: validated by the parser
                     "invalid cascaded-tanks parameters")
        self.k1 = k1; self.k2 = k2; self.k3 = k3; self.k4 = k4; self.k5 = k5
        self.maxLevel = maxLevel
        self.samplingInterval = samplingInterval
        self.substeps = substeps
    }

    public var inputCount: Int { 1 }
    public var outputCount: Int { 1 }
    public var sampleTime: Double? { samplingInterval }

    /// The vector field at levels x with pump input u (overflow rules in the file comment).
    func derivative(_ x: [Double], _ u: Double) -> [Double] {
        let x1 = min(max(x[0], 0), maxLevel), x2 = min(max(x[1], 0), maxLevel)
        var d1 = -k1 * x1.squareRoot() + k4 * max(u, 0)
        var overflow = 0.0
        if x1 >= maxLevel && d1 > 0 { overflow = d1; d1 = 0 }
        var d2 = k2 * x1.squareRoot() - k3 * x2.squareRoot() + k5 * overflow
        if x2 >= maxLevel && d2 > 0 { d2 = 0 }
        return [d1, d2]
    }

    /// - Complexity: O(L · substeps).
    public func simulate(_ input: Matrix) -> Matrix {
        precondition(input.cols == 1, "the cascaded tanks are SISO") // invariant: programmer misuse
        let h = samplingInterval / Double(substeps)
        var x = [0.0, 0.0]
        var y = [Double](repeating: 0, count: input.rows)
        for t in 0..<input.rows {
            y[t] = x[1]
            let u = input.elements[t]
            for _ in 0..<substeps {
                x = rk4Step(x, h) { derivative($0, u) }.map { min(max($0, 0), maxLevel) }
            }
        }
        return .column(y)
    }
}
