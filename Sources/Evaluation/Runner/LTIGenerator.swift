// LTIGenerator.swift — the `lti` data generator: a seeded random stable discrete system from
// the StateSpace module, wrapped as a `SystemSimulator` (so the oracle can run the truth).

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
    /// `input_count`, `output_count`, `max_pole_radius` r (pole radii uniform in [0.3 r, r]).
    public static func standard(directories: DataDirectories) -> DatasetBuilder {
        DatasetBuilder(directories: directories) { spec, rng in
            let r = spec.double("max_pole_radius")
            let sys = try DiscreteLTI.randomStable(order: spec.int("state_dim"), inputs: spec.int("input_count"),
                                                   outputs: spec.int("output_count"), radius: (0.3 * r)...r, using: &rng)
            return LTISimulator(sys)
        }
    }
}
