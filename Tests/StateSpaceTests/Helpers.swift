import LinearAlgebra
import StateSpace

/// A seeded random stable discrete MIMO system with feedthrough.
func randomDiscrete(_ n: Int, _ m: Int, _ p: Int, seed: UInt64, radius: ClosedRange<Double> = 0.5...0.95) throws -> DiscreteLTI {
    var rng = SplitMix64(seed: seed)
    return try DiscreteLTI.randomStable(order: n, inputs: m, outputs: p, radius: radius, feedthrough: true, dt: 0.1, using: &rng)
}

func randomContinuous(_ n: Int, _ m: Int, _ p: Int, seed: UInt64) throws -> ContinuousLTI {
    var rng = SplitMix64(seed: seed)
    return try ContinuousLTI.randomStable(order: n, inputs: m, outputs: p, feedthrough: true, using: &rng)
}

func randomSignal(_ steps: Int, _ channels: Int, seed: UInt64) -> Matrix {
    var rng = SplitMix64(seed: seed)
    return Matrix.uniform(steps, channels, using: &rng)
}

/// A discrete system whose A is a Jordan block (defective: not diagonalisable).
func jordanSystem(_ n: Int, eigenvalue: Double = 0.8) throws -> DiscreteLTI {
    var a = Matrix.diagonal([Double](repeating: eigenvalue, count: n))
    for i in 0..<(n - 1) { a[i, i + 1] = 1 }
    var rng = SplitMix64(seed: 99)
    return try DiscreteLTI(a: a, b: Matrix.uniform(n, 2, using: &rng), c: Matrix.uniform(2, n, using: &rng),
                           d: Matrix.uniform(2, 2, using: &rng), dt: 1)
}
