// LTIGenerator.swift — the `lti` data generator: a seeded random stable discrete system from
// the StateSpace module, wrapped as a `SystemSimulator` (so the oracle can run the truth).

import Foundation
import LinearAlgebra
import StateSpace

/// A discrete LTI system as a data generator (zero initial state).
public struct LTISimulator: SystemSimulator {
    public let system: DiscreteLTI
    public init(_ system: DiscreteLTI) { self.system = system }
    public var inputCount: Int { system.inputCount }
    public var outputCount: Int { system.outputCount }
    public var sampleTime: Double? { system.dt }
    public func simulate(_ input: Matrix) -> Matrix {
        // Inputs come from the generator with the right width; a failure would be a bug, and
        // NaN outputs make it visible in every metric instead of trapping.
        (try? system.simulate(input).outputs) ?? Matrix(rows: input.rows, cols: outputCount, repeating: .nan)
    }
}

extension DatasetBuilder {
    /// The builder with the random stable LTI generator registered: options `state_dim`,
    /// `input_count`, `output_count`, `max_pole_radius` r (pole radii uniform in [0.3 r, r]),
    /// `max_pole_angle` (pole angles uniform in (0, max_pole_angle) rad/sample).
    /// Each output row of C is then scaled so that the output's impulse responses have unit
    /// energy (Σ_k Σ_i h_oi[k]² = 1: a white unit-variance input gives unit output variance), so
    /// `noise_std` is a noise-to-signal ratio whatever the random draw.
    public static func standard(directories: DataDirectories) -> DatasetBuilder {
        DatasetBuilder(directories: directories) { spec, rng in
            let r = spec.double("max_pole_radius")
            let raw = try DiscreteLTI.randomStable(order: spec.int("state_dim"), inputs: spec.int("input_count"),
                                                   outputs: spec.int("output_count"), radius: (0.3 * r)...r,
                                                   maxAngle: spec.double("max_pole_angle"), using: &rng)
            return LTISimulator(try unitEnergy(raw))
        }
    }

    /// Scales each row of C (the system has D = 0) to unit impulse-response energy; the kernel
    /// is long enough for the slowest pole to decay below 1e-12.
    static func unitEnergy(_ sys: DiscreteLTI) throws -> DiscreteLTI {
        let rho = try sys.spectralRadius()
        let length = min(100_000, max(64, Int((log(1e-12) / log(max(rho, 1e-3))).rounded(.up))))
        let h = try sys.kernel(length: length)
        var c = sys.c
        for o in 0..<sys.outputCount {
            var energy = 0.0
            for k in 0..<h.length { for i in 0..<sys.inputCount { energy += h[k, o, i] * h[k, o, i] } }
            guard energy > 0 else { continue }
            let scale = 1 / energy.squareRoot()
            for j in 0..<sys.stateCount { c[o, j] *= scale }
        }
        return try DiscreteLTI(a: sys.a, b: sys.b, c: c, d: sys.d, dt: sys.dt, labels: sys.labels)
    }
}
